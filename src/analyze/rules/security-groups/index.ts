/** The security-groups rules, in catalogue order. A new rule file in this folder gets its line here. */

import type { Rule } from '../../rule.ts';
import sgWorldIngressAdminPort from './sg-world-ingress-admin-port.ts';
import sgWorldIngressAllPorts from './sg-world-ingress-all-ports.ts';

export const rules = [sgWorldIngressAllPorts, sgWorldIngressAdminPort] as Rule<unknown>[];
