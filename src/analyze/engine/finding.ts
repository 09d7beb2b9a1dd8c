/** The finding shape (architecture.md): one place for severities, statuses and the record itself. */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** Higher is worse. */
export const SEVERITY_RANK: Record<Severity, number> = { CRITICAL: 4, HIGH: 3, MEDIUM: 2, LOW: 1, INFO: 0 };

export function atLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[threshold];
}

/** Parse a severity case-insensitively; undefined when it is not one. */
export function parseSeverity(value: string): Severity | undefined {
  const upper = value.trim().toUpperCase();
  return (SEVERITIES as readonly string[]).includes(upper) ? (upper as Severity) : undefined;
}

export const STATUSES = ['FAIL', 'NOT_EVALUATED'] as const;
export type Status = (typeof STATUSES)[number];

export interface FindingResource {
  /** CloudFormation-style type, e.g. AWS::EC2::SecurityGroup. */
  type: string;
  id: string;
  arn: string;
  name?: string;
}

export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  status: Status;
  account: string;
  region: string;
  resource: FindingResource;
  message: string;
  evidence: Record<string, unknown>;
  remediation: string;
  references: string[];
  fingerprint: string;
}

/**
 * Stable across runs for the same problem on the same resource: rule, account, region, resource and
 * an optional discriminator (for a rule that reports more than one problem on one resource).
 */
export function fingerprintOf(parts: {
  ruleId: string;
  account: string;
  region: string;
  resourceId: string;
  key?: string;
}): string {
  const text = [parts.ruleId, parts.account, parts.region, parts.resourceId, parts.key ?? ''].join('|');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Order for output: worst first, then rule, region, resource. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    (a.status === b.status ? 0 : a.status === 'FAIL' ? -1 : 1) ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.account.localeCompare(b.account) ||
    a.region.localeCompare(b.region) ||
    a.resource.id.localeCompare(b.resource.id) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}
