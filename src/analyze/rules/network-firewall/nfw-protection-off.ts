import { z } from 'zod';
import { firewallResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

const PROTECTIONS = [
  { field: 'deleteProtection', setting: 'DeleteProtection', what: 'deletion' },
  { field: 'subnetChangeProtection', setting: 'SubnetChangeProtection', what: 'subnet-change' },
  {
    field: 'firewallPolicyChangeProtection',
    setting: 'FirewallPolicyChangeProtection',
    what: 'policy change',
  },
] as const;

/** "a", "a and b", "a, b and c". */
function listText(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export default defineRule({
  meta: {
    id: 'nfw-protection-off',
    title: 'Network Firewall change protection is off',
    severity: 'LOW',
    category: 'network-firewall',
    rationale:
      'Deletion, subnet-change and policy-change protection make removing the firewall, moving its endpoints or swapping its policy a deliberate two-step change. Without them a single mistaken call (or a compromised role) silently removes the inspection that ML egress relies on.',
    remediation:
      'Turn the protections on: UpdateFirewallDeleteProtection, UpdateSubnetChangeProtection and UpdateFirewallPolicyChangeProtection with the setting true.',
    references: ['FSBP NetworkFirewall.9', 'FSBP NetworkFirewall.10'],
    docs: `Fails for each firewall with at least one of \`DeleteProtection\`, \`SubnetChangeProtection\` or \`FirewallPolicyChangeProtection\` false (or absent: the API's default is false). One finding per firewall lists which are off. FSBP NetworkFirewall.9 covers deletion protection and NetworkFirewall.10 subnet-change protection; policy-change protection goes beyond them.

Does not fail: a firewall with all three on. Changes to the policy's own content (its rule groups) are not covered by these flags and not checked here.`,
    needs: ['firewalls'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    return scope.firewalls.flatMap((fw) => {
      const off = PROTECTIONS.filter((p) => !fw[p.field]);
      if (off.length === 0) return [];
      return [
        {
          resource: firewallResource(fw),
          message: `Firewall ${fw.firewallName}${fw.vpcId ? ` in ${fw.vpcId}` : ''} has ${listText(off.map((p) => p.what))} protection off.`,
          evidence: {
            off: off.map((p) => p.setting),
            deleteProtection: fw.deleteProtection,
            subnetChangeProtection: fw.subnetChangeProtection,
            firewallPolicyChangeProtection: fw.firewallPolicyChangeProtection,
          },
          remediation: `Set ${off.map((p) => p.setting).join(', ')} to true on ${fw.firewallName}.`,
        },
      ];
    });
  },
});
