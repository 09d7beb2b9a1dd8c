import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-stateless-default-pass.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  allowlist,
  firewall,
  nfwArn,
  nfwScope,
  policy,
  referenceArchitecture,
} from '../../../../fixtures/network-firewall.ts';

const list = allowlist('allow', ['.example.com']);
const withDefaults = (
  statelessDefaultActions: string[],
  statelessFragmentDefaultActions = ['aws:forward_to_sfe'],
) =>
  nfwScope({
    firewalls: [firewall('fw-1')],
    policies: [
      policy('egress', { stateful: [list] }, { statelessDefaultActions, statelessFragmentDefaultActions }),
    ],
    groups: [list],
  });

describe('nfw-stateless-default-pass', () => {
  describe('non-compliant', () => {
    it.each([
      ['aws:pass', ['aws:pass']],
      ['aws:pass with a custom action', ['CountUnmatched', 'aws:pass']],
    ])('fails for %s', (_, actions) => {
      // Act
      const findings = run(rule, withDefaults(actions));
      // Assess
      expect(ids(findings)).toEqual(['egress']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP NetworkFirewall.4'],
        evidence: { standardAction: 'aws:pass', statefulRuleGroupsBypassed: 1, firewalls: ['fw-1'] },
      });
    });

    it('says what is bypassed', () => {
      const [f] = run(rule, withDefaults(['aws:pass', 'CountUnmatched']));
      expect(f?.message).toBe(
        'Firewall policy egress has stateless default action aws:pass (with custom action CountUnmatched) for full packets, so unmatched traffic leaves without stateful inspection (its 1 stateful rule group never sees it); used by firewall fw-1.',
      );
    });
  });

  describe('compliant', () => {
    it.each([
      ['aws:forward_to_sfe', ['aws:forward_to_sfe']],
      ['aws:drop', ['aws:drop']],
      ['a custom action beside aws:forward_to_sfe', ['aws:forward_to_sfe', 'PassCounter']],
    ])('passes for %s', (_, actions) => {
      expect(ids(run(rule, withDefaults(actions)))).toEqual([]);
    });

    it('passes on the reference architecture (seed 003: aws:forward_to_sfe for full packets)', () => {
      expect(ids(run(rule, referenceArchitecture()))).toEqual([]);
    });

    it('passes when only the fragment default is aws:pass (nfw-stateless-fragment-default-pass reports it)', () => {
      expect(ids(run(rule, withDefaults(['aws:forward_to_sfe'], ['aws:pass'])))).toEqual([]);
    });
  });

  describe('not evaluated', () => {
    it('reports a policy that could not be read', () => {
      const findings = run(
        rule,
        nfwScope({
          firewalls: [firewall('fw-1', { firewallPolicyArn: nfwArn('firewall-policy', 'hidden') })],
        }),
      );
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'hidden']]);
    });
  });
});
