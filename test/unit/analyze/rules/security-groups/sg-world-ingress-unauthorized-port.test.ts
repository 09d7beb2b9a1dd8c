import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-world-ingress-unauthorized-port.ts';
import { ids, ingress, run, scope, sg } from '../../../../fixtures/inventory.ts';
import {
  awsList,
  customerList,
  egress,
  fromGroup,
  gap,
  tcpFrom,
} from '../../../../fixtures/security-groups.ts';

describe('sg-world-ingress-unauthorized-port', () => {
  describe('non-compliant', () => {
    it.each([
      ['TCP 8443 from 0.0.0.0/0', tcpFrom('0.0.0.0/0', 8443), { unauthorizedTcpPorts: '8443' }],
      ['TCP 8080 from ::/0', tcpFrom('::/0', 8080), { unauthorizedTcpPorts: '8080' }],
      [
        'TCP 80-443 from world (the range between)',
        tcpFrom('0.0.0.0/0', 80, 443),
        { unauthorizedTcpPorts: '81-442' },
      ],
      [
        'UDP 443 from world (no UDP port is authorized by default, as in FSBP)',
        ingress({ ipProtocol: 'udp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }),
        { unauthorizedUdpPorts: '443' },
      ],
      [
        'all protocols from world',
        ingress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }),
        {
          allProtocols: true,
          unauthorizedTcpPorts: '0-79, 81-442, 444-65535',
          unauthorizedUdpPorts: '0-65535',
        },
      ],
      ['TCP 5000 from 128.0.0.0/1 (world)', tcpFrom('128.0.0.0/1', 5000), { unauthorizedTcpPorts: '5000' }],
    ])('fails for %s', (_, r, detail) => {
      // Act
      const findings = run(rule, scope({ securityGroups: [sg('sg-bad', [r])] }));
      // Assess
      expect(ids(findings)).toEqual(['sg-bad']);
      expect(findings[0]?.severity).toBe('MEDIUM');
      expect(findings[0]?.evidence).toMatchObject({ rules: [detail] });
    });

    it('says which part of a range is unauthorized, in one finding per group', () => {
      // Prepare
      const s = scope({
        securityGroups: [
          sg(
            'sg-web',
            [
              tcpFrom('0.0.0.0/0', 443, 443, { ruleId: 'sgr-ok' }),
              tcpFrom('0.0.0.0/0', 80, 8080, { ruleId: 'sgr-wide' }),
              tcpFrom('0.0.0.0/0', 9000, 9000, { ruleId: 'sgr-9000' }),
            ],
            { groupName: 'web' },
          ),
        ],
      });
      // Act
      const [finding, ...rest] = run(rule, s);
      // Assess
      expect(rest).toHaveLength(0);
      expect(finding?.message).toBe(
        'Security group sg-web (web) admits the internet to ports outside the authorized list (tcp 80, 443): tcp/80-8080 from 0.0.0.0/0 [sgr-wide] (unauthorized: tcp 81-442, 444-8080); tcp/9000 from 0.0.0.0/0 [sgr-9000].',
      );
      expect((finding?.evidence as { rules: unknown[] } | undefined)?.rules).toHaveLength(2);
    });

    it('expands a customer-managed prefix list holding a world entry', () => {
      const s = scope({
        securityGroups: [
          sg('sg-pl', [ingress({ ipProtocol: 'tcp', fromPort: 8443, toPort: 8443, prefixListId: 'pl-1' })]),
        ],
        prefixLists: [customerList('pl-1', ['0.0.0.0/0'])],
      });
      expect(ids(run(rule, s))).toEqual(['sg-pl']);
    });

    it('honours authorizedPorts with ranges, and authorizedUdpPorts', () => {
      const s = scope({
        securityGroups: [
          sg('sg-game', [
            tcpFrom('0.0.0.0/0', 7000, 7010),
            ingress({ ipProtocol: 'udp', fromPort: 7000, toPort: 7010, cidrIpv4: '0.0.0.0/0' }),
          ]),
        ],
      });
      expect(
        ids(run(rule, s, { authorizedPorts: ['7000-7010'], authorizedUdpPorts: ['7000-7010'] })),
      ).toEqual([]);
      expect(ids(run(rule, s, { authorizedPorts: ['7000-7010'] }))).toEqual(['sg-game']);
      expect(() => rule.meta.options?.parse({ authorizedPorts: ['9-1'] })).toThrow();
    });
  });

  describe('compliant', () => {
    it.each([
      ['TCP 443 from world (a load balancer)', tcpFrom('0.0.0.0/0', 443)],
      ['TCP 80 from ::/0 (a load balancer)', tcpFrom('::/0', 80)],
      [
        'ICMP from world: not a port',
        ingress({ ipProtocol: 'icmp', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' }),
      ],
      ['ICMPv6 from ::/0', ingress({ ipProtocol: 'icmpv6', fromPort: -1, toPort: -1, cidrIpv6: '::/0' })],
      ['GRE (protocol 47) from world: no ports', ingress({ ipProtocol: '47', cidrIpv4: '0.0.0.0/0' })],
      ['TCP 8443 from an office /24', tcpFrom('203.0.113.0/24', 8443)],
      ['all traffic from a private CIDR', ingress({ ipProtocol: '-1', cidrIpv4: '10.0.0.0/8' })],
      ['all traffic from another group', fromGroup('sg-app')],
      ['all traffic out to world', egress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' })],
    ])('passes for %s', (_, r) => {
      expect(ids(run(rule, scope({ securityGroups: [sg('sg-ok', [r])] })))).toEqual([]);
    });

    it('passes for an AWS-managed prefix list (CloudFront origin-facing) on 8443', () => {
      const s = scope({
        securityGroups: [
          sg('sg-ok', [ingress({ ipProtocol: 'tcp', fromPort: 8443, toPort: 8443, prefixListId: 'pl-cf' })]),
        ],
        prefixLists: [awsList('pl-cf')],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED when security groups could not be read', () => {
      const findings = run(rule, scope({ gaps: [gap('securityGroups')] }));
      expect(findings).toHaveLength(1);
      expect(findings[0]?.status).toBe('NOT_EVALUATED');
    });
  });
});
