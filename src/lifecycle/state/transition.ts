/**
 * The finding lifecycle, pure: what one run's observation of one fingerprint does to its stored state.
 * No I/O here; the stores (DynamoDB, JSON file) and the engine that applies these transitions with
 * conditional writes live beside it.
 *
 *   seen, not suppressed:  (none) -> NEW · RESOLVED -> NEW (reopened) · SUPPRESSED -> NEW (suppression
 *                          expired or removed) · NEW/OPEN with a higher severity -> NEW (severity rose) ·
 *                          NEW not yet notified -> NEW · NEW notified -> OPEN · OPEN -> OPEN
 *   seen, suppressed:      anything -> SUPPRESSED
 *   not seen, evaluated:   NEW/OPEN/SUPPRESSED -> RESOLVED · RESOLVED -> RESOLVED (no write)
 *   not seen, its scope NOT_EVALUATED (or not audited this run): no change, we did not look
 */
import { type Finding, SEVERITY_RANK, type Severity } from '../../analyze/engine/finding.ts';

export const STATE_STATUSES = ['NEW', 'OPEN', 'RESOLVED', 'SUPPRESSED'] as const;
export type StateStatus = (typeof STATE_STATUSES)[number];

/** Why a finding is NEW. */
export type NewReason =
  | 'first-seen'
  | 'reopened'
  | 'severity-rose'
  | 'suppression-expired'
  | 'suppression-removed';

/** A change not yet told in a digest. */
export type Pending = 'NEW' | 'RESOLVED';

export interface SuppressionRef {
  /** The suppression's id: its position and rule glob in the file, e.g. `#2 sg-*`. */
  id: string;
  reason: string;
  /** ISO date-time; absent = never expires. */
  expires?: string;
}

export interface FindingState {
  account: string;
  region: string;
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  status: StateStatus;
  title: string;
  /** `name`: the console name (SageMaker name or EC2 Name tag) when the finding had one. */
  resource: { type: string; id: string; arn: string; name?: string };
  firstSeen: string;
  lastSeen: string;
  lastNotified?: string;
  resolvedAt?: string;
  pending?: Pending;
  newReason?: NewReason;
  suppression?: SuppressionRef;
  /** Set when the finding came back because its suppression expired: the next digest says so. */
  expiredSuppression?: SuppressionRef;
  /** Optimistic-locking counter: every write is conditional on the version read. */
  version: number;
  lastRunId: string;
  /** Epoch seconds after which a RESOLVED item may be deleted (DynamoDB TTL). */
  ttl?: number;
}

export type Observation =
  | {
      kind: 'seen';
      finding: Finding;
      suppression?: SuppressionRef;
      /** A suppression that matched this finding but has expired. */
      expired?: SuppressionRef;
    }
  | { kind: 'absent'; evaluated: boolean };

/** What the run did to one fingerprint, for counts and metrics. */
export type Change = 'new' | 'open' | 'resolved' | 'suppressed' | 'unchanged';

export interface TransitionContext {
  now: string;
  runId: string;
  /** Days a RESOLVED item is kept before TTL may delete it. */
  resolvedRetentionDays: number;
}

export interface Transition {
  /** The state to write, or undefined when nothing is written. */
  next: FindingState | undefined;
  change: Change;
}

export function stateKey(s: { account: string; region: string; fingerprint: string }): string {
  return `${s.account}#${s.region}#${s.fingerprint}`;
}

function fromFinding(
  f: Finding,
  prev: FindingState | undefined,
  ctx: TransitionContext,
): Omit<FindingState, 'status'> {
  const {
    pending: _p,
    newReason: _n,
    suppression: _s,
    expiredSuppression: _e,
    resolvedAt: _r,
    ttl: _t,
    ...kept
  } = prev ?? ({} as Partial<FindingState>);
  return {
    ...kept,
    account: f.account,
    region: f.region,
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    resource: {
      type: f.resource.type,
      id: f.resource.id,
      arn: f.resource.arn,
      ...(f.resource.name ? { name: f.resource.name } : {}),
    },
    firstSeen: prev?.firstSeen ?? ctx.now,
    lastSeen: ctx.now,
    version: (prev?.version ?? 0) + 1,
    lastRunId: ctx.runId,
  };
}

function becameNew(
  f: Finding,
  prev: FindingState | undefined,
  expired?: SuppressionRef,
): NewReason | undefined {
  if (!prev) return 'first-seen';
  if (prev.status === 'RESOLVED') return 'reopened';
  if (prev.status === 'SUPPRESSED') return expired ? 'suppression-expired' : 'suppression-removed';
  if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[prev.severity]) return 'severity-rose';
  return undefined;
}

