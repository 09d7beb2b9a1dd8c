import { z } from 'zod';
import { trainingJobResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-training-not-in-vpc',
    title: 'Training job runs outside a VPC',
    severity: 'HIGH',
    category: 'sagemaker',
    rationale:
      'A training job without a VpcConfig runs on SageMaker’s network: its containers reach the internet directly, and your security groups, VPC endpoint policies, S3 bucket policies keyed on aws:SourceVpce and Network Firewall never see its traffic.',
    remediation:
      'Start the job with VpcConfig (CreateTrainingJob VpcConfig.Subnets and VpcConfig.SecurityGroupIds; the SageMaker Python SDK estimator’s subnets= and security_group_ids=) in private subnets with S3 and SageMaker VPC endpoints, and set EnableNetworkIsolation when the algorithm needs no network.',
    references: [],
    docs: `Fails for each training job in the collection window (default: created in the last 30 days, plus any InProgress) that has no \`VpcConfig\` (absent, or with no subnets and no groups).

Severity is lowered to MEDIUM when the job also has \`EnableNetworkIsolation\` true: its container then has no network at all, and only SageMaker's own data channels (S3 input and output, outside your VPC endpoints' policies) use SageMaker's network.

Does not fail: a job with a VpcConfig, whatever its subnets' routes (see subnet-ml-public and the reachability rules).`,
    needs: ['trainingJobs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.trainingJobs
      .filter((job) => !job.vpcConfig)
      .map((job) => ({
        resource: trainingJobResource(scope, job),
        ...(job.enableNetworkIsolation ? { severity: 'MEDIUM' as const } : {}),
        message: job.enableNetworkIsolation
          ? `Training job ${job.trainingJobName} (${job.instanceCount} instance${job.instanceCount === 1 ? '' : 's'}) has no VpcConfig: it is network-isolated, but its S3 data channels use SageMaker’s network rather than your VPC endpoints.`
          : `Training job ${job.trainingJobName} (${job.instanceCount} instance${job.instanceCount === 1 ? '' : 's'}) has no VpcConfig and no network isolation: its containers reach the internet through SageMaker’s network, outside your security groups and VPC endpoints.`,
        evidence: {
          vpcConfig: null,
          enableNetworkIsolation: job.enableNetworkIsolation,
          instanceCount: job.instanceCount,
          status: job.status ?? null,
          creationTime: job.creationTime ?? null,
          ...(job.enableNetworkIsolation
            ? { severityReason: 'EnableNetworkIsolation is true: the container itself has no network.' }
            : {}),
        },
      }));
  },
});
