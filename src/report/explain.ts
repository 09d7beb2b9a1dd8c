/**
 * `explain` and `rules <id>` in words: one finding (its rule, verdict, message and evidence, a reach
 * finding's paths step by step with the return leg and the NACL rule numbers), one ML resource (every
 * path in and out, what is blocked, the private paths to AWS APIs, the findings on it), or one rule's
 * full documentation. Pure: data in, text out, wrapped to `width`.
 */
import type { Finding } from '../analyze/engine/finding.ts';
import type { RuleMeta } from '../analyze/engine/rule.ts';
import type { ResourceTrace, TraceStep } from '../analyze/paths/trace.ts';
import { compactPath, evidencePaths, resourceWords, withName } from './paths.ts';
import { colors, DEFAULT_WIDTH, wrapText } from './terminal.ts';

export interface ExplainOptions {
  color: boolean;
  width?: number;
}

class Lines {
  readonly out: string[] = [];
  constructor(readonly width: number) {}
  add(text: string, first = '', rest = `${first}  `): void {
    this.out.push(...wrapText(text, this.width, first, rest));
  }
  blank(): void {
    if (this.out.length && this.out[this.out.length - 1] !== '') this.out.push('');
  }
  text(): string {
    return `${this.out.join('\n').replace(/\n+$/, '')}\n`;
  }
}

/** A step's words, led by the id it crosses (and its name) unless the words name it already. */
const stepText = (s: TraceStep) =>
  s.id && (s.name || !s.text.includes(s.id)) ? `${withName(s.id, s.name)}: ${s.text}` : s.text;

/** Each id of `names` in `text` once followed by its name: words that add the names to a hop's text. */
function named(text: string, names: Record<string, string> | undefined): string {
  let out = text;
  for (const [id, name] of Object.entries(names ?? {})) {
    out = out.replace(
      new RegExp(`\\b${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b(?! \\()`),
      `${id} (${name})`,
    );
  }
  return out;
}

function inboundSection(lines: Lines, trace: ResourceTrace, bold: (s: string) => string): void {
  if (trace.inbound.length === 0) {
    lines.add('In from the internet: none.');
    return;
  }
  trace.inbound.forEach((path, i) => {
    lines.blank();
    lines.add(
      bold(
        `Path in ${i + 1} of ${trace.inbound.length}: through ${path.entry} into ${path.subnetId}, on ${path.flows}`,
      ),
    );
    path.forward.forEach((s, j) => {
      lines.add(stepText(s), j === 0 ? '  ' : '  → ', '      ');
    });
    lines.add('Return leg:', '  ');
    path.back.forEach((s, j) => {
      lines.add(stepText(s), j === 0 ? '    ' : '    ← ', '        ');
    });
  });
}

function outboundSection(lines: Lines, trace: ResourceTrace, bold: (s: string) => string): void {
  if (trace.outbound.length === 0) {
    lines.add('Out: no path leaves this resource.');
    return;
  }
  trace.outbound.forEach((path, i) => {
    lines.blank();
    const inspected = path.firewalls.length ? `inspected by ${path.firewalls.join(', ')}` : 'no firewall';
    lines.add(
      bold(
        `Path out ${i + 1} of ${trace.outbound.length}: to ${path.exit === 'other' ? path.exitId : `${path.exit} via ${path.exitId}`}, ${path.flows} (${inspected})`,
      ),
    );
    path.hops.forEach((s, j) => {
      lines.add(stepText(s), j === 0 ? '  ' : '  → ', '      ');
    });
    if (path.asymmetry) lines.add(`Return: ${path.asymmetry}`, '  ');
  });
}

function resourceSections(lines: Lines, trace: ResourceTrace, bold: (s: string) => string): void {
  lines.blank();
  lines.add(bold('IN'));
  inboundSection(lines, trace, bold);
  lines.blank();
  lines.add(bold('OUT'));
  outboundSection(lines, trace, bold);
  if (trace.blocked.length) {
    lines.blank();
    lines.add(bold('BLOCKED'));
    for (const b of trace.blocked) lines.add(`${b.flows} from ${b.subnetId}: ${b.reason}, at ${b.at}`, '  ');
  }
  lines.blank();
  lines.add(bold('PRIVATE API PATHS'));
  if (trace.apis.length === 0) lines.add('none (AWS APIs only over the internet, if at all)', '  ');
  for (const a of trace.apis)
    lines.add(
      `${a.service} via ${a.type} endpoint ${a.endpointId}${a.privateDns ? ', private DNS' : ''}: policy ${a.policy} (${a.policySummary})`,
      '  ',
    );
  if (trace.notes.length) {
    lines.blank();
    lines.add(bold('NOTES'));
    for (const n of trace.notes) lines.add(n, '  ');
  }
}

