/**
 * ML resources and their placement (rules.md): the subnets, security groups and VPC taken from each
 * resource's configuration, whether or not an ENI exists right now. One place that every rule about
 * "ML subnets", "groups on ML resources" or "VPCs holding ML resources" reads.
 */
import type { RegionInventory, ResourceKind, VpcConfig } from '../../inventory/schema.ts';
import type { FindingResource } from '../engine/finding.ts';
import {
  domainResource,
  modelResource,
  notebookResource,
  processingJobResource,
  trainingJobResource,
  userProfileResource,
} from '../engine/resources.ts';
import type { ScopeIndex } from '../engine/scope-index.ts';
import { listLabel } from '../engine/words.ts';
import { computePlacementDrafts } from './ml-compute-placements.ts';

export const ML_KINDS = [
  'domain',
  'userProfile',
  'notebook',
  'trainingJob',
  'processingJob',
  'model',
  'tuningJob',
  'transformJob',
  'hyperPodCluster',
  'monitoringJob',
  'compilationJob',
  'autoMLJob',
  'endpoint',
  'bedrockJob',
] as const;
export type MlKind = (typeof ML_KINDS)[number];

/**
 * The inventory kinds ML placements by subnet or VPC come from: a gap in any of them can hide an ML
 * subnet or VPC. User profiles are not among them: a profile is placed in its domain's subnets and VPC
 * (only its groups differ), so a gap in profiles cannot hide an ML subnet or VPC.
 */
/**
 * The compute kinds that only add placements (ml-compute-placements.ts). A kind-level gap in one of
 * them does not blank a rule: the rule reports what it proved on the placements that were read, and
 * says NOT_EVALUATED for the scope beside it (analyze/engine/run.ts), so a role that lacks one of the
 * newer List* actions (an older member role) still gets every finding about the rest.
 */
export const COMPUTE_PLACEMENT_KINDS = [
  'hyperParameterTuningJobs',
  'transformJobs',
  'hyperPodClusters',
  'dataQualityJobDefinitions',
  'modelQualityJobDefinitions',
  'modelBiasJobDefinitions',
  'modelExplainabilityJobDefinitions',
  'monitoringSchedules',
  'compilationJobs',
  'autoMLJobs',
  'bedrockCustomizationJobs',
] as const satisfies readonly ResourceKind[];

export const PLACEMENT_NEEDS = [
  'sagemakerDomains',
  'notebookInstances',
  'trainingJobs',
  'processingJobs',
  'models',
  ...COMPUTE_PLACEMENT_KINDS,
  'endpoints',
  'endpointConfigs',
] as const satisfies readonly ResourceKind[];

export interface MlPlacement {
  kind: MlKind;
  resource: FindingResource;
  /** From the config, else from the first known subnet (worked out on first read: see withLazyVpc). */
  readonly vpcId: string | undefined;
  subnetIds: string[];
  securityGroupIds: string[];
  /** The container has no network at all (jobs and models with EnableNetworkIsolation). */
  networkIsolation: boolean;
  /**
   * Internet access through SageMaker's own network, whatever the subnet: a notebook with
   * DirectInternetAccess Enabled, a Studio domain in PublicInternetOnly mode.
   */
  sagemakerManagedInternet: boolean;
  /** Container images pulled from ECR (so ecr.api / ecr.dkr endpoints are needed without internet). */
  usesEcr: boolean;
  /** Instances the resource runs on, where known (jobs). */
  instanceCount?: number;
  /** How the service's own internet access reads, where it is not SageMaker's (Bedrock, serverless). */
  managedInternetVia?: string;
}

const ECR_IMAGE = /\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;

export function usesEcr(images: readonly (string | undefined)[]): boolean {
  return images.some((i) => i !== undefined && ECR_IMAGE.test(i));
}

function vpcOf(
  index: ScopeIndex,
  explicit: string | undefined,
  subnetIds: readonly string[],
): string | undefined {
  if (explicit) return explicit;
  for (const s of subnetIds) {
    const vpc = index.subnets().get(s)?.vpcId;
    if (vpc) return vpc;
  }
  return undefined;
}

const unique = (xs: Iterable<string>) => [...new Set(xs)];

