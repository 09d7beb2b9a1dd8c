/**
 * The placements of the ML compute kinds beyond notebooks, Studio, training and processing jobs and
 * models (inventory/schema/sagemaker-compute.ts), and of the endpoints whose network is their own.
 * Pure; ml-placements.ts gives each its lazily worked-out VPC. What AWS does, kind by kind:
 *
 * - A hyperparameter tuning job starts training jobs with its training job definition(s): each
 *   definition's VpcConfig, EnableNetworkIsolation and EnableInterContainerTrafficEncryption
 *   (DescribeHyperParameterTuningJob TrainingJobDefinition / TrainingJobDefinitions).
 * - A batch transform job runs its model's containers: "VpcConfig is used in hosting services and in
 *   batch transform" (CreateModel), and the model's EnableNetworkIsolation applies. A job whose model
 *   is not in the inventory is not placed: its collector recorded a gap naming it.
 * - A HyperPod cluster's instances sit in the cluster's VpcConfig, except instance groups with an
 *   OverrideVpcConfig ("overrides the default VPC configuration of the SageMaker HyperPod cluster"),
 *   which are placements of their own. Without a VpcConfig, the instances are on SageMaker's network.
 * - Model Monitor job definitions (data quality, model quality, bias, explainability) and monitoring
 *   schedules with an inline MonitoringJobDefinition run a processing job with its NetworkConfig.
 * - Compilation jobs (VpcConfig) and AutoML jobs (SecurityConfig.VpcConfig) run in their VPC, else on
 *   SageMaker's network; neither has a network isolation setting.
 * - Serverless endpoints support no VPC configuration and no network isolation (SageMaker Serverless
 *   Inference, feature exclusions): the endpoint runs on SageMaker's network whatever its models say.
 * - Inference components run on their endpoint's instances, placed by the endpoint config's VpcConfig
 *   and EnableNetworkIsolation (CreateEndpointConfig): the endpoint is the placement, the components
 *   ride it.
 * - Amazon Bedrock model customization jobs run in the vpcConfig they were given, else in Bedrock's
 *   own network; AWS does not say that network has no internet path, so it is read as having one.
 *
 * A definition, instance group or endpoint that is one of several placements of a resource gets an id
 * of its own ("tuning-job/definition", "cluster/group"), so findings about each stay apart.
 */
import type { RegionInventory, VpcConfig } from '../../inventory/schema.ts';
import type { FindingResource } from '../engine/finding.ts';
import { resourceOf } from '../engine/resources.ts';
import type { MlKind, MlPlacement } from './ml-placements.ts';
import { monitoringJobs } from './sagemaker-monitoring.ts';

/** A placement before its VPC is worked out, with the images its containers pull. */
export type PlacementDraft = Omit<MlPlacement, 'vpcId' | 'usesEcr'> & {
  images: readonly (string | undefined)[];
};

function container(
  kind: MlKind,
  resource: FindingResource,
  net: { vpcConfig?: VpcConfig | undefined; enableNetworkIsolation: boolean },
  images: readonly (string | undefined)[],
  instanceCount?: number,
  managedInternetVia?: string,
): PlacementDraft {
  const sagemakerManagedInternet = !net.vpcConfig && !net.enableNetworkIsolation;
  return {
    kind,
    resource,
    subnetIds: [...(net.vpcConfig?.subnets ?? [])],
    securityGroupIds: [...new Set(net.vpcConfig?.securityGroupIds ?? [])],
    networkIsolation: net.enableNetworkIsolation,
    sagemakerManagedInternet,
    images,
    ...(instanceCount !== undefined ? { instanceCount } : {}),
    ...(sagemakerManagedInternet && managedInternetVia ? { managedInternetVia } : {}),
  };
}

/** One of several placements of a resource: its own id and name. */
function part(resource: FindingResource, id: string, words: string): FindingResource {
  return { ...resource, id: `${resource.id}/${id}`, name: `${resource.name ?? resource.id} (${words})` };
}

function tuningPlacements(scope: RegionInventory): PlacementDraft[] {
  return scope.hyperParameterTuningJobs.flatMap((job) => {
    const resource = resourceOf(scope, 'hyperParameterTuningJobs', job);
    const several = job.trainingJobDefinitions.length > 1;
    return job.trainingJobDefinitions.map((d, i) => {
      const name = d.definitionName ?? String(i + 1);
      const r = several ? part(resource, name, `training job definition ${name}`) : resource;
      return container('tuningJob', r, d, [d.imageUri], d.instanceCount);
    });
  });
}

