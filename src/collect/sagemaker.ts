/**
 * SageMaker collector: Studio domains (with their user profiles and spaces), notebook instances,
 * endpoints with their endpoint configs and models, and a bounded window of training and
 * processing jobs.
 *
 * Only the fields the rules need are kept. Training-job Environment and HyperParameters, container
 * Environment, lifecycle configurations and everything else that can hold a secret are read by the
 * SDK (it returns them) but never copied into the inventory: every object below is built field by
 * field, never spread from an API answer.
 *
 * The Describe* answers carry no tags: each resource read is then asked for its tags (ListTags, by
 * ARN), whose keys are kept and whose values are kept only as hashes (hashTags). A resource whose tags
 * could not be read keeps no `tags` (a `tags` coverage gap names its ARN), so nothing takes it for a
 * resource without tags.
 */
import {
  DescribeDomainCommand,
  type DescribeDomainResponse,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  type DescribeEndpointConfigOutput,
  DescribeModelCommand,
  type DescribeModelOutput,
  DescribeNotebookInstanceCommand,
  type DescribeNotebookInstanceOutput,
  DescribeProcessingJobCommand,
  type DescribeProcessingJobResponse,
  DescribeSpaceCommand,
  DescribeTrainingJobCommand,
  type DescribeTrainingJobResponse,
  DescribeUserProfileCommand,
  paginateListDomains,
  paginateListEndpoints,
  paginateListModels,
  paginateListNotebookInstances,
  paginateListProcessingJobs,
  paginateListSpaces,
  paginateListTags,
  paginateListTrainingJobs,
  paginateListUserProfiles,
  type SageMakerClient,
  type VpcConfig as SdkVpcConfig,
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
import type { HashedTags } from '../inventory/tags.ts';
import {
  type CallSite,
  type CollectContext,
  collectKind,
  compact,
  dependencyGap,
  hashTags,
  keep,
  limited,
  pages,
  required,
  type SdkTag,
  siteFor,
} from './common.ts';

const SERVICE = 'sagemaker';
/** The largest page the SageMaker List* calls accept. */
const PAGE_SIZE = 100;
const PAGINATION = { pageSize: PAGE_SIZE, stopOnSameToken: true } as const;
const DAY_MS = 86_400_000;

const site = siteFor(SERVICE);

/** An empty VpcConfig (no subnets, no groups; moto's DescribeModel answers so) means none. */
function toVpcConfig(config: SdkVpcConfig | undefined): VpcConfig | undefined {
  const subnets = config?.Subnets ?? [];
  const securityGroupIds = config?.SecurityGroupIds ?? [];
  if (subnets.length === 0 && securityGroupIds.length === 0) return undefined;
  return { subnets: [...subnets], securityGroupIds: [...securityGroupIds] };
}

/** Error codes that mean the role may not call ListTags at all (an IAM matter, not a resource's). */
const DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess)$/;

/** Scopes where ListTags was denied: asked no more, reported once. */
const tagsDenied = new WeakSet<CollectContext>();

/**
 * Read the tags of each item (ListTags by its ARN, every page) under the describe concurrency limit,
 * and set them on it. An item whose tags could not all be read (a failed page, the time budget) is
 * left without `tags` and the gap names its ARN: a partial list would read as the whole. An item
 * without an ARN cannot be asked and stays without `tags` too.
 *
 * A denial (a role without sagemaker:ListTags, e.g. an older member role) is not the resource's
 * problem: the scope stops asking, and one gap without a resource id stands for every SageMaker
 * resource of the region, instead of one per resource.
 */
async function readTags<T extends { tags?: HashedTags }>(
  ctx: CollectContext,
  sm: SageMakerClient,
  items: readonly T[],
  arnOf: (item: T) => string | undefined,
): Promise<void> {
  await Promise.all(
    items.map((item) => {
      const arn = arnOf(item);
      if (!arn) return undefined;
      return ctx.limit(async () => {
        if (tagsDenied.has(ctx)) return;
        const tags: SdkTag[] = [];
        const complete = await pages(
          ctx,
          site('ListTags', 'tags', arn),
          paginateListTags({ client: sm, ...PAGINATION }, { ResourceArn: arn }),
          (page) => {
            tags.push(...(page.Tags ?? []));
          },
        );
        if (complete) item.tags = hashTags(tags);
        else foldDenial(ctx, arn);
      });
    }),
  );
}

