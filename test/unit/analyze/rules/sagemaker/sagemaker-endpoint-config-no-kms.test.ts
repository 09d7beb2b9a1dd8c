import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-endpoint-config-no-kms.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { endpoint, endpointConfig, gap, variant } from '../../../../fixtures/sagemaker.ts';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('sagemaker-endpoint-config-no-kms', () => {
  describe('non-compliant', () => {
    it.each([
      ['an instance variant without KmsKeyId', [variant('AllTraffic')]],
      [
        'a serverless variant without KmsKeyId',
        [variant('S', { serverless: true, instanceType: undefined })],
      ],
    ])('fails for %s', (_, variants) => {
      // Prepare
      const s = scope({
        endpointConfigs: [endpointConfig('cfg-1', variants)],
        endpoints: [endpoint('ep-1', 'cfg-1')],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['cfg-1']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['Config sagemaker-endpoint-configuration-kms-key-configured'],
        resource: { type: 'AWS::SageMaker::EndpointConfig', id: 'cfg-1' },
        evidence: { kmsKeyId: null, endpoints: ['ep-1'] },
      });
      expect(findings[0]?.message).toContain('Endpoint config cfg-1 (used by endpoint ep-1) has no KmsKeyId');
    });

    it('lowers the severity to INFO when a variant uses an instance type with local storage (KmsKeyId is rejected)', () => {
      // Prepare
      const s = scope({
        endpointConfigs: [endpointConfig('cfg-gpu', [variant('gpu', { instanceType: 'ml.g5.xlarge' })])],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding).toMatchObject({ status: 'FAIL', severity: 'INFO' });
      expect(finding?.message).toContain('gpu runs on ml.g5.xlarge with local NVMe storage');
      expect(finding?.evidence.severityReason).toContain('cannot be set');
    });

    it('keeps MEDIUM for that instance type when the option no longer lists its family', () => {
      const s = scope({
        endpointConfigs: [endpointConfig('cfg-gpu', [variant('gpu', { instanceType: 'ml.g5.xlarge' })])],
      });
      const [finding] = run(rule, s, { localStorageInstanceFamilies: ['m5d'] });
      expect(finding?.severity).toBe('MEDIUM');
    });
  });

  describe('compliant', () => {
    it.each([
      ['a config with a KMS key ARN', endpointConfig('cfg-kms', [variant('A')], { kmsKeyId: KEY })],
      ['a config with a key alias', endpointConfig('cfg-alias', [variant('A')], { kmsKeyId: 'alias/sm' })],
      [
        'a multi-instance config with a key (the single-instance rule’s look-alike)',
        endpointConfig('cfg-ha', [variant('A', { initialInstanceCount: 2 })], { kmsKeyId: KEY }),
      ],
    ])('passes for %s', (_, config) => {
      expect(ids(run(rule, scope({ endpointConfigs: [config] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the config of an endpoint that could not be described', () => {
    const findings = run(rule, scope({ gaps: [gap('endpointConfigs', 'DescribeEndpointConfig', 'cfg-x')] }));
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'NOT_EVALUATED',
        resource: expect.objectContaining({ id: 'cfg-x' }),
      }),
    ]);
  });

  it('rejects unknown options', () => {
    expect(() => rule.meta.options?.parse({ kmsKeyArns: [] })).toThrow();
  });
});
