import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-world-ingress-admin-port.ts';
import { ids, ingress, run, scope, sg } from '../../../../fixtures/inventory.ts';

describe('sg-world-ingress-admin-port', () => {
  describe('non-compliant', () => {
    it.each([
      [
        'TCP 22 from 0.0.0.0/0',
        ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }),
      ],
      ['TCP 3389 from ::/0', ingress({ ipProtocol: '6', fromPort: 3389, toPort: 3389, cidrIpv6: '::/0' })],
      [
        'UDP 3389 from 0.0.0.0/0 (CIS counts UDP)',
        ingress({ ipProtocol: 'udp', fromPort: 3389, toPort: 3389, cidrIpv4: '0.0.0.0/0' }),
      ],
      [
        'a TCP range 0-1024 containing 22',
        ingress({ ipProtocol: 'tcp', fromPort: 0, toPort: 1024, cidrIpv4: '0.0.0.0/0' }),
      ],
      ['all protocols from world', ingress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' })],
      [
        'TCP 22 from 0.0.0.0/1 (half the internet is world)',
        ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/1' }),
      ],
      [
        'TCP 22 from 2600::/16 (global unicast /16)',
        ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '2600::/16' }),
      ],
    ])('fails for %s', (_, r) => {
      // Act
      const findings = run(rule, scope({ securityGroups: [sg('sg-bad', [r])] }));
      // Assess
      expect(ids(findings)).toEqual(['sg-bad']);
      expect(findings[0]?.severity).toBe('HIGH');
    });

    it('names the ports, the CIDRs and the rule id in one finding per group', () => {
      // Prepare
      const s = scope({
        securityGroups: [
          sg('sg-two', [
            ingress({ ruleId: 'sgr-a', ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }),
            ingress({
              ruleId: 'sgr-b',
              ipProtocol: 'tcp',
              fromPort: 3389,
              toPort: 3389,
              cidrIpv4: '0.0.0.0/0',
            }),
          ]),
        ],
      });
      // Act
      const [finding, ...rest] = run(rule, s);
      // Assess
      expect(rest).toHaveLength(0);
      expect(finding?.message).toContain('22 (SSH) and 3389 (RDP)');
      expect(finding?.message).toContain('0.0.0.0/0 [sgr-a]');
      expect(finding?.evidence).toMatchObject({ ports: [22, 3389] });
    });

    it('expands a customer-managed prefix list', () => {
      const s = scope({
        securityGroups: [
          sg('sg-pl', [ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, prefixListId: 'pl-1' })]),
        ],
        prefixLists: [{ prefixListId: 'pl-1', awsManaged: false, entries: [{ cidr: '0.0.0.0/0' }] }],
      });
      expect(ids(run(rule, s))).toEqual(['sg-pl']);
    });

    it('honours configured ports', () => {
      const s = scope({
        securityGroups: [
          sg('sg-5985', [
            ingress({ ipProtocol: 'tcp', fromPort: 5985, toPort: 5986, cidrIpv4: '0.0.0.0/0' }),
          ]),
        ],
      });
      expect(ids(run(rule, s, { ports: [5985] }))).toEqual(['sg-5985']);
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('compliant', () => {
    it.each([
      [
        'TCP 22 from an office /24',
        ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '203.0.113.0/24' }),
      ],
      [
        'TCP 22 from a wide public /12 (not world)',
        ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '52.0.0.0/12' }),
      ],
      [
        'TCP 22 from 10.0.0.0/8',
        ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '10.0.0.0/8' }),
      ],
      [
        'TCP 22 from another security group',
        ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, referencedGroup: { groupId: 'sg-bastion' } }),
      ],
      [
        'TCP 443 and 80 from world (a load balancer)',
        ingress({ ipProtocol: 'tcp', fromPort: 80, toPort: 443, cidrIpv4: '0.0.0.0/0' }),
      ],
      ['ICMP from world', ingress({ ipProtocol: 'icmp', fromPort: 3, toPort: 4, cidrIpv4: '0.0.0.0/0' })],
      [
        'TCP 22 from 2600:1f18::/32 (narrow IPv6)',
        ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '2600:1f18::/32' }),
      ],
      [
        'egress TCP 22 to world',
        { egress: true, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' },
      ],
    ])('passes for %s', (_, r) => {
      expect(ids(run(rule, scope({ securityGroups: [sg('sg-ok', [r])] })))).toEqual([]);
    });

    it('passes for an office prefix list and an AWS-managed list', () => {
      const s = scope({
        securityGroups: [
          sg('sg-ok', [
            ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, prefixListId: 'pl-office' }),
            ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, prefixListId: 'pl-aws' }),
          ]),
        ],
        prefixLists: [
          { prefixListId: 'pl-office', awsManaged: false, entries: [{ cidr: '198.51.100.0/24' }] },
          { prefixListId: 'pl-aws', ownerId: 'AWS', awsManaged: true },
        ],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });
});
