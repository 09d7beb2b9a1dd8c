import { z } from 'zod';
import { MONITORING_KINDS, monitoringJobs } from '../../aws/sagemaker-monitoring.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-monitoring-no-intercontainer-encryption',
    title: 'Distributed Model Monitor job does not encrypt traffic between its instances',
    severity: 'LOW',
    category: 'sagemaker',
    rationale:
      'A Model Monitor job on more than one instance exchanges the endpoint’s captured data between them. Without inter-container traffic encryption that exchange crosses the network in clear text.',
    remediation:
      'Recreate the job definition (or schedule) with NetworkConfig.EnableInterContainerTrafficEncryption true; in a VPC, let the job’s groups allow UDP 500 and IP protocol 50 (ESP) between its instances.',
    references: [
      'AWS Config SAGEMAKER_DATA_QUALITY_JOB_ENCRYPT_IN_TRANSIT',
      'AWS Config SAGEMAKER_MODEL_QUALITY_JOB_ENCRYPT_IN_TRANSIT',
      'AWS Config SAGEMAKER_MODEL_BIAS_JOB_INTERCONTAINER_ENCRYPTION_ENABLED',
      'AWS Config SAGEMAKER_MODEL_EXPLAINABILITY_JOB_ENCRYPT_IN_TRANSIT',
    ],
    docs: `Fails for each Model Monitor job definition (the four kinds) and each monitoring schedule with an inline job definition whose \`NetworkConfig.EnableInterContainerTrafficEncryption\` is false or absent **and** whose \`ClusterConfig.InstanceCount\` is more than 1.

AWS: "EnableInterContainerTrafficEncryption: Whether to encrypt all communications between distributed processing jobs" (AWS::SageMaker::DataQualityJobDefinition NetworkConfig).

Does not fail: a single-instance job (no inter-container traffic; AWS Config's rules flag it anyway), or one with encryption enabled.`,
    needs: [...MONITORING_KINDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return monitoringJobs(scope)
      .filter((j) => !j.enableInterContainerTrafficEncryption && j.instanceCount > 1)
      .map((j) => ({
        resource: j.resource,
        message: `Model Monitor ${j.label} runs on ${j.instanceCount} instances with EnableInterContainerTrafficEncryption false: traffic between them is not encrypted.`,
        evidence: {
          enableInterContainerTrafficEncryption: j.enableInterContainerTrafficEncryption,
          instanceCount: j.instanceCount,
          vpcConfig: j.vpcConfig ?? null,
        },
      }));
  },
});
