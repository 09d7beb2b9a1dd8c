/**
 * `--format html`: one self-contained page (inline CSS, JS and SVG; nothing fetched): summary cards, the
 * findings table with filters by severity, rule, account and region and a text search, the coverage
 * gaps, and per ML resource its exposure with a path diagram laid out at report time (html-diagram.ts).
 * A pure function of the result document, like the other formats; async only because the layout
 * library is imported when a report is drawn.
 */
import { compareFindings, type Finding, SEVERITIES } from '../../analyze/engine/finding.ts';
import { exposureLine, type ResourceExposure } from '../../analyze/paths/exposure.ts';
import type { AuditResult } from '../../result.ts';
import { resourceConsoleUrl } from '../console-links.ts';
import { compactPath, findingPaths, isInbound } from '../hops.ts';
import { CSP, SCRIPT, STYLE } from './html-assets.ts';
import { esc, exposureDiagram } from './html-diagram.ts';

/** Diagrams drawn at most (the most exposed resources first); the others keep their exposure line. */
export const MAX_DIAGRAMS = 300;

function options(values: readonly string[]): string {
  return values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('');
}

function select(id: string, label: string, values: readonly string[]): string {
  return `<label>${esc(label)} <select id="${id}"><option value="">all</option>${options(values)}</select></label>`;
}

function resourceCell(f: Finding): string {
  const url = resourceConsoleUrl(f.resource, f.region);
  const id = `<code>${esc(f.resource.id)}</code>`;
  const name = f.resource.name && f.resource.name !== f.resource.id ? ` ${esc(f.resource.name)}` : '';
  const linked = url ? `<a href="${esc(url)}" rel="noreferrer" target="_blank">${id}</a>` : id;
  return `${linked}${name}<br><span class="note">${esc(f.resource.type)}</span>`;
}

function findingRow(f: Finding): string {
  const paths = findingPaths(f)
    .slice(0, 5)
    .map((p) => `<div class="path">${esc(compactPath(p, f, isInbound(p)))}</div>`)
    .join('');
  const ne = f.status === 'NOT_EVALUATED' ? ' <span class="ne">not evaluated</span>' : '';
  const refs = f.references.length ? `<br>References: ${esc(f.references.join(', '))}` : '';
  return [
    `<tr class="finding" data-severity="${f.severity}" data-rule="${esc(f.ruleId)}" data-account="${esc(f.account)}" data-region="${esc(f.region)}" data-fingerprint="${esc(f.fingerprint)}">`,
    `<td><span class="sev ${f.severity}">${f.severity}</span></td>`,
    `<td><code>${esc(f.ruleId)}</code>${ne}<br><span class="note">${esc(f.title)}</span></td>`,
    `<td>${resourceCell(f)}</td>`,
    `<td>${esc(f.account)}</td><td>${esc(f.region)}</td>`,
    `<td>${esc(f.message)}${paths}<details><summary>Fix</summary>${esc(f.remediation)}${refs}<br><span class="note mono">fingerprint ${esc(f.fingerprint)}</span></details></td>`,
    '</tr>',
  ].join('');
}

function cards(result: AuditResult, exposure: readonly ResourceExposure[]): string {
  const s = result.summary;
  const card = (n: number | string, label: string, cls = '') =>
    `<div class="card ${cls}"><div class="n">${esc(String(n))}</div><div class="l">${esc(label)}</div></div>`;
  const inbound = exposure.filter((e) => e.inbound.fromInternet.length > 0).length;
  const uninspected = exposure.filter(
    (e) => e.outbound.inspection === 'none' || e.outbound.inspection === 'partial',
  ).length;
  return [
    '<div class="cards">',
    card(s.findings, 'findings'),
    ...SEVERITIES.filter((x) => x !== 'INFO' || s.bySeverity.INFO > 0).map((x) =>
      card(s.bySeverity[x], x, `sev-${x}`),
    ),
    card(s.resourcesAudited, 'resources audited'),
    card(exposure.length, 'ML resources'),
    card(inbound, 'reachable from internet'),
    card(uninspected, 'uninspected egress'),
    card(s.notEvaluated, 'not evaluated'),
    card(s.coverageGaps, 'coverage gaps'),
    '</div>',
  ].join('');
}

function findingsSection(result: AuditResult): string {
  const sorted = [...result.findings].sort(compareFindings);
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  return [
    '<h2 id="findings-h">Findings</h2>',
    '<div class="filters">',
    select(
      'f-severity',
      'Severity',
      SEVERITIES.filter((s) => sorted.some((f) => f.severity === s)),
    ),
    select('f-rule', 'Rule', uniq(sorted.map((f) => f.ruleId))),
    select('f-account', 'Account', uniq(sorted.map((f) => f.account))),
    select('f-region', 'Region', uniq(sorted.map((f) => f.region))),
    '<label>Search <input id="f-search" type="search" placeholder="id, name, port, text…"></label>',
    '<span id="f-count" class="count"></span>',
    '</div>',
    '<table id="findings"><thead><tr><th>Severity</th><th>Rule</th><th>Resource</th><th>Account</th><th>Region</th><th>What</th></tr></thead><tbody>',
    ...(sorted.length ? sorted.map(findingRow) : ['<tr><td colspan="6">No findings.</td></tr>']),
    '</tbody></table>',
    result.suppressed?.length
      ? `<p class="note">${result.suppressed.length} suppressed finding(s) are not listed (see the JSON document's <code>suppressed</code>).</p>`
      : '',
  ].join('');
}