/**
 * Jobs and models: placed by their VpcConfig; with neither a VpcConfig nor network isolation, the
 * container reaches the internet through SageMaker's own network.
 */
function containerPlacement(
  index: ScopeIndex,
  kind: 'trainingJob' | 'processingJob' | 'model',
  resource: FindingResource,
  config: { vpcConfig?: VpcConfig | undefined; enableNetworkIsolation: boolean },
  images: readonly (string | undefined)[],
  instanceCount?: number,
): MlPlacement {
  const subnets = config.vpcConfig?.subnets ?? [];
  return withLazyVpc(
    {
      kind,
      resource,
      subnetIds: [...subnets],
      securityGroupIds: unique(config.vpcConfig?.securityGroupIds ?? []),
      networkIsolation: config.enableNetworkIsolation,
      sagemakerManagedInternet: !config.vpcConfig && !config.enableNetworkIsolation,
      usesEcr: usesEcr(images),
      ...(instanceCount !== undefined ? { instanceCount } : {}),
    },
    index,
    undefined,
  );
}

/**
 * `placement` with its `vpcId` worked out on first read: a job, a model or a notebook knows its VPC
 * only through its subnets, so only the rules that ask for a placement's VPC read the subnets (and
 * name them in their needs).
 */
function withLazyVpc(
  placement: Omit<MlPlacement, 'vpcId'>,
  index: ScopeIndex,
  explicit: string | undefined,
): MlPlacement {
  let vpcId: string | undefined;
  let known = false;
  return Object.defineProperty(placement, 'vpcId', {
    enumerable: true,
    get() {
      if (!known) {
        vpcId = vpcOf(index, explicit, placement.subnetIds);
        known = true;
      }
      return vpcId;
    },
  }) as MlPlacement;
}

/**
 * Every ML resource of a scope with its placement, user profiles included. Use `index.mlPlacements()`
 * (built once per scope).
 */
export function computeMlPlacements(scope: RegionInventory, index: ScopeIndex): MlPlacement[] {
  const resources = computeMlResourcePlacements(scope, index);
  // Profiles after their domains, before the rest (the order exposure lists them in).
  const domains = scope.sagemakerDomains.length;
  return [
    ...resources.slice(0, domains),
    ...computeProfilePlacements(scope, index),
    ...resources.slice(domains),
  ];
}

/**
 * The Studio user profiles with security groups of their own: each sits in its domain's subnets and
 * VPC, with its own groups. (A profile without groups of its own is its domain's placement.)
 */
export function computeProfilePlacements(scope: RegionInventory, index: ScopeIndex): MlPlacement[] {
  const out: MlPlacement[] = [];
  const domains = new Map(scope.sagemakerDomains.map((d) => [d.domainId, d]));
  for (const p of scope.sagemakerUserProfiles) {
    if (!p.securityGroups?.length) continue; // inherits the domain's groups: the domain's placement covers it
    const d = domains.get(p.domainId);
    out.push(
      withLazyVpc(
        {
          kind: 'userProfile',
          resource: userProfileResource(scope, p),
          subnetIds: [...(d?.subnetIds ?? [])],
          securityGroupIds: unique(p.securityGroups),
          networkIsolation: false,
          sagemakerManagedInternet:
            (d?.appNetworkAccessType ?? 'PublicInternetOnly') === 'PublicInternetOnly',
          usesEcr: false,
        },
        index,
        d?.vpcId,
      ),
    );
  }
  return out;
}

/**
 * Every ML resource but user profiles: what places ML in a subnet or a VPC. A profile is placed in its
 * domain's subnets and VPC, so the subnets and VPCs holding ML resources are these placements' (see
 * PLACEMENT_NEEDS); `index.mlBySubnet()` and `index.mlByVpc()` are built from them.
 */
