import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/vpc-endpoints/vpce-sg-too-open.ts';
import type { RegionInventory, SecurityGroupRule } from '../../../../../src/inventory/schema.ts';
import { endpoint, gap, vpc } from '../../../../fixtures/endpoints.ts';
import { ids, ingress, run, scope, sg } from '../../../../fixtures/inventory.ts';

const https = (peer: Partial<SecurityGroupRule>) =>
  ingress({ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ...peer });
const all = (peer: Partial<SecurityGroupRule>) => ingress({ ipProtocol: '-1', ...peer });

function withGroup(rules: SecurityGroupRule[], extra: Partial<RegionInventory> = {}): RegionInventory {
  return scope({
    vpcs: [vpc('vpc-1', ['10.0.0.0/16'], { ipv6CidrBlocks: ['2600:1f18:1:100::/56'] })],
    securityGroups: [sg('sg-vpce', rules)],
    vpcEndpoints: [endpoint('vpce-sts', 'sts', 'Interface', { groupIds: ['sg-vpce'] })],
    ...extra,
  });
}

describe('vpce-sg-too-open', () => {
  describe('non-compliant', () => {
    it.each<[string, SecurityGroupRule[]]>([
      ['TCP 443 from 0.0.0.0/0 (world, even on 443)', [https({ cidrIpv4: '0.0.0.0/0' })]],
      ['all traffic from ::/0', [all({ cidrIpv6: '::/0' })]],
      [
        'UDP 53 from 0.0.0.0/1 (half the internet is world)',
        [ingress({ ipProtocol: 'udp', fromPort: 53, toPort: 53, cidrIpv4: '0.0.0.0/1' })],
      ],
      ['all traffic from the VPC CIDR', [all({ cidrIpv4: '10.0.0.0/16' })]],
      ['all traffic from 10.0.0.0/8 (wider than the VPC)', [all({ cidrIpv4: '10.0.0.0/8' })]],
      [
        'all traffic from two halves of the VPC CIDR',
        [all({ cidrIpv4: '10.0.0.0/17' }), all({ cidrIpv4: '10.0.128.0/17' })],
      ],
      ["all traffic from the VPC's IPv6 block", [all({ cidrIpv6: '2600:1f18:1:100::/56' })]],
      ['all traffic from a prefix list holding the VPC CIDR', [all({ prefixListId: 'pl-corp' })]],
    ])('fails for %s', (_, rules) => {
      // Prepare
      const s = withGroup(rules, {
        prefixLists: [{ prefixListId: 'pl-corp', awsManaged: false, entries: [{ cidr: '10.0.0.0/16' }] }],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual(['vpce-sts']);
      expect(findings[0]).toMatchObject({ severity: 'MEDIUM', resource: { type: 'AWS::EC2::VPCEndpoint' } });
    });

    it('names the endpoint, service, group, rule and reason in one finding', () => {
      // Prepare
      const s = withGroup([
        https({ ruleId: 'sgr-world', cidrIpv4: '0.0.0.0/0' }),
        all({ ruleId: 'sgr-vpc', cidrIpv4: '10.0.0.0/16' }),
        https({ ruleId: 'sgr-ok', cidrIpv4: '10.0.0.0/16' }),
      ]);
      // Act
      const [f, ...rest] = run(rule, s);
      // Assess
      expect(rest).toHaveLength(0);
      expect(f?.message).toBe(
        'Interface endpoint vpce-sts (sts) in vpc-1 has security group sg-vpce admitting tcp/443 from 0.0.0.0/0 in sg-vpce [sgr-world] and all traffic from 10.0.0.0/16 (covers VPC CIDR 10.0.0.0/16) in sg-vpce [sgr-vpc], rather than TCP 443 from the resources that use it.',
      );
      expect(f?.evidence).toMatchObject({
        groups: [
          {
            groupId: 'sg-vpce',
            rules: [
              { ruleId: 'sgr-world', reason: 'world' },
              { ruleId: 'sgr-vpc', reason: 'all-protocols-from-vpc' },
            ],
          },
        ],
      });
    });
  });

  describe('compliant', () => {
    it.each<[string, SecurityGroupRule[]]>([
      ['TCP 443 from the VPC CIDR', [https({ cidrIpv4: '10.0.0.0/16' })]],
      ['TCP 443 from a security group', [https({ referencedGroup: { groupId: 'sg-ml' } })]],
      ['all traffic from a security group', [all({ referencedGroup: { groupId: 'sg-ml' } })]],
      ['all traffic from one subnet (narrower than the VPC)', [all({ cidrIpv4: '10.0.1.0/24' })]],
      [
        'TCP 0-65535 from the VPC CIDR (not all protocols)',
        [ingress({ ipProtocol: 'tcp', fromPort: 0, toPort: 65535, cidrIpv4: '10.0.0.0/16' })],
      ],
      ['all traffic from another private range', [all({ cidrIpv4: '192.168.0.0/16' })]],
      ['all traffic from an AWS-managed prefix list', [all({ prefixListId: 'pl-aws' })]],
      ['egress to the world', [{ egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }]],
    ])('passes for %s', (_, rules) => {
      const s = withGroup(rules, {
        prefixLists: [{ prefixListId: 'pl-aws', ownerId: 'AWS', awsManaged: true }],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });

    it('passes for an open group on a gateway endpoint, a deleted endpoint, or no endpoint', () => {
      const open = [all({ cidrIpv4: '0.0.0.0/0' })];
      expect(ids(run(rule, withGroup(open, { vpcEndpoints: [] })))).toEqual([]);
      expect(
        ids(
          run(
            rule,
            withGroup(open, {
              vpcEndpoints: [endpoint('vpce-s3', 's3', 'Gateway', { groupIds: ['sg-vpce'] })],
            }),
          ),
        ),
      ).toEqual([]);
      expect(
        ids(
          run(
            rule,
            withGroup(open, {
              vpcEndpoints: [
                endpoint('vpce-x', 'sts', 'Interface', { groupIds: ['sg-vpce'], state: 'deleted' }),
              ],
            }),
          ),
        ),
      ).toEqual([]);
    });

    it('does not guess the VPC CIDR when the VPC is unknown (the world check still applies)', () => {
      expect(ids(run(rule, withGroup([all({ cidrIpv4: '10.0.0.0/8' })], { vpcs: [] })))).toEqual([]);
      expect(ids(run(rule, withGroup([all({ cidrIpv4: '0.0.0.0/0' })], { vpcs: [] })))).toEqual(['vpce-sts']);
    });
  });

  it('is NOT_EVALUATED for the scope when security groups could not be read', () => {
    const findings = run(
      rule,
      withGroup([all({ cidrIpv4: '0.0.0.0/0' })], { gaps: [gap('securityGroups')] }),
    );
    expect(findings.map((f) => [f.status, f.resource.type])).toEqual([['NOT_EVALUATED', 'AWS::Region']]);
  });
});
