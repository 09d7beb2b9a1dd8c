/**
 * FlowSet: an exact, immutable set of (protocol, port, address) triples: the space a security-group
 * rule or a NACL entry matches, and what remains after combining them.
 *
 * The "port" coordinate is 16 bits (0..65535) for every protocol:
 *  - TCP / UDP: the port;
 *  - ICMP / ICMPv6: type * 256 + code (see icmpCoord), so type/code-restricted rules are exact too;
 *  - any other protocol: meaningless; rule spaces always cover the whole coordinate range for them.
 *
 * Representation (canonical, so equality is structural):
 *  - per protocol, a piecewise-constant map from port coordinate to AddrSet ("PortMap"): sorted
 *    segment starts (the first is 0) with the AddrSet for each segment; adjacent segments differ;
 *  - `others`: the PortMap shared by every protocol not listed in `byProto`; `byProto` lists only the
 *    protocols whose map differs from `others` (and never all 256 of them).
 * Operations are pointwise: over the union of the listed protocols (plus `others`), over the union of
 * the segment starts, then AddrSet algebra. Cost is proportional to the (small) number of protocols,
 * port segments and address intervals involved.
 */
import { AddrSet } from './addr-set.ts';
import { PortSet } from './ports.ts';
import { hasPorts, isIcmp, normalizeProtocol, type Protocol, protocolName } from './protocol.ts';

const COORD_END = 65536;

// ------------------------------------------------------------------ PortMap (internal)

interface PortMap {
  readonly starts: readonly number[];
  readonly values: readonly AddrSet[];
}

const EMPTY_MAP: PortMap = { starts: [0], values: [AddrSet.empty()] };

function constMap(a: AddrSet): PortMap {
  return a.isEmpty() ? EMPTY_MAP : { starts: [0], values: [a] };
}

function boxMap(ports: PortSet, addrs: AddrSet): PortMap {
  if (addrs.isEmpty() || ports.isEmpty()) return EMPTY_MAP;
  if (ports.isAll()) return constMap(addrs);
  const starts: number[] = [];
  const values: AddrSet[] = [];
  let cur = 0;
  for (const [from, to] of ports.ranges()) {
    if (from > cur) {
      starts.push(cur);
      values.push(AddrSet.empty());
    }
    starts.push(from);
    values.push(addrs);
    cur = to + 1;
  }
  if (cur < COORD_END) {
    starts.push(cur);
    values.push(AddrSet.empty());
  }
  return { starts, values };
}

function combine(a: PortMap, b: PortMap, op: (x: AddrSet, y: AddrSet) => AddrSet): PortMap {
  const starts: number[] = [];
  const values: AddrSet[] = [];
  let i = 0;
  let j = 0;
  let s = 0;
  for (;;) {
    const v = op(a.values[i] as AddrSet, b.values[j] as AddrSet);
    const last = values[values.length - 1];
    if (last === undefined || !last.equals(v)) {
      starts.push(s);
      values.push(v);
    }
    const nextA = a.starts[i + 1] ?? COORD_END;
    const nextB = b.starts[j + 1] ?? COORD_END;
    const n = Math.min(nextA, nextB);
    if (n === COORD_END) break;
    if (nextA === n) i++;
    if (nextB === n) j++;
    s = n;
  }
  if (values.length === 1 && (values[0] as AddrSet).isEmpty()) return EMPTY_MAP;
  return { starts, values };
}

function mapIsEmpty(m: PortMap): boolean {
  return m.values.length === 1 && (m.values[0] as AddrSet).isEmpty();
}

function mapEquals(a: PortMap, b: PortMap): boolean {
  if (a === b) return true;
  if (a.starts.length !== b.starts.length) return false;
  for (let i = 0; i < a.starts.length; i++) {
    if (a.starts[i] !== b.starts[i]) return false;
    if (!(a.values[i] as AddrSet).equals(b.values[i] as AddrSet)) return false;
  }
  return true;
}

function mapAt(m: PortMap, coord: number): AddrSet {
  let lo = 0;
  let hi = m.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((m.starts[mid] as number) <= coord) lo = mid;
    else hi = mid - 1;
  }
  return m.values[lo] as AddrSet;
}

