/**
 * A Markdown report for a pull request or a wiki: a summary table, the findings grouped by severity
 * (worst first), the per-resource exposure when the result has one, and the coverage gaps.
 */
import { compareFindings, type Finding, SEVERITIES } from '../../analyze/engine/finding.ts';
import type { AuditResult } from '../../result.ts';

/** Escape what would break a table cell or start Markdown formatting. */
export function mdCell(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[*_`[\]<>]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, ' ');
}

function table(headers: string[], rows: unknown[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ];
}

function findingBlock(f: Finding): string[] {
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
            `${e.resource.name ?? e.resource.id}`,
            e.kind ?? '',
            e.account ?? '',
            e.region ?? '',
            e.inbound.summary,
            e.outbound.summary,
            e.outbound.inspection ?? '',
            e.awsApis?.private?.join(', ') ?? '',
          ];
        }),
      ),
      '',
    );
    return out;
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

  out.push('## Findings', '');
  const sorted = [...result.findings].sort(compareFindings);
  if (sorted.length === 0) out.push('No findings.', '');
  for (const severity of SEVERITIES) {
    const group = sorted.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(`### ${severity} (${group.length})`, '');
    for (const f of group) out.push(...findingBlock(f));
  }

  out.push(...exposureSection((result as { exposure?: unknown }).exposure));

  if (result.coverage.length) {
    out.push('## Coverage gaps', '');
    out.push(
      ...table(
        ['Account', 'Region', 'Call', 'Kind', 'Resource', 'Error'],
        result.coverage.map((g) => [
          g.account,
          g.region,
          `${g.service}:${g.operation}`,
          g.kind,
          g.resourceId ?? '',
          `${g.errorCode}: ${g.message}`,
        ]),
      ),
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}
