/** The network-acls rules, in catalogue order. A new rule file in this folder gets its line here. */

import type { Rule } from '../../engine/rule.ts';
import naclMissingReturnPath from './nacl-missing-return-path.ts';
import naclShadowedRule from './nacl-shadowed-rule.ts';
import naclUnused from './nacl-unused.ts';
import naclWorldIngressAdminPort from './nacl-world-ingress-admin-port.ts';
import naclWorldIngressAll from './nacl-world-ingress-all.ts';

export const rules = [
  naclWorldIngressAll,
  naclWorldIngressAdminPort,
  naclShadowedRule,
  naclMissingReturnPath,
  naclUnused,
] as Rule<unknown>[];
