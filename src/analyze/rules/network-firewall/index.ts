/** The network-firewall rules, in catalogue order. A new rule file in this folder gets its line here. */
import type { Rule } from '../../engine/rule.ts';
import nfwAllowlistOverbroad from './nfw-allowlist-overbroad.ts';
import nfwAllowlistProtocolGap from './nfw-allowlist-protocol-gap.ts';
import nfwAsymmetricReturn from './nfw-asymmetric-return.ts';
import nfwHomeNetMismatch from './nfw-home-net-mismatch.ts';
import nfwLoggingDisabled from './nfw-logging-disabled.ts';
import nfwNotInMlEgressPath from './nfw-not-in-ml-egress-path.ts';
import nfwPolicyNoRuleGroups from './nfw-policy-no-rule-groups.ts';
import nfwProtectionOff from './nfw-protection-off.ts';
import nfwSingleAz from './nfw-single-az.ts';
import nfwStatelessDefaultPass from './nfw-stateless-default-pass.ts';
import nfwStatelessFragmentDefaultPass from './nfw-stateless-fragment-default-pass.ts';
import nfwStatelessRuleGroupEmpty from './nfw-stateless-rule-group-empty.ts';

export const rules = [
  nfwLoggingDisabled,
  nfwSingleAz,
  nfwProtectionOff,
  nfwPolicyNoRuleGroups,
  nfwStatelessDefaultPass,
  nfwStatelessFragmentDefaultPass,
  nfwStatelessRuleGroupEmpty,
  nfwAllowlistProtocolGap,
  nfwAllowlistOverbroad,
  nfwHomeNetMismatch,
  nfwNotInMlEgressPath,
  nfwAsymmetricReturn,
] as Rule<unknown>[];
