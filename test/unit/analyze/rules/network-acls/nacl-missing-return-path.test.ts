import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-acls/nacl-missing-return-path.ts';
import type { NetworkAclEntry } from '../../../../../src/inventory/schema.ts';
import { entry, failed, nacl, run, scope } from '../../../../fixtures/inventory.ts';
import { kindGap } from '../../../../fixtures/network.ts';

const star = entry(32767, 'deny', '-1', '0.0.0.0/0');
const starOut = { ...star, egress: true };
const inb = (n: number, action: 'allow' | 'deny', protocol: string, cidr: string, ports?: [number, number]) =>
  entry(n, action, protocol, cidr, ports);
const out = (n: number, action: 'allow' | 'deny', protocol: string, cidr: string, ports?: [number, number]) =>
  entry(n, action, protocol, cidr, ports, true);

/** [direction, rule number] of each FAIL finding. */
const keys = (entries: NetworkAclEntry[], options: object = {}) =>
  failed(run(rule, scope({ networkAcls: [nacl('acl-1', [...entries, star, starOut])] }), options))
    .map((f) => [f.evidence.direction, (f.evidence.entry as NetworkAclEntry).ruleNumber])
    .sort();

describe('nacl-missing-return-path', () => {
  describe('non-compliant', () => {
    it.each<[string, NetworkAclEntry[], unknown[]]>([
      [
        'inbound 443 from world with no outbound entry at all',
        [inb(100, 'allow', '6', '0.0.0.0/0', [443, 443])],
        [['ingress', 100]],
      ],
      [
        'inbound 443 from world, outbound only 32768-65535 (the Linux range, not 1024-65535)',
        [
          inb(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
          out(100, 'allow', '6', '0.0.0.0/0', [32768, 65535]),
        ],
        [['ingress', 100]],
      ],
      [
        'inbound UDP 500 from a partner, outbound ephemeral only for TCP',
        [
          inb(100, 'allow', '17', '198.51.100.0/24', [500, 500]),
          out(100, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
        ],
        [['ingress', 100]],
      ],
      [
        'inbound NFS from the VPC, outbound only NFS to the VPC',
        [
          inb(100, 'allow', '6', '10.0.0.0/16', [2049, 2049]),
          out(100, 'allow', '6', '10.0.0.0/16', [2049, 2049]),
        ],
        [['ingress', 100]],
      ],
      [
        'outbound 443 to world (via NAT) with no inbound ephemeral range',
        [out(100, 'allow', '6', '0.0.0.0/0', [443, 443])],
        [['egress', 100]],
      ],
      [
        'outbound 443 to world, inbound ephemeral allowed but a lower deny blocks part of it',
        [
          out(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
          inb(90, 'deny', '6', '0.0.0.0/0', [1024, 2048]),
          inb(100, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
        ],
        [['egress', 100]],
      ],
      [
        'outbound allow-all to world with inbound only 443 (judged on TCP)',
        [out(100, 'allow', '-1', '0.0.0.0/0'), inb(100, 'allow', '6', '0.0.0.0/0', [443, 443])],
        [['egress', 100]],
      ],
      [
        'inbound allow-all from the VPC with outbound only 443 to world (the replies to the VPC are denied)',
        [inb(100, 'allow', '-1', '10.0.0.0/16'), out(100, 'allow', '6', '0.0.0.0/0', [443, 443])],
        [
          ['egress', 100],
          ['ingress', 100],
        ],
      ],
      [
        'outbound 443 to ::/0 with inbound ephemeral from 0.0.0.0/0 only',
        [out(100, 'allow', '6', '::/0', [443, 443]), inb(100, 'allow', '6', '0.0.0.0/0', [1024, 65535])],
        [['egress', 100]],
      ],
    ])('fails for %s', (_, entries, expected) => {
      expect(keys(entries)).toEqual(expected);
    });

    it('names the entry, the denied return range and what denies it', () => {
      // Prepare
      const acl = nacl(
        'acl-web',
        [
          inb(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
          out(100, 'allow', '6', '0.0.0.0/0', [32768, 65535]),
          star,
          starOut,
        ],
        { associatedSubnetIds: ['subnet-a'] },
      );
      // Act
      const [finding] = run(rule, scope({ networkAcls: [acl] }));
      // Assess
      expect(finding?.severity).toBe('MEDIUM');
      expect(finding?.message).toBe(
        'Network ACL acl-web (in vpc-1) inbound rule 100 (allow tcp 443 from 0.0.0.0/0) has no return path: outbound tcp 1024-32767 to 0.0.0.0/0 is denied by the implicit deny (the ephemeral ports of NAT gateways, load balancers and Lambda), so replies to the connections it admits never leave subnet-a.',
      );
      expect(finding?.evidence.returnGaps).toEqual([
        {
          protocol: 'tcp',
          peers: ['0.0.0.0/0'],
          returnDirection: 'egress',
          deniedReturn: [{ protocol: 'tcp', ports: '1024-32767', cidrs: ['0.0.0.0/0'] }],
          deniedBy: [{ ruleNumber: '*', entry: 'the implicit deny' }],
          blockedFor: ['nat-elb-lambda'],
        },
      ]);
      expect(finding?.remediation).toBe('Add an outbound allow of tcp 1024-65535 to 0.0.0.0/0 to acl-web.');
    });

    it('fails when more than maxDeniedPorts (16) ports of a client range are denied: 17 denies', () => {
      // Prepare: 17 single-port denies inside the ephemeral range, then the wide allow.
      const denies = Array.from({ length: 17 }, (_, i) =>
        inb(10 + i, 'deny', '6', '0.0.0.0/0', [40000 + i * 10, 40000 + i * 10]),
      );
      const entries = [
        ...denies,
        out(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
        inb(100, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
      ];
      // Act + Assess
      expect(keys(entries)).toEqual([['egress', 100]]);
      expect(keys(entries, { maxDeniedPorts: 17 })).toEqual([]);
    });

    it('names the blocked clients when only some judged clients are blocked (Windows, not Linux)', () => {
      // Prepare: the return allow covers Linux's 32768-60999 but not Windows' 61000-65535.
      const acl = nacl('acl-1', [
        out(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
        inb(100, 'allow', '6', '0.0.0.0/0', [32768, 60999]),
        star,
        starOut,
      ]);
      // Act
      const [finding, ...rest] = failed(
        run(rule, scope({ networkAcls: [acl] }), { clients: ['linux', 'windows'] }),
      );
      // Assess
      expect(rest).toEqual([]);
      expect(finding?.message).toContain(
        'inbound tcp 61000-65535 from 0.0.0.0/0 is denied by the implicit deny (the ephemeral ports of Windows)',
      );
      expect(finding?.remediation).toBe('Add an inbound allow of tcp 49152-65535 from 0.0.0.0/0 to acl-1.');
    });

    it('names a deny entry that blocks the return, and asks for an allow numbered below it', () => {
      const acl = nacl('acl-nat', [
        out(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
        inb(90, 'deny', '6', '0.0.0.0/0', [1024, 65535]),
        inb(100, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
      ]);
      const [finding] = run(rule, scope({ networkAcls: [acl] }));
      expect(finding?.message).toContain(
        'outbound rule 100 (allow tcp 443 to 0.0.0.0/0) has no return path: inbound tcp 1024-65535 from 0.0.0.0/0 is denied by inbound rule 90 (deny tcp 1024-65535 from 0.0.0.0/0)',
      );
      expect(finding?.message).toContain('never come back into subnet-1');
      expect(finding?.remediation).toContain('numbered below rule 90');
    });

    it('judges the effective part of an entry only: peers already decided by lower entries are not its own', () => {
      // 443 from 10/8 is decided by rule 90 (allow all from 10/8, answered by outbound rule 90);
      // rule 100's own peers are the rest of the internet, whose return is missing.
      const findings = run(
        rule,
        scope({
          networkAcls: [
            nacl('acl-1', [
              inb(90, 'allow', '-1', '10.0.0.0/8'),
              inb(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
              out(90, 'allow', '-1', '10.0.0.0/8'),
            ]),
          ],
        }),
      );
      expect(findings).toHaveLength(1);
      const gap = (findings[0]?.evidence.returnGaps as { peers: string[] }[] | undefined)?.[0];
      expect(gap?.peers).not.toContain('10.0.0.0/8');
      expect(gap?.peers).toContain('0.0.0.0/5');
    });
  });

  describe('compliant', () => {
    it.each<[string, NetworkAclEntry[]]>([
      [
        'the default ACL (all allowed both ways)',
        [inb(100, 'allow', '-1', '0.0.0.0/0'), out(100, 'allow', '-1', '0.0.0.0/0')],
      ],
      [
        'inbound 443 from world with outbound 1024-65535 to world',
        [inb(100, 'allow', '6', '0.0.0.0/0', [443, 443]), out(100, 'allow', '6', '0.0.0.0/0', [1024, 65535])],
      ],
      [
        'the AWS public-subnet example: 80/443 in, ephemeral both ways',
        [
          inb(100, 'allow', '6', '0.0.0.0/0', [80, 80]),
          inb(110, 'allow', '6', '0.0.0.0/0', [443, 443]),
          inb(140, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
          out(100, 'allow', '6', '0.0.0.0/0', [80, 80]),
          out(110, 'allow', '6', '0.0.0.0/0', [443, 443]),
          out(140, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
        ],
      ],
      [
        'outbound 443 to world (via NAT) with inbound 1024-65535 from world (a return-range entry needs no return of its own)',
        [out(100, 'allow', '6', '0.0.0.0/0', [443, 443]), inb(100, 'allow', '6', '0.0.0.0/0', [1024, 65535])],
      ],
      [
        'outbound to a non-world CIDR (inside the VPC) is not judged',
        [out(100, 'allow', '6', '10.0.0.0/16', [5432, 5432])],
      ],
      [
        'ICMP is not judged',
        [inb(100, 'allow', '1', '0.0.0.0/0'), out(100, 'allow', '6', '0.0.0.0/0', [1024, 65535])],
      ],
      [
        'an all-protocols allow is judged on TCP only (no UDP return demanded)',
        [inb(100, 'allow', '-1', '10.0.0.0/16'), out(100, 'allow', '6', '10.0.0.0/16', [0, 65535])],
      ],
      [
        'an inbound allow shadowed by a deny admits nothing',
        [inb(90, 'deny', '-1', '0.0.0.0/0'), inb(100, 'allow', '6', '0.0.0.0/0', [443, 443])],
      ],
      [
        "AWS's advice: deny inbound tcp/udp 22 and 3389 from the world, then allow all (both ways)",
        [
          inb(90, 'deny', '6', '0.0.0.0/0', [22, 22]),
          inb(91, 'deny', '17', '0.0.0.0/0', [22, 22]),
          inb(92, 'deny', '6', '0.0.0.0/0', [3389, 3389]),
          inb(93, 'deny', '17', '0.0.0.0/0', [3389, 3389]),
          inb(100, 'allow', '-1', '0.0.0.0/0'),
          out(100, 'allow', '-1', '0.0.0.0/0'),
        ],
      ],
      [
        '16 individual malicious ports denied inside the ephemeral range before the wide allow',
        [
          ...Array.from({ length: 16 }, (_, i) =>
            inb(10 + i, 'deny', '6', '0.0.0.0/0', [40000 + i * 10, 40000 + i * 10]),
          ),
          out(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
          inb(100, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
        ],
      ],
    ])('passes for %s', (_, entries) => {
      expect(keys(entries)).toEqual([]);
    });

    it('passes an ACL associated with no subnet (it carries no traffic)', () => {
      const acl = nacl('acl-1', [inb(100, 'allow', '6', '0.0.0.0/0', [443, 443])], {
        associatedSubnetIds: [],
      });
      expect(failed(run(rule, scope({ networkAcls: [acl] })))).toEqual([]);
    });

    it('demands only the ranges of the configured clients (option clients: Linux)', () => {
      const entries = [
        inb(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
        out(100, 'allow', '6', '0.0.0.0/0', [32768, 65535]),
      ];
      expect(keys(entries, { clients: ['linux'] })).toEqual([]);
      expect(keys(entries, { clients: ['linux', 'nat-elb-lambda'] })).toEqual([['ingress', 100]]);
    });

    it('demands only the configured ephemeral range (option ephemeralPorts)', () => {
      const entries = [
        inb(100, 'allow', '6', '0.0.0.0/0', [443, 443]),
        out(100, 'allow', '6', '0.0.0.0/0', [32768, 65535]),
      ];
      expect(keys(entries, { ephemeralPorts: { from: 32768, to: 65535 } })).toEqual([]);
    });
  });

  it('rejects an inverted ephemeral range', () => {
    expect(() => rule.meta.options?.parse({ ephemeralPorts: { from: 60000, to: 1024 } })).toThrow();
  });

  it('is NOT_EVALUATED for the scope when network ACLs could not be read', () => {
    const findings = run(rule, scope({ gaps: [kindGap('networkAcls', 'DescribeNetworkAcls')] }));
    expect(findings).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
