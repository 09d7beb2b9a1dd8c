/**
 * The lifecycle stage: the one step after analysis that both entries run. It takes the run's result and
 * what the entry supplies — its state store (the CLI's JSON file, the Lambda's DynamoDB table, or none),
 * its suppressions and its clock — and gives back the result as the lifecycle sees it, the counts, the
 * notes for a person, and a way to tell what changed (the digest decision).
 *
 *   suppressions  accepted findings leave the report (status SUPPRESSED, with reason and expiry)
 *   state         each FAIL finding becomes NEW / OPEN; what is gone from an evaluated scope RESOLVED
 *   telling       the CLI's report tells everything at once; the Lambda's digest follows its policy
 *
 * Telling is a second call on purpose: a change that is claimed (marked told) and then not told is lost,
 * so the Lambda claims only after everything else of the run is written.
 */
import { type Finding, SEVERITIES, type Severity } from '../analyze/engine/finding.ts';
import type { Inventory } from '../inventory/schema.ts';
import type { ReportLink } from '../report/digest.ts';
import type { AuditResult, LifecycleCounts } from '../result.ts';
import { claimPending } from './state/engine.ts';
import type { StateStore } from './state/store.ts';
import { type FindingState, stateKey } from './state/transition.ts';
import { type Suppression, suppressionMatcher } from './suppress/suppressions.ts';
import { inventoryTags, NO_TAGS } from './suppress/tags.ts';
import {
  annotateFindings,
  digestFor,
  type Lifecycle,
  type NotifyOutcome,
  runScopes,
  trackRun,
} from './track.ts';

export interface LifecycleInput {
  result: AuditResult;
  /**
   * The run's inventory: its account/region pairs are what was audited (else every account with every
   * region; what was not audited is never resolved), and its collected tags are what tags suppressions
   * match (without it, none does).
   */
  inventory?: Pick<Inventory, 'regions'>;
  /** Where finding state lives; without one every unsuppressed finding is new and nothing is kept. */
  store?: StateStore;
  suppressions: readonly Suppression[];
  now: Date;
  /**
   * What to call the store and the suppressions in the notes (`state s.json: 2 new, ...`,
   * `suppressed 1 finding(s) (s.yaml)`); a source without a name gets no note.
   */
  names?: { store?: string; suppressions?: string };
}

/** How a run tells what changed. */
export type Telling =
  /** The run's own report tells everything: every pending change of the run is claimed now (the CLI). */
  | { by: 'report' }
  /** A digest under the notify policy (the Lambda's SNS topic). */
  | {
      by: 'digest';
      notify: 'new' | 'all';
      threshold: Severity;
      reminderIntervalDays: number;
      /** The archived HTML reports the digest links to. */
      reportLinks?: readonly ReportLink[];
    };

export interface DigestDecision extends NotifyOutcome {
  /** Why there is no digest, when there is none. */
  skipped?: string;
}

export interface LifecycleOutcome {
  /**
   * Every finding with what the lifecycle made of it: NEW or OPEN, and a suppressed one in place with
   * status SUPPRESSED and its suppression (what the Lambda logs).
   */
  annotated: AuditResult;
  /**
   * The report: suppressed findings out of `findings`, the summary and `--fail-on`, into `suppressed`;
   * the others carry their lifecycle only when state is kept (what the CLI prints).
   */
  report: AuditResult;
  counts: LifecycleCounts;
  /** The findings this run resolved (with a store): what a Security Hub sink archives. */
  resolved: FindingState[];
  stateTracked: boolean;
  /** One line each for a person: expired suppressions, how many were suppressed, what state changed. */
  notes: string[];
  /** Claim what this run tells and decide its digest. Call it last: what it claims must then be told. */
  tell(how: Telling): Promise<DigestDecision>;
}

export async function runLifecycle(input: LifecycleInput): Promise<LifecycleOutcome> {
  const { result, inventory, store, now } = input;
  const life = await trackRun({
    result,
    scopes: runScopes(result, inventory),
    ...(store ? { store } : {}),
    // Tags suppressions match on the tags this run collected (never on tags it could not read).
    suppress: suppressionMatcher(input.suppressions, now, inventory ? inventoryTags(inventory) : NO_TAGS),
    now,
  });
  const annotated = annotateFindings(result, life);
  return {
    annotated,
    // Without state there is no lifecycle to mark: the report keeps the findings as analyzed.
    report: withoutSuppressed(result, annotated, store ? annotated : result, life),
    counts: life.counts,
    resolved: life.items.filter((i) => i.status === 'RESOLVED' && i.resolvedAt === life.ctx.now),
    stateTracked: life.store !== undefined,
    notes: notesOf(result, life, input.names ?? {}),
    tell: (how) => tell(life, result, how),
  };
}

function isSuppressed(life: Lifecycle, f: Finding): boolean {
  return f.status === 'FAIL' && life.decisions.get(stateKey(f))?.suppression !== undefined;
}

/** `base` with the suppressed findings moved into `suppressed` (as annotated) and out of the summary. */
function withoutSuppressed(
  result: AuditResult,
  annotated: AuditResult,
  base: AuditResult,
  life: Lifecycle,
): AuditResult {
  const suppressed = result.findings.filter((f) => isSuppressed(life, f));
  if (suppressed.length === 0) return base;
  const gone = new Set(suppressed.map((f) => f.fingerprint));
  const summary = structuredClone(result.summary);
  for (const f of suppressed) {
    summary.findings--;
    summary.bySeverity[f.severity]--;
    const left = (summary.byRule[f.ruleId] ?? 1) - 1;
    if (left > 0) summary.byRule[f.ruleId] = left;
    else delete summary.byRule[f.ruleId];
  }
  summary.highestSeverity = SEVERITIES.find((s) => summary.bySeverity[s] > 0) ?? null;
  return {
    ...result,
    summary,
    findings: base.findings.filter((f) => !gone.has(f.fingerprint)),
    suppressed: annotated.findings.filter((f) => gone.has(f.fingerprint)),
  };
}

function notesOf(
  result: AuditResult,
  life: Lifecycle,
  names: NonNullable<LifecycleInput['names']>,
): string[] {
  const notes: string[] = [];
  for (const f of result.findings) {
    const decision = f.status === 'FAIL' ? life.decisions.get(stateKey(f)) : undefined;
    if (decision?.expired && !decision.suppression)
      notes.push(
        `suppression ${decision.expired.id} expired on ${decision.expired.expires}: [${f.ruleId}] ${f.resource.id} is reported again`,
      );
  }
  if (names.suppressions !== undefined) {
    const suppressed = result.findings.filter((f) => isSuppressed(life, f)).length;
    notes.push(`suppressed ${suppressed} finding(s) (${names.suppressions})`);
  }
  if (life.store) {
    const { counts } = life;
    const open = Object.values(counts.openBySeverity).reduce((a, b) => a + b, 0);
    notes.push(
      `state ${names.store ?? 'store'}: ${counts.new} new, ${counts.resolved} resolved, ${open} open, ${counts.suppressed} suppressed`,
    );
  }
  return notes;
}

async function tell(life: Lifecycle, result: AuditResult, how: Telling): Promise<DigestDecision> {
  if (how.by === 'report') {
    if (life.store) await claimPending(life.store, life.items, life.ctx);
    return { release: async () => {} };
  }
  const outcome = await digestFor(life, result, how);
  if (outcome.digest) return outcome;
  return {
    ...outcome,
    skipped: life.store
      ? `nothing new or resolved at or above ${how.threshold}`
      : `no finding at or above ${how.threshold}`,
  };
}
