/**
 * The SNS digest of one run: a subject (at most 100 characters), a plain-text email body grouped by
 * severity, a JSON document for every other protocol (MessageStructure json), and message attributes
 * for filter policies. It always fits SNS's 256 KB limit: findings beyond the limit are cut with
 * "... and N more", never failing on size.
 */

import { atLeast, type Finding, SEVERITIES, type Severity } from '../analyze/engine/finding.ts';
import type { AuditResult, CoverageEntry } from '../result.ts';

/** SNS's limit is 262,144 bytes for the message and its attributes; keep a margin for both. */
export const MAX_MESSAGE_BYTES = 250_000;
export const MAX_SUBJECT_CHARS = 100;

export interface Digest {
  subject: string;
  /** The MessageStructure=json document: { default, email } as a JSON string. */
  message: string;
  attributes: {
    highestSeverity: Severity;
    account: string;
    findingCount: number;
  };
  /** Findings in the digest, and how many were cut for size. */
  included: number;
  omitted: number;
}

function countsText(findings: readonly Finding[]): string {
  return SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

/** `[ml-network-audit] 1 CRITICAL, 3 HIGH in 123456789012 us-east-1`, cut to 100 printable ASCII chars. */
export function digestSubject(
  findings: readonly Finding[],
  accounts: readonly string[],
  regions: readonly string[],
): string {
  const where = [
    accounts.length > 1 ? `${accounts.length} accounts` : (accounts[0] ?? ''),
    regions.length > 2 ? `${regions[0]} +${regions.length - 1} regions` : regions.join(' '),
  ]
    .filter(Boolean)
    .join(' ');
  const subject = `[ml-network-audit] ${countsText(findings)} in ${where}`.replace(/[^\x20-\x7e]/g, '?');
  return subject.length <= MAX_SUBJECT_CHARS ? subject : `${subject.slice(0, MAX_SUBJECT_CHARS - 3)}...`;
}

function emailBody(
  result: AuditResult,
  threshold: Severity,
  alerting: readonly Finding[],
  included: number,
): string {
  const lines: string[] = [];
  const { run } = result;
  lines.push(
    `ml-network-audit found ${alerting.length} finding(s) at or above ${threshold} in account ${run.accounts.join(', ')}, region(s) ${run.regions.join(', ')}.`,
    `Run ${run.id} at ${run.finishedAt}; ${result.summary.resourcesAudited} resources audited.`,
  );
  let shown = 0;
  for (const severity of SEVERITIES) {
    const group = alerting.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push('', `== ${severity} (${group.length}) ==`);
    for (const f of group) {
      if (shown >= included) break;
      shown++;
      lines.push(
        '',
        `[${f.ruleId}] ${f.resource.id} (${f.account} ${f.region})`,
        `  ${f.message}`,
        `  Fix: ${f.remediation}`,
      );
    }
  }
  if (included < alerting.length)
    lines.push('', `... and ${alerting.length - included} more (see the CloudWatch logs of run ${run.id}).`);
  lines.push('', coverageText(result.coverage));
  return lines.join('\n');
}

function coverageText(coverage: readonly CoverageEntry[]): string {
  if (coverage.length === 0) return 'Coverage: everything was read; no coverage gaps.';
  const lines = [`Coverage gaps (${coverage.length}): these were NOT audited.`];
  for (const g of coverage.slice(0, 50)) {
    lines.push(
      `  ${g.account} ${g.region} ${g.service}:${g.operation}${g.resourceId ? ` ${g.resourceId}` : ''}: ${g.errorCode}`,
    );
  }
  if (coverage.length > 50) lines.push(`  ... and ${coverage.length - 50} more`);
  return lines.join('\n');
}

function jsonDocument(
  result: AuditResult,
  threshold: Severity,
  alerting: readonly Finding[],
  included: number,
): string {
  return JSON.stringify({
    schemaVersion: result.schemaVersion,
    run: {
      id: result.run.id,
      accounts: result.run.accounts,
      regions: result.run.regions,
      finishedAt: result.run.finishedAt,
    },
    threshold,
    summary: result.summary,
    findings: alerting.slice(0, included),
    omitted: alerting.length - included,
    coverage: result.coverage.slice(0, 200),
    coverageOmitted: Math.max(0, result.coverage.length - 200),
  });
}

function build(
  result: AuditResult,
  threshold: Severity,
  alerting: readonly Finding[],
  included: number,
): string {
  return JSON.stringify({
    default: jsonDocument(result, threshold, alerting, included),
    email: emailBody(result, threshold, alerting, included),
  });
}

/**
 * The digest of the FAIL findings at or above `threshold`, or undefined when there are none.
 * `findings` defaults to the run's; a caller with a digest policy (new findings only) passes its own.
 */
export function buildDigest(
  result: AuditResult,
  threshold: Severity,
  findings: readonly Finding[] = result.findings,
): Digest | undefined {
  const alerting = findings.filter((f) => f.status === 'FAIL' && atLeast(f.severity, threshold));
  const first = alerting[0];
  if (!first) return undefined;
  const fits = (n: number) =>
    Buffer.byteLength(build(result, threshold, alerting, n), 'utf8') <= MAX_MESSAGE_BYTES;
  // The largest prefix of findings (worst first) that fits: binary search, O(log n) builds.
  let lo = 0;
  let hi = alerting.length;
  if (!fits(hi)) {
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
  } else lo = hi;
  return {
    subject: digestSubject(alerting, result.run.accounts, result.run.regions),
    message: build(result, threshold, alerting, lo),
    attributes: {
      highestSeverity: first.severity,
      account: result.run.accounts.join(','),
      findingCount: alerting.length,
    },
    included: lo,
    omitted: alerting.length - lo,
  };
}
