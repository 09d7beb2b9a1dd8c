import { describe, expect, it } from 'vitest';
import type { CoverageGap } from '../../src/inventory/schema.ts';
import { judgeRun, scopeFailed } from '../../src/verdict.ts';
import { inventory, scope } from '../fixtures/inventory.ts';
import { kindGap, vpc } from '../fixtures/network.ts';

const refused = (kind: CoverageGap['kind'], operation: string): CoverageGap => ({
  service: 'ec2',
  operation,
  kind,
  errorCode: 'ECONNREFUSED',
  message: 'connect ECONNREFUSED 127.0.0.1:9',
});

describe('judgeRun: what a run audited', () => {
  it('says a run with resources and no failed scope was audited, gaps or not', () => {
    // Prepare
    const inv = inventory(scope({ vpcs: [vpc('vpc-1')], gaps: [kindGap('networkAcls')] }));
    // Act / Assess
    expect(judgeRun(inv)).toEqual({ kind: 'audited' });
  });

  it('says nothing was audited when no credentials could be loaded', () => {
    // Prepare
    const creds: CoverageGap = {
      service: 'sts',
      operation: 'GetCallerIdentity',
      kind: 'account',
      errorCode: 'CredentialsProviderError',
      message: 'Could not load credentials from any providers',
    };
    // Act
    const verdict = judgeRun(inventory(scope({ vpcs: [vpc('vpc-1')], gaps: [creds] })));
    // Assess
    expect(verdict.kind).toBe('nothing');
    expect(verdict.kind === 'nothing' && verdict.reason).toMatch(/^no AWS credentials could be loaded/);
  });

  it('says nothing was audited when the inventory holds no scope', () => {
    // Act
    const verdict = judgeRun(inventory());
    // Assess
    expect(verdict).toEqual({
      kind: 'nothing',
      reason: 'audited nothing: no region was read (the inventory holds no scope)',
    });
  });

  it('says nothing was audited when every call failed against an unreachable endpoint, naming the first', () => {
    // Prepare
    const failed = scope({
      account: 'unknown',
      gaps: [refused('vpcs', 'DescribeVpcs'), refused('subnets', 'DescribeSubnets')],
    });
    // Act
    const verdict = judgeRun(inventory(failed));
    // Assess
    expect(verdict).toEqual({
      kind: 'nothing',
      reason:
        'audited nothing: every call failed in us-east-1 (account unknown) (the AWS endpoint could not be reached; first failure: ec2:DescribeVpcs ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)',
    });
  });

  it('says nothing was audited when the run read zero resources, even with no failed call (an empty snapshot)', () => {
    // Act
    const verdict = judgeRun(inventory(scope(), scope({}, 'eu-west-1')));
    // Assess
    expect(verdict).toEqual({
      kind: 'nothing',
      reason:
        'audited nothing: 0 resources read in 2 region(s) (111122223333 us-east-1, 111122223333 eu-west-1)',
    });
  });

  it('says a run is partial when one scope failed while another was audited, naming the failed one', () => {
    // Prepare
    const good = scope({ vpcs: [vpc('vpc-1')] });
    const denied = scope({ gaps: [kindGap('vpcs', 'DescribeVpcs')] }, 'ap-east-1');
    // Act
    const verdict = judgeRun(inventory(good, denied));
    // Assess
    expect(verdict).toMatchObject({ kind: 'partial', failed: ['111122223333 ap-east-1'] });
    expect(verdict.kind === 'partial' && verdict.reason).toBe(
      'not audited: every call failed in 111122223333 ap-east-1 (first failure: ec2:DescribeVpcs AccessDenied: denied); the report covers the other 1 region(s)',
    );
  });

  it('counts an empty region with no failed call as audited beside others (a region with nothing in it)', () => {
    // Act / Assess
    expect(judgeRun(inventory(scope({ vpcs: [vpc('vpc-1')] }), scope({}, 'eu-west-1')))).toEqual({
      kind: 'audited',
    });
  });
});

describe('scopeFailed', () => {
  it('is true only for a scope that read nothing while a call failed; an informational note is no failure', () => {
    // Prepare
    const note: CoverageGap = { ...kindGap('securityGroups'), informational: true };
    // Act / Assess
    expect(scopeFailed(scope({ gaps: [kindGap('vpcs')] }))).toBe(true);
    expect(scopeFailed(scope({ gaps: [note] }))).toBe(false);
    expect(scopeFailed(scope())).toBe(false);
    expect(scopeFailed(scope({ vpcs: [vpc('vpc-1')], gaps: [kindGap('subnets')] }))).toBe(false);
  });
});
