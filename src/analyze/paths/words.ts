/**
 * The words that describe flows in hops, evidence and messages: the protocols and ports of a flow set
 * (portsOf, for JSON), in a hop's words (describeFlows) and in a finding's words (portsText).
 */
import type { FlowSet } from '../net/index.ts';
import { PortSet, TCP, UDP } from '../net/index.ts';

export interface PortsEntry {
  /** tcp, udp, icmp, all, or a protocol number's name. */
  protocol: string;
  /** "443", "0-65535", "all" (protocols without ports). */
  ports: string;
  /** Protocols an 'all' entry does not cover (listed on their own). */
  except?: string[];
}

const PROTO_NAMES: Record<number, string> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };
const pname = (p: number | 'all') => (p === 'all' ? 'all' : (PROTO_NAMES[p] ?? String(p)));

/** The protocols and ports of a flow set, whatever the addresses. */
export function portsOf(set: FlowSet): PortsEntry[] {
  const byProto = new Map<string, { ports: PortSet; except?: string[] }>();
  for (const b of set.boxes()) {
    const key = pname(b.protocol);
    const cur = byProto.get(key);
    const ports = b.protocol === TCP || b.protocol === UDP ? b.ports : PortSet.all();
    if (cur) cur.ports = cur.ports.union(ports);
    else byProto.set(key, { ports, ...(b.except ? { except: b.except.map(pname) } : {}) });
  }
  return [...byProto].map(([protocol, v]) => ({
    protocol,
    ports:
      protocol === 'tcp' || protocol === 'udp' ? (v.ports.isAll() ? '0-65535' : v.ports.toString()) : 'all',
    ...(v.except ? { except: v.except } : {}),
  }));
}

const DESCRIPTIONS = new WeakMap<FlowSet, string>();

/** "tcp 443; udp 53" / "all traffic" / "none" (memoized per set: hop texts repeat across placements). */
export function describeFlows(set: FlowSet): string {
  if (set.isEmpty()) return 'nothing';
  const known = DESCRIPTIONS.get(set);
  if (known !== undefined) return known;
  const text = describeFlowsUncached(set);
  DESCRIPTIONS.set(set, text);
  return text;
}

function describeFlowsUncached(set: FlowSet): string {
  return portsOf(set)
    .map((e) =>
      e.protocol === 'all'
        ? `all traffic${e.except ? ` (except ${e.except.join(', ')} as listed)` : ''}`
        : e.ports === 'all'
          ? e.protocol
          : `${e.protocol} ${e.ports}`,
    )
    .join('; ');
}

/** "tcp 22, 8888; udp 53" / "all traffic". */
export function portsText(entries: readonly PortsEntry[]): string {
  if (entries.length === 0) return 'nothing';
  return entries
    .map((e) =>
      e.protocol === 'all'
        ? `all traffic${e.except ? ` (other than ${e.except.join(', ')})` : ''}`
        : e.ports === 'all'
          ? e.protocol
          : e.ports === '0-65535'
            ? `${e.protocol} (all ports)`
            : `${e.protocol} ${e.ports}`,
    )
    .join('; ');
}
