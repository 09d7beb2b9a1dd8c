/**
 * SageMaker mappers: one pure function per Describe* answer, building each item field by field.
 *
 * Only the fields the rules need are kept. Training-job Environment and HyperParameters, container
 * Environment, lifecycle configurations and everything else that can hold a secret are read by the
 * SDK (it returns them) but never copied into the inventory: nothing here spreads an API answer.
 */
import type {
  DescribeDomainResponse,
  DescribeEndpointConfigOutput,
  DescribeEndpointOutput,
  DescribeModelOutput,
  DescribeNotebookInstanceOutput,
  DescribeProcessingJobResponse,
  DescribeSpaceResponse,
  DescribeUserProfileResponse,
  TrainingJob as SdkTrainingJob,
  VpcConfig as SdkVpcConfig,
} from '@aws-sdk/client-sagemaker';
import type {
  EndpointConfig,
  Model,
  NotebookInstance,
  ProcessingJob,
  SageMakerDomain,
  SageMakerEndpoint,
  SageMakerSpace,
  SageMakerUserProfile,
  TrainingJob,
  VpcConfig,
} from '../inventory/schema.ts';
import { compact, hashTags, keep, required } from './common.ts';

/** A resource listed under a Studio domain (a user profile, a space). */
export interface InDomain {
  domainId: string;
  name: string;
}

/** An empty VpcConfig (no subnets, no groups; moto's DescribeModel answers so) means none. */
export function toVpcConfig(config: SdkVpcConfig | undefined): VpcConfig | undefined {
  const subnets = config?.Subnets ?? [];
  const securityGroupIds = config?.SecurityGroupIds ?? [];
  if (subnets.length === 0 && securityGroupIds.length === 0) return undefined;
  return { subnets: [...subnets], securityGroupIds: [...securityGroupIds] };
}

export function isoTime(value: Date | undefined): string | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : undefined;
}

export function toDomain(domainId: string, d: DescribeDomainResponse): SageMakerDomain {
  return compact({
    domainId: d.DomainId ?? domainId,
    domainArn: d.DomainArn,
    domainName: d.DomainName,
    status: d.Status,
    appNetworkAccessType: d.AppNetworkAccessType,
    vpcId: d.VpcId,
    subnetIds: [...(d.SubnetIds ?? [])],
    defaultUserSecurityGroups: [...(d.DefaultUserSettings?.SecurityGroups ?? [])],
    defaultSpaceSecurityGroups: [...(d.DefaultSpaceSettings?.SecurityGroups ?? [])],
    securityGroupIdForDomainBoundary: d.SecurityGroupIdForDomainBoundary,
  });
}

export function toUserProfile(ref: InDomain, p: DescribeUserProfileResponse): SageMakerUserProfile {
  const groups = p.UserSettings?.SecurityGroups;
  return compact({
    domainId: p.DomainId ?? ref.domainId,
    userProfileName: p.UserProfileName ?? ref.name,
    userProfileArn: p.UserProfileArn,
    securityGroups: groups && groups.length > 0 ? [...groups] : undefined,
  });
}

/**
 * Spaces: the SDK's SpaceSettings carries no security groups (a space runs with its domain's
 * DefaultSpaceSettings groups), so `securityGroups` is always absent here.
 */
export function toSpace(ref: InDomain, s: DescribeSpaceResponse): SageMakerSpace {
  return compact({
    domainId: s.DomainId ?? ref.domainId,
    spaceName: s.SpaceName ?? ref.name,
    spaceArn: s.SpaceArn,
  });
}

/** Lifecycle configuration names (and so their scripts) are deliberately not kept. */
export function toNotebook(name: string, n: DescribeNotebookInstanceOutput): NotebookInstance {
  return compact({
    notebookInstanceName: n.NotebookInstanceName ?? name,
    notebookInstanceArn: n.NotebookInstanceArn,
    status: n.NotebookInstanceStatus,
    instanceType: n.InstanceType,
    directInternetAccess: n.DirectInternetAccess,
    subnetId: n.SubnetId,
    securityGroups: [...(n.SecurityGroups ?? [])],
    rootAccess: n.RootAccess,
    kmsKeyId: n.KmsKeyId,
    networkInterfaceId: n.NetworkInterfaceId,
  });
}

export function toEndpoint(name: string, e: DescribeEndpointOutput): SageMakerEndpoint {
  return compact({
    endpointName: e.EndpointName ?? name,
    endpointArn: e.EndpointArn,
    endpointConfigName: e.EndpointConfigName,
    status: e.EndpointStatus,
  });
}

