import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  loadSuppressionsS3,
  loadSuppressionsSsm,
  parseS3Uri,
} from '../../../../src/lifecycle/suppress/load.ts';

const s3Mock = mockClient(S3Client);
const ssmMock = mockClient(SSMClient);
const config = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } };
const YAML = '- rule: "sg-*"\n  reason: accepted\n';

describe('loading suppressions in the Lambda', () => {
  beforeEach(() => {
    s3Mock.reset();
    ssmMock.reset();
  });

  it('reads the S3 object named by its URI', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand, { Bucket: 'my-bucket', Key: 'audit/suppressions.yaml' })
      .resolves({ Body: { transformToString: async () => YAML } as never });
    // Act
    const list = await loadSuppressionsS3(new S3Client(config), 's3://my-bucket/audit/suppressions.yaml');
    // Assess
    expect(list.map((s) => s.reason)).toEqual(['accepted']);
  });

  it('reads the SSM parameter', async () => {
    // Prepare
    ssmMock.on(GetParameterCommand, { Name: '/mlna/suppressions' }).resolves({ Parameter: { Value: YAML } });
    // Act
    const list = await loadSuppressionsSsm(new SSMClient(config), '/mlna/suppressions');
    // Assess
    expect(list).toHaveLength(1);
  });

  it('fails loudly when the object cannot be read, naming it', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    // Act + Assess
    await expect(loadSuppressionsS3(new S3Client(config), 's3://my-bucket/s.yaml')).rejects.toThrow(
      'suppressions s3://my-bucket/s.yaml: AccessDenied: Access Denied',
    );
  });

  it.each([
    ['s3://my-bucket/a/b.yaml', { bucket: 'my-bucket', key: 'a/b.yaml' }],
    ['s3://my-bucket/', undefined],
    ['https://my-bucket/a', undefined],
  ])('parses %s', (uri, expected) => {
    expect(parseS3Uri(uri)).toEqual(expected);
  });
});
