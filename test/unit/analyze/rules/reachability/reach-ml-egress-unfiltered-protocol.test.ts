import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/reachability/reach-ml-egress-unfiltered-protocol.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  natBypassesFirewall,
  REF,
  referenceArchitecture,
  statelessDefaultPass,
  statelessPassRule,
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
      expect(findings[0]?.evidence).not.toHaveProperty('statelessPassedBy');
    });

    it('reports a path the stateless default aws:pass lets through as crossing the firewall uninspected, naming the default', () => {
      // Act
      const findings = run(rule, statelessDefaultPass());
      // Assess
      expect(ids(findings)).toEqual([REF.domain]);
      expect(findings[0]?.message).toContain(`crosses firewall ${REF.firewall} to ${REF.igw} uninspected`);
      expect(findings[0]?.message).toContain('the stateless default action aws:pass of policy');
      expect(findings[0]?.message).not.toContain('without crossing');
      expect(findings[0]?.evidence.statelessPassedBy).toEqual([
        expect.stringMatching(/^the stateless default action aws:pass of policy /),
      ]);
      expect(findings[0]?.remediation).toContain('aws:forward_to_sfe');
    });

    it('names the stateless pass rule that lets part of the traffic skip inspection', () => {
      // Act
      const findings = run(rule, statelessPassRule());
      // Assess
      expect(ids(findings)).toEqual([REF.domain]);
      expect(findings[0]?.message).toContain(
        'tcp 22 of it passed by the stateless engine (stateless group ssh-pass rule priority 1 aws:pass) uninspected',
      );
      expect(findings[0]?.evidence.statelessPassedBy).toEqual([
        'stateless group ssh-pass rule priority 1 aws:pass',
      ]);
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
