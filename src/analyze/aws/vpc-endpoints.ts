/**
 * The small facts about VPC endpoints the vpc-endpoints rules share (which service, whether live), and
 * a subnet's world routes as written in its effective route table (subnetInternetEgress): a description
 * of where a table sends traffic, for messages. Whether a placement really has an internet path is the
 * path engine's answer (ml-egress.ts, net/paths.ts), not this.
 *
 * subnetInternetEgress lists the non-blackhole routes for a world destination (0.0.0.0/0, ::/0, or any
 * CIDR docs/rules.md calls world) to anything but `local` or a gateway endpoint of the inventory, from
 * the subnet's explicit association, else the main table of its own VPC.
 */
import type {
  RegionInventory,
  ResourceKind,
  Route,
  RouteTarget,
  VpcEndpoint,
} from '../../inventory/schema.ts';
import type { ScopeIndex } from '../engine/scope-index.ts';
import { isWorldCidr, tryParseCidr } from '../net/index.ts';

/** Inventory kinds subnetInternetEgress reads: a gap in any of them can hide a default route. */
export const ROUTE_NEEDS = [
  'routeTables',
  'subnets',
  'prefixLists',
  'vpcEndpoints',
] as const satisfies readonly ResourceKind[];

/** Kinds ML placements come from (one definition, in ml.ts). */
export { PLACEMENT_NEEDS } from './ml-placements.ts';

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

// ---------------------------------------------------------------- VPC endpoint facts

/** Endpoint states that carry (or will carry) traffic, lower-cased. */
export const LIVE_ENDPOINT_STATES = ['available', 'pendingacceptance', 'pending'] as const;

/** Whether an endpoint is in a live state. An absent state counts as live (we cannot prove it dead). */
export function isLiveEndpoint(
  e: Pick<VpcEndpoint, 'state'>,
  states: readonly string[] = LIVE_ENDPOINT_STATES,
): boolean {
  if (e.state === undefined) return true;
  const s = e.state.toLowerCase();
  return states.some((x) => x.toLowerCase() === s);
}

/**
 * The service an endpoint serves, without its region prefix: `com.amazonaws.us-east-1.sagemaker.api`
 * and `cn.com.amazonaws.cn-north-1.sagemaker.api` give `sagemaker.api`;
 * `aws.sagemaker.us-east-1.notebook` gives `aws.sagemaker.notebook`. A `-fips` suffix is dropped (the
 * FIPS endpoint serves the same API). Anything else (an endpoint service of another account) is
 * returned whole.
 */
export function endpointService(serviceName: string, region: string): string {
  for (const prefix of [`com.amazonaws.${region}.`, `cn.com.amazonaws.${region}.`]) {
    if (!serviceName.startsWith(prefix)) continue;
    const key = serviceName.slice(prefix.length);
    return key.endsWith('-fips') ? key.slice(0, -'-fips'.length) : key;
  }
  const sagemaker = `aws.sagemaker.${region}.`;
  if (serviceName.startsWith(sagemaker)) return `aws.sagemaker.${serviceName.slice(sagemaker.length)}`;
  return serviceName;
}

/** The AWS service name of a service key in a scope: `com.amazonaws.us-east-1.sts`. */
export function awsServiceName(
  scope: Pick<RegionInventory, 'partition' | 'region'>,
  service: string,
): string {
  if (service.startsWith('aws.sagemaker.'))
    return `aws.sagemaker.${scope.region}.${service.slice('aws.sagemaker.'.length)}`;
  const prefix = scope.partition === 'aws-cn' ? 'cn.com.amazonaws' : 'com.amazonaws';
  return `${prefix}.${scope.region}.${service}`;
}

/** Endpoint type comparisons are case-insensitive (the API says Interface, Gateway, ...). */
export function isEndpointType(e: Pick<VpcEndpoint, 'vpcEndpointType'>, type: string): boolean {
  return e.vpcEndpointType.toLowerCase() === type.toLowerCase();
}

const endpointMaps = new WeakMap<ScopeIndex, Map<string, VpcEndpoint>>();

function endpointsById(index: ScopeIndex): Map<string, VpcEndpoint> {
  let map = endpointMaps.get(index);
  if (!map) {
    map = new Map(index.scope.vpcEndpoints.map((e) => [e.vpcEndpointId, e]));
    endpointMaps.set(index, map);
  }
  return map;
}

// ---------------------------------------------------------------- routes

function destinationOf(route: Route): string {
  return route.destinationCidrBlock ?? route.destinationIpv6CidrBlock ?? route.destinationPrefixListId ?? '?';
}

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
      destination: destinationOf(route),
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

// ---------------------------------------------------------------- labels

/** "training job train-1" (one wording for ML resources, in route-util.ts). */
export { mlLabel as placementLabel } from './routes.ts';

/** "a, b, c and 2 more". */
export function listText(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items.join('');
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
