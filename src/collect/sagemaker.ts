/**
 * SageMaker collector: Studio domains (with their user profiles and spaces), notebook instances,
 * endpoints with their endpoint configs and models, and a bounded window of training and
 * processing jobs.
 *
 * Each kind is a spec over the generic task (task.ts): list the names, describe each one (mappers in
 * sagemaker-map.ts), then read each resource's tags (sagemaker-tags.ts). Training jobs are read through
 * Search instead (sagemaker-search.ts), with this path as the fallback. Some kinds are reached
 * through others: profiles and spaces through their domains, endpoint configs through the endpoints
 * that use them, models through those configs (as well as their own list). What could not be reached
 * is a coverage gap of its own (DependencyNotCollected).
 */
import {
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeNotebookInstanceCommand,
  DescribeProcessingJobCommand,
  DescribeSpaceCommand,
  DescribeTrainingJobCommand,
  DescribeUserProfileCommand,
  paginateListDomains,
  paginateListEndpoints,
  paginateListModels,
  paginateListNotebookInstances,
  paginateListProcessingJobs,
  paginateListSpaces,
  paginateListTrainingJobs,
  paginateListUserProfiles,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { type CollectContext, dependencyGap, keep, siteFor } from './common.ts';
import { collectSageMakerCompute } from './sagemaker-compute.ts';
import { boundedJobNames, jobWindowStart } from './sagemaker-jobs.ts';
import {
  type InDomain,
  toDomain,
  toEndpoint,
  toEndpointConfig,
  toModel,
  toNotebook,
  toProcessingJob,
  toSpace,
  toTrainingJob,
  toUserProfile,
} from './sagemaker-map.ts';
import { searchTrainingJobs } from './sagemaker-search.ts';
import { PAGE_SIZE, PAGINATION, readTags } from './sagemaker-tags.ts';
import { listing, readListings, runKind } from './task.ts';

const SERVICE = 'sagemaker';

const site = siteFor(SERVICE);

/** Collect every SageMaker kind of one region into `ctx.inventory`. Failures become coverage gaps. */
export async function collectSageMaker(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  const inference = collectInference(ctx, sm);
  await Promise.all([
    collectStudio(ctx, sm),
    collectNotebookInstances(ctx, sm),
    inference,
    collectTrainingJobs(ctx, sm),
    collectProcessingJobs(ctx, sm),
    collectSageMakerCompute(ctx, sm, inference),
  ]);
}

// ---------------------------------------------------------------- Studio

async function collectStudio(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  const domains = await runKind(ctx, {
    kind: 'sagemakerDomains',
    service: SERVICE,
    source: [
      listing('ListDomains', paginateListDomains({ client: sm, ...PAGINATION }, {}), (page) =>
        (page.Domains ?? []).map((d) => d.DomainId),
      ),
    ],
    describe: {
      operation: 'DescribeDomain',
      id: (domainId) => domainId,
      read: async (domainId) =>
        toDomain(domainId, await sm.send(new DescribeDomainCommand({ DomainId: domainId }))),
    },
    complete: readTags(ctx, sm, 'sagemakerDomains'),
  });

  if (!domains.complete) {
    const message =
      'the Studio domains could not all be listed, so their user profiles and spaces were not all read';
    await dependencyGap(ctx, site('ListUserProfiles', 'sagemakerUserProfiles'), message);
    await dependencyGap(ctx, site('ListSpaces', 'sagemakerSpaces'), message);
  }

  const inDomain = (domainId: string, domain: string | undefined, name: string | undefined) =>
    name ? { domainId: domain ?? domainId, name } : undefined;
  const refId = (ref: InDomain) => `${ref.domainId}/${ref.name}`;
  await Promise.all([
    runKind(ctx, {
      kind: 'sagemakerUserProfiles',
      service: SERVICE,
      source: domains.refs.map((domainId) =>
        listing(
          'ListUserProfiles',
          paginateListUserProfiles({ client: sm, ...PAGINATION }, { DomainIdEquals: domainId }),
          (page) => (page.UserProfiles ?? []).map((p) => inDomain(domainId, p.DomainId, p.UserProfileName)),
          domainId,
        ),
      ),
      describe: {
        operation: 'DescribeUserProfile',
        id: refId,
        read: async (ref) =>
          toUserProfile(
            ref,
            await sm.send(
              new DescribeUserProfileCommand({ DomainId: ref.domainId, UserProfileName: ref.name }),
            ),
          ),
      },
      complete: readTags(ctx, sm, 'sagemakerUserProfiles'),
    }),
    runKind(ctx, {
      kind: 'sagemakerSpaces',
      service: SERVICE,
      source: domains.refs.map((domainId) =>
        listing(
          'ListSpaces',
          paginateListSpaces({ client: sm, ...PAGINATION }, { DomainIdEquals: domainId }),
          (page) => (page.Spaces ?? []).map((s) => inDomain(domainId, s.DomainId, s.SpaceName)),
          domainId,
        ),
      ),
      describe: {
        operation: 'DescribeSpace',
        id: refId,
        read: async (ref) =>
          toSpace(
            ref,
            await sm.send(new DescribeSpaceCommand({ DomainId: ref.domainId, SpaceName: ref.name })),
          ),
      },
      complete: readTags(ctx, sm, 'sagemakerSpaces'),
    }),
  ]);
}

// ---------------------------------------------------------------- notebook instances

async function collectNotebookInstances(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await runKind(ctx, {
    kind: 'notebookInstances',
    service: SERVICE,
    source: [
      listing(
        'ListNotebookInstances',
        paginateListNotebookInstances({ client: sm, ...PAGINATION }, {}),
        (page) => (page.NotebookInstances ?? []).map((n) => n.NotebookInstanceName),
      ),
    ],
    describe: {
      operation: 'DescribeNotebookInstance',
      id: (name) => name,
      read: async (name) =>
        toNotebook(name, await sm.send(new DescribeNotebookInstanceCommand({ NotebookInstanceName: name }))),
    },
    complete: readTags(ctx, sm, 'notebookInstances'),
  });
}

// ---------------------------------------------------------------- endpoints, endpoint configs, models

async function collectInference(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  // Every model is listed (so model rules see models not behind an endpoint) while endpoints are read.
  const modelsListed = readListings(ctx, SERVICE, 'models', [
    listing('ListModels', paginateListModels({ client: sm, ...PAGINATION }, {}), (page) =>
      (page.Models ?? []).map((m) => m.ModelName),
    ),
  ]);

  const endpoints = await runKind(ctx, {
    kind: 'endpoints',
    service: SERVICE,
    source: [
      listing('ListEndpoints', paginateListEndpoints({ client: sm, ...PAGINATION }, {}), (page) =>
        (page.Endpoints ?? []).map((e) => e.EndpointName),
      ),
    ],
    listed: async ({ complete }) => {
      if (complete) return;
      await dependencyGap(
        ctx,
        site('DescribeEndpointConfig', 'endpointConfigs'),
        'the endpoints could not all be listed, so the endpoint configs they use were not all read',
      );
    },
    describe: {
      operation: 'DescribeEndpoint',
      id: (name) => name,
      read: async (name) =>
        toEndpoint(name, await sm.send(new DescribeEndpointCommand({ EndpointName: name }))),
      failed: (name) =>
        dependencyGap(
          ctx,
          // Which config it uses is unknown: the gap names the endpoint ("endpoint/<name>").
          site('DescribeEndpointConfig', 'endpointConfigs', `endpoint/${name}`),
          `endpoint ${name} could not be described, so its endpoint config was not read`,
        ),
    },
    complete: readTags(ctx, sm, 'endpoints'),
  });

  const configs = await runKind(ctx, {
    kind: 'endpointConfigs',
    service: SERVICE,
    source: async () => ({
      refs: [...new Set(keep(endpoints.items.map((e) => e.endpointConfigName)))],
      complete: true,
    }),
    describe: {
      operation: 'DescribeEndpointConfig',
      id: (name) => name,
      read: async (name) =>
        toEndpointConfig(
          name,
          await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name })),
        ),
    },
    complete: readTags(ctx, sm, 'endpointConfigs'),
  });

  await runKind(ctx, {
    kind: 'models',
    service: SERVICE,
    source: async () => {
      const listed = await modelsListed;
      const behindConfigs = configs.items.flatMap((c) => keep(c.productionVariants.map((v) => v.modelName)));
      return { refs: [...new Set([...listed.refs, ...behindConfigs])], complete: listed.complete };
    },
    describe: {
      operation: 'DescribeModel',
      id: (name) => name,
      read: async (name) => toModel(name, await sm.send(new DescribeModelCommand({ ModelName: name }))),
    },
    complete: readTags(ctx, sm, 'models'),
  });
}

