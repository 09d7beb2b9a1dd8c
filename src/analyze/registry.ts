/**
 * Every rule, in catalogue order. Adding a rule: one file under rules/<category>/<id>.ts, its line
 * here, and its test (test/unit/rules/<id>.test.ts); test/unit/rules/registry.test.ts checks all three.
 */

import type { Rule } from './rule.ts';
import auditCoverageGap from './rules/coverage/audit-coverage-gap.ts';
import naclWorldIngressAdminPort from './rules/network-acls/nacl-world-ingress-admin-port.ts';
import sagemakerDomainPublicInternet from './rules/sagemaker/sagemaker-domain-public-internet.ts';
import sagemakerNotebookDirectInternet from './rules/sagemaker/sagemaker-notebook-direct-internet.ts';
import sagemakerTrainingNoNetworkIsolation from './rules/sagemaker/sagemaker-training-no-network-isolation.ts';
import sgWorldIngressAdminPort from './rules/security-groups/sg-world-ingress-admin-port.ts';
import sgWorldIngressAllPorts from './rules/security-groups/sg-world-ingress-all-ports.ts';

export const RULES: readonly Rule<unknown>[] = [
  sgWorldIngressAllPorts,
  sgWorldIngressAdminPort,
  naclWorldIngressAdminPort,
  sagemakerDomainPublicInternet,
  sagemakerNotebookDirectInternet,
  sagemakerTrainingNoNetworkIsolation,
  auditCoverageGap,
] as Rule<unknown>[];

export function findRule(id: string): Rule<unknown> | undefined {
  return RULES.find((r) => r.meta.id === id);
}
