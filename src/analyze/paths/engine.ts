/**
 * The path engine: what can reach each ML placement from the internet, and what it can reach, through
 * which hops, over flows that are sets of (protocol, port, remote address), never single packets.
 *
 * Modelled (AWS VPC semantics):
 * - Route tables: longest-prefix match over CIDR and prefix-list routes incl. local (routes.ts); the
 *   effective table is the explicit association, else the main table of the subnet's own VPC; blackhole
 *   routes drop (and are reported as the blocked hop); an internet gateway's edge route table decides
 *   where return traffic from the internet goes.
 * - Internet gateway: IPv4 needs a public address (the resource's ENI public IP, or the subnet's
 *   auto-assign); global IPv6 needs none (the subnet has an IPv6 CIDR and assigns on create, or the ENI
 *   has an IPv6 address). An egress-only internet gateway carries outbound IPv6 only, never inbound.
 * - NAT gateway (state available): rewrites the source (IPv4 only), then its own subnet's route table
 *   applies; a private NAT gateway cannot use an internet gateway. Return traffic is implied.
 * - Network ACLs, stateless: every subnet crossed (origin, NAT, firewall) admits the forward direction
 *   and the return direction (TCP/UDP on the ephemeral range 1024-65535; ICMP and other protocols on any
 *   type). A NAT or firewall subnet's NACL is applied on both legs: from the ML side (inbound rules,
 *   source the origin subnet or the NAT gateway; the return out to it on ephemeral ports) and to the
 *   internet. A subnet whose NACL is not in the inventory is taken as the default NACL (allow all).
 * - Security groups, stateful: any group on the ENI allows; CIDRs, IPv6, customer prefix lists count
 *   (internet peers never belong to a group, so references admit no internet traffic).
 * - Network Firewall: a route target that is one of a firewall's sync-state endpoints is judged by its
 *   policy (nfw.ts egressAnalysis: stateless then stateful, rule order and default actions); a domain
 *   ALLOWLIST filters HTTP (taken as tcp/80) and TLS (tcp/443) to its domains and no other protocol.
 *   A `vpce-` target that is no known VPC endpoint nor a firewall endpoint (e.g. a firewall whose sync
 *   states were empty) is an unknown appliance: traffic leaves the model there, uninspected as far as we
 *   can prove.
 * - VPC peering: no edge-to-edge routing, so internet-bound traffic routed to a peering connection is
 *   dropped (the peer's internet or NAT gateway cannot be used); reported as the blocked hop.
 * - Transit gateways, VPN gateways, appliances (ENI / instance), carrier / local gateways, Cloud WAN:
 *   traffic leaves the VPC to a network we do not model (exit 'other'); it counts as possible egress,
 *   uninspected as far as we can prove (a centralised egress VPC behind a transit gateway is not read).
 * - VPC endpoints: a gateway endpoint is the prefix-list route of its tables (S3 and DynamoDB addresses
 *   go to it, not to the internet); an interface endpoint is reached through its subnets' addresses and
 *   its security groups. Each private API path carries its endpoint policy (full, bounded by a
 *   condition, restricted, deny-all, unreadable); the rules and the exposure section count an endpoint
 *   whose policy allows nothing as no path.
 * - SageMaker: DirectInternetAccess notebooks and PublicInternetOnly domains (and jobs / models without a
 *   VpcConfig) reach the internet through SageMaker's network; isolated jobs and models have no
 *   container network; otherwise each configured subnet is one ENI with the configured groups.
 *
 * Deterministic: inputs are walked in inventory order and every cache is keyed on ids.
 */
import type {
  Firewall,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  RegionInventory,
  SecurityGroup,
  Subnet,
  VpcEndpoint,
} from '../../inventory/schema.ts';
import { endpointPolicy, type PolicyAccess } from '../aws/endpoint-policy.ts';
import type { MlPlacement } from '../aws/ml-placements.ts';
import { domainListProtocols, isAllowlist, unmatchedVerdict } from '../aws/network-firewall/domain-lists.ts';
import { type EgressAnalysis, egressAnalysis, INTERNET } from '../aws/network-firewall/egress-model.ts';
import { defaultHomeNet, effectiveHomeNet, policyHomeNet } from '../aws/network-firewall/home-net.ts';
import type { RuleOrder } from '../aws/network-firewall/policy-order.ts';
import { arnName, nfwIndex } from '../aws/network-firewall/resolution.ts';
import { endpointService, isEndpointType, isLiveEndpoint } from '../aws/vpc-endpoints.ts';
import type { ScopeIndex } from '../engine/scope-index.ts';
import { AddrSet, GLOBAL_V6, PUBLIC_V4 } from '../net/addr-set.ts';
import { FlowSet, ruleSpace } from '../net/flow.ts';
import { type NaclSpaceDecision, naclSpace } from '../net/nacl.ts';
import { EPHEMERAL, PortSet } from '../net/ports.ts';
import { ICMP, ICMPV6, TCP, UDP } from '../net/protocol.ts';
import { type CompiledTable, compileRouteTable, lookupRoutes } from '../net/routes.ts';

export type HopKind =
  | 'eni'
  | 'sg'
  | 'nacl'
  | 'route'
  | 'nat'
  | 'firewall'
  | 'igw'
  | 'eigw'
  | 'edge-route'
  | 'internet'
  | 'sagemaker'
  | 'appliance'
  | 'other-network';

export interface Hop {
  kind: HopKind;
  id: string;
  text: string;
}

export interface DomainFilter {
  appProtocol: 'http' | 'tls';
  /** Port the filtered traffic is taken on (80 for HTTP, 443 for TLS). */
  port: number;
  group: string;
  domains: string[];
}

export interface FirewallJudgement {
  firewallName: string;
  firewallArn: string;
  endpointId: string;
  policyName: string | undefined;
  order: RuleOrder | undefined;
  /** Layer-4 traffic that passes with no rule able to stop it (stateless pass included). */
  l4Passes: FlowSet;
  /** Passed by the stateless engine without stateful inspection. */
  statelessPass: FlowSet;
  /** HTTP/TLS traffic that passes only to listed domains. */
  domainFilters: DomainFilter[];
  /** What happens to traffic matching no rule, by application protocol. */
  unmatched: Record<'http' | 'tls' | 'other', { verdict: 'pass' | 'drop'; by: string }>;
  /** Everything that may pass: l4Passes ∪ the domain-filtered ports. */
  passes: FlowSet;
  notes: string[];
}

