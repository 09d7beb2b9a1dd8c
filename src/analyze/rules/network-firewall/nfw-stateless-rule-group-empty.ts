import { z } from 'zod';
import { arnName, nfwIndex } from '../../aws/network-firewall/resolution.ts';
import { unreadGroups } from '../../aws/network-firewall/unread.ts';
import { resourceOfKind, ruleGroupResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'nfw-stateless-rule-group-empty',
    title: 'Stateless Network Firewall rule group has no rules',
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'An empty stateless rule group filters nothing while it appears in the policy as a control: traffic falls through to the default actions, and reviewers assume a filter that does not exist.',
    remediation:
      'Add the intended stateless rules to the group (UpdateRuleGroup), or remove the group from the policies that reference it.',
    references: ['FSBP NetworkFirewall.6'],
    docs: `Fails for each rule group of type \`STATELESS\` with no stateless rules. The evidence lists the policies that reference it.

Does not fail: a stateful group with no rules (FSBP does not cover those); a stateless group with rules of any action.

Not evaluated: a stateless group a policy references that could not be read.`,
    needs: ['ruleGroups'],
    // Only to name the policies that reference a group (and the groups they reference but were not read).
    optionalReads: ['firewallPolicies'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const idx = nfwIndex(scope);
    const drafts: Draft[] = [];
    for (const u of unreadGroups(scope)) {
      if (u.kind !== 'stateless' || u.gap) continue; // a gap is reported by the runner
      drafts.push({
        status: 'NOT_EVALUATED',
        key: 'group-unread',
        resource: resourceOfKind(scope, 'ruleGroups', u.arn),
        message: `Not evaluated for stateless rule group ${arnName(u.arn)}: it is not in the inventory (referenced by policy ${u.policies.map((p) => p.firewallPolicyName).join(', ')}).`,
        evidence: { ruleGroupArn: u.arn, policies: u.policies.map((p) => p.firewallPolicyName) },
        remediation: 'Collect again with network-firewall:DescribeRuleGroup allowed.',
      });
    }
    for (const group of scope.ruleGroups) {
      if (group.type.toUpperCase() !== 'STATELESS' || (group.statelessRules?.length ?? 0) > 0) continue;
      const policies = idx.policiesByGroup.get(group.ruleGroupArn) ?? [];
      drafts.push({
        resource: ruleGroupResource(group),
        message: `Stateless rule group ${group.ruleGroupName} has no rules${policies.length ? `, yet policy ${policies.map((p) => p.firewallPolicyName).join(', ')} references it` : ''}.`,
        evidence: {
          capacity: group.capacity ?? null,
          customActions: group.statelessCustomActionNames ?? [],
          policies: policies.map((p) => p.firewallPolicyName),
        },
        remediation: `Add the intended stateless rules to ${group.ruleGroupName}, or remove it from ${policies.length ? policies.map((p) => p.firewallPolicyName).join(', ') : 'the policies that reference it'}.`,
      });
    }
    return drafts;
  },
});
