/**
 * How the network-acls rules name NACL entries, flow spaces and lists in messages and evidence.
 * Pure helpers over the net library; no CIDR or port arithmetic of their own.
 */
import type { NetworkAcl, NetworkAclEntry } from '../../inventory/schema.ts';
import { listLabel } from '../engine/words.ts';
import {
  AddrSet,
  type FlowSet,
  isIcmp,
  isWorldSet,
  type NaclDirection,
  naclSpace,
  normalizeProtocol,
  orderedNaclEntries,
  protocolName,
} from '../net/index.ts';

/** Up to `max` CIDRs of a set, "(none)" when empty: "0.0.0.0/5, 8.0.0.0/7 and 28 more". */
export function cidrLabel(addrs: AddrSet, max = 3): string {
  if (addrs.isEmpty()) return '(none)';
  return listLabel(addrs.toCidrs(), max);
}

const directionWord = (egress: boolean) => (egress ? 'outbound' : 'inbound');

/** "tcp 22", "all traffic", "icmp type 8", "udp" (all ports). */
function entryTraffic(entry: NetworkAclEntry): string {
  const protocol = normalizeProtocol(entry.protocol);
  if (protocol === 'all') return 'all traffic';
  const name = protocolName(protocol);
  if (isIcmp(protocol)) {
    const t = entry.icmpTypeCode;
    if (!t || t.type === -1) return name;
    return t.code === -1 ? `${name} type ${t.type}` : `${name} type ${t.type} code ${t.code}`;
  }
  const r = entry.portRange;
  if (!r || (r.from === -1 && r.to === -1)) return name;
  return `${name} ${r.from === r.to ? r.from : `${r.from}-${r.to}`}`;
}

/**
 * "inbound rule 100 (allow tcp 22 from 0.0.0.0/0)", "outbound rule 120 (deny all traffic to ::/0)".
 */
export function describeNaclEntry(entry: NetworkAclEntry | undefined): string {
  if (!entry) return 'an unknown entry';
  const peer = entry.cidrBlock ?? entry.ipv6CidrBlock ?? '?';
  return `${directionWord(entry.egress)} rule ${entry.ruleNumber} (${entry.ruleAction} ${entryTraffic(entry)} ${entry.egress ? 'to' : 'from'} ${peer})`;
}

/** The entries of one direction by rule number (the `*` entry excluded). */
export function entriesByRule(
  entries: readonly NetworkAclEntry[],
  direction: NaclDirection,
): Map<number, NetworkAclEntry> {
  return new Map(orderedNaclEntries(entries, direction).map((e) => [e.ruleNumber, e]));
}

/** Names the entry that decided something: a described entry, or "the implicit deny" for '*'. */
export function describeDecider(
  ruleNumber: number | '*',
  byRule: ReadonlyMap<number, NetworkAclEntry>,
): string {
  return ruleNumber === '*' ? 'the implicit deny' : describeNaclEntry(byRule.get(ruleNumber));
}

/** One piece of a flow space, for evidence: protocol name, ports (or type/code coordinates), CIDRs. */
export interface SpacePiece {
  protocol: string;
  ports: string;
  cidrs: string[];
}

/** A FlowSet as evidence pieces (at most `maxCidrs` CIDRs per piece). */
export function spacePieces(space: FlowSet, maxCidrs = 20): SpacePiece[] {
  return space.boxes().map((b) => ({
    protocol:
      protocolName(b.protocol) +
      (b.except ? ` (except ${b.except.map((p) => protocolName(p)).join(', ')})` : ''),
    ports: b.ports.isAll() ? 'all' : b.ports.toString(),
    cidrs: b.addrs.toCidrs().slice(0, maxCidrs),
  }));
}

/** "tcp 1024-32767 to 0.0.0.0/0; udp 1024-65535 to 10.0.0.0/16" (from, for inbound). */
export function describeSpace(space: FlowSet, direction: NaclDirection): string {
  if (space.isEmpty()) return '(nothing)';
  const preposition = direction === 'egress' ? 'to' : 'from';
  return space
    .boxes()
    .map((b) => {
      let p = protocolName(b.protocol);
      if (b.except) p += ` (except ${b.except.map((e) => protocolName(e)).join(', ')})`;
      const ports = b.ports.isAll() ? '' : ` ${b.ports.toString()}`;
      return `${p}${ports} ${preposition} ${cidrLabel(b.addrs)}`;
    })
    .join('; ');
}

/** "it guards subnet-a, subnet-b" / "it is associated with no subnet". */
export function guardsLabel(acl: NetworkAcl): string {
  return acl.associatedSubnetIds.length
    ? `it guards ${listLabel(acl.associatedSubnetIds)}`
    : 'it is associated with no subnet';
}

/** "the default ACL of vpc-1" / "in vpc-1". */
export function aclPlace(acl: NetworkAcl): string {
  return acl.isDefault ? `the default ACL of ${acl.vpcId}` : `in ${acl.vpcId}`;
}

/**
 * The addresses from which the ACL admits every protocol and port inbound, and whether they are world:
 * the one test that decides nacl-world-ingress-all (and that nacl-world-ingress-admin-port defers to).
 */
export function admittedOnEverything(entries: readonly NetworkAclEntry[]): {
  inbound: ReturnType<typeof naclSpace>;
  admittedAll: AddrSet;
  world: boolean;
} {
  const inbound = naclSpace(entries, 'ingress');
  // Addresses with at least one protocol/port denied; the rest are admitted on everything.
  const admittedAll = AddrSet.all().subtract(inbound.denied.addrs());
  return { inbound, admittedAll, world: isWorldSet(admittedAll) };
}
