import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-redundant-rule.ts';
import type { SecurityGroupRule } from '../../../../../src/inventory/schema.ts';
import { ids, ingress, run, scope, sg } from '../../../../fixtures/inventory.ts';
import {
  awsList,
  customerList,
  egress,
  fromGroup,
  gap,
  tcpFrom,
} from '../../../../fixtures/security-groups.ts';

const r = (ruleId: string, rule: SecurityGroupRule): SecurityGroupRule => ({ ...rule, ruleId });

describe('sg-redundant-rule', () => {
  describe('non-compliant', () => {
    it.each<[string, SecurityGroupRule, SecurityGroupRule]>([
      ['TCP 443 inside TCP 0-65535, same CIDR', tcpFrom('10.0.0.0/8', 443), tcpFrom('10.0.0.0/8', 0, 65535)],
      ['a /16 inside a /8, same port', tcpFrom('10.1.0.0/16', 443), tcpFrom('10.0.0.0/8', 443)],
      [
        'TCP inside all protocols',
        tcpFrom('10.0.0.0/16', 22),
        ingress({ ipProtocol: '-1', cidrIpv4: '10.0.0.0/16' }),
      ],
      [
        'ICMP echo inside all ICMP',
        ingress({ ipProtocol: 'icmp', fromPort: 8, toPort: 0, cidrIpv4: '10.0.0.0/8' }),
        ingress({ ipProtocol: 'icmp', fromPort: -1, toPort: -1, cidrIpv4: '10.0.0.0/8' }),
      ],
      [
        'an IPv6 /64 inside a /56',
        tcpFrom('2600:1f18:1:100::/64', 443),
        tcpFrom('2600:1f18:1:100::/56', 443),
      ],
      [
        'a second reference to the same group with a narrower port range',
        fromGroup('sg-app', { ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 }),
        fromGroup('sg-app', { ipProtocol: 'tcp', fromPort: 5000, toPort: 6000 }),
      ],
      [
        'a CIDR inside a customer-managed prefix list',
        tcpFrom('198.51.100.7/32', 443),
        ingress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: 'pl-office' }),
      ],
      [
        'outbound TCP 443 inside all outbound traffic',
        egress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }),
        egress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }),
      ],
    ])('fails for %s', (_, narrow, broad) => {
      // Prepare
      const s = scope({
        securityGroups: [sg('sg-1', [r('sgr-broad', broad), r('sgr-narrow', narrow)])],
        prefixLists: [customerList('pl-office', ['198.51.100.0/24'])],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['sg-1']);
      expect(findings[0]?.severity).toBe('LOW');
      expect(findings[0]?.evidence).toMatchObject({
        redundant: [{ rule: { ruleId: 'sgr-narrow' }, coveredBy: { ruleId: 'sgr-broad' }, identical: false }],
      });
    });

    it('names both rules in one sentence', () => {
      // Prepare
      const s = scope({
        securityGroups: [
          sg('sg-1', [r('sgr-a', tcpFrom('10.0.0.0/8', 0, 65535)), r('sgr-b', tcpFrom('10.1.0.0/16', 443))], {
            groupName: 'app',
          }),
        ],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toBe(
        'Security group sg-1 (app) has a redundant rule: inbound tcp/443 from 10.1.0.0/16 [sgr-b] is covered by tcp/0-65535 (all ports) from 10.0.0.0/8 [sgr-a].',
      );
    });

    it('reports only the later of two identical rules, once', () => {
      // Prepare: "tcp" and "6" are the same protocol
      const s = scope({
        securityGroups: [
          sg('sg-1', [
            r('sgr-first', tcpFrom('10.0.0.0/8', 443)),
            r('sgr-second', { ...tcpFrom('10.0.0.0/8', 443), ipProtocol: '6' }),
          ]),
        ],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(findings).toHaveLength(1);
      expect(findings[0]?.evidence).toMatchObject({
        redundant: [{ rule: { ruleId: 'sgr-second' }, coveredBy: { ruleId: 'sgr-first' }, identical: true }],
      });
      expect(findings[0]?.message).toContain('[sgr-second] is identical to');
    });

    it('names a covering rule that is not itself redundant', () => {
      const s = scope({
        securityGroups: [
          sg('sg-1', [
            r('sgr-small', tcpFrom('10.1.1.0/24', 443)),
            r('sgr-mid', tcpFrom('10.1.0.0/16', 443)),
            r('sgr-big', tcpFrom('10.0.0.0/8', 443)),
          ]),
        ],
      });
      const [finding] = run(rule, s);
      expect(finding?.evidence).toMatchObject({
        redundant: [
          { rule: { ruleId: 'sgr-small' }, coveredBy: { ruleId: 'sgr-big' } },
          { rule: { ruleId: 'sgr-mid' }, coveredBy: { ruleId: 'sgr-big' } },
        ],
      });
    });
  });

  describe('compliant', () => {
    it.each<[string, SecurityGroupRule, SecurityGroupRule]>([
      ['overlapping port ranges', tcpFrom('10.0.0.0/8', 80, 443), tcpFrom('10.0.0.0/8', 443, 8443)],
      ['the same port from disjoint CIDRs', tcpFrom('10.0.0.0/16', 443), tcpFrom('10.1.0.0/16', 443)],
      [
        'TCP and UDP on the same port',
        tcpFrom('10.0.0.0/8', 53),
        ingress({ ipProtocol: 'udp', fromPort: 53, toPort: 53, cidrIpv4: '10.0.0.0/8' }),
      ],
      [
        'a group reference and a CIDR (members unknown)',
        fromGroup('sg-app', { ipProtocol: 'tcp', fromPort: 443, toPort: 443 }),
        ingress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }),
      ],
      ['references to two different groups', fromGroup('sg-a'), fromGroup('sg-b')],
      [
        'the same space inbound and outbound',
        tcpFrom('10.0.0.0/8', 443),
        egress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8' }),
      ],
      ['an IPv4 and an IPv6 rule', tcpFrom('0.0.0.0/0', 443), tcpFrom('::/0', 443)],
      [
        'an AWS-managed prefix list and a CIDR (entries unknown)',
        ingress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: 'pl-aws' }),
        ingress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }),
      ],
    ])('passes for %s', (_, a, b) => {
      const s = scope({ securityGroups: [sg('sg-ok', [a, b])], prefixLists: [awsList('pl-aws')] });
      expect(ids(run(rule, s))).toEqual([]);
    });

    it('passes for a rule covered only by the union of two others', () => {
      const s = scope({
        securityGroups: [
          sg('sg-ok', [
            tcpFrom('10.0.0.0/8', 0, 500),
            tcpFrom('10.0.0.0/8', 501, 1000),
            tcpFrom('10.0.0.0/8', 400, 600),
          ]),
        ],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });

    it('passes for the same rule in two different groups', () => {
      const s = scope({
        securityGroups: [sg('sg-a', [tcpFrom('10.0.0.0/8', 443)]), sg('sg-b', [tcpFrom('10.0.0.0/8', 443)])],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED when prefix lists could not be read', () => {
      const findings = run(rule, scope({ gaps: [gap('prefixLists')] }));
      expect(findings.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
    });
  });
});
