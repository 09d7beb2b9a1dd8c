import { describe, expect, it } from 'vitest';
import {
  domainListProtocols,
  domainMatches,
  entryOpens,
  unmatchedVerdict,
} from '../../../../src/analyze/aws/network-firewall/domain-lists.ts';
import {
  describeEgress,
  EGRESS_PROBES,
  egressAnalysis,
  flowSetHas,
  INTERNET,
} from '../../../../src/analyze/aws/network-firewall/egress-model.ts';
import {
  defaultHomeNet,
  effectiveHomeNet,
  usesHomeNet,
} from '../../../../src/analyze/aws/network-firewall/home-net.ts';
import {
  policyRuleOrder,
  statefulDefault,
  statelessDefault,
  statelessStandardAction,
} from '../../../../src/analyze/aws/network-firewall/policy-order.ts';
import { nfwIndex, resolvePolicy } from '../../../../src/analyze/aws/network-firewall/resolution.ts';
import {
  parseSuricataRule,
  parseSuricataRules,
  resolveAddress,
  resolvePorts,
  statefulRuleSpecs,
} from '../../../../src/analyze/aws/network-firewall/suricata.ts';
import { unreadGroups, unreadPolicies } from '../../../../src/analyze/aws/network-firewall/unread.ts';
import { AddrSet, FlowSet, PortSet } from '../../../../src/analyze/net/index.ts';
import type { FirewallPolicy, RuleGroup, Vpc } from '../../../../src/inventory/schema.ts';
import {
  actionOrderPolicy,
  allowlist,
  firewall,
  fiveTuple,
  nfwArn,
  nfwScope,
  policy,
  statefulGroup,
  statelessGroup,
  statelessRule,
  suricata,
} from '../../../fixtures/network-firewall.ts';

const vpc: Vpc = {
  vpcId: 'vpc-1',
  isDefault: false,
  cidrBlocks: ['10.0.0.0/16', '100.64.0.0/24'],
  ipv6CidrBlocks: [],
};
const groupsOf = (...gs: RuleGroup[]) => new Map(gs.map((g) => [g.ruleGroupArn, g]));
const HOME = AddrSet.fromCidr('10.0.0.0/16');

/** The example probes that pass, by id. */
function passing(p: FirewallPolicy, groups: RuleGroup[], home: AddrSet | undefined = HOME): string[] {
  const a = egressAnalysis(resolvePolicy(p, groupsOf(...groups)), home ? { home } : {});
  return EGRESS_PROBES.filter((x) => flowSetHas(a.passes, x.protocol, x.port)).map((x) => x.id);
}
const ALL_PROBES = EGRESS_PROBES.map((p) => p.id);

describe('nfw: domain lists', () => {
  it.each([
    ['.example.com', 'example.com', true],
    ['.example.com', 'www.example.com', true],
    ['.example.com', 'a.b.example.com', true],
    ['.example.com', 'badexample.com', false],
    ['.example.com', 'example.com.evil.io', false],
    ['example.com', 'example.com', true],
    ['example.com', 'www.example.com', false],
    ['Example.COM', 'example.com.', true],
    ['.amazonaws.com', 'my-bucket.s3.amazonaws.com', true],
    ['amazonaws.com', 'my-bucket.s3.amazonaws.com', false],
  ])('domainMatches(%s, %s) is %s', (entry, host, expected) => {
    expect(domainMatches(entry, host)).toBe(expected);
  });

  it.each([
    ['.amazonaws.com', '.amazonaws.com', 'equal'],
    ['.amazonaws.com', '.s3.amazonaws.com', 'broader'],
    ['.com', '.herokuapp.com', 'broader'],
    ['.s3.us-east-1.amazonaws.com', '.s3.*.amazonaws.com', 'equal'],
    ['.us-east-1.amazonaws.com', '.s3.*.amazonaws.com', 'broader'],
    ['.amazonaws.com', 's3.amazonaws.com', 'broader'],
    ['s3.amazonaws.com', 's3.amazonaws.com', 'equal'],
    ['s3.eu-west-1.amazonaws.com', 's3.*.amazonaws.com', 'equal'],
    ['amazonaws.com', '.amazonaws.com', undefined],
    ['amazonaws.com', 's3.amazonaws.com', undefined],
    ['.my-bucket.s3.amazonaws.com', '.s3.amazonaws.com', undefined],
    ['.kaggle.com', '.com', undefined],
    ['.sagemaker.us-east-1.amazonaws.com', '.s3.*.amazonaws.com', undefined],
  ])('entryOpens(%s, %s) is %s', (entry, pattern, expected) => {
    expect(entryOpens(entry, pattern)).toBe(expected);
  });

  it('maps target types to the protocols an allowlist judges', () => {
    expect(domainListProtocols(['TLS_SNI'])).toEqual(['tls']);
    expect(domainListProtocols(['HTTP_HOST', 'TLS_SNI', 'TLS_SNI'])).toEqual(['http', 'tls']);
    expect(domainListProtocols([])).toEqual([]);
  });
});