/** Replace a ListTags denial on one resource by the scope's single denial gap. */
function foldDenial(ctx: CollectContext, arn: string): void {
  const gaps = ctx.inventory.gaps;
  const i = gaps.findIndex(
    (g) => g.operation === 'ListTags' && g.resourceId === arn && DENIED.test(g.errorCode),
  );
  if (i < 0) return;
  const [gap] = gaps.splice(i, 1);
  if (tagsDenied.has(ctx) || !gap) return;
  tagsDenied.add(ctx);
  const { resourceId: _resourceId, ...rest } = gap;
  gaps.push({
    ...rest,
    message: `${gap.message} (ListTags denied: no SageMaker resource's tags were read in ${ctx.region}, so suppressions by tags match none of them)`,
  });
}

function isoTime(value: Date | undefined): string | undefined {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : undefined;
}

/** Collect every SageMaker kind of one region into `ctx.inventory`. Failures become coverage gaps. */
export async function collectSageMaker(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await Promise.all([
    collectStudio(ctx, sm),
    collectNotebookInstances(ctx, sm),
    collectInference(ctx, sm),
    collectTrainingJobs(ctx, sm),
    collectProcessingJobs(ctx, sm),
  ]);
}

// ---------------------------------------------------------------- Studio

async function collectStudio(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  const domainIds: string[] = [];
  let domainsComplete = true;
  await collectKind(ctx, 'sagemakerDomains', async () => {
    domainsComplete = await pages(
      ctx,
      site('ListDomains', 'sagemakerDomains'),
      paginateListDomains({ client: sm, ...PAGINATION }, {}),
      (page) => {
        for (const d of page.Domains ?? []) if (d.DomainId) domainIds.push(d.DomainId);
      },
    );
    const domains = await Promise.all(
      domainIds.map((domainId) =>
        limited(ctx, site('DescribeDomain', 'sagemakerDomains', domainId), async () =>
          toDomain(domainId, await sm.send(new DescribeDomainCommand({ DomainId: domainId }))),
        ),
      ),
    );
    await readTags(ctx, sm, keep(domains), (d) => d.domainArn);
    ctx.inventory.sagemakerDomains.push(...keep(domains));
    return domainIds.length;
  });

  if (!domainsComplete) {
    const message =
      'the Studio domains could not all be listed, so their user profiles and spaces were not all read';
    await dependencyGap(ctx, site('ListUserProfiles', 'sagemakerUserProfiles'), message);
    await dependencyGap(ctx, site('ListSpaces', 'sagemakerSpaces'), message);
  }

  await Promise.all([collectUserProfiles(ctx, sm, domainIds), collectSpaces(ctx, sm, domainIds)]);
}

