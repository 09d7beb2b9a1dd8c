import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-training-no-intercontainer-encryption.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { gap, trainingJob } from '../../../../fixtures/sagemaker.ts';

describe('sagemaker-training-no-intercontainer-encryption', () => {
  describe('non-compliant', () => {
    it.each([
      ['2 instances, no VPC', trainingJob('train-dist', { instanceCount: 2 }), 'on SageMaker’s network'],
      [
        '8 instances in a VPC (heterogeneous groups summed by the collector)',
        trainingJob('train-dist', {
          instanceCount: 8,
          vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] },
        }),
        'in subnet-a',
      ],
    ])('fails for %s', (_, job, where) => {
      // Act
      const findings = run(rule, scope({ trainingJobs: [job] }));
      // Assess
      expect(ids(findings)).toEqual(['train-dist']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        evidence: { enableInterContainerTrafficEncryption: false, instanceCount: job.instanceCount },
      });
      expect(findings[0]?.message).toContain(`runs on ${job.instanceCount} instances`);
      expect(findings[0]?.message).toContain(where);
    });
  });

  describe('compliant', () => {
    it.each([
      [
        'a single-instance job without encryption (no inter-container traffic; peers flag it)',
        trainingJob('train-single', { instanceCount: 1 }),
      ],
      [
        'a multi-instance job with encryption',
        trainingJob('train-enc', { instanceCount: 4, enableInterContainerTrafficEncryption: true }),
      ],
      [
        'a single-instance isolated job without encryption',
        trainingJob('train-single-iso', { enableNetworkIsolation: true }),
      ],
    ])('passes for %s', (_, job) => {
      expect(ids(run(rule, scope({ trainingJobs: [job] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for a job whose describe failed', () => {
    const findings = run(rule, scope({ gaps: [gap('trainingJobs', 'DescribeTrainingJob', 'train-x')] }));
    expect(findings).toEqual([
      expect.objectContaining({
        status: 'NOT_EVALUATED',
        resource: expect.objectContaining({ type: 'AWS::SageMaker::TrainingJob', id: 'train-x' }),
      }),
    ]);
  });
});
