import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-wide-public-cidr-ingress.ts';
import { ids, ingress, run, scope, sg } from '../../../../fixtures/inventory.ts';
import {
  awsList,
  customerList,
  egress,
  fromGroup,
  gap,
  tcpFrom,
} from '../../../../fixtures/security-groups.ts';

describe('sg-wide-public-cidr-ingress', () => {
  describe('non-compliant', () => {
    it.each([
      ['a public /12', tcpFrom('52.0.0.0/12', 443), '52.0.0.0/12'],
      ['a public /23', tcpFrom('52.94.0.0/23', 22), '52.94.0.0/23'],
      [
        '172.0.0.0/8 (mostly public, not world)',
        ingress({ ipProtocol: '-1', cidrIpv4: '172.0.0.0/8' }),
        '172.0.0.0/8',
      ],
      ['a /9 of public space (2^23 addresses, below world)', tcpFrom('11.0.0.0/9', 5432), '11.0.0.0/9'],
      ['a global unicast IPv6 /32', tcpFrom('2600:1f18::/32', 443), '2600:1f18::/32'],
      ['a global unicast IPv6 /47', tcpFrom('2001:db9::/47', 443), '2001:db9::/47'],
    ])('fails for %s', (_, r, cidr) => {
      // Act
      const findings = run(rule, scope({ securityGroups: [sg('sg-bad', [r])] }));
      // Assess
      expect(ids(findings)).toEqual(['sg-bad']);
      expect(findings[0]?.severity).toBe('MEDIUM');
      expect(findings[0]?.evidence).toMatchObject({ cidrs: [cidr] });
    });

    it('names the range, the rule and the public address count', () => {
      // Prepare
      const s = scope({
        securityGroups: [
          sg('sg-partner', [tcpFrom('52.0.0.0/12', 443, 443, { ruleId: 'sgr-1' })], { groupName: 'partner' }),
        ],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toBe(
        'Security group sg-partner (partner) admits wide public range 52.0.0.0/12: tcp/443 from 52.0.0.0/12 [sgr-1].',
      );
      expect(finding?.evidence).toMatchObject({
        rules: [
          {
            ruleId: 'sgr-1',
            wideCidrs: [{ cidr: '52.0.0.0/12', prefixLength: 12, publicAddresses: 2 ** 20 }],
          },
        ],
      });
    });

    it('finds a wide entry inside a customer-managed prefix list and names the list', () => {
      const s = scope({
        securityGroups: [
          sg('sg-pl', [
            ingress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: 'pl-partners' }),
          ]),
        ],
        prefixLists: [customerList('pl-partners', ['198.51.100.0/24', '34.192.0.0/10'])],
      });
      const findings = run(rule, s);
      expect(ids(findings)).toEqual(['sg-pl']);
      expect(findings[0]?.message).toContain('tcp/443 from 34.192.0.0/10 (prefix list pl-partners)');
    });

    it('honours minPrefixV4', () => {
      const s = scope({ securityGroups: [sg('sg-24', [tcpFrom('52.94.1.0/24', 443)])] });
      expect(ids(run(rule, s))).toEqual([]);
      expect(ids(run(rule, s, { minPrefixV4: 28 }))).toEqual(['sg-24']);
    });
  });

  describe('compliant', () => {
    it.each([
      ['an office /24', tcpFrom('203.0.113.0/24', 443)],
      ['a single public host', tcpFrom('52.94.1.10/32', 443)],
      ['10.0.0.0/8 (private, however wide)', tcpFrom('10.0.0.0/8', 443)],
      ['100.64.0.0/10 (carrier-grade NAT, reserved)', tcpFrom('100.64.0.0/10', 443)],
      ['0.0.0.0/0 (world: the sg-world-ingress-* rules report it)', tcpFrom('0.0.0.0/0', 443)],
      ['0.0.0.0/1 (world)', tcpFrom('0.0.0.0/1', 443)],
      ['::/0 (world)', tcpFrom('::/0', 443)],
      ['fc00::/7 (unique local IPv6)', tcpFrom('fc00::/7', 443)],
      ['an IPv6 /48', tcpFrom('2600:1f18:1234::/48', 443)],
      ['a security group', fromGroup('sg-app')],
      [
        'egress to a wide public range',
        egress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '52.0.0.0/12' }),
      ],
    ])('passes for %s', (_, r) => {
      expect(ids(run(rule, scope({ securityGroups: [sg('sg-ok', [r])] })))).toEqual([]);
    });

    it('passes for an AWS-managed prefix list', () => {
      const s = scope({
        securityGroups: [
          sg('sg-ok', [ingress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: 'pl-aws' })]),
        ],
        prefixLists: [awsList('pl-aws')],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED when prefix lists could not be read', () => {
      const findings = run(
        rule,
        scope({ securityGroups: [sg('sg-bad', [tcpFrom('52.0.0.0/12', 443)])], gaps: [gap('prefixLists')] }),
      );
      expect(findings.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
    });
  });
});
