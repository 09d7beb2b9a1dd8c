import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-acls/nacl-shadowed-rule.ts';
import type { NetworkAclEntry } from '../../../../../src/inventory/schema.ts';
import { entry, failed, nacl, run, scope } from '../../../../fixtures/inventory.ts';
import { kindGap } from '../../../../fixtures/network.ts';

const star = entry(32767, 'deny', '-1', '0.0.0.0/0');
const out = (n: number, action: 'allow' | 'deny', protocol: string, cidr: string, ports?: [number, number]) =>
  entry(n, action, protocol, cidr, ports, true);

/** [key, severity] of each FAIL finding. */
const keys = (entries: NetworkAclEntry[]) =>
  failed(
    run(rule, scope({ networkAcls: [nacl('acl-1', [...entries, star, { ...star, egress: true }])] })),
  ).map((f) => [f.evidence.direction, (f.evidence.shadowedEntry as NetworkAclEntry).ruleNumber, f.severity]);

describe('nacl-shadowed-rule', () => {
  describe('non-compliant', () => {
    it.each<[string, NetworkAclEntry[], unknown[]]>([
      [
        'a deny of SSH after an allow of all TCP from world (the deny blocks nothing)',
        [entry(100, 'allow', '6', '0.0.0.0/0', [0, 65535]), entry(200, 'deny', '6', '0.0.0.0/0', [22, 22])],
        [['ingress', 200, 'MEDIUM']],
      ],
      [
        'a deny of a /24 after an allow-all',
        [entry(100, 'allow', '-1', '0.0.0.0/0'), entry(110, 'deny', '-1', '203.0.113.0/24')],
        [['ingress', 110, 'MEDIUM']],
      ],
      [
        'an allow after a deny of all from world (the allow admits nothing)',
        [entry(100, 'deny', '-1', '0.0.0.0/0'), entry(200, 'allow', '6', '198.51.100.0/24', [443, 443])],
        [['ingress', 200, 'LOW']],
      ],
      [
        'a redundant allow covered by a wider allow',
        [
          entry(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
          entry(110, 'allow', '6', '10.0.0.0/8', [443, 443]),
        ],
        [['ingress', 110, 'LOW']],
      ],
      [
        'an entry covered by two lower entries together',
        [
          entry(100, 'allow', '6', '0.0.0.0/1', [22, 22]),
          entry(110, 'allow', '6', '128.0.0.0/1', [22, 22]),
          entry(120, 'deny', '6', '0.0.0.0/0', [22, 22]),
        ],
        [['ingress', 120, 'MEDIUM']],
      ],
      [
        'an outbound deny shadowed by an outbound allow-all',
        [out(100, 'allow', '-1', '0.0.0.0/0'), out(200, 'deny', '17', '0.0.0.0/0', [53, 53])],
        [['egress', 200, 'MEDIUM']],
      ],
    ])('fails for %s', (_, entries, expected) => {
      expect(keys(entries)).toEqual(expected);
    });

    it('names the shadowed entry and the entry that decides its traffic, one finding per entry', () => {
      // Prepare
      const acl = nacl(
        'acl-1',
        [
          entry(100, 'allow', '6', '0.0.0.0/0', [0, 65535]),
          entry(200, 'deny', '6', '0.0.0.0/0', [22, 22]),
          entry(210, 'deny', '6', '0.0.0.0/0', [3389, 3389]),
        ],
        { associatedSubnetIds: ['subnet-a'] },
      );
      // Act
      const findings = run(rule, scope({ networkAcls: [acl] }));
      // Assess
      expect(findings).toHaveLength(2);
      expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
      const ssh = findings.find((f) => (f.evidence.shadowedEntry as NetworkAclEntry).ruleNumber === 200);
      expect(ssh?.message).toBe(
        'Network ACL acl-1 (in vpc-1) inbound rule 200 (deny tcp 22 from 0.0.0.0/0) never matches: lower-numbered inbound rule 100 (allow tcp 0-65535 from 0.0.0.0/0) already decides all of its traffic, so the deny blocks nothing it was written for; it guards subnet-a.',
      );
      expect(ssh?.evidence.coveredBy).toEqual([
        { ruleNumber: 100, entry: 'inbound rule 100 (allow tcp 0-65535 from 0.0.0.0/0)', opposite: true },
      ]);
      expect(ssh?.remediation).toContain('a rule number below 100');
    });
  });

  describe('compliant', () => {
    it.each<[string, NetworkAclEntry[]]>([
      [
        'a deny before the allow (the usual order)',
        [entry(90, 'deny', '6', '0.0.0.0/0', [22, 22]), entry(100, 'allow', '-1', '0.0.0.0/0')],
      ],
      [
        'a partly covered deny still decides some traffic',
        [entry(100, 'allow', '6', '0.0.0.0/0', [22, 22]), entry(200, 'deny', '6', '0.0.0.0/0', [0, 1024])],
      ],
      [
        'a deny for another protocol than the allow',
        [entry(100, 'allow', '6', '0.0.0.0/0', [0, 65535]), entry(200, 'deny', '17', '0.0.0.0/0', [53, 53])],
      ],
      [
        'an IPv6 deny after an IPv4 allow-all',
        [entry(100, 'allow', '-1', '0.0.0.0/0'), entry(200, 'deny', '-1', '::/0')],
      ],
      ['the default ACL (rule 100 and the * entry)', [entry(100, 'allow', '-1', '0.0.0.0/0')]],
      [
        'the same rule number inbound and outbound',
        [entry(100, 'allow', '-1', '0.0.0.0/0'), out(100, 'allow', '-1', '0.0.0.0/0')],
      ],
    ])('passes for %s', (_, entries) => {
      expect(keys(entries)).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when network ACLs could not be read', () => {
    const findings = run(rule, scope({ gaps: [kindGap('networkAcls', 'DescribeNetworkAcls')] }));
    expect(findings).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
