/**
 * The path diagram of one ML resource for the HTML report: a graph of what its traffic crosses (the
 * internet, internet / egress-only gateways, NAT gateways, firewall endpoints, route tables, NACLs,
 * security groups, the ENI's subnet, VPC endpoints and the resource), built from the exposure entry's
 * paths, laid out by dagre and drawn as SVG. Ways in run left to right into the resource, ways out from
 * it to the right; a blocked path ends at the hop that blocks it (dashed, red).
 *
 * Every node carries `data-node` (the AWS ids it stands for, space-separated), `data-kind` and
 * `data-dir`, and the SVG carries `data-resource`, so a test or a script finds a node by resource id.
 * dagre is imported only when a diagram is drawn, never on the Lambda's start-up path.
 */
import type { PathStep, ResourceExposure } from '../../analyze/paths/exposure.ts';
import { cut, decidedBy, HOP_KIND_LABEL } from '../hops.ts';

export interface DiagramNode {
  key: string;
  kind: string;
  dir: 'in' | 'out' | 'resource' | 'api' | 'blocked';
  /** The AWS ids the node stands for (several security groups share one node). */
  ids: string[];
  label: string;
  sub: string;
  /** The hop's full text (a tooltip). */
  title: string;
}

export interface DiagramEdge {
  from: string;
  to: string;
  label: string;
  title: string;
  style: 'path' | 'blocked' | 'api' | 'api-denied';
}

