/** The coverage rules, in catalogue order. A new rule file in this folder gets its line here. */

import type { Rule } from '../../engine/rule.ts';
import auditCoverageGap from './audit-coverage-gap.ts';

export const rules = [auditCoverageGap] as Rule<unknown>[];
