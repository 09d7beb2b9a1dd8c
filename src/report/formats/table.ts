/**
 * A terminal report: a header, then findings grouped by severity with counts, what was not evaluated
 * grouped by cause, the coverage gaps and the exposure of each ML resource. Every line fits `width`
 * (wrapped at word boundaries, report/terminal.ts); colour only when asked for.
 */

import { type Finding, SEVERITIES, type Severity } from '../../analyze/engine/finding.ts';
import { exposureLine, type ResourceExposure } from '../../analyze/paths/exposure.ts';
import type { AuditResult } from '../../result.ts';
import { compactPath, withName } from '../paths.ts';
import { type Colors, colors, DEFAULT_WIDTH, wrapText } from '../terminal.ts';

export interface TableOptions {
  color: boolean;
  /** Columns to fit (default DEFAULT_WIDTH). */
  width?: number;
}

function severityColor(c: Colors, severity: Severity): (text: string) => string {
  switch (severity) {
    case 'CRITICAL':
      return (t) => c.bold(c.red(t));
    case 'HIGH':
      return c.red;
    case 'MEDIUM':
      return c.yellow;
    case 'LOW':
      return c.cyan;
    default:
      return c.gray;
  }
}

export function formatTable(result: AuditResult, options: TableOptions = { color: false }): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const c = colors(options.color);
  const out: string[] = [];
  /** One logical line, wrapped: its first line after `first`, the others after `rest`. */
  const line = (text: string, first = '', rest = first) => out.push(...wrapText(text, width, first, rest));
  const { run, summary } = result;
  const multiAccount = run.accounts.length > 1;
  const source = run.source === 'snapshot' ? `snapshot ${run.snapshotFile ?? ''}`.trim() : 'live AWS';
  line(c.bold(`ml-network-audit ${run.tool.version}`));
  line(
    `${multiAccount ? 'Accounts' : 'Account'} ${run.accounts.join(', ') || '-'} · regions ${run.regions.join(', ') || '-'} · ${source}, collected ${run.collectedAt}`,
    '',
    '  ',
  );
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map(
    (s) => `${summary.bySeverity[s]} ${s}`,
  );
  line(
    `Resources audited: ${summary.resourcesAudited} · Findings: ${summary.findings}${counts.length ? ` (${counts.join(', ')})` : ''} · Not evaluated: ${summary.notEvaluated} · Coverage gaps: ${summary.coverageGaps}`,
    '',
    '  ',
  );
  if (run.bounds.stoppedEarly) line(c.yellow('Collection stopped early to stay within its time budget.'));

  const where = (f: Pick<Finding, 'account' | 'region'>) =>
    multiAccount ? `${f.account}  ${f.region}` : f.region;
  const failed = result.findings.filter((f) => f.status === 'FAIL');
  for (const severity of SEVERITIES) {
    const group = failed.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push('');
    line(severityColor(c, severity)(`${severity} (${group.length})`));
    for (const [ruleId, findings] of byRule(group)) {
      line(`${c.bold(ruleId)} (${findings.length}) ${c.dim(`— ${findings[0]?.title ?? ''}`)}`, '  ', '    ');
      const shared = findings.every((f) => f.remediation === findings[0]?.remediation);
      for (const f of findings) {
        line(`${where(f)}  ${withName(f.resource.id, f.resource.name)}`, '    ', '      ');
        line(f.message, '      ');
        const path = f.ruleId.startsWith('reach-') ? compactPath(f) : undefined;
        if (path) line(`${c.dim('path:')} ${path}`, '      ', '        ');
        if (!shared) line(c.dim(`Fix: ${f.remediation}`), '      ');
      }
      if (shared && findings[0]) line(c.dim(`Fix: ${findings[0].remediation}`), '    ', '      ');
    }
  }

  const notEvaluated = result.findings.filter((f) => f.status === 'NOT_EVALUATED');
  if (notEvaluated.length) {
    const causes = notEvaluatedByCause(notEvaluated);
    out.push('');
    line(
      c.bold(
        `NOT EVALUATED (${notEvaluated.length} finding${notEvaluated.length === 1 ? '' : 's'}, ${causes.length} cause${causes.length === 1 ? '' : 's'})`,
      ),
    );
    for (const cause of causes) line(cause, '  ', '    ');
  }

  if (result.coverage.length) {
    out.push('');
    line(c.bold(`COVERAGE GAPS (${result.coverage.length})`));
    for (const g of result.coverage) {
      line(
        `${where(g)}  ${g.service}:${g.operation}${g.resourceId ? ` ${g.resourceId}` : ''}  ${g.errorCode}  ${c.dim(g.message)}`,
        '  ',
        '    ',
      );
    }
  }
  const exposure = (result as { exposure?: ResourceExposure[] }).exposure;
  if (exposure?.length) {
    out.push('');
    line(c.bold(`EXPOSURE (${exposure.length} ML resources)`));
    for (const e of exposure) line(`${multiAccount ? `${e.account}  ` : ''}${exposureLine(e)}`, '  ', '    ');
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

interface GapLike {
  service?: string;
  operation?: string;
  errorCode?: string;
}

/** Why a finding was not evaluated, in words: the failed calls of its evidence, or the rule's error. */
function causeOf(f: Finding): string {
  const e = f.evidence as { gaps?: GapLike[]; gap?: GapLike; error?: string };
  const gaps = e.gaps ?? (e.gap ? [e.gap] : []);
  if (gaps.length) {
    const calls = [...new Set(gaps.map((g) => `${g.service}:${g.operation} failed (${g.errorCode})`))];
    return calls.join(', ');
  }
  if (e.error !== undefined) return `rule ${f.ruleId} failed (${e.error})`;
  return f.message;
}

/** "notebook instance" / "region": what a resource type is called, singular or plural. */
function noun(type: string, n: number): string {
  const word = (type.split('::').pop() ?? 'resource').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  if (n === 1) return word;
  return word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`;
}

/**
 * One line per cause: "sagemaker:ListUserProfiles failed (AccessDeniedException): 3 rules not
 * evaluated on 2 domains in us-east-1 (rule-a, rule-b, rule-c)".
 */
export function notEvaluatedByCause(findings: readonly Finding[]): string[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = causeOf(f);
    const list = groups.get(key);
    if (list) list.push(f);
    else groups.set(key, [f]);
  }
  return [...groups].map(([cause, list]) => {
    const rules = [...new Set(list.map((f) => f.ruleId))].sort();
    const byType = new Map<string, Set<string>>();
    for (const f of list) {
      const set = byType.get(f.resource.type) ?? new Set<string>();
      set.add(`${f.account}/${f.region}/${f.resource.id}`);
      byType.set(f.resource.type, set);
    }
    const on = [...byType].map(([type, ids]) => `${ids.size} ${noun(type, ids.size)}`).join(', ');
    const regions = [...new Set(list.map((f) => f.region))].sort();
    const ruleList = rules.length <= 4 ? rules.join(', ') : `${rules.slice(0, 4).join(', ')}, …`;
    const scopeOnly = byType.size === 1 && byType.has('AWS::Region');
    return `${cause}: ${rules.length} rule${rules.length === 1 ? '' : 's'} not evaluated ${scopeOnly ? '' : `on ${on} `}in ${regions.join(', ')} (${ruleList})`;
  });
}
