import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-default-has-rules.ts';
import { ids, run, scope, sg } from '../../../../fixtures/inventory.ts';
import { egress, eni, fromGroup, gap, tcpFrom, trainingJob } from '../../../../fixtures/security-groups.ts';

/** The rules AWS gives a new VPC's default group. */
const awsDefaults = (groupId: string) => [
  fromGroup(groupId, { ruleId: 'sgr-self' }),
  egress({ ruleId: 'sgr-out', ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }),
];

const defaultGroup = (groupId: string, rules = awsDefaults(groupId), vpcId = 'vpc-1') =>
  sg(groupId, rules, { groupName: 'default', vpcId });

describe('sg-default-has-rules', () => {
  describe('non-compliant', () => {
    it.each([
      ['the rules AWS creates (self-reference in, all out)', awsDefaults('sg-def')],
      ['only the outbound rule', [egress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' })]],
      ['only an inbound self-reference', [fromGroup('sg-def')]],
      ['only a narrow inbound rule', [tcpFrom('10.0.0.0/16', 443)]],
    ])('fails for a default group with %s', (_, rules) => {
      // Act
      const findings = run(rule, scope({ securityGroups: [defaultGroup('sg-def', rules)] }));
      // Assess
      expect(ids(findings)).toEqual(['sg-def']);
      expect(findings[0]?.severity).toBe('HIGH');
      expect(findings[0]?.references).toEqual(['CIS 5.5', 'FSBP EC2.2']);
    });

    it('says when the group is attached to nothing', () => {
      // Act
      const [finding] = run(rule, scope({ securityGroups: [defaultGroup('sg-def')] }));
      // Assess
      expect(finding?.message).toBe(
        'Default security group sg-def (default) of vpc-1 has 1 inbound rule and 1 outbound rule (all traffic from security group sg-def [sgr-self]; all traffic to 0.0.0.0/0 [sgr-out]); it is attached to no network interface and no ML resource.',
      );
      expect(finding?.evidence).toMatchObject({
        attached: false,
        inboundRules: 1,
        outboundRules: 1,
        networkInterfaceCount: 0,
        mlResources: [],
      });
    });

    it('names the network interfaces and the ML resources that use it', () => {
      // Prepare
      const s = scope({
        securityGroups: [defaultGroup('sg-def')],
        networkInterfaces: [
          eni('eni-1', ['sg-def'], { attachedInstanceId: 'i-1' }),
          eni('eni-2', ['sg-other']),
        ],
        trainingJobs: [trainingJob('train-1', ['sg-def'])],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toContain('it is on 1 network interface and used by ML resource train-1');
      expect(finding?.evidence).toMatchObject({
        attached: true,
        networkInterfaces: [{ networkInterfaceId: 'eni-1', attachedInstanceId: 'i-1' }],
        mlResources: [{ type: 'AWS::SageMaker::TrainingJob', id: 'train-1' }],
      });
    });

    it('reports each VPC default group separately and notes incomplete ML usage', () => {
      const s = scope({
        securityGroups: [defaultGroup('sg-def-1'), defaultGroup('sg-def-2', undefined, 'vpc-2')],
        gaps: [gap('trainingJobs')],
      });
      const findings = run(rule, s);
      expect(ids(findings)).toEqual(['sg-def-1', 'sg-def-2']);
      expect(findings[0]?.evidence).toMatchObject({ mlUsageIncomplete: ['trainingJobs'] });
    });
  });

  describe('compliant', () => {
    it.each([
      ['a default group with no rules', defaultGroup('sg-def', [])],
      ['a non-default group with the same rules', sg('sg-app', awsDefaults('sg-app'), { groupName: 'app' })],
      [
        'a group named "default" outside a VPC (EC2-Classic)',
        sg('sg-classic', awsDefaults('sg-classic'), { groupName: 'default', vpcId: undefined }),
      ],
      ['a group named "default-app"', sg('sg-x', awsDefaults('sg-x'), { groupName: 'default-app' })],
    ])('passes for %s', (_, group) => {
      expect(ids(run(rule, scope({ securityGroups: [group] })))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED when network interfaces could not be read', () => {
      const findings = run(
        rule,
        scope({ securityGroups: [defaultGroup('sg-def')], gaps: [gap('networkInterfaces')] }),
      );
      expect(findings.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
      expect(findings[0]?.evidence).toMatchObject({ missingKinds: ['networkInterfaces'] });
    });
  });
});