export type ExitKind = 'internet' | 'sagemaker' | 'appliance' | 'other';

export interface EgressPath {
  subnetId: string;
  exit: ExitKind;
  /** igw-/eigw- id, tgw id, appliance id, 'sagemaker'. */
  exitId: string;
  hops: Hop[];
  /** What leaves on this path: protocol × port × destination. */
  flows: FlowSet;
  /** Destinations routed to the exit (before filters). */
  routed: AddrSet;
  firewalls: FirewallJudgement[];
  /** Firewalls the return traffic crosses (IGW edge route, NAT subnet route back). */
  returnFirewalls: string[];
  natted: boolean;
  /** The hop where the return path differs from the forward path, when it does. */
  asymmetry?: string;
}

export interface BlockedPath {
  subnetId: string;
  hops: Hop[];
  /** The hop that blocks, in words. */
  blockedAt: Hop;
  reason:
    | 'blackhole'
    | 'nacl-return'
    | 'no-public-ip'
    | 'nat-unavailable'
    | 'egress-only'
    | 'no-route-table'
    | 'peering-no-transit'
    | 'nacl-inbound';
  flows: FlowSet;
}

export interface IngressPath {
  subnetId: string;
  entry: string;
  hops: Hop[];
  /** What the internet can open: protocol × port × source. */
  flows: FlowSet;
  firewalls: string[];
}

export interface ApiAccess {
  service: string;
  endpointId: string;
  type: 'Interface' | 'Gateway';
  privateDns: boolean;
  /** What the endpoint's policy lets through (endpoint-policy.ts); deny-all means the path is useless. */
  policy: PolicyAccess;
  policySummary: string;
}

/** Whether a private API path carries traffic: an endpoint whose policy allows nothing is no path. */
export function apiUsable(a: Pick<ApiAccess, 'policy'>): boolean {
  return a.policy !== 'deny-all';
}

export interface PlacementReach {
  placement: MlPlacement;
  mode: 'vpc' | 'isolated' | 'sagemaker-only';
  egress: EgressPath[];
  blocked: BlockedPath[];
  ingress: IngressPath[];
  awsApis: ApiAccess[];
  notes: string[];
}

/** The paths out of a placement's ENIs, before SageMaker's own modes are applied (PathEngine.eniPaths). */
export interface EniPaths {
  groups: SecurityGroup[];
  /** Configured groups that are not in the inventory (their rules are unknown). */
  missingGroups: string[];
  sgIn: FlowSet;
  sgLabel: string;
  egress: EgressPath[];
  blocked: BlockedPath[];
  perSubnet: { subnetId: string; pub4: boolean; v6: boolean; eniHop: Hop; walk: SubnetWalk }[];
}

