import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/coverage/audit-coverage-gap.ts';
import type { CoverageGap } from '../../../../../src/inventory/schema.ts';
import { failed, run, scope } from '../../../../fixtures/inventory.ts';

const gap = (extra: Partial<CoverageGap>): CoverageGap => ({
  service: 'network-firewall',
  operation: 'DescribeFirewallPolicy',
  kind: 'firewallPolicies',
  errorCode: 'UnparseableResponse',
  message: 'the service answered with something that is not a valid API response (HTTP 500)',
  ...extra,
});

describe('audit-coverage-gap', () => {
  describe('non-compliant', () => {
    it('reports each gap once, with the call, the error and the region', () => {
      // Prepare
      const s = scope(
        {
          gaps: [
            gap({ resourceId: 'arn:aws:network-firewall:us-west-2:111122223333:firewall-policy/p1' }),
            gap({
              service: 'sagemaker',
              operation: 'ListUserProfiles',
              kind: 'sagemakerUserProfiles',
              resourceId: 'd-1',
            }),
            gap({
              service: 'sagemaker',
              operation: 'ListUserProfiles',
              kind: 'sagemakerUserProfiles',
              resourceId: 'd-2',
            }),
          ],
        },
        'us-west-2',
      );
      // Act
      const findings = failed(run(rule, s));
      // Assess
      expect(findings).toHaveLength(3);
      expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(3);
      expect(findings.every((f) => f.region === 'us-west-2')).toBe(true);
      expect(findings.find((f) => f.resource.id === 'p1')).toMatchObject({
        resource: { type: 'AWS::NetworkFirewall::FirewallPolicy' },
      });
      expect(findings.find((f) => f.resource.id === 'p1')?.message).toMatch(
        /DescribeFirewallPolicy failed \(UnparseableResponse/,
      );
    });

    it('reports an informational note with severity INFO, saying nothing is unaudited', () => {
      // Prepare
      const note = gap({
        service: 'ec2',
        operation: 'DescribeSecurityGroupRules',
        kind: 'securityGroups',
        errorCode: 'FallbackToIpPermissions',
        message:
          "DescribeSecurityGroupRules failed (UnauthorizedOperation: no); the rules were read from the groups' IpPermissions instead: complete, but without their sgr- rule ids",
        informational: true,
      });
      // Act
      const [f, ...rest] = run(rule, scope({ gaps: [note] }));
      // Assess
      expect(rest).toEqual([]);
      expect(f?.severity).toBe('INFO');
      expect(f?.status).toBe('FAIL');
      expect(f?.message).toMatch(
        /^Informational: ec2:DescribeSecurityGroupRules .*sgr- rule ids\. securityGroups are audited in full\.$/,
      );
    });

    it('reports a Search fallback as INFO and tells what granting Search buys', () => {
      // Prepare
      const note = gap({
        service: 'sagemaker',
        operation: 'Search',
        kind: 'trainingJobs',
        errorCode: 'FallbackToListAndDescribe',
        message:
          'Search failed (AccessDeniedException: no); training jobs were read with ListTrainingJobs, DescribeTrainingJob and ListTags instead: complete, at two calls per job',
        informational: true,
      });
      // Act
      const [f, ...rest] = run(rule, scope({ gaps: [note] }));
      // Assess
      expect(rest).toEqual([]);
      expect(f?.severity).toBe('INFO');
      expect(f?.message).toMatch(/^Informational: sagemaker:Search .*trainingJobs are audited in full\.$/);
      expect(f?.remediation).toMatch(/Grant sagemaker:Search .*one call per hundred/);
      expect(f?.remediation).not.toMatch(/rule ids/);
    });

    it('says a call was not reached when the time budget ran out', () => {
      const [f] = run(rule, scope({ gaps: [gap({ errorCode: 'TimeBudgetExceeded', message: 'x' })] }));
      expect(f?.message).toContain('was not reached before the time budget ran out');
    });
  });

  describe('compliant', () => {
    it('is silent when everything was read', () => {
      expect(run(rule, scope())).toEqual([]);
    });
  });
});
