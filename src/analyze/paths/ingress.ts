/**
 * The way in: what the internet can open to a placement's ENI through an internet gateway of its VPC.
 * The internet needs an address to reach (a public IPv4, a global IPv6), a route back out through the
 * same gateway (the subnet's own paths, not through a NAT), and to pass the gateway's edge route table
 * (a firewall there drops unsolicited inbound or not), the subnet's NACL both ways and the groups.
 */
import { AddrSet, FlowSet, GLOBAL_V6, lookupRoutes, PUBLIC_V4 } from '../net/index.ts';
import { subnetAddrs } from './filters.ts';
import type { EniPaths, Hop, IngressPath } from './types.ts';
import type { PathContext } from './walk.ts';
import { describeFlows } from './words.ts';

/** The ingress paths to one of a placement's ENIs, one per internet gateway that can reach it. */
export function ingressPaths(
  ctx: PathContext,
  enis: Pick<EniPaths, 'sgIn' | 'sgLabel'>,
  eni: EniPaths['perSubnet'][number],
): IngressPath[] {
  const { subnetId, pub4, v6, eniHop, walk } = eni;
  const { sgIn, sgLabel } = enis;
  const paths: IngressPath[] = [];
  const subnet = ctx.index.subnets().get(subnetId);
  if (!subnet) return paths;
  let sources = AddrSet.empty();
  if (pub4) sources = sources.union(PUBLIC_V4);
  if (v6) sources = sources.union(GLOBAL_V6);
  if (sources.isEmpty()) return paths;
  const nacl = ctx.naclFilters(subnetId);
  for (const igw of ctx.igwsByVpc.get(subnet.vpcId) ?? []) {
    // Route back: the subnet's own (non-NAT) paths out through this IGW.
    const back = walk.egress.filter((e) => e.exitId === igw && !e.natted);
    const routedBack = AddrSet.unionAll(back.map((e) => e.routed)).intersect(sources);
    if (routedBack.isEmpty()) continue;
    const hops: Hop[] = [{ kind: 'internet', id: 'internet', text: `the internet to ${igw}` }];
    const firewalls: string[] = [];
    let flows = FlowSet.all(routedBack);
    const edgeId = ctx.edgeTables.get(igw);
    const edge = edgeId ? ctx.compiledTable(edgeId) : undefined;
    if (edge) {
      for (const m of lookupRoutes(edge, subnetAddrs(subnet)).matches) {
        const fw = ctx.firewallByEndpoint.get(m.route.route.target.id);
        hops.push({
          kind: 'edge-route',
          id: edge.table.routeTableId,
          text: `edge route ${m.route.destination} to ${m.route.route.target.id} (${edge.table.routeTableId})`,
        });
        if (m.route.blackhole) flows = FlowSet.empty();
        if (fw) {
          const j = ctx.judge(fw.firewall, m.route.route.target.id, subnetAddrs(subnet));
          firewalls.push(fw.firewall.firewallName);
          if (j.unmatched.other.verdict === 'drop') flows = FlowSet.empty();
          hops.push({
            kind: 'firewall',
            id: m.route.route.target.id,
            text: `firewall ${fw.firewall.firewallName}: unsolicited inbound ${j.unmatched.other.verdict === 'drop' ? 'dropped' : 'passes'} (${j.unmatched.other.by})`,
          });
        }
      }
    }
    flows = flows.intersect(nacl.inFwd).intersect(nacl.inReturn).intersect(sgIn);
    if (flows.isEmpty()) continue;
    if (nacl.acl)
      hops.push({
        kind: 'nacl',
        id: nacl.acl.networkAclId,
        text: `NACL ${nacl.acl.networkAclId} ${nacl.inRules}allows in ${describeFlows(nacl.inFwd.intersect(sgIn))} and the return out`,
      });
    hops.push({
      kind: 'sg',
      id: sgLabel,
      text: `security groups ${sgLabel} allow in ${describeFlows(flows)}`,
    });
    hops.push(eniHop);
    paths.push({ subnetId, entry: igw, hops, flows, firewalls });
  }
  return paths;
}
