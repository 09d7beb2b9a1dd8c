import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/vpc-endpoints/vpce-policy-full-access.ts';
import type { VpcEndpoint } from '../../../../../src/inventory/schema.ts';
import { endpoint, gap } from '../../../../fixtures/endpoints.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (extra: object = {}) => ({
  Effect: 'Allow',
  Principal: '*',
  Action: '*',
  Resource: '*',
  ...extra,
});
const withPolicy = (policyDocument: string | undefined, extra: Partial<VpcEndpoint> = {}) =>
  endpoint('vpce-1', 's3', 'Gateway', {
    ...(policyDocument === undefined ? {} : { policyDocument }),
    ...extra,
  });

describe('vpce-policy-full-access', () => {
  describe('non-compliant', () => {
    it.each<[string, string | undefined]>([
      ['the AWS default policy', policy(allow())],
      [
        'the default as moto and EC2 return it (Version 2008-10-17)',
        '{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}',
      ],
      ['no policy document (the default applies)', undefined],
      ['Principal {"AWS": "*"}', policy(allow({ Principal: { AWS: '*' } }))],
      [
        'Principal {"AWS": ["*"]} and Action ["*"]',
        policy(allow({ Principal: { AWS: ['*'] }, Action: ['*'] })),
      ],
      ['Action "*:*"', policy(allow({ Action: '*:*' }))],
      ['a whole-service action s3:*', policy(allow({ Action: 's3:*' }))],
      ['a NotAction', policy(allow({ Action: undefined, NotAction: 's3:DeleteBucket' }))],
      ['no Resource element', policy(allow({ Resource: undefined }))],
      ['a single statement object', JSON.stringify({ Statement: allow() })],
      ['an empty Condition', policy(allow({ Condition: {} }))],
      [
        'a condition that bounds nobody (aws:SecureTransport)',
        policy(allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } })),
      ],
      [
        'an ...IfExists org condition (anonymous callers pass)',
        policy(allow({ Condition: { StringEqualsIfExists: { 'aws:PrincipalOrgID': 'o-123' } } })),
      ],
      [
        'an org condition with a wildcard value',
        policy(allow({ Condition: { StringLike: { 'aws:PrincipalOrgID': '*' } } })),
      ],
      ['a URL-encoded policy', encodeURIComponent(policy(allow()))],
      [
        'a wide statement beside a narrow one',
        policy(
          { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
          allow({ Sid: 'Wide' }),
        ),
      ],
    ])('fails for %s', (_, doc) => {
      // Act
      const findings = run(rule, scope({ vpcEndpoints: [withPolicy(doc)] }));
      // Assess
      expect(ids(findings)).toEqual(['vpce-1']);
      expect(findings[0]).toMatchObject({
        severity: 'LOW',
        resource: { type: 'AWS::EC2::VPCEndpoint', name: 'com.amazonaws.us-east-1.s3' },
      });
    });

    it('names the endpoint, service, VPC and statement, and says when the default applies', () => {
      const [absent] = run(rule, scope({ vpcEndpoints: [withPolicy(undefined)] }));
      expect(absent?.message).toBe(
        'Gateway endpoint vpce-1 (s3) in vpc-1 has no policy, so the AWS default applies allowing principal * action * on resource * with no restrictive condition (statement #0).',
      );
      expect(absent?.evidence).toMatchObject({ policySource: 'absent (AWS default: full access)' });
      const [sid] = run(rule, scope({ vpcEndpoints: [withPolicy(policy(allow({ Sid: 'AllowAll' })))] }));
      expect(sid?.message).toContain('(statement AllowAll)');
      expect(sid?.remediation).toContain('aws:PrincipalOrgID and aws:ResourceOrgID');
    });

    it('gives a NOT_EVALUATED finding on the endpoint when the policy cannot be parsed', () => {
      const findings = run(rule, scope({ vpcEndpoints: [withPolicy('{"Statement": [')] }));
      expect(findings).toEqual([
        expect.objectContaining({
          status: 'NOT_EVALUATED',
          severity: 'LOW',
          resource: expect.objectContaining({ id: 'vpce-1' }),
          message: expect.stringContaining('could not be parsed'),
          evidence: expect.objectContaining({ policySource: 'unparseable' }),
        }),
      ]);
    });
  });

  describe('compliant', () => {
    it.each<[string, string]>([
      [
        'a wildcard statement bounded by aws:PrincipalOrgID',
        policy(allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } })),
      ],
      [
        'a wildcard statement bounded by aws:SourceVpc',
        policy(allow({ Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } })),
      ],
      [
        'a wildcard statement bounded by aws:ResourceAccount',
        policy(allow({ Condition: { StringEquals: { 'aws:ResourceAccount': ['111122223333'] } } })),
      ],
      ['specific actions', policy(allow({ Action: ['s3:GetObject', 's3:PutObject'] }))],
      ['specific resources', policy(allow({ Resource: ['arn:aws:s3:::training-data/*'] }))],
      ['a specific principal', policy(allow({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } }))],
      ['a Deny statement', policy({ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' })],
    ])('passes for %s', (_, doc) => {
      expect(run(rule, scope({ vpcEndpoints: [withPolicy(doc)] }))).toEqual([]);
    });

    it.each<[string, VpcEndpoint]>([
      [
        'a Gateway Load Balancer endpoint (takes no policy)',
        endpoint('vpce-gwlb', 'com.amazonaws.vpce.us-east-1.vpce-svc-1', 'GatewayLoadBalancer'),
      ],
      ['a deleted endpoint', endpoint('vpce-del', 'sts', 'Interface', { state: 'deleted' })],
    ])('passes for %s', (_, e) => {
      expect(run(rule, scope({ vpcEndpoints: [e] }))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when endpoints could not be read', () => {
    const findings = run(rule, scope({ vpcEndpoints: [withPolicy(undefined)], gaps: [gap('vpcEndpoints')] }));
    expect(findings.map((f) => [f.status, f.resource.type])).toEqual([['NOT_EVALUATED', 'AWS::Region']]);
  });
});
