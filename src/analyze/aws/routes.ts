/**
 * Routes as the rules read them: how a route, its target and a route table's association read in
 * messages and evidence, and a subnet's world routes as written in its effective route table
 * (subnetInternetEgress): a description of where a table sends traffic, for messages. Whether a
 * placement really has an internet path is the path engine's answer (paths/), not this.
 *
 * subnetInternetEgress lists the non-blackhole routes for a world destination (0.0.0.0/0, ::/0, or any
 * CIDR docs/rules.md calls world) to anything but `local` or a gateway endpoint of the inventory, from
 * the subnet's explicit association, else the main table of its own VPC.
 */
import type { PrefixList, ResourceKind, Route, RouteTable, RouteTarget } from '../../inventory/schema.ts';
import type { ScopeIndex } from '../engine/scope-index.ts';
import { isWorldCidr, tryParseCidr } from '../net/index.ts';
import { endpointsById, isEndpointType } from './vpc-endpoints.ts';

/** The route's destination as written: an IPv4 CIDR, an IPv6 CIDR or a prefix-list id. */
export function routeDestination(route: Route): string {
  return route.destinationCidrBlock ?? route.destinationIpv6CidrBlock ?? route.destinationPrefixListId ?? '?';
}

const TARGET_LABELS: Record<RouteTarget['kind'], string> = {
  local: 'the VPC (local)',
  internetGateway: 'internet gateway',
  virtualPrivateGateway: 'virtual private gateway',
  vpcEndpoint: 'VPC endpoint',
  natGateway: 'NAT gateway',
  networkInterface: 'network interface',
  instance: 'instance',
  vpcPeeringConnection: 'peering connection',
  transitGateway: 'transit gateway',
  egressOnlyInternetGateway: 'egress-only internet gateway',
  carrierGateway: 'carrier gateway',
  localGateway: 'local gateway',
  coreNetwork: 'Cloud WAN core network',
  unknown: 'target',
};

/** "internet gateway igw-1", "NAT gateway nat-1", "the VPC (local)". */
export function describeTarget(target: RouteTarget, firewallEndpointIds?: ReadonlySet<string>): string {
  if (target.kind === 'local') return TARGET_LABELS.local;
  if (target.kind === 'vpcEndpoint' && firewallEndpointIds?.has(target.id)) {
    return `Network Firewall endpoint ${target.id}`;
  }
  return `${TARGET_LABELS[target.kind]} ${target.id || '(unnamed)'}`;
}

/** A route as evidence. */
export function routeEvidence(route: Route) {
  return {
    destination: routeDestination(route),
    targetKind: route.target.kind,
    targetId: route.target.id,
    state: route.state,
    ...(route.origin ? { origin: route.origin } : {}),
  };
}

/** "rtb-1 (explicitly associated)" / "rtb-1 (the main route table of vpc-1)". */
export function tableLabel(table: RouteTable, explicit: boolean): string {
  return explicit
    ? `${table.routeTableId} (explicitly associated)`
    : `${table.routeTableId} (the main route table of ${table.vpcId})`;
}

/**
 * Whether a route's destination is internet-wide (rules.md "world"): a world IPv4 or IPv6 CIDR, or a
 * customer-managed prefix list one of whose entries is. A prefix list we cannot expand is not world.
 */
export function isWorldDestination(route: Route, prefixLists?: ReadonlyMap<string, PrefixList>): boolean {
  if (route.destinationCidrBlock !== undefined) return isWorldCidr(route.destinationCidrBlock);
  if (route.destinationIpv6CidrBlock !== undefined) return isWorldCidr(route.destinationIpv6CidrBlock);
  if (route.destinationPrefixListId !== undefined) {
    const list = prefixLists?.get(route.destinationPrefixListId);
    return list?.entries?.some((e) => isWorldCidr(e.cidr)) ?? false;
  }
  return false;
}

/** Inventory kinds subnetInternetEgress reads: a gap in any of them can hide a default route. */
export const ROUTE_NEEDS = [
  'routeTables',
  'subnets',
  'prefixLists',
  'vpcEndpoints',
] as const satisfies readonly ResourceKind[];

export interface EgressRoute {
  routeTableId: string;
  /** The route's destination: a CIDR or a prefix-list id. */
  destination: string;
  targetKind: RouteTarget['kind'];
  targetId: string;
  /** What the target is, in words ("NAT gateway", "firewall or Gateway Load Balancer endpoint"). */
  target: string;
}

