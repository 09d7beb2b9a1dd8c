import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-firewall/nfw-home-net-mismatch.ts';
import type {
  FirewallPolicy,
  RegionInventory,
  RuleGroup,
  Subnet,
} from '../../../../../src/inventory/schema.ts';
import { ids, run } from '../../../../fixtures/inventory.ts';
import {
  allowlist,
  firewall,
  nfwArn,
  nfwScope,
  policy,
  REF,
  referenceArchitecture,
  routeTable,
  subnet,
  suricata,
} from '../../../../fixtures/network-firewall.ts';

const ML_SUBNET: Subnet = subnet('subnet-ml', '10.0.3.0/24', 'us-east-1a');

/** A notebook in subnet-ml (10.0.3.0/24), routed straight to the firewall endpoint; vpc-1 is 10.0.0.0/16. */
function mlScope(
  p: FirewallPolicy,
  groups: RuleGroup[],
  extra: { subnets?: Subnet[] } = {},
): RegionInventory {
  return nfwScope({
    firewalls: [firewall('fw-1', { firewallPolicyArn: p.firewallPolicyArn })],
    policies: [p],
    groups,
    fill: {
      subnets: [
        subnet('subnet-fw-a', '10.0.0.0/28', 'us-east-1a'),
        subnet('subnet-fw-b', '10.0.0.16/28', 'us-east-1b'),
        ...(extra.subnets ?? [ML_SUBNET]),
      ],
      routeTables: [
        routeTable(
          'rtb-ml',
          'vpc-1',
          [
            {
              destinationCidrBlock: '0.0.0.0/0',
              target: { kind: 'vpcEndpoint', id: 'vpce-fw-a' },
              state: 'active',
            },
          ],
          [{ main: false, subnetId: 'subnet-ml' }],
        ),
      ],
      notebookInstances: [
        {
          notebookInstanceName: 'nb-1',
          directInternetAccess: 'Disabled',
          subnetId: 'subnet-ml',
          securityGroups: ['sg-1'],
        },
      ],
    },
  });
}

const list = allowlist('allow', ['.pypi.org']);
const narrow = { HOME_NET: ['10.0.1.0/24'] };

/** The reference architecture with a policy HOME_NET variable. */
function referenceWithHomeNet(cidrs: string[]): RegionInventory {
  const s = referenceArchitecture();
  s.firewallPolicies = s.firewallPolicies.map((p) => ({ ...p, ruleVariables: { HOME_NET: cidrs } }));
  return s;
}

