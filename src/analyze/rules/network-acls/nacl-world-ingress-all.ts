import { z } from 'zod';
import {
  aclPlace,
  admittedOnEverything,
  cidrLabel,
  describeNaclEntry,
  entriesByRule,
  guardsLabel,
} from '../../aws/nacls.ts';
import { networkAclResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { listLabel } from '../../engine/words.ts';
import { GLOBAL_V6, PUBLIC_V4 } from '../../net/index.ts';

const INTERNET = PUBLIC_V4.union(GLOBAL_V6);

export default defineRule({
  meta: {
    id: 'nacl-world-ingress-all',
    title: 'Network ACL admits all traffic from the internet',
    severity: 'HIGH',
    category: 'network-acls',
    rationale:
      'A network ACL that admits every protocol and port from the internet adds no protection at the subnet boundary: whatever a security group in the subnet opens by mistake (a Jupyter or Ray port, a debug server) is reachable from anywhere. The default ACL of every VPC is created this way.',
    remediation:
      'Replace the allow-all inbound entry with entries for the ports and sources the subnet needs (for example TCP 443 from the clients that use it, and TCP 1024-65535 for return traffic of outbound connections), or associate the subnets with a custom ACL that does so. Keep security groups as the fine-grained control.',
    references: [],
    docs: `Evaluates the ACL's **inbound** entries as AWS does (lowest rule number first, first match wins, an implicit deny at the end whether or not the API returns the \`*\` entry) over every protocol, port, ICMP type/code and address, and computes the addresses from which **everything** is admitted. It fails when that set is world (rules.md: at least 2^24 public IPv4 addresses, or a /16 worth of global unicast IPv6). So the default ACL's rule 100 (allow all from \`0.0.0.0/0\`) fails; so does an allow-all from \`0.0.0.0/1\` and \`128.0.0.0/1\`, or one from \`0.0.0.0/0\` after a deny of a few private or narrow ranges. IPv6 is judged the same way; an ACL without IPv6 entries admits no IPv6 at all.

Applies to default and custom ACLs alike. The evidence says whether the ACL is the VPC's default, which subnets it guards and which inbound entries admit the traffic. A custom ACL associated with no subnet is reported at LOW (it guards nothing today; nacl-unused reports it too); a default ACL keeps HIGH even with no subnet, since AWS associates every new subnet of the VPC with it.

Does not fail: an ACL that denies any protocol or port range from most of the internet (for example allow-all from the VPC CIDR only, or TCP 0-65535 and UDP 0-65535 from \`0.0.0.0/0\` but not the other protocols). Those are judged port by port by nacl-world-ingress-admin-port.

Cannot see: security groups (a wide-open ACL is harmless only while every security group in the subnet is tight; the reachability rules combine both).`,
    needs: ['networkAcls'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.networkAcls.flatMap((acl) => {
      const { inbound, admittedAll, world } = admittedOnEverything(acl.entries);
      if (!world) return [];
      const fromInternet = admittedAll.intersect(INTERNET);
      const byRule = entriesByRule(acl.entries, 'ingress');
      const deciding = inbound.decidedBy.filter(
        (d): d is typeof d & { ruleNumber: number } =>
          d.action === 'allow' && d.ruleNumber !== '*' && d.space.addrs().overlaps(fromInternet),
      );
      const byRules = deciding.map((d) => describeNaclEntry(byRule.get(d.ruleNumber)));
      const unusedCustom = !acl.isDefault && acl.associatedSubnetIds.length === 0;
      return [
        {
          resource: networkAclResource(scope, acl),
          message: `Network ACL ${acl.networkAclId} (${aclPlace(acl)}) admits all traffic, every protocol and port, from the internet (${cidrLabel(admittedAll)}) by ${listLabel(byRules, 3)}; ${guardsLabel(acl)}.`,
          evidence: {
            vpcId: acl.vpcId,
            isDefault: acl.isDefault,
            associatedSubnetIds: acl.associatedSubnetIds,
            admittedAllFrom: admittedAll.toCidrs().slice(0, 20),
            decidingRules: deciding.map((d) => ({
              ruleNumber: d.ruleNumber,
              entry: describeNaclEntry(byRule.get(d.ruleNumber)),
            })),
            inboundEntries: [...byRule.values()],
            ...(unusedCustom
              ? { severityReason: 'LOW: a custom ACL associated with no subnet filters no traffic today.' }
              : {}),
          },
          ...(unusedCustom ? { severity: 'LOW' as const } : {}),
        },
      ];
    });
  },
});
