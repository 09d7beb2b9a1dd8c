import { z } from 'zod';
import type { RegionInventory } from '../../../inventory/schema.ts';
import { endpointService, isEndpointType, isLiveEndpoint } from '../../aws/vpc-endpoints.ts';
import { vpcEndpointResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

const Options = z
  .object({
    /** Services (after com.amazonaws.<region>.) whose interface endpoints must have private DNS. */
    services: z.array(z.string().min(1)).default(['sagemaker.api', 'sagemaker.runtime', 'sts', 'logs']),
  })
  .strict();

/** The public host name SDK calls use for a service, where we know it. */
function publicHost(
  service: string,
  scope: Pick<RegionInventory, 'partition' | 'region'>,
): string | undefined {
  const domain = scope.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  const hosts: Record<string, string> = {
    'sagemaker.api': `api.sagemaker.${scope.region}.${domain}`,
    'sagemaker.runtime': `runtime.sagemaker.${scope.region}.${domain}`,
    sts: `sts.${scope.region}.${domain}`,
    logs: `logs.${scope.region}.${domain}`,
    'ecr.api': `api.ecr.${scope.region}.${domain}`,
    'ecr.dkr': `*.dkr.ecr.${scope.region}.${domain}`,
  };
  return hosts[service];
}

export default defineRule({
  meta: {
    id: 'vpce-private-dns-disabled',
    title: 'SageMaker, STS or CloudWatch Logs interface endpoint has private DNS disabled',
    severity: 'LOW',
    category: 'vpc-endpoints',
    rationale:
      "With private DNS off, the service's standard host name (api.sagemaker.<region>.amazonaws.com, sts.<region>.amazonaws.com, ...) still resolves to public addresses, so SDK and CLI calls from ML resources bypass the endpoint: they leave through the NAT gateway (outside the endpoint policy) or, in a private subnet, fail, unless every client is configured with the endpoint-specific DNS name.",
    remediation:
      "Enable private DNS on the endpoint (ModifyVpcEndpoint --private-dns-enabled; the VPC needs enableDnsSupport and enableDnsHostnames), so the service's standard name resolves to the endpoint's private addresses.",
    references: [],
    docs: `Fails for each live **interface** endpoint (state available, pending, pendingAcceptance, or absent) for one of the option \`services\` (default sagemaker.api, sagemaker.runtime, sts, logs; matched on the service name after \`com.amazonaws.<region>.\`, \`cn.com.amazonaws.\` in China, \`-fips\` variants included) whose \`PrivateDnsEnabled\` is false.

Does not fail: private DNS on; gateway endpoints (S3, DynamoDB: they work by routes, not DNS); interface endpoints of other services (add them to \`services\`, e.g. \`ecr.api\`, \`ecr.dkr\`, \`aws.sagemaker.notebook\`).

Cannot see: a Route 53 private hosted zone that maps the service name to the endpoint by hand (an accepted alternative: suppress the finding), clients configured with the endpoint-specific DNS name, and the VPC's enableDnsSupport / enableDnsHostnames attributes, which private DNS needs.`,
    needs: ['vpcEndpoints'],
    options: Options,
  },
  evaluate({ scope, options }) {
    const wanted = new Set(options.services);
    return scope.vpcEndpoints.flatMap((e) => {
      if (!isEndpointType(e, 'Interface') || !isLiveEndpoint(e) || e.privateDnsEnabled) return [];
      const service = endpointService(e.serviceName, scope.region);
      if (!wanted.has(service)) return [];
      const host = publicHost(service, scope);
      return [
        {
          resource: vpcEndpointResource(scope, e),
          message: `Interface endpoint ${e.vpcEndpointId} for ${service} in ${e.vpcId} has private DNS disabled: SDK calls to ${host ?? `the ${service} service name`} from the VPC resolve to the public endpoint, not to ${e.vpcEndpointId}.`,
          evidence: {
            vpcId: e.vpcId,
            serviceName: e.serviceName,
            privateDnsEnabled: e.privateDnsEnabled,
            publicHostName: host ?? null,
            subnetIds: e.subnetIds,
          },
          remediation: `Enable private DNS: aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${e.vpcEndpointId} --private-dns-enabled (with enableDnsSupport and enableDnsHostnames on ${e.vpcId}).`,
        },
      ];
    });
  },
});
