import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-model-not-in-vpc.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { gap, model } from '../../../../fixtures/sagemaker.ts';

describe('sagemaker-model-not-in-vpc', () => {
  describe('non-compliant', () => {
    it.each([
      ['no VpcConfig, not isolated', model('model-novpc'), 'MEDIUM', 'no network isolation'],
      [
        'no VpcConfig, isolated (severity lowered: no container network)',
        model('model-novpc', { enableNetworkIsolation: true }),
        'LOW',
        'it is network-isolated',
      ],
    ])('fails for %s', (_, m, severity, text) => {
      // Act
      const findings = run(rule, scope({ models: [m] }));
      // Assess
      expect(ids(findings)).toEqual(['model-novpc']);
      expect(findings[0]).toMatchObject({
        severity,
        references: ['Config sagemaker-model-in-vpc'],
        evidence: { vpcConfig: null },
      });
      expect(findings[0]?.message).toContain('Model model-novpc');
      expect(findings[0]?.message).toContain(text);
    });
  });

  describe('compliant', () => {
    it.each([
      [
        'a model in a VPC without isolation (the isolation rule’s finding, not this one)',
        model('model-vpc', { vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] } }),
      ],
    ])('passes for %s', (_, m) => {
      expect(ids(run(rule, scope({ models: [m] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when models could not be listed', () => {
    const s = scope({ models: [model('model-novpc')], gaps: [gap('models', 'ListModels')] });
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
