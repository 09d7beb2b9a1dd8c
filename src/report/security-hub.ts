/**
 * The Security Hub sink (Lambda, SECURITY_HUB=true): every FAIL finding of the run imported as ASFF
 * with BatchImportFindings, and every finding the run resolved re-imported with RecordState ARCHIVED
 * and Workflow RESOLVED, so Security Hub closes it.
 *
 * - Idempotent: a finding's Id is its fingerprint (formats/asff.ts), so importing it again updates it.
 * - Batched 100 findings at a time (the API's limit:
 *   https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchImportFindings.html), per region:
 *   a finding goes to the Security Hub of its own region (its ProductArn names that region).
 * - Never silent: a finding the API refuses (FailedFindings), or a whole batch whose call failed, is
 *   counted and listed with its error; the sink never throws, the caller reports the outcome.
 * - IAM: securityhub:BatchImportFindings on the importing account's default product ARN only.
 */
import { BatchImportFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Finding, Severity } from '../analyze/engine/finding.ts';
import type { AuditResult } from '../result.ts';
import { type AsffFinding, asffOf, toAsff } from './formats/asff.ts';

/** The API takes at most 100 findings per call. */
export const BATCH_SIZE = 100;

/** A finding this run resolved, as finding state keeps it. */
export interface ResolvedFinding {
  account: string;
  region: string;
  fingerprint: string;
  ruleId: string;
  severity: Severity;
  title: string;
  resource: { type: string; id: string; arn: string };
}

export interface SecurityHubFailure {
  id: string;
  region: string;
  errorCode: string;
  message: string;
}

export interface SecurityHubOutcome {
  /** ACTIVE findings Security Hub accepted. */
  imported: number;
  /** Resolved findings Security Hub accepted as ARCHIVED / RESOLVED. */
  archived: number;
  /** Findings not accepted: counted here and listed in `failures`. */
  failed: number;
  failures: SecurityHubFailure[];
}

/** A resolved finding as an ASFF update that closes it (same Id, RecordState ARCHIVED, Workflow RESOLVED). */
export function archivedAsff(r: ResolvedFinding, importer: string, now: string, runId: string): AsffFinding {
  const finding: Finding = {
    ...r,
    status: 'FAIL',
    message: `Resolved: ${r.title} (${r.resource.id}) no longer fails.`,
    evidence: {},
    remediation: 'None: the finding is resolved.',
    references: [],
  };
  return {
    ...asffOf(finding, { time: now, runId }, importer),
    RecordState: 'ARCHIVED',
    Workflow: { Status: 'RESOLVED' },
  };
}

function byRegion(findings: readonly AsffFinding[]): Map<string, AsffFinding[]> {
  const map = new Map<string, AsffFinding[]>();
  for (const f of findings) {
    const list = map.get(f.Region);
    if (list) list.push(f);
    else map.set(f.Region, [f]);
  }
  return map;
}

/**
 * Import the run's FAIL findings and archive the resolved ones. `importer` is the account whose
 * Security Hub receives them (the function's own); `clientFor` gives a client for a region.
 */
export async function publishToSecurityHub(
  clientFor: (region: string) => SecurityHubClient,
  result: AuditResult,
  resolved: readonly ResolvedFinding[],
  importer: string,
  now: string = result.run.finishedAt,
): Promise<SecurityHubOutcome> {
  const outcome: SecurityHubOutcome = { imported: 0, archived: 0, failed: 0, failures: [] };
  const all = [
    ...toAsff(result, importer),
    ...resolved.map((r) => archivedAsff(r, importer, now, result.run.id)),
  ];
  for (const [region, findings] of byRegion(all)) {
    const client = clientFor(region);
    for (let i = 0; i < findings.length; i += BATCH_SIZE) {
      const batch = findings.slice(i, i + BATCH_SIZE);
      const refused = new Map<string, SecurityHubFailure>();
      try {
        const answer = await client.send(new BatchImportFindingsCommand({ Findings: batch as never }));
        for (const f of answer.FailedFindings ?? [])
          refused.set(f.Id ?? '', {
            id: f.Id ?? '',
            region,
            errorCode: f.ErrorCode ?? 'Unknown',
            message: f.ErrorMessage ?? '',
          });
        // A count without the list still counts: never report fewer failures than the API says.
        for (const f of batch.slice(0, Math.max(0, (answer.FailedCount ?? 0) - refused.size)))
          if (!refused.has(f.Id))
            refused.set(f.Id, {
              id: f.Id,
              region,
              errorCode: 'Unknown',
              message: 'counted as failed by FailedCount',
            });
      } catch (err) {
        const e = err as Error;
        for (const f of batch) refused.set(f.Id, { id: f.Id, region, errorCode: e.name, message: e.message });
      }
      for (const f of batch) {
        if (refused.has(f.Id)) continue;
        if (f.RecordState === 'ARCHIVED') outcome.archived++;
        else outcome.imported++;
      }
      outcome.failures.push(...refused.values());
    }
  }
  outcome.failed = outcome.failures.length;
  return outcome;
}
