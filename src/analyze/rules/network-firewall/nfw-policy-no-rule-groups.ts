import { z } from 'zod';
import {
  describeStatefulDefault,
  statefulDefault,
  statelessDefault,
} from '../../aws/network-firewall/policy-order.ts';
import { nfwIndex } from '../../aws/network-firewall/resolution.ts';
import { unreadPolicyDrafts } from '../../aws/network-firewall/unread.ts';
import { firewallPolicyResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'nfw-policy-no-rule-groups',
    title: 'Network Firewall policy has no rule groups',
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'A firewall policy without stateless or stateful rule groups inspects nothing: every packet gets the default actions only, so the firewall in front of ML workloads filters no domain, port or protocol while the architecture suggests it does.',
    remediation:
      'Reference at least one rule group from the policy: for ML egress, a stateful domain ALLOWLIST (TLS_SNI and HTTP_HOST) under STRICT_ORDER with a drop default action.',
    references: ['FSBP NetworkFirewall.3'],
    docs: `Fails for each firewall policy that references no stateless and no stateful rule group. The evidence gives the default actions that then decide all traffic and the firewalls that use the policy.

Does not fail: a policy with at least one rule group of either kind, even an empty one (see nfw-stateless-rule-group-empty) or one that allows everything.

Not evaluated: a policy a firewall uses that could not be read.`,
    needs: ['firewalls', 'firewallPolicies'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const idx = nfwIndex(scope);
    const drafts: Draft[] = unreadPolicyDrafts(scope);
    for (const policy of scope.firewallPolicies) {
      if (policy.statelessRuleGroupReferences.length > 0 || policy.statefulRuleGroupReferences.length > 0)
        continue;
      const firewalls = idx.firewallsByPolicy.get(policy.firewallPolicyArn) ?? [];
      const stateless = statelessDefault(policy, 'full');
      const stateful = statefulDefault(policy);
      drafts.push({
        resource: firewallPolicyResource(policy),
        message: `Firewall policy ${policy.firewallPolicyName} references no rule group, so all traffic gets only the defaults (stateless ${stateless.standard ?? 'none'}, then ${describeStatefulDefault(stateful)})${firewalls.length ? `; used by firewall ${firewalls.map((f) => f.firewallName).join(', ')}` : ''}.`,
        evidence: {
          statelessDefaultActions: policy.statelessDefaultActions,
          statelessFragmentDefaultActions: policy.statelessFragmentDefaultActions,
          ruleOrder: stateful.order,
          statefulDefaultActions: policy.statefulDefaultActions,
          firewalls: firewalls.map((f) => f.firewallName),
        },
      });
    }
    return drafts;
  },
});
