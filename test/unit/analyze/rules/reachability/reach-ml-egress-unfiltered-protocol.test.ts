import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/reachability/reach-ml-egress-unfiltered-protocol.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  natBypassesFirewall,
  REF,
  referenceArchitecture,
  strictDropEstablished,
} from '../../../../fixtures/reachability.ts';

describe('reach-ml-egress-unfiltered-protocol', () => {
  describe('non-compliant', () => {
    it('fails for the seeds reference architecture: every non-HTTP/TLS protocol passes the action-order allowlist', () => {
      // Act
      const findings = run(rule, referenceArchitecture());
      // Assess
      expect(ids(findings)).toEqual([REF.domain]);
      expect(findings[0]?.message).toContain(`crosses firewall ${REF.firewall}`);
      expect(findings[0]?.message).toContain('SSH tcp/22');
      expect(findings[0]?.evidence.unfiltered).toEqual([
        { protocol: 'all', ports: 'all', except: ['tcp'] },
        { protocol: 'tcp', ports: '0-79, 81-442, 444-65535' },
      ]);
      expect(findings[0]?.message).toContain('other protocols on tcp/80, 443 pass too');
    });
  });

  describe('compliant', () => {
    it.each([
      ['strict order with aws:drop_established', strictDropEstablished()],
      ['no firewall on the path (reach-ml-egress-uninspected reports it)', natBypassesFirewall()],
    ])('passes for %s', (_, s) => {
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual([]);
    });
  });
});
