import { z } from 'zod';
import { admittedOnEverything, describeNaclEntry } from '../../aws/nacls.ts';
import { portLabel } from '../../aws/security-groups.ts';
import { networkAclResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { AddrSet, evaluateNacl, isWorldSet } from '../../net/index.ts';

const Options = z
  .object({
    ports: z.array(z.number().int().min(0).max(65535)).min(1).default([22, 3389]),
  })
  .strict();

const PROTOCOLS = [
  { number: 6, name: 'tcp' },
  { number: 17, name: 'udp' },
] as const;

export default defineRule({
  meta: {
    id: 'nacl-world-ingress-admin-port',
    title: 'Network ACL admits the internet to a remote administration port',
    severity: 'MEDIUM',
    category: 'network-acls',
    rationale:
      'A network ACL is the subnet-wide guard in front of every security group. When it admits SSH or RDP from the internet, a single permissive security group in the subnet is enough to expose a host.',
    remediation:
      'Add a lower-numbered inbound deny for TCP and UDP 22 and 3389 from 0.0.0.0/0 and ::/0, or narrow the allow entry to known CIDRs.',
    references: ['CIS 5.2', 'FSBP EC2.21'],
    docs: `Evaluates the ACL's **inbound** entries as AWS does: lowest rule number first, the first entry that matches a packet decides it, and an implicit deny ends the list whether or not the API returns the \`*\` entry. For each administration port (default 22 and 3389) over TCP and UDP (an entry with protocol \`-1\` matches both), it computes the set of source addresses the ACL admits. It fails when that set is world (at least 2^24 public IPv4 addresses, or a /16 of global unicast IPv6): so a lower-numbered deny of \`0.0.0.0/0\` on 22 closes it, and a deny of one /24 before an allow of \`0.0.0.0/0\` does not.

An ACL that admits **all** traffic from the internet (the default ACL's rule 100) is the finding of nacl-world-ingress-all, not this one: it is reported once, there.

Evaluated for every ACL, associated or not; the evidence lists the associated subnets.

Option \`ports\`: the administration ports (default \`[22, 3389]\`).`,
    needs: ['networkAcls'],
    options: Options,
  },
  evaluate({ scope, options }) {
    return scope.networkAcls.flatMap((acl) => {
      if (admittedOnEverything(acl.entries).world) return []; // nacl-world-ingress-all's finding
      const inbound = acl.entries.filter((e) => !e.egress);
      const openings: {
        protocol: string;
        port: number;
        admitted: string[];
        byRules: string[];
        ruleNumbers: number[];
      }[] = [];
      for (const port of options.ports) {
        for (const protocol of PROTOCOLS) {
          const result = evaluateNacl(acl.entries, 'ingress', {
            protocol: protocol.number,
            port,
            addrs: AddrSet.all(),
          });
          if (!isWorldSet(result.allowed)) continue;
          // Name the entries that admit public addresses: the ones to change.
          const contributors = result.decidedBy.filter(
            (d) =>
              d.action === 'allow' &&
              typeof d.ruleNumber === 'number' &&
              (d.addrs.publicV4Count() > 0 || d.addrs.globalV6Count() > 0n),
          );
          const ruleNumbers = contributors.map((d) => d.ruleNumber as number);
          openings.push({
            protocol: protocol.name,
            port,
            admitted: result.allowed.toCidrs().slice(0, 20),
            ruleNumbers,
            byRules: ruleNumbers.map((n) => describeNaclEntry(inbound.find((e) => e.ruleNumber === n))),
          });
        }
      }
      if (openings.length === 0) return [];
      const parts = openings.map((o) => `${o.protocol}/${portLabel(o.port)} by ${o.byRules.join(' and ')}`);
      const subnets = acl.associatedSubnetIds;
      return [
        {
          resource: networkAclResource(scope, acl),
          message: `Network ACL ${acl.networkAclId} admits the internet to ${parts.join('; ')}${subnets.length ? `; it guards ${subnets.join(', ')}` : '; it is associated with no subnet'}.`,
          evidence: {
            vpcId: acl.vpcId,
            isDefault: acl.isDefault,
            associatedSubnetIds: subnets,
            openings,
            inboundEntries: acl.entries.filter((e) => !e.egress).sort((a, b) => a.ruleNumber - b.ruleNumber),
          },
        },
      ];
    });
  },
});
