import { z } from 'zod';
import {
  DEFAULT_POLICY,
  openStatements,
  parsePolicy,
  RESTRICTIVE_CONDITION_KEYS,
} from '../../aws/endpoint-policy.ts';
import { endpointService, isEndpointType, isLiveEndpoint } from '../../aws/vpc-endpoints.ts';
import { vpcEndpointResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

const Options = z
  .object({
    /**
     * Condition keys that bound who or where (a trust boundary). A condition on any of them (with a
     * non-wildcard value, not an ...IfExists or Null operator) makes a wildcard statement compliant.
     */
    restrictiveConditionKeys: z.array(z.string().min(1)).default([...RESTRICTIVE_CONDITION_KEYS]),
    /** Endpoint types that take an endpoint policy. */
    endpointTypes: z.array(z.string().min(1)).default(['Interface', 'Gateway']),
  })
  .strict();

export default defineRule({
  meta: {
    id: 'vpce-policy-full-access',
    title: 'VPC endpoint policy allows any principal every action',
    severity: 'LOW',
    category: 'vpc-endpoints',
    rationale:
      "An endpoint policy is the VPC's trust boundary for a service: with principal * and action * and no condition, anyone's credentials work through the endpoint, so code in an ML subnet can copy training data or models to a bucket in another account (S3), or use stolen keys from elsewhere, without leaving the AWS network and without the NAT or firewall seeing it.",
    remediation:
      'Attach an endpoint policy that bounds principals and resources to your organization, e.g. Allow with Condition StringEquals aws:PrincipalOrgID (and aws:ResourceOrgID for S3), or list the actions and resources the workloads need.',
    references: [],
    docs: `Fails for each live interface or gateway endpoint (state available, pending, pendingAcceptance, or absent) whose policy has an **Allow** statement with principal \`*\` (or \`{"AWS": "*"}\`), action \`*\`, \`*:*\` or a whole service (\`s3:*\`: through an endpoint only that service's actions exist) or a NotAction, resource \`*\`, absent, or a NotResource, and **no restrictive condition**.

A **restrictive condition** names one of the option \`restrictiveConditionKeys\` (aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:ResourceOrgID, aws:ResourceAccount, aws:SourceVpc, aws:SourceVpce, aws:SourceIp, ...) under an operator that is not \`...IfExists\` or \`Null\`, with a value other than \`*\`. Other conditions (aws:SecureTransport, dates) do not bound who uses the endpoint and do not count.

An endpoint with **no policy document** is treated as having AWS's default policy, which is full access (\`${DEFAULT_POLICY}\`); DescribeVpcEndpoints returns that default for endpoints created without one, and services that do not support endpoint policies allow full access too. A policy document that cannot be parsed as JSON (also after URL-decoding) gives a NOT_EVALUATED finding for that endpoint, at the rule's severity, saying so: the rule never passes a policy it could not read.

Does not fail: a policy whose wildcard statement is bounded by aws:PrincipalOrgID, aws:SourceVpc or another key above; a policy listing specific actions (\`s3:GetObject\`) or resources (\`arn:aws:s3:::my-bucket/*\`); a Deny statement; a specific principal. Gateway Load Balancer, Resource and ServiceNetwork endpoints take no such policy (option \`endpointTypes\`).

Cannot see: the identity and bucket policies that also apply; whether the service supports endpoint policies at all (if not, the finding cannot be fixed with a policy: suppress it).`,
    needs: ['vpcEndpoints'],
    options: Options,
  },
  evaluate({ scope, options }) {
    const keys = new Set(options.restrictiveConditionKeys.map((k) => k.toLowerCase()));
    return scope.vpcEndpoints.flatMap((e): Draft[] => {
      if (!isLiveEndpoint(e) || !options.endpointTypes.some((t) => isEndpointType(e, t))) return [];
      const service = endpointService(e.serviceName, scope.region);
      const where = `${e.vpcEndpointType} endpoint ${e.vpcEndpointId} (${service}) in ${e.vpcId}`;
      const absent = e.policyDocument === undefined || e.policyDocument.trim() === '';
      const policy = absent ? parsePolicy(DEFAULT_POLICY) : parsePolicy(e.policyDocument ?? '');
      const open = policy === undefined ? undefined : openStatements(policy, keys);
      if (open === undefined) {
        return [
          {
            resource: vpcEndpointResource(scope, e),
            status: 'NOT_EVALUATED',
            key: 'unparseable-policy',
            message: `The policy of ${where} could not be parsed as a JSON policy, so whether it allows any principal every action is unknown.`,
            evidence: {
              vpcId: e.vpcId,
              serviceName: e.serviceName,
              policySource: 'unparseable',
              policyDocumentPrefix: (e.policyDocument ?? '').slice(0, 200),
            },
            remediation: `Read the policy (aws ec2 describe-vpc-endpoints --vpc-endpoint-ids ${e.vpcEndpointId}) and replace it with valid JSON that bounds principals, e.g. by aws:PrincipalOrgID.`,
          },
        ];
      }
      if (open.length === 0) return [];
      const first = open[0]!;
      return [
        {
          resource: vpcEndpointResource(scope, e),
          message: `${where} has ${absent ? 'no policy, so the AWS default applies' : 'a policy'} allowing principal * action ${first.action} on resource ${first.resource} with no restrictive condition (statement ${first.sid ?? `#${first.index}`}${open.length > 1 ? ` and ${open.length - 1} more` : ''}).`,
          evidence: {
            vpcId: e.vpcId,
            serviceName: e.serviceName,
            policySource: absent ? 'absent (AWS default: full access)' : 'endpoint policy',
            statements: open,
          },
          remediation: `Replace the policy of ${e.vpcEndpointId} (aws ec2 modify-vpc-endpoint --vpc-endpoint-id ${e.vpcEndpointId} --policy-document file://policy.json) with one that bounds principals${service === 's3' ? ' and buckets' : ''} to your organization, e.g. Condition StringEquals aws:PrincipalOrgID${service === 's3' ? ' and aws:ResourceOrgID' : ''}, or lists the actions the ML workloads need.`,
        },
      ];
    });
  },
});
