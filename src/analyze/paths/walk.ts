/**
 * The egress walk's contract: the state carried from subnet to subnet, one route of a subnet's table
 * (RouteStep, what every hop handler in hops/ receives), what the handlers read from the engine
 * (PathContext), and the moves several handlers share.
 */
import type { Firewall, NatGateway, RouteTarget, Subnet, VpcEndpoint } from '../../inventory/schema.ts';
import type { ScopeIndex } from '../engine/scope-index.ts';
import type { CompiledTable, FlowSet } from '../net/index.ts';
import { AddrSet } from '../net/index.ts';
import { type InnerLeg, type NaclFilters, subnetAddrs } from './filters.ts';
import type { BlockedPath, FirewallJudgement, Hop, SubnetWalk } from './types.ts';
import { describeFlows } from './words.ts';

/** Where the walk stands: the flows still going, and what the way so far asks of the return. */
export interface WalkState {
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

/** One route of the walked subnet's table: the destinations it decides and where it sends them. */
export interface RouteStep {
  state: WalkState;
  out: SubnetWalk;
  depth: number;
  /** The walked subnet (undefined when it is not in the inventory). */
  subnet: Subnet | undefined;
  target: RouteTarget;
  blackhole: boolean;
  /** The destinations this route decides (longest prefix), and the flows to them. */
  addrs: AddrSet;
  flows: FlowSet;
  routeHop: Hop;
  /** The hops so far, this route included. */
  hops: Hop[];
}

/** A firewall's sync-state endpoint: the firewall, and the subnet the endpoint sits in when known. */
export interface FirewallEndpoint {
  firewall: Firewall;
  subnetId: string | undefined;
}

/** What the hop handlers read from the engine: the scope's lookups and its memoized building blocks. */
export interface PathContext {
  readonly index: ScopeIndex;
  /** Firewall sync-state endpoint id -> its firewall. */
  readonly firewallByEndpoint: ReadonlyMap<string, FirewallEndpoint>;
  /** VPC id -> the firewalls in it. */
  readonly firewallVpcs: ReadonlyMap<string, Firewall[]>;
  /** VPC endpoint id -> the endpoint. */
  readonly endpoints: ReadonlyMap<string, VpcEndpoint>;
  /** VPC id -> its VPC endpoints. */
  readonly endpointsByVpc: ReadonlyMap<string, VpcEndpoint[]>;
  /** NAT gateway id -> the gateway. */
  readonly nats: ReadonlyMap<string, NatGateway>;
  /** Internet gateway id -> the VPCs it is attached to. */
  readonly igwVpcs: ReadonlyMap<string, Set<string>>;
  /** VPC id -> its internet gateways. */
  readonly igwsByVpc: ReadonlyMap<string, string[]>;
  /** Gateway id -> the route table associated with it (its edge route table). */
  readonly edgeTables: ReadonlyMap<string, string>;
  compiledTable(routeTableId: string): CompiledTable | undefined;
  subnetTable(subnetId: string): { compiled: CompiledTable; explicit: boolean } | undefined;
  naclFilters(subnetId: string): NaclFilters;
  innerNacl(subnetId: string, inner: AddrSet): InnerLeg;
  judge(firewall: Firewall, endpointId: string, sources: AddrSet): FirewallJudgement;
  /** Walk on from a subnet (the NAT gateway's or the firewall endpoint's). */
  walk(subnetId: string, state: WalkState, out: SubnetWalk, depth: number): void;
}

/** Record flows the walk cannot carry past `at`. */
export function block(
  state: WalkState,
  out: SubnetWalk,
  before: readonly Hop[],
  at: Hop,
  reason: BlockedPath['reason'],
  flows: FlowSet,
): void {
  out.blocked.push({ subnetId: state.origin, hops: [...before, at], blockedAt: at, reason, flows });
}

/** The addresses the traffic comes from: the NAT gateway's after a NAT, else the origin subnet's. */
export function sourceAddrs(ctx: PathContext, state: WalkState): AddrSet {
  if (state.nat) {
    const natIps =
      state.nat.privateIps.length > 0
        ? AddrSet.tryFromCidrs(state.nat.privateIps.map((ip) => `${ip}/32`))
        : undefined;
    if (natIps) return natIps;
    return subnetAddrs(ctx.index.subnets().get(state.nat.subnetId));
  }
  return subnetAddrs(ctx.index.subnets().get(state.origin));
}

/** A NAT gateway or firewall endpoint the route sends traffic into, in another subnet. */
export interface Crossing {
  subnetId: string;
  /** 'NAT subnet' / 'firewall subnet', for the words of a refusal. */
  what: string;
  hop: Hop;
  /** The flows sent in. */
  flows: FlowSet;
  /** What the device lets through (a firewall's judgement); everything when absent. */
  passes?: FlowSet;
  /** What the device changes in the state beyond the NACLs: the NAT, the firewalls crossed. */
  after: Partial<Pick<WalkState, 'nat' | 'firewalls' | 'returnFirewalls'>>;
}

/**
 * Walk on into a NAT or firewall subnet: its NACL admits the traffic from the ML side (inbound rules,
 * the return back on ephemeral ports) and lets it out toward the internet; what it refuses on the ML
 * side is named as a blocked hop.
 */
export function crossInto(ctx: PathContext, step: RouteStep, c: Crossing): void {
  const { state, out, hops } = step;
  const nacl = ctx.naclFilters(c.subnetId);
  const inner = ctx.innerNacl(c.subnetId, sourceAddrs(ctx, state));
  innerBlocked(ctx, step, c, inner.fwd);
  const admitted = c.flows.intersect(inner.fwd);
  ctx.walk(
    c.subnetId,
    {
      ...state,
      hops: [...hops, c.hop],
      flows: (c.passes ? admitted.intersect(c.passes) : admitted).intersect(nacl.outFwd),
      returnOk: state.returnOk.intersect(nacl.outReturn).intersect(inner.ret),
      naclIds: nacl.acl ? [...state.naclIds, nacl.acl.networkAclId] : state.naclIds,
      ...c.after,
      visited: new Set(state.visited),
    },
    out,
    step.depth + 1,
  );
}

/** Name the hop where a NAT or firewall subnet's NACL refuses traffic from the ML side. */
function innerBlocked(ctx: PathContext, step: RouteStep, c: Crossing, admitted: FlowSet): void {
  const { state } = step;
  const refused = c.flows.subtract(admitted);
  if (refused.isEmpty()) return;
  const acl = ctx.naclFilters(c.subnetId).acl;
  const at: Hop = {
    kind: 'nacl',
    id: acl?.networkAclId ?? c.subnetId,
    text: `NACL ${acl?.networkAclId ?? '?'} of ${c.what} ${c.subnetId} does not admit ${describeFlows(refused)} from ${state.nat ? `NAT gateway ${state.nat.natGatewayId}` : state.origin} (inbound rules)`,
  };
  block(state, step.out, step.hops, at, 'nacl-inbound', refused);
}
