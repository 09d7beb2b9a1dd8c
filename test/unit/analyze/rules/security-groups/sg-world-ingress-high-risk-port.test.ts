import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-world-ingress-high-risk-port.ts';
import { ids, ingress, run, scope, sg } from '../../../../fixtures/inventory.ts';
import {
  awsList,
  customerList,
  egress,
  fromGroup,
  gap,
  tcpFrom,
} from '../../../../fixtures/security-groups.ts';

describe('sg-world-ingress-high-risk-port', () => {
  describe('non-compliant', () => {
    it.each([
      ['MySQL TCP 3306 from 0.0.0.0/0', tcpFrom('0.0.0.0/0', 3306), [3306]],
      ['PostgreSQL TCP 5432 from ::/0', tcpFrom('::/0', 5432), [5432]],
      ['Jupyter TCP 8888 from 0.0.0.0/1 (world)', tcpFrom('0.0.0.0/1', 8888), [8888]],
      ['Ray dashboard TCP 8265 from a public /8', tcpFrom('11.0.0.0/8', 8265), [8265]],
      [
        'UDP 1434 (SQL Server browser) from world',
        ingress({ ipProtocol: 'udp', fromPort: 1434, toPort: 1434, cidrIpv4: '0.0.0.0/0' }),
        [1434],
      ],
      [
        'a TCP range 6000-6400 from world reaching TensorBoard and Ray',
        tcpFrom('0.0.0.0/0', 6000, 6400),
        [6006, 6379],
      ],
      [
        'NFS 2049 as protocol number 6 from world',
        ingress({ ipProtocol: '6', fromPort: 2049, toPort: 2049, cidrIpv4: '0.0.0.0/0' }),
        [2049],
      ],
    ])('fails for %s', (_, r, ports) => {
      // Act
      const findings = run(rule, scope({ securityGroups: [sg('sg-bad', [r])] }));
      // Assess
      expect(ids(findings)).toEqual(['sg-bad']);
      expect(findings[0]?.severity).toBe('HIGH');
      expect(findings[0]?.evidence).toMatchObject({ ports });
    });

    it('fails for all protocols from world and lists every high-risk port in evidence, a few in the message', () => {
      // Prepare
      const s = scope({
        securityGroups: [
          sg('sg-all', [ingress({ ruleId: 'sgr-1', ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' })]),
        ],
      });
      // Act
      const [finding, ...rest] = run(rule, s);
      // Assess
      expect(rest).toHaveLength(0);
      expect((finding?.evidence as { ports: number[] } | undefined)?.ports).toHaveLength(31);
      expect(finding?.message).toContain('31 high-risk ports 20 (FTP data)');
      expect(finding?.message).toContain('and 23 more: all traffic from 0.0.0.0/0 [sgr-1]');
    });

    it('names the group, the ports, the CIDR and the rule id in one finding per group', () => {
      // Prepare
      const s = scope({
        securityGroups: [
          sg(
            'sg-db',
            [
              tcpFrom('0.0.0.0/0', 3306, 3306, { ruleId: 'sgr-a' }),
              tcpFrom('::/0', 5432, 5432, { ruleId: 'sgr-b' }),
            ],
            { groupName: 'databases' },
          ),
        ],
      });
      // Act
      const [finding, ...rest] = run(rule, s);
      // Assess
      expect(rest).toHaveLength(0);
      expect(finding?.message).toBe(
        'Security group sg-db (databases) admits the internet to 2 high-risk ports 3306 (MySQL), 5432 (PostgreSQL): tcp/3306 from 0.0.0.0/0 [sgr-a]; tcp/5432 from ::/0 [sgr-b].',
      );
    });

    it('expands a customer-managed prefix list and names it', () => {
      const s = scope({
        securityGroups: [
          sg('sg-pl', [ingress({ ipProtocol: 'tcp', fromPort: 9200, toPort: 9300, prefixListId: 'pl-1' })]),
        ],
        prefixLists: [customerList('pl-1', ['10.0.0.0/8', '0.0.0.0/0'])],
      });
      const findings = run(rule, s);
      expect(ids(findings)).toEqual(['sg-pl']);
      expect(findings[0]?.message).toContain('from 0.0.0.0/0 (prefix list pl-1)');
    });

    it('honours configured ports', () => {
      const s = scope({ securityGroups: [sg('sg-custom', [tcpFrom('0.0.0.0/0', 11211)])] });
      expect(ids(run(rule, s, { ports: [11211] }))).toEqual(['sg-custom']);
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('compliant', () => {
    it.each([
      ['MySQL from a private CIDR', tcpFrom('10.0.0.0/8', 3306)],
      ['MySQL from an office /24', tcpFrom('203.0.113.0/24', 3306)],
      [
        'MySQL from a wide public /12 (not world: see sg-wide-public-cidr-ingress)',
        tcpFrom('52.0.0.0/12', 3306),
      ],
      [
        'MySQL from another security group',
        fromGroup('sg-app', { ipProtocol: 'tcp', fromPort: 3306, toPort: 3306 }),
      ],
      ['443 from world (a load balancer)', tcpFrom('0.0.0.0/0', 443)],
      ['80 from ::/0 (a load balancer)', tcpFrom('::/0', 80)],
      ['SSH from world (sg-world-ingress-admin-port reports it)', tcpFrom('0.0.0.0/0', 22)],
      ['ICMP from world', ingress({ ipProtocol: 'icmp', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' })],
      ['a range between high-risk ports', tcpFrom('0.0.0.0/0', 8089, 8264)],
      [
        'egress to world on 3306',
        egress({ ipProtocol: 'tcp', fromPort: 3306, toPort: 3306, cidrIpv4: '0.0.0.0/0' }),
      ],
    ])('passes for %s', (_, r) => {
      expect(ids(run(rule, scope({ securityGroups: [sg('sg-ok', [r])] })))).toEqual([]);
    });

    it('passes for an office prefix list and an AWS-managed list', () => {
      const s = scope({
        securityGroups: [
          sg('sg-ok', [
            ingress({ ipProtocol: 'tcp', fromPort: 3306, toPort: 3306, prefixListId: 'pl-office' }),
            ingress({ ipProtocol: 'tcp', fromPort: 3306, toPort: 3306, prefixListId: 'pl-aws' }),
          ]),
        ],
        prefixLists: [customerList('pl-office', ['198.51.100.0/24']), awsList('pl-aws')],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED, not clean, when prefix lists could not be read', () => {
      const s = scope({
        securityGroups: [sg('sg-bad', [tcpFrom('0.0.0.0/0', 3306)])],
        gaps: [gap('prefixLists')],
      });
      const findings = run(rule, s);
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ status: 'NOT_EVALUATED', resource: { type: 'AWS::Region' } });
    });
  });
});
