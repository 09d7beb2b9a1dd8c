import { z } from 'zod';
import type { MlPlacement } from '../../aws/ml-placements.ts';
import { mlLabel, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import {
  awsServiceName,
  endpointService,
  isLiveEndpoint,
  LIVE_ENDPOINT_STATES,
} from '../../aws/vpc-endpoints.ts';
import { resourceOfKind, vpcResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { listText } from '../../engine/words.ts';
import {
  EGRESS_NEEDS,
  hasInternetEgress,
  type InternetEgress,
  internetEgress,
} from '../../paths/ml-egress.ts';

const service = z.string().min(1);

const Options = z
  .object({
    /** Services every ML resource without internet egress needs (service name after com.amazonaws.<region>.). */
    services: z.array(service).default(['sagemaker.api', 'sagemaker.runtime', 'sts', 'logs', 's3']),
    /** Added when a job or model without egress runs an image from ECR. */
    ecrServices: z.array(service).default(['ecr.api', 'ecr.dkr']),
    /**
     * What a network-isolated job or model still needs: SageMaker moves its S3 data and artifacts
     * through the VPC, while its container has no network at all.
     */
    isolatedServices: z.array(service).default(['s3']),
    /** Endpoint states that count as present (case-insensitive). */
    liveStates: z
      .array(z.string().min(1))
      .min(1)
      .default([...LIVE_ENDPOINT_STATES]),
  })
  .strict();

interface Need {
  service: string;
  neededBy: MlPlacement[];
}

export default defineRule({
  meta: {
    id: 'vpce-ml-missing-endpoints',
    title: 'VPC with ML resources and no internet egress lacks the VPC endpoints they need',
    severity: 'MEDIUM',
    category: 'vpc-endpoints',
    rationale:
      'A training job, notebook or model in a subnet without a route to the internet reaches the SageMaker API, STS, CloudWatch Logs, S3 and ECR only through VPC endpoints. Without them, jobs hang and fail (no data download, no credentials, no logs, no image pull), and teams "fix" it by adding a NAT gateway, which opens the very internet path the private subnet was meant to close.',
    remediation:
      "Create the missing endpoints in the VPC: interface endpoints (private DNS on, one subnet per AZ the ML subnets use, a security group admitting TCP 443 from the ML security groups) for sagemaker.api, sagemaker.runtime, sts, logs and, for ECR images, ecr.api and ecr.dkr; and an S3 gateway endpoint associated with the ML subnets' route tables.",
    references: [],
    docs: `Fails for each VPC holding ML resources (Studio domains, notebook instances, training and processing jobs, models, by their configured subnets) of which at least one has **no internet egress path**, when the VPC has no live endpoint for a service those resources need. One finding per VPC; the evidence names each missing service, the resources that need it, and why each has no egress.

**No internet egress** is the path engine's answer (\`src/analyze/paths/ml-egress.ts\`): no path out on tcp/443 (the port of every AWS API call) from any of the resource's subnets, through its security groups, the NACLs crossed (forward and ephemeral return), the effective route tables (longest prefix match, blackholes drop), NAT gateways, Network Firewall policies and an internet gateway (which needs a public IPv4 address: an EIP on the ENI or the subnet's auto-assign; or IPv6 over an internet or egress-only gateway). So a subnet whose only default route is a blackhole, a route to an internet gateway without a public address, a NACL or security group without outbound tcp/443, or a deleted NAT gateway all leave the resource without egress. Conservative where it cannot see: SageMaker's own internet access (notebook DirectInternetAccess Enabled, Studio PublicInternetOnly, a job or model without VpcConfig), a path to a network the engine does not model (transit gateway, VPN, an appliance; a VPC peering connection is not one: it carries no internet traffic), a subnet whose route table is unknown and security groups missing from the inventory all count as egress: the rule never assumes "no egress" it cannot prove. The evidence gives each resource's blocked hops.

**Needed services** (option \`services\`, default sagemaker.api, sagemaker.runtime, sts, logs, s3) for each resource without egress, plus ecr.api and ecr.dkr (option \`ecrServices\`) when its image is in ECR (training and processing jobs, models). A **network-isolated** job or model needs only S3 (option \`isolatedServices\`): its container has no network, but with a VpcConfig SageMaker downloads and uploads its data and model artifacts through the VPC (CreateTrainingJob EnableNetworkIsolation), so without an S3 endpoint (or egress) the job cannot read its input.

**Present** means an endpoint in the same VPC whose service name is \`com.amazonaws.<region>.<service>\` (\`cn.com.amazonaws.\` in China; a \`-fips\` variant counts) in state available, pendingAcceptance or pending (option \`liveStates\`; an absent state counts). S3 is satisfied by a gateway or an interface endpoint. The \`aws.sagemaker.<region>.notebook\` / \`.studio\` endpoints serve the notebook and Studio UIs, not the SageMaker API: they satisfy nothing here.

Does not fail: a VPC whose ML subnets reach the internet through a NAT gateway (or any path the engine cannot see past) with no endpoints at all; a VPC with every needed endpoint; a VPC whose only ML resources get SageMaker's own internet access.

Cannot see: whether the endpoints' private DNS, security groups and policies let the traffic through (vpce-private-dns-disabled, vpce-sg-too-open), whether a route to an appliance or a transit gateway really reaches the internet, or whether the VPC's DNS attributes allow private DNS. A Studio user profile has its domain's subnets, so profiles are judged through their domain.`,
    needs: [...EGRESS_NEEDS, ...PLACEMENT_NEEDS],
    // Only to name the VPC in the finding.
    optionalReads: ['vpcs'],
    options: Options,
  },
  evaluate({ scope, index, options }) {
    const endpointsByVpc = new Map<string, typeof scope.vpcEndpoints>();
    for (const e of scope.vpcEndpoints) {
      const list = endpointsByVpc.get(e.vpcId);
      if (list) list.push(e);
      else endpointsByVpc.set(e.vpcId, [e]);
    }
    const vpcs = index.vpcs();

    return [...index.mlByVpc()].flatMap(([vpcId, placements]) => {
      const stranded = placements.filter((p) => !hasInternetEgress(p, index));
      if (stranded.length === 0) return [];
      const egress = new Map<MlPlacement, InternetEgress>(stranded.map((p) => [p, internetEgress(p, index)]));

      const needs = new Map<string, Need>();
      for (const p of stranded) {
        const services = p.networkIsolation
          ? options.isolatedServices
          : [...options.services, ...(p.usesEcr ? options.ecrServices : [])];
        for (const s of services) {
          const need = needs.get(s);
          if (need) need.neededBy.push(p);
          else needs.set(s, { service: s, neededBy: [p] });
        }
      }

      const endpoints = endpointsByVpc.get(vpcId) ?? [];
      const live = endpoints.filter((e) => isLiveEndpoint(e, options.liveStates));
      const present = new Set(live.map((e) => endpointService(e.serviceName, scope.region)));
      const missing = [...needs.values()].filter((n) => !present.has(n.service));
      if (missing.length === 0) return [];

      const services = missing.map((m) => m.service);
      const vpc = vpcs.get(vpcId);
      return [
        {
          resource: vpc ? vpcResource(scope, vpc) : resourceOfKind(scope, 'vpcs', vpcId),
          message: `VPC ${vpcId} holds ML resources with no internet egress path (${listText(stranded.map(mlLabel))}) but has no VPC endpoint for ${listText(services, services.length)}: their calls to ${services.length === 1 ? 'that service' : 'those services'} cannot leave the VPC.`,
          evidence: {
            vpcId,
            missingServices: missing.map((m) => ({
              service: m.service,
              serviceName: awsServiceName(scope, m.service),
              neededBy: m.neededBy.map((p) => p.resource.id),
            })),
            resourcesWithoutEgress: stranded.map((p) => {
              const e = egress.get(p);
              return {
                type: p.resource.type,
                id: p.resource.id,
                subnetIds: p.subnetIds,
                networkIsolation: p.networkIsolation,
                usesEcr: p.usesEcr,
                egress: e?.via ?? null,
                routeTables: [...new Set(e?.evidence.routeTables.map((t) => t.routeTableId) ?? [])],
                blocked: e?.evidence.blocked ?? [],
              };
            }),
            endpointsInVpc: endpoints.map((e) => ({
              vpcEndpointId: e.vpcEndpointId,
              service: endpointService(e.serviceName, scope.region),
              type: e.vpcEndpointType,
              state: e.state ?? null,
              counted: isLiveEndpoint(e, options.liveStates),
            })),
          },
          remediation: `In ${vpcId}, create ${missing
            .map((m) =>
              m.service === 's3'
                ? `an S3 gateway endpoint (${awsServiceName(scope, 's3')}) associated with the ML subnets' route tables`
                : `an interface endpoint for ${awsServiceName(scope, m.service)}`,
            )
            .join(
              '; ',
            )}. Put interface endpoints in the ML subnets' AZs with private DNS on and a security group admitting TCP 443 from the ML security groups.`,
        },
      ];
    });
  },
});
