/**
 * The SNS digest of one run: a subject (at most 100 characters), a plain-text email body (what changed
 * first, the link to the archived HTML report, the findings by severity and rule, each resource by
 * name and id with its compact path for reach-* findings and its AWS console link, then one fix
 * paragraph per rule), a JSON document for every other protocol (MessageStructure json), and message attributes
 * for filter policies. It always fits SNS's 256 KB limit: findings beyond the limit are cut with
 * "... and N more", never failing on size.
 */

import { atLeast, type Finding, SEVERITIES, type Severity } from '../analyze/engine/finding.ts';
import type { AuditResult, CoverageEntry } from '../result.ts';
import { resourceConsoleUrl } from './console-links.ts';
import { compactPath, findingPaths, isInbound } from './hops.ts';

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

/** A link to the run's HTML report (archived in S3), one per scope. */
export interface ReportLink {
  label: string;
  url: string;
}

export interface DigestOptions {
  /** The archived HTML reports the email links to. */
  reportLinks?: readonly ReportLink[];
  /**
   * The email is the body of a policy digest whose caller writes "What changed" itself (digest-policy);
   * alone, it opens with its own (every finding is new when no state is kept).
   */
  embedded?: boolean;
}

/** Links listed at most; the others are in the same bucket under the run's id. */
const MAX_LINKS = 20;
/** Paths shown per reach-* finding. */
const MAX_PATHS = 2;

/** "legacy-vpc (vpc-0abc)", or the id alone when the resource has no other name. */
export function resourceLabel(r: { id: string; name?: string }): string {
  return r.name && r.name !== r.id ? `${r.name} (${r.id})` : r.id;
}

export function reportLinkLines(links: readonly ReportLink[] | undefined): string[] {
  if (!links?.length) return [];
  const out = ['', 'Full report (HTML with path diagrams; opens in the S3 console):'];
  for (const l of links.slice(0, MAX_LINKS)) out.push(`  ${l.label}: ${l.url}`);
  if (links.length > MAX_LINKS) out.push(`  ... and ${links.length - MAX_LINKS} more beside them`);
  return out;
}

/** What the email prints once: where each finding is (only what varies), and each resource's link. */
interface Listing {
  accounts: boolean;
  regions: boolean;
  linked: Set<string>;
}

function findingLines(f: Finding, listing: Listing): string[] {
  const where = [listing.accounts ? f.account : '', listing.regions ? f.region : '']
    .filter(Boolean)
    .join(' ');
  const out = [`  - ${resourceLabel(f.resource)}${where ? ` · ${where}` : ''}`, `    ${f.message}`];
  const paths = findingPaths(f);
  for (const p of paths.slice(0, MAX_PATHS)) out.push(`    Path: ${compactPath(p, f, isInbound(p))}`);
  if (paths.length > MAX_PATHS) out.push(`    (+${paths.length - MAX_PATHS} more paths)`);
  const url = resourceConsoleUrl(f.resource, f.region);
  // A resource's link once per email, at its first (worst) finding.
  if (url && !listing.linked.has(url)) {
    listing.linked.add(url);
    out.push(`    Console: ${url}`);
  }
  return out;
}

/** One paragraph per rule (and per distinct fix when a rule words it per case). */
function fixLines(shown: readonly Finding[]): string[] {
  const byRule = new Map<string, Set<string>>();
  for (const f of shown) {
    const set = byRule.get(f.ruleId) ?? new Set<string>();
    set.add(f.remediation);
    byRule.set(f.ruleId, set);
  }
  if (byRule.size === 0) return [];
  const out = ['', '== HOW TO FIX (one paragraph per rule) =='];
  for (const [rule, fixes] of byRule) for (const fix of fixes) out.push('', `[${rule}] ${fix}`);
  return out;
}

function emailBody(
  result: AuditResult,
  threshold: Severity,
  alerting: readonly Finding[],
  included: number,
  options: DigestOptions,
): string {
  const lines: string[] = [];
  const { run } = result;
  if (!options.embedded)
    lines.push(
      `What changed: ${alerting.length} finding(s) at or above ${threshold} (${countsText(alerting)}); no finding state is kept, so every finding is told as new.`,
    );
  lines.push(...reportLinkLines(options.reportLinks));
  lines.push(
    '',
    `Account ${run.accounts.join(', ')}, region(s) ${run.regions.join(', ')}. Run ${run.id} at ${run.finishedAt}; ${result.summary.resourcesAudited} resources audited.`,
  );
  const shown = alerting.slice(0, included);
  const listing: Listing = {
    accounts: new Set(shown.map((f) => f.account)).size > 1,
    regions: new Set(shown.map((f) => f.region)).size > 1,
    linked: new Set(),
  };
  for (const severity of SEVERITIES) {
    const group = shown.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const all = alerting.filter((f) => f.severity === severity).length;
    lines.push('', `== ${severity} (${all}) ==`);
    const rules = [...new Set(group.map((f) => f.ruleId))];
    for (const rule of rules) {
      const mine = group.filter((f) => f.ruleId === rule);
      lines.push('', `[${rule}] ${mine[0]?.title ?? ''} (${mine.length})`);
      for (const f of mine) lines.push(...findingLines(f, listing));
    }
  }
  if (included < alerting.length)
    lines.push('', `... and ${alerting.length - included} more (see the CloudWatch logs of run ${run.id}).`);
  lines.push(...fixLines(shown));
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
  options: DigestOptions,
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
    ...(options.reportLinks?.length ? { reports: options.reportLinks } : {}),
  });
}

function build(
  result: AuditResult,
  threshold: Severity,
  alerting: readonly Finding[],
  included: number,
  options: DigestOptions,
): string {
  return JSON.stringify({
    default: jsonDocument(result, threshold, alerting, included, options),
    email: emailBody(result, threshold, alerting, included, options),
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
  options: DigestOptions = {},
): Digest | undefined {
  const alerting = findings.filter((f) => f.status === 'FAIL' && atLeast(f.severity, threshold));
  const first = alerting[0];
  if (!first) return undefined;
  const fits = (n: number) =>
    Buffer.byteLength(build(result, threshold, alerting, n, options), 'utf8') <= MAX_MESSAGE_BYTES;
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
    message: build(result, threshold, alerting, lo, options),
    attributes: {
      highestSeverity: first.severity,
      account: result.run.accounts.join(','),
      findingCount: alerting.length,
    },
    included: lo,
    omitted: alerting.length - lo,
  };
}
