/** The security-groups rules, in catalogue order. A new rule file in this folder gets its line here. */

import type { Rule } from '../../engine/rule.ts';
import sgDefaultHasRules from './sg-default-has-rules.ts';
import sgMlUnrestrictedEgress from './sg-ml-unrestricted-egress.ts';
import sgRedundantRule from './sg-redundant-rule.ts';
import sgRuleQuota from './sg-rule-quota.ts';
import sgStaleReference from './sg-stale-reference.ts';
import sgUnused from './sg-unused.ts';
import sgWidePublicCidrIngress from './sg-wide-public-cidr-ingress.ts';
import sgWorldIngressAdminPort from './sg-world-ingress-admin-port.ts';
import sgWorldIngressAllPorts from './sg-world-ingress-all-ports.ts';
import sgWorldIngressHighRiskPort from './sg-world-ingress-high-risk-port.ts';
import sgWorldIngressUnauthorizedPort from './sg-world-ingress-unauthorized-port.ts';

export const rules = [
  sgWorldIngressAllPorts,
  sgWorldIngressAdminPort,
  sgWorldIngressHighRiskPort,
  sgWorldIngressUnauthorizedPort,
  sgWidePublicCidrIngress,
  sgDefaultHasRules,
  sgMlUnrestrictedEgress,
  sgStaleReference,
  sgRedundantRule,
  sgUnused,
  sgRuleQuota,
] as Rule<unknown>[];
