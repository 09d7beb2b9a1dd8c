import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-world-ingress-all-ports.ts';
import { ids, ingress, run, scope, sg } from '../../../../fixtures/inventory.ts';

const pl = (id: string, cidrs: string[], awsManaged = false) => ({
  prefixListId: id,
  awsManaged,
  ...(awsManaged
    ? { ownerId: 'AWS' }
    : { ownerId: '111122223333', entries: cidrs.map((cidr) => ({ cidr })) }),
});

describe('sg-world-ingress-all-ports', () => {
  describe('non-compliant', () => {
    it.each([
      ['all protocols from 0.0.0.0/0', ingress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' })],
      ['all protocols from ::/0', ingress({ ipProtocol: '-1', cidrIpv6: '::/0' })],
      [
        'TCP 0-65535 from 0.0.0.0/0',
        ingress({ ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv4: '0.0.0.0/0' }),
      ],
      [
        'UDP 0-65535 from 0.0.0.0/1',
        ingress({ ipProtocol: '17', fromPort: 0, toPort: 65535, cidrIpv4: '0.0.0.0/1' }),
      ],
      ['all protocols from 128.0.0.0/1', ingress({ ipProtocol: '-1', cidrIpv4: '128.0.0.0/1' })],
      ['all from a public /8 (2^24 public addresses)', ingress({ ipProtocol: '-1', cidrIpv4: '11.0.0.0/8' })],
    ])('fails for %s', (_, r) => {
      // Act
      const findings = run(rule, scope({ securityGroups: [sg('sg-bad', [r])] }));
      // Assess
      expect(ids(findings)).toEqual(['sg-bad']);
      expect(findings[0]?.severity).toBe('CRITICAL');
      expect(findings[0]?.message).toMatch(/sg-bad/);
    });

    it('fails through a customer-managed prefix list holding 0.0.0.0/0 and names the list', () => {
      // Prepare
      const s = scope({
        securityGroups: [sg('sg-pl', [ingress({ ipProtocol: '-1', prefixListId: 'pl-1' })])],
        prefixLists: [pl('pl-1', ['10.0.0.0/8', '0.0.0.0/0'])],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['sg-pl']);
      expect(findings[0]?.message).toMatch(/prefix list pl-1/);
    });
  });

  describe('compliant', () => {
    it.each([
      ['all protocols from a private /8', ingress({ ipProtocol: '-1', cidrIpv4: '10.0.0.0/8' })],
      [
        'all protocols from a wide public /12 (wide, not world)',
        ingress({ ipProtocol: '-1', cidrIpv4: '52.0.0.0/12' }),
      ],
      [
        'TCP 1-65535 from world (not every port)',
        ingress({ ipProtocol: 'tcp', fromPort: 1, toPort: 65535, cidrIpv4: '0.0.0.0/0' }),
      ],
      [
        'TCP 443 from world',
        ingress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }),
      ],
      ['ICMP from world', ingress({ ipProtocol: 'icmp', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' })],
      [
        'all protocols from a security group',
        ingress({ ipProtocol: '-1', referencedGroup: { groupId: 'sg-other' } }),
      ],
      [
        'all protocols from fc00::/7 (not global unicast)',
        ingress({ ipProtocol: '-1', cidrIpv6: 'fc00::/7' }),
      ],
      ['egress all to world', { egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }],
    ])('passes for %s', (_, r) => {
      expect(ids(run(rule, scope({ securityGroups: [sg('sg-ok', [r])] })))).toEqual([]);
    });

    it('passes for an AWS-managed prefix list (not world)', () => {
      const s = scope({
        securityGroups: [sg('sg-ok', [ingress({ ipProtocol: '-1', prefixListId: 'pl-aws' })])],
        prefixLists: [pl('pl-aws', [], true)],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED, not clean, when security groups could not be read', () => {
      // Prepare
      const s = scope({
        gaps: [
          {
            service: 'ec2',
            operation: 'DescribeSecurityGroups',
            kind: 'securityGroups',
            errorCode: 'UnauthorizedOperation',
            message: 'no',
          },
        ],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        status: 'NOT_EVALUATED',
        ruleId: 'sg-world-ingress-all-ports',
        region: 'us-east-1',
      });
    });
  });
});
