import { z } from 'zod';
import { trainingJobResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-training-no-network-isolation',
    title: 'Training job runs without network isolation',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'Without network isolation, the training container can open outbound connections (through the VPC, or SageMaker’s network when the job has no VpcConfig). Untrusted training code or a compromised dependency can exfiltrate data or pull payloads.',
    remediation:
      'Set EnableNetworkIsolation true on the training job (CreateTrainingJob, or the estimator’s enable_network_isolation=True). Data still flows through SageMaker’s channels; the container itself gets no network.',
    references: [],
    docs: `Fails for each training job in the collection window (default: created in the last 30 days, plus any InProgress) whose \`EnableNetworkIsolation\` is false or absent.

Does not fail: a job with EnableNetworkIsolation true, whatever its VpcConfig.`,
    needs: ['trainingJobs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.trainingJobs
      .filter((job) => !job.enableNetworkIsolation)
      .map((job) => ({
        resource: trainingJobResource(scope, job),
        message: `Training job ${job.trainingJobName} runs without network isolation ${job.vpcConfig ? `in ${job.vpcConfig.subnets.join(', ')} with ${job.vpcConfig.securityGroupIds.join(', ')}` : 'and without a VpcConfig, on SageMaker’s network'}: its container can open outbound connections.`,
        evidence: {
          enableNetworkIsolation: job.enableNetworkIsolation,
          vpcConfig: job.vpcConfig ?? null,
          status: job.status ?? null,
          creationTime: job.creationTime ?? null,
          instanceCount: job.instanceCount,
        },
      }));
  },
});
