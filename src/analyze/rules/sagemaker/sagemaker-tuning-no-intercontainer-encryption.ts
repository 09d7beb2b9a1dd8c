import { z } from 'zod';
import { resourceOf } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-tuning-no-intercontainer-encryption',
    title: 'Hyperparameter tuning job starts distributed training jobs without inter-container encryption',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'Each distributed trial of a tuning job exchanges gradients, parameters and training data between its instances. Without inter-container traffic encryption that traffic crosses the network in clear text, in every trial the tuning job starts.',
    remediation:
      'Set EnableInterContainerTrafficEncryption true in the training job definition(s) (CreateHyperParameterTuningJob; the estimator’s encrypt_inter_container_traffic=True). In a VPC, the groups must also allow UDP 500 and IP protocol 50 (ESP) between the instances.',
    references: [
      'AWS Config SAGEMAKER_TRAINING_JOB_ENCRYPTED_INTERCONTAINER_TRAFFIC (the training jobs it starts)',
    ],
    docs: `Fails once per training job definition of each hyperparameter tuning job in the collection window whose \`EnableInterContainerTrafficEncryption\` is false (or absent) **and** whose trials run on more than one instance (\`ResourceConfig.InstanceCount\`, the sum of its instance groups, or \`HyperParameterTuningResourceConfig.InstanceCount\`).

Does not fail: single-instance trials (no inter-container traffic); a definition with encryption enabled. A definition whose instance count the API did not report is taken as one instance.`,
    needs: ['hyperParameterTuningJobs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.hyperParameterTuningJobs.flatMap((job) =>
      job.trainingJobDefinitions
        .filter((d) => !d.enableInterContainerTrafficEncryption && d.instanceCount > 1)
        .map((d) => ({
          resource: resourceOf(scope, 'hyperParameterTuningJobs', job),
          ...(d.definitionName ? { key: d.definitionName } : {}),
          message: `Hyperparameter tuning job ${job.tuningJobName}${d.definitionName ? ` (definition ${d.definitionName})` : ''} runs each trial on ${d.instanceCount} instances with EnableInterContainerTrafficEncryption false: traffic between them ${d.vpcConfig ? `in ${d.vpcConfig.subnets.join(', ')}` : 'on SageMaker’s network'} is not encrypted.`,
          evidence: {
            definitionName: d.definitionName ?? null,
            enableInterContainerTrafficEncryption: d.enableInterContainerTrafficEncryption,
            instanceCount: d.instanceCount,
            vpcConfig: d.vpcConfig ?? null,
            status: job.status ?? null,
          },
        })),
    );
  },
});
