import { z } from 'zod';
import {
  describeRule,
  PortOrRangeSchema,
  portSetOf,
  ruleEvidence,
  worldPortIngress,
} from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { PortSet, TCP, UDP } from '../../net/index.ts';

const Options = z
  .object({
    /** TCP ports (or "from-to" ranges) that may be open to world. FSBP EC2.18's authorizedTcpPorts. */
    authorizedPorts: z.array(PortOrRangeSchema).default([80, 443]),
    /** UDP ports (or ranges) that may be open to world. FSBP EC2.18's authorizedUdpPorts (no default). */
    authorizedUdpPorts: z.array(PortOrRangeSchema).default([]),
  })
  .strict();

export default defineRule({
  meta: {
    id: 'sg-world-ingress-unauthorized-port',
    title: 'Security group admits the internet to a port outside the authorized list',
    severity: 'MEDIUM',
    category: 'security-groups',
    rationale:
      'Only services meant to be public (a load balancer on 80 and 443) should accept connections from the whole internet. Every other open port is attack surface that nobody decided to publish, and on ML hosts it is usually a tool (a notebook, a dashboard, a model server) that was never built to face the internet.',
    remediation:
      'Remove the rule or narrow its source to the CIDRs or security groups that need the port. Publish a service through a load balancer on 443; if a port really must be public, add it to the rule option `authorizedPorts` (or `authorizedUdpPorts`).',
    references: ['FSBP EC2.18'],
    docs: `Fails for each security group with an **inbound** rule from world (see sg-world-ingress-all-ports for the definition) that reaches a TCP port outside \`authorizedPorts\` (default 80 and 443) or a UDP port outside \`authorizedUdpPorts\` (default none), or that allows all protocols (\`-1\`). A TCP or UDP range counts for every port inside it: TCP 80-443 reaches 81-442.

As in FSBP EC2.18 (AWS Config vpc-sg-open-only-to-authorized-ports: "only allow inbound TCP or UDP connections on authorized ports", parameters authorizedTcpPorts default 80,443 and authorizedUdpPorts without a default), only TCP and UDP are ports: **ICMP from world does not fail** here (it is not a port; \`-1\` does, since it includes every TCP and UDP port). Other protocols without ports (GRE, ESP, ...) from world do not fail either.

Customer-managed prefix lists are expanded to their entries; AWS-managed lists and security-group references are never world.

Does not fail: TCP 80 and 443 from world (a load balancer); any port from a private or narrow CIDR or from another security group; ICMP from world; outbound rules.

Options: \`authorizedPorts\` (TCP) and \`authorizedUdpPorts\` (UDP), each a list of ports or \`"from-to"\` ranges.`,
    needs: ['securityGroups', 'prefixLists'],
    options: Options,
  },
  evaluate({ scope, index, options }) {
    const prefixLists = index.prefixLists();
    const authorized = {
      tcp: portSetOf(options.authorizedPorts),
      udp: portSetOf(options.authorizedUdpPorts),
    };
    const authText = `tcp ${authorized.tcp.toString()}${authorized.udp.isEmpty() ? '' : `, udp ${authorized.udp.toString()}`}`;
    return scope.securityGroups.flatMap((sg) => {
      const offending = worldPortIngress(sg, prefixLists).flatMap((w) => {
        const ports = w.space.ports ?? PortSet.all();
        const all = w.space.protocol === 'all';
        const tcp = all || w.space.protocol === TCP ? ports.subtract(authorized.tcp) : PortSet.empty();
        const udp = all || w.space.protocol === UDP ? ports.subtract(authorized.udp) : PortSet.empty();
        if (!all && tcp.isEmpty() && udp.isEmpty()) return [];
        return [{ ...w, tcp, udp, all }];
      });
      if (offending.length === 0) return [];
      const parts = offending.map((o) => {
        const unauthorized = [
          ...(o.tcp.isEmpty() ? [] : [`tcp ${o.tcp.toString()}`]),
          ...(o.udp.isEmpty() ? [] : [`udp ${o.udp.toString()}`]),
        ];
        const exact =
          !o.all &&
          unauthorized.length === 1 &&
          (o.space.ports?.equals(o.tcp.isEmpty() ? o.udp : o.tcp) ?? false);
        const detail = o.all
          ? ' (every protocol and port)'
          : exact
            ? ''
            : ` (unauthorized: ${unauthorized.join(', ')})`;
        return `${describeRule(o.rule, o.peer, o.world)}${detail}`;
      });
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Security group ${sg.groupId} (${sg.groupName}) admits the internet to ports outside the authorized list (${authText}): ${parts.join('; ')}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            authorized: { tcp: authorized.tcp.toString(), udp: authorized.udp.toString() },
            rules: offending.map((o) => ({
              ...ruleEvidence(o.rule, o.peer),
              worldCidrs: o.world,
              unauthorizedTcpPorts: o.tcp.isEmpty() ? null : o.tcp.toString(),
              unauthorizedUdpPorts: o.udp.isEmpty() ? null : o.udp.toString(),
              allProtocols: o.all,
            })),
          },
        },
      ];
    });
  },
});