export function computeMlResourcePlacements(scope: RegionInventory, index: ScopeIndex): MlPlacement[] {
  const out: MlPlacement[] = [];
  for (const d of scope.sagemakerDomains) {
    out.push(
      withLazyVpc(
        {
          kind: 'domain',
          resource: domainResource(scope, d),
          subnetIds: [...d.subnetIds],
          securityGroupIds: unique([...d.defaultUserSecurityGroups, ...d.defaultSpaceSecurityGroups]),
          networkIsolation: false,
          sagemakerManagedInternet: (d.appNetworkAccessType ?? 'PublicInternetOnly') === 'PublicInternetOnly',
          usesEcr: false,
        },
        index,
        d.vpcId,
      ),
    );
  }
  for (const nb of scope.notebookInstances) {
    const subnetIds = nb.subnetId ? [nb.subnetId] : [];
    out.push(
      withLazyVpc(
        {
          kind: 'notebook',
          resource: notebookResource(scope, nb),
          subnetIds,
          securityGroupIds: unique(nb.securityGroups),
          networkIsolation: false,
          sagemakerManagedInternet: (nb.directInternetAccess ?? 'Enabled') === 'Enabled',
          usesEcr: false,
        },
        index,
        undefined,
      ),
    );
  }
  for (const job of scope.trainingJobs) {
    out.push(
      containerPlacement(
        index,
        'trainingJob',
        trainingJobResource(scope, job),
        job,
        [job.imageUri],
        job.instanceCount,
      ),
    );
  }
  for (const job of scope.processingJobs) {
    out.push(
      containerPlacement(
        index,
        'processingJob',
        processingJobResource(scope, job),
        job,
        [job.imageUri],
        job.instanceCount,
      ),
    );
  }
  for (const m of scope.models) {
    out.push(containerPlacement(index, 'model', modelResource(scope, m), m, m.imageUris));
  }
  for (const { images, ...draft } of computePlacementDrafts(scope)) {
    out.push(withLazyVpc({ ...draft, usesEcr: usesEcr(images) }, index, undefined));
  }
  return out;
}

/** The ML resources placed in each subnet. */
export function placementsBySubnet(placements: readonly MlPlacement[]): Map<string, MlPlacement[]> {
  const map = new Map<string, MlPlacement[]>();
  for (const p of placements) {
    for (const s of p.subnetIds) {
      const list = map.get(s);
      if (list) list.push(p);
      else map.set(s, [p]);
    }
  }
  return map;
}

/** The ML resources carrying each security group. */
export function placementsByGroup(placements: readonly MlPlacement[]): Map<string, MlPlacement[]> {
  const map = new Map<string, MlPlacement[]>();
  for (const p of placements) {
    for (const g of p.securityGroupIds) {
      const list = map.get(g);
      if (list) list.push(p);
      else map.set(g, [p]);
    }
  }
  return map;
}

/** The ML resources in each VPC. */
export function placementsByVpc(placements: readonly MlPlacement[]): Map<string, MlPlacement[]> {
  const map = new Map<string, MlPlacement[]>();
  for (const p of placements) {
    if (!p.vpcId) continue;
    const list = map.get(p.vpcId);
    if (list) list.push(p);
    else map.set(p.vpcId, [p]);
  }
  return map;
}

// ---------------------------------------------------------------- words

const ML_KIND_LABELS: Record<MlKind, string> = {
  domain: 'Studio domain',
  userProfile: 'Studio user profile',
  notebook: 'notebook instance',
  trainingJob: 'training job',
  processingJob: 'processing job',
  model: 'model',
  tuningJob: 'hyperparameter tuning job',
  transformJob: 'batch transform job',
  hyperPodCluster: 'HyperPod cluster',
  monitoringJob: 'model monitoring job',
  compilationJob: 'compilation job',
  autoMLJob: 'AutoML job',
  endpoint: 'endpoint',
  bedrockJob: 'Bedrock model customization job',
};

/** "notebook instance nb-1". */
export function mlLabel(p: MlPlacement): string {
  return `${ML_KIND_LABELS[p.kind]} ${p.resource.name ?? p.resource.id}`;
}

/** "notebook instance nb-1, training job t-1 and 3 more". */
export function mlListLabel(placements: readonly MlPlacement[], max = 3): string {
  return listLabel(placements.map(mlLabel), max);
}

/** An ML resource as evidence. */
export function mlEvidence(p: MlPlacement) {
  return {
    kind: p.kind,
    type: p.resource.type,
    id: p.resource.id,
    arn: p.resource.arn,
    networkIsolation: p.networkIsolation,
  };
}
