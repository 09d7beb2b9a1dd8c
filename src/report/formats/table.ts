/** A terminal report: a header, then findings grouped by severity with counts, then coverage. */

import { type Finding, SEVERITIES } from '../../analyze/engine/finding.ts';
import { exposureLine, type ResourceExposure } from '../../analyze/paths/exposure.ts';
import type { AuditResult } from '../../result.ts';

export interface TableOptions {
  color: boolean;
}

const COLORS: Record<string, string> = {
  CRITICAL: '\x1b[1;31m',
  HIGH: '\x1b[31m',
  MEDIUM: '\x1b[33m',
  LOW: '\x1b[36m',
  INFO: '\x1b[37m',
  dim: '\x1b[2m',
  bold: '\x1b[1m',
};
const RESET = '\x1b[0m';

export function formatTable(result: AuditResult, options: TableOptions = { color: false }): string {
  const paint = (style: string, text: string) =>
    options.color ? `${COLORS[style] ?? ''}${text}${RESET}` : text;
  const { run, summary } = result;
  const out: string[] = [];
  const source = run.source === 'snapshot' ? `snapshot ${run.snapshotFile ?? ''}`.trim() : 'live AWS';
  out.push(paint('bold', `ml-network-audit ${run.tool.version}`));
  out.push(
    `Account ${run.accounts.join(', ') || '-'} · regions ${run.regions.join(', ') || '-'} · ${source}, collected ${run.collectedAt}`,
  );
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map(
    (s) => `${summary.bySeverity[s]} ${s}`,
  );
  out.push(
    `Resources audited: ${summary.resourcesAudited} · Findings: ${summary.findings}${counts.length ? ` (${counts.join(', ')})` : ''} · Not evaluated: ${summary.notEvaluated} · Coverage gaps: ${summary.coverageGaps}`,
  );
  if (run.bounds.stoppedEarly)
    out.push(paint('MEDIUM', 'Collection stopped early to stay within its time budget.'));

  const failed = result.findings.filter((f) => f.status === 'FAIL');
  for (const severity of SEVERITIES) {
    const group = failed.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push('', paint(severity, `${severity} (${group.length})`));
    for (const [ruleId, findings] of byRule(group)) {
      out.push(
        `  ${paint('bold', ruleId)} (${findings.length}) ${paint('dim', `— ${findings[0]?.title ?? ''}`)}`,
      );
      const shared = findings.every((f) => f.remediation === findings[0]?.remediation);
      for (const f of findings) out.push(...findingLines(f, paint, !shared));
      if (shared && findings[0]) out.push(`    ${paint('dim', `Fix: ${findings[0].remediation}`)}`);
    }
  }

  const notEvaluated = result.findings.filter((f) => f.status === 'NOT_EVALUATED');
  if (notEvaluated.length) {
    out.push('', paint('bold', `NOT EVALUATED (${notEvaluated.length})`));
    for (const f of notEvaluated)
      out.push(`  ${f.ruleId}  ${f.region}  ${f.resource.id}`, `    ${f.message}`);
  }

  if (result.coverage.length) {
    out.push('', paint('bold', `COVERAGE GAPS (${result.coverage.length})`));
    for (const g of result.coverage) {
      out.push(
        `  ${g.region}  ${g.service}:${g.operation}${g.resourceId ? ` ${g.resourceId}` : ''}  ${g.errorCode}  ${paint('dim', g.message)}`,
      );
    }
  }
  const exposure = (result as { exposure?: ResourceExposure[] }).exposure;
  if (exposure?.length) {
    out.push('', paint('bold', `EXPOSURE (${exposure.length} ML resources)`));
    for (const e of exposure) out.push(`  ${exposureLine(e)}`);
  }
  if (failed.length === 0 && notEvaluated.length === 0) out.push('', 'No findings.');
  return `${out.join('\n')}\n`;
}

function byRule(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = map.get(f.ruleId);
    if (list) list.push(f);
    else map.set(f.ruleId, [f]);
  }
  return map;
}

function findingLines(
  f: Finding,
  paint: (style: string, text: string) => string,
  withFix: boolean,
): string[] {
  const name = f.resource.name && f.resource.name !== f.resource.id ? ` (${f.resource.name})` : '';
  return [
    `    ${f.region}  ${f.resource.id}${name}`,
    `      ${f.message}`,
    ...(withFix ? [`      ${paint('dim', `Fix: ${f.remediation}`)}`] : []),
  ];
}
