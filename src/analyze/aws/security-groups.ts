/**
 * Security-group rule semantics shared by the sg-* rules: who a rule admits (CIDRs, expanded
 * customer-managed prefix lists, AWS-managed lists, group references) and on which protocol and ports.
 */
import { z } from 'zod';
import type { PrefixList, SecurityGroup, SecurityGroupRule } from '../../inventory/schema.ts';
import {
  AddrSet,
  isWorldCidr,
  normalizeProtocol,
  PortSet,
  type Protocol,
  protocolName,
  TCP,
  UDP,
} from '../net/index.ts';

export type Peer =
  | { kind: 'cidr'; cidr: string; world: boolean }
  | { kind: 'prefixList'; prefixListId: string; awsManaged: boolean; cidrs: string[]; worldCidrs: string[] }
  /** A prefix list we could not expand (not found, or its entries were not read). */
  | { kind: 'unknownPrefixList'; prefixListId: string }
  | { kind: 'securityGroup'; groupId: string; userId?: string; vpcId?: string; peeringStatus?: string };

export interface RuleSpace {
  protocol: Protocol;
  /** All ports for protocol 'all', the range for TCP/UDP; undefined where ports do not apply (ICMP, ...). */
  ports: PortSet | undefined;
}

/** What a rule's peer is. A group reference is never world; an AWS-managed prefix list is not world. */
export function peerOf(
  rule: SecurityGroupRule,
  prefixLists: ReadonlyMap<string, PrefixList>,
): Peer | undefined {
  if (rule.cidrIpv4) return { kind: 'cidr', cidr: rule.cidrIpv4, world: isWorldCidr(rule.cidrIpv4) };
  if (rule.cidrIpv6) return { kind: 'cidr', cidr: rule.cidrIpv6, world: isWorldCidr(rule.cidrIpv6) };
  if (rule.prefixListId) {
    const list = prefixLists.get(rule.prefixListId);
    if (!list) return { kind: 'unknownPrefixList', prefixListId: rule.prefixListId };
    if (list.awsManaged) {
      return {
        kind: 'prefixList',
        prefixListId: list.prefixListId,
        awsManaged: true,
        cidrs: [],
        worldCidrs: [],
      };
    }
    if (!list.entries) return { kind: 'unknownPrefixList', prefixListId: rule.prefixListId };
    const cidrs = list.entries.map((e) => e.cidr);
    return {
      kind: 'prefixList',
      prefixListId: list.prefixListId,
      awsManaged: false,
      cidrs,
      worldCidrs: cidrs.filter((c) => isWorldCidr(c)),
    };
  }
  if (rule.referencedGroup?.groupId) {
    const r = rule.referencedGroup;
    return {
      kind: 'securityGroup',
      groupId: r.groupId!,
      ...(r.userId ? { userId: r.userId } : {}),
      ...(r.vpcId ? { vpcId: r.vpcId } : {}),
      ...(r.peeringStatus ? { peeringStatus: r.peeringStatus } : {}),
    };
  }
  return undefined;
}

/** The world CIDRs a peer admits (direct, or through a customer-managed prefix list's entries). */
export function worldCidrsOf(peer: Peer | undefined): string[] {
  if (!peer) return [];
  if (peer.kind === 'cidr') return peer.world ? [peer.cidr] : [];
  if (peer.kind === 'prefixList') return peer.worldCidrs;
  return [];
}

const ALL_PORTS = PortSet.all();

/** The protocol and ports a rule covers. For TCP/UDP a missing or -1 port means every port. */
export function spaceOf(rule: Pick<SecurityGroupRule, 'ipProtocol' | 'fromPort' | 'toPort'>): RuleSpace {
  const protocol = normalizeProtocol(rule.ipProtocol);
  if (protocol === 'all') return { protocol, ports: ALL_PORTS };
  if (protocol === 6 || protocol === 17) {
    const from = rule.fromPort;
    const to = rule.toPort;
    if (from === undefined || to === undefined || from < 0 || to < 0) return { protocol, ports: ALL_PORTS };
    return { protocol, ports: PortSet.range(Math.max(0, from), Math.min(65535, to)) };
  }
  return { protocol, ports: undefined };
}

