import { z } from 'zod';
import type { VpcPeeringConnection } from '../../../inventory/schema.ts';
import { routeEvidence } from '../../aws/routes.ts';
import { routeTableResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';
import { AddrSet, isWorldCidr } from '../../net/index.ts';

type PeerInfo = VpcPeeringConnection['requesterVpc'];

/** The side of the peering that is not `vpcId`; undefined when neither or both sides are. */
function peerSide(p: VpcPeeringConnection, vpcId: string): PeerInfo | undefined {
  const req = p.requesterVpc.vpcId === vpcId;
  const acc = p.accepterVpc.vpcId === vpcId;
  if (req === acc) return undefined;
  return req ? p.accepterVpc : p.requesterVpc;
}

export default defineRule({
  meta: {
    id: 'route-peering-too-broad',
    title: 'Peering route covers the internet or a whole peer VPC CIDR',
    severity: 'MEDIUM',
    category: 'routes',
    rationale:
      'Peering routes decide which of the peer VPC’s hosts a subnet can reach. A route for the whole peer CIDR (or, worse, the default route) makes every host of the peer reachable, so a breach on either side spreads across the peering. CIS asks for peering routes that are "least access": only the subnets or hosts the peering exists for.',
    remediation:
      'Replace the broad route with routes to the specific peer subnets (or hosts) the workload needs: aws ec2 delete-route, then aws ec2 create-route --destination-cidr-block <peer subnet> --vpc-peering-connection-id <pcx>.',
    references: ['CIS 5.6'],
    docs: `For each route table, each route whose target is a VPC peering connection (and whose state is not \`blackhole\`) fails when its destination is world (\`0.0.0.0/0\`, \`::/0\` or another internet-wide CIDR per rules.md), or when it equals or contains a whole CIDR block (primary or secondary, IPv4 or IPv6) of the **peer** VPC: the side of the peering that is not the route table's own VPC, as DescribeVpcPeeringConnections reports it. One finding per route (resource: the route table).

Does not fail: a route to one subnet of the peer (say a /24 of a /16 peer); a route narrower than every peer CIDR block.

Cannot see: a peering connection missing from the inventory (deleted, rejected or expired peerings are dropped by the collector): only the world-destination case is judged for it, and the evidence says so. A route whose destination is a prefix list is not judged.`,
    needs: ['routeTables', 'vpcPeeringConnections'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const peerings = new Map(scope.vpcPeeringConnections.map((p) => [p.vpcPeeringConnectionId, p]));
    const drafts: Draft[] = [];
    for (const table of scope.routeTables) {
      for (const route of table.routes) {
        if (route.target.kind !== 'vpcPeeringConnection' || route.state === 'blackhole') continue;
        const destination = route.destinationCidrBlock ?? route.destinationIpv6CidrBlock;
        if (destination === undefined) continue;
        const pcx = route.target.id;
        const peering = peerings.get(pcx);
        const peer = peering ? peerSide(peering, table.vpcId) : undefined;
        const peerName = peer?.vpcId ?? 'the peer VPC';
        let why: string;
        let covered: string[] = [];
        if (isWorldCidr(destination)) {
          why = `an internet-wide destination, so everything ${peerName} exposes over the peering is reachable`;
        } else {
          if (!peer) continue;
          const dest = AddrSet.fromCidr(destination);
          covered = [...peer.cidrBlocks, ...peer.ipv6CidrBlocks].filter((c) =>
            dest.contains(AddrSet.fromCidr(c)),
          );
          if (covered.length === 0) continue;
          why = `it covers the whole CIDR ${covered.join(', ')} of peer VPC ${peerName}, so every host of ${peerName} is reachable`;
        }
        drafts.push({
          resource: routeTableResource(scope, table),
          key: `${pcx}:${destination}`,
          message: `Route table ${table.routeTableId} (${table.vpcId}) routes ${destination} to peering connection ${pcx}: ${why}.`,
          evidence: {
            vpcId: table.vpcId,
            route: routeEvidence(route),
            vpcPeeringConnectionId: pcx,
            peeringKnown: peering !== undefined,
            peerVpc: peer ?? null,
            coveredPeerCidrs: covered,
          },
          remediation: `Replace the route ${destination} -> ${pcx} in ${table.routeTableId} with routes to the specific subnets of ${peerName} this VPC needs to reach.`,
        });
      }
    }
    return drafts;
  },
});