function segmentPorts(m: PortMap, i: number): PortSet {
  return PortSet.range(m.starts[i] as number, (m.starts[i + 1] ?? COORD_END) - 1);
}

// ------------------------------------------------------------------ FlowSet

/** One piece of a FlowSet, for evidence. */
export interface FlowBox {
  /** A protocol number, or 'all' for every protocol not listed in `except`. */
  readonly protocol: Protocol;
  /** With protocol 'all': the protocols this box does not cover (each is described by its own boxes). */
  readonly except?: readonly number[];
  /** Port coordinates (ports for TCP/UDP, icmpCoord for ICMP). */
  readonly ports: PortSet;
  readonly addrs: AddrSet;
}

type Op = (x: AddrSet, y: AddrSet) => AddrSet;
const UNION: Op = (x, y) => x.union(y);
const INTERSECT: Op = (x, y) => x.intersect(y);
const SUBTRACT: Op = (x, y) => x.subtract(y);

function checkProtocolNumber(p: number, what: string): void {
  if (!Number.isInteger(p) || p < 0 || p > 255) {
    throw new Error(`Invalid ${what} ${JSON.stringify(p)}: expected a protocol number 0-255`);
  }
}

export class FlowSet {
  private readonly others: PortMap;
  private readonly byProto: ReadonlyMap<number, PortMap>;

  private constructor(others: PortMap, byProto: ReadonlyMap<number, PortMap>) {
    this.others = others;
    this.byProto = byProto;
  }

  private static readonly EMPTY = new FlowSet(EMPTY_MAP, new Map());

  /** Canonicalizes: drops protocols equal to `others`; never lets `others` describe no protocol at all. */
  private static make(others: PortMap, byProto: Map<number, PortMap>): FlowSet {
    let o = others;
    if (byProto.size === 256) o = byProto.get(0) as PortMap;
    for (const [k, m] of byProto) if (mapEquals(m, o)) byProto.delete(k);
    if (byProto.size === 0 && mapIsEmpty(o)) return FlowSet.EMPTY;
    return new FlowSet(o, byProto);
  }

  static empty(): FlowSet {
    return FlowSet.EMPTY;
  }

  /** Every protocol, every port / type / code, for the given addresses (default: all of both families). */
  static all(addrs: AddrSet = AddrSet.all()): FlowSet {
    return FlowSet.make(constMap(addrs), new Map());
  }

  /** protocol × ports × addrs. For protocol 'all' the port coordinates apply to every protocol. */
  static box(protocol: Protocol, ports: PortSet, addrs: AddrSet): FlowSet {
    const m = boxMap(ports, addrs);
    if (protocol === 'all') return FlowSet.make(m, new Map());
    checkProtocolNumber(protocol, 'protocol');
    return FlowSet.make(EMPTY_MAP, new Map([[protocol, m]]));
  }

  private binary(other: FlowSet, op: Op): FlowSet {
    const others = combine(this.others, other.others, op);
    const byProto = new Map<number, PortMap>();
    const keys = new Set<number>([...this.byProto.keys(), ...other.byProto.keys()]);
    for (const k of keys) {
      const a = this.byProto.get(k) ?? this.others;
      const b = other.byProto.get(k) ?? other.others;
      byProto.set(k, combine(a, b, op));
    }
    return FlowSet.make(others, byProto);
  }

  union(other: FlowSet): FlowSet {
    if (other.isEmpty() || this === other) return this;
    if (this.isEmpty()) return other;
    return this.binary(other, UNION);
  }

  /** The union of many sets, merged pairwise as a balanced tree (n log n rather than n^2). */
  static unionAll(sets: Iterable<FlowSet>): FlowSet {
    let level = [...sets];
    if (level.length === 0) return FlowSet.EMPTY;
    while (level.length > 1) {
      const next: FlowSet[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const a = level[i] as FlowSet;
        const b = level[i + 1];
        next.push(b === undefined ? a : a.union(b));
      }
      level = next;
    }
    return level[0] as FlowSet;
  }

  intersect(other: FlowSet): FlowSet {
    if (this === other) return this;
    if (this.isEmpty() || other.isEmpty()) return FlowSet.EMPTY;
    return this.binary(other, INTERSECT);
  }

