import { z } from 'zod';
import { MONITORING_KINDS, monitoringJobs } from '../../aws/sagemaker-monitoring.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-monitoring-no-network-isolation',
    title: 'Model Monitor job runs without network isolation',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'A Model Monitor job reads the captured requests and responses of a production endpoint (often personal data) and runs on a schedule, unattended. Without network isolation its container can open outbound connections, through the VPC or SageMaker’s network.',
    remediation:
      'Recreate the job definition (or schedule) with NetworkConfig.EnableNetworkIsolation true (CreateDataQualityJobDefinition, CreateModelQualityJobDefinition, CreateModelBiasJobDefinition, CreateModelExplainabilityJobDefinition, or CreateMonitoringSchedule’s inline MonitoringJobDefinition); the built-in analyzers need no network.',
    references: [
      'AWS Config SAGEMAKER_DATA_QUALITY_JOB_ISOLATION',
      'AWS Config SAGEMAKER_MODEL_QUALITY_JOB_DEFINITION_ISOLATION',
      'AWS Config SAGEMAKER_MODEL_BIAS_JOB_ISOLATION',
      'AWS Config SAGEMAKER_MODEL_EXPLAINABILITY_JOB_NETWORK_ISOLATION',
      'AWS Config SAGEMAKER_MONITORING_SCHEDULE_ISOLATION',
    ],
    docs: `Fails for each data-quality, model-quality, model-bias and model-explainability job definition, and each monitoring schedule with an inline \`MonitoringJobDefinition\`, whose \`NetworkConfig.EnableNetworkIsolation\` is false or absent (no NetworkConfig means no isolation). A schedule that runs a job definition by name is judged through that definition.

AWS: "EnableNetworkIsolation: Whether to allow inbound and outbound network calls to and from the containers used for the processing job" (AWS::SageMaker::DataQualityJobDefinition NetworkConfig; the same NetworkConfig on the other three kinds and on MonitoringJobDefinition).

Does not fail: a definition with EnableNetworkIsolation true, whatever its VpcConfig.

Not evaluated: when one of the five kinds could not be listed, the others are still judged and a NOT_EVALUATED names what was not read.`,
    needs: [...MONITORING_KINDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return monitoringJobs(scope)
      .filter((j) => !j.enableNetworkIsolation)
      .map((j) => ({
        resource: j.resource,
        message: `Model Monitor ${j.label} runs without network isolation ${j.vpcConfig ? `in ${j.vpcConfig.subnets.join(', ')} with ${j.vpcConfig.securityGroupIds.join(', ')}` : 'and without a VpcConfig, on SageMaker’s network'}: its container can open outbound connections.`,
        evidence: {
          enableNetworkIsolation: j.enableNetworkIsolation,
          vpcConfig: j.vpcConfig ?? null,
          instanceCount: j.instanceCount,
        },
      }));
  },
});
