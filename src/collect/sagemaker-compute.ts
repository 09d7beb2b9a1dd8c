/**
 * SageMaker ML compute beyond notebooks, Studio, training and processing jobs, models and endpoints:
 * hyperparameter tuning jobs, batch transform jobs, compilation jobs and AutoML jobs (within the job
 * window, like training jobs), HyperPod clusters, the four Model Monitor job definition kinds,
 * monitoring schedules and inference components (all of them). Each is a spec over the generic task
 * (task.ts): list every page, describe each under the region's concurrency, read the tags.
 *
 * A transform job is placed through its model: once the models are read, a job whose model is not
 * among them gets a gap of its own (its network is unknown), whatever the reason (a failed list or
 * describe, or a model deleted since).
 */
import {
  DescribeAutoMLJobV2Command,
  DescribeClusterCommand,
  DescribeCompilationJobCommand,
  DescribeDataQualityJobDefinitionCommand,
  DescribeHyperParameterTuningJobCommand,
  DescribeInferenceComponentCommand,
  DescribeModelBiasJobDefinitionCommand,
  DescribeModelExplainabilityJobDefinitionCommand,
  DescribeModelQualityJobDefinitionCommand,
  DescribeMonitoringScheduleCommand,
  DescribeTransformJobCommand,
  paginateListAutoMLJobs,
  paginateListClusters,
  paginateListCompilationJobs,
  paginateListDataQualityJobDefinitions,
  paginateListHyperParameterTuningJobs,
  paginateListInferenceComponents,
  paginateListModelBiasJobDefinitions,
  paginateListModelExplainabilityJobDefinitions,
  paginateListModelQualityJobDefinitions,
  paginateListMonitoringSchedules,
  paginateListTransformJobs,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { ResourceArrayKind } from '../inventory/kinds.ts';
import { type CollectContext, dependencyGap, keep, siteFor } from './common.ts';
import {
  toAutoMLJob,
  toCompilationJob,
  toHyperPodCluster,
  toInferenceComponent,
  toMonitoringJobDefinition,
  toMonitoringSchedule,
  toTransformJob,
  toTuningJob,
} from './sagemaker-compute-map.ts';
import { boundedJobNames, jobWindowStart } from './sagemaker-jobs.ts';
import { PAGE_SIZE, PAGINATION, readTags } from './sagemaker-tags.ts';
import { listing, runKind } from './task.ts';

const SERVICE = 'sagemaker';
const site = siteFor(SERVICE);
const NEWEST_FIRST = { SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: PAGE_SIZE } as const;

/**
 * Collect the compute kinds of one region. `modelsRead` settles once the models are in the inventory
 * (the transform jobs' models are checked against them).
 */
export async function collectSageMakerCompute(
  ctx: CollectContext,
  sm: SageMakerClient,
  modelsRead: Promise<unknown>,
): Promise<void> {
  await Promise.all([
    collectTuningJobs(ctx, sm),
    collectTransformJobs(ctx, sm, modelsRead),
    collectCompilationJobs(ctx, sm),
    collectAutoMLJobs(ctx, sm),
    collectClusters(ctx, sm),
    collectMonitoring(ctx, sm),
    collectInferenceComponents(ctx, sm),
  ]);
}

/** A job kind's names: created within the window, then any still in progress, newest first, capped. */
function windowed<P extends { NextToken?: string | undefined }>(
  ctx: CollectContext,
  kind: ResourceArrayKind,
  operation: string,
  list: (input: object) => AsyncIterable<P>,
  inProgress: string,
  namesOf: (page: P) => (string | undefined)[],
) {
  return () =>
    boundedJobNames(
      ctx,
      kind,
      [
        {
          site: site(operation, kind),
          paginator: list({ ...NEWEST_FIRST, CreationTimeAfter: jobWindowStart(ctx) }),
        },
        { site: site(operation, kind), paginator: list({ ...NEWEST_FIRST, StatusEquals: inProgress }) },
      ],
      (page) => keep(namesOf(page)),
    );
}

const byName = (name: string) => name;

async function collectTuningJobs(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await runKind(ctx, {
    kind: 'hyperParameterTuningJobs',
    service: SERVICE,
    source: windowed(
      ctx,
      'hyperParameterTuningJobs',
      'ListHyperParameterTuningJobs',
      (input) => paginateListHyperParameterTuningJobs({ client: sm, stopOnSameToken: true }, input),
      'InProgress',
      (page) => (page.HyperParameterTuningJobSummaries ?? []).map((j) => j.HyperParameterTuningJobName),
    ),
    describe: {
      operation: 'DescribeHyperParameterTuningJob',
      id: byName,
      read: async (name) =>
        toTuningJob(
          name,
          await sm.send(new DescribeHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name })),
        ),
    },
    complete: readTags(ctx, sm, 'hyperParameterTuningJobs'),
  });
}

