import { z } from 'zod';
import { resourceOf } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-tuning-no-network-isolation',
    title: 'Hyperparameter tuning job starts training jobs without network isolation',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'A tuning job starts tens or hundreds of training jobs from its training job definition, each with the definition’s network. Without network isolation every trial’s container can open outbound connections (through the VPC, or SageMaker’s network without a VpcConfig): one compromised dependency runs in every trial.',
    remediation:
      'Set EnableNetworkIsolation true in the tuning job’s training job definition(s) (CreateHyperParameterTuningJob TrainingJobDefinition / TrainingJobDefinitions; the SageMaker Python SDK estimator’s enable_network_isolation=True before HyperparameterTuner.fit).',
    references: ['AWS Config SAGEMAKER_TRAINING_JOB_NETWORK_ISOLATION_ENABLED (the training jobs it starts)'],
    docs: `Fails once per training job definition (TrainingJobDefinition, or each of TrainingJobDefinitions) of each hyperparameter tuning job in the collection window (default: created in the last 30 days, plus any InProgress) whose \`EnableNetworkIsolation\` is false or absent. The training jobs the tuning job started carry the same setting and are judged by sagemaker-training-no-network-isolation when they are in the window.

AWS: the tuning job starts each training job with its definition's VpcConfig, EnableNetworkIsolation and EnableInterContainerTrafficEncryption (DescribeHyperParameterTuningJob, HyperParameterTrainingJobDefinition).

Does not fail: a definition with EnableNetworkIsolation true, whatever its VpcConfig.`,
    needs: ['hyperParameterTuningJobs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.hyperParameterTuningJobs.flatMap((job) =>
      job.trainingJobDefinitions
        .filter((d) => !d.enableNetworkIsolation)
        .map((d) => ({
          resource: resourceOf(scope, 'hyperParameterTuningJobs', job),
          ...(d.definitionName ? { key: d.definitionName } : {}),
          message: `Hyperparameter tuning job ${job.tuningJobName}${d.definitionName ? ` (definition ${d.definitionName})` : ''} starts training jobs without network isolation ${d.vpcConfig ? `in ${d.vpcConfig.subnets.join(', ')} with ${d.vpcConfig.securityGroupIds.join(', ')}` : 'and without a VpcConfig, on SageMaker’s network'}: every trial’s container can open outbound connections.`,
          evidence: {
            definitionName: d.definitionName ?? null,
            enableNetworkIsolation: d.enableNetworkIsolation,
            vpcConfig: d.vpcConfig ?? null,
            instanceCount: d.instanceCount,
            status: job.status ?? null,
            creationTime: job.creationTime ?? null,
          },
        })),
    );
  },
});
