import { z } from 'zod';
import {
  describeSpace,
  peerOf,
  portLabel,
  ruleEvidence,
  spaceOf,
  worldCidrsOf,
} from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

const Options = z
  .object({
    /** Remote administration ports. CIS 5.3 / 5.4 name 22 and 3389. */
    ports: z.array(z.number().int().min(0).max(65535)).min(1).default([22, 3389]),
  })
  .strict();

export default defineRule({
  meta: {
    id: 'sg-world-ingress-admin-port',
    title: 'Security group admits the internet to a remote administration port',
    severity: 'HIGH',
    category: 'security-groups',
    rationale:
      'SSH and RDP open to the internet are brute-forced within minutes of exposure; on an ML host they lead straight to training data, model artifacts and the instance role.',
    remediation:
      'Remove the rule. Reach instances through SSM Session Manager or a bastion restricted to known CIDRs; for Studio and notebooks use presigned URLs, not SSH.',
    references: ['CIS 5.3', 'CIS 5.4', 'FSBP EC2.13', 'FSBP EC2.14', 'FSBP EC2.53', 'FSBP EC2.54'],
    docs: `Fails for each security group with an **inbound** rule from world (see sg-world-ingress-all-ports for the definition) that reaches an administration port (default 22 and 3389) over TCP, UDP or all protocols (\`-1\`). CIS counts UDP too. A port range that contains the port counts (e.g. TCP 0-1024 reaches 22).

Customer-managed prefix lists are expanded to their entries; AWS-managed lists and security-group references are never world.

Does not fail: 22 from a private or narrow CIDR (e.g. \`10.0.0.0/8\`, \`203.0.113.10/32\`); 22 from another security group; 443 from world; ICMP from world.

Option \`ports\`: the administration ports (default \`[22, 3389]\`).`,
    needs: ['securityGroups', 'prefixLists'],
    options: Options,
  },
  evaluate({ scope, index, options }) {
    const prefixLists = index.prefixLists();
    return scope.securityGroups.flatMap((sg) => {
      const offending = sg.rules.flatMap((rule) => {
        if (rule.egress) return [];
        const space = spaceOf(rule);
        if (space.protocol !== 'all' && space.protocol !== 6 && space.protocol !== 17) return [];
        const ports = options.ports.filter((p) => space.ports?.containsPort(p));
        if (ports.length === 0) return [];
        const peer = peerOf(rule, prefixLists);
        const world = worldCidrsOf(peer);
        return world.length ? [{ rule, peer, world, space, ports }] : [];
      });
      if (offending.length === 0) return [];
      const ports = [...new Set(offending.flatMap((o) => o.ports))].sort((a, b) => a - b);
      const parts = offending.map(
        (o) =>
          `${describeSpace(o.space)} from ${o.world.join(', ')}${o.peer?.kind === 'prefixList' ? ` (prefix list ${o.peer.prefixListId})` : ''}${o.rule.ruleId ? ` [${o.rule.ruleId}]` : ''}`,
      );
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Security group ${sg.groupId} (${sg.groupName}) admits the internet to port ${ports.map(portLabel).join(' and ')}: ${parts.join('; ')}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            ports,
            rules: offending.map((o) => ({
              ...ruleEvidence(o.rule, o.peer),
              worldCidrs: o.world,
              ports: o.ports,
            })),
          },
        },
      ];
    });
  },
});