async function collectTransformJobs(
  ctx: CollectContext,
  sm: SageMakerClient,
  modelsRead: Promise<unknown>,
): Promise<void> {
  const jobs = await runKind(ctx, {
    kind: 'transformJobs',
    service: SERVICE,
    source: windowed(
      ctx,
      'transformJobs',
      'ListTransformJobs',
      (input) => paginateListTransformJobs({ client: sm, stopOnSameToken: true }, input),
      'InProgress',
      (page) => (page.TransformJobSummaries ?? []).map((j) => j.TransformJobName),
    ),
    describe: {
      operation: 'DescribeTransformJob',
      id: byName,
      read: async (name) =>
        toTransformJob(name, await sm.send(new DescribeTransformJobCommand({ TransformJobName: name }))),
    },
    complete: readTags(ctx, sm, 'transformJobs'),
  });
  await modelsRead;
  const models = new Set(ctx.inventory.models.map((m) => m.modelName));
  for (const job of jobs.items) {
    if (job.modelName && models.has(job.modelName)) continue;
    await dependencyGap(
      ctx,
      site('DescribeModel', 'transformJobs', job.transformJobName),
      job.modelName
        ? `transform job ${job.transformJobName} runs model ${job.modelName}, which was not read (not listed or not described, or deleted since), so its VpcConfig and network isolation are unknown`
        : `transform job ${job.transformJobName} names no model, so its VpcConfig and network isolation are unknown`,
    );
  }
}

async function collectCompilationJobs(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await runKind(ctx, {
    kind: 'compilationJobs',
    service: SERVICE,
    source: windowed(
      ctx,
      'compilationJobs',
      'ListCompilationJobs',
      (input) => paginateListCompilationJobs({ client: sm, stopOnSameToken: true }, input),
      'INPROGRESS',
      (page) => (page.CompilationJobSummaries ?? []).map((j) => j.CompilationJobName),
    ),
    describe: {
      operation: 'DescribeCompilationJob',
      id: byName,
      read: async (name) =>
        toCompilationJob(
          name,
          await sm.send(new DescribeCompilationJobCommand({ CompilationJobName: name })),
        ),
    },
    complete: readTags(ctx, sm, 'compilationJobs'),
  });
}

async function collectAutoMLJobs(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await runKind(ctx, {
    kind: 'autoMLJobs',
    service: SERVICE,
    source: windowed(
      ctx,
      'autoMLJobs',
      'ListAutoMLJobs',
      (input) => paginateListAutoMLJobs({ client: sm, stopOnSameToken: true }, input),
      'InProgress',
      (page) => (page.AutoMLJobSummaries ?? []).map((j) => j.AutoMLJobName),
    ),
    describe: {
      operation: 'DescribeAutoMLJobV2',
      id: byName,
      read: async (name) =>
        toAutoMLJob(name, await sm.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: name }))),
    },
    complete: readTags(ctx, sm, 'autoMLJobs'),
  });
}

async function collectClusters(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await runKind(ctx, {
    kind: 'hyperPodClusters',
    service: SERVICE,
    source: [
      listing('ListClusters', paginateListClusters({ client: sm, ...PAGINATION }, {}), (page) =>
        (page.ClusterSummaries ?? []).map((c) => c.ClusterName),
      ),
    ],
    describe: {
      operation: 'DescribeCluster',
      id: byName,
      read: async (name) =>
        toHyperPodCluster(name, await sm.send(new DescribeClusterCommand({ ClusterName: name }))),
    },
    complete: readTags(ctx, sm, 'hyperPodClusters'),
  });
}

