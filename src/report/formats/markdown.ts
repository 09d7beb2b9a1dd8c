/**
 * A Markdown report for a pull request or a wiki: a summary table, the findings grouped by severity
 * (worst first, each reach-* path as a Mermaid flowchart), the per-resource exposure when the result
 * has one, and the coverage gaps. It stays under GitHub's 65,536-character comment limit: long
 * sections fold into <details>, and what does not fit is summarized with counts.
 */
import { compareFindings, type Finding, SEVERITIES } from '../../analyze/engine/finding.ts';
import type { AuditResult } from '../../result.ts';
import { mermaidPaths } from './markdown-mermaid.ts';

/** GitHub's limit for a comment or a PR description body, in characters. */
export const MARKDOWN_LIMIT = 65_536;
/** Room kept for the overflow notes and the closing lines. */
const RESERVE = 2_000;
/** A section with more entries than this folds into <details>. */
const FOLD_AT = 10;
/** The most a table of the exposure or coverage sections may take before it is cut. */
const TABLE_BUDGET = 12_000;

/** Escape what would break a table cell or start Markdown formatting. */
export function mdCell(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[*_`[\]<>]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

function table(headers: string[], rows: unknown[][], budget = Number.POSITIVE_INFINITY): string[] {
  const out = [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`];
  let size = out.join('\n').length;
  for (const [i, r] of rows.entries()) {
    const line = `| ${r.map(mdCell).join(' | ')} |`;
    if (size + line.length + 1 > budget) {
      out.push('', `… and ${rows.length - i} more rows not shown (see the JSON output).`);
      break;
    }
    out.push(line);
    size += line.length + 1;
  }
  return out;
}

/** A section folded into <details> when it is long. */
function fold(summary: string, body: string[], entries: number): string[] {
  if (entries <= FOLD_AT) return body;
  return [`<details><summary>${summary}</summary>`, '', ...body, '</details>', ''];
}

/** "3 HIGH, 120 MEDIUM; by rule: sg-unused 100, nacl-shadowed-rule 23". */
function overflowSummary(left: readonly Finding[]): string {
  const sev = SEVERITIES.map((s) => [s, left.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const byRule = new Map<string, number>();
  for (const f of left) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  const rules = [...byRule]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([r, n]) => `\`${r}\` ${n}`)
    .join(', ');
  return `> **${left.length} more findings not shown** to stay under GitHub's ${MARKDOWN_LIMIT.toLocaleString('en-US')}-character limit: ${sev}; by rule: ${rules}${byRule.size > 15 ? ', …' : ''}. The JSON output (\`--format json\`) or the HTML report has them all.`;
}

function findingBlock(f: Finding, diagrams: boolean): string[] {
  const name = f.resource.name && f.resource.name !== f.resource.id ? ` (${f.resource.name})` : '';
  const out = [
    `#### ${mdCell(f.title)}`,
    '',
    `- **Rule:** \`${f.ruleId}\`${f.status === 'NOT_EVALUATED' ? ' · **not evaluated**' : ''}`,
    `- **Resource:** \`${f.resource.id}\`${mdCell(name)} · ${mdCell(f.resource.type)} · account ${f.account} · ${f.region}`,
    `- **What:** ${mdCell(f.message)}`,
    `- **Fix:** ${mdCell(f.remediation)}`,
  ];
  if (f.references.length) out.push(`- **References:** ${f.references.map(mdCell).join(', ')}`);
  out.push(`- **Fingerprint:** \`${f.fingerprint}\``, '');
  if (diagrams) out.push(...mermaidPaths(f));
  return out;
}

/** The fields of the reachability analysis' per-resource exposure this report shows. */
interface ExposureLike {
  resource: { id: string; name?: string };
  kind?: string;
  account?: string;
  region?: string;
  inbound: { summary: string };
  outbound: { summary: string; inspection?: string };
  awsApis?: { private?: string[] };
}

function isResourceExposure(value: Record<string, unknown>): boolean {
  const e = value as Partial<Record<keyof ExposureLike, unknown>>;
  const summary = (o: unknown) => typeof (o as { summary?: unknown } | undefined)?.summary === 'string';
  return (
    typeof (e.resource as { id?: unknown } | undefined)?.id === 'string' &&
    summary(e.inbound) &&
    summary(e.outbound)
  );
}

/** The exposure section is added by the reachability analysis; its shape is read defensively. */
function exposureSection(exposure: unknown): string[] {
  if (exposure === undefined || exposure === null) return [];
  const entries = Array.isArray(exposure)
    ? exposure
    : typeof exposure === 'object'
      ? (((exposure as Record<string, unknown>).resources ?? (exposure as Record<string, unknown>).entries) as
          | unknown[]
          | undefined)
      : undefined;
  const out = ['## Exposure by resource', ''];
  if (!Array.isArray(entries)) {
    out.push('```json', JSON.stringify(exposure, null, 2), '```', '');
    return out;
  }
  if (entries.length === 0) return [...out, 'No ML resource was found to assess.', ''];
  const rows = entries.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null);
  if (rows.every(isResourceExposure)) {
    out.push(
      ...table(
        [
          'Resource',
          'Kind',
          'Account',
          'Region',
          'Inbound from internet',
          'Outbound to internet',
          'Inspection',
          'Private AWS APIs',
        ],
        rows.map((r) => {
          const e = r as unknown as ExposureLike;
          return [
            e.resource.name && e.resource.name !== e.resource.id
              ? `${e.resource.name} (${e.resource.id})`
              : e.resource.id,
            e.kind ?? '',
            e.account ?? '',
            e.region ?? '',
            e.inbound.summary,
            e.outbound.summary,
            e.outbound.inspection ?? '',
            e.awsApis?.private?.join(', ') ?? '',
          ];
        }),
        TABLE_BUDGET,
      ),
      '',
    );
    return [...out.slice(0, 2), ...fold(`${rows.length} ML resources`, out.slice(2), rows.length)];
  }
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].slice(0, 8);
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    if (typeof v !== 'object') return String(v);
    const o = v as Record<string, unknown>;
    const named = o.id ?? o.arn ?? o.name;
    const text = typeof named === 'string' ? named : JSON.stringify(v);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  };
  out.push(
    ...table(
      keys,
      rows.map((r) => keys.map((k) => cell(r[k]))),
    ),
    '',
  );
  return out;
}

