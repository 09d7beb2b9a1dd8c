/**
 * The bounded window of training and processing jobs: jobs created within `jobWindowDays`, plus any
 * still InProgress, newest first, at most `maxJobsPerKind` of each kind per region.
 */
import type { ResourceArrayKind } from '../inventory/kinds.ts';
import type { CallSite, CollectContext } from './common.ts';
import { pages } from './common.ts';
import type { Listed } from './task.ts';

const DAY_MS = 86_400_000;

interface JobPage {
  NextToken?: string | undefined;
}

export function jobWindowStart(ctx: CollectContext): Date {
  return new Date(ctx.options.now().getTime() - ctx.options.jobWindowDays * DAY_MS);
}

/**
 * Gather job names, newest first, from the recent-window listing then the InProgress listing,
 * deduplicated, stopping at `maxJobsPerKind`. When the cap cut the list, the region's kind is marked
 * truncated (`ctx.jobsTruncated`).
 */
export async function boundedJobNames<P extends JobPage>(
  ctx: CollectContext,
  kind: ResourceArrayKind,
  listings: { site: CallSite; paginator: AsyncIterable<P> }[],
  namesOf: (page: P) => string[],
): Promise<Listed<string>> {
  const max = ctx.options.maxJobsPerKind;
  const names = new Set<string>();
  let truncated = false;
  let complete = true;
  for (const listing of listings) {
    if (truncated) break;
    let full = false;
    const read = await pages(
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
    complete &&= read;
  }
  if (truncated) ctx.jobsTruncated[`${ctx.region}/${kind}`] = true;
  return { refs: [...names], complete };
}

/** Stop pulling pages (and so stop calling the API) once `full()` says enough were read. */
export async function* untilFull<P>(paginator: AsyncIterable<P>, full: () => boolean): AsyncGenerator<P> {
  for await (const page of paginator) {
    yield page;
    if (full()) return;
  }
}