  subtract(other: FlowSet): FlowSet {
    if (this === other) return FlowSet.EMPTY;
    if (this.isEmpty() || other.isEmpty()) return this;
    return this.binary(other, SUBTRACT);
  }

  isEmpty(): boolean {
    return this === FlowSet.EMPTY;
  }

  /** other ⊆ this. */
  contains(other: FlowSet): boolean {
    return other.subtract(this).isEmpty();
  }

  overlaps(other: FlowSet): boolean {
    return !this.intersect(other).isEmpty();
  }

  equals(other: FlowSet): boolean {
    if (this === other) return true;
    if (this.byProto.size !== other.byProto.size || !mapEquals(this.others, other.others)) return false;
    for (const [k, m] of this.byProto) {
      const o = other.byProto.get(k);
      if (o === undefined || !mapEquals(m, o)) return false;
    }
    return true;
  }

  /** Only the triples whose address is in `addrs`. */
  restrictAddrs(addrs: AddrSet): FlowSet {
    return this.intersect(FlowSet.all(addrs));
  }

  private mapFor(protocol: number): PortMap {
    return this.byProto.get(protocol) ?? this.others;
  }

  /**
   * The addresses in the set for one protocol and port coordinate (a TCP/UDP port, or icmpCoord(type,
   * code) for ICMP). With `port` undefined: the addresses for which EVERY port coordinate of the
   * protocol is in the set (for a protocol without ports, as built by ruleSpace, simply its addresses).
   */
  addrsFor(protocol: number, port: number | undefined): AddrSet {
    checkProtocolNumber(protocol, 'protocol');
    const m = this.mapFor(protocol);
    if (port !== undefined) {
      if (!Number.isInteger(port) || port < 0 || port >= COORD_END) {
        throw new Error(`Invalid port ${JSON.stringify(port)}: expected an integer 0-65535`);
      }
      return mapAt(m, port);
    }
    let acc = m.values[0] as AddrSet;
    for (let i = 1; i < m.values.length && !acc.isEmpty(); i++) acc = acc.intersect(m.values[i] as AddrSet);
    return acc;
  }

  /** The addresses in the set for the protocol on at least one port coordinate. */
  addrsForAnyPort(protocol: number): AddrSet {
    checkProtocolNumber(protocol, 'protocol');
    let acc = AddrSet.empty();
    for (const v of this.mapFor(protocol).values) acc = acc.union(v);
    return acc;
  }

  /** The port coordinates of `protocol` at which every address of `addrs` is in the set. */
  portsFor(protocol: number, addrs: AddrSet): PortSet {
    checkProtocolNumber(protocol, 'protocol');
    const m = this.mapFor(protocol);
    let acc = PortSet.empty();
    for (let i = 0; i < m.values.length; i++) {
      if ((m.values[i] as AddrSet).contains(addrs)) acc = acc.union(segmentPorts(m, i));
    }
    return acc;
  }

  /** Addresses that appear anywhere in the set. */
  addrs(): AddrSet {
    let acc = AddrSet.empty();
    for (const v of this.others.values) acc = acc.union(v);
    for (const m of this.byProto.values()) for (const v of m.values) acc = acc.union(v);
    return acc;
  }

  /** A description of the set as disjoint boxes (segments with equal addresses grouped), for evidence. */
  boxes(): FlowBox[] {
    const out: FlowBox[] = [];
    const emit = (m: PortMap, protocol: Protocol, except?: number[]) => {
      const groups: Array<{ addrs: AddrSet; ports: PortSet }> = [];
      for (let i = 0; i < m.values.length; i++) {
        const v = m.values[i] as AddrSet;
        if (v.isEmpty()) continue;
        const g = groups.find((x) => x.addrs.equals(v));
        if (g) g.ports = g.ports.union(segmentPorts(m, i));
        else groups.push({ addrs: v, ports: segmentPorts(m, i) });
      }
      for (const g of groups) {
        out.push(
          except
            ? { protocol, except, ports: g.ports, addrs: g.addrs }
            : { protocol, ports: g.ports, addrs: g.addrs },
        );
      }
    };
    const keys = [...this.byProto.keys()].sort((a, b) => a - b);
    emit(this.others, 'all', keys.length > 0 ? keys : undefined);
    for (const k of keys) emit(this.byProto.get(k) as PortMap, k);
    return out;
  }