type DefinitionKind =
  | 'dataQualityJobDefinitions'
  | 'modelQualityJobDefinitions'
  | 'modelBiasJobDefinitions'
  | 'modelExplainabilityJobDefinitions';

interface DefinitionPage {
  JobDefinitionSummaries?: { MonitoringJobDefinitionName?: string | undefined }[] | undefined;
}

/** One Model Monitor job definition kind: its own list and describe calls, one mapper for all four. */
function definitionKind(
  ctx: CollectContext,
  sm: SageMakerClient,
  kind: DefinitionKind,
  type: string,
  pages: AsyncIterable<DefinitionPage>,
  describe: (name: string) => Promise<Parameters<typeof toMonitoringJobDefinition>[1]>,
) {
  return runKind(ctx, {
    kind,
    service: SERVICE,
    source: [
      listing(`List${type}JobDefinitions`, pages, (page) =>
        (page.JobDefinitionSummaries ?? []).map((d) => d.MonitoringJobDefinitionName),
      ),
    ],
    describe: {
      operation: `Describe${type}JobDefinition`,
      id: byName,
      read: async (name) => toMonitoringJobDefinition(name, await describe(name)),
    },
    complete: readTags(ctx, sm, kind),
  });
}

async function collectMonitoring(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  const client = { client: sm, ...PAGINATION };
  const named = (name: string) => ({ JobDefinitionName: name });
  await Promise.all([
    definitionKind(
      ctx,
      sm,
      'dataQualityJobDefinitions',
      'DataQuality',
      paginateListDataQualityJobDefinitions(client, {}),
      (name) => sm.send(new DescribeDataQualityJobDefinitionCommand(named(name))),
    ),
    definitionKind(
      ctx,
      sm,
      'modelQualityJobDefinitions',
      'ModelQuality',
      paginateListModelQualityJobDefinitions(client, {}),
      (name) => sm.send(new DescribeModelQualityJobDefinitionCommand(named(name))),
    ),
    definitionKind(
      ctx,
      sm,
      'modelBiasJobDefinitions',
      'ModelBias',
      paginateListModelBiasJobDefinitions(client, {}),
      (name) => sm.send(new DescribeModelBiasJobDefinitionCommand(named(name))),
    ),
    definitionKind(
      ctx,
      sm,
      'modelExplainabilityJobDefinitions',
      'ModelExplainability',
      paginateListModelExplainabilityJobDefinitions(client, {}),
      (name) => sm.send(new DescribeModelExplainabilityJobDefinitionCommand(named(name))),
    ),
    runKind(ctx, {
      kind: 'monitoringSchedules',
      service: SERVICE,
      source: [
        listing('ListMonitoringSchedules', paginateListMonitoringSchedules(client, {}), (page) =>
          (page.MonitoringScheduleSummaries ?? []).map((s) => s.MonitoringScheduleName),
        ),
      ],
      describe: {
        operation: 'DescribeMonitoringSchedule',
        id: byName,
        read: async (name) =>
          toMonitoringSchedule(
            name,
            await sm.send(new DescribeMonitoringScheduleCommand({ MonitoringScheduleName: name })),
          ),
      },
      complete: readTags(ctx, sm, 'monitoringSchedules'),
    }),
  ]);
}

async function collectInferenceComponents(ctx: CollectContext, sm: SageMakerClient): Promise<void> {
  await runKind(ctx, {
    kind: 'inferenceComponents',
    service: SERVICE,
    source: [
      listing(
        'ListInferenceComponents',
        paginateListInferenceComponents({ client: sm, ...PAGINATION }, {}),
        (page) => (page.InferenceComponents ?? []).map((c) => c.InferenceComponentName),
      ),
    ],
    describe: {
      operation: 'DescribeInferenceComponent',
      id: byName,
      read: async (name) =>
        toInferenceComponent(
          name,
          await sm.send(new DescribeInferenceComponentCommand({ InferenceComponentName: name })),
        ),
    },
    complete: readTags(ctx, sm, 'inferenceComponents'),
  });
}
