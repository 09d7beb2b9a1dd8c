/**
 * The mechanics under the lifecycle stage (stage.ts): one run's findings through suppressions and the
 * state store (trackRun), each finding marked with what that made of it (annotateFindings), then the
 * digest its policy allows (digestFor). The entries call the stage, not these.
 */
import { type Finding, SEVERITIES, type Severity } from '../analyze/engine/finding.ts';
import { buildDigest, type Digest, type ReportLink } from '../report/digest.ts';
import type { AuditResult, LifecycleCounts } from '../result.ts';
import { buildPolicyDigest, type DigestKind } from './digest-policy.ts';
import {
  applyRun,
  claimPending,
  claimReminder,
  releaseClaims,
  type SuppressionDecision,
} from './state/engine.ts';
import type { Scope, StateStore } from './state/store.ts';
import { type FindingState, type StateStatus, stateKey, type TransitionContext } from './state/transition.ts';

export const RESOLVED_RETENTION_DAYS = 90;

export interface Lifecycle {
  ctx: TransitionContext;
  store?: StateStore;
  /** Lifecycle status of each FAIL finding of the run, by state key. */
  status: Map<string, StateStatus>;
  decisions: Map<string, SuppressionDecision>;
  /** Items after the run (empty without a store). */
  items: FindingState[];
  counts: LifecycleCounts;
}

/** The audited `account#region` pairs: the inventory's, else every account with every region. */
export function runScopes(
  result: AuditResult,
  inventory?: { regions?: { account: string; region: string }[] },
) {
  const pairs = inventory?.regions?.map((s) => `${s.account}#${s.region}`);
  if (pairs?.length) return [...new Set(pairs)];
  return result.run.accounts.flatMap((a) => result.run.regions.map((r) => `${a}#${r}`));
}

export async function trackRun(opts: {
  result: AuditResult;
  scopes: readonly Scope[];
  store?: StateStore;
  suppress?: (f: Finding) => SuppressionDecision;
  now: Date;
}): Promise<Lifecycle> {
  const { result } = opts;
  const ctx: TransitionContext = {
    now: opts.now.toISOString(),
    runId: result.run.id,
    resolvedRetentionDays: RESOLVED_RETENTION_DAYS,
  };
  const fails = result.findings.filter((f) => f.status === 'FAIL');
  const decisions = new Map<string, SuppressionDecision>();
  for (const f of fails) decisions.set(stateKey(f), opts.suppress?.(f) ?? {});
  const openBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const status = new Map<string, StateStatus>();

  if (!opts.store) {
    let suppressed = 0;
    for (const f of fails) {
      const isSuppressed = decisions.get(stateKey(f))?.suppression !== undefined;
      status.set(stateKey(f), isSuppressed ? 'SUPPRESSED' : 'NEW');
      if (isSuppressed) suppressed++;
      else openBySeverity[f.severity]++;
    }
    return {
      ctx,
      status,
      decisions,
      items: [],
      counts: { new: fails.length - suppressed, resolved: 0, suppressed, openBySeverity, conflicts: 0 },
    };
  }

  const run = await applyRun(opts.store, {
    coverage: {
      rules: result.run.rules,
      scopes: opts.scopes,
      minSeverity: result.run.minSeverity,
      findings: result.findings,
      jobsTruncated: result.run.bounds?.jobsTruncated ?? {},
    },
    suppress: (f) => decisions.get(stateKey(f)) ?? {},
    ctx,
  });
  const counts: LifecycleCounts = {
    new: 0,
    resolved: 0,
    suppressed: 0,
    openBySeverity,
    conflicts: run.conflicts,
  };
  for (const change of run.changes.values()) {
    if (change === 'new') counts.new++;
    else if (change === 'resolved') counts.resolved++;
    else if (change === 'suppressed') counts.suppressed++;
  }
  for (const item of run.items) {
    if (item.status === 'NEW' || item.status === 'OPEN') openBySeverity[item.severity]++;
    if (item.lastRunId === ctx.runId && item.status !== 'RESOLVED') status.set(stateKey(item), item.status);
  }
  return { ctx, store: opts.store, status, decisions, items: run.items, counts };
}