export function formatMarkdown(result: AuditResult): string {
  const { run, summary } = result;
  const out: string[] = [];
  out.push('# ml-network-audit report', '');
  out.push(
    ...table(
      ['', ''],
      [
        ['Accounts', run.accounts.join(', ') || '-'],
        ['Regions', run.regions.join(', ') || '-'],
        ['Source', run.source === 'snapshot' ? `snapshot ${run.snapshotFile ?? ''}`.trim() : 'live AWS'],
        ['Collected', run.collectedAt],
        ['Run', `${run.id} (${run.tool.name} ${run.tool.version})`],
        ['Resources audited', summary.resourcesAudited],
        ['Findings', summary.findings],
        ['Not evaluated', summary.notEvaluated],
        ['Coverage gaps', summary.coverageGaps],
      ],
    ),
    '',
  );
  if (run.bounds.stoppedEarly) out.push('> **Collection stopped early** to stay within its time budget.', '');

  out.push('## Summary by severity', '');
  out.push(
    ...table(
      ['Severity', 'Findings'],
      SEVERITIES.map((s) => [s, summary.bySeverity[s]]),
    ),
    '',
  );

  const accounts = [...new Set(result.findings.map((f) => f.account))].sort();
  if (accounts.length > 1) {
    out.push('## Findings by account', '');
    out.push(
      ...table(
        ['Account', ...SEVERITIES],
        accounts.map((a) => [
          a,
          ...SEVERITIES.map(
            (s) =>
              result.findings.filter((f) => f.account === a && f.status === 'FAIL' && f.severity === s)
                .length,
          ),
        ]),
      ),
      '',
    );
  }

  const tail = [...exposureSection((result as { exposure?: unknown }).exposure), ...coverageSection(result)];
  const budget = MARKDOWN_LIMIT - RESERVE - out.join('\n').length - tail.join('\n').length;
  out.push(...findingsSection(result, budget));
  out.push(...tail);
  return `${out.join('\n').trimEnd()}\n`;
}

function coverageSection(result: AuditResult): string[] {
  if (!result.coverage.length) return [];
  const body = table(
    ['Account', 'Region', 'Call', 'Kind', 'Resource', 'Error'],
    result.coverage.map((g) => [
      g.account,
      g.region,
      `${g.service}:${g.operation}`,
      g.kind,
      g.resourceId ?? '',
      `${g.errorCode}: ${g.message}`,
    ]),
    TABLE_BUDGET,
  );
  return [
    '## Coverage gaps',
    '',
    ...fold(`${result.coverage.length} coverage gaps`, [...body, ''], result.coverage.length),
  ];
}

/**
 * The findings by severity within `budget` characters: each with its Mermaid paths while they fit,
 * then without, then the rest summarized with counts. A severity with many findings folds.
 */
function findingsSection(result: AuditResult, budget: number): string[] {
  const out = ['## Findings', ''];
  const sorted = [...result.findings].sort(compareFindings);
  if (sorted.length === 0) return [...out, 'No findings.', ''];
  let used = out.join('\n').length;
  let shown = 0;
  let full = false;
  for (const severity of SEVERITIES) {
    const group = sorted.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const head = `### ${severity} (${group.length})`;
    used += head.length + 80; // the heading and its <details> lines
    const body: string[] = [];
    for (const f of group) {
      const withPaths = findingBlock(f, true);
      const size = (b: string[]) => b.join('\n').length + 1;
      const block = used + size(withPaths) <= budget ? withPaths : findingBlock(f, false);
      if (used + size(block) > budget) {
        full = true;
        break;
      }
      body.push(...block);
      used += size(block);
      shown++;
    }
    if (body.length) out.push(head, '', ...fold(`${group.length} ${severity} findings`, body, group.length));
    if (full) break;
  }
  if (shown < sorted.length) out.push(overflowSummary(sorted.slice(shown)), '');
  return out;
}
