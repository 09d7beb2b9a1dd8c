import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-acls/nacl-world-ingress-admin-port.ts';
import worldAll from '../../../../../src/analyze/rules/network-acls/nacl-world-ingress-all.ts';
import { entry, ids, nacl, run, scope } from '../../../../fixtures/inventory.ts';

const star = entry(32767, 'deny', '-1', '0.0.0.0/0');

describe('nacl-world-ingress-admin-port', () => {
  describe('non-compliant', () => {
    it.each([
      ['allow TCP 22 from 0.0.0.0/0', [entry(100, 'allow', '6', '0.0.0.0/0', [22, 22])]],
      ['allow UDP 3389 from 0.0.0.0/0', [entry(100, 'allow', '17', '0.0.0.0/0', [3389, 3389])]],
      ['allow TCP 22 from ::/0', [entry(100, 'allow', '6', '::/0', [22, 22])]],
      [
        'the ephemeral return range from world also admits 3389',
        [entry(100, 'allow', '6', '0.0.0.0/0', [1024, 65535])],
      ],
      ['a TCP entry without a port range (all ports)', [entry(100, 'allow', '6', '0.0.0.0/0')]],
      [
        'a deny of one /24 before the allow does not close it',
        [entry(50, 'deny', '6', '203.0.113.0/24', [22, 22]), entry(100, 'allow', '6', '0.0.0.0/0', [22, 22])],
      ],
      [
        'a deny that comes after the allow never matches',
        [entry(100, 'allow', '6', '0.0.0.0/0', [22, 22]), entry(200, 'deny', '6', '0.0.0.0/0', [22, 22])],
      ],
      [
        'two halves of the internet',
        [entry(100, 'allow', '6', '0.0.0.0/1', [22, 22]), entry(110, 'allow', '6', '128.0.0.0/1', [22, 22])],
      ],
    ])('fails for %s', (_, entries) => {
      // Act
      const findings = run(rule, scope({ networkAcls: [nacl('acl-bad', [...entries, star])] }));
      // Assess
      expect(ids(findings)).toEqual(['acl-bad']);
      expect(findings[0]?.severity).toBe('MEDIUM');
    });

    it('names the deciding rule number, protocol, port and the subnets it guards', () => {
      // Prepare
      const acl = nacl('acl-ssh', [entry(120, 'allow', '6', '0.0.0.0/0', [22, 22])], {
        associatedSubnetIds: ['subnet-a'],
      });
      // Act
      const [finding] = run(rule, scope({ networkAcls: [acl] }));
      // Assess
      expect(finding?.message).toContain('tcp/22 (SSH) by inbound rule 120 (allow tcp 22 from 0.0.0.0/0)');
      expect(finding?.message).toContain('subnet-a');
    });

    it('applies the implicit deny when the API returns no * entry (moto), and still finds the opening', () => {
      const acl = nacl('acl-nostar', [entry(100, 'allow', '6', '0.0.0.0/0', [3389, 3389])]);
      expect(ids(run(rule, scope({ networkAcls: [acl] })))).toEqual(['acl-nostar']);
    });

    it('reports an unassociated ACL too, and says so', () => {
      const acl = nacl('acl-loose', [entry(100, 'allow', '6', '0.0.0.0/0', [22, 22])], {
        associatedSubnetIds: [],
      });
      const [finding] = run(rule, scope({ networkAcls: [acl] }));
      expect(finding?.message).toContain('associated with no subnet');
    });
  });

  describe('compliant', () => {
    it.each([
      [
        'a lower-numbered deny of 22 and 3389 before an allow-most',
        [
          entry(90, 'deny', '6', '0.0.0.0/0', [22, 22]),
          entry(91, 'deny', '6', '0.0.0.0/0', [3389, 3389]),
          entry(92, 'deny', '17', '0.0.0.0/0', [22, 22]),
          entry(93, 'deny', '17', '0.0.0.0/0', [3389, 3389]),
          entry(100, 'allow', '6', '0.0.0.0/0', [0, 65535]),
          entry(110, 'allow', '17', '0.0.0.0/0', [0, 65535]),
        ],
      ],
      ['allow 22 from an office /24 only', [entry(100, 'allow', '6', '198.51.100.0/24', [22, 22])]],
      ['allow everything from the VPC only', [entry(100, 'allow', '-1', '10.0.0.0/16')]],
      ['allow 443 from world only', [entry(100, 'allow', '6', '0.0.0.0/0', [443, 443])]],
      [
        'allow 22 from world outbound only',
        [
          entry(100, 'allow', '6', '0.0.0.0/0', [22, 22]) && {
            ...entry(100, 'allow', '6', '0.0.0.0/0', [22, 22]),
            egress: true,
          },
        ],
      ],
      ['allow ICMP from world', [entry(100, 'allow', '1', '0.0.0.0/0')]],
    ])('passes for %s', (_, entries) => {
      expect(ids(run(rule, scope({ networkAcls: [nacl('acl-ok', [...entries, star])] })))).toEqual([]);
    });

    it('defers to nacl-world-ingress-all whenever that rule fires (allow-all after a private deny), never both', () => {
      // Prepare
      const acl = nacl('acl-mostly-all', [
        entry(50, 'deny', '-1', '10.0.0.0/8'),
        entry(100, 'allow', '-1', '0.0.0.0/0'),
        star,
      ]);
      // Act + Assess
      expect(ids(run(rule, scope({ networkAcls: [acl] })))).toEqual([]);
      expect(ids(run(worldAll, scope({ networkAcls: [acl] })))).toEqual(['acl-mostly-all']);
    });

    it('leaves an allow-all ACL (the default ACL) to nacl-world-ingress-all: not the same finding', () => {
      const acl = nacl('acl-default', [entry(100, 'allow', '-1', '0.0.0.0/0'), star], { isDefault: true });
      expect(ids(run(rule, scope({ networkAcls: [acl] })))).toEqual([]);
    });
  });
});
