import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { accountTargetsInput, archiveRun } from '../../../src/lambda/accounts.ts';
import { loadLambdaEnv } from '../../../src/lambda/env.ts';
import { classifyEvent, PayloadError } from '../../../src/lambda/payload.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

const s3Mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const logger = { info: vi.fn(), error: vi.fn() };

describe('Lambda account targets', () => {
  it('audits the payload accounts (or ACCOUNTS) through AUDIT_ROLE_NAME with the ExternalId', () => {
    // Prepare
    const env = loadLambdaEnv({
      AWS_REGION: 'us-east-1',
      ACCOUNTS: '111111111111, 222222222222',
      AUDIT_ROLE_NAME: 'MlNetworkAuditRole',
      AUDIT_EXTERNAL_ID: 'ext-1',
    });
    const invocation = classifyEvent({ accounts: ['333333333333'] });

    // Act
    const fromEnv = accountTargetsInput(env, {});
    const fromPayload = accountTargetsInput(env, invocation.kind === 'on-demand' ? invocation.payload : {});

    // Assess
    expect(fromEnv.accounts).toEqual({
      source: 'list',
      accounts: ['111111111111', '222222222222'],
      roleName: 'MlNetworkAuditRole',
      externalId: 'ext-1',
      concurrency: 4,
    });
    expect(fromPayload.accounts).toMatchObject({ accounts: ['333333333333'] });
  });

  it("audits the function's own account when no accounts are given, and rejects accounts without a role", () => {
    // Prepare
    const env = loadLambdaEnv({ AWS_REGION: 'us-east-1' });

    // Act
    const own = accountTargetsInput(env, {});

    // Assess
    expect(own).toEqual({});
    expect(() => accountTargetsInput(env, { accounts: ['111111111111'] })).toThrow(PayloadError);
    expect(() => classifyEvent({ accounts: ['12'] })).toThrow(/accounts/);
    expect(() => loadLambdaEnv({ AWS_REGION: 'us-east-1', ACCOUNTS: 'nope' })).toThrow(/ACCOUNTS/);
  });
});

describe('run archive to S3', () => {
  beforeEach(() => {
    s3Mock.reset();
    logger.info.mockReset();
    logger.error.mockReset();
  });

  it('writes JSON, OCSF and the HTML report per account and region under account/region/date/run-id', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({});
    const result = auditResult([finding(1, 'HIGH'), finding(2, 'LOW', { account: '444455556666' })]);
    const env = { RESULTS_BUCKET: 'audit-results', AWS_REGION: 'us-east-1' } as const;

    // Act
    const written = await archiveRun(env, result, logger, s3);

    // Assess
    expect(written?.map((w) => w.key).sort()).toEqual([
      '111122223333/us-east-1/2026-11-22/run-1/findings.ocsf.json',
      '111122223333/us-east-1/2026-11-22/run-1/report.html',
      '111122223333/us-east-1/2026-11-22/run-1/result.json',
      '444455556666/us-east-1/2026-11-22/run-1/findings.ocsf.json',
      '444455556666/us-east-1/2026-11-22/run-1/report.html',
      '444455556666/us-east-1/2026-11-22/run-1/result.json',
    ]);
    const html = s3Mock
      .commandCalls(PutObjectCommand)
      .find((c) => c.args[0].input.Key === '444455556666/us-east-1/2026-11-22/run-1/report.html');
    expect(html?.args[0].input.ContentType).toBe('text/html; charset=utf-8');
    expect(String(html?.args[0].input.Body)).toMatch(/^<!doctype html>/);
    const put = s3Mock
      .commandCalls(PutObjectCommand)
      .find((c) => c.args[0].input.Key === '444455556666/us-east-1/2026-11-22/run-1/result.json');
    const body = JSON.parse(String(put?.args[0].input.Body));
    expect(body.findings.map((f: { account: string }) => f.account)).toEqual(['444455556666']);
    expect(put?.args[0].input.Bucket).toBe('audit-results');
  });

  it('writes nothing without RESULTS_BUCKET, and logs a failed write without failing the run', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).rejects(new Error('AccessDenied'));
    const result = auditResult([finding(1, 'HIGH')]);

    // Act
    const none = await archiveRun({ AWS_REGION: 'us-east-1' }, result, logger, s3);
    const failed = await archiveRun({ RESULTS_BUCKET: 'b-1', AWS_REGION: 'us-east-1' }, result, logger, s3);

    // Assess
    expect(none).toBeUndefined();
    expect(failed).toBeUndefined();
    expect(logger.error).toHaveBeenCalledWith(
      'run archive failed',
      expect.objectContaining({ bucket: 'b-1' }),
    );
  });
});
