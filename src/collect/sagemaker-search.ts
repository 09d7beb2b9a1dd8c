/**
 * Training jobs through SageMaker `Search` (Resource TrainingJob): up to 100 full records per call,
 * each with its VpcConfig, network isolation, inter-container encryption, resource config and tags.
 * One call per hundred jobs, where List + Describe + ListTags cost two calls per job and one more.
 *
 * The request asks for the job window, newest first: jobs created after the window start, or still
 * InProgress (as the List path reads them), sorted by CreationTime descending, 100 a page, until
 * `maxJobsPerKind`. The window is also applied here, record by record, so the answer is the same
 * whatever the server did with the filter: moto 5.2.1 reads only a top-level `Filters` list (and
 * compares every operator as Equals, so a CreationTime window there returns nothing), ignores
 * `SubExpressions`, `SortBy` and `MaxResults`, and answers everything in one page. The window is sent
 * as two sub-expressions joined by Or, which AWS applies and moto ignores; each page is sorted
 * newest first before the cap is applied, which changes nothing on AWS (its pages are sorted) and
 * makes moto's single page keep the newest jobs too.
 *
 * Secrets: a record carries Environment, HyperParameters, the role and the data channels. The mapper
 * copies only the schema's fields (`fromTrainingJobRecord`), and the page is dropped once mapped.
 *
 * Where `Search` is denied or unavailable on the first call (an IAM policy without sagemaker:Search,
 * a partition without the API, a validation error for the resource), the caller falls back to List +
 * Describe + ListTags, and the failed call stays in the coverage as an informational note
 * (`FallbackToListAndDescribe`): nothing is unaudited, it only costs more. Any other failure (a page
 * throttled past the retries, the time budget) is a coverage gap for training jobs, as for any list.
 */
import {
  paginateSearch,
  type SageMakerClient,
  type TrainingJob as SdkTrainingJob,
  type SearchCommandInput,
} from '@aws-sdk/client-sagemaker';
import { FALLBACK_TO_LIST_AND_DESCRIBE } from '../inventory/coverage.ts';
import type { TrainingJob } from '../inventory/schema.ts';
import { type CollectContext, guard, keep, pages, siteFor } from './common.ts';
import { jobWindowStart, untilFull } from './sagemaker-jobs.ts';
import { fromTrainingJobRecord } from './sagemaker-map.ts';
import { PAGE_SIZE } from './sagemaker-tags.ts';
import type { Listed } from './task.ts';

const site = siteFor('sagemaker');

/** Error codes that mean Search cannot serve this account or region at all: read the old way. */
const UNAVAILABLE =
  /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess|UnknownOperationException|UnknownOperation|ValidationException)$/;

/** The filter value format for timestamps: ISO 8601 to the second, `YYYY-mm-dd'T'HH:MM:SS` (UTC). */
function filterTime(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/**
 * The Search request for the training-job window. The server's window (to the second, rounded down)
 * is never narrower than the client's: the client filter decides.
 */
export function trainingJobSearch(windowStart: Date): SearchCommandInput {
  return {
    Resource: 'TrainingJob',
    SearchExpression: {
      SubExpressions: [
        { Filters: [{ Name: 'CreationTime', Operator: 'GreaterThan', Value: filterTime(windowStart) }] },
        { Filters: [{ Name: 'TrainingJobStatus', Operator: 'Equals', Value: 'InProgress' }] },
      ],
      Operator: 'Or',
    },
    SortBy: 'CreationTime',
    SortOrder: 'Descending',
    MaxResults: PAGE_SIZE,
  };
}

/** In the window as the List path reads it: created after the window start, or still InProgress. */
function inWindow(job: SdkTrainingJob, windowStart: Date): boolean {
  if (job.TrainingJobStatus === 'InProgress') return true;
  const created = job.CreationTime;
  return created instanceof Date && created.getTime() > windowStart.getTime();
}

const createdMs = (job: SdkTrainingJob) => job.CreationTime?.getTime() ?? Number.NEGATIVE_INFINITY;

/**
 * The training jobs of the window through Search, mapped and tagged, newest first, at most
 * `maxJobsPerKind` (a cut marks `ctx.jobsTruncated`). Undefined when Search is unavailable: the note
 * is recorded and the caller reads the jobs the old way.
 */
export async function searchTrainingJobs(
  ctx: CollectContext,
  sm: SageMakerClient,
): Promise<Listed<TrainingJob> | undefined> {
  const windowStart = jobWindowStart(ctx);
  const max = ctx.options.maxJobsPerKind;
  const searchSite = site('Search', 'trainingJobs');
  const jobs = new Map<string, TrainingJob>();
  let pagesRead = 0;
  let full = false;
  let truncated = false;
  const paginator = paginateSearch(
    { client: sm, pageSize: PAGE_SIZE, stopOnSameToken: true },
    trainingJobSearch(windowStart),
  );
  const complete = await pages(
    ctx,
    searchSite,
    untilFull(paginator, () => full),
    async (page) => {
      pagesRead += 1;
      const records = keep((page.Results ?? []).map((r) => r.TrainingJob))
        .filter((job) => inWindow(job, windowStart))
        .sort((a, b) => createdMs(b) - createdMs(a));
      for (const record of records) {
        // A record without a name is a gap (IncompleteResponse), never a job silently skipped.
        const job = await guard(ctx, searchSite, async () => fromTrainingJobRecord(record));
        if (!job || jobs.has(job.trainingJobName)) continue;
        if (jobs.size >= max) {
          truncated = true;
          break;
        }
        jobs.set(job.trainingJobName, job);
      }
      if (jobs.size >= max) {
        full = true;
        if (page.NextToken) truncated = true;
      }
    },
  );
  if (!complete && pagesRead === 0 && noteUnavailable(ctx)) return undefined;
  if (truncated) ctx.jobsTruncated[`${ctx.region}/trainingJobs`] = true;
  return { refs: [...jobs.values()], complete };
}

/**
 * When the first Search call failed because Search cannot serve here, turn its gap into the
 * informational note and say so; any other failure stays a gap.
 */
function noteUnavailable(ctx: CollectContext): boolean {
  const gaps = ctx.inventory.gaps;
  const index = gaps.findLastIndex(
    (g) => g.service === 'sagemaker' && g.operation === 'Search' && g.kind === 'trainingJobs',
  );
  const failed = gaps[index];
  if (!failed || !UNAVAILABLE.test(failed.errorCode)) return false;
  gaps[index] = {
    ...failed,
    errorCode: FALLBACK_TO_LIST_AND_DESCRIBE,
    message: `Search failed (${failed.errorCode}: ${failed.message}); training jobs were read with ListTrainingJobs, DescribeTrainingJob and ListTags instead: complete, at two calls per job`,
    informational: true,
  };
  return true;
}
