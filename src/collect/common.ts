/**
 * What every collector shares: the per-region context, the guard that turns any failed call into a
 * coverage gap, the time budget, and bounded concurrency.
 *
 * Collectors are the only code that talks to AWS. Each call goes through `guard` (one call) or
 * `pages` (a paginator), so that nothing a collector fails to read is ever mistaken for "nothing there".
 */
import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import type { CollectSettings } from '../config.ts';
import { TIME_BUDGET_EXCEEDED } from '../inventory/coverage.ts';
import {
  type CoverageGap,
  type Inventory,
  type RegionInventory,
  type ResourceKind,
  SNAPSHOT_SCHEMA_VERSION,
} from '../inventory/schema.ts';
import { type HashedTags, hashTagValue } from '../inventory/tags.ts';
import { TOOL_VERSION } from '../version.ts';

export type ProgressEvent =
  | { type: 'kind-start'; region: string; kind: ResourceKind }
  | { type: 'kind-done'; region: string; kind: ResourceKind; count: number }
  | { type: 'gap'; region: string; gap: CoverageGap };

export interface CollectOptions {
  /** Training and processing jobs created within this many days are read (plus any InProgress). */
  jobWindowDays: number;
  /** Newest-first cap on jobs of each kind per region. */
  maxJobsPerKind: number;
  /** Describe calls in flight at once, per region. */
  describeConcurrency: number;
  /** Now, injectable for tests. */
  now: () => Date;
}

export interface CollectContext {
  readonly region: string;
  readonly inventory: RegionInventory;
  readonly options: CollectOptions;
  /** Epoch ms after which no new call starts and in-flight calls are abandoned; undefined for none. */
  readonly deadline: number | undefined;
  /** Bounded concurrency for describe calls in this region. */
  readonly limit: LimitFunction;
  /** Set when collection stopped early for the time budget. */
  stoppedEarly: boolean;
  /** Set per region and job kind when maxJobsPerKind cut the list. */
  readonly jobsTruncated: Record<string, boolean>;
  readonly progress?: (event: ProgressEvent) => void;
}

export function createContext(
  inventory: RegionInventory,
  options: CollectOptions,
  deadline: number | undefined,
  progress?: (event: ProgressEvent) => void,
): CollectContext {
  return {
    region: inventory.region,
    inventory,
    options,
    deadline,
    limit: pLimit(options.describeConcurrency),
    stoppedEarly: false,
    jobsTruncated: {},
    progress,
  };
}

export interface CallSite {
  service: string;
  operation: string;
  kind: ResourceKind;
  /** For a call about one resource (a describe by id). */
  resourceId?: string;
}

export { TIME_BUDGET_EXCEEDED };

class DeadlineError extends Error {
  override readonly name = TIME_BUDGET_EXCEEDED;
}

/**
 * A signal that fires when the time budget ends (none without a budget). The clients of a collection
 * carry it on every call, so a call still in flight then is aborted, not left to hang: its socket is
 * closed and the process can end with the run. The timer does not keep the process alive by itself.
 */
export function budgetSignal(deadline: number | undefined): AbortSignal | undefined {
  if (deadline === undefined) return undefined;
  const controller = new AbortController();
  // Every call in flight listens to it (hundreds in a large account): not a leak.
  setMaxListeners(0, controller.signal);
  const timer = setTimeout(
    () => controller.abort(new DeadlineError('time budget exceeded')),
    Math.max(0, deadline - Date.now()),
  );
  timer.unref();
  return controller.signal;
}

function isAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/** Reduce any thrown value to a short, secret-free code and one-line message. */
export function describeError(err: unknown): { errorCode: string; message: string } {
  if (err instanceof DeadlineError || (isAbort(err) && (err as Error).cause instanceof DeadlineError)) {
    return {
      errorCode: TIME_BUDGET_EXCEEDED,
      message: 'the collection time budget ran out before this call finished',
    };
  }
  const e = (err ?? {}) as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
    $response?: unknown;
  };
  const raw = String(e.message ?? err ?? 'unknown error');
  const firstLine = raw.split('\n')[0]?.trim() ?? '';
  const message = firstLine.length > 300 ? `${firstLine.slice(0, 297)}...` : firstLine;
  const name = typeof e.name === 'string' ? e.name : undefined;
  const code = typeof e.Code === 'string' ? e.Code : typeof e.code === 'string' ? e.code : undefined;
  // The SDK throws a SyntaxError (with a "Deserialization error" hint) when the answer is not the
  // protocol it expects, e.g. an HTML error page for an API the endpoint does not implement.
  // An error answer the SDK could not find an error code in is named "Unknown".
  if (
    name === 'SyntaxError' ||
    name === 'Unknown' ||
    /deserializ/i.test(raw) ||
    /Unexpected token/.test(raw)
  ) {
    const status = e.$metadata?.httpStatusCode;
    return {
      errorCode: 'UnparseableResponse',
      message: `the service answered with something that is not a valid API response${status ? ` (HTTP ${status})` : ''}`,
    };
  }
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'ETIMEDOUT' || code === 'ECONNRESET') {
    return { errorCode: 'Timeout', message };
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') return { errorCode: code, message };
  return { errorCode: name && name !== 'Error' ? name : (code ?? 'UnknownError'), message };
}

function remainingMs(ctx: CollectContext): number {
  return ctx.deadline === undefined ? Number.POSITIVE_INFINITY : ctx.deadline - Date.now();
}

function recordGap(ctx: CollectContext, site: CallSite, err: unknown): void {
  // A call aborted once the budget has ended was aborted by the budget (the SDK's retry wait names
  // no cause when it is cut short).
  const cause = isAbort(err) && remainingMs(ctx) <= 0 ? new DeadlineError('time budget exceeded') : err;
  const { errorCode, message } = describeError(cause);
  if (errorCode === TIME_BUDGET_EXCEEDED) ctx.stoppedEarly = true;
  const gap: CoverageGap = {
    service: site.service,
    operation: site.operation,
    kind: site.kind,
    ...(site.resourceId ? { resourceId: site.resourceId } : {}),
    errorCode,
    message,
  };
  ctx.inventory.gaps.push(gap);
  ctx.progress?.({ type: 'gap', region: ctx.region, gap });
}

/**
 * Race a promise against the deadline, so a collector never waits past it even on a client that
 * carries no budget signal (the clients of a collection do: they abort the call itself).
 */
