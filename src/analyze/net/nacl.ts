/**
 * Network ACL evaluation, as AWS does it: stateless, one direction at a time, entries in ascending
 * rule number, first match wins, and an implicit deny at the end whether or not the API returned the
 * `*` (32767) entry (which is ignored if present).
 *
 * An entry matches a packet when its protocol matches ("-1" matches every protocol), its port range
 * contains the port (TCP/UDP; no portRange = all ports), its ICMP type/code matches (ICMP/ICMPv6;
 * no icmpTypeCode or -1 = all) and the address is in its cidrBlock / ipv6CidrBlock.
 *
 * Two views: evaluateNacl answers for one (protocol, port) point over a set of addresses, with the
 * entry that decided each part; naclSpace computes the whole admitted (protocol, port, address) space
 * as a FlowSet (admitsAllFrom and shadowedEntries use it).
 */
import type { NetworkAclEntry } from '../../inventory/schema.ts';
import { AddrSet } from './addr-set.ts';
import { FlowSet, portDimension } from './flow.ts';
import type { PortSet } from './ports.ts';
import { hasPorts, normalizeProtocol, type Protocol, protocolMatches } from './protocol.ts';

export type NaclDirection = 'ingress' | 'egress';
export type NaclAction = 'allow' | 'deny';

/** The rule number of AWS's catch-all `*` entry. */
export const NACL_DEFAULT_RULE_NUMBER = 32767;

export interface NaclQuery {
  /** Protocol number 0..255 (6 tcp, 17 udp, 1 icmp, 58 icmpv6, ...). */
  readonly protocol: number;
  /**
   * Required for TCP/UDP. For ICMP/ICMPv6 optionally icmpCoord(type, code); when absent, the entries'
   * type/code restrictions are not considered (an entry for any ICMP type matches). Ignored otherwise.
   */
  readonly port?: number;
  /** The remote addresses asked about (sources for ingress, destinations for egress). */
  readonly addrs: AddrSet;
}

export interface NaclDecision {
  readonly ruleNumber: number | '*';
  readonly action: NaclAction;
  readonly addrs: AddrSet;
}

export interface NaclEvaluation {
  readonly allowed: AddrSet;
  readonly denied: AddrSet;
  /** In evaluation order; the implicit deny (ruleNumber '*') last, only if it decided something. */
  readonly decidedBy: NaclDecision[];
}

/** A NACL entry ready for evaluation. */
export interface CompiledNaclEntry {
  readonly entry: NetworkAclEntry;
  readonly ruleNumber: number;
  readonly action: NaclAction;
  readonly protocol: Protocol;
  /** Port coordinates: ports for TCP/UDP, icmpCoord for ICMP, everything otherwise. */
  readonly ports: PortSet;
  readonly addrs: AddrSet;
  /** protocol × ports × addrs. */
  readonly space: FlowSet;
}

function entryError(e: NetworkAclEntry, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  return new Error(`NACL ${e.egress ? 'egress' : 'ingress'} entry ${e.ruleNumber}: ${msg}`);
}

/** Compiles one entry (throws, naming the entry, on a malformed protocol, port range or CIDR). */
export function compileNaclEntry(e: NetworkAclEntry): CompiledNaclEntry {
  try {
    const protocol = normalizeProtocol(e.protocol);
    const ports =
      protocol === 'all'
        ? portDimension('all', undefined, undefined)
        : hasPorts(protocol)
          ? portDimension(protocol, e.portRange?.from, e.portRange?.to)
          : portDimension(protocol, e.icmpTypeCode?.type, e.icmpTypeCode?.code);
    let addrs = AddrSet.empty();
    if (e.cidrBlock !== undefined) addrs = addrs.union(AddrSet.fromCidr(e.cidrBlock));
    if (e.ipv6CidrBlock !== undefined) addrs = addrs.union(AddrSet.fromCidr(e.ipv6CidrBlock));
    return {
      entry: e,
      ruleNumber: e.ruleNumber,
      action: e.ruleAction,
      protocol,
      ports,
      addrs,
      space: FlowSet.box(protocol, ports, addrs),
    };
  } catch (err) {
    throw entryError(e, err);
  }
}

