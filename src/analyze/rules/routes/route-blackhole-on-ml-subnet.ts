import { z } from 'zod';
import type { RouteTable } from '../../../inventory/schema.ts';
import type { MlPlacement } from '../../aws/ml-placements.ts';
import { mlEvidence, mlListLabel, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import { describeTarget, routeDestination, routeEvidence } from '../../aws/routes.ts';
import { routeTableResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';
import { listLabel } from '../../engine/words.ts';

interface TableUse {
  table: RouteTable;
  /** ML subnets that use the table, and whether by explicit association. */
  subnets: { subnetId: string; explicit: boolean }[];
  placements: Set<MlPlacement>;
}

export default defineRule({
  meta: {
    id: 'route-blackhole-on-ml-subnet',
    title: 'Route table of an ML subnet has a blackhole route',
    severity: 'MEDIUM',
    category: 'routes',
    rationale:
      'A route whose target was deleted (a NAT gateway, a VPC or firewall endpoint, an instance or interface, a peering connection) stays in the table in the blackhole state and silently drops the traffic it matches. For ML subnets that usually means jobs that hang on S3, the SageMaker API or package downloads, and, if someone "fixes" it by pointing the route at an internet gateway, an unreviewed change of egress path.',
    remediation:
      'Point the route at a live target (a new NAT gateway, the firewall endpoint of the subnet’s AZ, a VPC endpoint) or delete it if the destination is no longer needed.',
    references: [],
    docs: `For each route table that is the **effective** table of at least one ML subnet (explicit association, else the main route table of the subnet's own VPC), fails for each route in the \`blackhole\` state. One finding per route (the resource is the route table); the message names the destination, the dead target and the ML subnets that use the table.

Does not fail: a blackhole route in a table no ML subnet uses; active routes.

Cannot see: whether the dead target's traffic has another path (a less specific route): the traffic the blackhole route matches is dropped regardless, since the most specific route wins.`,
    needs: ['routeTables', 'subnets', ...PLACEMENT_NEEDS],
    // Only to word a blackholed target as a firewall endpoint.
    optionalReads: ['firewalls'],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const uses = new Map<string, TableUse>();
    for (const [subnetId, placements] of index.mlBySubnet()) {
      const effective = index.effectiveRouteTable(subnetId);
      if (!effective?.table.routes.some((r) => r.state === 'blackhole')) continue;
      let use = uses.get(effective.table.routeTableId);
      if (!use) {
        use = { table: effective.table, subnets: [], placements: new Set() };
        uses.set(effective.table.routeTableId, use);
      }
      use.subnets.push({ subnetId, explicit: effective.explicit });
      for (const p of placements) use.placements.add(p);
    }
    if (uses.size === 0) return [];
    const firewallEndpoints = new Set(
      scope.firewalls.flatMap((f) => f.endpoints.flatMap((e) => (e.endpointId ? [e.endpointId] : []))),
    );
    const drafts: Draft[] = [];
    for (const { table, subnets, placements } of uses.values()) {
      const ml = [...placements];
      const main = subnets.some((s) => !s.explicit);
      const subnetIds = subnets.map((s) => s.subnetId);
      for (const route of table.routes) {
        if (route.state !== 'blackhole') continue;
        const destination = routeDestination(route);
        const target = describeTarget(route.target, firewallEndpoints);
        drafts.push({
          resource: routeTableResource(scope, table),
          key: destination,
          message: `Route table ${table.routeTableId}${main ? ` (the main route table of ${table.vpcId})` : ''} used by ML subnet${subnetIds.length === 1 ? '' : 's'} ${listLabel(subnetIds)} (${mlListLabel(ml)}) has a blackhole route: traffic to ${destination} goes to ${target}, which no longer exists, and is silently dropped.`,
          evidence: {
            vpcId: table.vpcId,
            route: routeEvidence(route),
            mlSubnets: subnets,
            mlResources: ml.map(mlEvidence),
          },
          remediation: `Replace the route ${destination} in ${table.routeTableId} with one to a live target (aws ec2 replace-route), or delete it (aws ec2 delete-route) if ${destination} is no longer needed.`,
        });
      }
    }
    return drafts;
  },
});