// ---------------------------------------------------------------- training and processing jobs

const NEWEST_FIRST = { SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: PAGE_SIZE } as const;

/**
 * Training jobs through Search (sagemaker-search.ts): one call per hundred jobs, tags included. Where
 * Search cannot serve, the note is recorded and they are read the old way (List + Describe + ListTags).
 */
async function collectTrainingJobs(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  let unavailable = false;
  await runKind(ctx, {
    kind: 'trainingJobs',
    service: SERVICE,
    source: async () => {
      const searched = await searchTrainingJobs(ctx, sm);
      unavailable = searched === undefined;
      return searched ?? { refs: [], complete: true };
    },
  });
  if (unavailable) await listAndDescribeTrainingJobs(ctx, sm);
}

async function listAndDescribeTrainingJobs(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  const list = (input: object) =>
    paginateListTrainingJobs({ client: sm, stopOnSameToken: true }, { ...NEWEST_FIRST, ...input });
  await runKind(ctx, {
    kind: 'trainingJobs',
    service: SERVICE,
    source: () =>
      boundedJobNames(
        ctx,
        'trainingJobs',
        [
          {
            site: site('ListTrainingJobs', 'trainingJobs'),
            paginator: list({ CreationTimeAfter: jobWindowStart(ctx) }),
          },
          { site: site('ListTrainingJobs', 'trainingJobs'), paginator: list({ StatusEquals: 'InProgress' }) },
        ],
        (page) => keep((page.TrainingJobSummaries ?? []).map((j) => j.TrainingJobName)),
      ),
    describe: {
      operation: 'DescribeTrainingJob',
      id: (name) => name,
      read: async (name) =>
        toTrainingJob(name, await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }))),
    },
    complete: readTags(ctx, sm, 'trainingJobs'),
  });
}

async function collectProcessingJobs(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  const list = (input: object) =>
    paginateListProcessingJobs({ client: sm, stopOnSameToken: true }, { ...NEWEST_FIRST, ...input });
  await runKind(ctx, {
    kind: 'processingJobs',
    service: SERVICE,
    source: () =>
      boundedJobNames(
        ctx,
        'processingJobs',
        [
          {
            site: site('ListProcessingJobs', 'processingJobs'),
            paginator: list({ CreationTimeAfter: jobWindowStart(ctx) }),
          },
          {
            site: site('ListProcessingJobs', 'processingJobs'),
            paginator: list({ StatusEquals: 'InProgress' }),
          },
        ],
        (page) => keep((page.ProcessingJobSummaries ?? []).map((j) => j.ProcessingJobName)),
      ),
    describe: {
      operation: 'DescribeProcessingJob',
      id: (name) => name,
      read: async (name) =>
        toProcessingJob(name, await sm.send(new DescribeProcessingJobCommand({ ProcessingJobName: name }))),
    },
    complete: readTags(ctx, sm, 'processingJobs'),
  });
}
