import { z } from 'zod';
import { statelessDefault } from '../../aws/network-firewall/policy-order.ts';
import { nfwIndex } from '../../aws/network-firewall/resolution.ts';
import { unreadPolicyDrafts } from '../../aws/network-firewall/unread.ts';
import { firewallPolicyResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'nfw-stateless-default-pass',
    title: 'Network Firewall passes unmatched full packets without stateful inspection',
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'With aws:pass as the stateless default action for full packets, every packet that no stateless rule matches leaves without reaching the stateful engine: domain allowlists, Suricata rules and stateful default actions never see it, so ML egress is effectively unfiltered.',
    remediation:
      'Set the stateless default action for full packets to aws:forward_to_sfe (inspect with the stateful rule groups) or aws:drop (UpdateFirewallPolicy: StatelessDefaultActions).',
    references: ['FSBP NetworkFirewall.4'],
    docs: `Fails for each firewall policy whose \`StatelessDefaultActions\` (full packets) has the standard action \`aws:pass\`. A custom action in the list only adds a metric dimension: the verdict is the standard action's.

Does not fail: \`aws:forward_to_sfe\` (the recommended setting) or \`aws:drop\`; stateless rules with an \`aws:pass\` action (deliberate, and narrower).

Not evaluated: a policy a firewall uses that could not be read. Fragmented packets are the subject of nfw-stateless-fragment-default-pass.`,
    needs: ['firewalls', 'firewallPolicies'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const idx = nfwIndex(scope);
    const drafts: Draft[] = unreadPolicyDrafts(scope);
    for (const policy of scope.firewallPolicies) {
      const d = statelessDefault(policy, 'full');
      if (d.standard !== 'aws:pass') continue;
      const firewalls = idx.firewallsByPolicy.get(policy.firewallPolicyArn) ?? [];
      const stateful = policy.statefulRuleGroupReferences.length;
      drafts.push({
        resource: firewallPolicyResource(policy),
        message: `Firewall policy ${policy.firewallPolicyName} has stateless default action aws:pass${d.custom.length ? ` (with custom action ${d.custom.join(', ')})` : ''} for full packets, so unmatched traffic leaves without stateful inspection${stateful ? ` (its ${stateful} stateful rule group${stateful === 1 ? ' never sees' : 's never see'} it)` : ''}${firewalls.length ? `; used by firewall ${firewalls.map((f) => f.firewallName).join(', ')}` : ''}.`,
        evidence: {
          statelessDefaultActions: d.actions,
          standardAction: d.standard,
          customActions: d.custom,
          statelessRuleGroups: policy.statelessRuleGroupReferences.length,
          statefulRuleGroupsBypassed: stateful,
          firewalls: firewalls.map((f) => f.firewallName),
        },
        remediation: `Set the stateless default action for full packets of ${policy.firewallPolicyName} to aws:forward_to_sfe${d.custom.length ? ` (keeping ${d.custom.join(', ')} if wanted)` : ''}.`,
      });
    }
    return drafts;
  },
});
