/**
 * The exits: where traffic leaves the VPC, and what is recorded when it does.
 * - Internet gateway: IPv4 needs a public address (the resource's ENI public IP, or the subnet's
 *   auto-assign); global IPv6 needs none (the subnet has an IPv6 CIDR and assigns on create, or the ENI
 *   has an IPv6 address). An egress-only internet gateway carries outbound IPv6 only, never inbound.
 * - Transit gateways, VPN gateways, appliances (ENI / instance), carrier / local gateways, Cloud WAN:
 *   traffic leaves the modelled network there (exit 'other'); the engine does not follow it, so the
 *   reachability rules count it as possible egress (conservative) and exposure never calls it the
 *   internet: it "leaves the modelled network via tgw-…" (a centralised egress VPC behind a transit
 *   gateway, or a blackhole route in the transit gateway's own table, is not read).
 */

import { describeTarget } from '../../aws/routes.ts';
import type { FlowSet } from '../../net/index.ts';
import { AddrSet } from '../../net/index.ts';
import type { ExitKind, Hop } from '../types.ts';
import { block, type PathContext, type RouteStep, type WalkState } from '../walk.ts';
import { describeFlows } from '../words.ts';
import { internetReturn } from './return.ts';

/** An internet gateway of the VPC: IPv4 from a public address (the NAT's after a NAT), global IPv6. */
export function toInternetGateway(ctx: PathContext, step: RouteStep): void {
  const { state, target, subnet, addrs, flows } = step;
  if (subnet && !ctx.igwVpcs.get(target.id)?.has(subnet.vpcId)) return;
  const v4 = addrs.intersect(AddrSet.allV4());
  const v6 = addrs.intersect(AddrSet.allV6());
  let ok = AddrSet.empty();
  const natPublic =
    state.nat && (state.nat.connectivityType ?? 'public') !== 'private' && state.nat.publicIps.length > 0;
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
    block(state, step.out, step.hops, at, 'no-public-ip', flows.restrictAddrs(v4));
  }
  if (!state.nat && state.v6) ok = ok.union(v6);
  leave(ctx, step, 'internet', flows.restrictAddrs(ok), {
    kind: 'igw',
    id: target.id,
    text: `internet gateway ${target.id}, then the internet`,
  });
}

/** An egress-only internet gateway: outbound IPv6 from the ENI itself (never after a NAT), no IPv4. */
export function toEgressOnlyGateway(ctx: PathContext, step: RouteStep): void {
  const { state, target, addrs, flows } = step;
  const v6 = addrs.intersect(AddrSet.allV6());
  const v4 = addrs.intersect(AddrSet.allV4());
  if (!v4.isEmpty()) {
    const at: Hop = {
      kind: 'eigw',
      id: target.id,
      text: `egress-only internet gateway ${target.id} carries IPv6 only`,
    };
    block(state, step.out, step.hops, at, 'egress-only', flows.restrictAddrs(v4));
  }
  const ok = state.nat || !state.v6 ? AddrSet.empty() : v6;
  leave(ctx, step, 'internet', flows.restrictAddrs(ok), {
    kind: 'eigw',
    id: target.id,
    text: `egress-only internet gateway ${target.id} (outbound IPv6), then the internet`,
  });
}

/** A target we do not model (transit gateway, VPN, appliance ENI or instance, ...): it leaves the VPC. */
export function toOtherNetwork(ctx: PathContext, step: RouteStep): void {
  const { target } = step;
  leave(ctx, step, 'other', step.flows, {
    kind: 'other-network',
    id: target.id,
    text: `leaves the modelled network via ${describeTarget(target)} (not followed)`,
  });
}

/**
 * The traffic leaves the model at the route's target through hop `last`: an egress path for what the
 * NACLs crossed let back in, a blocked path (the NACLs, on the return) for the rest.
 */
export function leave(
  ctx: PathContext,
  step: RouteStep,
  exit: ExitKind,
  flows: FlowSet,
  last: Hop,
  state: WalkState = step.state,
): void {
  if (flows.isEmpty()) return;
  const exitId = step.target.id;
  const hops = step.hops;
  const ok = flows.intersect(state.returnOk);
  const blocked = flows.subtract(state.returnOk);
  if (!blocked.isEmpty()) {
    const at: Hop = {
      kind: 'nacl',
      id: state.naclIds.join(','),
      text: `NACL ${state.naclIds.join(', ')} blocks the return traffic (inbound ephemeral 1024-65535) of ${describeFlows(blocked)}`,
    };
    block(state, step.out, [...hops, last], at, 'nacl-return', blocked);
  }
  if (ok.isEmpty()) return;
  const back =
    exit === 'internet'
      ? internetReturn(ctx, state, exitId)
      : { returnFirewalls: [...state.returnFirewalls], asymmetry: undefined };
  step.out.egress.push({
    subnetId: state.origin,
    exit,
    exitId,
    hops: [...hops, last],
    flows: ok,
    routed: step.addrs,
    firewalls: state.firewalls,
    returnFirewalls: back.returnFirewalls,
    natted: state.nat !== undefined,
    ...(back.asymmetry ? { asymmetry: back.asymmetry } : {}),
  });
}