/** "tcp/22", "udp/0-65535", "all traffic", "icmp". */
export function describeSpace(space: RuleSpace): string {
  if (space.protocol === 'all') return 'all traffic';
  const name = protocolName(space.protocol);
  if (!space.ports) return name;
  return space.ports.isAll() ? `${name}/0-65535 (all ports)` : `${name}/${space.ports.toString()}`;
}

/** How the rule reads in evidence: id, protocol, ports, peer. */
export function ruleEvidence(rule: SecurityGroupRule, peer: Peer | undefined) {
  return {
    ...(rule.ruleId ? { ruleId: rule.ruleId } : {}),
    direction: rule.egress ? 'egress' : 'ingress',
    ipProtocol: rule.ipProtocol,
    ...(rule.fromPort !== undefined ? { fromPort: rule.fromPort } : {}),
    ...(rule.toPort !== undefined ? { toPort: rule.toPort } : {}),
    peer: peer ?? null,
    ...(rule.description ? { description: rule.description } : {}),
  };
}

/** Well-known names for ports that findings mention. */
export const PORT_NAMES: Readonly<Record<number, string>> = {
  20: 'FTP data',
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  25: 'SMTP',
  110: 'POP3',
  135: 'MS RPC',
  143: 'IMAP',
  445: 'SMB',
  1433: 'MS SQL',
  1434: 'MS SQL browser',
  2049: 'NFS',
  3000: 'dev web servers',
  3306: 'MySQL',
  3389: 'RDP',
  4333: 'mSQL',
  5000: 'dev web servers',
  5432: 'PostgreSQL',
  5500: 'VNC',
  5601: 'Kibana',
  6006: 'TensorBoard',
  6379: 'Redis / Ray',
  7860: 'Gradio',
  8080: 'HTTP alt',
  8088: 'HTTP alt',
  8265: 'Ray dashboard',
  8501: 'Streamlit',
  8787: 'RStudio',
  8888: 'Jupyter',
  9090: 'Prometheus',
  9200: 'Elasticsearch',
  9300: 'Elasticsearch',
  10001: 'Ray client',
};

export function portLabel(port: number): string {
  const name = PORT_NAMES[port];
  return name ? `${port} (${name})` : String(port);
}

// ------------------------------------------------------------------ shared by the sg-* rules

/**
 * The addresses a peer stands for: a CIDR, or a customer-managed prefix list's entries. Undefined for
 * what has no address set we can compare: a group reference, an AWS-managed or unexpanded prefix list.
 */
export function peerAddrs(peer: Peer | undefined): AddrSet | undefined {
  if (!peer) return undefined;
  if (peer.kind === 'cidr') return AddrSet.fromCidr(peer.cidr);
  if (peer.kind === 'prefixList' && !peer.awsManaged) return AddrSet.fromCidrs(peer.cidrs);
  return undefined;
}

/** The CIDRs a peer names directly or through a customer-managed prefix list's entries. */
export function peerCidrs(peer: Peer | undefined): string[] {
  if (!peer) return [];
  if (peer.kind === 'cidr') return [peer.cidr];
  if (peer.kind === 'prefixList') return peer.cidrs;
  return [];
}

/**
 * "0.0.0.0/0", "prefix list pl-1", "AWS-managed prefix list pl-2", "security group sg-1"; a group of
 * another account than `account` (the scope's) is named with its account.
 */
