/**
 * The route hop: each subnet crossed sends each destination where its route table says.
 * - Route tables: longest-prefix match over CIDR and prefix-list routes incl. local (net/routes.ts); the
 *   effective table is the explicit association, else the main table of the subnet's own VPC; blackhole
 *   routes drop (and are reported as the blocked hop); an internet gateway's edge route table decides
 *   where return traffic from the internet goes (hops/return.ts, ingress.ts).
 * - VPC peering: no edge-to-edge routing, so internet-bound traffic routed to a peering connection is
 *   dropped (the peer's internet or NAT gateway cannot be used); reported as the blocked hop.
 */
import { lookupRoutes } from '../../net/index.ts';
import type { Hop, SubnetWalk } from '../types.ts';
import { block, type PathContext, type RouteStep, type WalkState } from '../walk.ts';

/** The routes of a subnet's effective table for the flows still going; without a table, a blocked path. */
export function routeSteps(
  ctx: PathContext,
  subnetId: string,
  state: WalkState,
  out: SubnetWalk,
  depth: number,
): RouteStep[] {
  const eff = ctx.subnetTable(subnetId);
  const subnet = ctx.index.subnets().get(subnetId);
  if (!eff) {
    const hop: Hop = { kind: 'route', id: subnetId, text: `no route table found for ${subnetId}` };
    block(state, out, state.hops, hop, 'no-route-table', state.flows);
    return [];
  }
  const table = eff.compiled;
  const rtId = table.table.routeTableId;
  return lookupRoutes(table, state.flows.addrs()).matches.map((m) => {
    const route = m.route;
    const target = route.route.target;
    const routeHop: Hop = {
      kind: 'route',
      id: rtId,
      text: `in ${subnetId} route ${route.destination} to ${target.id} (${rtId}${eff.explicit ? '' : ', main table'})`,
    };
    return {
      state,
      out,
      depth,
      subnet,
      target,
      blackhole: route.blackhole,
      addrs: m.addrs,
      flows: state.flows.restrictAddrs(m.addrs),
      routeHop,
      hops: [...state.hops, routeHop],
    };
  });
}

/** A blackhole route: its target is gone, the traffic is dropped here. */
export function blackholed(step: RouteStep): void {
  const { state, routeHop } = step;
  const at: Hop = {
    ...routeHop,
    text: `${routeHop.text} is a blackhole (target ${step.target.id} is gone)`,
  };
  block(state, step.out, state.hops, at, 'blackhole', step.flows);
}

/**
 * No edge-to-edge routing: traffic over a peering connection must end on an interface in the peer VPC,
 * so the peer's internet, NAT or VPN gateways never carry it to the internet.
 */
export function toPeering(step: RouteStep): void {
  const { state, target } = step;
  const at: Hop = {
    kind: 'route',
    id: target.id,
    text: `${step.routeHop.text}: a VPC peering connection carries no traffic to the internet (the peer VPC's gateways cannot be used: no edge-to-edge routing)`,
  };
  block(state, step.out, state.hops, at, 'peering-no-transit', step.flows);
}
