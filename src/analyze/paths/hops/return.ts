/**
 * The way back: which firewalls the return traffic crosses (a NAT subnet's route back to the origin, an
 * internet gateway's edge route table to the host), and where it differs from the way out.
 */
import type { AddrSet } from '../../net/index.ts';
import { lookupRoutes } from '../../net/index.ts';
import { type PathContext, sourceAddrs, type WalkState } from '../walk.ts';

/** The firewall (by name) a subnet's table sends traffic for `dest` to, if any. */
export function returnFirewallVia(ctx: PathContext, subnetId: string, dest: AddrSet): string | undefined {
  const eff = ctx.subnetTable(subnetId);
  if (!eff || dest.isEmpty()) return undefined;
  for (const m of lookupRoutes(eff.compiled, dest).matches) {
    const fw = ctx.firewallByEndpoint.get(m.route.route.target.id);
    if (fw) return fw.firewall.firewallName;
  }
  return undefined;
}

/**
 * The return from the internet through internet gateway `exitId`: the firewalls it crosses (those met
 * on the way, plus the one the gateway's edge route sends the host's traffic to) and, when that set
 * differs from the firewalls of the way out, the asymmetry in words.
 */
export function internetReturn(
  ctx: PathContext,
  state: WalkState,
  exitId: string,
): { returnFirewalls: string[]; asymmetry?: string } {
  const returnFirewalls = [...state.returnFirewalls];
  let asymmetry: string | undefined;
  const edgeId = ctx.edgeTables.get(exitId);
  const edge = edgeId ? ctx.compiledTable(edgeId) : undefined;
  const host = state.nat ? state.nat.subnetId : state.origin;
  const hostAddrs = sourceAddrs(ctx, state);
  let viaEdge: string | undefined;
  if (edge) {
    for (const m of lookupRoutes(edge, hostAddrs).matches) {
      const fw = ctx.firewallByEndpoint.get(m.route.route.target.id);
      if (fw) viaEdge = fw.firewall.firewallName;
    }
  }
  if (viaEdge) returnFirewalls.push(viaEdge);
  const forward = new Set(state.firewalls.map((f) => f.firewallName));
  const back = new Set(returnFirewalls);
  const missing = [...forward].filter((f) => !back.has(f));
  const extra = [...back].filter((f) => !forward.has(f));
  if (missing.length > 0)
    asymmetry = edge
      ? `the edge route table ${edgeId} of ${exitId} does not send return traffic for ${host} back through firewall ${missing.join(', ')}`
      : `${exitId} has no edge route table: return traffic for ${host} bypasses firewall ${missing.join(', ')}`;
  else if (extra.length > 0)
    asymmetry = `return traffic for ${host} crosses firewall ${extra.join(', ')} that the outbound path does not`;
  return { returnFirewalls, ...(asymmetry ? { asymmetry } : {}) };
}
