/**
 * Security-group rule semantics shared by the sg-* rules: who a rule admits (CIDRs, expanded
 * customer-managed prefix lists, AWS-managed lists, group references) and on which protocol and ports.
 */
import type { PrefixList, SecurityGroupRule } from '../inventory/schema.ts';
import { isWorldCidr, normalizeProtocol, PortSet, type Protocol, protocolName } from './net/index.ts';

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
