import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-rule-quota.ts';
import type { SecurityGroupRule } from '../../../../../src/inventory/schema.ts';
import { ids, ingress, run, scope, sg } from '../../../../fixtures/inventory.ts';
import { customerList, egress, eni, fromGroup, gap, tcpFrom } from '../../../../fixtures/security-groups.ts';

/** n inbound TCP rules on distinct ports from a CIDR of the given family. */
const many = (n: number, cidr = '10.0.0.0/8', make = tcpFrom): SecurityGroupRule[] =>
  Array.from({ length: n }, (_, i) => make(cidr, 1000 + i));

const manyOut = (n: number): SecurityGroupRule[] =>
  Array.from({ length: n }, (_, i) =>
    egress({ ipProtocol: 'tcp', fromPort: 2000 + i, toPort: 2000 + i, cidrIpv4: '10.0.0.0/8' }),
  );

describe('sg-rule-quota', () => {
  describe('non-compliant', () => {
    it.each<[string, SecurityGroupRule[], object]>([
      ['51 inbound IPv4 rules', many(51), { direction: 'inbound', family: 'IPv4', count: 51 }],
      [
        '51 inbound IPv6 rules',
        many(51, '2600:1f18::/32'),
        { direction: 'inbound', family: 'IPv6', count: 51 },
      ],
      ['51 outbound IPv4 rules', manyOut(51), { direction: 'outbound', family: 'IPv4', count: 51 }],
      [
        '30 IPv4 rules plus 25 group references (a reference counts for IPv4 too)',
        [...many(30), ...Array.from({ length: 25 }, (_, i) => fromGroup(`sg-peer-${i}`))],
        { direction: 'inbound', family: 'IPv4', count: 55 },
      ],
      [
        '45 IPv4 rules plus a prefix list of 10 entries (a list counts as its entries)',
        [...many(45), ingress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: 'pl-10' })],
        { direction: 'inbound', family: 'IPv4', count: 55 },
      ],
    ])('fails for a group with %s', (_, rules, over) => {
      // Act
      const findings = run(
        rule,
        scope({
          securityGroups: [sg('sg-big', rules)],
          prefixLists: [
            customerList(
              'pl-10',
              Array.from({ length: 10 }, (_, i) => `198.51.100.${i}/32`),
            ),
          ],
        }),
      );
      // Assess
      expect(ids(findings)).toEqual(['sg-big']);
      expect(findings[0]?.severity).toBe('LOW');
      expect(findings[0]?.evidence).toMatchObject({ over: [over], threshold: 50, defaultQuota: 60 });
    });

    it('names the counts and the threshold', () => {
      const [finding] = run(
        rule,
        scope({ securityGroups: [sg('sg-big', many(57), { groupName: 'partners' })] }),
      );
      expect(finding?.message).toBe(
        'Security group sg-big (partners) has 57 inbound IPv4 rules, above the threshold of 50 (the default AWS quota is 60 per direction and family).',
      );
    });

    it('reports a network interface with more than 5 groups, as a network interface', () => {
      // Prepare
      const groups = ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'];
      const s = scope({ networkInterfaces: [eni('eni-many', groups, { description: 'ml worker' })] });
      // Act
      const [finding, ...rest] = run(rule, s);
      // Assess
      expect(rest).toHaveLength(0);
      expect(finding).toMatchObject({
        status: 'FAIL',
        resource: {
          type: 'AWS::EC2::NetworkInterface',
          id: 'eni-many',
          arn: 'arn:aws:ec2:us-east-1:111122223333:network-interface/eni-many',
          name: 'ml worker',
        },
        evidence: { groupIds: groups, threshold: 5 },
      });
      expect(finding?.message).toBe(
        'Network interface eni-many (ml worker) carries 6 security groups (sg-1, sg-2, sg-3, sg-4, sg-5, sg-6), above the threshold of 5 (the default AWS quota is 5).',
      );
    });

    it('honours configured thresholds', () => {
      const s = scope({
        securityGroups: [sg('sg-mid', many(30))],
        networkInterfaces: [eni('eni-3', ['sg-1', 'sg-2', 'sg-3'])],
      });
      expect(ids(run(rule, s))).toEqual([]);
      expect(ids(run(rule, s, { maxRulesPerDirection: 20, maxGroupsPerInterface: 2 }))).toEqual([
        'eni-3',
        'sg-mid',
      ]);
    });
  });

  describe('compliant', () => {
    it.each<[string, SecurityGroupRule[]]>([
      ['50 inbound IPv4 rules', many(50)],
      [
        '50 inbound IPv4 and 50 inbound IPv6 rules (separate quotas)',
        [...many(50), ...many(50, '2600:1f18::/32')],
      ],
      ['40 inbound and 40 outbound rules (separate quotas)', [...many(40), ...manyOut(40)]],
    ])('passes for a group with %s', (_, rules) => {
      expect(ids(run(rule, scope({ securityGroups: [sg('sg-ok', rules)] })))).toEqual([]);
    });

    it('passes for a network interface with 5 groups (listed twice counts once)', () => {
      const s = scope({
        networkInterfaces: [eni('eni-5', ['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-5'])],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED when network interfaces could not be read', () => {
      const findings = run(
        rule,
        scope({ securityGroups: [sg('sg-big', many(51))], gaps: [gap('networkInterfaces')] }),
      );
      expect(findings.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
    });
  });
});
