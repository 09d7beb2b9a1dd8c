import { z } from 'zod';
import { trainingJobResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-training-no-intercontainer-encryption',
    title: 'Distributed training job does not encrypt traffic between its instances',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'A distributed training job exchanges gradients, parameters and training data between its instances. Without inter-container traffic encryption that traffic crosses the network in clear text, readable by anything that can capture it in the subnet or on the path.',
    remediation:
      'Set EnableInterContainerTrafficEncryption true (CreateTrainingJob; the SageMaker Python SDK estimator’s encrypt_inter_container_traffic=True). In a VPC, the job’s security groups must also allow UDP 500 and IP protocol 50 (ESP) between its instances, or the job fails to start.',
    references: [],
    docs: `Fails for each training job in the collection window whose \`EnableInterContainerTrafficEncryption\` is false (or absent) **and** that runs on more than one instance (\`ResourceConfig.InstanceCount\`, or the sum of \`InstanceGroups[].InstanceCount\` for heterogeneous clusters).

Does not fail: a single-instance job (it has no inter-container traffic; peers flag it anyway), or a job with encryption enabled. A job whose instance count the API did not report is taken as one instance.

Cannot see: whether the algorithm actually exchanges data between hosts (data-parallel jobs with sharded input may exchange little), or whether the security groups allow the IPsec traffic encryption needs.`,
    needs: ['trainingJobs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.trainingJobs
      .filter((job) => !job.enableInterContainerTrafficEncryption && job.instanceCount > 1)
      .map((job) => ({
        resource: trainingJobResource(scope, job),
        message: `Training job ${job.trainingJobName} runs on ${job.instanceCount} instances with EnableInterContainerTrafficEncryption false: traffic between its instances ${job.vpcConfig ? `in ${job.vpcConfig.subnets.join(', ')}` : 'on SageMaker’s network'} is not encrypted.`,
        evidence: {
          enableInterContainerTrafficEncryption: job.enableInterContainerTrafficEncryption,
          instanceCount: job.instanceCount,
          vpcConfig: job.vpcConfig ?? null,
          status: job.status ?? null,
          creationTime: job.creationTime ?? null,
        },
      }));
  },
});
