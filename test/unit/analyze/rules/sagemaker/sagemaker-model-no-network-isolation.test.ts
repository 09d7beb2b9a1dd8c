import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-model-no-network-isolation.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { endpoint, endpointConfig, gap, model, variant } from '../../../../fixtures/sagemaker.ts';

describe('sagemaker-model-no-network-isolation', () => {
  describe('non-compliant', () => {
    it.each([
      ['not isolated, no VPC', model('model-1'), 'through SageMaker’s network'],
      [
        'not isolated, in a VPC',
        model('model-1', { vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] } }),
        'from subnet-a with sg-a',
      ],
    ])('fails for %s', (_, m, text) => {
      // Act
      const findings = run(rule, scope({ models: [m] }));
      // Assess
      expect(ids(findings)).toEqual(['model-1']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP SageMaker.5'],
        resource: { type: 'AWS::SageMaker::Model', id: 'model-1' },
      });
      expect(findings[0]?.message).toContain(text);
    });

    it('names the endpoints that serve the model and the variants in the evidence', () => {
      // Prepare
      const s = scope({
        models: [model('model-1')],
        endpointConfigs: [endpointConfig('cfg-1', [variant('AllTraffic', { modelName: 'model-1' })])],
        endpoints: [endpoint('ep-1', 'cfg-1')],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toContain('Model model-1 (served by endpoint ep-1)');
      expect(finding?.evidence.hostedBy).toEqual([
        expect.objectContaining({
          endpointConfigName: 'cfg-1',
          variantName: 'AllTraffic',
          endpoints: ['ep-1'],
        }),
      ]);
    });
  });

  describe('compliant', () => {
    it.each([
      ['an isolated model without VPC', model('model-iso', { enableNetworkIsolation: true })],
      [
        'an isolated model in a VPC',
        model('model-iso-vpc', {
          enableNetworkIsolation: true,
          vpcConfig: { subnets: ['s'], securityGroupIds: ['g'] },
        }),
      ],
    ])('passes for %s', (_, m) => {
      expect(ids(run(rule, scope({ models: [m] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for a model whose describe failed', () => {
    const findings = run(rule, scope({ gaps: [gap('models', 'DescribeModel', 'model-x')] }));
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'NOT_EVALUATED',
        resource: expect.objectContaining({ type: 'AWS::SageMaker::Model', id: 'model-x' }),
      }),
    ]);
  });
});
