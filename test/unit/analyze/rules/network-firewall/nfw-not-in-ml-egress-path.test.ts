import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-not-in-ml-egress-path.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import { route } from '../../../../fixtures/network.ts';
import {
  natBypassesFirewall,
  REF,
  referenceArchitecture,
  smallVpc,
} from '../../../../fixtures/reachability.ts';

describe('nfw-not-in-ml-egress-path', () => {
  describe('non-compliant', () => {
    it('fails for the ML subnet when the NAT route bypasses the firewall in the same VPC', () => {
      // Act
      const findings = run(rule, natBypassesFirewall());
      // Assess
      expect(ids(findings)).toEqual([REF.studioSubnet]);
      expect(findings[0]?.message).toContain(`without crossing firewall ${REF.firewall}`);
    });
  });

  describe('compliant', () => {
    it.each([
      ['the seeds reference architecture', referenceArchitecture()],
      ['a VPC without a firewall', smallVpc({ routes: [route('0.0.0.0/0', 'nat-1')] })],
    ])('passes for %s', (_, s) => {
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual([]);
    });
  });
});