function toDomain(domainId: string, d: DescribeDomainResponse): SageMakerDomain {
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

async function collectUserProfiles(
  ctx: CollectContext,
  sm: SageMakerClient,
  domainIds: string[],
): Promise<void> {
  await collectKind(ctx, 'sagemakerUserProfiles', async () => {
    const names: { domainId: string; name: string }[] = [];
    await Promise.all(
      domainIds.map((domainId) =>
        pages(
          ctx,
          site('ListUserProfiles', 'sagemakerUserProfiles', domainId),
          paginateListUserProfiles({ client: sm, ...PAGINATION }, { DomainIdEquals: domainId }),
          (page) => {
            for (const p of page.UserProfiles ?? []) {
              if (p.UserProfileName)
                names.push({ domainId: p.DomainId ?? domainId, name: p.UserProfileName });
            }
          },
        ),
      ),
    );
    const profiles = await Promise.all(
      names.map(({ domainId, name }) =>
        limited(
          ctx,
          site('DescribeUserProfile', 'sagemakerUserProfiles', `${domainId}/${name}`),
          async () => {
            const p = await sm.send(
              new DescribeUserProfileCommand({ DomainId: domainId, UserProfileName: name }),
            );
            const groups = p.UserSettings?.SecurityGroups;
            const profile: SageMakerUserProfile = compact({
              domainId: p.DomainId ?? domainId,
              userProfileName: p.UserProfileName ?? name,
              userProfileArn: p.UserProfileArn,
              securityGroups: groups && groups.length > 0 ? [...groups] : undefined,
            });
            return profile;
          },
        ),
      ),
    );
    await readTags(ctx, sm, keep(profiles), (p) => p.userProfileArn);
    ctx.inventory.sagemakerUserProfiles.push(...keep(profiles));
    return names.length;
  });
}

/**
 * Spaces: the SDK's SpaceSettings carries no security groups (a space runs with its domain's
 * DefaultSpaceSettings groups), so `securityGroups` is always absent here.
 */
async function collectSpaces(ctx: CollectContext, sm: SageMakerClient, domainIds: string[]): Promise<void> {
  await collectKind(ctx, 'sagemakerSpaces', async () => {
    const names: { domainId: string; name: string }[] = [];
    await Promise.all(
      domainIds.map((domainId) =>
        pages(
          ctx,
          site('ListSpaces', 'sagemakerSpaces', domainId),
          paginateListSpaces({ client: sm, ...PAGINATION }, { DomainIdEquals: domainId }),
          (page) => {
            for (const s of page.Spaces ?? []) {
              if (s.SpaceName) names.push({ domainId: s.DomainId ?? domainId, name: s.SpaceName });
            }
          },
        ),
      ),
    );
    const spaces = await Promise.all(
      names.map(({ domainId, name }) =>
        limited(ctx, site('DescribeSpace', 'sagemakerSpaces', `${domainId}/${name}`), async () => {
          const s = await sm.send(new DescribeSpaceCommand({ DomainId: domainId, SpaceName: name }));
          const space: SageMakerSpace = compact({
            domainId: s.DomainId ?? domainId,
            spaceName: s.SpaceName ?? name,
            spaceArn: s.SpaceArn,
          });
          return space;
        }),
      ),
    );
    await readTags(ctx, sm, keep(spaces), (s) => s.spaceArn);
    ctx.inventory.sagemakerSpaces.push(...keep(spaces));
    return names.length;
  });
}

// ---------------------------------------------------------------- notebook instances

async function collectNotebookInstances(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await collectKind(ctx, 'notebookInstances', async () => {
    const names: string[] = [];
    await pages(
      ctx,
      site('ListNotebookInstances', 'notebookInstances'),
      paginateListNotebookInstances({ client: sm, ...PAGINATION }, {}),
      (page) => {
        for (const n of page.NotebookInstances ?? [])
          if (n.NotebookInstanceName) names.push(n.NotebookInstanceName);
      },
    );
    const notebooks = await Promise.all(
      names.map((name) =>
        limited(ctx, site('DescribeNotebookInstance', 'notebookInstances', name), async () =>
          toNotebook(
            name,
            await sm.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name })),
          ),
        ),
      ),
    );
    await readTags(ctx, sm, keep(notebooks), (n) => n.notebookInstanceArn);
    ctx.inventory.notebookInstances.push(...keep(notebooks));
    return names.length;
  });
}