export function describePeer(peer: Peer | undefined, account?: string): string {
  if (!peer) return 'an unknown peer';
  switch (peer.kind) {
    case 'cidr':
      return peer.cidr;
    case 'prefixList':
      return `${peer.awsManaged ? 'AWS-managed ' : ''}prefix list ${peer.prefixListId}`;
    case 'unknownPrefixList':
      return `prefix list ${peer.prefixListId}`;
    case 'securityGroup':
      return `security group ${peer.groupId}${peer.userId && peer.userId !== account ? ` (account ${peer.userId})` : ''}`;
  }
}

/**
 * One rule as a message fragment: "tcp/22 from 0.0.0.0/0 [sgr-1]"; with `cidrs`, those CIDRs stand for
 * the peer (naming the prefix list they came from): "tcp/22 from 0.0.0.0/0 (prefix list pl-1) [sgr-1]".
 */
export function describeRule(
  rule: SecurityGroupRule,
  peer: Peer | undefined,
  cidrs?: readonly string[],
  account?: string,
): string {
  const space = spaceOf(rule);
  const dir = rule.egress ? 'to' : 'from';
  const via = peer?.kind === 'prefixList' ? ` (prefix list ${peer.prefixListId})` : '';
  const who = cidrs && cidrs.length > 0 ? `${cidrs.join(', ')}${via}` : describePeer(peer, account);
  return `${describeSpace(space)} ${dir} ${who}${rule.ruleId ? ` [${rule.ruleId}]` : ''}`;
}

/** The group AWS creates with each VPC: named "default", it cannot be deleted. */
export function isVpcDefaultGroup(sg: Pick<SecurityGroup, 'groupName' | 'vpcId'>): boolean {
  return sg.groupName === 'default' && sg.vpcId !== undefined;
}

/** A port or an inclusive range "from-to", as rule options take them (e.g. `443` or `"1020-1025"`). */
export const PortOrRangeSchema = z.union([
  z.number().int().min(0).max(65535),
  z
    .string()
    .regex(/^\d{1,5}-\d{1,5}$/, 'expected a port range such as "1020-1025"')
    .refine((s) => {
      const [a, b] = s.split('-').map(Number) as [number, number];
      return a <= b && b <= 65535;
    }, 'expected from <= to <= 65535'),
]);

/** The PortSet of a list of ports and "from-to" ranges (validated by PortOrRangeSchema). */
export function portSetOf(list: readonly (number | string)[]): PortSet {
  return PortSet.fromRanges(
    list.map((p) => {
      if (typeof p === 'number') return [p, p] as const;
      const [a, b] = p.split('-').map(Number) as [number, number];
      return [a, b] as const;
    }),
  );
}

/** "22 (SSH), 3389 (RDP)"; past `max` ports, "… and N more". */
export function listPorts(ports: readonly number[], max = 8): string {
  const shown = ports.slice(0, max).map(portLabel).join(', ');
  return ports.length > max ? `${shown} and ${ports.length - max} more` : shown;
}

/** An inbound rule from world on TCP, UDP or all protocols, with what it reaches. */
export interface WorldIngress {
  rule: SecurityGroupRule;
  peer: Peer | undefined;
  /** The world CIDRs (direct, or entries of a customer-managed prefix list). */
  world: string[];
  space: RuleSpace;
}

/**
 * A group's inbound rules whose source is world (see worldCidrsOf) and whose protocol has ports: TCP,
 * UDP or all (`-1`, which reaches every port of both). ICMP and other protocols are left out.
 */
export function worldPortIngress(
  sg: SecurityGroup,
  prefixLists: ReadonlyMap<string, PrefixList>,
): WorldIngress[] {
  const out: WorldIngress[] = [];
  for (const rule of sg.rules) {
    if (rule.egress) continue;
    const space = spaceOf(rule);
    if (space.protocol !== 'all' && space.protocol !== TCP && space.protocol !== UDP) continue;
    const peer = peerOf(rule, prefixLists);
    const world = worldCidrsOf(peer);
    if (world.length > 0) out.push({ rule, peer, world, space });
  }
  return out;
}