export interface NotifyOutcome {
  digest?: Digest;
  kind?: DigestKind;
  /** Undo the claims (the digest was not published): its changes stay pending for the next run. */
  release: () => Promise<void>;
}

/**
 * The digest of this run under `notify` (`new` or `all`; the caller handles `none` and dry runs).
 * With a store, the pending changes are claimed first, so of two overlapping runs only one tells each.
 */
export async function digestFor(
  life: Lifecycle,
  result: AuditResult,
  opts: {
    notify: 'new' | 'all';
    threshold: Severity;
    reminderIntervalDays: number;
    reportLinks?: readonly ReportLink[];
  },
): Promise<NotifyOutcome> {
  const links = opts.reportLinks?.length ? { reportLinks: opts.reportLinks } : {};
  const byKey = new Map(result.findings.filter((f) => f.status === 'FAIL').map((f) => [stateKey(f), f]));
  const open = [...byKey.entries()]
    .filter(([k]) => life.decisions.get(k)?.suppression === undefined)
    .map(([, f]) => f);
  const noop = async () => {};

  if (!life.store) {
    // No state: every unsuppressed finding is new; the digest is the plain one of the run.
    const digest = buildDigest(result, opts.threshold, open, links);
    return { ...(digest ? { digest, kind: opts.notify === 'all' ? 'all' : 'changes' } : {}), release: noop };
  }

  const store = life.store;
  // Pending NEW items are told only when this run saw the finding (the digest needs its details).
  const claimable = life.items.filter(
    (s) => s.pending === 'RESOLVED' || (s.pending === 'NEW' && byKey.has(stateKey(s))),
  );
  const claimed = await claimPending(store, claimable, life.ctx);
  const release = () => releaseClaims(store, claimed, life.ctx);
  const newFindings = claimed
    .filter((s) => s.pending === 'NEW')
    .map((s) => byKey.get(stateKey(s)))
    .filter((f): f is Finding => f !== undefined);
  const resolved = claimed.filter((s) => s.pending === 'RESOLVED');
  const expired = claimed.flatMap((s) => {
    const f = byKey.get(stateKey(s));
    return s.pending === 'NEW' && s.expiredSuppression && f
      ? [{ suppression: s.expiredSuppression, finding: f }]
      : [];
  });
  const changes = { newFindings, resolved, expired };

  if (opts.notify === 'all') {
    const digest = buildPolicyDigest(result, opts.threshold, 'all', open, changes, links);
    return { ...(digest ? { digest, kind: 'all' as const } : {}), release };
  }
  const digest = buildPolicyDigest(result, opts.threshold, 'changes', open, changes, links);
  // A digest of changes lists exactly what changed; the reminder goes out on a run without changes.
  if (digest) return { digest, kind: 'changes', release };
  if (await claimReminder(store, life.ctx.now, opts.reminderIntervalDays)) {
    const reminder = buildPolicyDigest(
      result,
      opts.threshold,
      'reminder',
      open,
      { newFindings: [], resolved: [], expired: [] },
      links,
    );
    if (reminder) return { digest: reminder, kind: 'reminder', release };
  }
  return { release };
}

/** A finding as logged: its lifecycle status, and for a suppressed one status SUPPRESSED and the reason. */
export function annotateFindings(result: AuditResult, life: Lifecycle): AuditResult {
  const findings = result.findings.map((f) => {
    if (f.status !== 'FAIL') return f;
    const key = stateKey(f);
    const d = life.decisions.get(key);
    const lifecycle = life.status.get(key);
    if (d?.suppression)
      return { ...f, status: 'SUPPRESSED', lifecycle: 'SUPPRESSED', suppression: d.suppression };
    return {
      ...f,
      ...(lifecycle ? { lifecycle } : {}),
      ...(d?.expired ? { suppressionExpired: d.expired } : {}),
    };
  });
  return { ...result, findings: findings as Finding[] };
}
