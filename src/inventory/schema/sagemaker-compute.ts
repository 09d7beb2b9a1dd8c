/**
 * The schemas of the ML compute kinds placed in a network beyond notebooks, Studio, training and
 * processing jobs, models and endpoints: hyperparameter tuning jobs, batch transform jobs, HyperPod
 * clusters, Model Monitor job definitions and schedules, compilation jobs, AutoML jobs, inference
 * components, and Amazon Bedrock model customization jobs.
 *
 * Strict like every kind: only the network fields rules read. Never HyperParameters /
 * StaticHyperParameters, Environment, lifecycle scripts, container arguments or data locations.
 */
import { z } from 'zod';
import { isoTimestamp, optStr, str, tags } from './fields.ts';
import { VpcConfigSchema } from './sagemaker.ts';

/** What a container's network is: the VpcConfig, isolation and inter-container encryption it runs with. */
const containerNetwork = {
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean(),
  enableInterContainerTrafficEncryption: z.boolean(),
  /** Instances the job runs on (instance groups summed); 1 when the API did not say. */
  instanceCount: z.number().int(),
  imageUri: optStr,
};

/** One training job definition of a tuning job: every training job it starts runs with this network. */
export const TuningTrainingDefinitionSchema = z.strictObject({
  /** Set for tuning jobs with several definitions (TrainingJobDefinitions[].DefinitionName). */
  definitionName: optStr,
  ...containerNetwork,
});

export const HyperParameterTuningJobSchema = z.strictObject({
  tuningJobName: str,
  tuningJobArn: optStr,
  status: optStr,
  creationTime: isoTimestamp.optional(),
  trainingJobDefinitions: z.array(TuningTrainingDefinitionSchema),
  tags,
});

/** A batch transform job runs its model's containers with the model's VpcConfig and isolation. */
export const TransformJobSchema = z.strictObject({
  transformJobName: str,
  transformJobArn: optStr,
  status: optStr,
  creationTime: isoTimestamp.optional(),
  modelName: optStr,
  instanceCount: z.number().int(),
  tags,
});

export const HyperPodInstanceGroupSchema = z.strictObject({
  instanceGroupName: str,
  /** CurrentCount, else TargetCount. */
  instanceCount: z.number().int().optional(),
  /** OverrideVpcConfig: this group's own subnets and groups instead of the cluster's. */
  overrideVpcConfig: VpcConfigSchema.optional(),
});

export const HyperPodClusterSchema = z.strictObject({
  clusterName: str,
  clusterArn: optStr,
  status: optStr,
  vpcConfig: VpcConfigSchema.optional(),
  instanceGroups: z.array(HyperPodInstanceGroupSchema),
  tags,
});

/** A data-quality, model-quality, model-bias or model-explainability job definition. */
export const MonitoringJobDefinitionSchema = z.strictObject({
  jobDefinitionName: str,
  jobDefinitionArn: optStr,
  creationTime: isoTimestamp.optional(),
  ...containerNetwork,
  tags,
});

export const MonitoringScheduleSchema = z.strictObject({
  monitoringScheduleName: str,
  monitoringScheduleArn: optStr,
  status: optStr,
  /** DataQuality | ModelQuality | ModelBias | ModelExplainability. */
  monitoringType: optStr,
  endpointName: optStr,
  /** The job definition it runs, by name (MonitoringJobDefinitionName). */
  jobDefinitionName: optStr,
  /** The job definition it carries inline (MonitoringJobDefinition), network only. */
  inlineJob: z.strictObject(containerNetwork).optional(),
  tags,
});

export const CompilationJobSchema = z.strictObject({
  compilationJobName: str,
  compilationJobArn: optStr,
  status: optStr,
  creationTime: isoTimestamp.optional(),
  vpcConfig: VpcConfigSchema.optional(),
  tags,
});

export const AutoMLJobSchema = z.strictObject({
  autoMLJobName: str,
  autoMLJobArn: optStr,
  status: optStr,
  creationTime: isoTimestamp.optional(),
  /** SecurityConfig.VpcConfig: the candidates' training and processing jobs run there. */
  vpcConfig: VpcConfigSchema.optional(),
  enableInterContainerTrafficEncryption: z.boolean(),
  tags,
});

export const InferenceComponentSchema = z.strictObject({
  inferenceComponentName: str,
  inferenceComponentArn: optStr,
  status: optStr,
  endpointName: optStr,
  variantName: optStr,
  modelName: optStr,
  tags,
});

export const BedrockCustomizationJobSchema = z.strictObject({
  jobName: str,
  jobArn: str,
  status: optStr,
  creationTime: isoTimestamp.optional(),
  /** FINE_TUNING | CONTINUED_PRE_TRAINING | DISTILLATION | ... */
  customizationType: optStr,
  baseModelArn: optStr,
  /** vpcConfig (subnetIds, securityGroupIds), kept in the shape every other kind's VpcConfig has. */
  vpcConfig: VpcConfigSchema.optional(),
  tags,
});