/** The entries of one direction in evaluation order (ascending rule number), without the `*` entry. */
export function orderedNaclEntries(
  entries: readonly NetworkAclEntry[],
  direction: NaclDirection,
): NetworkAclEntry[] {
  const egress = direction === 'egress';
  return entries
    .filter((e) => e.egress === egress && e.ruleNumber < NACL_DEFAULT_RULE_NUMBER)
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
}

/**
 * What is computed once per NACL (its entry list) and direction, however many rules and paths ask: the
 * compiled entries and the evaluation over every flow. An inventory is not modified once analyzed, so
 * the entry list is the key; an entry list that does not compile throws on every call, as before.
 */
interface NaclReadings {
  compiled?: CompiledNaclEntry[];
  whole?: NaclSpaceEvaluation;
}
const READINGS = new WeakMap<readonly NetworkAclEntry[], Record<NaclDirection, NaclReadings>>();

function readingsOf(entries: readonly NetworkAclEntry[], direction: NaclDirection): NaclReadings {
  let r = READINGS.get(entries);
  if (!r) {
    r = { ingress: {}, egress: {} };
    READINGS.set(entries, r);
  }
  return r[direction];
}

/** orderedNaclEntries, compiled (once per entry list and direction). */
export function compileNacl(
  entries: readonly NetworkAclEntry[],
  direction: NaclDirection,
): CompiledNaclEntry[] {
  const compile = () => orderedNaclEntries(entries, direction).map(compileNaclEntry);
  if (direction !== 'ingress' && direction !== 'egress') return compile(); // as ever: no check here
  const r = readingsOf(entries, direction);
  r.compiled ??= compile();
  return r.compiled;
}

function checkDirection(direction: string): void {
  if (direction !== 'ingress' && direction !== 'egress') {
    throw new Error(`Invalid NACL direction ${JSON.stringify(direction)}: expected ingress or egress`);
  }
}

/**
 * First-match evaluation for one protocol and port over a set of addresses: which are allowed, which
 * denied, and by which entry (the implicit deny is ruleNumber '*').
 */
export function evaluateNacl(
  entries: readonly NetworkAclEntry[],
  direction: NaclDirection,
  query: NaclQuery,
): NaclEvaluation {
  checkDirection(direction);
  const { protocol, port } = query;
  if (!Number.isInteger(protocol) || protocol < 0 || protocol > 255) {
    throw new Error(`evaluateNacl: invalid protocol ${JSON.stringify(protocol)}: expected a number 0-255`);
  }
  if (hasPorts(protocol) && port === undefined) {
    throw new Error(`evaluateNacl: a query for protocol ${protocol} (tcp/udp) needs a port`);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new Error(`evaluateNacl: invalid port ${JSON.stringify(port)}: expected an integer 0-65535`);
  }
  let undecided = query.addrs;
  let allowed = AddrSet.empty();
  let denied = AddrSet.empty();
  const decidedBy: NaclDecision[] = [];
  for (const ce of compileNacl(entries, direction)) {
    if (undecided.isEmpty()) break;
    if (!protocolMatches(ce.protocol, protocol)) continue;
    if (port !== undefined && !ce.ports.containsPort(port)) continue;
    const matched = undecided.intersect(ce.addrs);
    if (matched.isEmpty()) continue;
    decidedBy.push({ ruleNumber: ce.ruleNumber, action: ce.action, addrs: matched });
    if (ce.action === 'allow') allowed = allowed.union(matched);
    else denied = denied.union(matched);
    undecided = undecided.subtract(matched);
  }
  if (!undecided.isEmpty()) {
    decidedBy.push({ ruleNumber: '*', action: 'deny', addrs: undecided });
    denied = denied.union(undecided);
  }
  return { allowed, denied, decidedBy };
}

