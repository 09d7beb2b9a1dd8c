import { z } from 'zod';
import { domainResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sagemaker-domain-public-internet',
    title: 'SageMaker Studio domain uses public internet access',
    severity: 'HIGH',
    category: 'sagemaker',
    rationale:
      'In PublicInternetOnly mode, Studio apps reach the internet through a VPC that SageMaker manages: your security groups, NACLs, NAT gateway and Network Firewall do not apply to that traffic, so domain allowlists and inspection are bypassed.',
    remediation:
      'Set AppNetworkAccessType to VpcOnly (UpdateDomain, with no apps running), place the domain in private subnets, and provide egress through a NAT gateway behind AWS Network Firewall plus VPC endpoints for SageMaker, STS, CloudWatch Logs and S3.',
    references: ['Config sagemaker-domain-in-vpc'],
    docs: `Fails for each Studio domain whose \`AppNetworkAccessType\` is \`PublicInternetOnly\`, or absent (PublicInternetOnly is the API's default).

Does not fail: a VpcOnly domain (its egress is judged by the route, firewall and reachability rules).`,
    needs: ['sagemakerDomains'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.sagemakerDomains
      .filter((d) => (d.appNetworkAccessType ?? 'PublicInternetOnly') === 'PublicInternetOnly')
      .map((d) => ({
        resource: domainResource(scope, d),
        message: `Studio domain ${d.domainId}${d.domainName ? ` (${d.domainName})` : ''} uses AppNetworkAccessType ${d.appNetworkAccessType ?? 'unset (defaults to PublicInternetOnly)'}: its apps reach the internet through SageMaker's network, not through ${d.vpcId ?? 'your VPC'}'s controls.`,
        evidence: {
          appNetworkAccessType: d.appNetworkAccessType ?? null,
          vpcId: d.vpcId ?? null,
          subnetIds: d.subnetIds,
        },
      }));
  },
});