/** A value in words: an object as "key value, key value", nested objects as JSON. */
function fields(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  return Object.entries(value)
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** Evidence that is not a traced path: its paths' hops with names, else its fields one per line. */
function evidenceSection(lines: Lines, finding: Finding): void {
  const paths = evidencePaths(finding);
  if (paths.length) {
    paths.forEach((p, i) => {
      lines.blank();
      lines.add(`Path ${i + 1} of ${paths.length}`);
      const hops = (p.hops ?? []) as { text?: unknown }[];
      hops.forEach((h, j) => {
        if (typeof h === 'string') lines.add(named(h, p.names), j === 0 ? '  ' : '  → ', '      ');
        else if (typeof h.text === 'string')
          lines.add(named(h.text, p.names), j === 0 ? '  ' : '  → ', '      ');
      });
    });
    return;
  }
  for (const [key, value] of Object.entries(finding.evidence)) {
    if (Array.isArray(value) && value.some((v) => v && typeof v === 'object')) {
      lines.add(`${key}:`, '  ');
      for (const item of value) lines.add(fields(item), '    - ', '      ');
    } else lines.add(`${key}: ${fields(value)}`, '  ', '    ');
  }
}

/** One finding: rule, verdict, resource, message, evidence (a reach finding's paths step by step). */
export function explainFinding(
  finding: Finding,
  trace: ResourceTrace | undefined,
  options: ExplainOptions,
): string {
  const c = colors(options.color);
  const lines = new Lines(options.width ?? DEFAULT_WIDTH);
  lines.add(c.bold(`${finding.ruleId} · ${finding.severity} · ${finding.status}`));
  lines.add(finding.title);
  lines.add(
    `${finding.account} · ${finding.region} · ${resourceWords(finding.resource)}${finding.resource.name && finding.resource.name !== finding.resource.id ? ` (${finding.resource.id})` : ''}`,
  );
  lines.add(`${finding.resource.arn} · fingerprint ${finding.fingerprint}`);
  lines.blank();
  lines.add(finding.message);
  const path = compactPath(finding);
  if (path) {
    lines.blank();
    lines.add(`${c.bold('Path:')} ${path}`);
  }
  lines.blank();
  lines.add(c.bold('EVIDENCE'));
  if (trace && finding.ruleId === 'reach-internet-to-ml') inboundSection(lines, trace, c.bold);
  else if (trace && finding.ruleId.startsWith('reach-')) outboundSection(lines, trace, c.bold);
  else evidenceSection(lines, finding);
  lines.blank();
  lines.add(`${c.bold('Fix:')} ${finding.remediation}`);
  if (finding.references.length) lines.add(`References: ${finding.references.join(', ')}`);
  lines.add(`The rule in full: ml-network-audit rules ${finding.ruleId}`);
  return lines.text();
}

/** One ML resource: every path in and out, blocked paths, private API paths, the findings on it. */
export function explainResource(
  trace: ResourceTrace,
  findings: readonly Finding[],
  options: ExplainOptions,
): string {
  const c = colors(options.color);
  const lines = new Lines(options.width ?? DEFAULT_WIDTH);
  const r = trace.placement.resource;
  lines.add(c.bold(`${trace.placement.kind} ${withName(r.id, r.name)}`));
  lines.add(`${trace.account} · ${trace.region} · ${r.arn}`);
  lines.add(
    `Network: ${trace.mode === 'isolated' ? 'network isolation (no container network)' : trace.mode === 'sagemaker-only' ? "SageMaker's own network only" : `VPC ${trace.placement.vpcId ?? '?'}, subnets ${trace.placement.subnetIds.join(', ') || 'none'}, security groups ${trace.placement.securityGroupIds.join(', ') || 'the VPC default'}`}`,
  );
  resourceSections(lines, trace, c.bold);
  lines.blank();
  lines.add(c.bold(`FINDINGS (${findings.length})`));
  for (const f of findings)
    lines.add(
      `${f.severity} ${f.status === 'FAIL' ? '' : `${f.status} `}${f.ruleId} · ${f.fingerprint}`,
      '  ',
      '    ',
    );
  if (findings.length) lines.add('Explain one: ml-network-audit explain <fingerprint>', '  ');
  return lines.text();
}

/** Findings about a resource that is not an ML resource (a group, a NACL, a VPC): each one explained. */
export function explainFindings(findings: readonly Finding[], options: ExplainOptions): string {
  return findings
    .map((f) => explainFinding(f, undefined, options))
    .join(`\n${'─'.repeat(Math.min(40, options.width ?? DEFAULT_WIDTH))}\n\n`);
}

/** One rule's full documentation, as `rules <id>` prints it. */
export function ruleDocumentation(meta: RuleMeta, options: ExplainOptions): string {
  const c = colors(options.color);
  const lines = new Lines(options.width ?? DEFAULT_WIDTH);
  lines.add(c.bold(`${meta.id} · ${meta.severity} · ${meta.category}`));
  lines.add(meta.title);
  if (meta.references.length) lines.add(`References: ${meta.references.join(', ')}`);
  lines.blank();
  lines.add(`${c.bold('Why it matters.')} ${meta.rationale}`);
  for (const paragraph of meta.docs.split(/\n\s*\n/)) {
    lines.blank();
    for (const line of paragraph.split('\n')) lines.add(line, '', line.startsWith('- ') ? '  ' : '');
  }
  lines.blank();
  lines.add(`${c.bold('Remediation.')} ${meta.remediation}`);
  lines.blank();
  lines.add(
    `Reads: ${meta.needs.join(', ') || 'coverage gaps only'} (a coverage gap in any makes it NOT_EVALUATED)`,
  );
  const defaults = meta.options ? (meta.options.parse({}) as Record<string, unknown>) : {};
  if (Object.keys(defaults).length) {
    lines.add('Options (defaults; set with --rule-options):');
    for (const [k, v] of Object.entries(defaults)) lines.add(`${k}: ${JSON.stringify(v)}`, '  ', '    ');
  }
  return lines.text();
}
