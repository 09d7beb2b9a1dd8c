import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/network-acls/nacl-unused.ts';
import type { NetworkAcl } from '../../../../../src/inventory/schema.ts';
import { entry, ids, nacl, run, scope } from '../../../../fixtures/inventory.ts';
import { kindGap } from '../../../../fixtures/network.ts';

const entries = [
  entry(100, 'allow', '6', '10.0.0.0/16', [443, 443]),
  entry(100, 'allow', '-1', '0.0.0.0/0', undefined, true),
];

describe('nacl-unused', () => {
  describe('non-compliant', () => {
    it.each<[string, NetworkAcl]>([
      ['a custom ACL with no subnet', nacl('acl-spare', entries, { associatedSubnetIds: [] })],
      ['a custom ACL with no subnet and no entries', nacl('acl-spare', [], { associatedSubnetIds: [] })],
    ])('fails for %s', (_, acl) => {
      // Act
      const findings = run(rule, scope({ networkAcls: [acl] }));
      // Assess
      expect(ids(findings)).toEqual(['acl-spare']);
      expect(findings[0]).toMatchObject({ severity: 'LOW', references: ['FSBP EC2.16'] });
    });

    it('names the ACL, its VPC and its entry counts', () => {
      const [finding] = run(
        rule,
        scope({ networkAcls: [nacl('acl-spare', entries, { associatedSubnetIds: [], vpcId: 'vpc-9' })] }),
      );
      expect(finding?.message).toBe(
        'Network ACL acl-spare in vpc-9 is associated with no subnet (1 inbound and 1 outbound entries that filter nothing).',
      );
      expect(finding?.remediation).toContain('delete-network-acl --network-acl-id acl-spare');
    });
  });

  describe('compliant', () => {
    it.each<[string, NetworkAcl]>([
      [
        'a custom ACL associated with a subnet',
        nacl('acl-used', entries, { associatedSubnetIds: ['subnet-1'] }),
      ],
      [
        'a default ACL with no subnet (every subnet uses a custom ACL)',
        nacl('acl-default', entries, { isDefault: true, associatedSubnetIds: [] }),
      ],
    ])('passes for %s', (_, acl) => {
      expect(ids(run(rule, scope({ networkAcls: [acl] })))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when network ACLs could not be read', () => {
    const findings = run(rule, scope({ gaps: [kindGap('networkAcls', 'DescribeNetworkAcls')] }));
    expect(findings).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