describe('nfw: stateless and stateful defaults', () => {
  it('judges a custom action by its standard action', () => {
    expect(statelessStandardAction(['MetricsAction', 'aws:pass'])).toBe('aws:pass');
    expect(statelessStandardAction(['aws:forward_to_sfe'])).toBe('aws:forward_to_sfe');
    expect(statelessStandardAction(['OnlyCustom'])).toBeUndefined();
    const p = policy('p', {}, { statelessFragmentDefaultActions: ['aws:drop', 'FragCount'] });
    expect(statelessDefault(p, 'fragment')).toEqual({
      actions: ['aws:drop', 'FragCount'],
      standard: 'aws:drop',
      custom: ['FragCount'],
    });
  });

  it('defaults the rule order to DEFAULT_ACTION_ORDER', () => {
    expect(policyRuleOrder(actionOrderPolicy('p'))).toBe('DEFAULT_ACTION_ORDER');
    expect(policyRuleOrder(policy('p'))).toBe('STRICT_ORDER');
  });

  it.each([
    [['aws:drop_strict'], 'drop'],
    [['aws:drop_established'], 'drop'],
    [['aws:drop_established_app_layer', 'aws:alert_established_app_layer'], 'drop'],
    [['aws:drop_established_app_layer_to_server'], 'drop'],
    [['aws:alert_strict'], 'pass'],
    [['aws:alert_established', 'aws:alert_established_app_layer'], 'pass'],
    [[], 'pass'],
  ])('STRICT_ORDER with %j leaves unmatched traffic to %s', (actions, unmatched) => {
    expect(statefulDefault(policy('p', {}, { statefulDefaultActions: actions })).unmatched).toBe(unmatched);
  });

  it('ignores default actions under DEFAULT_ACTION_ORDER: unmatched traffic passes', () => {
    const d = statefulDefault(actionOrderPolicy('p', {}, { statefulDefaultActions: ['aws:drop_strict'] }));
    expect(d).toMatchObject({
      order: 'DEFAULT_ACTION_ORDER',
      unmatched: 'pass',
      ignored: ['aws:drop_strict'],
    });
  });

  it('tells what unmatched traffic of each protocol meets', () => {
    const list = allowlist('allow', ['.example.com'], ['TLS_SNI']);
    const resolved = resolvePolicy(actionOrderPolicy('p', { stateful: [list] }), groupsOf(list));
    expect(unmatchedVerdict(resolved, 'tls')).toEqual({ verdict: 'drop', by: 'domain ALLOWLIST allow' });
    expect(unmatchedVerdict(resolved, 'http').verdict).toBe('pass');
    expect(unmatchedVerdict(resolved, 'other').verdict).toBe('pass');
    const strict = resolvePolicy(policy('s', { stateful: [list] }), groupsOf(list));
    expect(unmatchedVerdict(strict, 'other')).toEqual({
      verdict: 'drop',
      by: 'stateful default action aws:drop_established',
    });
    const bypass = resolvePolicy(
      policy('b', { stateful: [list] }, { statelessDefaultActions: ['aws:pass'] }),
      groupsOf(list),
    );
    expect(unmatchedVerdict(bypass, 'tls').verdict).toBe('pass');
  });
});

