import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-stateless-fragment-default-pass.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  firewall,
  nfwArn,
  nfwScope,
  policy,
  REF,
  referenceArchitecture,
} from '../../../../fixtures/network-firewall.ts';

const withDefaults = (
  statelessFragmentDefaultActions: string[],
  statelessDefaultActions = ['aws:forward_to_sfe'],
) =>
  nfwScope({
    firewalls: [firewall('fw-1')],
    policies: [policy('egress', {}, { statelessDefaultActions, statelessFragmentDefaultActions })],
  });

describe('nfw-stateless-fragment-default-pass', () => {
  describe('non-compliant', () => {
    it.each([
      ['aws:pass', ['aws:pass']],
      ['aws:pass with a custom action', ['aws:pass', 'FragCounter']],
    ])('fails for %s', (_, actions) => {
      // Act
      const findings = run(rule, withDefaults(actions));
      // Assess
      expect(ids(findings)).toEqual(['egress']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        references: ['FSBP NetworkFirewall.5'],
        evidence: { standardAction: 'aws:pass' },
      });
    });

    it('fails on the reference architecture (seed 003: aws:pass for fragments)', () => {
      expect(ids(run(rule, referenceArchitecture()))).toEqual([REF.policy]);
    });

    it('gives the full-packet default beside it and a matching fix', () => {
      const [f] = run(rule, withDefaults(['aws:pass'], ['aws:drop']));
      expect(f?.message).toBe(
        'Firewall policy egress has stateless default action aws:pass for fragmented packets (full packets: aws:drop), so unmatched fragments skip stateful inspection; used by firewall fw-1.',
      );
      expect(f?.remediation).toContain('to aws:drop, like its full-packet default');
    });
  });

  describe('compliant', () => {
    it.each([
      ['aws:forward_to_sfe', ['aws:forward_to_sfe']],
      ['aws:drop', ['aws:drop']],
      ['a custom action beside aws:drop', ['FragCounter', 'aws:drop']],
    ])('passes for %s', (_, actions) => {
      expect(ids(run(rule, withDefaults(actions)))).toEqual([]);
    });

    it('passes when only the full-packet default is aws:pass (nfw-stateless-default-pass reports it)', () => {
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
