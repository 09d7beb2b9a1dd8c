import { describe, expect, it } from 'vitest';
import { endpointPolicy } from '../../../../src/analyze/aws/endpoint-policy.ts';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ORG = { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } };

describe('endpointPolicy', () => {
  it.each<[string, string | undefined, string, string]>([
    ['no policy document (AWS default)', undefined, 'full', 'no policy: AWS default, full access'],
    [
      'principal * action * resource *',
      doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }),
      'full',
      'principal * may take * on *',
    ],
    [
      'a whole service, with a conditional Deny',
      doc(
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: '*' },
      ),
      'full',
      'principal * may take s3:* on * (and 1 Deny statement)',
    ],
    [
      'full access under aws:PrincipalOrgID',
      doc({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: ORG }),
      'bounded',
      'full access bounded by StringEquals aws:PrincipalOrgID',
    ],
    [
      'listed actions on a bucket',
      doc({
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: 'arn:aws:s3:::ml-data/*',
      }),
      'restricted',
      'allows only s3:GetObject, s3:PutObject on arn:aws:s3:::ml-data/*',
    ],
    ['no Allow statement', doc(), 'deny-all', 'no Allow statement: nothing passes'],
    [
      'an unconditional Deny of everything',
      doc(
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
        { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' },
      ),
      'deny-all',
      'an unconditional Deny of every action: nothing passes',
    ],
    ['not JSON', '{"Statement": [', 'unreadable', 'policy is not valid JSON: what it allows is unknown'],
    [
      'URL-encoded JSON',
      encodeURIComponent(doc({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' })),
      'restricted',
      'allows only sts:AssumeRole',
    ],
  ])('%s is %s', (_, policyDocument, access, summary) => {
    const p = endpointPolicy(policyDocument === undefined ? {} : { policyDocument });
    expect(p).toEqual({ access, summary });
  });

  it('does not take a conditional Deny of everything for deny-all', () => {
    const p = endpointPolicy({
      policyDocument: doc(
        { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', Condition: ORG },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: '*',
          Resource: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ),
    });
    expect(p.access).toBe('bounded');
  });
});
