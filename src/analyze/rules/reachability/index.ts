/** The reachability rules, in catalogue order. A new rule file in this folder gets its line here. */
import type { Rule } from '../../engine/rule.ts';
import reachInternetToMl from './reach-internet-to-ml.ts';
import reachMlEgressUnfilteredProtocol from './reach-ml-egress-unfiltered-protocol.ts';
import reachMlEgressUninspected from './reach-ml-egress-uninspected.ts';
import reachMlNoAwsApiPath from './reach-ml-no-aws-api-path.ts';

export const rules = [
  reachInternetToMl,
  reachMlEgressUninspected,
  reachMlEgressUnfilteredProtocol,
  reachMlNoAwsApiPath,
] as Rule<unknown>[];
