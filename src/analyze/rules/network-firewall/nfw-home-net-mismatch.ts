import { z } from 'zod';
import type { Firewall, NatGateway, RuleGroup, Subnet } from '../../../inventory/schema.ts';
import { type MlPlacement, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import { isAllowlist } from '../../aws/network-firewall/domain-lists.ts';
import { effectiveHomeNet, type HomeNet, usesHomeNet } from '../../aws/network-firewall/home-net.ts';
import { arnName, nfwIndex } from '../../aws/network-firewall/resolution.ts';
import { firewallResource, ruleGroupResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';
import type { ScopeIndex } from '../../engine/scope-index.ts';
import { AddrSet } from '../../net/index.ts';

/** How the firewall sees an ML subnet's egress: the subnet's own addresses, or its NAT gateway's. */
interface SeenSubnet {
  subnetId: string;
  cidrs: string[];
  /** The source addresses the firewall sees. */
  seenAs: string[];
  natGatewayId?: string;
  mlResources: string[];
  addrs: AddrSet;
}

const SOURCE_TEXT: Record<HomeNet['source'], string> = {
  'rule-group': "the rule group's own HOME_NET",
  policy: "the policy's HOME_NET variable",
  'vpc-default': "the default, the VPC's CIDRs",
};

function seenSubnet(
  subnet: Subnet,
  placements: readonly MlPlacement[],
  index: ScopeIndex,
  nats: ReadonlyMap<string, NatGateway>,
): SeenSubnet | undefined {
  const cidrs = [...(subnet.cidrBlock ? [subnet.cidrBlock] : []), ...subnet.ipv6CidrBlocks];
  const v6 = subnet.ipv6CidrBlocks;
  const route = index
    .effectiveRouteTable(subnet.subnetId)
    ?.table.routes.find((r) => r.destinationCidrBlock === '0.0.0.0/0' && r.state !== 'blackhole');
  const nat = route?.target.kind === 'natGateway' ? nats.get(route.target.id) : undefined;
  let seenAs: string[];
  if (nat && nat.privateIps.length > 0) seenAs = [...nat.privateIps.map((ip) => `${ip}/32`), ...v6];
  else if (nat) {
    const natSubnet = index.subnets().get(nat.subnetId)?.cidrBlock;
    seenAs = [...(natSubnet ? [natSubnet] : []), ...v6];
  } else seenAs = cidrs;
  const addrs = AddrSet.tryFromCidrs(seenAs);
  if (!addrs || addrs.isEmpty()) return undefined;
  return {
    subnetId: subnet.subnetId,
    cidrs,
    seenAs,
    ...(nat ? { natGatewayId: nat.natGatewayId } : {}),
    mlResources: placements.map((p) => p.resource.id),
    addrs,
  };
}

function subnetText(s: SeenSubnet): string {
  return s.natGatewayId
    ? `${s.subnetId} (${s.cidrs.join(', ')}, seen as ${s.seenAs.join(', ')} of ${s.natGatewayId})`
    : `${s.subnetId} (${s.cidrs.join(', ')})`;
}

export default defineRule({
  meta: {
    id: 'nfw-home-net-mismatch',
    title: "Stateful rule group's HOME_NET does not cover the ML subnets",
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'Domain lists only inspect traffic from HOME_NET, and Suricata rules written for $HOME_NET / $EXTERNAL_NET only match it. When the ML subnets (or the NAT gateway their traffic leaves through) are outside HOME_NET, the allowlist silently does not apply to their egress: it passes, or meets only the default action.',
    remediation:
      "Set HOME_NET to cover the ML subnets' egress addresses: in the firewall policy's variables (PolicyVariables RuleVariables HOME_NET) or, for a rule group that defines its own, in its RuleVariables IPSets HOME_NET.",
    references: [],
    docs: `For each firewall in a VPC holding ML resources, and each stateful rule group of its policy whose rules depend on HOME_NET (every domain list; 5-tuple or Suricata rules naming \`$HOME_NET\` or \`$EXTERNAL_NET\`), computes the group's effective HOME_NET: the group's own variable, else the policy variable ("policy variables affect all rule groups that don't already define HOME_NET"), else the CIDRs of the VPC the firewall is deployed in (AWS's default). It fails when that set does not contain the source addresses of an ML subnet's egress as the firewall sees them:

- the ML subnets are the subnets of that VPC named by an ML resource's placement (network-isolated jobs and models, which have no network, are left out);
- when the subnet's route table sends 0.0.0.0/0 to a NAT gateway, the firewall (behind the NAT, as in the reference architecture Studio -> NAT -> firewall -> IGW) sees the NAT gateway's private address, so that is what HOME_NET must hold; otherwise the subnet's CIDRs; IPv6 CIDRs always count as the subnet's own.

One finding per rule group and firewall (resource: the rule group).

Does not fail: the default HOME_NET (the VPC's CIDRs always hold its subnets and NAT gateways); a group whose rules do not use HOME_NET; stateless groups.

Approximation: only ML subnets in the firewall's own VPC are considered; in a centralised inspection VPC (spokes behind a transit gateway) the traffic comes from other VPCs, which the path engine (reach-ml-egress-*) judges. Whether the ML subnet's traffic crosses this firewall at all is nfw-not-in-ml-egress-path's question.

Not evaluated: the firewall, when its policy or one of its stateful rule groups could not be read; the rule group, when its HOME_NET cannot be resolved (an IP set reference, a malformed CIDR, or an unknown VPC).`,
    needs: [
      'firewalls',
      'firewallPolicies',
      'ruleGroups',
      'vpcs',
      'subnets',
      'routeTables',
      'natGateways',
      // Not user profiles: a profile sits in its domain's subnets, so a gap there hides no ML subnet.
      ...PLACEMENT_NEEDS,
    ],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const idx = nfwIndex(scope);
    const nats = new Map(scope.natGateways.map((n) => [n.natGatewayId, n]));
    const drafts: Draft[] = [];
    for (const fw of scope.firewalls) {
      if (!fw.vpcId) continue;
      const mlSubnets = mlSubnetsOf(fw, index, nats);
      if (mlSubnets.length === 0) continue;
      const policy = idx.policies.get(fw.firewallPolicyArn);
      if (!policy) {
        drafts.push(
          notEvaluatedFirewall(
            fw,
            `its policy ${arnName(fw.firewallPolicyArn)} could not be read`,
            'policy-unread',
          ),
        );
        continue;
      }
      const resolved = idx.resolve(policy);
      const unread = resolved.stateful.filter((r) => !r.group).map((r) => r.arn);
      if (unread.length > 0) {
        drafts.push(
          notEvaluatedFirewall(
            fw,
            `stateful rule group ${unread.map(arnName).join(', ')} could not be read`,
            'groups-unread',
          ),
        );
      }
      const vpc = idx.vpcs.get(fw.vpcId);
      for (const ref of resolved.stateful) {
        const group = ref.group;
        if (!group || !usesHomeNet(group)) continue;
        const home = effectiveHomeNet(group, policy, vpc, fw);
        if (!home.addrs) {
          drafts.push({
            status: 'NOT_EVALUATED',
            key: fw.firewallArn,
            resource: ruleGroupResource(group),
            message: `Not evaluated for rule group ${group.ruleGroupName} in firewall ${fw.firewallName}: its HOME_NET cannot be resolved (${home.unknownReason}).`,
            evidence: {
              firewall: fw.firewallName,
              homeNet: { source: home.source, cidrs: home.cidrs ?? null },
            },
            remediation:
              'Define HOME_NET as CIDRs (policy variable or rule group IP set) so that it can be checked.',
          });
          continue;
        }
        const homeAddrs = home.addrs;
        const uncovered = mlSubnets.filter((s) => !homeAddrs.contains(s.addrs));
        if (uncovered.length === 0) continue;
        drafts.push(mismatchDraft(fw, policy.firewallPolicyName, group, home, mlSubnets, uncovered));
      }
    }
    return drafts;
  },
});

function mlSubnetsOf(fw: Firewall, index: ScopeIndex, nats: ReadonlyMap<string, NatGateway>): SeenSubnet[] {
  const out: SeenSubnet[] = [];
  for (const [subnetId, placements] of index.mlBySubnet()) {
    const subnet = index.subnets().get(subnetId);
    if (!subnet || subnet.vpcId !== fw.vpcId) continue;
    const networked = placements.filter((p) => !p.networkIsolation);
    if (networked.length === 0) continue;
    const seen = seenSubnet(subnet, networked, index, nats);
    if (seen) out.push(seen);
  }
  return out.sort((a, b) => a.subnetId.localeCompare(b.subnetId));
}

function notEvaluatedFirewall(fw: Firewall, why: string, key: string): Draft {
  return {
    status: 'NOT_EVALUATED',
    key,
    resource: firewallResource(fw),
    message: `Not evaluated for firewall ${fw.firewallName}: ${why}, so the HOME_NET of its rule groups is unknown.`,
    evidence: { firewallPolicyArn: fw.firewallPolicyArn },
    remediation: 'Collect again with network-firewall:DescribeFirewallPolicy and DescribeRuleGroup allowed.',
  };
}

function mismatchDraft(
  fw: Firewall,
  policyName: string,
  group: RuleGroup,
  home: HomeNet,
  mlSubnets: readonly SeenSubnet[],
  uncovered: readonly SeenSubnet[],
): Draft {
  const consequence = isAllowlist(group)
    ? 'its domain ALLOWLIST does not filter their egress'
    : 'its rules on $HOME_NET do not match their traffic';
  const fix =
    home.source === 'rule-group'
      ? `Add ${uncovered.flatMap((s) => s.seenAs).join(', ')} to the HOME_NET IP set of rule group ${group.ruleGroupName} (or remove it there and set the policy variable HOME_NET of ${policyName})`
      : `Set the policy variable HOME_NET of ${policyName} to include ${uncovered.flatMap((s) => s.seenAs).join(', ')}`;
  const view = (s: SeenSubnet) => ({
    subnetId: s.subnetId,
    cidrs: s.cidrs,
    seenAs: s.seenAs,
    natGatewayId: s.natGatewayId ?? null,
    mlResources: s.mlResources,
  });
  return {
    key: fw.firewallArn,
    resource: ruleGroupResource(group),
    message: `Rule group ${group.ruleGroupName} in firewall ${fw.firewallName} uses HOME_NET ${(home.cidrs ?? []).join(', ')} (${SOURCE_TEXT[home.source]}), which does not cover ML subnet ${uncovered.map(subnetText).join(', ')} in ${fw.vpcId}: ${consequence}.`,
    evidence: {
      firewall: fw.firewallName,
      vpcId: fw.vpcId,
      policy: policyName,
      homeNet: { source: home.source, cidrs: home.cidrs },
      uncovered: uncovered.map(view),
      mlSubnets: mlSubnets.map(view),
    },
    remediation: `${fix}.`,
  };
}
