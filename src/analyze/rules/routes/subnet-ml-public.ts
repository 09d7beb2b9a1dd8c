import { z } from 'zod';
import { mlEvidence, mlListLabel, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import {
  describeTarget,
  isWorldDestination,
  routeDestination,
  routeEvidence,
  tableLabel,
} from '../../aws/routes.ts';
import { subnetResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'subnet-ml-public',
    title: 'ML resource placed in a public subnet (default route to an internet gateway)',
    severity: 'HIGH',
    category: 'routes',
    rationale:
      'A subnet whose route table sends the default route to an internet gateway is public: anything in it with a public address is reachable from, and reaches, the internet directly, with no NAT, firewall or endpoint in the path. Notebooks, Studio apps, training and processing jobs and model containers hold data and credentials and belong in private subnets.',
    remediation:
      'Place the ML resources in private subnets whose route table sends internet-bound traffic to a NAT gateway (ideally through AWS Network Firewall), or nowhere at all with VPC endpoints for SageMaker, S3, STS and CloudWatch Logs; or remove the internet gateway route from the subnet’s route table.',
    references: [],
    docs: `For each subnet that holds an ML placement (rules.md: a Studio domain, notebook instance, training or processing job or model whose configuration names the subnet, whether or not an ENI exists now), takes the **effective route table**: the table explicitly associated with the subnet, else the main route table of the subnet's **own** VPC (never another VPC's main table). Fails when that table has an **active** route whose destination is world (\`0.0.0.0/0\`, \`::/0\`, or any other internet-wide CIDR per rules.md, or a customer-managed prefix list holding one) and whose target is an internet gateway (\`igw-\`). One finding per subnet; the evidence names the table, whether it is explicit or the main table, the route and the ML resources.

Does not fail: a default route to a NAT gateway, a Network Firewall or Gateway Load Balancer endpoint (\`vpce-\`), a transit gateway or an egress-only internet gateway; a blackholed internet-gateway route (see route-blackhole-on-ml-subnet); an internet-gateway route for a narrower, non-world destination; a public subnet that holds no ML resource; a subnet without explicit association whose own VPC's main table is private, whatever other VPCs' main tables say.

Cannot see: a subnet the placement names that is not in the inventory (deleted, or in another account); a route whose destination is an AWS-managed or unreadable prefix list (not counted as world). Whether the resources actually have public addresses is judged by subnet-ml-auto-public-ip and the reachability rules.`,
    // prefixLists: a default route may name a prefix list whose entries cover the world.
    needs: ['routeTables', 'subnets', 'prefixLists', ...PLACEMENT_NEEDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const subnets = index.subnets();
    const prefixLists = index.prefixLists();
    const drafts: Draft[] = [];
    for (const [subnetId, placements] of index.mlBySubnet()) {
      const subnet = subnets.get(subnetId);
      if (!subnet) continue;
      const effective = index.effectiveRouteTable(subnetId);
      if (!effective) continue;
      const igwRoutes = effective.table.routes.filter(
        (r) =>
          r.state === 'active' && r.target.kind === 'internetGateway' && isWorldDestination(r, prefixLists),
      );
      const first = igwRoutes[0];
      if (!first) continue;
      const routes = igwRoutes
        .map((r) => `${routeDestination(r)} to ${describeTarget(r.target)}`)
        .join(' and ');
      drafts.push({
        resource: subnetResource(scope, subnet),
        message: `Subnet ${subnetId} (${subnet.vpcId}) holds ML resources (${mlListLabel(placements)}), and its route table ${tableLabel(effective.table, effective.explicit)} sends ${routes}: the ML resources sit in a public subnet.`,
        evidence: {
          vpcId: subnet.vpcId,
          routeTableId: effective.table.routeTableId,
          association: effective.explicit ? 'explicit' : 'main',
          internetGatewayRoutes: igwRoutes.map(routeEvidence),
          mlResources: placements.map(mlEvidence),
          mapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
        },
        remediation: `Move ${mlListLabel(placements)} to a private subnet (default route to a NAT gateway or firewall endpoint, or none with VPC endpoints), or replace the route ${routeDestination(first)} -> ${first.target.id} in ${effective.table.routeTableId}${effective.explicit ? '' : ` (the main route table of ${effective.table.vpcId}: better, associate ${subnetId} with a private route table)`}.`,
      });
    }
    return drafts;
  },
});
