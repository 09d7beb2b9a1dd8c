import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-stateless-rule-group-empty.ts';
import type { RuleGroup } from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  firewall,
  nfwArn,
  nfwScope,
  policy,
  statefulGroup,
  statelessGroup,
  statelessRule,
} from '../../../../fixtures/network-firewall.ts';

const scopeWith = (group: RuleGroup) =>
  nfwScope({
    firewalls: [firewall('fw-1')],
    policies: [policy('egress', group.type === 'STATELESS' ? { stateless: [group] } : { stateful: [group] })],
    groups: [group],
  });

describe('nfw-stateless-rule-group-empty', () => {
  describe('non-compliant', () => {
    it.each<[string, RuleGroup]>([
      ['an empty rule list', statelessGroup('empty', [])],
      ['no rules source at all', statelessGroup('empty', [], { statelessRules: undefined })],
      ['only custom actions defined', statelessGroup('empty', [], { statelessCustomActionNames: ['Count'] })],
    ])('fails for %s', (_, group) => {
      // Act
      const findings = run(rule, scopeWith(group));
      // Assess
      expect(ids(findings)).toEqual(['empty']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP NetworkFirewall.6'],
        resource: { type: 'AWS::NetworkFirewall::RuleGroup' },
        message: 'Stateless rule group empty has no rules, yet policy egress references it.',
      });
    });
  });

  describe('compliant', () => {
    it.each<[string, RuleGroup]>([
      ['a stateless group with a rule', statelessGroup('full', [statelessRule(1, ['aws:forward_to_sfe'])])],
      ['an empty stateful group (not covered)', statefulGroup('stateful-empty')],
    ])('passes for %s', (_, group) => {
      expect(ids(run(rule, scopeWith(group)))).toEqual([]);
    });
  });

  describe('not evaluated', () => {
    it('reports a referenced stateless group that was not read', () => {
      const p = policy(
        'egress',
        {},
        {
          statelessRuleGroupReferences: [{ resourceArn: nfwArn('stateless-rulegroup', 'lost'), priority: 1 }],
        },
      );
      const findings = run(rule, nfwScope({ firewalls: [firewall('fw-1')], policies: [p] }));
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'lost']]);
    });
  });
});
