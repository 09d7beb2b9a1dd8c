import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/analyze/engine/finding.ts';
import type { AuditResult } from '../../../src/result.ts';
import { type CliRun, falseCleans, judge, passed } from '../../faults/judge.ts';
import { plan } from '../../faults/matrix.ts';
import { identify } from '../../faults/protocol.ts';

function finding(over: Partial<Finding> & { id: string }): Finding {
  const { id, ...rest } = over;
  return {
    ruleId: 'vpc-ml-flow-logs-disabled',
    title: 't',
    severity: 'MEDIUM',
    status: 'FAIL',
    account: '123456789012',
    region: 'us-west-2',
    resource: { type: 'AWS::EC2::VPC', id, arn: `arn:aws:ec2:us-west-2:123456789012:vpc/${id}` },
    message: 'm',
    evidence: {},
    remediation: 'r',
    references: [],
    fingerprint: `fp-${id}`,
    ...rest,
  };
}

function result(findings: Finding[], coverage: AuditResult['coverage'] = []): AuditResult {
  return { findings, coverage } as unknown as AuditResult;
}

function run(over: Partial<CliRun> = {}, doc: AuditResult = result([])): CliRun {
  return { code: 0, stdout: JSON.stringify(doc), stderr: '', timedOut: false, durationMs: 1000, ...over };
}

const gap = {
  account: '123456789012',
  region: 'us-west-2',
  service: 'ec2',
  operation: 'DescribeSubnets',
  kind: 'subnets',
  errorCode: 'UnauthorizedOperation',
  message: 'no',
} as AuditResult['coverage'][number];

describe('falseCleans', () => {
  const clean = result([finding({ id: 'vpc-1' }), finding({ id: 'vpc-2', status: 'NOT_EVALUATED' })]);

  it('reports a FAIL finding of the clean run that vanished with nothing said about it', () => {
    expect(falseCleans(clean, result([]))).toEqual([
      {
        ruleId: 'vpc-ml-flow-logs-disabled',
        region: 'us-west-2',
        resourceType: 'AWS::EC2::VPC',
        resourceId: 'vpc-1',
        fingerprint: 'fp-vpc-1',
      },
    ]);
  });

  it('accepts the finding still there, by fingerprint or on the same resource under another account label', () => {
    expect(falseCleans(clean, result([finding({ id: 'vpc-1' })]))).toEqual([]);
    expect(
      falseCleans(clean, result([finding({ id: 'vpc-1', account: 'unknown', fingerprint: 'other' })])),
    ).toEqual([]);
  });

  it('accepts a NOT_EVALUATED of the same rule for the region scope or for the resource', () => {
    const scope = finding({
      id: '123456789012/us-west-2',
      status: 'NOT_EVALUATED',
      resource: {
        type: 'AWS::Region',
        id: '123456789012/us-west-2',
        arn: 'arn:aws::us-west-2:123456789012:',
      },
    });
    expect(falseCleans(clean, result([scope]))).toEqual([]);
    expect(
      falseCleans(clean, result([finding({ id: 'vpc-1', status: 'NOT_EVALUATED', fingerprint: 'ne' })])),
    ).toEqual([]);
  });

  it('does not accept a NOT_EVALUATED of another rule, another region or another resource', () => {
    const elsewhere = [
      finding({ id: 'vpc-1', status: 'NOT_EVALUATED', ruleId: 'other-rule', fingerprint: 'a' }),
      finding({ id: 'vpc-1', status: 'NOT_EVALUATED', region: 'us-east-1', fingerprint: 'b' }),
      finding({ id: 'vpc-9', status: 'NOT_EVALUATED', fingerprint: 'c' }),
    ];
    expect(falseCleans(clean, result(elsewhere)).map((f) => f.resourceId)).toEqual(['vpc-1']);
  });
});

