import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-asymmetric-return.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  edgeRouteMissing,
  REF,
  referenceArchitecture,
  strictDropEstablished,
} from '../../../../fixtures/reachability.ts';

describe('nfw-asymmetric-return', () => {
  describe('non-compliant', () => {
    it('fails for the firewall when the IGW edge route table is missing, naming the gateway and subnet', () => {
      // Act
      const findings = run(rule, edgeRouteMissing());
      // Assess
      expect(findings.map((f) => f.resource.name ?? f.resource.id)).toEqual([REF.firewall]);
      expect(findings[0]?.message).toContain(`${REF.igw} has no edge route table`);
      expect(findings[0]?.message).toContain(REF.natSubnet);
      expect(findings[0]?.message).toMatch(
        /^Return traffic from igw-\S+ for all traffic that .+ out through firewall .+ is asymmetric: /,
      );
      expect(findings[0]?.evidence.ports).toEqual([{ protocol: 'all', ports: 'all' }]);
    });

    it('keeps one fingerprint whichever ML resource is listed first', () => {
      // Act
      const s = edgeRouteMissing();
      const forward = run(rule, s);
      const reversed = run(rule, {
        ...s,
        sagemakerDomains: [...s.sagemakerDomains].reverse(),
        trainingJobs: [...s.trainingJobs].reverse(),
      });
      // Assess
      expect(reversed.map((f) => f.fingerprint)).toEqual(forward.map((f) => f.fingerprint));
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
