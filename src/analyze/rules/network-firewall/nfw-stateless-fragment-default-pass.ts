import { z } from 'zod';
import { statelessDefault } from '../../aws/network-firewall/policy-order.ts';
import { nfwIndex } from '../../aws/network-firewall/resolution.ts';
import { unreadPolicyDrafts } from '../../aws/network-firewall/unread.ts';
import { firewallPolicyResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'nfw-stateless-fragment-default-pass',
    title: 'Network Firewall passes unmatched fragmented packets without stateful inspection',
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'With aws:pass as the stateless default action for fragmented packets, fragments that no stateless rule matches leave without stateful inspection: deliberately fragmented traffic can slip past the domain allowlist and every stateful rule.',
    remediation:
      'Set the stateless default action for fragmented packets to aws:forward_to_sfe or aws:drop (UpdateFirewallPolicy: StatelessFragmentDefaultActions).',
    references: ['FSBP NetworkFirewall.5'],
    docs: `Fails for each firewall policy whose \`StatelessFragmentDefaultActions\` has the standard action \`aws:pass\`. A custom action in the list only adds a metric dimension: the verdict is the standard action's.

Does not fail: \`aws:forward_to_sfe\` or \`aws:drop\`; a policy whose full-packet default is aws:pass but fragment default is not (that is nfw-stateless-default-pass).

Not evaluated: a policy a firewall uses that could not be read.`,
    needs: ['firewalls', 'firewallPolicies'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const idx = nfwIndex(scope);
    const drafts: Draft[] = unreadPolicyDrafts(scope);
    for (const policy of scope.firewallPolicies) {
      const d = statelessDefault(policy, 'fragment');
      if (d.standard !== 'aws:pass') continue;
      const firewalls = idx.firewallsByPolicy.get(policy.firewallPolicyArn) ?? [];
      const full = statelessDefault(policy, 'full').standard;
      drafts.push({
        resource: firewallPolicyResource(policy),
        message: `Firewall policy ${policy.firewallPolicyName} has stateless default action aws:pass${d.custom.length ? ` (with custom action ${d.custom.join(', ')})` : ''} for fragmented packets (full packets: ${full ?? 'none'}), so unmatched fragments skip stateful inspection${firewalls.length ? `; used by firewall ${firewalls.map((f) => f.firewallName).join(', ')}` : ''}.`,
        evidence: {
          statelessFragmentDefaultActions: d.actions,
          standardAction: d.standard,
          customActions: d.custom,
          statelessDefaultActions: policy.statelessDefaultActions,
          statefulRuleGroupsBypassed: policy.statefulRuleGroupReferences.length,
          firewalls: firewalls.map((f) => f.firewallName),
        },
        remediation: `Set the stateless default action for fragmented packets of ${policy.firewallPolicyName} to ${full === 'aws:drop' ? 'aws:drop' : 'aws:forward_to_sfe'}, like its full-packet default.`,
      });
    }
    return drafts;
  },
});
