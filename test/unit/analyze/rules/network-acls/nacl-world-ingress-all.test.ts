import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-acls/nacl-world-ingress-all.ts';
import type { NetworkAclEntry } from '../../../../../src/inventory/schema.ts';
import { entry, ids, nacl, run, scope } from '../../../../fixtures/inventory.ts';
import { kindGap } from '../../../../fixtures/network.ts';

const star = entry(32767, 'deny', '-1', '0.0.0.0/0');
const out = (n: number, action: 'allow' | 'deny', protocol: string, cidr: string, ports?: [number, number]) =>
  entry(n, action, protocol, cidr, ports, true);

describe('nacl-world-ingress-all', () => {
  describe('non-compliant', () => {
    it.each<[string, NetworkAclEntry[]]>([
      ['allow all from 0.0.0.0/0 (the default ACL shape)', [entry(100, 'allow', '-1', '0.0.0.0/0')]],
      ['allow all from ::/0', [entry(100, 'allow', '-1', '::/0')]],
      [
        'two halves of the internet',
        [entry(100, 'allow', '-1', '0.0.0.0/1'), entry(110, 'allow', '-1', '128.0.0.0/1')],
      ],
      [
        'a deny of a private range before an allow-all of 0.0.0.0/0 (still the whole internet)',
        [entry(90, 'deny', '-1', '10.0.0.0/8'), entry(100, 'allow', '-1', '0.0.0.0/0')],
      ],
      [
        'a deny that comes after the allow-all never matches',
        [entry(100, 'allow', '-1', '0.0.0.0/0'), entry(200, 'deny', '6', '0.0.0.0/0', [22, 22])],
      ],
    ])('fails for %s', (_, entries) => {
      // Act
      const findings = run(rule, scope({ networkAcls: [nacl('acl-open', [...entries, star])] }));
      // Assess
      expect(ids(findings)).toEqual(['acl-open']);
      expect(findings[0]?.severity).toBe('HIGH');
    });

    it('reports the default ACL, naming its rule 100, the subnets it guards and that it is the default', () => {
      // Prepare
      const acl = nacl(
        'acl-default',
        [entry(100, 'allow', '-1', '0.0.0.0/0'), star, out(100, 'allow', '-1', '0.0.0.0/0')],
        { isDefault: true, associatedSubnetIds: ['subnet-a', 'subnet-b'] },
      );
      // Act
      const [finding] = run(rule, scope({ networkAcls: [acl] }));
      // Assess
      expect(finding?.message).toBe(
        'Network ACL acl-default (the default ACL of vpc-1) admits all traffic, every protocol and port, from the internet (0.0.0.0/0) by inbound rule 100 (allow all traffic from 0.0.0.0/0); it guards subnet-a, subnet-b.',
      );
      expect(finding?.evidence).toMatchObject({
        isDefault: true,
        associatedSubnetIds: ['subnet-a', 'subnet-b'],
        decidingRules: [{ ruleNumber: 100 }],
      });
    });

    it('keeps HIGH for a default ACL with no subnet, LOW for an unassociated custom ACL (and says why)', () => {
      const allowAll = [entry(100, 'allow', '-1', '0.0.0.0/0')];
      const findings = run(
        rule,
        scope({
          networkAcls: [
            nacl('acl-default', allowAll, { isDefault: true, associatedSubnetIds: [] }),
            nacl('acl-loose', allowAll, { associatedSubnetIds: [] }),
          ],
        }),
      );
      const sev = Object.fromEntries(findings.map((f) => [f.resource.id, f.severity]));
      expect(sev).toEqual({ 'acl-default': 'HIGH', 'acl-loose': 'LOW' });
      const loose = findings.find((f) => f.resource.id === 'acl-loose');
      expect(loose?.evidence.severityReason).toContain('no subnet');
      expect(loose?.message).toContain('associated with no subnet');
    });
  });

  describe('compliant', () => {
    it.each<[string, NetworkAclEntry[]]>([
      ['allow all from the VPC CIDR only', [entry(100, 'allow', '-1', '10.0.0.0/16')]],
      ['allow only TCP 443 from world', [entry(100, 'allow', '6', '0.0.0.0/0', [443, 443])]],
      [
        'allow TCP and UDP on every port from world, but not the other protocols',
        [
          entry(100, 'allow', '6', '0.0.0.0/0', [0, 65535]),
          entry(110, 'allow', '17', '0.0.0.0/0', [0, 65535]),
        ],
      ],
      [
        'a lower-numbered deny of SSH from world before the allow-all',
        [entry(90, 'deny', '6', '0.0.0.0/0', [22, 22]), entry(100, 'allow', '-1', '0.0.0.0/0')],
      ],
      ['allow all from a wide but not world public range (/12)', [entry(100, 'allow', '-1', '52.0.0.0/12')]],
      ['allow all outbound only', [out(100, 'allow', '-1', '0.0.0.0/0')]],
      ['no entries at all (everything hits the implicit deny)', []],
      [
        'a deny-all before an allow-all',
        [entry(50, 'deny', '-1', '0.0.0.0/0'), entry(100, 'allow', '-1', '0.0.0.0/0')],
      ],
    ])('passes for %s', (_, entries) => {
      expect(ids(run(rule, scope({ networkAcls: [nacl('acl-ok', [...entries, star])] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when network ACLs could not be read', () => {
    const findings = run(rule, scope({ gaps: [kindGap('networkAcls', 'DescribeNetworkAcls')] }));
    expect(findings).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
