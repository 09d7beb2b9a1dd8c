import { describe, expect, it } from 'vitest';
import rule from '../../../src/analyze/rules/network-firewall/nfw-asymmetric-return.ts';
import { ids, run } from '../../fixtures/inventory.ts';
import {
  edgeRouteMissing,
  REF,
  referenceArchitecture,
  strictDropEstablished,
} from '../../fixtures/reachability.ts';

describe('nfw-asymmetric-return', () => {
  describe('non-compliant', () => {
    it('fails for the firewall when the IGW edge route table is missing, naming the gateway and subnet', () => {
      // Act
      const findings = run(rule, edgeRouteMissing());
      // Assess
      expect(findings.map((f) => f.resource.name ?? f.resource.id)).toEqual([REF.firewall]);
      expect(findings[0]?.message).toContain(`${REF.igw} has no edge route table`);
      expect(findings[0]?.message).toContain(REF.natSubnet);
    });
  });

  describe('compliant', () => {
    it.each([
      ['the seeds reference architecture (edge route back through the endpoint)', referenceArchitecture()],
      ['strict order variant', strictDropEstablished()],
    ])('passes for %s', (_, s) => {
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual([]);
    });
  });
});
