import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-processing-no-network-isolation.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { gap, processingJob } from '../../../../fixtures/sagemaker.ts';

describe('sagemaker-processing-no-network-isolation', () => {
  describe('non-compliant', () => {
    it.each([
      [
        'no NetworkConfig at all (defaults to no isolation)',
        processingJob('proc-open'),
        'without a VpcConfig',
      ],
      [
        'in a VPC without isolation',
        processingJob('proc-open', { vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] } }),
        'in subnet-a with sg-a',
      ],
    ])('fails for %s', (_, job, text) => {
      // Act
      const findings = run(rule, scope({ processingJobs: [job] }));
      // Assess
      expect(ids(findings)).toEqual(['proc-open']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        resource: { type: 'AWS::SageMaker::ProcessingJob', id: 'proc-open' },
        evidence: { enableNetworkIsolation: false },
      });
      expect(findings[0]?.message).toContain(text);
    });
  });

  describe('compliant', () => {
    it.each([
      ['an isolated job without VPC', processingJob('proc-iso', { enableNetworkIsolation: true })],
      [
        'an isolated job in a VPC, unencrypted between instances (not this rule)',
        processingJob('proc-iso-vpc', {
          enableNetworkIsolation: true,
          instanceCount: 3,
          vpcConfig: { subnets: ['s'], securityGroupIds: ['g'] },
        }),
      ],
    ])('passes for %s', (_, job) => {
      expect(ids(run(rule, scope({ processingJobs: [job] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when processing jobs could not be listed', () => {
    const s = scope({ gaps: [gap('processingJobs', 'ListProcessingJobs')] });
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
