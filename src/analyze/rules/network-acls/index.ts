/** The network-acls rules, in catalogue order. A new rule file in this folder gets its line here. */

import type { Rule } from '../../rule.ts';
import naclWorldIngressAdminPort from './nacl-world-ingress-admin-port.ts';

export const rules = [naclWorldIngressAdminPort] as Rule<unknown>[];
