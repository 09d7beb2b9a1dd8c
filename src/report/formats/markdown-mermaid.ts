/**
 * A reach-* finding's path as a Mermaid flowchart (GitHub renders ```mermaid blocks): one node per
 * hop, named by kind and id (and name), each edge labelled with the ports (first) or the rule that
 * decided the next hop.
 */
import type { Finding } from '../../analyze/engine/finding.ts';
import {
  decidedBy,
  findingPaths,
  HOP_KIND_LABEL,
  isInbound,
  type ShownHop,
  type ShownPath,
} from '../hops.ts';

/** Text Mermaid shows verbatim inside a quoted label. */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;'));
}

function hopLabel(h: ShownHop): string {
  const kind = HOP_KIND_LABEL[h.kind] ?? h.kind;
  if (h.kind === 'internet' || h.kind === 'sagemaker') return label(kind);
  const who = h.name && h.name !== h.id ? `${h.name} ${h.id}` : h.id;
  return `${label(kind)}<br/>${label(who)}`;
}

function chart(p: ShownPath, f: Finding): string[] {
  const inbound = isInbound(p);
  const hops: ShownHop[] = p.hops.flatMap((h) =>
    h.kind === 'internet' && p.entry ? [h, { kind: 'igw', id: p.entry, text: '' }] : [h],
  );
  const target = `${label(f.resource.type.split('::').pop() ?? 'resource')}<br/>${label(f.resource.name ?? f.resource.id)}`;
  const nodes = inbound ? [...hops.map(hopLabel), target] : [target, ...hops.map(hopLabel)];
  const reasons = inbound
    ? [...hops.slice(1).map((h) => decidedBy(h.kind, h.text)), '']
    : hops.map((h) => decidedBy(h.kind, h.text));
  const out = ['```mermaid', 'flowchart LR'];
  nodes.forEach((n, i) => {
    out.push(`  n${i}["${n}"]`);
  });
  for (let i = 0; i + 1 < nodes.length; i++) {
    const why = i === 0 ? p.ports : reasons[i];
    out.push(why ? `  n${i} -->|"${label(why)}"| n${i + 1}` : `  n${i} --> n${i + 1}`);
  }
  out.push('```');
  return out;
}

/** The flowcharts of a finding's paths (at most `max`), or nothing for a finding with no path. */
export function mermaidPaths(f: Finding, max = 3): string[] {
  const paths = findingPaths(f);
  const out: string[] = [];
  for (const p of paths.slice(0, max)) out.push(...chart(p, f), '');
  if (paths.length > max) out.push(`(${paths.length - max} more paths in the JSON evidence)`, '');
  return out;
}