function coverageSection(result: AuditResult): string {
  const head = '<section id="coverage"><h2 id="coverage-h">Coverage gaps</h2>';
  if (result.coverage.length === 0)
    return `${head}<p class="note">Everything was read: no coverage gaps.</p></section>`;
  return [
    head,
    '<p class="note">These calls failed: what they would have read was NOT audited, and the rules that need it say NOT EVALUATED.</p>',
    '<table id="coverage-table"><thead><tr><th>Account</th><th>Region</th><th>Call</th><th>Kind</th><th>Resource</th><th>Error</th></tr></thead><tbody>',
    ...result.coverage.map(
      (g) =>
        `<tr><td>${esc(g.account)}</td><td>${esc(g.region)}</td><td><code>${esc(`${g.service}:${g.operation}`)}</code></td><td>${esc(g.kind)}</td><td>${esc(g.resourceId ?? '')}</td><td>${esc(`${g.errorCode}: ${g.message}`)}</td></tr>`,
    ),
    '</tbody></table></section>',
  ].join('');
}

/** The most exposed first: open to the internet, then uninspected egress, then the rest. */
function exposureRank(e: ResourceExposure): number {
  if (e.inbound.fromInternet.length) return 0;
  if (e.outbound.inspection === 'none') return 1;
  if (e.outbound.inspection === 'partial') return 2;
  return 3;
}

async function exposureSection(exposure: readonly ResourceExposure[]): Promise<string> {
  const out = [`<h2 id="exposure-h">Exposure by ML resource (${exposure.length})</h2>`];
  if (exposure.length === 0) return `${out[0]}<p class="note">No ML resource was found to assess.</p>`;
  out.push(
    '<p class="note">Ways in run from the left into the resource, ways out to the right; edges name the ports and the rule that decided. A dashed red edge ends where a path is blocked. Hover a node or an edge for the full hop.</p>',
  );
  const ranked = exposure
    .map((e, i) => ({ e, i }))
    .sort((a, b) => exposureRank(a.e) - exposureRank(b.e) || a.i - b.i);
  for (const [n, { e }] of ranked.entries()) {
    const url = resourceConsoleUrl(e.resource, e.region);
    const title = `${esc(e.kind)} ${esc(e.resource.name ?? e.resource.id)}${e.resource.name && e.resource.name !== e.resource.id ? ` <code>${esc(e.resource.id)}</code>` : ''}`;
    out.push(
      `<section class="resource" data-resource="${esc(e.resource.id)}"><h3>${url ? `<a href="${esc(url)}" rel="noreferrer" target="_blank">${title}</a>` : title}</h3>`,
      `<div class="line">${esc(e.account)} · ${esc(e.region)} · ${esc(exposureLine(e))}</div>`,
    );
    if (n < MAX_DIAGRAMS) out.push(`<div class="diagram-wrap">${await exposureDiagram(e, n)}</div>`);
    else out.push('<p class="note">(diagram left out: only the most exposed resources are drawn)</p>');
    for (const note of e.notes) out.push(`<p class="note">${esc(note)}</p>`);
    out.push('</section>');
  }
  if (exposure.length > MAX_DIAGRAMS)
    out.push(
      `<p class="note">Diagrams are drawn for the ${MAX_DIAGRAMS} most exposed of ${exposure.length} ML resources.</p>`,
    );
  return out.join('');
}

export async function formatHtml(result: AuditResult): Promise<string> {
  const { run } = result;
  const exposure = ((result as { exposure?: unknown }).exposure ?? []) as ResourceExposure[];
  const source = run.source === 'snapshot' ? `snapshot ${run.snapshotFile ?? ''}`.trim() : 'live AWS';
  const meta = `Accounts ${run.accounts.join(', ') || '-'} · regions ${run.regions.join(', ') || '-'} · ${source}, collected ${run.collectedAt} · run ${run.id} (${run.tool.name} ${run.tool.version})`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>ml-network-audit · ${esc(run.accounts.join(', '))}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<header><h1>ml-network-audit report</h1><div class="meta">${esc(meta)}</div>`,
    run.bounds.stoppedEarly
      ? '<div class="meta"><strong>Collection stopped early</strong> to stay within its time budget.</div>'
      : '',
    '</header>',
    '<nav><a href="#summary-h">Summary</a><a href="#findings-h">Findings</a><a href="#coverage-h">Coverage gaps</a><a href="#exposure-h">Exposure</a></nav>',
    '<main>',
    '<h2 id="summary-h">Summary</h2>',
    cards(result, exposure),
    findingsSection(result),
    coverageSection(result),
    await exposureSection(exposure),
    '</main>',
    `<footer>Generated ${esc(run.finishedAt)} by ${esc(run.tool.name)} ${esc(run.tool.version)}. Self-contained: this page fetches nothing.</footer>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
