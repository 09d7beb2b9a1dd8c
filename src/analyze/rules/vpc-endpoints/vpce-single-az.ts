import { z } from 'zod';
import { mlLabel, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import { endpointService, isEndpointType, isLiveEndpoint } from '../../aws/vpc-endpoints.ts';
import { vpcEndpointResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { listText } from '../../engine/words.ts';

export default defineRule({
  meta: {
    id: 'vpce-single-az',
    title: 'Interface endpoint used by ML resources sits in a single Availability Zone',
    severity: 'LOW',
    category: 'vpc-endpoints',
    rationale:
      'An interface endpoint has network interfaces only in the subnets it was created in. With one AZ, an outage of that AZ cuts every ML resource in the VPC off from the service (SageMaker API, STS, logs, ECR, ...), and resources in other AZs pay cross-AZ data charges on every call.',
    remediation:
      'Add a subnet in each other Availability Zone the ML subnets use to the endpoint (ModifyVpcEndpoint --add-subnet-ids).',
    references: [],
    docs: `Fails for each live **interface** endpoint (state available, pending, pendingAcceptance, or absent) in a VPC holding ML resources whose traffic uses the VPC (Studio domains in VpcOnly mode, notebooks without direct internet access, jobs and models with a VpcConfig), when all of the endpoint's subnets are in **one** Availability Zone. The evidence names the endpoint's AZ and the AZs of the ML subnets.

Does not fail: an endpoint with subnets in two or more AZs; an endpoint in a VPC without ML resources (or only ML resources with SageMaker's own internet access); gateway endpoints (regional, no AZ).

Does not guess: when any of the endpoint's subnets is unknown or has no AZ in the inventory, the endpoint is skipped.`,
    needs: ['vpcEndpoints', 'subnets', ...PLACEMENT_NEEDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const subnets = index.subnets();
    const mlByVpc = index.mlByVpc();
    return scope.vpcEndpoints.flatMap((e) => {
      if (!isEndpointType(e, 'Interface') || !isLiveEndpoint(e)) return [];
      const users = (mlByVpc.get(e.vpcId) ?? []).filter((p) => !p.sagemakerManagedInternet);
      if (users.length === 0 || e.subnetIds.length === 0) return [];
      const azs = e.subnetIds.map(
        (s) => subnets.get(s)?.availabilityZone ?? subnets.get(s)?.availabilityZoneId,
      );
      if (azs.some((az) => az === undefined)) return [];
      const distinct = [...new Set(azs as string[])];
      if (distinct.length !== 1) return [];
      const az = distinct[0]!;
      const mlAzs = [
        ...new Set(
          users.flatMap((p) =>
            p.subnetIds.flatMap((s) => {
              const sub = subnets.get(s);
              const a = sub?.availabilityZone ?? sub?.availabilityZoneId;
              return a ? [a] : [];
            }),
          ),
        ),
      ].sort();
      const elsewhere = mlAzs.filter((a) => a !== az);
      const service = endpointService(e.serviceName, scope.region);
      return [
        {
          resource: vpcEndpointResource(scope, e),
          message: `Interface endpoint ${e.vpcEndpointId} (${service}) in ${e.vpcId} has subnets in ${az} only, while ${listText(users.map(mlLabel))} use${users.length === 1 ? 's' : ''} the VPC${elsewhere.length ? ` from ${listText(mlAzs, mlAzs.length)}` : ''}: an outage of ${az} cuts them off from ${service}.`,
          evidence: {
            vpcId: e.vpcId,
            serviceName: e.serviceName,
            availabilityZone: az,
            subnetIds: e.subnetIds,
            mlAvailabilityZones: mlAzs,
            mlResources: users.map((p) => p.resource.id),
          },
          remediation: `Add a subnet in ${elsewhere.length ? listText(elsewhere, elsewhere.length) : 'a second Availability Zone'} to ${e.vpcEndpointId} (aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${e.vpcEndpointId} --add-subnet-ids <subnet>)${elsewhere.length ? '' : ', and spread the ML subnets across AZs'}.`,
        },
      ];
    });
  },
});