export function toEndpointConfig(name: string, c: DescribeEndpointConfigOutput): EndpointConfig {
  return compact({
    endpointConfigName: c.EndpointConfigName ?? name,
    endpointConfigArn: c.EndpointConfigArn,
    kmsKeyId: c.KmsKeyId,
    vpcConfig: toVpcConfig(c.VpcConfig),
    enableNetworkIsolation: c.EnableNetworkIsolation,
    productionVariants: (c.ProductionVariants ?? []).map((v) =>
      compact({
        variantName: required(v.VariantName, 'ProductionVariants[].VariantName'),
        modelName: v.ModelName,
        initialInstanceCount: v.InitialInstanceCount,
        instanceType: v.InstanceType,
        serverless: v.ServerlessConfig !== undefined,
      }),
    ),
  });
}

/** Container Environment, model data locations and the execution role are deliberately not kept. */
export function toModel(name: string, m: DescribeModelOutput): Model {
  const images = [m.PrimaryContainer?.Image, ...(m.Containers ?? []).map((c) => c.Image)];
  return compact({
    modelName: m.ModelName ?? name,
    modelArn: m.ModelArn,
    vpcConfig: toVpcConfig(m.VpcConfig),
    enableNetworkIsolation: m.EnableNetworkIsolation ?? false,
    imageUris: [...new Set(keep(images))],
  });
}

/**
 * The fields of a training job the inventory keeps, as DescribeTrainingJob and a Search record
 * (`SearchRecord.TrainingJob`) both give them: one mapper for both paths.
 */
type TrainingJobFields = Pick<
  SdkTrainingJob,
  | 'TrainingJobName'
  | 'TrainingJobArn'
  | 'TrainingJobStatus'
  | 'CreationTime'
  | 'VpcConfig'
  | 'EnableNetworkIsolation'
  | 'EnableInterContainerTrafficEncryption'
  | 'ResourceConfig'
  | 'AlgorithmSpecification'
>;

/** Environment, HyperParameters, data channels and every other field are deliberately not kept. */
export function toTrainingJob(name: string, j: TrainingJobFields): TrainingJob {
  const resources = j.ResourceConfig;
  const groups = resources?.InstanceGroups ?? [];
  const instanceCount =
    groups.length > 0
      ? groups.reduce((sum, g) => sum + (g.InstanceCount ?? 0), 0)
      : (resources?.InstanceCount ?? resources?.SelectedInstanceCount ?? 1);
  return compact({
    trainingJobName: j.TrainingJobName ?? name,
    trainingJobArn: j.TrainingJobArn,
    status: j.TrainingJobStatus,
    creationTime: isoTime(j.CreationTime),
    vpcConfig: toVpcConfig(j.VpcConfig),
    enableNetworkIsolation: j.EnableNetworkIsolation ?? false,
    enableInterContainerTrafficEncryption: j.EnableInterContainerTrafficEncryption ?? false,
    instanceCount,
    imageUri: j.AlgorithmSpecification?.TrainingImage,
  });
}

/**
 * A training job from one `Search` record, its tags included (the record carries them: no ListTags).
 * The record also carries Environment, HyperParameters, the role, the data channels and the metrics:
 * none of it is copied, and the record itself is dropped with its page.
 */
export function fromTrainingJobRecord(j: SdkTrainingJob): TrainingJob {
  return {
    ...toTrainingJob(required(j.TrainingJobName, 'TrainingJob.TrainingJobName'), j),
    tags: hashTags(j.Tags),
  };
}

/** Environment, inputs, outputs and the container arguments are deliberately not kept. */
export function toProcessingJob(name: string, j: DescribeProcessingJobResponse): ProcessingJob {
  const cluster = j.ProcessingResources?.ClusterConfig;
  return compact({
    processingJobName: j.ProcessingJobName ?? name,
    processingJobArn: j.ProcessingJobArn,
    status: j.ProcessingJobStatus,
    creationTime: isoTime(j.CreationTime),
    vpcConfig: toVpcConfig(j.NetworkConfig?.VpcConfig),
    enableNetworkIsolation: j.NetworkConfig?.EnableNetworkIsolation ?? false,
    enableInterContainerTrafficEncryption: j.NetworkConfig?.EnableInterContainerTrafficEncryption ?? false,
    instanceCount: cluster?.InstanceCount ?? cluster?.SelectedInstanceCount ?? 1,
    imageUri: j.AppSpecification?.ImageUri,
  });
}
