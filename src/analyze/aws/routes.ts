/**
 * Route-table and ML-placement helpers shared by the routes rules: how a route, its target, a route
 * table's association and an ML resource read in messages and evidence. Pure.
 */
import type { PrefixList, Route, RouteTable, RouteTarget } from '../../inventory/schema.ts';
import { isWorldCidr } from '../net/index.ts';
import type { MlKind, MlPlacement } from './ml-placements.ts';
import { listLabel } from './nacls.ts';

/** The inventory kinds ML placements come from (one definition, in ml.ts). */
export { PLACEMENT_NEEDS as ML_PLACEMENT_KINDS } from './ml-placements.ts';

const ML_KIND_LABELS: Record<MlKind, string> = {
  domain: 'Studio domain',
  userProfile: 'Studio user profile',
  notebook: 'notebook instance',
  trainingJob: 'training job',
  processingJob: 'processing job',
  model: 'model',
};

/** "notebook instance nb-1". */
export function mlLabel(p: MlPlacement): string {
  return `${ML_KIND_LABELS[p.kind]} ${p.resource.name ?? p.resource.id}`;
}

/** "notebook instance nb-1, training job t-1 and 3 more". */
export function mlListLabel(placements: readonly MlPlacement[], max = 3): string {
  return listLabel(placements.map(mlLabel), max);
}

/** An ML resource as evidence. */
export function mlEvidence(p: MlPlacement) {
  return {
    kind: p.kind,
    type: p.resource.type,
    id: p.resource.id,
    arn: p.resource.arn,
    networkIsolation: p.networkIsolation,
  };
}

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

/** Appends to a list in a map of lists. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
