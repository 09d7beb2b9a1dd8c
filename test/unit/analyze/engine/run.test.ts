import { describe, expect, it } from 'vitest';
import { defineRule, type Rule } from '../../../../src/analyze/engine/rule.ts';
import { runRules } from '../../../../src/analyze/engine/run.ts';
import type { CoverageGap } from '../../../../src/inventory/schema.ts';
import { inventory, scope } from '../../../fixtures/inventory.ts';

const meta = {
  id: 'test-rule',
  title: 'A rule for the runner test',
  severity: 'HIGH' as const,
  category: 'network-firewall' as const,
  rationale: 'r',
  remediation: 'fix it',
  references: ['X 1'],
  docs: 'd',
  needs: ['firewallPolicies', 'ruleGroups'] as const,
};
const quiet = defineRule({ meta, evaluate: () => [] }) as Rule<unknown>;
const throwing = defineRule({
  meta,
  evaluate: () => {
    throw new Error('boom');
  },
}) as Rule<unknown>;
const policyArn = 'arn:aws:network-firewall:us-east-1:111122223333:firewall-policy/p1';
const gap = (extra: Partial<CoverageGap>): CoverageGap => ({
  service: 'network-firewall',
  operation: 'DescribeFirewallPolicy',
  kind: 'firewallPolicies',
  errorCode: 'AccessDeniedException',
  message: 'denied',
  ...extra,
});

describe('runRules', () => {
  it('says NOT_EVALUATED for the scope, and runs nothing, when a needed kind could not be read', () => {
    // Act
    const findings = runRules(inventory(scope({ gaps: [gap({})] })), [{ rule: quiet, options: {} }]);
    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'test-rule',
        status: 'NOT_EVALUATED',
        resource: expect.objectContaining({ type: 'AWS::Region' }),
      }),
    ]);
  });

  it('runs the rule, with no NOT_EVALUATED, when the only gap of a needed kind is informational', () => {
    // Prepare: the data was read another way (security-group rules from IpPermissions).
    const note = gap({
      errorCode: 'FallbackToIpPermissions',
      message: 'read another way',
      informational: true,
    });
    const failing = defineRule({
      meta,
      evaluate: ({ scope: s }) => [
        { resource: { type: 'AWS::Region', id: s.region, arn: 'arn:x' }, message: 'a failure', evidence: {} },
      ],
    }) as Rule<unknown>;
    // Act
    const findings = runRules(inventory(scope({ gaps: [note] })), [{ rule: failing, options: {} }]);
    // Assess
    expect(findings.map((f) => [f.status, f.message])).toEqual([['FAIL', 'a failure']]);
  });

  it('gives one NOT_EVALUATED per resource, however many of its calls failed', () => {
    // Prepare: the policy could not be described, so its rule groups were not read either.
    const gaps = [
      gap({ resourceId: policyArn }),
      gap({
        operation: 'DescribeRuleGroup',
        kind: 'ruleGroups',
        resourceId: policyArn,
        errorCode: 'DependencyNotCollected',
      }),
    ];
    // Act
    const findings = runRules(inventory(scope({ gaps })), [{ rule: quiet, options: {} }]);
    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'NOT_EVALUATED',
      resource: { type: 'AWS::NetworkFirewall::FirewallPolicy', id: 'p1', arn: policyArn },
      evidence: { gaps },
    });
  });

  it('turns a rule that throws into a finding about the rule, never a silent pass', () => {
    const findings = runRules(inventory(scope()), [{ rule: throwing, options: {} }]);
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: 'test-rule',
        status: 'NOT_EVALUATED',
        message: expect.stringContaining('boom'),
      }),
    ]);
  });

  describe('an ML resource that could not be described', () => {
    const jobGap: CoverageGap = {
      service: 'sagemaker',
      operation: 'DescribeTrainingJob',
      kind: 'trainingJobs',
      resourceId: 'train-1',
      errorCode: 'ThrottlingException',
      message: 'rate exceeded',
    };
    const networkRule = defineRule({
      meta: { ...meta, id: 'net-rule', category: 'routes', needs: ['vpcs', 'trainingJobs'] as const },
      evaluate: () => [],
    }) as Rule<unknown>;
    const mlRule = defineRule({
      meta: { ...meta, id: 'ml-rule', category: 'sagemaker', needs: ['trainingJobs'] as const },
      evaluate: () => [],
    }) as Rule<unknown>;

    it('leaves a rule about the network around ML resources NOT_EVALUATED for the scope, beside the resource', () => {
      // Act
      const findings = runRules(inventory(scope({ gaps: [jobGap] })), [{ rule: networkRule, options: {} }]);
      // Assess
      expect(findings.map((f) => [f.status, f.resource.type, f.resource.id])).toEqual([
        ['NOT_EVALUATED', 'AWS::Region', '111122223333/us-east-1'],
        ['NOT_EVALUATED', 'AWS::SageMaker::TrainingJob', 'train-1'],
      ]);
      expect(findings[0]?.message).toMatch(/where train-1 sits in the network is unknown/);
    });

    it('leaves a rule about ML resources themselves NOT_EVALUATED for that resource only', () => {
      // Act
      const findings = runRules(inventory(scope({ gaps: [jobGap] })), [{ rule: mlRule, options: {} }]);
      // Assess
      expect(findings.map((f) => [f.status, f.resource.type])).toEqual([
        ['NOT_EVALUATED', 'AWS::SageMaker::TrainingJob'],
      ]);
    });
  });
});
