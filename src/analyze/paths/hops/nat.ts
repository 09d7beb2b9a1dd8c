/**
 * The NAT hop. A NAT gateway (state available) rewrites the source (IPv4 only), then its own subnet's
 * route table applies; a private NAT gateway cannot use an internet gateway (hops/exit.ts). Return
 * traffic is implied; the return from the NAT subnet to the origin follows the NAT subnet's table.
 */
import { AddrSet } from '../../net/index.ts';
import { subnetAddrs } from '../filters.ts';
import type { Hop } from '../types.ts';
import { block, crossInto, type PathContext, type RouteStep } from '../walk.ts';
import { returnFirewallVia } from './return.ts';

/** A NAT gateway: blocked unless available; else the IPv4 flows walk on from its subnet, source rewritten. */
export function toNatGateway(ctx: PathContext, step: RouteStep): void {
  const { state, target, flows } = step;
  const nat = ctx.nats.get(target.id);
  if (nat?.state.toLowerCase() !== 'available') {
    const at: Hop = {
      kind: 'nat',
      id: target.id,
      text: `NAT gateway ${target.id} is ${nat ? nat.state : 'not in the inventory'}`,
    };
    block(state, step.out, step.hops, at, 'nat-unavailable', flows);
    return;
  }
  const natHop: Hop = {
    kind: 'nat',
    id: nat.natGatewayId,
    text: `NAT gateway ${nat.natGatewayId} in ${nat.subnetId} rewrites the source${nat.publicIps.length ? ` to ${nat.publicIps.join(', ')}` : ''}`,
  };
  const back = returnFirewallVia(ctx, nat.subnetId, subnetAddrs(ctx.index.subnets().get(state.origin)));
  crossInto(ctx, step, {
    subnetId: nat.subnetId,
    what: 'NAT subnet',
    hop: natHop,
    flows: flows.restrictAddrs(AddrSet.allV4()),
    after: {
      returnFirewalls: back ? [...state.returnFirewalls, back] : state.returnFirewalls,
      nat,
    },
  });
}
