/**
 * Did a run audit what it was asked to? Judged from the inventory it read (collected now or a
 * snapshot), never from the findings, so that a run that read nothing can never pass as clean.
 *
 * - **Nothing audited** (the run fails: the CLI exits 1 after its report, which names every failed
 *   call; the Lambda fails the invocation): no AWS credentials could be loaded (the CLI stops before
 *   any report); the inventory holds no scope; it holds no resource at all (a snapshot with zero
 *   resources counts); or every scope failed.
 * - **A scope failed**: it holds no resource and at least one call failed for it (a coverage gap that
 *   is not an informational note). Every listing failed (an unreachable endpoint, a denied region, a
 *   role that could not be assumed), or those that answered found nothing while others failed: either
 *   way nothing in it was seen. A scope with no resource and no failed call is an empty region, and
 *   is audited. When some scopes failed and others were audited, the report of the others is
 *   complete for what they read (the failed scopes are in it as coverage gaps), and the run still
 *   fails (exit 1), naming the failed scopes.
 */
import type { CoverageGap, Inventory, RegionInventory } from './inventory/schema.ts';
import { RESOURCE_ARRAY_KEYS } from './inventory/schema.ts';

/** The run audited nothing: the CLI exits 1 with the message, the Lambda fails the invocation. */
export class NothingAuditedError extends Error {
  override readonly name = 'NothingAuditedError';
}

export type RunVerdict =
  | { readonly kind: 'audited' }
  /** Some scopes were audited, these were not. */
  | { readonly kind: 'partial'; readonly reason: string; readonly failed: readonly string[] }
  | { readonly kind: 'nothing'; readonly reason: string; readonly credentials?: true };

/** Network errors: the endpoint could not be reached at all. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'Timeout',
]);

/** The resources one scope holds. */
export function resourceCount(scope: RegionInventory): number {
  let n = 0;
  for (const key of RESOURCE_ARRAY_KEYS) n += scope[key].length;
  return n;
}

const realGaps = (scope: RegionInventory) => scope.gaps.filter((g) => !g.informational);

/** A scope that read nothing while some call for it failed. */
export function scopeFailed(scope: RegionInventory): boolean {
  return resourceCount(scope) === 0 && realGaps(scope).length > 0;
}

function label(scope: RegionInventory): string {
  return scope.account === 'unknown'
    ? `${scope.region} (account unknown)`
    : `${scope.account} ${scope.region}`;
}

function firstFailure(gaps: readonly CoverageGap[]): string {
  const g = gaps[0];
  if (!g) return '';
  const where = UNREACHABLE.has(g.errorCode) ? 'the AWS endpoint could not be reached; ' : '';
  return ` (${where}first failure: ${g.service}:${g.operation} ${g.errorCode}: ${g.message})`;
}

function listed(labels: readonly string[], max = 5): string {
  return labels.length <= max
    ? labels.join(', ')
    : `${labels.slice(0, max).join(', ')} and ${labels.length - max} more`;
}

/** What the run audited, from the inventory it read. */
export function judgeRun(inventory: Inventory): RunVerdict {
  const allGaps = inventory.regions.flatMap(realGaps);
  const creds = allGaps.find((g) => g.errorCode === 'CredentialsProviderError');
  if (creds)
    return {
      kind: 'nothing',
      credentials: true,
      reason: `no AWS credentials could be loaded (${creds.message}); set AWS_PROFILE (or --profile) or credentials`,
    };
  if (inventory.regions.length === 0)
    return { kind: 'nothing', reason: 'audited nothing: no region was read (the inventory holds no scope)' };
  const failed = inventory.regions.filter(scopeFailed);
  if (failed.length === inventory.regions.length)
    return {
      kind: 'nothing',
      reason: `audited nothing: every call failed in ${listed(failed.map(label))}${firstFailure(realGaps(failed[0]!))}`,
    };
  const total = inventory.regions.reduce((n, s) => n + resourceCount(s), 0);
  if (total === 0)
    return {
      kind: 'nothing',
      reason: `audited nothing: 0 resources read in ${inventory.regions.length} region(s) (${listed(inventory.regions.map(label))})`,
    };
  if (failed.length > 0) {
    const labels = failed.map(label);
    return {
      kind: 'partial',
      failed: labels,
      reason: `not audited: every call failed in ${listed(labels)}${firstFailure(realGaps(failed[0]!))}; the report covers the other ${inventory.regions.length - failed.length} region(s)`,
    };
  }
  return { kind: 'audited' };
}

/**
 * For the CLI: without credentials the run stops now (NothingAuditedError: there is nothing to report
 * but that), and so does a `collect` that read nothing (`report: false`: no snapshot of nothing is
 * written). Otherwise the report is written — it names every call that failed — and a run that
 * audited nothing, or not every scope, then exits 1 with the line this returns; a full audit, undefined.
 */
export function unauditedOrThrow(inventory: Inventory, { report = true } = {}): string | undefined {
  const verdict = judgeRun(inventory);
  if (verdict.kind === 'nothing' && (verdict.credentials || !report))
    throw new NothingAuditedError(verdict.reason);
  return verdict.kind === 'audited' ? undefined : verdict.reason;
}