export interface NaclSpaceDecision {
  readonly ruleNumber: number | '*';
  readonly action: NaclAction;
  /** The part of the space this entry decided (its space minus what earlier entries decided). */
  readonly space: FlowSet;
}

export interface NaclSpaceEvaluation {
  readonly allowed: FlowSet;
  readonly denied: FlowSet;
  readonly decidedBy: NaclSpaceDecision[];
}

/**
 * The whole first-match evaluation as spaces: of `within` (default: every protocol, port and address),
 * what the NACL allows and denies, and what each entry decided.
 */
export function naclSpace(
  entries: readonly NetworkAclEntry[],
  direction: NaclDirection,
  within?: FlowSet,
): NaclSpaceEvaluation {
  checkDirection(direction);
  if (within !== undefined) return evaluateSpace(compileNacl(entries, direction), within);
  const r = readingsOf(entries, direction);
  r.whole ??= evaluateSpace(compileNacl(entries, direction), FlowSet.all());
  return r.whole;
}

function evaluateSpace(compiled: readonly CompiledNaclEntry[], within: FlowSet): NaclSpaceEvaluation {
  let undecided = within;
  let allowed = FlowSet.empty();
  let denied = FlowSet.empty();
  const decidedBy: NaclSpaceDecision[] = [];
  for (const ce of compiled) {
    if (undecided.isEmpty()) break;
    const matched = undecided.intersect(ce.space);
    if (matched.isEmpty()) continue;
    decidedBy.push({ ruleNumber: ce.ruleNumber, action: ce.action, space: matched });
    if (ce.action === 'allow') allowed = allowed.union(matched);
    else denied = denied.union(matched);
    undecided = undecided.subtract(matched);
  }
  if (!undecided.isEmpty()) {
    decidedBy.push({ ruleNumber: '*', action: 'deny', space: undecided });
    denied = denied.union(undecided);
  }
  return { allowed, denied, decidedBy };
}

/**
 * Whether the NACL admits every protocol, port and ICMP type/code from (ingress) or to (egress) every
 * address of `addrs`. Only the families present in `addrs` matter. Vacuously true for an empty set.
 */
export function admitsAllFrom(
  entries: readonly NetworkAclEntry[],
  direction: NaclDirection,
  addrs: AddrSet,
): boolean {
  return naclSpace(entries, direction, FlowSet.all(addrs)).denied.isEmpty();
}

export interface ShadowedNaclEntry {
  readonly entry: NetworkAclEntry;
  readonly ruleNumber: number;
  readonly action: NaclAction;
  /** Lower-numbered entries that decide the packets this entry covers (ascending). */
  readonly coveredBy: number[];
  /** Those of coveredBy whose action is the opposite of this entry's (a deny shadowed by allows). */
  readonly opposedBy: number[];
}

/**
 * Entries that can never match: lower-numbered entries already decide every packet they cover.
 * An entry that matches no address at all (no CIDR) is not reported.
 */
export function shadowedEntries(
  entries: readonly NetworkAclEntry[],
  direction: NaclDirection,
): ShadowedNaclEntry[] {
  checkDirection(direction);
  let undecided = FlowSet.all();
  const decided: Array<{ ruleNumber: number; action: NaclAction; space: FlowSet }> = [];
  const out: ShadowedNaclEntry[] = [];
  for (const ce of compileNacl(entries, direction)) {
    if (ce.space.isEmpty()) continue;
    const matched = undecided.intersect(ce.space);
    if (matched.isEmpty()) {
      const covering = decided.filter((d) => d.space.overlaps(ce.space));
      out.push({
        entry: ce.entry,
        ruleNumber: ce.ruleNumber,
        action: ce.action,
        coveredBy: covering.map((d) => d.ruleNumber),
        opposedBy: covering.filter((d) => d.action !== ce.action).map((d) => d.ruleNumber),
      });
      continue;
    }
    decided.push({ ruleNumber: ce.ruleNumber, action: ce.action, space: matched });
    undecided = undecided.subtract(matched);
  }
  return out;
}
