/**
 * Every rule, in catalogue order, gathered from each category's rules/<category>/index.ts.
 * Adding a rule: one file under rules/<category>/<id>.ts, its line in that folder's index.ts, and its
 * test (test/unit/analyze/rules/<category>/<id>.test.ts); test/unit/analyze/engine/registry.test.ts checks all three.
 */

import { rules as coverage } from '../rules/coverage/index.ts';
import { rules as networkAcls } from '../rules/network-acls/index.ts';
import { rules as networkFirewall } from '../rules/network-firewall/index.ts';
import { rules as reachability } from '../rules/reachability/index.ts';
import { rules as routes } from '../rules/routes/index.ts';
import { rules as sagemaker } from '../rules/sagemaker/index.ts';
import { rules as securityGroups } from '../rules/security-groups/index.ts';
import { rules as vpcEndpoints } from '../rules/vpc-endpoints/index.ts';
import type { Rule } from './rule.ts';

export const RULES: readonly Rule<unknown>[] = [
  ...securityGroups,
  ...networkAcls,
  ...routes,
  ...vpcEndpoints,
  ...sagemaker,
  ...networkFirewall,
  ...reachability,
  ...coverage,
];

export function findRule(id: string): Rule<unknown> | undefined {
  return RULES.find((r) => r.meta.id === id);
}
