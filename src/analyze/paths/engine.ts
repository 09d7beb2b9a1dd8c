/**
 * The path engine: what can reach each ML placement from the internet, and what it can reach, through
 * which hops, over flows that are sets of (protocol, port, remote address), never single packets.
 *
 * The room (AWS VPC semantics, each with the code that models it):
 * - types.ts: the answers (hops, egress / blocked / ingress paths, private API paths).
 * - filters.ts: NACLs (stateless, both directions) and security groups (stateful) as flow sets.
 * - the egress walk (subnetEgress, walk below) follows a subnet's routes (hops/route.ts) to their
 *   targets, one handler per hop kind: internet and egress-only gateways and networks we do not model
 *   (hops/exit.ts), NAT gateways (hops/nat.ts), firewall endpoints (hops/firewall.ts), other VPC
 *   endpoints (hops/endpoint.ts), peering (hops/route.ts); the way back is hops/return.ts; what the
 *   handlers share is walk.ts.
 * - ingress.ts: the way in from the internet; hops/endpoint.ts: private paths to AWS APIs.
 * - words.ts: the words of hops and findings.
 * - SageMaker: DirectInternetAccess notebooks and PublicInternetOnly domains (and jobs / models without a
 *   VpcConfig) reach the internet through SageMaker's network; isolated jobs and models have no
 *   container network; otherwise each configured subnet is one ENI with the configured groups (reach,
 *   eniPaths below).
 *
 * Deterministic: inputs are walked in inventory order and every cache is keyed on ids.
 */
import type {
  Firewall,
  NatGateway,
  NetworkInterface,
  RegionInventory,
  SecurityGroup,
  VpcEndpoint,
} from '../../inventory/schema.ts';
import type { MlPlacement } from '../aws/ml-placements.ts';
import { INTERNET } from '../aws/network-firewall/egress-model.ts';
import type { ScopeIndex } from '../engine/scope-index.ts';
import { AddrSet, type CompiledTable, compileRouteTable, FlowSet } from '../net/index.ts';
import {
  ALL_INTERNET,
  type InnerLeg,
  innerLeg,
  type NaclFilters,
  naclFiltersOf,
  safeRuleSpace,
} from './filters.ts';
import { addApiPaths, toVpcEndpoint } from './hops/endpoint.ts';
import { toEgressOnlyGateway, toInternetGateway, toOtherNetwork } from './hops/exit.ts';
import { judgeFirewall, toFirewallEndpoint } from './hops/firewall.ts';
import { toNatGateway } from './hops/nat.ts';
import { blackholed, routeSteps, toPeering } from './hops/route.ts';
import { ingressPaths } from './ingress.ts';
import type { EniPaths, FirewallJudgement, Hop, PlacementReach, SubnetWalk } from './types.ts';
import type { FirewallEndpoint, PathContext, WalkState } from './walk.ts';
import { describeFlows } from './words.ts';

/** How many subnets a walk may cross (NAT, firewall, ...) before it stops: a guard against loops. */
const MAX_DEPTH = 8;

/** The path engine of one scope. Use pathEngine(index): built once per scope, memoized per subnet. */
export class PathEngine implements PathContext {
  private readonly tables = new Map<string, CompiledTable>();
  private readonly nacls = new Map<string, NaclFilters>();
  private readonly walks = new Map<string, SubnetWalk>();
  private readonly sgSpaces = new Map<string, FlowSet>();
  private readonly judgements = new Map<string, FirewallJudgement>();
  private readonly reaches = new Map<MlPlacement, PlacementReach>();
  private readonly enis = new Map<MlPlacement, EniPaths>();
  private readonly innerLegs = new Map<string, InnerLeg>();
  readonly firewallByEndpoint = new Map<string, FirewallEndpoint>();
  readonly endpoints: Map<string, VpcEndpoint>;
  readonly nats: Map<string, NatGateway>;
  readonly igwVpcs = new Map<string, Set<string>>();
  readonly igwsByVpc = new Map<string, string[]>();
  readonly edgeTables = new Map<string, string>();
  private readonly enisBySubnet = new Map<string, NetworkInterface[]>();
  readonly firewallVpcs = new Map<string, Firewall[]>();
  readonly endpointsByVpc = new Map<string, VpcEndpoint[]>();

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

  /** A route table by id, compiled (an internet gateway's edge route table). */
  compiledTable(routeTableId: string): CompiledTable | undefined {
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

  /** A subnet's NACL toward the internet, both directions (filters.ts), memoized. */
  naclFilters(subnetId: string): NaclFilters {
    let f = this.nacls.get(subnetId);
    if (f) return f;
    f = naclFiltersOf(this.index.naclBySubnet().get(subnetId));
    this.nacls.set(subnetId, f);
    return f;
  }

  /** innerLeg of a subnet's NACL for traffic from `inner`, memoized; everything passes without a NACL. */
  innerNacl(subnetId: string, inner: AddrSet): InnerLeg {
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

  /** The firewall policy's verdict on traffic from `sources` (hops/firewall.ts judgeFirewall), memoized. */
  judge(firewall: Firewall, endpointId: string, sources: AddrSet): FirewallJudgement {
    const key = `${firewall.firewallArn}|${endpointId}|${sources.toString()}`;
    let j = this.judgements.get(key);
    if (j) return j;
    j = judgeFirewall(this.index.scope, firewall, endpointId, sources);
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

  /**
   * One subnet of the walk: each route of its table sends some destinations to a target, and each
   * target kind has its handler (hops/); NAT gateways and firewall endpoints walk on from their subnet.
   */
  walk(subnetId: string, state: WalkState, out: SubnetWalk, depth: number): void {
    if (depth > MAX_DEPTH || state.visited.has(subnetId) || state.flows.isEmpty()) return;
    state.visited.add(subnetId);
    for (const step of routeSteps(this, subnetId, state, out, depth)) {
      if (step.blackhole) {
        blackholed(step);
        continue;
      }
      switch (step.target.kind) {
        case 'local':
          break;
        case 'internetGateway':
          toInternetGateway(this, step);
          break;
        case 'egressOnlyInternetGateway':
          toEgressOnlyGateway(this, step);
          break;
        case 'natGateway':
          toNatGateway(this, step);
          break;
        case 'vpcEndpoint': {
          // A firewall's sync-state endpoint is a vpce- target too.
          const fw = this.firewallByEndpoint.get(step.target.id);
          if (fw) toFirewallEndpoint(this, step, fw);
          else toVpcEndpoint(this, step);
          break;
        }
        case 'vpcPeeringConnection':
          toPeering(step);
          break;
        default:
          toOtherNetwork(this, step);
      }
    }
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
            text: p.managedInternetVia ?? `SageMaker's own internet access (${why}), then the internet`,
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
      r.ingress.push(...ingressPaths(this, enis, e));
      addApiPaths(this, r.awsApis, e.subnetId, enis.groups);
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
