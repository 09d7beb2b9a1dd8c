/**
 * The paths a reach-* finding proves, as the sinks show them: read from the finding's evidence
 * (`evidence.paths[].hops[]` for ways in, `evidence.hops[]` for a way out), each hop named by its name
 * when it has one and its id otherwise, with the rule that decided it in a few words. The HTML report,
 * the Markdown (Mermaid) and the email digest share these words.
 */
import type { Finding } from '../analyze/engine/finding.ts';

export interface ShownHop {
  kind: string;
  id: string;
  text: string;
  name?: string;
}

export interface ShownPath {
  hops: ShownHop[];
  /** "tcp 22", "all traffic". */
  ports: string;
  /** The internet gateway a way in enters through. */
  entry?: string;
}

function asHop(value: unknown): ShownHop | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const h = value as Record<string, unknown>;
  if (typeof h.kind !== 'string' || typeof h.id !== 'string' || typeof h.text !== 'string') return undefined;
  return {
    kind: h.kind,
    id: h.id,
    text: h.text,
    ...(typeof h.name === 'string' && h.name ? { name: h.name } : {}),
  };
}

function portsText(value: unknown): string {
  if (!Array.isArray(value)) return '';
  return value
    .map((p) => p as { protocol?: unknown; ports?: unknown })
    .map((p) => (p.protocol === 'all' ? 'all traffic' : `${String(p.protocol)} ${String(p.ports)}`))
    .join(', ');
}

function pathOf(value: unknown, fallbackPorts: string): ShownPath | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as { hops?: unknown; ports?: unknown; entry?: unknown };
  if (!Array.isArray(p.hops)) return undefined;
  const hops = p.hops.map(asHop).filter((h): h is ShownHop => h !== undefined);
  if (hops.length === 0) return undefined;
  return {
    hops,
    ports: portsText(p.ports) || fallbackPorts,
    ...(typeof p.entry === 'string' && p.entry ? { entry: p.entry } : {}),
  };
}

/** The structured paths of a reach-* finding (none for other rules or evidence without hops). */
export function findingPaths(f: Finding): ShownPath[] {
  if (!f.ruleId.startsWith('reach-')) return [];
  const ev = f.evidence as { paths?: unknown; hops?: unknown; ports?: unknown } | undefined;
  if (!ev || typeof ev !== 'object') return [];
  const ports = portsText(ev.ports);
  if (Array.isArray(ev.paths))
    return ev.paths.map((p) => pathOf(p, ports)).filter((p): p is ShownPath => p !== undefined);
  const one = pathOf(ev, ports);
  return one ? [one] : [];
}

/** What each kind of hop is called in a diagram. */
export const HOP_KIND_LABEL: Record<string, string> = {
  internet: 'Internet',
  igw: 'Internet gateway',
  eigw: 'Egress-only IGW',
  nat: 'NAT gateway',
  firewall: 'Firewall endpoint',
  route: 'Route table',
  'edge-route': 'Edge route table',
  nacl: 'Network ACL',
  sg: 'Security groups',
  eni: 'ENI in subnet',
  sagemaker: 'SageMaker network',
  appliance: 'Appliance',
  'other-network': 'Leaves the model',
};

/** The rule that decided a hop, in a few words, from its text ("NACL rule 100", "route 0.0.0.0/0"). */
export function decidedBy(kind: string, text: string): string {
  if (kind === 'nacl') {
    if (/blocks|does not admit/.test(text)) return 'NACL blocks';
    const m = text.match(/rules? (\d+(?:, \d+)*)/);
    return m ? `NACL rule ${m[1]}` : 'NACL allows';
  }
  if (kind === 'route' || kind === 'edge-route') {
    const m = text.match(/route (\S+) to/);
    return m ? `route ${m[1]}` : '';
  }
  if (kind === 'sg') {
    const m = text.match(/allow (?:in|out:?) (.+)$/);
    return m ? cut(`allows ${m[1]}`, 30) : '';
  }
  if (kind === 'firewall') {
    const m = text.match(/policy (\S+)/);
    return m ? `policy ${m[1]}` : '';
  }
  return '';
}

export function cut(text: string, max = 34): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A hop in a word or two: "igw-1", "acl-1 (NACL rule 100)", "sg-1 legacy-ssh", "internet". */
export function hopWord(h: ShownHop): string {
  const who = h.kind === 'internet' ? 'internet' : h.kind === 'sagemaker' ? 'SageMaker network' : h.id;
  const named = h.name && h.name !== h.id ? `${who} ${h.name}` : who;
  const why = decidedBy(h.kind, h.text);
  return why ? `${named} (${why})` : named;
}

/** One line: "internet → igw-1 → acl-1 (NACL rule 100) → sg-1 (allows tcp 22) → subnet-1 → notebook nb". */
export function compactPath(p: ShownPath, f: Pick<Finding, 'resource'>, inbound: boolean): string {
  const words = p.hops.flatMap((h) =>
    h.kind === 'internet' && p.entry ? [hopWord(h), p.entry] : [hopWord(h)],
  );
  const target = f.resource.name ?? f.resource.id;
  return inbound ? [...words, target].join(' → ') : [target, ...words].join(' → ');
}

/** Whether a finding's paths lead into the resource (ways in start at the internet). */
export function isInbound(p: ShownPath): boolean {
  return p.hops[0]?.kind === 'internet';
}
