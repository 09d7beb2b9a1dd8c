import { z } from 'zod';
import type { RouteTable, VpcEndpoint } from '../../../inventory/schema.ts';
import type { MlPlacement } from '../../aws/ml-placements.ts';
import { mlLabel, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import { ROUTE_NEEDS, subnetInternetEgress } from '../../aws/routes.ts';
import { endpointService, isEndpointType, isLiveEndpoint } from '../../aws/vpc-endpoints.ts';
import { routeTableResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { listText } from '../../engine/words.ts';

interface UnroutedTable {
  table: RouteTable;
  explicit: boolean;
  subnets: Map<string, MlPlacement[]>;
}

/** Whether a route table sends S3 to one of the gateway endpoints (association, or its prefix-list route). */
function routed(table: RouteTable, gateways: readonly VpcEndpoint[]): boolean {
  const ids = new Set(gateways.map((g) => g.vpcEndpointId));
  return (
    gateways.some((g) => g.routeTableIds.includes(table.routeTableId)) ||
    table.routes.some(
      (r) => r.target.kind === 'vpcEndpoint' && ids.has(r.target.id) && r.state.toLowerCase() !== 'blackhole',
    )
  );
}

export default defineRule({
  meta: {
    id: 'vpce-s3-gateway-not-routed',
    title: "S3 gateway endpoint is not associated with an ML subnet's route table",
    severity: 'MEDIUM',
    category: 'vpc-endpoints',
    rationale:
      'A gateway endpoint only carries traffic for the route tables associated with it. An ML subnet whose route table is not associated sends its S3 traffic (training data, model artifacts, checkpoints) out through the NAT gateway or internet gateway instead: data leaves the AWS network path you built, bypasses the endpoint policy and S3 bucket policies keyed on aws:SourceVpce, and pays NAT processing charges; with no egress at all, S3 is simply unreachable.',
    remediation:
      "Associate the ML subnets' route tables with the VPC's S3 gateway endpoint (ModifyVpcEndpoint --add-route-table-ids), or give those subnets a route table that is already associated.",
    references: [],
    docs: `Fails once per **route table** (the resource of the finding) that governs a subnet holding ML resources, in a VPC that has a live S3 gateway endpoint (\`com.amazonaws.<region>.s3\`, type Gateway, state available / pending / pendingAcceptance or absent), when the table is associated with **none** of the VPC's S3 gateway endpoints. The effective table is the subnet's explicit association, else its VPC's main table (the evidence says which). A table counts as associated when it is in an endpoint's RouteTableIds or holds a non-blackhole route to the endpoint (the S3 prefix-list route the association adds). The evidence names the endpoints, the ML subnets and resources on the table, and where the table sends S3 traffic instead (a NAT gateway, an internet gateway, ... or nowhere).

ML resources count when their traffic uses the VPC: resources with SageMaker's own internet access (notebook DirectInternetAccess Enabled, Studio PublicInternetOnly) do not send S3 traffic through the VPC's route tables and are left out; network-isolated jobs and models count (SageMaker moves their S3 data through the VPC).

Does not fail: a VPC without an S3 gateway endpoint (vpce-ml-missing-endpoints judges that); an ML subnet whose table is associated with any of the VPC's S3 gateway endpoints; a table that only non-ML subnets use; an S3 **interface** endpoint (it needs no route).

Cannot see: S3 traffic that an application sends to an S3 interface endpoint's DNS names, and subnets whose route table is unknown (listed in no finding).`,
    needs: ['vpcEndpoints', ...ROUTE_NEEDS, ...PLACEMENT_NEEDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const gatewaysByVpc = new Map<string, VpcEndpoint[]>();
    for (const e of scope.vpcEndpoints) {
      if (!isEndpointType(e, 'Gateway') || !isLiveEndpoint(e)) continue;
      if (endpointService(e.serviceName, scope.region) !== 's3') continue;
      const list = gatewaysByVpc.get(e.vpcId);
      if (list) list.push(e);
      else gatewaysByVpc.set(e.vpcId, [e]);
    }
    const subnets = index.subnets();

    return [...index.mlByVpc()].flatMap(([vpcId, placements]) => {
      const gateways = gatewaysByVpc.get(vpcId);
      if (!gateways) return [];
      const unrouted = new Map<string, UnroutedTable>();
      for (const p of placements) {
        if (p.sagemakerManagedInternet) continue;
        for (const subnetId of p.subnetIds) {
          const subnet = subnets.get(subnetId);
          if (subnet && subnet.vpcId !== vpcId) continue;
          const effective = index.effectiveRouteTable(subnetId);
          if (!effective || routed(effective.table, gateways)) continue;
          const id = effective.table.routeTableId;
          let entry = unrouted.get(id);
          if (!entry) {
            entry = { table: effective.table, explicit: effective.explicit, subnets: new Map() };
            unrouted.set(id, entry);
          }
          const list = entry.subnets.get(subnetId);
          if (list) list.push(p);
          else entry.subnets.set(subnetId, [p]);
        }
      }

      return [...unrouted.values()].map(({ table, explicit, subnets: onTable }) => {
        const rt = table.routeTableId;
        const subnetIds = [...onTable.keys()];
        const resources = [...new Set([...onTable.values()].flat())];
        const firstSubnet = subnetIds[0] ?? '';
        const egress = subnetInternetEgress(firstSubnet, index);
        const hop = egress.routes[0];
        const instead = hop
          ? `S3 traffic from them leaves by ${hop.target} ${hop.targetId} (${hop.destination})`
          : 'they have no other path to S3 (no internet egress)';
        const endpointIds = gateways.map((g) => g.vpcEndpointId);
        return {
          resource: routeTableResource(scope, table),
          message: `Route table ${rt}${explicit ? '' : ` (main table of ${vpcId})`} of ML subnet${subnetIds.length > 1 ? 's' : ''} ${listText(subnetIds)} (${listText(resources.map(mlLabel))}) is not associated with S3 gateway endpoint ${listText(endpointIds, endpointIds.length)}: ${instead}.`,
          evidence: {
            vpcId,
            routeTableId: rt,
            mainTableFallback: !explicit,
            s3GatewayEndpoints: gateways.map((g) => ({
              vpcEndpointId: g.vpcEndpointId,
              serviceName: g.serviceName,
              routeTableIds: g.routeTableIds,
            })),
            mlSubnets: [...onTable].map(([subnetId, ps]) => ({
              subnetId,
              resources: ps.map((p) => p.resource.id),
            })),
            s3PathInstead: hop
              ? { target: hop.target, targetId: hop.targetId, destination: hop.destination }
              : null,
          },
          remediation: `Associate ${rt} with ${endpointIds[0]} (aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${endpointIds[0]} --add-route-table-ids ${rt})${explicit ? '' : `, or give ${listText(subnetIds)} an explicit route table that is associated`}.`,
        };
      });
    });
  },
});
