import { z } from 'zod';
import { processingJobResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-processing-no-network-isolation',
    title: 'Processing job runs without network isolation',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'Without network isolation the processing container can open outbound connections (through the VPC, or SageMaker’s network when the job has no VpcConfig). A compromised dependency or untrusted script in the container can exfiltrate the data it processes or pull payloads.',
    remediation:
      'Set NetworkConfig.EnableNetworkIsolation true on the processing job (CreateProcessingJob; the SageMaker Python SDK processor’s network_config=NetworkConfig(enable_network_isolation=True)). Inputs and outputs still flow through SageMaker’s S3 channels.',
    references: [],
    docs: `Fails for each processing job in the collection window (default: created in the last 30 days, plus any InProgress) whose \`NetworkConfig.EnableNetworkIsolation\` is false, or absent (no NetworkConfig at all defaults to no isolation).

Does not fail: a job with EnableNetworkIsolation true, whatever its VpcConfig.

Cannot see: whether the job's code actually needs the network (e.g. to reach a database in the VPC); such a job cannot be isolated, and its VpcConfig placement is what the other rules audit.`,
    needs: ['processingJobs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.processingJobs
      .filter((job) => !job.enableNetworkIsolation)
      .map((job) => ({
        resource: processingJobResource(scope, job),
        message: `Processing job ${job.processingJobName} runs without network isolation ${job.vpcConfig ? `in ${job.vpcConfig.subnets.join(', ')} with ${job.vpcConfig.securityGroupIds.join(', ')}` : 'and without a VpcConfig, on SageMaker’s network'}: its container can open outbound connections.`,
        evidence: {
          enableNetworkIsolation: job.enableNetworkIsolation,
          vpcConfig: job.vpcConfig ?? null,
          instanceCount: job.instanceCount,
          status: job.status ?? null,
          creationTime: job.creationTime ?? null,
        },
      }));
  },
});
