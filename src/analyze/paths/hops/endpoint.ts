/**
 * VPC endpoints: the private way to AWS APIs, and a route target.
 * - A gateway endpoint is the prefix-list route of its tables (S3 and DynamoDB addresses go to it, not
 *   to the internet); an interface endpoint is reached through its subnets' addresses and its security
 *   groups. Each private API path carries its endpoint policy (full, bounded by a condition,
 *   restricted, deny-all, unreadable); the rules and the exposure section count an endpoint whose
 *   policy allows nothing as no path (apiUsable).
 * - A `vpce-` route target that is no known VPC endpoint nor a firewall endpoint (e.g. a firewall whose
 *   sync states were empty) is an unknown appliance: traffic leaves the model there, uninspected as far
 *   as we can prove. A firewall's own endpoints are hops/firewall.ts.
 */
import type { SecurityGroup, VpcEndpoint } from '../../../inventory/schema.ts';
import { endpointPolicy, type PolicyAccess } from '../../aws/endpoint-policy.ts';
import { endpointService, isEndpointType, isLiveEndpoint } from '../../aws/vpc-endpoints.ts';
import { AddrSet, PUBLIC_V4, TCP } from '../../net/index.ts';
import { safeRuleSpace, subnetAddrs } from '../filters.ts';
import type { ApiAccess } from '../types.ts';
import type { PathContext, RouteStep } from '../walk.ts';
import { leave } from './exit.ts';

/**
 * A `vpce-` target that is no firewall endpoint: a gateway endpoint carries no internet traffic; anything
 * else is an appliance exit.
 */
export function toVpcEndpoint(ctx: PathContext, step: RouteStep): void {
  const { target, subnet } = step;
  const ep = ctx.endpoints.get(target.id);
  if (ep && isEndpointType(ep, 'Gateway')) return;
  const unknownFw = subnet
    ? (ctx.firewallVpcs.get(subnet.vpcId) ?? []).find((f) => f.endpoints.length === 0)
    : undefined;
  const text = ep
    ? `leaves the modelled network via ${ep.vpcEndpointType} endpoint ${target.id} (${ep.serviceName}, an appliance not followed)`
    : unknownFw
      ? `leaves the modelled network via unknown appliance ${target.id} (not a known VPC endpoint; firewall ${unknownFw.firewallName} in this VPC reported no endpoints)`
      : `leaves the modelled network via unknown appliance ${target.id} (not a known VPC endpoint or firewall endpoint)`;
  leave(ctx, step, 'appliance', step.flows, { kind: 'appliance', id: target.id, text });
}

/**
 * Add to `apis` the private API paths from a subnet with these groups: the VPC's live gateway endpoints
 * its table routes to, and the interface endpoints both sides' groups allow on tcp/443. An endpoint
 * already in `apis` (from another subnet) is not added twice; `apis` is kept sorted.
 */
export function addApiPaths(
  ctx: PathContext,
  apis: ApiAccess[],
  subnetId: string,
  groups: readonly SecurityGroup[],
): void {
  const subnet = ctx.index.subnets().get(subnetId);
  if (!subnet) return;
  const table = ctx.subnetTable(subnetId)?.compiled.table;
  const mine = new Set(groups.map((g) => g.groupId));
  const myAddrs = subnetAddrs(subnet);
  for (const ep of ctx.endpointsByVpc.get(subnet.vpcId) ?? []) {
    if (!isLiveEndpoint(ep)) continue;
    if (apis.some((a) => a.endpointId === ep.vpcEndpointId)) continue;
    const service = endpointService(ep.serviceName, ctx.index.scope.region);
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
        apis.push({
          service,
          endpointId: ep.vpcEndpointId,
          type: 'Gateway',
          privateDns: true,
          ...policyOf(ep),
        });
    } else if (isEndpointType(ep, 'Interface')) {
      const epAddrs = AddrSet.unionAll(ep.subnetIds.map((s) => subnetAddrs(ctx.index.subnets().get(s))));
      const epGroups = new Set(ep.groupIds);
      const out = groups.some((g) => allows443(g, true, epAddrs, epGroups));
      const sgs = ctx.index.securityGroups();
      const inn = ep.groupIds.some((id) => {
        const g = sgs.get(id);
        return g !== undefined && allows443(g, false, myAddrs, mine);
      });
      if (out && inn)
        apis.push({
          service,
          endpointId: ep.vpcEndpointId,
          type: 'Interface',
          privateDns: ep.privateDnsEnabled,
          ...policyOf(ep),
        });
    }
  }
  apis.sort((a, b) => a.service.localeCompare(b.service) || a.endpointId.localeCompare(b.endpointId));
}

/**
 * Whether a group has a rule in one direction on tcp/443 toward `addrs`: a CIDR overlapping them, a
 * reference to one of the `peers` groups, or the prefix list `pl`.
 */
function allows443(
  g: SecurityGroup,
  egress: boolean,
  addrs: AddrSet,
  peers: Set<string>,
  pl?: string,
): boolean {
  return g.rules.some((rule) => {
    if (rule.egress !== egress) return false;
    if (
      safeRuleSpace(rule.ipProtocol, rule.fromPort, rule.toPort, AddrSet.all()).addrsFor(TCP, 443).isEmpty()
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
}

function policyOf(ep: VpcEndpoint): { policy: PolicyAccess; policySummary: string } {
  const p = endpointPolicy(ep);
  return { policy: p.access, policySummary: p.summary };
}