describe('nfw: resolution', () => {
  it('orders stateless groups by priority, stateful by priority only under STRICT_ORDER, and lists what is missing', () => {
    const a = statelessGroup('a', []);
    const b = statelessGroup('b', []);
    const s1 = statefulGroup('s1');
    const p = policy(
      'p',
      {},
      {
        statelessRuleGroupReferences: [
          { resourceArn: b.ruleGroupArn, priority: 20 },
          { resourceArn: a.ruleGroupArn, priority: 10 },
        ],
        statefulRuleGroupReferences: [
          { resourceArn: s1.ruleGroupArn, priority: 30 },
          { resourceArn: nfwArn('stateful-rulegroup', 'gone'), priority: 5 },
        ],
      },
    );
    const r = resolvePolicy(p, groupsOf(a, b, s1));
    expect(r.stateless.map((x) => x.group?.ruleGroupName)).toEqual(['a', 'b']);
    expect(r.stateful.map((x) => x.arn.split('/').pop())).toEqual(['gone', 's1']);
    expect(r.missingGroupArns).toEqual([nfwArn('stateful-rulegroup', 'gone')]);
  });

  it('indexes firewalls by policy and finds policies and groups that were not read', () => {
    const g = statefulGroup('g');
    const p = policy(
      'egress',
      { stateful: [g] },
      { statelessRuleGroupReferences: [{ resourceArn: nfwArn('stateless-rulegroup', 'x'), priority: 1 }] },
    );
    const s = nfwScope({
      firewalls: [
        firewall('fw-1'),
        firewall('fw-2', { firewallPolicyArn: nfwArn('firewall-policy', 'other') }),
      ],
      policies: [p],
      groups: [g],
      fill: {
        gaps: [
          {
            service: 'network-firewall',
            operation: 'DescribeFirewallPolicy',
            kind: 'firewallPolicies',
            resourceId: nfwArn('firewall-policy', 'other'),
            errorCode: 'AccessDenied',
            message: 'no',
          },
        ],
      },
    });
    const idx = nfwIndex(s);
    expect(nfwIndex(s)).toBe(idx);
    expect(idx.firewallsByPolicy.get(p.firewallPolicyArn)?.map((f) => f.firewallName)).toEqual(['fw-1']);
    expect(unreadPolicies(s)).toEqual([
      expect.objectContaining({
        arn: nfwArn('firewall-policy', 'other'),
        gap: expect.objectContaining({ errorCode: 'AccessDenied' }),
      }),
    ]);
    expect(unreadGroups(s)).toEqual([
      expect.objectContaining({ arn: nfwArn('stateless-rulegroup', 'x'), kind: 'stateless', gap: undefined }),
    ]);
  });
});

describe('nfw: HOME_NET', () => {
  const withOwn = statefulGroup('own', { ipSets: { HOME_NET: ['10.0.1.0/24'] } });
  const without = statefulGroup('plain');
  const pol = policy('p', {}, { ruleVariables: { HOME_NET: ['10.0.0.0/8'] } });

  it("takes the group's own HOME_NET first (policy variables affect only groups that don't define it)", () => {
    expect(effectiveHomeNet(withOwn, pol, vpc)).toMatchObject({
      source: 'rule-group',
      cidrs: ['10.0.1.0/24'],
    });
  });

  it('takes the policy variable for a group without its own', () => {
    expect(effectiveHomeNet(without, pol, vpc)).toMatchObject({ source: 'policy', cidrs: ['10.0.0.0/8'] });
  });

  it("defaults to the CIDRs of the firewall's VPC (all of its blocks)", () => {
    const h = effectiveHomeNet(without, policy('q'), vpc);
    expect(h).toMatchObject({ source: 'vpc-default', cidrs: ['10.0.0.0/16', '100.64.0.0/24'] });
    expect(h.addrs?.containsIp('100.64.0.9')).toBe(true);
  });

  it('is unknown for a transit-gateway firewall without an override, and for an IP set reference', () => {
    const tgw = firewall('tgw', { vpcId: undefined, transitGatewayId: 'tgw-1' });
    expect(defaultHomeNet(undefined, tgw)).toMatchObject({
      addrs: undefined,
      unknownReason: expect.stringContaining('tgw-1'),
    });
    const ref = statefulGroup('ref', {
      ipSetReferences: { HOME_NET: 'arn:aws:ec2:us-east-1:1:prefix-list/pl-1' },
    });
    expect(effectiveHomeNet(ref, pol, vpc)).toMatchObject({ source: 'rule-group', addrs: undefined });
  });

  it('knows which groups depend on HOME_NET', () => {
    expect(usesHomeNet(allowlist('a', ['.x.com']))).toBe(true);
    expect(usesHomeNet(suricata('s', ['drop tcp $HOME_NET any -> $EXTERNAL_NET 22 (sid:1;)']))).toBe(true);
    expect(usesHomeNet(suricata('t', ['drop tcp any any -> 198.51.100.0/24 22 (sid:1;)']))).toBe(false);
    expect(
      usesHomeNet(statefulGroup('f', { statefulRules: [fiveTuple('DROP', 'TCP', '$HOME_NET', 'ANY')] })),
    ).toBe(true);
  });
});