/** Lifecycle configuration names (and so their scripts) are deliberately not kept. */
function toNotebook(name: string, n: DescribeNotebookInstanceOutput): NotebookInstance {
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

// ---------------------------------------------------------------- endpoints, endpoint configs, models

async function collectInference(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  // Every model is listed (so model rules see models not behind an endpoint) while endpoints are read.
  const listedModels: string[] = [];
  const modelsListed = pages(
    ctx,
    site('ListModels', 'models'),
    paginateListModels({ client: sm, ...PAGINATION }, {}),
    (page) => {
      for (const m of page.Models ?? []) if (m.ModelName) listedModels.push(m.ModelName);
    },
  );

  const configNames = new Set<string>();
  await collectKind(ctx, 'endpoints', async () => {
    const names: string[] = [];
    const complete = await pages(
      ctx,
      site('ListEndpoints', 'endpoints'),
      paginateListEndpoints({ client: sm, ...PAGINATION }, {}),
      (page) => {
        for (const e of page.Endpoints ?? []) if (e.EndpointName) names.push(e.EndpointName);
      },
    );
    if (!complete) {
      await dependencyGap(
        ctx,
        site('DescribeEndpointConfig', 'endpointConfigs'),
        'the endpoints could not all be listed, so the endpoint configs they use were not all read',
      );
    }
    const endpoints = await Promise.all(
      names.map(async (name) => {
        const endpoint = await limited(ctx, site('DescribeEndpoint', 'endpoints', name), async () => {
          const e = await sm.send(new DescribeEndpointCommand({ EndpointName: name }));
          const out: SageMakerEndpoint = compact({
            endpointName: e.EndpointName ?? name,
            endpointArn: e.EndpointArn,
            endpointConfigName: e.EndpointConfigName,
            status: e.EndpointStatus,
          });
          return out;
        });
        if (!endpoint) {
          await dependencyGap(
            ctx,
            // Which config it uses is unknown: the gap names the endpoint ("endpoint/<name>").
            site('DescribeEndpointConfig', 'endpointConfigs', `endpoint/${name}`),
            `endpoint ${name} could not be described, so its endpoint config was not read`,
          );
        }
        return endpoint;
      }),
    );
    for (const e of keep(endpoints)) if (e.endpointConfigName) configNames.add(e.endpointConfigName);
    await readTags(ctx, sm, keep(endpoints), (e) => e.endpointArn);
    ctx.inventory.endpoints.push(...keep(endpoints));
    return names.length;
  });

  const modelNames = new Set<string>();
  await collectKind(ctx, 'endpointConfigs', async () => {
    const configs = await Promise.all(
      [...configNames].map((name) =>
        limited(ctx, site('DescribeEndpointConfig', 'endpointConfigs', name), async () =>
          toEndpointConfig(
            name,
            await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })),
          ),
        ),
      ),
    );
    for (const c of keep(configs)) {
      for (const v of c.productionVariants) if (v.modelName) modelNames.add(v.modelName);
    }
    await readTags(ctx, sm, keep(configs), (c) => c.endpointConfigArn);
    ctx.inventory.endpointConfigs.push(...keep(configs));
    return configNames.size;
  });

  await collectKind(ctx, 'models', async () => {
    await modelsListed;
    const names = [...new Set([...listedModels, ...modelNames])];
    const models = await Promise.all(
      names.map((name) =>
        limited(ctx, site('DescribeModel', 'models', name), async () =>
          toModel(name, await sm.send(new DescribeModelCommand({ ModelName: name }))),
        ),
      ),
    );
    await readTags(ctx, sm, keep(models), (m) => m.modelArn);
    ctx.inventory.models.push(...keep(models));
    return names.length;
  });
}

