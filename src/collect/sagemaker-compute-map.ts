/**
 * Mappers of the ML compute kinds (schema/sagemaker-compute.ts): one pure function per answer,
 * field by field. Never copied: StaticHyperParameters, HyperParameterRanges, Environment (job,
 * container, app specification), container arguments and entrypoints, lifecycle configurations
 * (HyperPod LifeCycleConfig), data, output and config locations, and Bedrock hyperparameters.
 */
import type {
  DescribeAutoMLJobV2Response,
  DescribeClusterResponse,
  DescribeCompilationJobResponse,
  DescribeDataQualityJobDefinitionResponse,
  DescribeHyperParameterTuningJobResponse,
  DescribeInferenceComponentOutput,
  DescribeModelBiasJobDefinitionResponse,
  DescribeModelExplainabilityJobDefinitionResponse,
  DescribeModelQualityJobDefinitionResponse,
  DescribeMonitoringScheduleResponse,
  DescribeTransformJobResponse,
  HyperParameterTrainingJobDefinition,
  MonitoringResources,
  NetworkConfig,
} from '@aws-sdk/client-sagemaker';
import type {
  AutoMLJob,
  CompilationJob,
  HyperParameterTuningJob,
  HyperPodCluster,
  InferenceComponent,
  MonitoringJobDefinition,
  MonitoringSchedule,
  TransformJob,
  TuningTrainingDefinition,
} from '../inventory/schema.ts';
import { compact, required } from './common.ts';
import { isoTime, toVpcConfig } from './sagemaker-map.ts';

/** StaticHyperParameters, HyperParameterRanges, channels, Environment are deliberately not kept. */
function toTuningDefinition(d: HyperParameterTrainingJobDefinition): TuningTrainingDefinition {
  const groups = d.ResourceConfig?.InstanceGroups ?? [];
  const instanceCount =
    groups.length > 0
      ? groups.reduce((sum, g) => sum + (g.InstanceCount ?? 0), 0)
      : (d.ResourceConfig?.InstanceCount ?? d.HyperParameterTuningResourceConfig?.InstanceCount ?? 1);
  return compact({
    definitionName: d.DefinitionName,
    vpcConfig: toVpcConfig(d.VpcConfig),
    enableNetworkIsolation: d.EnableNetworkIsolation ?? false,
    enableInterContainerTrafficEncryption: d.EnableInterContainerTrafficEncryption ?? false,
    instanceCount,
    imageUri: d.AlgorithmSpecification?.TrainingImage,
  });
}

export function toTuningJob(
  name: string,
  j: DescribeHyperParameterTuningJobResponse,
): HyperParameterTuningJob {
  const definitions = [
    ...(j.TrainingJobDefinition ? [j.TrainingJobDefinition] : []),
    ...(j.TrainingJobDefinitions ?? []),
  ];
  return compact({
    tuningJobName: j.HyperParameterTuningJobName ?? name,
    tuningJobArn: j.HyperParameterTuningJobArn,
    status: j.HyperParameterTuningJobStatus,
    creationTime: isoTime(j.CreationTime),
    trainingJobDefinitions: definitions.map(toTuningDefinition),
  });
}

/** Environment, inputs, outputs and data processing filters are deliberately not kept. */
export function toTransformJob(name: string, j: DescribeTransformJobResponse): TransformJob {
  return compact({
    transformJobName: j.TransformJobName ?? name,
    transformJobArn: j.TransformJobArn,
    status: j.TransformJobStatus,
    creationTime: isoTime(j.CreationTime),
    modelName: j.ModelName,
    instanceCount: j.TransformResources?.InstanceCount ?? 1,
  });
}

/** Lifecycle configurations (their scripts' location and entry point) and execution roles are not kept. */
export function toHyperPodCluster(name: string, c: DescribeClusterResponse): HyperPodCluster {
  return compact({
    clusterName: c.ClusterName ?? name,
    clusterArn: c.ClusterArn,
    status: c.ClusterStatus,
    vpcConfig: toVpcConfig(c.VpcConfig),
    instanceGroups: (c.InstanceGroups ?? []).map((g) =>
      compact({
        instanceGroupName: required(g.InstanceGroupName, 'InstanceGroups[].InstanceGroupName'),
        instanceCount: g.CurrentCount ?? g.TargetCount,
        overrideVpcConfig: toVpcConfig(g.OverrideVpcConfig),
      }),
    ),
  });
}

