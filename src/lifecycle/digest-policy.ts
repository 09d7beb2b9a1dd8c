/**
 * What a digest tells, by policy, on top of the run's findings and their lifecycle state:
 *   new     the findings new since the last digest (at or above the threshold), what was resolved since,
 *           and which suppressions expired; nothing when nothing changed. A reminder of everything still
 *           open goes out when one is due (weekly by default).
 *   all     every finding at or above the threshold, every run (with the same change lists).
 * The subject says what changed: `[ml-network-audit] 2 new HIGH, 3 resolved in 111122223333 us-east-1`.
 */
import {
  atLeast,
  type Finding,
  SEVERITIES,
  SEVERITY_RANK,
  type Severity,
} from '../analyze/engine/finding.ts';
import {
  buildDigest,
  type Digest,
  type DigestOptions,
  digestSubject,
  MAX_MESSAGE_BYTES,
  MAX_SUBJECT_CHARS,
  reportLinkLines,
  resourceLabel,
} from '../report/digest.ts';
import type { AuditResult } from '../result.ts';
import type { FindingState, SuppressionRef } from './state/transition.ts';

export type DigestKind = 'changes' | 'reminder' | 'all';

export interface DigestChanges {
  /** New findings to tell (already filtered to the threshold by the caller or not: filtered here). */
  newFindings: readonly Finding[];
  resolved: readonly FindingState[];
  /** Suppressions that expired, with the finding they let through. */
  expired: readonly { suppression: SuppressionRef; finding: Finding }[];
}

const MAX_LISTED = 200;

function where(result: AuditResult): string {
  return digestSubject([], result.run.accounts, result.run.regions).replace(
    /^\[ml-network-audit\]\s+in\s*/,
    '',
  );
}

function fitSubject(subject: string): string {
  const s = subject.replace(/[^\x20-\x7e]/g, '?');
  return s.length <= MAX_SUBJECT_CHARS ? s : `${s.slice(0, MAX_SUBJECT_CHARS - 3)}...`;
}

