/**
 * One inventory from many: the organization run collects each account into a snapshot of its own and
 * joins them here, so the analyzer sees the organization as one network (one set of scopes, one run).
 *
 * An account whose snapshot is missing (its collection failed, timed out, or was never started) is
 * not dropped: it becomes scopes that hold only coverage gaps, with every resource kind marked unread,
 * so every rule says NOT_EVALUATED for it instead of reporting it clean, and finding state does not
 * resolve its open findings.
 */
import { partitionOf } from './arn.ts';
import { RESOURCE_KINDS } from './kinds.ts';
import {
  type CoverageGap,
  emptyRegionInventory,
  type Inventory,
  type RegionInventory,
  SNAPSHOT_SCHEMA_VERSION,
} from './schema.ts';

export class JoinError extends Error {
  override readonly name = 'JoinError';
}

/** What stands in for an account that was not read: the call that failed and why. */
export interface UnreadAccount {
  account: string;
  regions: readonly string[];
  /** The failed call, e.g. `{ service: 'sts', operation: 'AssumeRole' }`. */
  service: string;
  operation: string;
  errorCode: string;
  message: string;
  /** Why each resource kind is unread (the `message` of the per-kind gaps). */
  why: string;
}

/** The scopes of an account that was not read: the gap of the failed call, and every kind unread. */
export function unreadAccountScopes(unread: UnreadAccount): RegionInventory[] {
  const { account, service, operation } = unread;
  return unread.regions.map((region) => {
    const scope = emptyRegionInventory(account, region, partitionOf(region));
    const first: CoverageGap = {
      service,
      operation,
      kind: 'account',
      errorCode: unread.errorCode,
      message: unread.message,
    };
    const kinds: CoverageGap[] = RESOURCE_KINDS.filter((k) => k !== 'account' && k !== 'regions').map(
      (kind) => ({
        service,
        operation,
        kind,
        errorCode: 'DependencyNotCollected',
        message: unread.why,
      }),
    );
    scope.gaps.push(first, ...kinds);
    return scope;
  });
}

const earliest = (a: string, b: string) => (a <= b ? a : b);

/**
 * Join snapshots (each one or more accounts) and the accounts that were not read into one inventory.
 * Bounds speak for all of them: the union of regions and truncated job lists, stopped early if any
 * stopped early, collected at the earliest start, lasting until the last one ended. Two snapshots
 * holding the same (account, region) scope are an error: one would double the other's findings.
 */
export function joinInventories(
  parts: readonly Inventory[],
  unread: readonly UnreadAccount[] = [],
  /** The tool and bounds to state when no snapshot was read at all (every account unread). */
  fallback?: Pick<Inventory, 'tool' | 'bounds'>,
): Inventory {
  const first = parts[0] ?? fallback;
  if (!first || (parts.length === 0 && unread.length === 0)) {
    throw new JoinError('nothing to join: no snapshot, and no unread account with a fallback');
  }
  const scopes: RegionInventory[] = [];
  const where = new Map<string, number>();
  const add = (scope: RegionInventory, source: string) => {
    const key = `${scope.account}/${scope.region}`;
    const before = where.get(key);
    if (before !== undefined) {
      throw new JoinError(
        `account ${scope.account} region ${scope.region} is in more than one part (${source} and part ${before}): each (account, region) scope is collected once`,
      );
    }
    where.set(key, scopes.length);
    scopes.push(scope);
  };
  const regions = new Set<string>();
  const jobsTruncated: Record<string, boolean> = {};
  let stoppedEarly = false;
  let collectedAt = parts[0]?.collectedAt;
  let endMs = 0;
  parts.forEach((part, i) => {
    for (const scope of part.regions) add(scope, `part ${i}`);
    for (const r of part.bounds.regions) regions.add(r);
    Object.assign(jobsTruncated, part.bounds.jobsTruncated);
    stoppedEarly ||= part.bounds.stoppedEarly;
    collectedAt = collectedAt === undefined ? part.collectedAt : earliest(collectedAt, part.collectedAt);
    endMs = Math.max(endMs, Date.parse(part.collectedAt) + (part.durationMs ?? 0));
  });
  for (const u of unread) {
    for (const scope of unreadAccountScopes(u)) add(scope, `unread account ${u.account}`);
    for (const r of u.regions) regions.add(r);
  }
  const start = collectedAt ?? new Date().toISOString();
  const { bounds } = first;
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    tool: first.tool,
    collectedAt: start,
    ...(parts.length > 0 ? { durationMs: Math.max(0, endMs - Date.parse(start)) } : {}),
    bounds: {
      regions: [...regions].sort(),
      jobWindowDays: bounds.jobWindowDays,
      jobsCreatedAfter: parts.map((p) => p.bounds.jobsCreatedAfter).reduce(earliest, bounds.jobsCreatedAfter),
      maxJobsPerKind: bounds.maxJobsPerKind,
      jobsTruncated,
      describeConcurrency: bounds.describeConcurrency,
      ...(bounds.timeBudgetMs !== undefined ? { timeBudgetMs: bounds.timeBudgetMs } : {}),
      stoppedEarly,
    },
    regions: scopes,
  };
}