export interface SubnetEgress {
  subnetId: string;
  /** null when the subnet's route table is unknown. */
  routeTableId: string | null;
  /** False when the subnet has no explicit association and falls back to its VPC's main table. */
  explicitAssociation: boolean | null;
  has: boolean;
  /** The world routes that give egress (empty when `has` is false or the table is unknown). */
  routes: EgressRoute[];
  /** World routes in state blackhole: they carry nothing. */
  blackholes: EgressRoute[];
  /** Why egress is assumed without seeing it (unknown route table). */
  assumed?: string;
}

/** What kind of exit a route target is, for subnetInternetEgress (describeTarget names one target). */
const TARGET_NAMES: Record<RouteTarget['kind'], string> = {
  local: 'the VPC (local)',
  internetGateway: 'internet gateway',
  virtualPrivateGateway: 'virtual private gateway (on-premises network)',
  vpcEndpoint: 'firewall or Gateway Load Balancer endpoint',
  natGateway: 'NAT gateway',
  networkInterface: 'network interface (an appliance)',
  instance: 'instance (an appliance)',
  vpcPeeringConnection: 'VPC peering connection',
  transitGateway: 'transit gateway',
  egressOnlyInternetGateway: 'egress-only internet gateway',
  carrierGateway: 'carrier gateway',
  localGateway: 'local gateway (Outposts)',
  coreNetwork: 'Cloud WAN core network',
  unknown: 'unidentified target',
};

/** Whether a route's destination is world. A CIDR or prefix list we cannot read counts as world. */
function worldDestination(route: Route, index: ScopeIndex): boolean {
  const cidr = route.destinationCidrBlock ?? route.destinationIpv6CidrBlock;
  if (cidr !== undefined) return tryParseCidr(cidr) === undefined || isWorldCidr(cidr);
  if (route.destinationPrefixListId) {
    const list = index.prefixLists().get(route.destinationPrefixListId);
    if (!list) return true;
    if (list.awsManaged) return false; // AWS service ranges (S3, DynamoDB, CloudFront, ...), never world
    if (!list.entries) return true;
    return list.entries.some((e) => tryParseCidr(e.cidr) === undefined || isWorldCidr(e.cidr));
  }
  return false;
}

/** What a route's target is when it can carry traffic out of the VPC; undefined when it cannot. */
function egressTarget(route: Route, index: ScopeIndex): string | undefined {
  const { kind, id } = route.target;
  if (kind === 'local') return undefined;
  if (kind === 'vpcEndpoint') {
    const endpoint = endpointsById(index).get(id);
    if (endpoint && isEndpointType(endpoint, 'Gateway')) return undefined;
    if (!endpoint) return 'endpoint not in the inventory (e.g. a Network Firewall endpoint)';
    return `${endpoint.vpcEndpointType} endpoint for ${endpoint.serviceName}`;
  }
  return TARGET_NAMES[kind];
}

/** The internet egress of one subnet, from its effective route table. */
export function subnetInternetEgress(subnetId: string, index: ScopeIndex): SubnetEgress {
  const effective = index.effectiveRouteTable(subnetId);
  if (!effective) {
    return {
      subnetId,
      routeTableId: null,
      explicitAssociation: null,
      has: true,
      routes: [],
      blackholes: [],
      assumed: `route table of ${subnetId} unknown (subnet not in the inventory, or no main table): egress cannot be ruled out`,
    };
  }
  const { table, explicit } = effective;
  const routes: EgressRoute[] = [];
  const blackholes: EgressRoute[] = [];
  for (const route of table.routes) {
    const target = egressTarget(route, index);
    if (target === undefined || !worldDestination(route, index)) continue;
    const hop: EgressRoute = {
      routeTableId: table.routeTableId,
      destination: routeDestination(route),
      targetKind: route.target.kind,
      targetId: route.target.id,
      target,
    };
    if (route.state.toLowerCase() === 'blackhole') blackholes.push(hop);
    else routes.push(hop);
  }
  return {
    subnetId,
    routeTableId: table.routeTableId,
    explicitAssociation: explicit,
    has: routes.length > 0,
    routes,
    blackholes,
  };
}