function countsText(findings: readonly Finding[]): string {
  return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

/** `2 new HIGH, 1 new CRITICAL, 3 resolved` (worst first), or `nothing changed`. */
export function changeSummary(newFindings: readonly Finding[], resolved: number, expired = 0): string {
  const parts = SEVERITIES.map((s) => [s, newFindings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} new ${s}`);
  if (resolved > 0) parts.push(`${resolved} resolved`);
  // An expiry is named in the subject only when it is the whole news (the body always says it).
  if (expired > 0 && parts.length === 0)
    parts.push(`${expired} suppression${expired > 1 ? 's' : ''} expired`);
  return parts.length ? parts.join(', ') : 'nothing changed';
}

function resolvedLine(s: FindingState): string {
  return `[${s.ruleId}] ${resourceLabel(s.resource)} (${s.account} ${s.region}) ${s.severity}: ${s.title} — first seen ${s.firstSeen}, resolved ${s.resolvedAt ?? ''}`;
}

/** The digest's base document ({ default, email }): the plain digest's, or an empty one when it lists nothing. */
function baseDocument(
  result: AuditResult,
  threshold: Severity,
  base: Digest | undefined,
  options: DigestOptions,
) {
  if (base) return JSON.parse(base.message) as { default: string; email: string };
  return {
    default: JSON.stringify({
      schemaVersion: result.schemaVersion,
      run: {
        id: result.run.id,
        accounts: result.run.accounts,
        regions: result.run.regions,
        finishedAt: result.run.finishedAt,
      },
      threshold,
      summary: result.summary,
      findings: [],
      omitted: 0,
    }),
    email: [
      ...reportLinkLines(options.reportLinks).slice(1),
      `Run ${result.run.id} at ${result.run.finishedAt}; ${result.summary.resourcesAudited} resources audited.`,
    ].join('\n'),
  };
}

/** The `changes` member of the JSON document: new fingerprints, the resolved shown, expired suppressions. */
function changesDocument(changes: DigestChanges, resolved: readonly FindingState[]) {
  return {
    new: changes.newFindings.map((f) => f.fingerprint),
    resolved: resolved.map((s) => ({
      ruleId: s.ruleId,
      severity: s.severity,
      title: s.title,
      account: s.account,
      region: s.region,
      resource: s.resource,
      fingerprint: s.fingerprint,
      firstSeen: s.firstSeen,
      resolvedAt: s.resolvedAt,
    })),
    resolvedOmitted: changes.resolved.length - resolved.length,
    suppressionsExpired: changes.expired.map((e) => ({
      ...e.suppression,
      fingerprint: e.finding.fingerprint,
    })),
  };
}

/** The email's first lines: what changed (or the reminder), then each expired suppression. */
function headLines(
  kind: DigestKind,
  listed: readonly Finding[],
  threshold: Severity,
  changes: DigestChanges,
): string[] {
  const head =
    kind === 'reminder'
      ? [`Reminder: ${listed.length} finding(s) at or above ${threshold} are still open.`]
      : [
          `What changed since the last digest: ${changeSummary(changes.newFindings, changes.resolved.length)}.`,
        ];
  for (const e of changes.expired) {
    head.push(
      `Suppression expired on ${e.suppression.expires ?? '?'}: ${e.suppression.id} ("${e.suppression.reason}") no longer applies to [${e.finding.ruleId}] ${resourceLabel(e.finding.resource)}.`,
    );
  }
  return head;
}

function compose(
  result: AuditResult,
  threshold: Severity,
  listed: readonly Finding[],
  kind: DigestKind,
  changes: DigestChanges,
  subject: string,
  resolvedShown: number,
  options: DigestOptions,
): Digest {
  const base = buildDigest(result, threshold, listed, { ...options, embedded: true });
  const outer = baseDocument(result, threshold, base, options);
  const doc = JSON.parse(outer.default) as Record<string, unknown>;
  const resolved = changes.resolved.slice(0, resolvedShown);
  const json = JSON.stringify({ ...doc, kind, changes: changesDocument(changes, resolved) });
  const tail: string[] = [];
  if (changes.resolved.length) {
    tail.push('', `== RESOLVED (${changes.resolved.length}) ==`, ...resolved.map(resolvedLine));
    if (resolved.length < changes.resolved.length)
      tail.push(`... and ${changes.resolved.length - resolved.length} more resolved`);
  }
  const email = [...headLines(kind, listed, threshold, changes), '', outer.email, ...tail].join('\n');
  const highest =
    [
      ...changes.newFindings.map((f) => f.severity),
      ...listed.map((f) => f.severity),
      ...changes.resolved.map((s) => s.severity),
    ].sort((a, b) => SEVERITY_RANK[b] - SEVERITY_RANK[a])[0] ?? threshold;
  return {
    subject: fitSubject(subject),
    message: JSON.stringify({ default: json, email }),
    attributes: {
      highestSeverity: highest,
      account: result.run.accounts.join(','),
      findingCount: listed.length,
    },
    included: base?.included ?? 0,
    omitted: base?.omitted ?? 0,
  };
}

/**
 * The digest of one run under a policy, or undefined when there is nothing to tell. `open` is every
 * unsuppressed FAIL finding of the run (for `all` and reminders).
 */
export function buildPolicyDigest(
  result: AuditResult,
  threshold: Severity,
  kind: DigestKind,
  open: readonly Finding[],
  changes: DigestChanges,
  options: Pick<DigestOptions, 'reportLinks'> = {},
): Digest | undefined {
  const alerting = (fs: readonly Finding[]) =>
    fs.filter((f) => f.status === 'FAIL' && atLeast(f.severity, threshold));
  const filtered: DigestChanges = {
    newFindings: alerting(changes.newFindings),
    resolved: changes.resolved.filter((s) => atLeast(s.severity, threshold)),
    expired: changes.expired,
  };
  const listed = kind === 'changes' ? filtered.newFindings : alerting(open);
  // An expired suppression is told in the next digest even when its finding is below the alert
  // severity (its change is claimed by this run, so this is the only digest that can say it).
  if (listed.length === 0 && filtered.resolved.length === 0 && filtered.expired.length === 0)
    return undefined;
  const w = where(result);
  const subject =
    kind === 'reminder'
      ? `[ml-network-audit] reminder: ${listed.length} open (${countsText(listed)}) in ${w}`
      : kind === 'all'
        ? `[ml-network-audit] ${countsText(listed) || 'none open'} (${changeSummary(filtered.newFindings, filtered.resolved.length, filtered.expired.length)}) in ${w}`
        : `[ml-network-audit] ${changeSummary(filtered.newFindings, filtered.resolved.length, filtered.expired.length)} in ${w}`;
  // The resolved list shrinks until the message fits SNS's limit (findings are already cut by buildDigest).
  let shown = Math.min(MAX_LISTED, filtered.resolved.length);
  for (;;) {
    const digest = compose(result, threshold, listed, kind, filtered, subject, shown, options);
    if (Buffer.byteLength(digest.message, 'utf8') <= MAX_MESSAGE_BYTES || shown === 0) return digest;
    shown = Math.floor(shown / 2);
  }
}
