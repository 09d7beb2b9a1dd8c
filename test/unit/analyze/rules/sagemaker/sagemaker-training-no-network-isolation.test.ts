import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-training-no-network-isolation.ts';
import type { TrainingJob } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';

const job = (
  name: string,
  enableNetworkIsolation: boolean,
  extra: Partial<TrainingJob> = {},
): TrainingJob => ({
  trainingJobName: name,
  enableNetworkIsolation,
  enableInterContainerTrafficEncryption: false,
  instanceCount: 1,
  ...extra,
});

describe('sagemaker-training-no-network-isolation', () => {
  describe('non-compliant', () => {
    it('fails for a job in a VPC without isolation, naming its subnets and groups', () => {
      // Prepare
      const s = scope({
        trainingJobs: [
          job('train-vpc', false, { vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] } }),
        ],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['train-vpc']);
      expect(findings[0]?.message).toContain('subnet-a');
      expect(findings[0]?.message).toContain('sg-a');
    });

    it('fails for a job without VpcConfig and says it runs on SageMaker’s network', () => {
      const findings = run(rule, scope({ trainingJobs: [job('train-novpc', false)] }));
      expect(findings[0]?.message).toContain('without a VpcConfig');
    });
  });

  describe('compliant', () => {
    it('passes for an isolated job, with or without a VPC', () => {
      const s = scope({
        trainingJobs: [
          job('iso-a', true),
          job('iso-b', true, { vpcConfig: { subnets: ['s'], securityGroupIds: ['g'] } }),
        ],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when training jobs could not be listed', () => {
    const s = scope({
      gaps: [
        {
          service: 'sagemaker',
          operation: 'ListTrainingJobs',
          kind: 'trainingJobs',
          errorCode: 'AccessDeniedException',
          message: 'denied',
        },
      ],
    });
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