  /** e.g. "tcp 22 from 0.0.0.0/0; all (except tcp) from 10.0.0.0/16"; "(none)" when empty. */
  toString(): string {
    if (this.isEmpty()) return '(none)';
    return this.boxes()
      .map((b) => {
        let p = protocolName(b.protocol);
        if (b.except) p += ` (except ${b.except.map((e) => protocolName(e)).join(', ')})`;
        const ports = b.ports.isAll() ? '' : ` ${formatCoords(b.protocol, b.ports)}`;
        return `${p}${ports} from ${b.addrs.toString()}`;
      })
      .join('; ');
  }
}

function formatCoords(protocol: Protocol, ports: PortSet): string {
  if (!isIcmp(protocol)) return ports.toString();
  return ports
    .ranges()
    .map(([a, b]) => {
      const [ta, ca, tb, cb] = [Math.floor(a / 256), a % 256, Math.floor(b / 256), b % 256];
      if (ca === 0 && cb === 255) return ta === tb ? `type ${ta}` : `types ${ta}-${tb}`;
      if (a === b) return `type ${ta} code ${ca}`;
      return `type/code ${ta}/${ca}-${tb}/${cb}`;
    })
    .join(', ');
}

// ------------------------------------------------------------------ building spaces from rules

/** The ICMP port coordinate of one type and code (each 0..255). */
export function icmpCoord(type: number, code: number): number {
  if (!Number.isInteger(type) || type < 0 || type > 255)
    throw new Error(`Invalid ICMP type ${type}: expected 0-255`);
  if (!Number.isInteger(code) || code < 0 || code > 255)
    throw new Error(`Invalid ICMP code ${code}: expected 0-255`);
  return type * 256 + code;
}

/**
 * The ICMP coordinates an ICMP type/code pair matches, with the API's wildcards: type -1 (or absent)
 * = every type and code; code -1 (or absent) = every code of the type.
 */
export function icmpTypeCodeSet(type: number | undefined, code: number | undefined): PortSet {
  if (type === undefined || type === -1) return PortSet.all();
  if (code === undefined || code === -1) {
    const base = icmpCoord(type, 0);
    return PortSet.range(base, base + 255);
  }
  const c = icmpCoord(type, code);
  return PortSet.range(c, c);
}

/**
 * The port-coordinate set of a rule, as the EC2 API encodes it:
 *  - 'all': every coordinate;
 *  - TCP/UDP: from..to; both absent or -1 = all ports;
 *  - ICMP/ICMPv6: from = type, to = code (-1 / absent wildcards, see icmpTypeCodeSet);
 *  - other protocols: every coordinate (they have no ports).
 * Throws on an inconsistent TCP/UDP range (one side missing, out of bounds, from > to).
 */
export function portDimension(protocol: Protocol, from: number | undefined, to: number | undefined): PortSet {
  if (hasPorts(protocol)) {
    const fromAll = from === undefined || from === -1;
    const toAll = to === undefined || to === -1;
    if (fromAll && toAll) return PortSet.all();
    if (fromAll || toAll) {
      throw new Error(
        `Invalid port range ${from ?? '(absent)'}-${to ?? '(absent)'} for ${protocolName(protocol)}`,
      );
    }
    return PortSet.range(from as number, to as number);
  }
  if (isIcmp(protocol)) return icmpTypeCodeSet(from, to);
  return PortSet.all();
}

/**
 * The space one security-group rule or NACL entry matches: protocol (as the API gives it: "-1", "tcp",
 * "6", ...) × its port coordinates (see portDimension) × `addrs`.
 */
export function ruleSpace(
  ipProtocol: string | number,
  fromPort: number | undefined,
  toPort: number | undefined,
  addrs: AddrSet,
): FlowSet {
  const p = normalizeProtocol(ipProtocol);
  return FlowSet.box(p, portDimension(p, fromPort, toPort), addrs);
}
