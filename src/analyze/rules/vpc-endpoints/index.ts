/** The vpc-endpoints rules, in catalogue order. A new rule file in this folder gets its line here. */
import type { Rule } from '../../rule.ts';

export const rules = [] as Rule<unknown>[];