interface NaclFilters {
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

interface WalkState {
  origin: string;
  hops: Hop[];
  flows: FlowSet;
  /** Intersection of the return filters of the NACLs crossed. */
  returnOk: FlowSet;
  naclIds: string[];
  firewalls: FirewallJudgement[];
  returnFirewalls: string[];
  nat: NatGateway | undefined;
  pub4: boolean;
  v6: boolean;
  visited: Set<string>;
}

interface SubnetWalk {
  egress: EgressPath[];
  blocked: BlockedPath[];
}

const ALL_INTERNET = FlowSet.all(INTERNET);
const TCP_ALL = FlowSet.box(TCP, PortSet.all(), AddrSet.all());
const UDP_ALL = FlowSet.box(UDP, PortSet.all(), AddrSet.all());
const ICMP_ALL = FlowSet.box(ICMP, PortSet.all(), AddrSet.all()).union(
  FlowSet.box(ICMPV6, PortSet.all(), AddrSet.all()),
);
const MAX_DEPTH = 8;

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
function innerLeg(acl: NetworkAcl, inner: AddrSet): { fwd: FlowSet; ret: FlowSet } {
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

function subnetAddrs(subnet: Subnet | undefined): AddrSet {
  if (!subnet) return AddrSet.empty();
  const cidrs = [...(subnet.cidrBlock ? [subnet.cidrBlock] : []), ...subnet.ipv6CidrBlocks];
  try {
    return AddrSet.fromCidrs(cidrs);
  } catch {
    return AddrSet.empty();
  }
}

function safeRuleSpace(
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

/** The path engine of one scope. Use pathEngine(index): built once per scope, memoized per subnet. */
export class PathEngine {
  private readonly tables = new Map<string, CompiledTable>();
  private readonly nacls = new Map<string, NaclFilters>();
  private readonly walks = new Map<string, SubnetWalk>();
  private readonly sgSpaces = new Map<string, FlowSet>();
  private readonly judgements = new Map<string, FirewallJudgement>();
  private readonly reaches = new Map<MlPlacement, PlacementReach>();
  private readonly enis = new Map<MlPlacement, EniPaths>();
  private readonly innerLegs = new Map<string, { fwd: FlowSet; ret: FlowSet }>();
  readonly firewallByEndpoint = new Map<string, { firewall: Firewall; subnetId: string | undefined }>();
  private readonly endpoints: Map<string, VpcEndpoint>;
  private readonly nats: Map<string, NatGateway>;
  private readonly igwVpcs = new Map<string, Set<string>>();
  private readonly igwsByVpc = new Map<string, string[]>();
  private readonly eigwVpcs = new Map<string, Set<string>>();
  private readonly edgeTables = new Map<string, string>();
  private readonly enisBySubnet = new Map<string, NetworkInterface[]>();
  readonly firewallVpcs = new Map<string, Firewall[]>();
  private readonly endpointsByVpc = new Map<string, VpcEndpoint[]>();

  constructor(readonly index: ScopeIndex) {
    const scope = index.scope;
    for (const f of scope.firewalls) {
      for (const e of f.endpoints) {
        if (e.endpointId) this.firewallByEndpoint.set(e.endpointId, { firewall: f, subnetId: e.subnetId });
      }
      if (f.vpcId) {
        const list = this.firewallVpcs.get(f.vpcId) ?? [];
        list.push(f);
        this.firewallVpcs.set(f.vpcId, list);
      }
    }
    this.endpoints = new Map(scope.vpcEndpoints.map((e) => [e.vpcEndpointId, e]));
    for (const e of scope.vpcEndpoints) {
      const list = this.endpointsByVpc.get(e.vpcId) ?? [];
      list.push(e);
      this.endpointsByVpc.set(e.vpcId, list);
    }
    this.nats = new Map(scope.natGateways.map((n) => [n.natGatewayId, n]));
    for (const g of scope.internetGateways) {
      this.igwVpcs.set(g.internetGatewayId, new Set(g.attachedVpcIds));
      for (const v of g.attachedVpcIds) {
        const list = this.igwsByVpc.get(v) ?? [];
        list.push(g.internetGatewayId);
        this.igwsByVpc.set(v, list);
      }
    }
    for (const g of scope.egressOnlyInternetGateways)
      this.eigwVpcs.set(g.egressOnlyInternetGatewayId, new Set(g.attachedVpcIds));
    for (const rt of scope.routeTables)
      for (const a of rt.associations) if (a.gatewayId) this.edgeTables.set(a.gatewayId, rt.routeTableId);
    for (const eni of scope.networkInterfaces) {
      if (!eni.subnetId) continue;
      const list = this.enisBySubnet.get(eni.subnetId) ?? [];
      list.push(eni);
      this.enisBySubnet.set(eni.subnetId, list);
    }
  }

  // ---------------------------------------------------------------- building blocks

  private compiledTable(routeTableId: string): CompiledTable | undefined {
    let t = this.tables.get(routeTableId);
    if (!t) {
      const table = this.index.scope.routeTables.find((r) => r.routeTableId === routeTableId);
      if (!table) return undefined;
      t = compileRouteTable(table, this.index.prefixLists());
      this.tables.set(routeTableId, t);
    }
    return t;
  }

  /** The effective route table of a subnet, compiled. */
  subnetTable(subnetId: string): { compiled: CompiledTable; explicit: boolean } | undefined {
    const eff = this.index.effectiveRouteTable(subnetId);
    if (!eff) return undefined;
    let t = this.tables.get(eff.table.routeTableId);
    if (!t) {
      t = compileRouteTable(eff.table, this.index.prefixLists());
      this.tables.set(eff.table.routeTableId, t);
    }
    return { compiled: t, explicit: eff.explicit };
  }

  naclFilters(subnetId: string): NaclFilters {
    let f = this.nacls.get(subnetId);
    if (f) return f;
    const acl = this.index.naclBySubnet().get(subnetId);
    if (!acl) {
      f = {
        acl,
        outRules: '',
        inRules: '',
        outFwd: ALL_INTERNET,
        outReturn: ALL_INTERNET,
        inFwd: ALL_INTERNET,
        inReturn: ALL_INTERNET,
      };
    } else {
      const outEval = naclSpace(acl.entries, 'egress', ALL_INTERNET);
      const inEval = naclSpace(acl.entries, 'ingress', ALL_INTERNET);
      const out = outEval.allowed;
      const inn = inEval.allowed;
      f = {
        acl,
        outRules: allowRules(outEval.decidedBy),
        inRules: allowRules(inEval.decidedBy),
        outFwd: out,
        outReturn: returnFilter(inn),
        inFwd: inn,
        inReturn: returnFilter(out),
      };
    }
    this.nacls.set(subnetId, f);
    return f;
  }

  /** innerLeg of a subnet's NACL for traffic from `inner`, memoized; everything passes without a NACL. */
  private innerNacl(subnetId: string, inner: AddrSet): { fwd: FlowSet; ret: FlowSet } {
    const acl = this.naclFilters(subnetId).acl;
    if (!acl) return { fwd: FlowSet.all(), ret: FlowSet.all() };
    const key = `${subnetId}|${inner.toString()}`;
    let leg = this.innerLegs.get(key);
    if (!leg) {
      leg = innerLeg(acl, inner);
      this.innerLegs.set(key, leg);
    }
    return leg;
  }

  /** Name the hop where a NAT or firewall subnet's NACL refuses traffic from the ML side. */
  private innerBlocked(
    state: WalkState,
    out: SubnetWalk,
    hops: Hop[],
    flows: FlowSet,
    admitted: FlowSet,
    subnetId: string,
    what: string,
  ): void {
    const refused = flows.subtract(admitted);
    if (refused.isEmpty()) return;
    const acl = this.naclFilters(subnetId).acl;
    const at: Hop = {
      kind: 'nacl',
      id: acl?.networkAclId ?? subnetId,
      text: `NACL ${acl?.networkAclId ?? '?'} of ${what} ${subnetId} does not admit ${describeFlows(refused)} from ${state.nat ? `NAT gateway ${state.nat.natGatewayId}` : state.origin} (inbound rules)`,
    };
    out.blocked.push({
      subnetId: state.origin,
      hops: [...hops, at],
      blockedAt: at,
      reason: 'nacl-inbound',
      flows: refused,
    });
  }

  /** The groups of a placement; none configured = the VPC's default group. */
  groupsOf(p: MlPlacement): { groups: SecurityGroup[]; missing: string[] } {
    const sgs = this.index.securityGroups();
    if (p.securityGroupIds.length === 0) {
      const def = this.index.scope.securityGroups.find(
        (g) => g.groupName === 'default' && g.vpcId === p.vpcId,
      );
      return { groups: def ? [def] : [], missing: [] };
    }
    const groups: SecurityGroup[] = [];
    const missing: string[] = [];
    for (const id of p.securityGroupIds) {
      const g = sgs.get(id);
      if (g) groups.push(g);
      else missing.push(id);
    }
    return { groups, missing };
  }

  /** What a set of groups admits with internet peers, in one direction (stateful: return implied). */
  sgSpace(groups: readonly SecurityGroup[], egress: boolean): FlowSet {
    const key = `${egress ? 'e' : 'i'}|${groups.map((g) => g.groupId).join(',')}`;
    let s = this.sgSpaces.get(key);
    if (s) return s;
    const parts: FlowSet[] = [];
    const pls = this.index.prefixLists();
    for (const g of groups) {
      for (const r of g.rules) {
        if (r.egress !== egress) continue;
        let addrs: AddrSet | undefined;
        try {
          if (r.cidrIpv4) addrs = AddrSet.fromCidr(r.cidrIpv4);
          else if (r.cidrIpv6) addrs = AddrSet.fromCidr(r.cidrIpv6);
          else if (r.prefixListId) {
            const pl = pls.get(r.prefixListId);
            if (pl?.entries) addrs = AddrSet.fromCidrs(pl.entries.map((e) => e.cidr));
          }
        } catch {
          addrs = undefined;
        }
        if (!addrs) continue;
        const internet = addrs.intersect(INTERNET);
        if (!internet.isEmpty()) parts.push(safeRuleSpace(r.ipProtocol, r.fromPort, r.toPort, internet));
      }
    }
    s = FlowSet.unionAll(parts);
    this.sgSpaces.set(key, s);
    return s;
  }

  /** The firewall policy's verdict on traffic from `sources`. */
  judge(firewall: Firewall, endpointId: string, sources: AddrSet): FirewallJudgement {
    const key = `${firewall.firewallArn}|${endpointId}|${sources.toString()}`;
    let j = this.judgements.get(key);
    if (j) return j;
    const nfw = nfwIndex(this.index.scope);
    const policy = nfw.policies.get(firewall.firewallPolicyArn);
    if (!policy) {
      j = {
        firewallName: firewall.firewallName,
        firewallArn: firewall.firewallArn,
        endpointId,
        policyName: undefined,
        order: undefined,
        l4Passes: ALL_INTERNET,
        statelessPass: FlowSet.empty(),
        domainFilters: [],
        unmatched: {
          http: { verdict: 'pass', by: 'policy not read' },
          tls: { verdict: 'pass', by: 'policy not read' },
          other: { verdict: 'pass', by: 'policy not read' },
        },
        passes: ALL_INTERNET,
        notes: [`policy ${arnName(firewall.firewallPolicyArn)} was not read: everything is assumed to pass`],
      };
    } else {
      const resolved = nfw.resolve(policy);
      const vpc = firewall.vpcId ? nfw.vpcs.get(firewall.vpcId) : undefined;
      const home = (policyHomeNet(policy) ?? defaultHomeNet(vpc, firewall)).addrs;
      const a: EgressAnalysis = egressAnalysis(resolved, { ...(home ? { home } : {}), sources });
      const unmatched = {
        http: unmatchedVerdict(resolved, 'http'),
        tls: unmatchedVerdict(resolved, 'tls'),
        other: unmatchedVerdict(resolved, 'other'),
      };
      const domainFilters: DomainFilter[] = [];
      let passes = a.passes;
      for (const appProtocol of ['tls', 'http'] as const) {
        const v = unmatched[appProtocol];
        if (v.verdict !== 'drop' || !v.by.startsWith('domain ALLOWLIST')) continue;
        const port = appProtocol === 'tls' ? 443 : 80;
        if (resolved.order === 'STRICT_ORDER' && policy.statefulDefaultActions.includes('aws:drop_strict')) {
          // aws:drop_strict drops the TCP handshake before any SNI or Host is seen: without a rule that
          // passes the TCP flow (already in l4Passes if there is one), the listed domains are dropped too.
          unmatched[appProtocol] = {
            verdict: 'drop',
            by: `aws:drop_strict drops the TCP handshake before the domain ALLOWLIST sees the ${appProtocol === 'tls' ? 'TLS SNI' : 'HTTP Host'} (no rule passes the TCP flow)`,
          };
          continue;
        }
        const outside: string[] = [];
        for (const ref of resolved.stateful) {
          const g = ref.group;
          if (!g || !isAllowlist(g) || ref.override === 'DROP_TO_ALERT') continue;
          if (!domainListProtocols(g.rulesSourceList?.targetTypes ?? []).includes(appProtocol)) continue;
          // A domain list matches traffic from its HOME_NET only: sources outside it are not filtered.
          const groupHome = effectiveHomeNet(g, policy, vpc, firewall);
          if (groupHome.addrs && !groupHome.addrs.contains(sources)) {
            outside.push(`${g.ruleGroupName} (HOME_NET ${groupHome.cidrs?.join(', ') ?? '?'})`);
            continue;
          }
          domainFilters.push({
            appProtocol,
            port,
            group: g.ruleGroupName,
            domains: [...(g.rulesSourceList?.targets ?? [])],
          });
        }
        if (!domainFilters.some((d) => d.appProtocol === appProtocol)) {
          // No allowlist covers these sources: their HTTP/TLS meets the default behaviour.
          unmatched[appProtocol] = {
            verdict: unmatched.other.verdict,
            by: `${unmatched.other.by}; the domain ALLOWLIST ${outside.join(', ')} does not cover the sources`,
          };
          continue;
        }
        passes = passes.union(FlowSet.box(TCP, PortSet.of(port), INTERNET.subtract(sources)));
      }
      j = {
        firewallName: firewall.firewallName,
        firewallArn: firewall.firewallArn,
        endpointId,
        policyName: policy.firewallPolicyName,
        order: resolved.order,
        l4Passes: a.passes,
        statelessPass: a.statelessPass,
        domainFilters,
        unmatched,
        passes,
        notes: a.notes,
      };
    }
    this.judgements.set(key, j);
    return j;
  }

  // ---------------------------------------------------------------- egress walk

  /** Every internet egress path from a subnet (no security group applied), memoized. */
  subnetEgress(subnetId: string, pub4: boolean, v6: boolean): SubnetWalk {
    const key = `${subnetId}|${pub4 ? 1 : 0}|${v6 ? 1 : 0}`;
    let w = this.walks.get(key);
    if (w) return w;
    w = { egress: [], blocked: [] };
    const nacl = this.naclFilters(subnetId);
    const state: WalkState = {
      origin: subnetId,
      hops: [],
      flows: nacl.outFwd,
      returnOk: nacl.outReturn,
      naclIds: nacl.acl ? [nacl.acl.networkAclId] : [],
      firewalls: [],
      returnFirewalls: [],
      nat: undefined,
      pub4,
      v6,
      visited: new Set(),
    };
    if (nacl.acl)
      state.hops.push({
        kind: 'nacl',
        id: nacl.acl.networkAclId,
        text: `NACL ${nacl.acl.networkAclId} of ${subnetId} ${nacl.outRules}allows out: ${describeFlows(nacl.outFwd)}`,
      });
    this.walk(subnetId, state, w, 0);
    this.walks.set(key, w);
    return w;
  }

  private sourceSubnetAddrs(state: WalkState): AddrSet {
    if (state.nat) {
      try {
        if (state.nat.privateIps.length > 0)
          return AddrSet.fromCidrs(state.nat.privateIps.map((ip) => `${ip}/32`));
      } catch {
        // fall through
      }
      return subnetAddrs(this.index.subnets().get(state.nat.subnetId));
    }
    return subnetAddrs(this.index.subnets().get(state.origin));
  }

  private walk(subnetId: string, state: WalkState, out: SubnetWalk, depth: number): void {
    if (depth > MAX_DEPTH || state.visited.has(subnetId) || state.flows.isEmpty()) return;
    state.visited.add(subnetId);
    const eff = this.subnetTable(subnetId);
    const subnet = this.index.subnets().get(subnetId);
    if (!eff) {
      const hop: Hop = { kind: 'route', id: subnetId, text: `no route table found for ${subnetId}` };
      out.blocked.push({
        subnetId: state.origin,
        hops: [...state.hops, hop],
        blockedAt: hop,
        reason: 'no-route-table',
        flows: state.flows,
      });
      return;
    }
    const table = eff.compiled;
    const rtId = table.table.routeTableId;
    const lookup = lookupRoutes(table, state.flows.addrs());
    for (const m of lookup.matches) {
      const route = m.route;
      const target = route.route.target;
      const flows = state.flows.restrictAddrs(m.addrs);
      const routeHop: Hop = {
        kind: 'route',
        id: rtId,
        text: `in ${subnetId} route ${route.destination} to ${target.id} (${rtId}${eff.explicit ? '' : ', main table'})`,
      };
      const hops = [...state.hops, routeHop];
      if (route.blackhole) {
        const at: Hop = {
          ...routeHop,
          text: `${routeHop.text} is a blackhole (target ${target.id} is gone)`,
        };
        out.blocked.push({
          subnetId: state.origin,
          hops: [...state.hops, at],
          blockedAt: at,
          reason: 'blackhole',
          flows,
        });
        continue;
      }
      switch (target.kind) {
        case 'local':
          break;
        case 'internetGateway': {
          if (subnet && !this.igwVpcs.get(target.id)?.has(subnet.vpcId)) break;
          const v4 = m.addrs.intersect(AddrSet.allV4());
          const v6 = m.addrs.intersect(AddrSet.allV6());
          let ok = AddrSet.empty();
          const natPublic =
            state.nat &&
            (state.nat.connectivityType ?? 'public') !== 'private' &&
            state.nat.publicIps.length > 0;
          const hasV4 = state.nat ? natPublic : state.pub4;
          if (hasV4) ok = ok.union(v4);
          else if (!v4.isEmpty()) {
            const at: Hop = {
              kind: 'igw',
              id: target.id,
              text: state.nat
                ? `internet gateway ${target.id} drops traffic from private NAT gateway ${state.nat.natGatewayId} (no public IPv4)`
                : `internet gateway ${target.id} drops IPv4 from ${state.origin}: no public IPv4 address (no EIP, no auto-assign)`,
            };
            out.blocked.push({
              subnetId: state.origin,
              hops: [...hops, at],
              blockedAt: at,
              reason: 'no-public-ip',
              flows: flows.restrictAddrs(v4),
            });
          }
          if (!state.nat && state.v6) ok = ok.union(v6);
          this.exit(state, out, hops, flows.restrictAddrs(ok), m.addrs, 'internet', target.id, {
            kind: 'igw',
            id: target.id,
            text: `internet gateway ${target.id}, then the internet`,
          });
          break;
        }
        case 'egressOnlyInternetGateway': {
          const v6 = m.addrs.intersect(AddrSet.allV6());
          const v4 = m.addrs.intersect(AddrSet.allV4());
          if (!v4.isEmpty()) {
            const at: Hop = {
              kind: 'eigw',
              id: target.id,
              text: `egress-only internet gateway ${target.id} carries IPv6 only`,
            };
            out.blocked.push({
              subnetId: state.origin,
              hops: [...hops, at],
              blockedAt: at,
              reason: 'egress-only',
              flows: flows.restrictAddrs(v4),
            });
          }
          const ok = state.nat || !state.v6 ? AddrSet.empty() : v6;
          this.exit(state, out, hops, flows.restrictAddrs(ok), m.addrs, 'internet', target.id, {
            kind: 'eigw',
            id: target.id,
            text: `egress-only internet gateway ${target.id} (outbound IPv6), then the internet`,
          });
          break;
        }
        case 'natGateway': {
          const nat = this.nats.get(target.id);
          if (nat?.state.toLowerCase() !== 'available') {
            const at: Hop = {
              kind: 'nat',
              id: target.id,
              text: `NAT gateway ${target.id} is ${nat ? nat.state : 'not in the inventory'}`,
            };
            out.blocked.push({
              subnetId: state.origin,
              hops: [...hops, at],
              blockedAt: at,
              reason: 'nat-unavailable',
              flows,
            });
            break;
          }
          const natNacl = this.naclFilters(nat.subnetId);
          const natHop: Hop = {
            kind: 'nat',
            id: nat.natGatewayId,
            text: `NAT gateway ${nat.natGatewayId} in ${nat.subnetId} rewrites the source${nat.publicIps.length ? ` to ${nat.publicIps.join(', ')}` : ''}`,
          };
          // The return from the NAT subnet to the origin follows the NAT subnet's table.
          const back = this.returnFirewallVia(
            nat.subnetId,
            subnetAddrs(this.index.subnets().get(state.origin)),
          );
          const natInner = this.innerNacl(nat.subnetId, this.sourceSubnetAddrs(state));
          const toNat = flows.restrictAddrs(AddrSet.allV4());
          this.innerBlocked(state, out, hops, toNat, natInner.fwd, nat.subnetId, 'NAT subnet');
          this.walk(
            nat.subnetId,
            {
              ...state,
              hops: [...hops, natHop],
              flows: toNat.intersect(natInner.fwd).intersect(natNacl.outFwd),
              returnOk: state.returnOk.intersect(natNacl.outReturn).intersect(natInner.ret),
              naclIds: natNacl.acl ? [...state.naclIds, natNacl.acl.networkAclId] : state.naclIds,
              returnFirewalls: back ? [...state.returnFirewalls, back] : state.returnFirewalls,
              nat,
              visited: new Set(state.visited),
            },
            out,
            depth + 1,
          );
          break;
        }
        case 'vpcEndpoint': {
          const fw = this.firewallByEndpoint.get(target.id);
          if (fw) {
            const j = this.judge(fw.firewall, target.id, this.sourceSubnetAddrs(state));
            const fwHop: Hop = {
              kind: 'firewall',
              id: target.id,
              text: `firewall ${fw.firewall.firewallName} endpoint ${target.id}: policy ${j.policyName ?? '(not read)'}${j.order ? ` (${j.order === 'STRICT_ORDER' ? 'strict order' : 'action order'})` : ''} passes ${describeFlows(j.l4Passes)}${j.domainFilters.length ? `; ${j.domainFilters.map((d) => `${d.appProtocol} only to ${d.domains.join(', ')}`).join('; ')}` : ''}; unmatched: ${j.unmatched.other.by}`,
            };
            if (!fw.subnetId) {
              // The sync state names no subnet: the walk cannot continue past the firewall, so the
              // traffic it passes leaves the model here (never silently dropped).
              const judged = { ...state, firewalls: [...state.firewalls, j] };
              this.exit(judged, out, hops, flows.intersect(j.passes), m.addrs, 'appliance', target.id, {
                ...fwHop,
                text: `${fwHop.text}; the endpoint's subnet is unknown, so what follows is not modelled`,
              });
              break;
            }
            const fwNacl = this.naclFilters(fw.subnetId);
            const fwInner = this.innerNacl(fw.subnetId, this.sourceSubnetAddrs(state));
            this.innerBlocked(state, out, hops, flows, fwInner.fwd, fw.subnetId, 'firewall subnet');
            this.walk(
              fw.subnetId,
              {
                ...state,
                hops: [...hops, fwHop],
                flows: flows.intersect(fwInner.fwd).intersect(j.passes).intersect(fwNacl.outFwd),
                returnOk: state.returnOk.intersect(fwNacl.outReturn).intersect(fwInner.ret),
                naclIds: fwNacl.acl ? [...state.naclIds, fwNacl.acl.networkAclId] : state.naclIds,
                firewalls: [...state.firewalls, j],
                visited: new Set(state.visited),
              },
              out,
              depth + 1,
            );
            break;
          }
          const ep = this.endpoints.get(target.id);
          if (ep && isEndpointType(ep, 'Gateway')) break;
          const unknownFw = subnet
            ? (this.firewallVpcs.get(subnet.vpcId) ?? []).find((f) => f.endpoints.length === 0)
            : undefined;
          const text = ep
            ? `${ep.vpcEndpointType} endpoint ${target.id} (${ep.serviceName}): an appliance we do not model`
            : unknownFw
              ? `unknown appliance ${target.id} (not a known VPC endpoint; firewall ${unknownFw.firewallName} in this VPC reported no endpoints)`
              : `unknown appliance ${target.id} (not a known VPC endpoint or firewall endpoint)`;
          this.exit(state, out, hops, flows, m.addrs, 'appliance', target.id, {
            kind: 'appliance',
            id: target.id,
            text,
          });
          break;
        }
        case 'vpcPeeringConnection': {
          // No edge-to-edge routing: traffic over a peering connection must end on an interface in the
          // peer VPC, so the peer's internet, NAT or VPN gateways never carry it to the internet.
          const at: Hop = {
            kind: 'route',
            id: target.id,
            text: `${routeHop.text}: a VPC peering connection carries no traffic to the internet (the peer VPC's gateways cannot be used: no edge-to-edge routing)`,
          };
          out.blocked.push({
            subnetId: state.origin,
            hops: [...state.hops, at],
            blockedAt: at,
            reason: 'peering-no-transit',
            flows,
          });
          break;
        }
        default:
          this.exit(state, out, hops, flows, m.addrs, 'other', target.id, {
            kind: 'other-network',
            id: target.id,
            text: `${target.kind} ${target.id}: leaves the VPC to a network not modelled`,
          });
      }
    }
  }

  /** The firewall (by name) a subnet's table sends traffic for `dest` to, if any. */
  private returnFirewallVia(subnetId: string, dest: AddrSet): string | undefined {
    const eff = this.subnetTable(subnetId);
    if (!eff || dest.isEmpty()) return undefined;
    for (const m of lookupRoutes(eff.compiled, dest).matches) {
      const fw = this.firewallByEndpoint.get(m.route.route.target.id);
      if (fw) return fw.firewall.firewallName;
    }
    return undefined;
  }

  private exit(
    state: WalkState,
    out: SubnetWalk,
    hops: Hop[],
    flows: FlowSet,
    routed: AddrSet,
    exit: ExitKind,
    exitId: string,
    last: Hop,
  ): void {
    if (flows.isEmpty()) return;
    const ok = flows.intersect(state.returnOk);
    const blocked = flows.subtract(state.returnOk);
    if (!blocked.isEmpty()) {
      const at: Hop = {
        kind: 'nacl',
        id: state.naclIds.join(','),
        text: `NACL ${state.naclIds.join(', ')} blocks the return traffic (inbound ephemeral 1024-65535) of ${describeFlows(blocked)}`,
      };
      out.blocked.push({
        subnetId: state.origin,
        hops: [...hops, last, at],
        blockedAt: at,
        reason: 'nacl-return',
        flows: blocked,
      });
    }
    if (ok.isEmpty()) return;
    const returnFirewalls = [...state.returnFirewalls];
    let asymmetry: string | undefined;
    if (exit === 'internet') {
      const edgeId = this.edgeTables.get(exitId);
      const edge = edgeId ? this.compiledTable(edgeId) : undefined;
      const host = state.nat ? state.nat.subnetId : state.origin;
      const hostAddrs = this.sourceSubnetAddrs(state);
      let viaEdge: string | undefined;
      if (edge) {
        for (const m of lookupRoutes(edge, hostAddrs).matches) {
          const fw = this.firewallByEndpoint.get(m.route.route.target.id);
          if (fw) viaEdge = fw.firewall.firewallName;
        }
      }
      if (viaEdge) returnFirewalls.push(viaEdge);
      const forward = new Set(state.firewalls.map((f) => f.firewallName));
      const back = new Set(returnFirewalls);
      const missing = [...forward].filter((f) => !back.has(f));
      const extra = [...back].filter((f) => !forward.has(f));
      if (missing.length > 0)
        asymmetry = edge
          ? `the edge route table ${edgeId} of ${exitId} does not send return traffic for ${host} back through firewall ${missing.join(', ')}`
          : `${exitId} has no edge route table: return traffic for ${host} bypasses firewall ${missing.join(', ')}`;
      else if (extra.length > 0)
        asymmetry = `return traffic for ${host} crosses firewall ${extra.join(', ')} that the outbound path does not`;
    }
    out.egress.push({
      subnetId: state.origin,
      exit,
      exitId,
      hops: [...hops, last],
      flows: ok,
      routed,
      firewalls: state.firewalls,
      returnFirewalls,
      natted: state.nat !== undefined,
      ...(asymmetry ? { asymmetry } : {}),
    });
  }

  // ---------------------------------------------------------------- placements

  private addressing(p: MlPlacement, subnetId: string, groups: readonly SecurityGroup[]) {
    const subnet = this.index.subnets().get(subnetId);
    let eni: NetworkInterface | undefined;
    if (p.kind === 'notebook') {
      const id = this.index.scope.notebookInstances.find(
        (n) => n.notebookInstanceName === p.resource.name,
      )?.networkInterfaceId;
      if (id) eni = this.index.networkInterfaces().get(id);
    }
    if (!eni) {
      // A job's, model's or domain's ENIs are SageMaker's (requester-managed, no instance of ours) and
      // carry exactly its groups: an EC2 instance that merely shares a group is not the placement.
      const ids = new Set(groups.map((g) => g.groupId));
      eni = (this.enisBySubnet.get(subnetId) ?? []).find(
        (e) =>
          e.publicIp !== undefined &&
          e.requesterManaged &&
          e.attachedInstanceId === undefined &&
          e.groupIds.length === ids.size &&
          e.groupIds.every((g) => ids.has(g)),
      );
    }
    const pub4 = Boolean(eni?.publicIp) || subnet?.mapPublicIpOnLaunch === true;
    const v6 =
      (subnet?.ipv6CidrBlocks.length ?? 0) > 0 &&
      (subnet?.assignIpv6AddressOnCreation === true || (eni?.ipv6Addresses.length ?? 0) > 0);
    const how = eni?.publicIp
      ? `public IP ${eni.publicIp} on ${eni.networkInterfaceId}`
      : subnet?.mapPublicIpOnLaunch
        ? `auto-assigned public IPv4 in ${subnetId}`
        : 'no public IPv4';
    return { pub4, v6, how };
  }

  /** Paths to and from one ML placement (memoized). */
  reach(p: MlPlacement): PlacementReach {
    const cached = this.reaches.get(p);
    if (cached) return cached;
    const r: PlacementReach = {
      placement: p,
      mode: 'vpc',
      egress: [],
      blocked: [],
      ingress: [],
      awsApis: [],
      notes: [],
    };
    this.reaches.set(p, r);
    if (p.networkIsolation) {
      r.mode = 'isolated';
      r.notes.push('network isolation: the container has no network');
      return r;
    }
    if (p.sagemakerManagedInternet) {
      const why =
        p.kind === 'notebook'
          ? 'DirectInternetAccess Enabled'
          : p.kind === 'domain' || p.kind === 'userProfile'
            ? 'AppNetworkAccessType PublicInternetOnly'
            : 'no VpcConfig';
      r.egress.push({
        subnetId: '',
        exit: 'sagemaker',
        exitId: 'sagemaker',
        hops: [
          {
            kind: 'sagemaker',
            id: 'sagemaker',
            text: `SageMaker's own internet access (${why}), then the internet`,
          },
        ],
        flows: ALL_INTERNET,
        routed: INTERNET,
        firewalls: [],
        returnFirewalls: [],
        natted: false,
      });
      if (p.subnetIds.length === 0) r.mode = 'sagemaker-only';
    }
    const enis = this.eniPaths(p);
    if (enis.missingGroups.length)
      r.notes.push(`security groups not in the inventory: ${enis.missingGroups.join(', ')}`);
    r.egress.push(...enis.egress);
    r.blocked.push(...enis.blocked);
    for (const e of enis.perSubnet) {
      this.ingressFor(r, e.subnetId, e.pub4, e.v6, enis.sgIn, e.eniHop, enis.sgLabel, e.walk);
      this.apisFor(r, e.subnetId, enis.groups);
    }
    return r;
  }

  /**
   * The paths out of a placement's VPC ENIs (one per configured subnet, with its groups), whatever its
   * network isolation or SageMaker-managed internet: reach() builds on it, and so does the data path of
   * an isolated job (SageMaker moves its S3 data through the same subnets and groups). Memoized.
   */
  eniPaths(p: MlPlacement): EniPaths {
    const cached = this.enis.get(p);
    if (cached) return cached;
    const { groups, missing } = this.groupsOf(p);
    const sgOut = this.sgSpace(groups, true);
    const sgIn = this.sgSpace(groups, false);
    const sgLabel = groups.map((g) => g.groupId).join(', ') || '(no group)';
    const out: EniPaths = {
      groups,
      missingGroups: missing,
      sgIn,
      sgLabel,
      egress: [],
      blocked: [],
      perSubnet: [],
    };
    for (const subnetId of p.subnetIds) {
      const { pub4, v6, how } = this.addressing(p, subnetId, groups);
      const eniHop: Hop = { kind: 'eni', id: subnetId, text: `ENI (${sgLabel}) in ${subnetId}, ${how}` };
      const sgHop: Hop = {
        kind: 'sg',
        id: sgLabel,
        text: `security groups ${sgLabel} allow out: ${describeFlows(sgOut)}`,
      };
      const walk = this.subnetEgress(subnetId, pub4, v6);
      for (const e of walk.egress) {
        const flows = e.flows.intersect(sgOut);
        if (flows.isEmpty()) continue;
        out.egress.push({ ...e, hops: [eniHop, sgHop, ...e.hops], flows });
      }
      for (const b of walk.blocked) {
        const flows = b.flows.intersect(sgOut);
        if (flows.isEmpty()) continue;
        out.blocked.push({ ...b, hops: [eniHop, sgHop, ...b.hops], flows });
      }
      out.perSubnet.push({ subnetId, pub4, v6, eniHop, walk });
    }
    this.enis.set(p, out);
    return out;
  }

  private ingressFor(
    r: PlacementReach,
    subnetId: string,
    pub4: boolean,
    v6: boolean,
    sgIn: FlowSet,
    eniHop: Hop,
    sgLabel: string,
    walk: SubnetWalk,
  ): void {
    const subnet = this.index.subnets().get(subnetId);
    if (!subnet) return;
    let sources = AddrSet.empty();
    if (pub4) sources = sources.union(PUBLIC_V4);
    if (v6) sources = sources.union(GLOBAL_V6);
    if (sources.isEmpty()) return;
    const nacl = this.naclFilters(subnetId);
    for (const igw of this.igwsByVpc.get(subnet.vpcId) ?? []) {
      // Route back: the subnet's own (non-NAT) paths out through this IGW.
      const back = walk.egress.filter((e) => e.exitId === igw && !e.natted);
      const routedBack = AddrSet.unionAll(back.map((e) => e.routed)).intersect(sources);
      if (routedBack.isEmpty()) continue;
      const hops: Hop[] = [{ kind: 'internet', id: 'internet', text: `the internet to ${igw}` }];
      const firewalls: string[] = [];
      let flows = FlowSet.all(routedBack);
      const edgeId = this.edgeTables.get(igw);
      const edge = edgeId ? this.compiledTable(edgeId) : undefined;
      if (edge) {
        for (const m of lookupRoutes(edge, subnetAddrs(subnet)).matches) {
          const fw = this.firewallByEndpoint.get(m.route.route.target.id);
          hops.push({
            kind: 'edge-route',
            id: edge.table.routeTableId,
            text: `edge route ${m.route.destination} to ${m.route.route.target.id} (${edge.table.routeTableId})`,
          });
          if (m.route.blackhole) flows = FlowSet.empty();
          if (fw) {
            const j = this.judge(fw.firewall, m.route.route.target.id, subnetAddrs(subnet));
            firewalls.push(fw.firewall.firewallName);
            if (j.unmatched.other.verdict === 'drop') flows = FlowSet.empty();
            hops.push({
              kind: 'firewall',
              id: m.route.route.target.id,
              text: `firewall ${fw.firewall.firewallName}: unsolicited inbound ${j.unmatched.other.verdict === 'drop' ? 'dropped' : 'passes'} (${j.unmatched.other.by})`,
            });
          }
        }
      }
      flows = flows.intersect(nacl.inFwd).intersect(nacl.inReturn).intersect(sgIn);
      if (flows.isEmpty()) continue;
      if (nacl.acl)
        hops.push({
          kind: 'nacl',
          id: nacl.acl.networkAclId,
          text: `NACL ${nacl.acl.networkAclId} ${nacl.inRules}allows in ${describeFlows(nacl.inFwd.intersect(sgIn))} and the return out`,
        });
      hops.push({
        kind: 'sg',
        id: sgLabel,
        text: `security groups ${sgLabel} allow in ${describeFlows(flows)}`,
      });
      hops.push(eniHop);
      r.ingress.push({ subnetId, entry: igw, hops, flows, firewalls });
    }
  }

  private apisFor(r: PlacementReach, subnetId: string, groups: readonly SecurityGroup[]): void {
    const subnet = this.index.subnets().get(subnetId);
    if (!subnet) return;
    const table = this.subnetTable(subnetId)?.compiled.table;
    const mine = new Set(groups.map((g) => g.groupId));
    const myAddrs = subnetAddrs(subnet);
    const allows443 = (g: SecurityGroup, egress: boolean, addrs: AddrSet, peers: Set<string>, pl?: string) =>
      g.rules.some((rule) => {
        if (rule.egress !== egress) return false;
        if (
          safeRuleSpace(rule.ipProtocol, rule.fromPort, rule.toPort, AddrSet.all())
            .addrsFor(TCP, 443)
            .isEmpty()
        )
          return false;
        if (rule.referencedGroup?.groupId) return peers.has(rule.referencedGroup.groupId);
        if (pl && rule.prefixListId === pl) return true;
        const cidr = rule.cidrIpv4 ?? rule.cidrIpv6;
        if (!cidr) return false;
        try {
          return AddrSet.fromCidr(cidr).overlaps(addrs);
        } catch {
          return false;
        }
      });
    for (const ep of this.endpointsByVpc.get(subnet.vpcId) ?? []) {
      if (!isLiveEndpoint(ep)) continue;
      if (r.awsApis.some((a) => a.endpointId === ep.vpcEndpointId)) continue;
      const service = endpointService(ep.serviceName, this.index.scope.region);
      if (isEndpointType(ep, 'Gateway')) {
        const routed =
          table !== undefined &&
          (ep.routeTableIds.includes(table.routeTableId) ||
            table.routes.some((rt) => rt.target.id === ep.vpcEndpointId && rt.state !== 'blackhole'));
        if (!routed) continue;
        const pl = table.routes.find((rt) => rt.target.id === ep.vpcEndpointId)?.destinationPrefixListId;
        // The service's addresses are public: a rule to its prefix list, or to a CIDR reaching public
        // address space, lets the groups reach it (a rule to private space alone does not).
        const ok = groups.some((g) => allows443(g, true, PUBLIC_V4, new Set(), pl));
        if (ok)
          r.awsApis.push({
            service,
            endpointId: ep.vpcEndpointId,
            type: 'Gateway',
            privateDns: true,
            ...policyOf(ep),
          });
      } else if (isEndpointType(ep, 'Interface')) {
        const epAddrs = AddrSet.unionAll(ep.subnetIds.map((s) => subnetAddrs(this.index.subnets().get(s))));
        const epGroups = new Set(ep.groupIds);
        const out = groups.some((g) => allows443(g, true, epAddrs, epGroups));
        const sgs = this.index.securityGroups();
        const inn = ep.groupIds.some((id) => {
          const g = sgs.get(id);
          return g !== undefined && allows443(g, false, myAddrs, mine);
        });
        if (out && inn)
          r.awsApis.push({
            service,
            endpointId: ep.vpcEndpointId,
            type: 'Interface',
            privateDns: ep.privateDnsEnabled,
            ...policyOf(ep),
          });
      }
    }
    r.awsApis.sort((a, b) => a.service.localeCompare(b.service) || a.endpointId.localeCompare(b.endpointId));
  }
}

function policyOf(ep: VpcEndpoint): { policy: PolicyAccess; policySummary: string } {
  const p = endpointPolicy(ep);
  return { policy: p.access, policySummary: p.summary };
}

const ENGINES = new WeakMap<RegionInventory, PathEngine>();

/** The path engine of a scope, built once per scope (shared by the rules and the exposure section). */
export function pathEngine(index: ScopeIndex): PathEngine {
  let e = ENGINES.get(index.scope);
  if (!e) {
    e = new PathEngine(index);
    ENGINES.set(index.scope, e);
  }
  return e;
}

// ---------------------------------------------------------------- descriptions

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
