import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/reachability/reach-ml-egress-unfiltered-protocol.ts';
import type { RegionInventory } from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  natBypassesFirewall,
  REF,
  referenceArchitecture,
  strictDropEstablished,
} from '../../../../fixtures/reachability.ts';

/** The reference architecture with the policy's stateless default set to aws:pass. */
function statelessDefaultPass(): RegionInventory {
  const s = referenceArchitecture();
  for (const p of s.firewallPolicies) p.statelessDefaultActions = ['aws:pass'];
  return s;
}

/** The reference architecture with a stateless group whose priority-1 rule passes tcp/22. */
function statelessPassRule(): RegionInventory {
  const s = referenceArchitecture();
  const arn = 'arn:aws:network-firewall:us-east-1:111122223333:stateless-rulegroup/ssh-pass';
  s.ruleGroups.push({
    ruleGroupArn: arn,
    ruleGroupName: 'ssh-pass',
    type: 'STATELESS',
    ipSets: {},
    portSets: {},
    statelessRules: [
      {
        priority: 1,
        actions: ['aws:pass'],
        sources: [],
        destinations: [],
        sourcePorts: [],
        destinationPorts: [{ from: 22, to: 22 }],
        protocols: [6],
        tcpFlags: [],
      },
    ],
  });
  for (const p of s.firewallPolicies) p.statelessRuleGroupReferences.push({ resourceArn: arn, priority: 1 });
  return s;
}

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
