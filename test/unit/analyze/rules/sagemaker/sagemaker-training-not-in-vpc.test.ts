import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-training-not-in-vpc.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { gap, trainingJob } from '../../../../fixtures/sagemaker.ts';

const VPC = { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] };

describe('sagemaker-training-not-in-vpc', () => {
  describe('non-compliant', () => {
    it.each([
      [
        'no VpcConfig, not isolated',
        trainingJob('train-open', { instanceCount: 2 }),
        'HIGH',
        'no network isolation',
      ],
      [
        'no VpcConfig, isolated (severity lowered: the container has no network)',
        trainingJob('train-open', { enableNetworkIsolation: true }),
        'MEDIUM',
        'it is network-isolated',
      ],
    ])('fails for %s', (_, job, severity, text) => {
      // Act
      const findings = run(rule, scope({ trainingJobs: [job] }));
      // Assess
      expect(ids(findings)).toEqual(['train-open']);
      expect(findings[0]).toMatchObject({
        severity,
        resource: { type: 'AWS::SageMaker::TrainingJob', id: 'train-open' },
        evidence: { vpcConfig: null },
      });
      expect(findings[0]?.message).toContain('Training job train-open');
      expect(findings[0]?.message).toContain(text);
    });
  });

  describe('compliant', () => {
    it.each([
      ['a job in a VPC, not isolated', trainingJob('train-vpc', { vpcConfig: VPC })],
      [
        'a job in a VPC, isolated',
        trainingJob('train-vpc-iso', { vpcConfig: VPC, enableNetworkIsolation: true }),
      ],
    ])('passes for %s', (_, job) => {
      expect(ids(run(rule, scope({ trainingJobs: [job] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when training jobs could not be listed', () => {
    const s = scope({
      trainingJobs: [trainingJob('train-open')],
      gaps: [gap('trainingJobs', 'ListTrainingJobs')],
    });
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
