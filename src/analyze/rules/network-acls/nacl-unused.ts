import { z } from 'zod';
import { networkAclResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'nacl-unused',
    title: 'Custom network ACL is associated with no subnet',
    severity: 'LOW',
    category: 'network-acls',
    rationale:
      'An ACL that guards no subnet filters nothing, yet it is read as a control in every review and can be associated with a subnet later by mistake, bringing rules nobody has looked at in a long time. Removing unused ACLs keeps the network inventory honest.',
    remediation:
      'Delete the ACL (aws ec2 delete-network-acl), or associate it with the subnets it was written for (aws ec2 replace-network-acl-association).',
    references: ['FSBP EC2.16'],
    docs: `Fails for each **non-default** network ACL associated with no subnet (FSBP EC2.16, Config vpc-network-acl-unused-check).

Does not fail: a VPC's default ACL, even when every subnet of the VPC uses a custom ACL (it cannot be deleted, and AWS associates each new subnet with it); an ACL associated with at least one subnet.

The associations come from DescribeNetworkAcls itself, so the rule reads only network ACLs.`,
    needs: ['networkAcls'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.networkAcls
      .filter((acl) => !acl.isDefault && acl.associatedSubnetIds.length === 0)
      .map((acl) => {
        const inbound = acl.entries.filter((e) => !e.egress).length;
        const outbound = acl.entries.length - inbound;
        return {
          resource: networkAclResource(scope, acl),
          message: `Network ACL ${acl.networkAclId} in ${acl.vpcId} is associated with no subnet (${inbound} inbound and ${outbound} outbound entries that filter nothing).`,
          evidence: {
            vpcId: acl.vpcId,
            isDefault: acl.isDefault,
            associatedSubnetIds: acl.associatedSubnetIds,
            inboundEntries: inbound,
            outboundEntries: outbound,
          },
          remediation: `Delete ${acl.networkAclId} (aws ec2 delete-network-acl --network-acl-id ${acl.networkAclId}), or associate it with the subnets it was written for.`,
        };
      });
  },
});