describe('nfw: stateful rules', () => {
  it('parses a Suricata rule with a bracketed list, quotes and escapes', () => {
    const r = parseSuricataRule(
      'drop tcp [10.0.0.0/8, 192.168.0.0/16] any -> $EXTERNAL_NET [80,443] (msg:"a; \\"b\\""; flow:established,to_server; sid:5;)',
    );
    expect(r).toMatchObject({
      action: 'drop',
      protocol: 'tcp',
      source: '[10.0.0.0/8, 192.168.0.0/16]',
      destinationPort: '[80,443]',
      options: [
        { keyword: 'msg', value: '"a; \\"b\\""' },
        { keyword: 'flow', value: 'established,to_server' },
        { keyword: 'sid', value: '5' },
      ],
    });
  });

  it('skips comments and blank lines, joins continued lines, and reports what it cannot read', () => {
    const parsed = parseSuricataRules('# c\n\npass tls any any -> any any \\\n (sid:1;)\nnot a rule\n');
    expect(parsed.rules.map((r) => r.protocol)).toEqual(['tls']);
    expect(parsed.unparsed).toEqual(['not a rule']);
  });

  it('reads 5-tuple rules with the same shape', () => {
    const g = statefulGroup('g', {
      statefulRules: [fiveTuple('DROP', 'IP', '$HOME_NET', 'ANY', 'ANY', { direction: 'ANY' })],
    });
    expect(statefulRuleSpecs(g).rules[0]).toMatchObject({
      action: 'drop',
      protocol: 'ip',
      source: '$HOME_NET',
      sourcePort: 'any',
      direction: '<>',
      destination: 'any',
    });
  });

  it('resolves addresses and ports, with variables, lists and negations', () => {
    const vars = { home: HOME, ipSets: { DNS: ['10.0.0.2/32'] }, portSets: { WEB: ['80', '443'] } };
    expect(resolveAddress('$EXTERNAL_NET', vars)?.containsIp('10.0.5.5')).toBe(false);
    expect(resolveAddress('!$HOME_NET', vars)?.containsIp('8.8.8.8')).toBe(true);
    expect(resolveAddress('[$DNS, 192.0.2.0/24]', vars)?.toString()).toBe('10.0.0.2/32, 192.0.2.0/24');
    expect(resolveAddress('@REF', vars)).toBeUndefined();
    expect(resolvePorts('$WEB', vars)?.toString()).toBe(PortSet.of(80, 443).toString());
    expect(resolvePorts('[1024:, !8080]', vars)?.containsPort(8080)).toBe(false);
    expect(resolvePorts('!22', vars)?.containsPort(22)).toBe(false);
    expect(resolvePorts('x', vars)).toBeUndefined();
  });
});

