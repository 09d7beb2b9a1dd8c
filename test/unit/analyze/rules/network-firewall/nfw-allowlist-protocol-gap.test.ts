import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-allowlist-protocol-gap.ts';
import type { FirewallPolicy, RuleGroup } from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  actionOrderPolicy,
  allowlist,
  firewall,
  fiveTuple,
  nfwArn,
  nfwScope,
  policy,
  REF,
  referenceArchitecture,
  statefulGroup,
  statelessGroup,
  statelessRule,
  suricata,
} from '../../../../fixtures/network-firewall.ts';

const list = allowlist('allow-ml', ['.pypi.org', 'files.pythonhosted.org']);
const tlsOnly = allowlist('allow-tls', ['.pypi.org'], ['TLS_SNI']);
const l4Drops = suricata('drop-other', [
  'drop tcp $HOME_NET any -> $EXTERNAL_NET any (msg:"other tcp"; flow:established,to_server; sid:100;)',
  'drop udp $HOME_NET any -> $EXTERNAL_NET any (msg:"udp"; sid:101;)',
  'drop icmp $HOME_NET any -> $EXTERNAL_NET any (msg:"icmp"; sid:102;)',
]);
const webOnlyStateless = statelessGroup('web-only', [
  statelessRule(10, ['aws:forward_to_sfe'], {
    protocols: [6],
    destinationPorts: [
      { from: 80, to: 80 },
      { from: 443, to: 443 },
    ],
  }),
  statelessRule(20, ['aws:drop']),
]);

function scopeWith(p: FirewallPolicy, groups: RuleGroup[]) {
  return nfwScope({
    firewalls: [firewall('fw-egress', { firewallPolicyArn: p.firewallPolicyArn })],
    policies: [p],
    groups,
  });
}

