/**
 * Lookups over one region's inventory, built once per scope and shared by every rule, the path engine
 * and the exposure section, so no rule scans a list inside a loop. Each map is
 * built on first use. ScopeIndex.of(scope) is the one index of a scope: an analyzed scope is not
 * modified afterwards.
 */

import type { ResourceArrayKind } from '../../inventory/kinds.ts';
import type {
  NetworkAcl,
  NetworkInterface,
  PrefixList,
  RegionInventory,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
} from '../../inventory/schema.ts';
import {
  computeMlPlacements,
  computeMlResourcePlacements,
  placementsByGroup,
  placementsBySubnet,
  placementsByVpc,
} from '../aws/ml-placements.ts';
import { resourceOf } from './resources.ts';

function byKey<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return map;
}

function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

/** The kinds whose ids path hops name (the path engine reads these, so its needs cover them). */
const NAMED_IN_HOPS = [
  'vpcs',
  'subnets',
  'routeTables',
  'internetGateways',
  'egressOnlyInternetGateways',
  'natGateways',
  'securityGroups',
  'networkAcls',
  'networkInterfaces',
  'vpcEndpoints',
] as const satisfies readonly ResourceArrayKind[];

const INDEXES = new WeakMap<RegionInventory, ScopeIndex>();

export class ScopeIndex {
  constructor(readonly scope: RegionInventory) {}

  /** The index of a scope, built once and shared by everything that analyzes it. */
  static of(scope: RegionInventory): ScopeIndex {
    let index = INDEXES.get(scope);
    if (!index) {
      index = new ScopeIndex(scope);
      INDEXES.set(scope, index);
    }
    return index;
  }

  readonly vpcs = lazy(() => byKey<Vpc>(this.scope.vpcs, (v) => v.vpcId));
  readonly subnets = lazy(() => byKey<Subnet>(this.scope.subnets, (s) => s.subnetId));
  readonly securityGroups = lazy(() => byKey<SecurityGroup>(this.scope.securityGroups, (g) => g.groupId));
  readonly prefixLists = lazy(() => byKey<PrefixList>(this.scope.prefixLists, (p) => p.prefixListId));
  readonly networkInterfaces = lazy(() =>
    byKey<NetworkInterface>(this.scope.networkInterfaces, (n) => n.networkInterfaceId),
  );

  /**
   * id -> name of every EC2 resource that has one (a Name tag, a group's name): the names shown beside
   * the ids of path hops (paths/names.ts).
   */
  readonly resourceNames = lazy(() => {
    const map = new Map<string, string>();
    for (const kind of NAMED_IN_HOPS) {
      for (const item of this.scope[kind]) {
        const r = resourceOf(this.scope, kind, item);
        if (r.name !== undefined) map.set(r.id, r.name);
      }
    }
    return map;
  });

  /** Every ML resource with its placement (subnets, groups, VPC), from its configuration. */
  readonly mlPlacements = lazy(() => computeMlPlacements(this.scope, this));
  readonly mlByGroup = lazy(() => placementsByGroup(this.mlPlacements()));
  /**
   * The ML resources in each subnet / VPC. User profiles are left out: a profile sits in its domain's
   * subnets, so the domain already places ML there, and a rule about ML subnets or VPCs does not read
   * (or need) the profiles.
   */
  readonly mlBySubnet = lazy(() => placementsBySubnet(computeMlResourcePlacements(this.scope, this)));
  readonly mlByVpc = lazy(() => placementsByVpc(computeMlResourcePlacements(this.scope, this)));

  /** Network ACL of each subnet (by association). */
  readonly naclBySubnet = lazy(() => {
    const map = new Map<string, NetworkAcl>();
    for (const acl of this.scope.networkAcls) for (const s of acl.associatedSubnetIds) map.set(s, acl);
    return map;
  });

  /** ENIs carrying each security group. */
  readonly enisByGroup = lazy(() => {
    const map = new Map<string, NetworkInterface[]>();
    for (const eni of this.scope.networkInterfaces) {
      for (const g of eni.groupIds) {
        const list = map.get(g);
        if (list) list.push(eni);
        else map.set(g, [eni]);
      }
    }
    return map;
  });

  /** The main route table of each VPC. */
  readonly mainRouteTableByVpc = lazy(() => {
    const map = new Map<string, RouteTable>();
    for (const rt of this.scope.routeTables) if (rt.associations.some((a) => a.main)) map.set(rt.vpcId, rt);
    return map;
  });

  /** Explicit subnet associations. */
  readonly routeTableBySubnet = lazy(() => {
    const map = new Map<string, RouteTable>();
    for (const rt of this.scope.routeTables) {
      for (const a of rt.associations) if (a.subnetId && !a.main) map.set(a.subnetId, rt);
    }
    return map;
  });

  /**
   * The route table that governs a subnet: its explicit association, else the main table of the
   * subnet's **own** VPC (never another VPC's main table).
   */
  effectiveRouteTable(subnetId: string): { table: RouteTable; explicit: boolean } | undefined {
    const explicit = this.routeTableBySubnet().get(subnetId);
    if (explicit) return { table: explicit, explicit: true };
    const subnet = this.subnets().get(subnetId);
    if (!subnet) return undefined;
    const main = this.mainRouteTableByVpc().get(subnet.vpcId);
    return main ? { table: main, explicit: false } : undefined;
  }
}