describe('falseCleans of audit-coverage-gap, the rule that reports what was not read', () => {
  const gapFinding = (id: string, kind: string, fingerprint: string, region = 'us-east-1') =>
    finding({
      id,
      ruleId: 'audit-coverage-gap',
      region,
      fingerprint,
      resource: { type: 'AWS::NetworkFirewall::FirewallPolicy', id, arn: `arn:${id}` },
      evidence: { gap: { kind } },
    });
  // moto cannot describe the policy: the clean run reports that gap, and one about another kind.
  const clean = result([
    gapFinding('policy-1', 'firewallPolicies', 'fp-policy-1'),
    gapFinding('us-east-1', 'sagemakerSpaces', 'fp-spaces'),
    gapFinding('policy-2', 'firewallPolicies', 'fp-policy-2'),
  ]);

  it('accepts a vanished gap finding when the faulted run reports a new gap of the same kind in its region', () => {
    // The firewall could not be described, so its policy was never asked for.
    const dependency = gapFinding('firewall-1', 'firewallPolicies', 'fp-firewall-1-policies');
    expect(falseCleans(clean, result([dependency, clean.findings[1]!, clean.findings[2]!]))).toEqual([]);
  });

  it('accepts it when the kind of its resource itself was newly not read (the tags of unlisted domains)', () => {
    // Prepare
    const tagsOfDomain = finding({
      id: 'd-1',
      ruleId: 'audit-coverage-gap',
      region: 'us-east-1',
      fingerprint: 'fp-tags-d-1',
      resource: { type: 'AWS::SageMaker::Domain', id: 'd-1', arn: 'arn:d-1' },
      evidence: { gap: { kind: 'tags' } },
    });
    const domainsUnlisted = gapFinding('us-east-1', 'sagemakerDomains', 'fp-list-domains');
    const notebooksUnlisted = gapFinding('us-east-1', 'notebookInstances', 'fp-list-notebooks');
    // Act / Assess
    expect(falseCleans(result([tagsOfDomain]), result([domainsUnlisted]))).toEqual([]);
    expect(falseCleans(result([tagsOfDomain]), result([notebooksUnlisted])).map((f) => f.resourceId)).toEqual(
      ['d-1'],
    );
  });

  it('does not accept it on a gap the clean run already had, of another kind, or in another region', () => {
    const otherKind = gapFinding('firewall-1', 'ruleGroups', 'fp-firewall-1-groups');
    const otherRegion = gapFinding('firewall-2', 'firewallPolicies', 'fp-west', 'us-west-2');
    expect(
      falseCleans(clean, result([clean.findings[1]!, clean.findings[2]!, otherKind, otherRegion])).map(
        (f) => f.resourceId,
      ),
    ).toEqual(['policy-1']);
  });
});

describe('judge', () => {
  const clean = result([finding({ id: 'vpc-1' })]);
  const faulted = result([finding({ id: 'vpc-1' })], [gap]);

  it('passes a run that exits 0 or 3, names the operation in a gap and loses no finding', () => {
    const v = judge(clean, 'ec2:DescribeSubnets', run({ code: 3 }, faulted));
    expect(v).toMatchObject({ completed: true, crash: undefined, gapNamed: true, falseCleans: [] });
    expect(passed(v)).toBe(true);
  });

  it('fails a run whose gaps do not name the faulted operation', () => {
    const v = judge(clean, 'ec2:DescribeVpcs', run({}, faulted));
    expect(v.gapNamed).toBe(false);
    expect(passed(v)).toBe(false);
  });

  it('counts as a crash: exit 1, a stack trace, no result document, a run that was killed', () => {
    expect(judge(clean, 'ec2:DescribeSubnets', run({ code: 1, stderr: 'boom\n' }, faulted)).crash).toBe(
      'exit 1: boom',
    );
    const trace = 'TypeError: x is undefined\n    at collect (/work/src/collect/ec2.ts:12:5)\n';
    expect(judge(clean, 'ec2:DescribeSubnets', run({ stderr: trace }, faulted)).crash).toBe(
      'a stack trace was printed',
    );
    expect(judge(clean, 'ec2:DescribeSubnets', run({ stdout: '{"half":' })).crash).toMatch(/not a JSON/);
    expect(
      judge(clean, 'ec2:DescribeSubnets', run({ code: null, timedOut: true, durationMs: 150_000 })).crash,
    ).toBe('did not end within 150 s');
  });
});

describe('plan', () => {
  it('runs every operation × every fault, or in a sample each operation once with the fault rotating', () => {
    const ops = ['a', 'b', 'c'];
    expect(plan(ops, ['hang', 'http-500'], false)).toHaveLength(6);
    expect(plan(ops, ['hang', 'http-500'], true)).toEqual([
      { operation: 'a', kind: 'hang' },
      { operation: 'b', kind: 'http-500' },
      { operation: 'c', kind: 'hang' },
    ]);
  });
});

describe('identify', () => {
  const auth = (service: string) =>
    `AWS4-HMAC-SHA256 Credential=testing/20261204/us-west-2/${service}/aws4_request, SignedHeaders=host, Signature=x`;

  it('reads a JSON protocol operation from X-Amz-Target and the service from the credential scope', () => {
    expect(
      identify('/', { authorization: auth('sagemaker'), 'x-amz-target': 'SageMaker.ListDomains' }, '{}'),
    ).toEqual({ service: 'sagemaker', operation: 'ListDomains', region: 'us-west-2', protocol: 'json' });
  });

  it('reads a query protocol operation from Action= in the form body or the query string', () => {
    expect(
      identify('/', { authorization: auth('ec2') }, 'Action=DescribeVpcs&Version=2016-11-15'),
    ).toMatchObject({
      service: 'ec2',
      operation: 'DescribeVpcs',
      protocol: 'ec2',
    });
    expect(
      identify('/?Action=GetCallerIdentity&Version=2011-06-15', { authorization: auth('sts') }, ''),
    ).toMatchObject({ service: 'sts', operation: 'GetCallerIdentity', protocol: 'query' });
  });

  it('names no operation for a request that is not an API call', () => {
    expect(identify('/moto-api/data.json', {}, '')).toBeUndefined();
  });
});
