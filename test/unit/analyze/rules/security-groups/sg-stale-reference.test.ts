import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-stale-reference.ts';
import type { SecurityGroupRule } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope, sg } from '../../../../fixtures/inventory.ts';
import { fromGroup, gap, tcpFrom } from '../../../../fixtures/security-groups.ts';

const postgresFrom = (
  groupId: string,
  ref: Partial<NonNullable<SecurityGroupRule['referencedGroup']>> = {},
) => fromGroup(groupId, { ruleId: 'sgr-1', ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 }, ref);

describe('sg-stale-reference', () => {
  describe('non-compliant', () => {
    it.each<[string, SecurityGroupRule, string]>([
      ['a same-account group that is gone', postgresFrom('sg-gone'), 'group-not-found'],
      [
        'a group reference without a user id that is gone',
        fromGroup('sg-gone', {}, { userId: undefined }),
        'group-not-found',
      ],
      [
        'a same-account group in a peered VPC that is gone',
        postgresFrom('sg-gone', { vpcId: 'vpc-peer', vpcPeeringConnectionId: 'pcx-1' }),
        'group-not-found',
      ],
      [
        'another account’s group over a deleted peering',
        postgresFrom('sg-theirs', {
          userId: '444455556666',
          vpcId: 'vpc-9',
          vpcPeeringConnectionId: 'pcx-9',
          peeringStatus: 'deleted',
        }),
        'peering-deleted',
      ],
      [
        'an outbound rule to a group that is gone',
        fromGroup('sg-gone', { egress: true, ipProtocol: 'tcp', fromPort: 443, toPort: 443 }),
        'group-not-found',
      ],
    ])('fails for %s', (_, r, reason) => {
      // Act
      const findings = run(rule, scope({ securityGroups: [sg('sg-app', [r])] }));
      // Assess
      expect(ids(findings)).toEqual(['sg-app']);
      expect(findings[0]?.severity).toBe('MEDIUM');
      expect(findings[0]?.evidence).toMatchObject({ rules: [{ reason }] });
    });

    it('names the rule, the missing group and its VPC in one sentence', () => {
      // Prepare
      const s = scope({
        securityGroups: [
          sg(
            'sg-app',
            [
              postgresFrom('sg-gone', { vpcId: 'vpc-peer', vpcPeeringConnectionId: 'pcx-1' }),
              tcpFrom('10.0.0.0/8', 443),
            ],
            {
              groupName: 'app',
            },
          ),
        ],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toBe(
        'Security group sg-app (app) has a stale rule referencing a group that no longer exists or can no longer be reached: tcp/5432 from security group sg-gone [sgr-1] (sg-gone does not exist in vpc-peer).',
      );
    });

    it('names the deleted peering', () => {
      const s = scope({
        securityGroups: [
          sg('sg-app', [
            postgresFrom('sg-b', {
              vpcId: 'vpc-9',
              vpcPeeringConnectionId: 'pcx-9',
              peeringStatus: 'deleted',
            }),
          ]),
          sg('sg-b', []),
        ],
      });
      expect(run(rule, s)[0]?.message).toContain('(peering pcx-9 to vpc-9 is deleted)');
    });
  });

  describe('compliant', () => {
    it.each<[string, SecurityGroupRule]>([
      ['a group that exists', postgresFrom('sg-db')],
      ['the group itself', fromGroup('sg-app')],
      [
        'another account’s group over a live peering (not verifiable here)',
        postgresFrom('sg-theirs', {
          userId: '444455556666',
          vpcId: 'vpc-9',
          vpcPeeringConnectionId: 'pcx-9',
          peeringStatus: 'active',
        }),
      ],
      ['another account’s group in a shared VPC', postgresFrom('sg-shared', { userId: '444455556666' })],
      ['the classic ELB service group', postgresFrom('sg-843f59ed', { userId: 'amazon-elb' })],
      ['a CIDR rule', tcpFrom('10.0.0.0/8', 5432)],
    ])('passes for a reference to %s', (_, r) => {
      const s = scope({ securityGroups: [sg('sg-app', [r]), sg('sg-db', [])] });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED, never "stale", when security groups could not be read', () => {
      const findings = run(
        rule,
        scope({ securityGroups: [sg('sg-app', [postgresFrom('sg-gone')])], gaps: [gap('securityGroups')] }),
      );
      expect(findings.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
    });
  });
});
