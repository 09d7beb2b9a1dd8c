/**
 * Amazon Bedrock model customization jobs (fine-tuning, continued pre-training, distillation) within
 * the job window, like training jobs: ListModelCustomizationJobs newest first (created in the window,
 * then any InProgress), GetModelCustomizationJob for each, ListTagsForResource for its tags. Their
 * vpcConfig places them; hyperparameters and data locations are never kept.
 *
 * The Bedrock SDK is loaded on the first call (clients.ts); a failure to load it is a coverage gap.
 */
import type {
  BedrockClient,
  GetModelCustomizationJobResponse,
  ListModelCustomizationJobsResponse,
} from '@aws-sdk/client-bedrock';
import type { BedrockCustomizationJob } from '../inventory/schema.ts';
import type { LazyClient } from './clients.ts';
import { type CollectContext, compact, guard, hashTags, keep, siteFor } from './common.ts';
import { boundedJobNames, jobWindowStart } from './sagemaker-jobs.ts';
import { isoTime } from './sagemaker-map.ts';
import { runKind } from './task.ts';

const SERVICE = 'bedrock';
const site = siteFor(SERVICE);
const KIND = 'bedrockCustomizationJobs';

/** hyperParameters, training / validation / output data locations and metrics are deliberately not kept. */
export function toBedrockCustomizationJob(
  arn: string,
  j: GetModelCustomizationJobResponse,
): BedrockCustomizationJob {
  const vpc = j.vpcConfig;
  return compact({
    jobName: j.jobName ?? arn.split('/').pop() ?? arn,
    jobArn: j.jobArn ?? arn,
    status: j.status,
    creationTime: isoTime(j.creationTime),
    customizationType: j.customizationType,
    baseModelArn: j.baseModelArn,
    vpcConfig:
      vpc && ((vpc.subnetIds ?? []).length > 0 || (vpc.securityGroupIds ?? []).length > 0)
        ? { subnets: [...(vpc.subnetIds ?? [])], securityGroupIds: [...(vpc.securityGroupIds ?? [])] }
        : undefined,
  });
}

/** Bedrock pages carry `nextToken`; the job window reads `NextToken`. */
async function* pagesOf(
  bedrock: BedrockClient,
  input: object,
): AsyncGenerator<ListModelCustomizationJobsResponse & { NextToken?: string | undefined }> {
  const { paginateListModelCustomizationJobs } = (await import('./bedrock-sdk.ts')).bedrockSdk;
  for await (const page of paginateListModelCustomizationJobs(
    { client: bedrock, pageSize: 100, stopOnSameToken: true },
    { sortBy: 'CreationTime', sortOrder: 'Descending', ...input },
  )) {
    yield { ...page, NextToken: page.nextToken };
  }
}

export async function collectBedrock(ctx: CollectContext, lazy: LazyClient<BedrockClient>): Promise<void> {
  const bedrock = await guard(ctx, site('ListModelCustomizationJobs', KIND), () => lazy.get());
  if (!bedrock) return;
  const { GetModelCustomizationJobCommand, ListTagsForResourceCommand } = (await import('./bedrock-sdk.ts'))
    .bedrockSdk;
  const found = await runKind(ctx, {
    kind: KIND,
    service: SERVICE,
    source: () =>
      boundedJobNames(
        ctx,
        KIND,
        [
          {
            site: site('ListModelCustomizationJobs', KIND),
            paginator: pagesOf(bedrock, { creationTimeAfter: jobWindowStart(ctx) }),
          },
          {
            site: site('ListModelCustomizationJobs', KIND),
            paginator: pagesOf(bedrock, { statusEquals: 'InProgress' }),
          },
        ],
        (page) => keep((page.modelCustomizationJobSummaries ?? []).map((j) => j.jobArn)),
      ),
    describe: {
      operation: 'GetModelCustomizationJob',
      id: (arn) => arn,
      read: async (arn) =>
        toBedrockCustomizationJob(
          arn,
          await bedrock.send(new GetModelCustomizationJobCommand({ jobIdentifier: arn })),
        ),
    },
    complete: async (items) => {
      await Promise.all(
        items.map((item) =>
          ctx.limit(async () => {
            const answer = await guard(ctx, site('ListTagsForResource', 'tags', item.jobArn), () =>
              bedrock.send(new ListTagsForResourceCommand({ resourceARN: item.jobArn })),
            );
            if (answer)
              item.tags = hashTags((answer.tags ?? []).map((t) => ({ Key: t.key, Value: t.value })));
          }),
        ),
      );
    },
  });
  if (!found.complete) notOffered(ctx);
}

/**
 * Bedrock is not offered in every region: where its endpoint name does not resolve (while the
 * region's other services answer), no customization job can exist there, so the failed listing is a
 * note, not a gap that leaves the region's network rules NOT_EVALUATED.
 */
function notOffered(ctx: CollectContext): void {
  for (const gap of ctx.inventory.gaps) {
    if (gap.service !== SERVICE || gap.errorCode !== 'ENOTFOUND' || gap.resourceId) continue;
    gap.informational = true;
    gap.message = `no Amazon Bedrock endpoint resolves in ${ctx.region} (Bedrock is not offered there), so no customization job can exist: ${gap.message}`;
  }
}