async function withinDeadline<T>(ctx: CollectContext, work: Promise<T>): Promise<T> {
  const left = remainingMs(ctx);
  if (!Number.isFinite(left)) return work;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError('time budget exceeded')), Math.max(0, left));
  });
  try {
    return await Promise.race([work, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run one AWS call. Any failure (access denied, throttling past the SDK's retries, a timeout, an
 * unparseable answer, the time budget) is recorded as a coverage gap and yields undefined.
 */
export async function guard<T>(
  ctx: CollectContext,
  site: CallSite,
  call: () => Promise<T>,
): Promise<T | undefined> {
  if (remainingMs(ctx) <= 0) {
    recordGap(ctx, site, new DeadlineError('time budget exceeded'));
    return undefined;
  }
  try {
    return await withinDeadline(ctx, call());
  } catch (err) {
    recordGap(ctx, site, err);
    return undefined;
  }
}

/** `guard` under the region's describe concurrency limit. */
export function limited<T>(
  ctx: CollectContext,
  site: CallSite,
  call: () => Promise<T>,
): Promise<T | undefined> {
  return ctx.limit(() => guard(ctx, site, call));
}

/**
 * Walk an SDK v3 paginator. Pages read before a failure are kept (and handed to `onPage`); the
 * failure becomes a gap for the kind, so rules know the list is incomplete. Returns false on a gap.
 */
export async function pages<P>(
  ctx: CollectContext,
  site: CallSite,
  paginator: AsyncIterable<P>,
  onPage: (page: P) => void | Promise<void>,
): Promise<boolean> {
  const iterator = paginator[Symbol.asyncIterator]();
  for (;;) {
    if (remainingMs(ctx) <= 0) {
      recordGap(ctx, site, new DeadlineError('time budget exceeded'));
      return false;
    }
    let step: IteratorResult<P>;
    try {
      step = await withinDeadline(ctx, iterator.next());
    } catch (err) {
      recordGap(ctx, site, err);
      return false;
    }
    if (step.done) return true;
    await onPage(step.value);
  }
}

/** Report a kind's collection to the progress display. */
export async function collectKind(
  ctx: CollectContext,
  kind: ResourceKind,
  work: () => Promise<number>,
): Promise<void> {
  ctx.progress?.({ type: 'kind-start', region: ctx.region, kind });
  const count = await work();
  ctx.progress?.({ type: 'kind-done', region: ctx.region, kind, count });
}

/** Drop undefined values, so optional fields are absent rather than undefined in the snapshot. */
export function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) {
    if (value[key] === undefined) delete value[key];
  }
  return value;
}

/** A tag as every AWS SDK models it (EC2, SageMaker and Network Firewall `Tag`). */
export interface SdkTag {
  Key?: string | undefined;
  Value?: string | undefined;
}

/**
 * A resource's tags as the inventory keeps them: each key as AWS gives it, each value hashed (the
 * value itself is never kept: tag values can hold secrets). Only for tags that were read: an answer
 * that carries no tag list means the resource has none (`{}`); a resource whose tags could not be
 * read gets no `tags` at all. Keys are sorted, so snapshots of the same account compare equal.
 */
export function hashTags(tags: readonly SdkTag[] | undefined): HashedTags {
  const keys = new Map<string, string>();
  for (const tag of tags ?? []) if (tag.Key) keys.set(tag.Key, tag.Value ?? '');
  const out: HashedTags = {};
  for (const key of [...keys.keys()].sort()) out[key] = hashTagValue(keys.get(key) as string);
  return out;
}

/**
 * The value of the `Name` tag, readable (the one tag value the inventory keeps as given: what the EC2
 * console shows beside an id); undefined when there is none. An empty Name is no name.
 */
export function nameTagOf(tags: readonly SdkTag[] | undefined): string | undefined {
  const value = tags?.find((t) => t.Key === 'Name')?.Value;
  return value ? value : undefined;
}

/** Recorded when a kind could not be read because the kind it is reached through was not read. */
export class DependencyNotCollectedError extends Error {
  override readonly name = 'DependencyNotCollected';
}

/** An answer that lacks a field the inventory cannot do without; the item becomes a gap. */
export class IncompleteResponseError extends Error {
  override readonly name = 'IncompleteResponse';
}

/** A field the inventory cannot do without; its absence makes the item a gap (IncompleteResponse). */
export function required<T>(value: T | undefined | null, field: string): T {
  if (value === undefined || value === null) throw new IncompleteResponseError(`the answer has no ${field}`);
  return value;
}

/** Record that a kind was not read because the kind it is reached through was not read. */
export async function dependencyGap(ctx: CollectContext, site: CallSite, message: string): Promise<void> {
  await guard(ctx, site, () => Promise.reject(new DependencyNotCollectedError(message)));
}

/** Call sites of one service: `site('ListFirewalls', 'firewalls', arn?)`. */
export function siteFor(
  service: string,
): (operation: string, kind: ResourceKind, resourceId?: string) => CallSite {
  return (operation, kind, resourceId) => compact({ service, operation, kind, resourceId });
}

/** The defined items of a list of optional results. */
export function keep<T>(items: (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}

/** The snapshot of what was collected: format, tool, timing, and the bounds that apply to every scope. */
export function snapshotOf(parts: {
  started: number;
  settings: CollectSettings;
  /** Jobs created after this were read (plus any still in progress). */
  windowStart: Date;
  regions: string[];
  jobsTruncated: Record<string, boolean>;
  stoppedEarly: boolean;
  scopes: RegionInventory[];
}): Inventory {
  const { started, settings } = parts;
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: { name: 'ml-network-audit', version: TOOL_VERSION },
    collectedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    bounds: {
      regions: parts.regions,
      jobWindowDays: settings.jobWindowDays,
      jobsCreatedAfter: parts.windowStart.toISOString(),
      maxJobsPerKind: settings.maxJobsPerKind,
      jobsTruncated: parts.jobsTruncated,
      describeConcurrency: settings.describeConcurrency,
      ...(settings.timeBudgetMs !== undefined ? { timeBudgetMs: settings.timeBudgetMs } : {}),
      stoppedEarly: parts.stoppedEarly,
    },
    regions: parts.scopes,
  };
}
