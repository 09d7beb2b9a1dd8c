import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-protection-off.ts';
import type { Firewall } from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import { firewall, nfwScope } from '../../../../fixtures/network-firewall.ts';

describe('nfw-protection-off', () => {
  describe('non-compliant', () => {
    it.each<[string, Partial<Firewall>, string[]]>([
      ['deletion protection off', { deleteProtection: false }, ['DeleteProtection']],
      ['subnet change protection off', { subnetChangeProtection: false }, ['SubnetChangeProtection']],
      [
        'policy change protection off',
        { firewallPolicyChangeProtection: false },
        ['FirewallPolicyChangeProtection'],
      ],
      [
        'all three off',
        { deleteProtection: false, subnetChangeProtection: false, firewallPolicyChangeProtection: false },
        ['DeleteProtection', 'SubnetChangeProtection', 'FirewallPolicyChangeProtection'],
      ],
    ])('fails with %s, in one finding that lists them', (_, extra, off) => {
      // Act
      const findings = run(rule, nfwScope({ firewalls: [firewall('fw-loose', extra)] }));
      // Assess
      expect(ids(findings)).toEqual(['fw-loose']);
      expect(findings[0]).toMatchObject({
        severity: 'LOW',
        references: ['FSBP NetworkFirewall.9', 'FSBP NetworkFirewall.10'],
        evidence: { off },
      });
    });

    it('names the protections in the message', () => {
      const [f] = run(
        rule,
        nfwScope({
          firewalls: [firewall('fw-x', { deleteProtection: false, subnetChangeProtection: false })],
        }),
      );
      expect(f?.message).toBe('Firewall fw-x in vpc-1 has deletion and subnet-change protection off.');
    });
  });

  describe('compliant', () => {
    it.each([['all protections on', firewall('fw-locked')]])('passes with %s', (_, fw) => {
      expect(ids(run(rule, nfwScope({ firewalls: [fw] })))).toEqual([]);
    });
  });
});