export function transition(
  prev: FindingState | undefined,
  obs: Observation,
  ctx: TransitionContext,
): Transition {
  if (obs.kind === 'absent') {
    if (!prev || prev.status === 'RESOLVED' || !obs.evaluated)
      return { next: undefined, change: 'unchanged' };
    const { pending: _p, newReason: _n, expiredSuppression: _e, ...rest } = prev;
    // Tell "resolved" only about what someone was told about (a NEW never notified just goes away).
    const told = prev.status !== 'SUPPRESSED' && prev.lastNotified !== undefined;
    return {
      next: {
        ...rest,
        status: 'RESOLVED',
        resolvedAt: ctx.now,
        ...(told ? { pending: 'RESOLVED' as const } : {}),
        version: prev.version + 1,
        lastRunId: ctx.runId,
        ttl: Math.floor(Date.parse(ctx.now) / 1000) + ctx.resolvedRetentionDays * 86_400,
      },
      change: 'resolved',
    };
  }

  const f = obs.finding;
  const base = fromFinding(f, prev, ctx);
  if (obs.suppression) {
    return { next: { ...base, status: 'SUPPRESSED', suppression: obs.suppression }, change: 'suppressed' };
  }
  const reason = becameNew(f, prev, obs.expired);
  if (reason) {
    return {
      next: {
        ...base,
        status: 'NEW',
        pending: 'NEW',
        newReason: reason,
        ...(reason === 'suppression-expired' && obs.expired ? { expiredSuppression: obs.expired } : {}),
      },
      change: 'new',
    };
  }
  // Seen again, same or lower severity.
  if (prev?.status === 'NEW' && prev.pending === 'NEW') {
    const { newReason, expiredSuppression } = prev;
    return {
      next: {
        ...base,
        status: 'NEW',
        pending: 'NEW',
        ...(newReason ? { newReason } : {}),
        ...(expiredSuppression ? { expiredSuppression } : {}),
      },
      change: 'open',
    };
  }
  return { next: { ...base, status: 'OPEN' }, change: 'open' };
}

/** Mark a pending change as told in a digest (or as not worth telling). Undefined when nothing is pending. */
export function claim(prev: FindingState, ctx: TransitionContext): FindingState | undefined {
  if (!prev.pending) return undefined;
  const { pending: _p, expiredSuppression: _e, ...rest } = prev;
  return { ...rest, lastNotified: ctx.now, version: prev.version + 1, lastRunId: ctx.runId };
}

/**
 * Which (rule, account, region) this run looked at, so that "not seen" can mean "resolved": the rule ran,
 * the scope was audited, the finding's severity was not filtered out, no NOT_EVALUATED finding of
 * that rule in that scope says part of it could not be checked, and the resource's kind was listed
 * whole (a job kind cut at its cap was not).
 */
export interface RunCoverage {
  rules: readonly string[];
  /** `account#region` pairs audited. */
  scopes: readonly string[];
  minSeverity: Severity;
  findings: readonly Finding[];
  /**
   * The collection bounds' `jobsTruncated` (`region/kind`, or `account/region/kind` for many
   * accounts): a job kind whose listing was cut at its cap was not fully seen, so its jobs' findings
   * are not resolved for being absent.
   */
  jobsTruncated?: Readonly<Record<string, boolean>>;
}

const JOB_KIND_TYPES: Record<string, string> = {
  trainingJobs: 'AWS::SageMaker::TrainingJob',
  processingJobs: 'AWS::SageMaker::ProcessingJob',
};

/** `account#region#type` (account `*` for a single-account key) of every truncated job kind. */
function truncatedTypes(jobsTruncated: Readonly<Record<string, boolean>> | undefined): Set<string> {
  const out = new Set<string>();
  for (const [key, cut] of Object.entries(jobsTruncated ?? {})) {
    if (!cut) continue;
    const parts = key.split('/');
    const type = JOB_KIND_TYPES[parts[parts.length - 1] ?? ''];
    if (!type) continue;
    const [account, region] = parts.length >= 3 ? [parts[0], parts[1]] : ['*', parts[0]];
    out.add(`${account}#${region}#${type}`);
  }
  return out;
}

export function evaluatedPredicate(coverage: RunCoverage): (s: FindingState) => boolean {
  const rules = new Set(coverage.rules);
  const scopes = new Set(coverage.scopes);
  const notEvaluated = new Set(
    coverage.findings
      .filter((f) => f.status === 'NOT_EVALUATED')
      .map((f) => `${f.ruleId}|${f.account}|${f.region}`),
  );
  const truncated = truncatedTypes(coverage.jobsTruncated);
  return (s) =>
    rules.has(s.ruleId) &&
    scopes.has(`${s.account}#${s.region}`) &&
    SEVERITY_RANK[s.severity] >= SEVERITY_RANK[coverage.minSeverity] &&
    !notEvaluated.has(`${s.ruleId}|${s.account}|${s.region}`) &&
    !truncated.has(`${s.account}#${s.region}#${s.resource.type}`) &&
    !truncated.has(`*#${s.region}#${s.resource.type}`);
}