describe('nfw: egress analysis', () => {
  const list = allowlist('allow', ['.example.com']);

  it('lets every other protocol out under DEFAULT_ACTION_ORDER with only an allowlist', () => {
    expect(passing(actionOrderPolicy('p', { stateful: [list] }), [list])).toEqual(ALL_PROBES);
  });

  it.each(['aws:drop_strict', 'aws:drop_established', 'aws:drop_established_app_layer'])(
    'closes everything under STRICT_ORDER with %s',
    (action) => {
      expect(
        passing(policy('p', { stateful: [list] }, { statefulDefaultActions: [action] }), [list]),
      ).toEqual([]);
    },
  );

  it('leaves everything open under STRICT_ORDER with only alert defaults', () => {
    const p = policy('p', { stateful: [list] }, { statefulDefaultActions: ['aws:alert_strict'] });
    expect(passing(p, [list])).toEqual(ALL_PROBES);
  });

  it('credits layer-4 drops in action order, and a layer-4 pass beats them', () => {
    const drops = suricata('drops', [
      'drop tcp $HOME_NET any -> $EXTERNAL_NET any (msg:"tcp"; flow:established,to_server; sid:1;)',
      'drop udp $HOME_NET any -> any any (sid:2;)',
    ]);
    expect(passing(actionOrderPolicy('p', { stateful: [list, drops] }), [list, drops])).toEqual(['icmp']);
    const ssh = suricata('ssh', ['pass tcp $HOME_NET any -> any 22 (sid:3;)']);
    expect(passing(actionOrderPolicy('p', { stateful: [list, drops, ssh] }), [list, drops, ssh])).toEqual([
      'ssh',
      'icmp',
    ]);
  });

  it('does not credit narrowed, app-layer, partial-source or DROP_TO_ALERT drops', () => {
    const narrowed = suricata('n', ['drop tcp $HOME_NET any -> any any (content:"x"; sid:1;)']);
    const app = suricata('a', ['drop ssh $HOME_NET any -> any any (sid:2;)']);
    const partial = suricata('s', ['drop ip 10.0.1.0/24 any -> any any (sid:3;)']);
    const alerting = suricata('d', ['drop ip any any -> any any (sid:4;)']);
    const p = actionOrderPolicy('p', { stateful: [list, narrowed, app, partial, alerting] });
    p.statefulRuleGroupReferences[4] = { resourceArn: alerting.ruleGroupArn, override: 'DROP_TO_ALERT' };
    expect(passing(p, [list, narrowed, app, partial, alerting])).toEqual(ALL_PROBES);
  });

  it('credits an ip drop from any, and a drop covering HOME_NET by CIDR', () => {
    const all = statefulGroup('all', { statefulRules: [fiveTuple('DROP', 'IP', 'ANY', 'ANY')] });
    expect(passing(actionOrderPolicy('p', { stateful: [list, all] }), [list, all])).toEqual([]);
    const cidr = suricata('c', ['reject ip 10.0.0.0/8 any -> any any (sid:1;)']);
    expect(passing(actionOrderPolicy('p', { stateful: [list, cidr] }), [list, cidr])).toEqual([]);
  });

  it('follows rule order under STRICT_ORDER: an earlier pass wins over a later drop', () => {
    const first = suricata('first', [
      'pass udp $HOME_NET any -> any 53 (sid:1;)',
      'drop ip $HOME_NET any -> any any (sid:2;)',
    ]);
    const p = policy('p', { stateful: [list, first] }, { statefulDefaultActions: [] });
    expect(passing(p, [list, first])).toEqual(['dns']);
  });

  it('models the stateless engine: a pass default bypasses the stateful engine, stateless drops close ports', () => {
    const bypass = policy('b', { stateful: [list] }, { statelessDefaultActions: ['aws:pass'] });
    expect(passing(bypass, [list])).toEqual(ALL_PROBES);
    const web = statelessGroup('web', [
      statelessRule(1, ['aws:forward_to_sfe'], {
        protocols: [6],
        destinationPorts: [
          { from: 80, to: 80 },
          { from: 443, to: 443 },
        ],
      }),
      statelessRule(2, ['aws:drop']),
    ]);
    const p = actionOrderPolicy('p', { stateless: [web], stateful: [list] });
    expect(passing(p, [web, list])).toEqual(['tcp-443']);
    const a = egressAnalysis(resolvePolicy(p, groupsOf(web, list)), { home: HOME });
    expect(describeEgress(a.passes)).toBe('tcp 80, 443 to the internet');
    expect(a.effects.map((e) => e.action)).toEqual(['pass', 'drop']);
  });

  it('does not credit a stateless drop with TCP flags or narrower sources', () => {
    const flags = statelessGroup('flags', [
      statelessRule(1, ['aws:drop'], { tcpFlags: [{ flags: ['SYN'], masks: ['SYN', 'ACK'] }] }),
      statelessRule(2, ['aws:drop'], { sources: ['10.0.9.0/24'] }),
    ]);
    expect(passing(actionOrderPolicy('p', { stateless: [flags], stateful: [list] }), [flags, list])).toEqual(
      ALL_PROBES,
    );
  });

  it('takes an unknown HOME_NET as private space and still credits $HOME_NET drops of the same policy', () => {
    const drops = suricata('drops', ['drop ip $HOME_NET any -> $EXTERNAL_NET any (sid:1;)']);
    const a = egressAnalysis(
      resolvePolicy(actionOrderPolicy('p', { stateful: [list, drops] }), groupsOf(list, drops)),
      {
        homeUnknownReason: 'no VPC',
      },
    );
    expect(a.passes.isEmpty()).toBe(true);
    expect(a.notes[0]).toContain('no VPC');
    expect(a.universe.equals(FlowSet.all(INTERNET))).toBe(true);
  });
});
