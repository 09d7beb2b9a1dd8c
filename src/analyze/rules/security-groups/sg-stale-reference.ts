import { z } from 'zod';
import type { SecurityGroupRule } from '../../../inventory/schema.ts';
import { describeRule, type Peer, peerOf, ruleEvidence } from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

interface Stale {
  rule: SecurityGroupRule;
  peer: Peer | undefined;
  ref: NonNullable<SecurityGroupRule['referencedGroup']>;
  reason: 'peering-deleted' | 'group-not-found';
}

/** Peering statuses after which a reference through the peering can never match again. */
const GONE_PEERING = new Set(['deleted']);

export default defineRule({
  meta: {
    id: 'sg-stale-reference',
    title: 'Security group rule references a group that no longer exists',
    severity: 'MEDIUM',
    category: 'security-groups',
    rationale:
      'A rule that references a deleted group, or a group across a deleted VPC peering, matches nothing today, but it documents an access path that someone still expects. It hides the real rule set during reviews and breaks when the id is reused in a restored or re-peered VPC; AWS calls these stale rules and does not remove them by itself.',
    remediation:
      'Remove the stale rule (the console lists them under "stale security group rules"; `aws ec2 describe-stale-security-groups --vpc-id <vpc>`). If the access is still needed, reference the replacement group, re-establish the peering, or use the peer’s CIDR.',
    references: [],
    docs: `Fails for each security group with an inbound or outbound rule that references another security group when either:

- the referenced group is in **this account** (the reference has no user id, or the scope's account id, or the group's own owner) but is not among the security groups collected in this region: it was deleted (AWS refuses to delete a group referenced from the same VPC, but not one referenced from a peered VPC, so the stale rule is usually on the other side of a peering); or
- the reference goes through a VPC peering connection whose status AWS reports as \`deleted\` (the peered VPC is gone, whoever owned it).

Security-group references only work within one region (same VPC, a same-region peering or a transit gateway), so a same-account group that exists is always in this region's inventory.

Does not fail: a reference to a group that exists (including the group itself); a reference to a group in **another account** over a live peering or a shared VPC, which this account cannot describe: it is not verifiable here and not flagged (run the audit in that account, or use DescribeStaleSecurityGroups); AWS service groups such as \`amazon-elb/sg-...\`.`,
    needs: ['securityGroups'],
    // Only to describe a rule's peer in the message.
    optionalReads: ['prefixLists'],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const groups = index.securityGroups();
    const prefixLists = index.prefixLists();
    return scope.securityGroups.flatMap((sg) => {
      const sameAccount = (userId: string | undefined) =>
        userId === undefined || userId === scope.account || userId === sg.ownerId;
      const offending = sg.rules.flatMap((rule): Stale[] => {
        const ref = rule.referencedGroup;
        if (!ref?.groupId) return [];
        const peer = peerOf(rule, prefixLists);
        if (ref.peeringStatus && GONE_PEERING.has(ref.peeringStatus)) {
          return [{ rule, peer, ref, reason: 'peering-deleted' }];
        }
        if (sameAccount(ref.userId) && !groups.has(ref.groupId)) {
          return [{ rule, peer, ref, reason: 'group-not-found' }];
        }
        return [];
      });
      if (offending.length === 0) return [];
      const parts = offending.map((o) => {
        const why =
          o.reason === 'peering-deleted'
            ? `peering ${o.ref.vpcPeeringConnectionId ? `${o.ref.vpcPeeringConnectionId} ` : ''}to ${o.ref.vpcId ?? 'the peer VPC'} is deleted`
            : `${o.ref.groupId} does not exist${o.ref.vpcId && o.ref.vpcId !== sg.vpcId ? ` in ${o.ref.vpcId}` : ''}`;
        return `${describeRule(o.rule, o.peer, undefined, scope.account)} (${why})`;
      });
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Security group ${sg.groupId} (${sg.groupName}) has ${offending.length === 1 ? 'a stale rule' : `${offending.length} stale rules`} referencing ${offending.length === 1 ? 'a group' : 'groups'} that no longer ${offending.length === 1 ? 'exists' : 'exist'} or can no longer be reached: ${parts.join('; ')}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            rules: offending.map((o) => ({
              ...ruleEvidence(o.rule, o.peer),
              reason: o.reason,
              referencedGroup: o.ref,
            })),
          },
        },
      ];
    });
  },
});
