/**
 * AWS Network Firewall semantics, pure. What could not be read: policies and rule groups that are referenced but not in the inventory.
 */
import type { CoverageGap, Firewall, FirewallPolicy, RegionInventory } from '../../../inventory/schema.ts';
import { resourceOfKind } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { arnName, nfwIndex } from './resolution.ts';

export interface UnreadPolicy {
  arn: string;
  /** Firewalls that use it. */
  firewalls: Firewall[];
  /** The coverage gap that explains it; undefined when the inventory holds none (the rule must say so). */
  gap: CoverageGap | undefined;
}

/** Policies that firewalls use but that are not in the inventory. */
export function unreadPolicies(scope: RegionInventory): UnreadPolicy[] {
  const idx = nfwIndex(scope);
  const out: UnreadPolicy[] = [];
  for (const [arn, firewalls] of idx.firewallsByPolicy) {
    if (idx.policies.has(arn)) continue;
    out.push({ arn, firewalls, gap: idx.gapFor('firewallPolicies', arn) });
  }
  return out;
}

export interface UnreadGroup {
  arn: string;
  kind: 'stateless' | 'stateful';
  /** Policies that reference it. */
  policies: FirewallPolicy[];
  /** The coverage gap that explains it (about the group, or about its policy); undefined when none. */
  gap: CoverageGap | undefined;
}

/** Rule groups that policies reference but that are not in the inventory. */
export function unreadGroups(scope: RegionInventory): UnreadGroup[] {
  const idx = nfwIndex(scope);
  const out: UnreadGroup[] = [];
  for (const [arn, policies] of idx.policiesByGroup) {
    if (idx.groups.has(arn)) continue;
    const stateless = policies.some((p) => p.statelessRuleGroupReferences.some((r) => r.resourceArn === arn));
    const gap =
      idx.gapFor('ruleGroups', arn) ??
      policies.map((p) => idx.gapFor('ruleGroups', p.firewallPolicyArn)).find((g) => g !== undefined);
    out.push({ arn, kind: stateless ? 'stateless' : 'stateful', policies, gap });
  }
  return out;
}

/**
 * NOT_EVALUATED drafts for policies that firewalls use but the inventory lacks with no coverage gap to
 * say so (a gap is reported by the runner itself): a policy-level rule must never read as clean for them.
 */
export function unreadPolicyDrafts(scope: RegionInventory): Draft[] {
  return unreadPolicies(scope)
    .filter((u) => u.gap === undefined)
    .map((u) => ({
      status: 'NOT_EVALUATED' as const,
      key: 'policy-unread',
      resource: resourceOfKind(scope, 'firewallPolicies', u.arn),
      message: `Not evaluated for firewall policy ${arnName(u.arn)}: it is not in the inventory (used by firewall ${u.firewalls.map((f) => f.firewallName).join(', ')}).`,
      evidence: { firewallPolicyArn: u.arn, firewalls: u.firewalls.map((f) => f.firewallArn) },
      remediation: 'Collect again with network-firewall:DescribeFirewallPolicy allowed.',
    }));
}
