/**
 * How one faulted run is judged against the clean run:
 *
 * - **crash**: the run did not end in time, exited other than 0 or 3, printed a stack trace, or wrote
 *   no result document;
 * - **gap named**: a coverage gap names the faulted operation (service and operation);
 * - **false clean**: a FAIL finding of the clean run (matched by fingerprint) that is absent from the
 *   faulted run, with no NOT_EVALUATED finding of the same rule for that resource or its region scope.
 *   A finding still FAILing on the same resource under another account label (the account lookup was
 *   the fault) has not vanished. `audit-coverage-gap` is the rule that reports what was not read, so
 *   its own "not evaluated" is a FAIL: a gap finding of the clean run (a call moto cannot answer) is
 *   covered when the faulted run reports a new gap in the same region of the same resource kind, or
 *   of the kind of the resource it is about (a domain's tags were not read: the domains themselves were
 *   not listed). The call it depended on failed, so it was never made; the collectors record the kinds
 *   reached through a failed call as DependencyNotCollected.
 */
import type { Finding } from '../../src/analyze/engine/finding.ts';
import { RESOURCE_TABLE } from '../../src/inventory/kinds.ts';
import type { AuditResult } from '../../src/result.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed for running past the suite's own limit. */
  timedOut: boolean;
  durationMs: number;
}

export interface FalseClean {
  ruleId: string;
  region: string;
  resourceType: string;
  resourceId: string;
  fingerprint: string;
}

export interface Verdict {
  completed: boolean;
  /** Why the run counts as a crash; undefined when it does not. */
  crash: string | undefined;
  gapNamed: boolean;
  falseCleans: FalseClean[];
  exitCode: number | null;
  durationMs: number;
}

const STACK_LINE = /^\s+at\s+(?:\S+\s+\()?(?:file:|node:|\/|[A-Za-z]:\\)[^\n]*:\d+:\d+\)?$/m;

/** A result document, or why the run's stdout is none. */
export function parseResult(stdout: string): AuditResult | string {
  try {
    const doc = JSON.parse(stdout) as AuditResult;
    if (!doc || typeof doc !== 'object' || !Array.isArray(doc.findings) || !Array.isArray(doc.coverage))
      return 'stdout is JSON but not a result document';
    return doc;
  } catch {
    return 'stdout is not a JSON result document';
  }
}

function crashOf(run: CliRun, parsed: AuditResult | string): string | undefined {
  if (run.timedOut) return `did not end within ${Math.round(run.durationMs / 1000)} s`;
  if (run.code !== 0 && run.code !== 3) {
    const first = run.stderr.trim().split('\n')[0] ?? '';
    return `exit ${run.code}${first ? `: ${first.slice(0, 200)}` : ''}`;
  }
  if (STACK_LINE.test(run.stderr) || STACK_LINE.test(run.stdout)) return 'a stack trace was printed';
  if (typeof parsed === 'string') return parsed;
  return undefined;
}

export const COVERAGE_RULE = 'audit-coverage-gap';

/** The CloudFormation type of a resource kind's items (undefined for coverage-only kinds). */
function cfnTypeOf(kind: string): string | undefined {
  return (RESOURCE_TABLE as Record<string, { cfnType?: string }>)[kind]?.cfnType;
}

/** The resource kind an audit-coverage-gap finding is about (its evidence is the gap). */
function gapKindOf(f: Finding): string | undefined {
  const gap = (f.evidence as { gap?: { kind?: unknown } }).gap;
  return typeof gap?.kind === 'string' ? gap.kind : undefined;
}

/** The FAIL findings of `clean` that vanished from `faulted` without a NOT_EVALUATED covering them. */
export function falseCleans(clean: AuditResult, faulted: AuditResult): FalseClean[] {
  const before = new Set(clean.findings.map((f) => f.fingerprint));
  const present = new Set(faulted.findings.map((f) => f.fingerprint));
  const newGaps = faulted.findings.filter((f) => f.ruleId === COVERAGE_RULE && !before.has(f.fingerprint));
  const failing = new Set(
    faulted.findings
      .filter((f) => f.status === 'FAIL')
      .map((f) => `${f.ruleId}|${f.region}|${f.resource.id}`),
  );
  const notEvaluated = faulted.findings.filter((f) => f.status === 'NOT_EVALUATED');
  const covered = (f: Finding) =>
    (f.ruleId === COVERAGE_RULE &&
      newGaps.some((g) => {
        const kind = gapKindOf(g);
        return (
          g.region === f.region &&
          kind !== undefined &&
          (kind === gapKindOf(f) || cfnTypeOf(kind) === f.resource.type)
        );
      })) ||
    notEvaluated.some(
      (n) =>
        n.ruleId === f.ruleId &&
        n.region === f.region &&
        (n.resource.type === 'AWS::Region' ||
          n.resource.id === f.resource.id ||
          n.resource.arn === f.resource.arn),
    );
  return clean.findings
    .filter((f) => f.status === 'FAIL')
    .filter((f) => !present.has(f.fingerprint) && !failing.has(`${f.ruleId}|${f.region}|${f.resource.id}`))
    .filter((f) => !covered(f))
    .map((f) => ({
      ruleId: f.ruleId,
      region: f.region,
      resourceType: f.resource.type,
      resourceId: f.resource.id,
      fingerprint: f.fingerprint,
    }));
}

/** `service:Operation` named by a coverage gap of the result. */
export function gapNames(result: AuditResult, operation: string): boolean {
  return result.coverage.some((g) => `${g.service}:${g.operation}` === operation);
}

export function judge(clean: AuditResult, operation: string, run: CliRun): Verdict {
  const parsed = parseResult(run.stdout);
  const crash = crashOf(run, parsed);
  const result = typeof parsed === 'string' ? undefined : parsed;
  return {
    completed: crash === undefined,
    crash,
    gapNamed: result ? gapNames(result, operation) : false,
    falseCleans: result ? falseCleans(clean, result) : [],
    exitCode: run.code,
    durationMs: run.durationMs,
  };
}

/** A run passes when it completed, named the operation in a gap, and lost no finding silently. */
export function passed(v: Verdict): boolean {
  return v.completed && v.gapNamed && v.falseCleans.length === 0;
}