export interface DiagramGraph {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

function stepNode(dir: 'in' | 'out', step: PathStep, text: string): DiagramNode {
  const ids = step.id
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const name = (step as { name?: unknown }).name;
  const label =
    step.kind === 'sg' && ids.length === 1 ? 'Security group' : (HOP_KIND_LABEL[step.kind] ?? step.kind);
  const shown = step.kind === 'internet' || step.kind === 'sagemaker' ? '' : ids.join(', ');
  return {
    key: `${dir}:${step.kind}:${step.id}`,
    kind: step.kind,
    dir,
    ids: step.kind === 'internet' || step.kind === 'sagemaker' ? [] : ids,
    label,
    sub: typeof name === 'string' && name ? `${name} (${shown})` : shown,
    title: text,
  };
}

const INTERNET_OUT: DiagramNode = {
  key: 'out:internet',
  kind: 'internet',
  dir: 'out',
  ids: [],
  label: 'Internet',
  sub: '',
  title: 'the internet',
};

/** The graph of one ML resource's paths (no layout yet). */
export function exposureGraph(e: ResourceExposure): DiagramGraph {
  const nodes = new Map<string, DiagramNode>();
  const edges = new Map<string, DiagramEdge>();
  const node = (n: DiagramNode) => {
    if (!nodes.has(n.key)) nodes.set(n.key, n);
    return n.key;
  };
  const edge = (from: string, to: string, label: string, title: string, style: DiagramEdge['style']) => {
    const k = `${from}>${to}`;
    if (!edges.has(k)) edges.set(k, { from, to, label, title, style });
  };
  const res = node({
    key: 'resource',
    kind: e.kind,
    dir: 'resource',
    ids: [e.resource.id],
    label: `${e.kind}${e.mode === 'isolated' ? ' (network isolation)' : ''}`,
    sub: e.resource.name && e.resource.name !== e.resource.id ? `${e.resource.name}` : e.resource.id,
    title: `${e.kind} ${e.resource.id}`,
  });
  const ports = (p: { ports: { protocol: string; ports: string }[] }) =>
    cut(p.ports.map((x) => (x.protocol === 'all' ? 'all traffic' : `${x.protocol} ${x.ports}`)).join(', '));

  for (const p of e.inbound.paths) {
    const steps = p.steps ?? [];
    let prev: string | undefined;
    steps.forEach((s, i) => {
      const text = p.hops[i] ?? '';
      const key = node(stepNode('in', s, text));
      if (prev) edge(prev, key, decidedBy(s.kind, text), text, 'path');
      prev = key;
      if (s.kind === 'internet') {
        const igw = node(stepNode('in', { kind: 'igw', id: p.entry }, `internet gateway ${p.entry}`));
        edge(key, igw, ports(p), text, 'path');
        prev = igw;
      }
    });
    if (prev) edge(prev, res, ports(p), 'into the resource', 'path');
  }

  for (const p of e.outbound.paths) {
    const steps = p.steps ?? [];
    let prev = res;
    steps.forEach((s, i) => {
      const text = p.hops[i] ?? '';
      const key = node(stepNode('out', s, text));
      edge(prev, key, i === 0 ? ports(p) : decidedBy(s.kind, text), text, 'path');
      prev = key;
    });
    if (p.exit === 'internet' || p.exit === 'sagemaker')
      edge(prev, node(INTERNET_OUT), p.inspected ? 'inspected' : 'uninspected', 'to the internet', 'path');
  }

  e.blocked.forEach((b, n) => {
    const steps = b.steps ?? [];
    let prev = res;
    steps.forEach((s, i) => {
      const last = i === steps.length - 1;
      const text = last ? b.at : '';
      const base = stepNode('out', s, text);
      const key = last
        ? node({
            ...base,
            key: `blocked:${n}:${s.kind}:${s.id}`,
            dir: 'blocked',
            label: `Blocked: ${base.label}`,
          })
        : node(base);
      edge(prev, key, last ? b.reason : '', last ? b.at : '', last ? 'blocked' : 'path');
      prev = key;
    });
  });

  for (const a of e.awsApis.endpoints) {
    const key = node({
      key: `api:${a.endpointId}`,
      kind: 'vpce',
      dir: 'api',
      ids: [a.endpointId],
      label: `VPC endpoint: ${a.service}`,
      sub: a.endpointId,
      title: `${a.type} endpoint ${a.endpointId} for ${a.service}: ${a.policySummary}`,
    });
    const denied = a.policy === 'deny-all';
    edge(
      res,
      key,
      `${a.type.toLowerCase()} · policy ${a.policy}`,
      a.policySummary,
      denied ? 'api-denied' : 'api',
    );
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

export interface Placed {
  graph: DiagramGraph;
  width: number;
  height: number;
  nodes: Map<string, { x: number; y: number; width: number; height: number }>;
  edges: { edge: DiagramEdge; points: { x: number; y: number }[]; x: number; y: number }[];
}

const NODE_H = 40;

/** Wide enough for the label (bold 11px) and the ids (10px monospace). */
function nodeWidth(n: DiagramNode): number {
  return Math.ceil(Math.max(80, n.label.length * 6.6 + 16, n.sub.length * 6.1 + 16));
}

function labelWidth(label: string): number {
  return Math.ceil(label.length * 5.6 + 8);
}

/** Lay a graph out with dagre (left to right). */
export async function layoutGraph(graph: DiagramGraph): Promise<Placed> {
  const dagre = await import('@dagrejs/dagre');
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 18, edgesep: 10, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.key, { width: nodeWidth(n), height: NODE_H });
  for (const e of graph.edges)
    g.setEdge(e.from, e.to, {
      width: e.label ? labelWidth(e.label) : 0,
      height: e.label ? 14 : 0,
      labelpos: 'c',
    });
  dagre.layout(g);
  const info = g.graph();
  const nodes = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const n of graph.nodes) {
    const p = g.node(n.key);
    nodes.set(n.key, { x: p.x, y: p.y, width: p.width, height: p.height });
  }
  const edges = graph.edges.map((e) => {
    const p = g.edge(e.from, e.to);
    return { edge: e, points: p.points ?? [], x: p.x ?? 0, y: p.y ?? 0 };
  });
  return { graph, width: Math.ceil(info.width ?? 0), height: Math.ceil(info.height ?? 0), nodes, edges };
}

export function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function safeId(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The SVG of a laid-out graph; `n` makes element ids unique in the page. */
export function renderSvg(placed: Placed, resourceId: string, n: number): string {
  const out: string[] = [];
  const { width, height } = placed;
  out.push(
    `<svg class="diagram" data-resource="${esc(resourceId)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="network paths of ${esc(resourceId)}">`,
    `<defs><marker id="arrow-${n}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>`,
  );
  for (const e of placed.edges) {
    const pts = e.points;
    if (pts.length === 0) continue;
    const d = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    out.push(
      `<g class="edge edge-${e.edge.style}" data-from="${esc(e.edge.from)}" data-to="${esc(e.edge.to)}"><title>${esc(e.edge.title || e.edge.label)}</title><path d="${d}" marker-end="url(#arrow-${n})"/>`,
    );
    if (e.edge.label) {
      const w = labelWidth(e.edge.label);
      out.push(
        `<rect class="edge-label-bg" x="${(e.x - w / 2).toFixed(1)}" y="${(e.y - 7).toFixed(1)}" width="${w}" height="14" rx="3"/>`,
        `<text class="edge-label" x="${e.x.toFixed(1)}" y="${(e.y + 3.5).toFixed(1)}" text-anchor="middle">${esc(e.edge.label)}</text>`,
      );
    }
    out.push('</g>');
  }
  for (const node of placed.graph.nodes) {
    const p = placed.nodes.get(node.key);
    if (!p) continue;
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    out.push(
      `<g class="node node-${esc(node.kind)} dir-${node.dir}" id="d${n}-${safeId(node.key)}" data-node="${esc(node.ids.join(' '))}" data-kind="${esc(node.kind)}" data-dir="${node.dir}" transform="translate(${x.toFixed(1)},${y.toFixed(1)})">`,
      `<title>${esc(node.title)}</title>`,
      `<rect width="${p.width}" height="${p.height}" rx="6"/>`,
      `<text x="${p.width / 2}" y="${node.sub ? 17 : 25}" text-anchor="middle" class="node-label">${esc(node.label)}</text>`,
    );
    if (node.sub)
      out.push(
        `<text x="${p.width / 2}" y="33" text-anchor="middle" class="node-sub">${esc(node.sub)}</text>`,
      );
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('');
}

/** The diagram of one exposure entry, as SVG. */
export async function exposureDiagram(e: ResourceExposure, n: number): Promise<string> {
  return renderSvg(await layoutGraph(exposureGraph(e)), e.resource.id, n);
}