function toEndpointConfig(name: string, c: DescribeEndpointConfigOutput): EndpointConfig {
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
function toModel(name: string, m: DescribeModelOutput): Model {
  const images = [m.PrimaryContainer?.Image, ...(m.Containers ?? []).map((c) => c.Image)];
  return compact({
    modelName: m.ModelName ?? name,
    modelArn: m.ModelArn,
    vpcConfig: toVpcConfig(m.VpcConfig),
    enableNetworkIsolation: m.EnableNetworkIsolation ?? false,
    imageUris: [...new Set(keep(images))],
  });
}

// ---------------------------------------------------------------- training and processing jobs

interface JobPage {
  NextToken?: string | undefined;
}

/**
 * Gather job names, newest first, from the recent-window listing then the InProgress listing,
 * deduplicated, stopping at `maxJobsPerKind`. Returns the names and whether the cap cut the list.
 */
async function boundedJobNames<P extends JobPage>(
  ctx: CollectContext,
  listings: { site: CallSite; paginator: AsyncIterable<P> }[],
  namesOf: (page: P) => string[],
): Promise<{ names: string[]; truncated: boolean }> {
  const max = ctx.options.maxJobsPerKind;
  const names = new Set<string>();
  let truncated = false;
  for (const listing of listings) {
    if (truncated) break;
    let full = false;
    await pages(
      ctx,
      listing.site,
      untilFull(listing.paginator, () => full),
      (page) => {
        for (const name of namesOf(page)) {
          if (names.has(name)) continue;
          if (names.size >= max) {
            truncated = true;
            break;
          }
          names.add(name);
        }
        if (names.size >= max) {
          full = true;
          if (page.NextToken) truncated = true;
        }
      },
    );
  }
  return { names: [...names], truncated };
}

/** Stop pulling pages (and so stop calling the API) once `full()` says enough were read. */
async function* untilFull<P>(paginator: AsyncIterable<P>, full: () => boolean): AsyncGenerator<P> {
  for await (const page of paginator) {
    yield page;
    if (full()) return;
  }
}

function jobWindowStart(ctx: CollectContext): Date {
  return new Date(ctx.options.now().getTime() - ctx.options.jobWindowDays * DAY_MS);
}

async function collectTrainingJobs(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await collectKind(ctx, 'trainingJobs', async () => {
    const sort = { SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: PAGE_SIZE } as const;
    const { names, truncated } = await boundedJobNames(
      ctx,
      [
        {
          site: site('ListTrainingJobs', 'trainingJobs'),
          paginator: paginateListTrainingJobs(
            { client: sm, stopOnSameToken: true },
            { ...sort, CreationTimeAfter: jobWindowStart(ctx) },
          ),
        },
        {
          site: site('ListTrainingJobs', 'trainingJobs'),
          paginator: paginateListTrainingJobs(
            { client: sm, stopOnSameToken: true },
            { ...sort, StatusEquals: 'InProgress' },
          ),
        },
      ],
      (page) => keep((page.TrainingJobSummaries ?? []).map((j) => j.TrainingJobName)),
    );
    if (truncated) ctx.jobsTruncated[`${ctx.region}/trainingJobs`] = true;
    const jobs = await Promise.all(
      names.map((name) =>
        limited(ctx, site('DescribeTrainingJob', 'trainingJobs', name), async () =>
          toTrainingJob(name, await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }))),
        ),
      ),
    );
    await readTags(ctx, sm, keep(jobs), (j) => j.trainingJobArn);
    ctx.inventory.trainingJobs.push(...keep(jobs));
    return names.length;
  });
}

/** Environment, HyperParameters, data channels and every other field are deliberately not kept. */
function toTrainingJob(name: string, j: DescribeTrainingJobResponse): TrainingJob {
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

async function collectProcessingJobs(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await collectKind(ctx, 'processingJobs', async () => {
    const sort = { SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: PAGE_SIZE } as const;
    const { names, truncated } = await boundedJobNames(
      ctx,
      [
        {
          site: site('ListProcessingJobs', 'processingJobs'),
          paginator: paginateListProcessingJobs(
            { client: sm, stopOnSameToken: true },
            { ...sort, CreationTimeAfter: jobWindowStart(ctx) },
          ),
        },
        {
          site: site('ListProcessingJobs', 'processingJobs'),
          paginator: paginateListProcessingJobs(
            { client: sm, stopOnSameToken: true },
            { ...sort, StatusEquals: 'InProgress' },
          ),
        },
      ],
      (page) => keep((page.ProcessingJobSummaries ?? []).map((j) => j.ProcessingJobName)),
    );
    if (truncated) ctx.jobsTruncated[`${ctx.region}/processingJobs`] = true;
    const jobs = await Promise.all(
      names.map((name) =>
        limited(ctx, site('DescribeProcessingJob', 'processingJobs', name), async () =>
          toProcessingJob(name, await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }))),
        ),
      ),
    );
    await readTags(ctx, sm, keep(jobs), (j) => j.processingJobArn);
    ctx.inventory.processingJobs.push(...keep(jobs));
    return names.length;
  });
}

/** Environment, inputs, outputs and the container arguments are deliberately not kept. */
function toProcessingJob(name: string, j: DescribeProcessingJobResponse): ProcessingJob {
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
