/**
 * The filters a path crosses, as flow sets over internet peers:
 * - Network ACLs, stateless: every subnet crossed (origin, NAT, firewall) admits the forward direction
 *   and the return direction (TCP/UDP on the ephemeral range 1024-65535; ICMP and other protocols on any
 *   type). A NAT or firewall subnet's NACL is applied on both legs: from the ML side (inbound rules,
 *   source the origin subnet or the NAT gateway; the return out to it on ephemeral ports) and to the
 *   internet. A subnet whose NACL is not in the inventory is taken as the default NACL (allow all).
 * - Security groups, stateful: any group on the ENI allows; CIDRs, IPv6, customer prefix lists count
 *   (internet peers never belong to a group, so references admit no internet traffic). The engine
 *   unions the rules (PathEngine.sgSpace); a rule's own space is safeRuleSpace.
 */
import type { NetworkAcl, Subnet } from '../../inventory/schema.ts';
import { INTERNET } from '../aws/network-firewall/egress-model.ts';
import {
  AddrSet,
  EPHEMERAL,
  FlowSet,
  ICMP,
  ICMPV6,
  type NaclSpaceDecision,
  naclSpace,
  PortSet,
  ruleSpace,
  TCP,
  UDP,
} from '../net/index.ts';

/** Every flow to or from the internet. */
export const ALL_INTERNET = FlowSet.all(INTERNET);
const TCP_ALL = FlowSet.box(TCP, PortSet.all(), AddrSet.all());
const UDP_ALL = FlowSet.box(UDP, PortSet.all(), AddrSet.all());
const ICMP_ALL = FlowSet.box(ICMP, PortSet.all(), AddrSet.all()).union(
  FlowSet.box(ICMPV6, PortSet.all(), AddrSet.all()),
);

/** A subnet's NACL toward the internet, both directions (PathEngine.naclFilters memoizes it per subnet). */
export interface NaclFilters {
  acl: NetworkAcl | undefined;
  /** "rule 100" / "rules 100, 110": the allow entries that admit internet traffic out / in. */
  outRules: string;
  inRules: string;
  /** Outbound flows (by destination) the NACL lets out. */
  outFwd: FlowSet;
  /** Outbound flows whose return traffic the NACL lets in. */
  outReturn: FlowSet;
  /** Inbound flows (by source) the NACL lets in. */
  inFwd: FlowSet;
  /** Inbound flows whose return traffic the NACL lets out. */
  inReturn: FlowSet;
}

/** The private leg of a NAT or firewall subnet's NACL (innerLeg). */
export interface InnerLeg {
  /** What some host of the inner addresses can send through. */
  fwd: FlowSet;
  /** The flows whose return can come back. */
  ret: FlowSet;
}

/** The filters of a subnet's NACL; no NACL in the inventory is the default NACL (everything passes). */
export function naclFiltersOf(acl: NetworkAcl | undefined): NaclFilters {
  if (!acl) {
    return {
      acl,
      outRules: '',
      inRules: '',
      outFwd: ALL_INTERNET,
      outReturn: ALL_INTERNET,
      inFwd: ALL_INTERNET,
      inReturn: ALL_INTERNET,
    };
  }
  const outEval = naclSpace(acl.entries, 'egress', ALL_INTERNET);
  const inEval = naclSpace(acl.entries, 'ingress', ALL_INTERNET);
  const out = outEval.allowed;
  const inn = inEval.allowed;
  return {
    acl,
    outRules: allowRules(outEval.decidedBy),
    inRules: allowRules(inEval.decidedBy),
    outFwd: out,
    outReturn: returnFilter(inn),
    inFwd: inn,
    inReturn: returnFilter(out),
  };
}

/** The flows whose return traffic (TCP/UDP to the client's ephemeral ports) an admitted space `r` lets through. */
function returnFilter(r: FlowSet): FlowSet {
  const parts: FlowSet[] = [r.subtract(TCP_ALL).subtract(UDP_ALL).subtract(ICMP_ALL)];
  for (const p of [TCP, UDP]) {
    const missing = FlowSet.box(p, EPHEMERAL, INTERNET).subtract(r).addrsForAnyPort(p);
    parts.push(FlowSet.box(p, PortSet.all(), INTERNET.subtract(missing)));
  }
  for (const p of [ICMP, ICMPV6]) parts.push(FlowSet.box(p, PortSet.all(), r.addrsForAnyPort(p)));
  return FlowSet.unionAll(parts);
}

/** "rule 100 " / "rules 100, 110 " (trailing space) for the allow entries that decided something; '' for none. */
function allowRules(decided: readonly NaclSpaceDecision[]): string {
  const rules = decided.filter((d) => d.action === 'allow').map((d) => String(d.ruleNumber));
  if (rules.length === 0) return '';
  return `${rules.length === 1 ? 'rule' : 'rules'} ${rules.join(', ')} `;
}

/** The same protocols and ports, for any remote address (a projection that forgets the addresses). */
function anyAddress(set: FlowSet): FlowSet {
  return FlowSet.unionAll(
    set.boxes().map((b) => {
      let box = FlowSet.box(b.protocol, b.ports, AddrSet.all());
      for (const p of b.except ?? []) box = box.subtract(FlowSet.box(p, PortSet.all(), AddrSet.all()));
      return box;
    }),
  );
}

/**
 * The private leg of a NAT or firewall subnet's NACL: traffic from `inner` (the origin subnet, or the
 * NAT gateway's addresses) enters the subnet on its service port (inbound rules), and the return goes
 * back to `inner` on the client's ephemeral ports (outbound rules). Both as flow sets over any remote
 * address: what some host of `inner` can send through, and which flows' return can come back.
 */
export function innerLeg(acl: NetworkAcl, inner: AddrSet): InnerLeg {
  const within = FlowSet.all(inner);
  const fwd = anyAddress(naclSpace(acl.entries, 'ingress', within).allowed);
  const out = naclSpace(acl.entries, 'egress', within).allowed;
  const parts: FlowSet[] = [anyAddress(out.subtract(TCP_ALL).subtract(UDP_ALL).subtract(ICMP_ALL))];
  for (const p of [TCP, UDP]) {
    const missing = FlowSet.box(p, EPHEMERAL, inner).subtract(out).addrsForAnyPort(p);
    if (!inner.subtract(missing).isEmpty()) parts.push(FlowSet.box(p, PortSet.all(), AddrSet.all()));
  }
  for (const p of [ICMP, ICMPV6])
    if (!out.addrsForAnyPort(p).isEmpty()) parts.push(FlowSet.box(p, PortSet.all(), AddrSet.all()));
  return { fwd, ret: FlowSet.unionAll(parts) };
}

/** A subnet's IPv4 and IPv6 CIDRs (none when unknown or unreadable). */
export function subnetAddrs(subnet: Subnet | undefined): AddrSet {
  if (!subnet) return AddrSet.empty();
  const cidrs = [...(subnet.cidrBlock ? [subnet.cidrBlock] : []), ...subnet.ipv6CidrBlocks];
  return AddrSet.tryFromCidrs(cidrs) ?? AddrSet.empty();
}

/** A security group rule's flows to `addrs`; an unreadable rule admits nothing. */
export function safeRuleSpace(
  protocol: string,
  from: number | undefined,
  to: number | undefined,
  addrs: AddrSet,
): FlowSet {
  try {
    return ruleSpace(protocol, from, to, addrs);
  } catch {
    return FlowSet.empty();
  }
}
