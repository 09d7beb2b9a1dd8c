import { z } from 'zod';
import { ec2Arn } from '../../../inventory/arn.ts';
import type {
  NetworkInterface,
  PrefixList,
  RegionInventory,
  SecurityGroupRule,
} from '../../../inventory/schema.ts';
import type { FindingResource } from '../../engine/finding.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';

const Options = z
  .object({
    /** Report a group with more rules than this in one direction and address family (AWS default quota 60). */
    maxRulesPerDirection: z.number().int().min(1).default(50),
    /** Report a network interface with more security groups than this (AWS default quota 5, at most 16). */
    maxGroupsPerInterface: z.number().int().min(1).default(5),
  })
  .strict();

function networkInterfaceResource(
  scope: Pick<RegionInventory, 'partition' | 'region' | 'account'>,
  eni: NetworkInterface,
): FindingResource {
  return {
    type: 'AWS::EC2::NetworkInterface',
    id: eni.networkInterfaceId,
    arn: ec2Arn(scope, 'network-interface', eni.networkInterfaceId),
    ...(eni.description ? { name: eni.description } : {}),
  };
}

type Family = 'IPv4' | 'IPv6';

/**
 * What one rule weighs against the quota of each family (VPC quotas: "a rule that references a security
 * group or prefix list ID counts as one rule for IPv4 and one rule for IPv6"; a prefix list counts as its
 * maximum entries, which we do not read: its known entries are a lower bound).
 */
function weights(
  rule: SecurityGroupRule,
  prefixLists: ReadonlyMap<string, PrefixList>,
): Record<Family, number> {
  if (rule.cidrIpv4) return { IPv4: 1, IPv6: 0 };
  if (rule.cidrIpv6) return { IPv4: 0, IPv6: 1 };
  if (rule.prefixListId) {
    const n = Math.max(1, prefixLists.get(rule.prefixListId)?.entries?.length ?? 1);
    return { IPv4: n, IPv6: n };
  }
  return { IPv4: 1, IPv6: 1 };
}

export default defineRule({
  meta: {
    id: 'sg-rule-quota',
    title: 'Security group or network interface is close to its AWS quota',
    severity: 'LOW',
    category: 'security-groups',
    rationale:
      'At the quota, the next rule or group cannot be added: an incident fix, a new partner range or the groups SageMaker needs for a new domain fail at deploy time. A group that large is also past what anyone reviews; its size usually means a list of hosts that belongs in a prefix list.',
    remediation:
      'Consolidate rules: move CIDR lists into customer-managed prefix lists, reference security groups instead of host CIDRs, split unrelated purposes into separate groups. For an interface with many groups, merge groups, or raise the quota knowingly (rules per group × groups per interface cannot exceed 1,000).',
    references: [],
    docs: `Fails for:

- each security group with more than 50 rules (option \`maxRulesPerDirection\`) in one direction **and address family**, counted as AWS counts them for the quota "Inbound or outbound rules per security group" (default 60): the quota applies separately to inbound and outbound, and to IPv4 and IPv6; a rule referencing a security group counts once for each family; a rule referencing a prefix list counts as the list's maximum entries, which the inventory does not hold, so its known entries (1 for an AWS-managed list) are used as a lower bound;
- each network interface carrying more than 5 security groups (option \`maxGroupsPerInterface\`; the default quota is 5, adjustable up to 16, so such an interface means the quota was raised and rules per group lowered with it). This finding names the interface (AWS::EC2::NetworkInterface).

Does not fail: 50 inbound IPv4 rules plus 50 inbound IPv6 rules (separate quotas); 40 inbound and 40 outbound rules; an interface with 5 groups.

Cannot see: the account's actual quota values (Service Quotas) and AWS-managed prefix lists' weights.`,
    needs: ['securityGroups', 'prefixLists', 'networkInterfaces'],
    options: Options,
  },
  evaluate({ scope, index, options }) {
    const prefixLists = index.prefixLists();
    const drafts: Draft[] = [];
    for (const sg of scope.securityGroups) {
      const counts = { inbound: { IPv4: 0, IPv6: 0 }, outbound: { IPv4: 0, IPv6: 0 } };
      for (const rule of sg.rules) {
        const w = weights(rule, prefixLists);
        const c = rule.egress ? counts.outbound : counts.inbound;
        c.IPv4 += w.IPv4;
        c.IPv6 += w.IPv6;
      }
      const over = (['inbound', 'outbound'] as const).flatMap((direction) =>
        (['IPv4', 'IPv6'] as const).flatMap((family) => {
          const count = counts[direction][family];
          return count > options.maxRulesPerDirection ? [{ direction, family, count }] : [];
        }),
      );
      if (over.length === 0) continue;
      drafts.push({
        resource: securityGroupResource(scope, sg),
        message: `Security group ${sg.groupId} (${sg.groupName}) has ${over.map((o) => `${o.count} ${o.direction} ${o.family} rules`).join(' and ')}, above the threshold of ${options.maxRulesPerDirection} (the default AWS quota is 60 per direction and family).`,
        evidence: {
          vpcId: sg.vpcId ?? null,
          threshold: options.maxRulesPerDirection,
          defaultQuota: 60,
          counts,
          over,
          prefixListReferences: sg.rules.filter((r) => r.prefixListId).length,
        },
      });
    }
    for (const eni of scope.networkInterfaces) {
      const groups = [...new Set(eni.groupIds)];
      if (groups.length <= options.maxGroupsPerInterface) continue;
      drafts.push({
        resource: networkInterfaceResource(scope, eni),
        message: `Network interface ${eni.networkInterfaceId}${eni.description ? ` (${eni.description})` : ''} carries ${groups.length} security groups (${groups.join(', ')}), above the threshold of ${options.maxGroupsPerInterface} (the default AWS quota is 5).`,
        evidence: {
          vpcId: eni.vpcId ?? null,
          subnetId: eni.subnetId ?? null,
          ...(eni.interfaceType ? { interfaceType: eni.interfaceType } : {}),
          ...(eni.attachedInstanceId ? { attachedInstanceId: eni.attachedInstanceId } : {}),
          groupIds: groups,
          threshold: options.maxGroupsPerInterface,
          defaultQuota: 5,
        },
      });
    }
    return drafts;
  },
});