describe('nfw-home-net-mismatch', () => {
  describe('non-compliant', () => {
    it.each<[string, FirewallPolicy, RuleGroup[], Subnet[] | undefined]>([
      [
        "the allowlist's own HOME_NET misses the ML subnet",
        policy('egress', { stateful: [allowlist('allow', ['.pypi.org'], undefined, { ipSets: narrow })] }),
        [allowlist('allow', ['.pypi.org'], undefined, { ipSets: narrow })],
        undefined,
      ],
      [
        'the policy variable misses it',
        policy('egress', { stateful: [list] }, { ruleVariables: narrow }),
        [list],
        undefined,
      ],
      [
        "the group's own narrow HOME_NET wins over a broad policy variable",
        policy(
          'egress',
          { stateful: [allowlist('allow', ['.pypi.org'], undefined, { ipSets: narrow })] },
          { ruleVariables: { HOME_NET: ['10.0.0.0/8'] } },
        ),
        [allowlist('allow', ['.pypi.org'], undefined, { ipSets: narrow })],
        undefined,
      ],
      [
        'Suricata rules on $HOME_NET with a narrow HOME_NET',
        policy('egress', {
          stateful: [
            suricata(
              'allow',
              ['pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; content:"pypi.org"; sid:1;)'],
              { ipSets: narrow },
            ),
          ],
        }),
        [
          suricata(
            'allow',
            ['pass tls $HOME_NET any -> $EXTERNAL_NET 443 (tls.sni; content:"pypi.org"; sid:1;)'],
            { ipSets: narrow },
          ),
        ],
        undefined,
      ],
      [
        'a dual-stack ML subnet whose IPv6 CIDR is outside an IPv4-only HOME_NET',
        policy('egress', { stateful: [list] }, { ruleVariables: { HOME_NET: ['10.0.0.0/16'] } }),
        [list],
        [{ ...ML_SUBNET, ipv6CidrBlocks: ['2600:1f18:1:3::/64'] }],
      ],
    ])('fails when %s', (_, p, groups, subnets) => {
      // Act
      const findings = run(rule, mlScope(p, groups, subnets ? { subnets } : {}));
      // Assess
      expect(ids(findings)).toEqual(['allow']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        resource: { type: 'AWS::NetworkFirewall::RuleGroup' },
        evidence: {
          firewall: 'fw-1',
          uncovered: [expect.objectContaining({ subnetId: 'subnet-ml', mlResources: ['nb-1'] })],
        },
      });
    });

    it('names the group, firewall, HOME_NET and its origin, and the subnet', () => {
      const [f] = run(
        rule,
        mlScope(policy('egress', { stateful: [list] }, { ruleVariables: narrow }), [list]),
      );
      expect(f?.message).toBe(
        "Rule group allow in firewall fw-1 uses HOME_NET 10.0.1.0/24 (the policy's HOME_NET variable), which does not cover ML subnet subnet-ml (10.0.3.0/24) in vpc-1: its domain ALLOWLIST does not filter their egress.",
      );
      expect(f?.remediation).toBe('Set the policy variable HOME_NET of egress to include 10.0.3.0/24.');
    });

    it("judges the reference architecture by the NAT gateway's address: HOME_NET = the Studio subnet does not cover it", () => {
      const findings = run(rule, referenceWithHomeNet(['10.2.3.0/24']));
      expect(ids(findings)).toEqual([REF.allowlist]);
      expect(findings[0]?.message).toContain(
        `${REF.studioSubnet} (10.2.3.0/24, seen as 10.2.2.15/32 of ${REF.nat})`,
      );
    });
  });

  describe('compliant', () => {
    it.each<[string, FirewallPolicy, RuleGroup[]]>([
      ['the default HOME_NET (the VPC CIDR)', policy('egress', { stateful: [list] }), [list]],
      [
        'a policy variable covering the subnet',
        policy('egress', { stateful: [list] }, { ruleVariables: { HOME_NET: ['10.0.0.0/8'] } }),
        [list],
      ],
      [
        "a group's own HOME_NET covering the subnet, though the policy variable is narrow",
        policy(
          'egress',
          {
            stateful: [
              allowlist('allow', ['.pypi.org'], undefined, { ipSets: { HOME_NET: ['10.0.0.0/16'] } }),
            ],
          },
          { ruleVariables: narrow },
        ),
        [allowlist('allow', ['.pypi.org'], undefined, { ipSets: { HOME_NET: ['10.0.0.0/16'] } })],
      ],
      [
        'a narrow HOME_NET on a group whose rules do not use it',
        policy(
          'egress',
          { stateful: [suricata('plain', ['drop tcp any any -> any 22 (sid:1;)'])] },
          { ruleVariables: narrow },
        ),
        [suricata('plain', ['drop tcp any any -> any 22 (sid:1;)'])],
      ],
    ])('passes with %s', (_, p, groups) => {
      expect(ids(run(rule, mlScope(p, groups)))).toEqual([]);
    });

    it('passes on the reference architecture (default HOME_NET 10.2.0.0/16)', () => {
      expect(ids(run(rule, referenceArchitecture()))).toEqual([]);
    });

    it("passes when HOME_NET holds the NAT gateway's subnet but not the Studio subnet (the firewall sees the NAT)", () => {
      expect(ids(run(rule, referenceWithHomeNet(['10.2.2.0/24'])))).toEqual([]);
    });

    it('ignores ML subnets of other VPCs and network-isolated jobs', () => {
      const p = policy('egress', { stateful: [list] }, { ruleVariables: narrow });
      const s = mlScope(p, [list], {
        subnets: [subnet('subnet-ml', '10.9.3.0/24', 'us-east-1a', 'vpc-other')],
      });
      expect(ids(run(rule, s))).toEqual([]);
      const isolated = mlScope(p, [list]);
      isolated.notebookInstances = [];
      isolated.trainingJobs = [
        {
          trainingJobName: 'isolated',
          vpcConfig: { subnets: ['subnet-ml'], securityGroupIds: ['sg-1'] },
          enableNetworkIsolation: true,
          enableInterContainerTrafficEncryption: true,
          instanceCount: 1,
        },
      ];
      expect(ids(run(rule, isolated))).toEqual([]);
    });
  });

  describe('not evaluated', () => {
    it('reports the firewall when its policy could not be read', () => {
      const s = mlScope(policy('egress', { stateful: [list] }), [list]);
      s.firewallPolicies = [];
      const findings = run(rule, s);
      expect(findings.map((f) => [f.status, f.resource.type, f.resource.id])).toEqual([
        ['NOT_EVALUATED', 'AWS::NetworkFirewall::Firewall', 'fw-1'],
      ]);
    });

    it('reports the firewall when a stateful group could not be read', () => {
      const p = policy('egress', { stateful: [list] });
      p.statefulRuleGroupReferences.push({ resourceArn: nfwArn('stateful-rulegroup', 'gone'), priority: 99 });
      const findings = run(rule, mlScope(p, [list]));
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'fw-1']]);
    });

    it('reports the group when its HOME_NET is an IP set reference', () => {
      const ref = allowlist('allow', ['.pypi.org'], undefined, {
        ipSetReferences: { HOME_NET: 'arn:aws:ec2:us-east-1:111122223333:prefix-list/pl-1' },
      });
      const findings = run(rule, mlScope(policy('egress', { stateful: [ref] }), [ref]));
      expect(findings.map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'allow']]);
    });
  });
});
