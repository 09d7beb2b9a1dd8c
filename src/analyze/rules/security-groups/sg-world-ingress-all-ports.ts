import { z } from 'zod';
import { describeSpace, peerOf, ruleEvidence, spaceOf, worldCidrsOf } from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'sg-world-ingress-all-ports',
    title: 'Security group admits the internet on every port',
    severity: 'CRITICAL',
    category: 'security-groups',
    rationale:
      'An inbound rule from an internet-wide range on all protocols, or on every TCP or UDP port, exposes every service on every resource that carries the group, including ones started later (a Jupyter server, a Ray head, a debug port).',
    remediation:
      'Remove the rule, or replace it with rules for the specific ports the workload serves, from the specific CIDRs or security groups that need them.',
    references: ['FSBP EC2.18', 'FSBP EC2.19'],
    docs: `Fails for each security group with an **inbound** rule whose source is world (rules.md: any IPv4 CIDR holding at least 2^24 public addresses, e.g. \`0.0.0.0/0\`, \`0.0.0.0/1\`, \`128.0.0.0/1\`; any IPv6 CIDR of length /16 or shorter holding global unicast space, e.g. \`::/0\`) and whose protocol is \`-1\` (all), or TCP or UDP with a port range covering 0-65535.

A source that is a customer-managed prefix list counts when one of the list's entries is world. An AWS-managed prefix list is not world. A rule that references another security group is never world.

Does not fail: a world rule on a narrower port range (see sg-world-ingress-admin-port, sg-world-ingress-high-risk-port); all ports from a private or narrow CIDR; all ports from another security group.`,
    needs: ['securityGroups', 'prefixLists'],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const prefixLists = index.prefixLists();
    return scope.securityGroups.flatMap((sg) => {
      const offending = sg.rules.flatMap((rule) => {
        if (rule.egress) return [];
        const space = spaceOf(rule);
        const allPorts =
          space.protocol === 'all' ||
          ((space.protocol === 6 || space.protocol === 17) && space.ports?.isAll());
        if (!allPorts) return [];
        const peer = peerOf(rule, prefixLists);
        const world = worldCidrsOf(peer);
        return world.length ? [{ rule, peer, world, space }] : [];
      });
      if (offending.length === 0) return [];
      const parts = offending.map(
        (o) =>
          `${describeSpace(o.space)} from ${o.world.join(', ')}${o.peer?.kind === 'prefixList' ? ` (prefix list ${o.peer.prefixListId})` : ''}${o.rule.ruleId ? ` [${o.rule.ruleId}]` : ''}`,
      );
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Security group ${sg.groupId} (${sg.groupName}) admits the internet on every port: ${parts.join('; ')}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            rules: offending.map((o) => ({ ...ruleEvidence(o.rule, o.peer), worldCidrs: o.world })),
          },
        },
      ];
    });
  },
});