describe('nfw-allowlist-protocol-gap', () => {
  describe('non-compliant', () => {
    it.each<[string, FirewallPolicy, RuleGroup[], string]>([
      [
        'action order with only the allowlist',
        actionOrderPolicy('egress', { stateful: [list] }),
        [list],
        'SSH tcp/22',
      ],
      [
        'strict order without a drop default',
        policy('egress', { stateful: [list] }, { statefulDefaultActions: [] }),
        [list],
        'DNS udp/53 to outside resolvers',
      ],
      [
        'strict order with alert defaults only',
        policy(
          'egress',
          { stateful: [list] },
          { statefulDefaultActions: ['aws:alert_strict', 'aws:alert_established'] },
        ),
        [list],
        'SSH tcp/22',
      ],
      [
        'strict order with aws:drop_strict, but a stateless default aws:pass',
        policy(
          'egress',
          { stateful: [list] },
          { statefulDefaultActions: ['aws:drop_strict'], statelessDefaultActions: ['aws:pass'] },
        ),
        [list],
        'stateless default action aws:pass',
      ],
      [
        'action order with TCP and UDP dropped but not ICMP',
        actionOrderPolicy('egress', {
          stateful: [
            list,
            suricata('tcp-udp', [
              'drop tcp $HOME_NET any -> any any (sid:1;)',
              'drop udp $HOME_NET any -> any any (sid:2;)',
            ]),
          ],
        }),
        [
          list,
          suricata('tcp-udp', [
            'drop tcp $HOME_NET any -> any any (sid:1;)',
            'drop udp $HOME_NET any -> any any (sid:2;)',
          ]),
        ],
        'ICMP (tunnels)',
      ],
      [
        'a TLS_SNI-only allowlist under action order (plain HTTP passes)',
        actionOrderPolicy('egress', { stateful: [tlsOnly] }),
        [tlsOnly],
        'plain HTTP tcp/80 (the list has no HTTP_HOST)',
      ],
      [
        'drops in a group with override DROP_TO_ALERT',
        {
          ...actionOrderPolicy('egress', { stateful: [list, l4Drops] }),
          statefulRuleGroupReferences: [
            { resourceArn: list.ruleGroupArn },
            { resourceArn: l4Drops.ruleGroupArn, override: 'DROP_TO_ALERT' },
          ],
        },
        [list, l4Drops],
        'SSH tcp/22',
      ],
      [
        'an early layer-4 pass for DNS under strict order',
        policy(
          'egress',
          { stateful: [suricata('dns-out', ['pass udp $HOME_NET any -> any 53 (sid:1;)']), list] },
          { statefulDefaultActions: ['aws:drop_established'] },
        ),
        [suricata('dns-out', ['pass udp $HOME_NET any -> any 53 (sid:1;)']), list],
        'DNS udp/53 to outside resolvers',
      ],
    ])('fails for %s', (_, p, groups, example) => {
      // Act
      const findings = run(rule, scopeWith(p, groups));
      // Assess
      expect(ids(findings)).toEqual(['egress']);
      expect(findings[0]).toMatchObject({
        severity: 'HIGH',
        references: [],
        resource: { type: 'AWS::NetworkFirewall::FirewallPolicy' },
      });
      expect(findings[0]?.message).toContain(example);
    });

    it('names the policy, the rule order, the target types, example protocols and the firewall', () => {
      const [f] = run(rule, scopeWith(actionOrderPolicy('egress', { stateful: [list] }), [list]));
      expect(f?.message).toBe(
        'Firewall policy egress (DEFAULT_ACTION_ORDER (no default action: unmatched traffic passes)) filters egress with domain ALLOWLIST allow-ml for HTTP_HOST and TLS_SNI, but traffic of other protocols passes: SSH tcp/22, DNS udp/53 to outside resolvers, QUIC/HTTP3 udp/443 (no TLS SNI inspection); used by firewall fw-egress.',
      );
      expect(f?.evidence).toMatchObject({
        ruleOrder: 'DEFAULT_ACTION_ORDER',
        statelessBypass: false,
        firewalls: ['fw-egress'],
      });
      expect(f?.remediation).toContain('STRICT_ORDER with stateful default action aws:drop_established');
    });

    it('lowers to MEDIUM when only non-HTTP/TLS traffic on ports 80 and 443 is left, and says why', () => {
      const p = actionOrderPolicy('egress', { stateless: [webOnlyStateless], stateful: [list] });
      const [f] = run(rule, scopeWith(p, [webOnlyStateless, list]));
      expect(f).toMatchObject({
        severity: 'MEDIUM',
        evidence: { passingTraffic: 'tcp 80, 443 to the internet' },
      });
      expect(f?.message).toContain('non-TLS TCP on tcp/443 (e.g. SSH over 443)');
      expect(f?.evidence.severityReason).toContain('ports 80 and 443');
    });

    it('fails on the reference architecture (seed 003: action order, allowlist of .kaggle.com and .amazonaws.com)', () => {
      const findings = run(rule, referenceArchitecture());
      expect(ids(findings)).toEqual([REF.policy]);
      expect(findings[0]?.message).toContain('SSH tcp/22, DNS udp/53 to outside resolvers');
      expect(findings[0]?.message).toContain(`used by firewall ${REF.firewall}`);
      expect(findings[0]?.evidence.homeNet).toEqual({
        policyHomeNet: { source: 'vpc-default', cidrs: ['10.2.0.0/16'] },
        allowlists: [{ group: REF.allowlist, source: 'vpc-default', cidrs: ['10.2.0.0/16'] }],
      });
    });
  });

  describe('compliant', () => {
    it.each<[string, FirewallPolicy, RuleGroup[]]>([
      [
        'strict order with aws:drop_established (closes the gap)',
        policy('egress', { stateful: [list] }, { statefulDefaultActions: ['aws:drop_established'] }),
        [list],
      ],
      [
        'strict order with aws:drop_strict',
        policy('egress', { stateful: [list] }, { statefulDefaultActions: ['aws:drop_strict'] }),
        [list],
      ],
      [
        'strict order with aws:drop_established_app_layer',
        policy(
          'egress',
          { stateful: [list] },
          { statefulDefaultActions: ['aws:drop_established_app_layer', 'aws:alert_established_app_layer'] },
        ),
        [list],
      ],
      [
        'action order with layer-4 drops for TCP, UDP and ICMP',
        actionOrderPolicy('egress', { stateful: [list, l4Drops] }),
        [list, l4Drops],
      ],
      [
        'action order with a 5-tuple drop of IP from HOME_NET',
        actionOrderPolicy('egress', {
          stateful: [
            list,
            statefulGroup('drop-ip', { statefulRules: [fiveTuple('DROP', 'IP', '$HOME_NET', 'ANY')] }),
          ],
        }),
        [list, statefulGroup('drop-ip', { statefulRules: [fiveTuple('DROP', 'IP', '$HOME_NET', 'ANY')] })],
      ],
      [
        'stateless default aws:drop with HTTP/HTTPS forwarded to an allowlist in strict order',
        policy(
          'egress',
          { stateless: [webOnlyStateless], stateful: [list] },
          { statefulDefaultActions: ['aws:drop_established'] },
        ),
        [webOnlyStateless, list],
      ],
      [
        'a DENYLIST is not an egress allowlist',
        actionOrderPolicy('egress', {
          stateful: [
            statefulGroup('deny', {
              rulesSourceList: {
                targets: ['.evil.io'],
                targetTypes: ['TLS_SNI'],
                generatedRulesType: 'DENYLIST',
              },
            }),
          ],
        }),
        [
          statefulGroup('deny', {
            rulesSourceList: {
              targets: ['.evil.io'],
              targetTypes: ['TLS_SNI'],
              generatedRulesType: 'DENYLIST',
            },
          }),
        ],
      ],
      ['no allowlist at all', actionOrderPolicy('egress', { stateful: [l4Drops] }), [l4Drops]],
    ])('passes for %s', (_, p, groups) => {
      expect(ids(run(rule, scopeWith(p, groups)))).toEqual([]);
    });
  });

  describe('not evaluated', () => {
    it('reports the policy when one of its rule groups could not be read', () => {
      const p = actionOrderPolicy('egress', { stateful: [list] });
      p.statefulRuleGroupReferences.push({ resourceArn: nfwArn('stateful-rulegroup', 'unreadable') });
      const findings = run(rule, scopeWith(p, [list]));
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'egress']]);
      expect(findings[0]?.message).toContain('unreadable could not be read');
    });

    it('reports the policy when it could not be read (no allowlist can be seen)', () => {
      const findings = run(rule, nfwScope({ firewalls: [firewall('fw-egress')] }));
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'egress']]);
    });
  });
});