/** The network of a monitoring job, from its NetworkConfig and resources. */
function monitoringNetwork(
  network: NetworkConfig | undefined,
  resources: MonitoringResources | undefined,
  imageUri: string | undefined,
) {
  return compact({
    vpcConfig: toVpcConfig(network?.VpcConfig),
    enableNetworkIsolation: network?.EnableNetworkIsolation ?? false,
    enableInterContainerTrafficEncryption: network?.EnableInterContainerTrafficEncryption ?? false,
    instanceCount: resources?.ClusterConfig?.InstanceCount ?? 1,
    imageUri,
  });
}

type DefinitionAnswer =
  | DescribeDataQualityJobDefinitionResponse
  | DescribeModelQualityJobDefinitionResponse
  | DescribeModelBiasJobDefinitionResponse
  | DescribeModelExplainabilityJobDefinitionResponse;

function appSpecificationOf(d: DefinitionAnswer): { ImageUri?: string | undefined } | undefined {
  if ('DataQualityAppSpecification' in d) return d.DataQualityAppSpecification;
  if ('ModelQualityAppSpecification' in d) return d.ModelQualityAppSpecification;
  if ('ModelBiasAppSpecification' in d) return d.ModelBiasAppSpecification;
  if ('ModelExplainabilityAppSpecification' in d) return d.ModelExplainabilityAppSpecification;
  return undefined;
}

/** Environment, baselines, inputs, outputs, container arguments and config locations are not kept. */
export function toMonitoringJobDefinition(name: string, d: DefinitionAnswer): MonitoringJobDefinition {
  return compact({
    jobDefinitionName: d.JobDefinitionName ?? name,
    jobDefinitionArn: d.JobDefinitionArn,
    creationTime: isoTime(d.CreationTime),
    ...monitoringNetwork(d.NetworkConfig, d.JobResources, appSpecificationOf(d)?.ImageUri),
  });
}

/** An inline job definition keeps only its network (never its Environment, inputs or baseline). */
export function toMonitoringSchedule(
  name: string,
  s: DescribeMonitoringScheduleResponse,
): MonitoringSchedule {
  const config = s.MonitoringScheduleConfig;
  const inline = config?.MonitoringJobDefinition;
  return compact({
    monitoringScheduleName: s.MonitoringScheduleName ?? name,
    monitoringScheduleArn: s.MonitoringScheduleArn,
    status: s.MonitoringScheduleStatus,
    monitoringType: s.MonitoringType ?? config?.MonitoringType,
    endpointName: s.EndpointName,
    jobDefinitionName: config?.MonitoringJobDefinitionName,
    inlineJob: inline
      ? monitoringNetwork(
          inline.NetworkConfig,
          inline.MonitoringResources,
          inline.MonitoringAppSpecification?.ImageUri,
        )
      : undefined,
  });
}

/** Input and output locations and the framework are not kept: the placement is all a rule reads. */
export function toCompilationJob(name: string, j: DescribeCompilationJobResponse): CompilationJob {
  return compact({
    compilationJobName: j.CompilationJobName ?? name,
    compilationJobArn: j.CompilationJobArn,
    status: j.CompilationJobStatus,
    creationTime: isoTime(j.CreationTime),
    vpcConfig: toVpcConfig(j.VpcConfig),
  });
}

/** Input data, objectives and candidate definitions are not kept. */
export function toAutoMLJob(name: string, j: DescribeAutoMLJobV2Response): AutoMLJob {
  return compact({
    autoMLJobName: j.AutoMLJobName ?? name,
    autoMLJobArn: j.AutoMLJobArn,
    status: j.AutoMLJobStatus,
    creationTime: isoTime(j.CreationTime),
    vpcConfig: toVpcConfig(j.SecurityConfig?.VpcConfig),
    enableInterContainerTrafficEncryption: j.SecurityConfig?.EnableInterContainerTrafficEncryption ?? false,
  });
}

/** The container's image, environment and artifacts are not kept. */
export function toInferenceComponent(name: string, c: DescribeInferenceComponentOutput): InferenceComponent {
  const spec = c.Specification ?? c.Specifications?.[0];
  return compact({
    inferenceComponentName: c.InferenceComponentName ?? name,
    inferenceComponentArn: c.InferenceComponentArn,
    status: c.InferenceComponentStatus,
    endpointName: c.EndpointName,
    variantName: c.VariantName,
    modelName: spec?.ModelName,
  });
}
