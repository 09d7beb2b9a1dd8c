import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-policy-no-rule-groups.ts';
import type { FirewallPolicy, RuleGroup } from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  actionOrderPolicy,
  allowlist,
  firewall,
  nfwArn,
  nfwScope,
  policy,
  statelessGroup,
  statelessRule,
} from '../../../../fixtures/network-firewall.ts';

const list = allowlist('allow', ['.example.com']);
const stateless = statelessGroup('stateless', [statelessRule(1, ['aws:drop'], { protocols: [47] })]);

describe('nfw-policy-no-rule-groups', () => {
  describe('non-compliant', () => {
    it.each<[string, FirewallPolicy]>([
      ['a strict policy with no group', policy('egress')],
      ['an action-order policy with no group', actionOrderPolicy('egress')],
    ])('fails for %s', (_, p) => {
      // Act
      const findings = run(rule, nfwScope({ firewalls: [firewall('fw-1')], policies: [p] }));
      // Assess
      expect(ids(findings)).toEqual(['egress']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP NetworkFirewall.3'],
        resource: { type: 'AWS::NetworkFirewall::FirewallPolicy', arn: nfwArn('firewall-policy', 'egress') },
        evidence: { firewalls: ['fw-1'] },
      });
    });

    it('names the defaults that decide all traffic and the firewall', () => {
      const [f] = run(
        rule,
        nfwScope({ firewalls: [firewall('fw-1')], policies: [actionOrderPolicy('egress')] }),
      );
      expect(f?.message).toBe(
        'Firewall policy egress references no rule group, so all traffic gets only the defaults (stateless aws:forward_to_sfe, then DEFAULT_ACTION_ORDER (no default action: unmatched traffic passes)); used by firewall fw-1.',
      );
    });
  });

  describe('compliant', () => {
    it.each<[string, FirewallPolicy, RuleGroup[]]>([
      ['a stateful group only', policy('egress', { stateful: [list] }), [list]],
      ['a stateless group only', policy('egress', { stateless: [stateless] }), [stateless]],
      [
        'an empty stateless group (nfw-stateless-rule-group-empty reports it)',
        policy('egress', { stateless: [statelessGroup('empty', [])] }),
        [],
      ],
    ])('passes with %s', (_, p, groups) => {
      expect(ids(run(rule, nfwScope({ firewalls: [firewall('fw-1')], policies: [p], groups })))).toEqual([]);
    });
  });

  describe('not evaluated', () => {
    it('reports the policy when it could not be read, from the collector gap', () => {
      const findings = run(
        rule,
        nfwScope({
          firewalls: [firewall('fw-1')],
          fill: {
            gaps: [
              {
                service: 'network-firewall',
                operation: 'DescribeFirewallPolicy',
                kind: 'firewallPolicies',
                resourceId: nfwArn('firewall-policy', 'egress'),
                errorCode: 'AccessDeniedException',
                message: 'denied',
              },
            ],
          },
        }),
      );
      expect(findings.map((f) => [f.status, f.resource.id, f.resource.type])).toEqual([
        ['NOT_EVALUATED', 'egress', 'AWS::NetworkFirewall::FirewallPolicy'],
      ]);
    });

    it('reports the policy when it is missing without a gap', () => {
      const findings = run(rule, nfwScope({ firewalls: [firewall('fw-1')] }));
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'egress']]);
      expect(findings[0]?.message).toContain('used by firewall fw-1');
    });
  });
});