function transformPlacements(scope: RegionInventory): PlacementDraft[] {
  const models = new Map(scope.models.map((m) => [m.modelName, m]));
  return scope.transformJobs.flatMap((job) => {
    const model = job.modelName ? models.get(job.modelName) : undefined;
    if (!model) return [];
    const resource = resourceOf(scope, 'transformJobs', job);
    return [container('transformJob', resource, model, model.imageUris, job.instanceCount)];
  });
}

function clusterPlacements(scope: RegionInventory): PlacementDraft[] {
  return scope.hyperPodClusters.flatMap((c) => {
    const resource = resourceOf(scope, 'hyperPodClusters', c);
    const own = c.instanceGroups.filter((g) => !g.overrideVpcConfig);
    const count = (groups: typeof own) =>
      groups.every((g) => g.instanceCount !== undefined)
        ? groups.reduce((sum, g) => sum + (g.instanceCount ?? 0), 0)
        : undefined;
    const out: PlacementDraft[] = [];
    if (own.length > 0 || c.instanceGroups.length === 0) {
      out.push(
        container(
          'hyperPodCluster',
          resource,
          { vpcConfig: c.vpcConfig, enableNetworkIsolation: false },
          [],
          count(own),
        ),
      );
    }
    for (const g of c.instanceGroups) {
      if (!g.overrideVpcConfig) continue;
      out.push(
        container(
          'hyperPodCluster',
          part(resource, g.instanceGroupName, `instance group ${g.instanceGroupName}`),
          { vpcConfig: g.overrideVpcConfig, enableNetworkIsolation: false },
          [],
          count([g]),
        ),
      );
    }
    return out;
  });
}

function monitoringPlacements(scope: RegionInventory): PlacementDraft[] {
  return monitoringJobs(scope).map((j) =>
    container('monitoringJob', j.resource, j, [j.imageUri], j.instanceCount),
  );
}

function jobPlacements(scope: RegionInventory): PlacementDraft[] {
  const noIsolation = { enableNetworkIsolation: false };
  return [
    ...scope.compilationJobs.map((j) =>
      container(
        'compilationJob',
        resourceOf(scope, 'compilationJobs', j),
        { ...noIsolation, vpcConfig: j.vpcConfig },
        [],
      ),
    ),
    ...scope.autoMLJobs.map((j) =>
      container(
        'autoMLJob',
        resourceOf(scope, 'autoMLJobs', j),
        { ...noIsolation, vpcConfig: j.vpcConfig },
        [],
      ),
    ),
    ...scope.bedrockCustomizationJobs.map((j) =>
      container(
        'bedrockJob',
        resourceOf(scope, 'bedrockCustomizationJobs', j),
        { ...noIsolation, vpcConfig: j.vpcConfig },
        [],
        undefined,
        "Amazon Bedrock's own network (no vpcConfig), then the internet",
      ),
    ),
  ];
}

/**
 * Endpoints whose network is the endpoint's, not their models': serverless endpoints (no VPC, no
 * isolation) and endpoints of inference components (the endpoint config's VpcConfig and isolation).
 */
function endpointPlacements(scope: RegionInventory): PlacementDraft[] {
  const configs = new Map(scope.endpointConfigs.map((c) => [c.endpointConfigName, c]));
  return scope.endpoints.flatMap((e) => {
    const config = e.endpointConfigName ? configs.get(e.endpointConfigName) : undefined;
    if (!config) return [];
    const resource = resourceOf(scope, 'endpoints', e);
    if (config.productionVariants.some((v) => v.serverless)) {
      return [
        {
          ...container('endpoint', resource, { enableNetworkIsolation: false }, []),
          managedInternetVia:
            "SageMaker's own network (a serverless endpoint supports no VPC), then the internet",
        },
      ];
    }
    // An endpoint config for inference components names no model in its variants (the components
    // bring them), and carries the VpcConfig and isolation they run with.
    const hostsComponents =
      config.vpcConfig !== undefined ||
      config.enableNetworkIsolation !== undefined ||
      config.productionVariants.some((v) => !v.modelName);
    if (!hostsComponents) return [];
    const net = {
      vpcConfig: config.vpcConfig,
      enableNetworkIsolation: config.enableNetworkIsolation ?? false,
    };
    return [container('endpoint', resource, net, [])];
  });
}

/** Every placement of the compute kinds and endpoints of a scope, in kind-table order. */
export function computePlacementDrafts(scope: RegionInventory): PlacementDraft[] {
  return [
    ...tuningPlacements(scope),
    ...transformPlacements(scope),
    ...clusterPlacements(scope),
    ...monitoringPlacements(scope),
    ...jobPlacements(scope),
    ...endpointPlacements(scope),
  ];
}
