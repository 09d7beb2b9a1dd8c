import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/reachability/reach-ml-egress-uninspected.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import { route } from '../../../../fixtures/network.ts';
import {
  natBypassesFirewall,
  REF,
  referenceArchitecture,
  smallVpc,
  statelessDefaultPass,
  statelessPassRule,
  strictDropEstablished,
} from '../../../../fixtures/reachability.ts';

describe('reach-ml-egress-uninspected', () => {
  describe('non-compliant', () => {
    it('fails when the NAT subnet routes straight to the IGW, naming ports and exit', () => {
      // Act
      const findings = run(rule, natBypassesFirewall());
      // Assess
      expect(ids(findings)).toEqual([REF.domain]);
      expect(findings[0]?.message).toContain('all traffic');
      expect(findings[0]?.message).toContain(`NAT and ${REF.igw}`);
      expect(findings[0]?.evidence.hops).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'nat' })]),
      );
    });

    it.each([
      ['a NAT gateway without a firewall', smallVpc({ routes: [route('0.0.0.0/0', 'nat-1')] })],
      [
        'a notebook with DirectInternetAccess',
        smallVpc({ routes: [], notebook: { directInternetAccess: 'Enabled' } }),
      ],
    ])('fails for %s', (_, s) => {
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['nb-1']);
    });
  });

  describe('compliant', () => {
    it.each([
      ['the seeds reference architecture', referenceArchitecture()],
      ['strict order with aws:drop_established', strictDropEstablished()],
      ['no route to the internet', smallVpc({ routes: [] })],
      [
        'a firewall whose stateless default is aws:pass (the route crosses it: reach-ml-egress-unfiltered-protocol reports it)',
        statelessDefaultPass(),
      ],
      ['a firewall with a stateless pass rule for tcp/22', statelessPassRule()],
    ])('passes for %s', (_, s) => {
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual([]);
    });
  });
});
