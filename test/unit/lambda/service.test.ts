import { readFileSync } from 'node:fs';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditConfig } from '../../../src/config.ts';
import { type LambdaEnv, loadLambdaEnv } from '../../../src/lambda/env.ts';
import { PayloadError } from '../../../src/lambda/payload.ts';
import { createHandler } from '../../../src/lambda/service.ts';
import { PublishError } from '../../../src/report/sns.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';
import { inventory, scope } from '../../fixtures/inventory.ts';
import { vpc } from '../../fixtures/network.ts';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ml-network-audit-findings';
const snsMock = mockClient(SNSClient);
const sns = new SNSClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  maxAttempts: 1,
});
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 600_000 };
/** A real EventBridge rule schedule event (a schedule is recognized by its whole envelope). */
const scheduled = JSON.parse(readFileSync('events/scheduled.json', 'utf8'));

function setup(envOverrides: Record<string, string> = {}) {
  const records: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const logger = {
    info: (message: string, extra: Record<string, unknown>) =>
      records.push({ level: 'INFO', message, extra }),
    error: (message: string, extra: Record<string, unknown>) =>
      records.push({ level: 'ERROR', message, extra }),
    warn: (message: string, extra: Record<string, unknown>) =>
      records.push({ level: 'WARN', message, extra }),
  } as unknown as Logger;
  const single = { addDimension: vi.fn(), addMetric: vi.fn() };
  const metrics = {
    singleMetric: () => single,
    addMetric: vi.fn(),
    publishStoredMetrics: vi.fn(),
  } as unknown as Metrics;
  const result = auditResult([finding(1, 'CRITICAL'), finding(2, 'HIGH'), finding(3, 'LOW')]);
  const configs: AuditConfig[] = [];
  const audit = vi.fn(async (config: AuditConfig) => {
    configs.push(config);
    return { result, inventory: inventory(scope({ vpcs: [vpc('vpc-1')] })) };
  });
  const env: LambdaEnv = loadLambdaEnv({
    AWS_REGION: 'us-east-1',
    FINDINGS_TOPIC_ARN: TOPIC,
    ...envOverrides,
  });
  const handler = createHandler(env, { logger, metrics, sns, audit });
  return { handler, records, audit, configs, metrics };
}

describe('handler', () => {
  beforeEach(() => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('runs a scheduled event with the environment configuration and publishes one digest', async () => {
    // Prepare
    const { handler, records, configs } = setup({
      AUDIT_REGIONS: 'us-east-1,eu-west-1',
      JOB_WINDOW_DAYS: '14',
    });
    // Act
    const summary = await handler(scheduled, context);
    // Assess
    expect(configs[0]).toMatchObject({
      regions: { mode: 'list', regions: ['us-east-1', 'eu-west-1'] },
      collect: { jobWindowDays: 14, timeBudgetMs: 540_000 },
      hashNames: false,
    });
    expect(records.filter((r) => r.message === 'finding')).toHaveLength(3);
    expect(records.find((r) => r.message === 'finding')?.extra).toMatchObject({
      runId: 'run-1',
      ruleId: 'sg-world-ingress-admin-port',
    });
    expect(records.at(-1)).toMatchObject({
      message: 'audit summary',
      extra: { runId: 'run-1', alertSent: true },
    });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      MessageStructure: 'json',
      Subject: '[ml-network-audit] 1 CRITICAL, 1 HIGH in 111122223333 us-east-1',
      MessageAttributes: {
        highestSeverity: { DataType: 'String', StringValue: 'CRITICAL' },
        account: { DataType: 'String', StringValue: '111122223333' },
        findingCount: { DataType: 'Number', StringValue: '2' },
      },
    });
    expect(summary).toMatchObject({
      runId: 'run-1',
      trigger: 'scheduled',
      accounts: ['111122223333'],
      regions: ['us-east-1'],
      bySeverity: { CRITICAL: 1, HIGH: 1, LOW: 1 },
      coverageGaps: 0,
      alertSent: true,
      messageId: 'm-1',
    });
  });

  it.each([
    {},
    null,
    {
      version: '0',
      id: 'd167b752-343a-4b28-afd6-d4de056319e8',
      'detail-type': 'Scheduled Event',
      source: 'aws.scheduler',
      account: '111122223333',
      time: '2026-11-22T06:00:00Z',
      region: 'us-east-1',
      resources: ['arn:aws:scheduler:us-east-1:111122223333:schedule/default/ml-network-audit'],
      detail: '{}',
    },
  ])('treats %j (EventBridge Scheduler) as a scheduled run', async (event) => {
    const { handler } = setup();
    expect(await handler(event, context)).toMatchObject({ trigger: 'scheduled' });
  });

  it('scopes an on-demand payload: regions, rules, alert threshold', async () => {
    // Prepare
    const { handler, configs } = setup();
    // Act
    const summary = await handler(
      { regions: ['eu-west-1'], rules: ['sagemaker-*'], minSeverity: 'critical', notify: 'all' },
      context,
    );
    // Assess
    expect(configs[0]).toMatchObject({
      regions: { mode: 'list', regions: ['eu-west-1'] },
      rules: ['sagemaker-*'],
    });
    expect(summary).toMatchObject({
      trigger: 'on-demand',
      alertThreshold: 'CRITICAL',
      notify: 'all',
      alertSent: true,
    });
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      Subject: '[ml-network-audit] 1 CRITICAL in 111122223333 us-east-1',
    });
  });

  it.each([
    [{ dryRun: true }, 'dry run'],
    [{ notify: 'none' }, 'notify is none'],
    [
      {
        minSeverity: 'CRITICAL',
        rules: ['sg-*'],
        regions: ['us-east-1'],
        notify: 'all',
        jobWindowDays: 3,
        dryRun: true,
      },
      'dry run',
    ],
  ])('publishes nothing for %j', async (payload, reason) => {
    const { handler, records } = setup();
    const summary = await handler(payload, context);
    expect(summary).toMatchObject({ alertSent: false, alertSkipped: reason });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(records.filter((r) => r.message === 'finding')).toHaveLength(3);
  });

  it('sends nothing when no finding reaches the alert threshold', async () => {
    const { handler } = setup({ MIN_ALERT_SEVERITY: 'critical' });
    const summary = await handler({ minSeverity: 'INFO', notify: 'none' }, context);
    expect(summary.alertSent).toBe(false);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it.each([
    [{ regions: ['us-east-1', 'mars-1'] }, /regions\[1\]: "mars-1" is not an AWS region name/],
    [{ notify: 'sometimes' }, /notify/],
    [{ minSeverity: 'urgent' }, /minSeverity/],
    [{ dryRun: 'yes' }, /dryRun/],
    [{ region: 'us-east-1' }, /unknown field "region" \(the fields are regions, rules/],
    [{ rules: ['no-such-rule'] }, /rules\[0\]: "no-such-rule" matches no rule/],
    ['{"regions": ', /invalid payload/],
  ])(
    'rejects the bad payload %j with an error naming the field, and runs and sends nothing',
    async (payload, message) => {
      // Prepare
      const { handler, records, audit } = setup();
      // Act + Assess
      await expect(handler(payload, context)).rejects.toThrow(PayloadError);
      await expect(handler(payload, context)).rejects.toThrow(message);
      expect(audit).not.toHaveBeenCalled();
      expect(records.filter((r) => r.message === 'finding')).toEqual([]);
      expect(records[0]).toMatchObject({ level: 'ERROR', message: 'rejected invocation' });
      expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
    },
  );

  it('hashes names for one run when the payload says hashNames, over HASH_NAMES', async () => {
    // Prepare
    const { handler, configs } = setup({ HASH_NAMES: 'false' });
    // Act
    await handler({ hashNames: true, dryRun: true }, context);
    // Assess
    expect(configs[0]).toMatchObject({ hashNames: true });
  });

  it('rejects a payload that only looks scheduled, naming its unknown fields and bad region, and publishes nothing', async () => {
    // Prepare: the payload of issue 12, which used to run the whole account and publish a digest
    const { handler, records, audit } = setup();
    const payload = {
      source: 'aws.events',
      dryRun: true,
      notify: 'none',
      regions: ['mars-north-9'],
      bogus: 1,
    };
    // Act
    const outcome = await handler(payload, context).then(
      () => undefined,
      (err: Error) => err,
    );
    // Assess
    expect(outcome).toBeInstanceOf(PayloadError);
    expect(outcome?.message).toMatch(/"source"/);
    expect(outcome?.message).toMatch(/"bogus"/);
    expect(outcome?.message).toMatch(/regions\[0\]: "mars-north-9" is not an AWS region name/);
    expect(audit).not.toHaveBeenCalled();
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(records).toEqual([expect.objectContaining({ level: 'ERROR', message: 'rejected invocation' })]);
  });

  it.each([
    ['an incomplete envelope', { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }],
    ['a scheduler source alone', { source: 'aws.scheduler' }],
    ['an envelope with one more field', { ...scheduled, dryRun: false }],
    ['an envelope with a detail', { ...scheduled, detail: { regions: ['us-east-1'] } }],
    [
      'an envelope whose resource is no rule',
      { ...scheduled, resources: ['arn:aws:sns:us-east-1:123456789012:t'] },
    ],
  ])('does not take %s for a schedule: it is rejected and nothing runs', async (_what, event) => {
    // Prepare
    const { handler, audit } = setup();
    // Act + Assess
    await expect(handler(event, context)).rejects.toThrow(PayloadError);
    expect(audit).not.toHaveBeenCalled();
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('honours dryRun and notify of an on-demand payload whatever else it says', async () => {
    // Prepare
    const { handler } = setup({ NOTIFY: 'all' });
    // Act
    const dry = await handler({ dryRun: true, notify: 'all', minSeverity: 'INFO' }, context);
    const none = await handler({ notify: 'none', regions: 'all' }, context);
    // Assess
    expect(dry).toMatchObject({
      trigger: 'on-demand',
      dryRun: true,
      alertSent: false,
      alertSkipped: 'dry run',
    });
    expect(none).toMatchObject({ notify: 'none', alertSent: false, alertSkipped: 'notify is none' });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('fails the invocation when publishing fails, after every finding and the summary are logged', async () => {
    // Prepare
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error('KMS key disabled'), { name: 'KMSDisabledException' }));
    const { handler, records } = setup();
    // Act + Assess
    await expect(handler(scheduled, context)).rejects.toThrow(PublishError);
    expect(records.filter((r) => r.message === 'finding')).toHaveLength(3);
    expect(records.map((r) => r.message).slice(-2)).toEqual(['audit summary', 'digest publish failed']);
    expect(records.at(-1)?.extra).toMatchObject({
      error: expect.stringContaining('KMS key disabled'),
      findingCount: 2,
    });
  });
});

describe('loadLambdaEnv', () => {
  it('reads the contract variables with their defaults', () => {
    expect(loadLambdaEnv({ AWS_REGION: 'eu-west-1' })).toMatchObject({
      MIN_ALERT_SEVERITY: 'HIGH',
      JOB_WINDOW_DAYS: 30,
      NOTIFY: 'new',
      AWS_REGION: 'eu-west-1',
    });
    expect(loadLambdaEnv({ AWS_REGION: 'eu-west-1', AUDIT_REGIONS: 'ALL' }).AUDIT_REGIONS).toBe('all');
    expect(
      loadLambdaEnv({ AWS_REGION: 'eu-west-1', AUDIT_REGIONS: ' us-east-1 , us-west-2 ' }).AUDIT_REGIONS,
    ).toEqual(['us-east-1', 'us-west-2']);
  });

  it.each([
    [{ MIN_ALERT_SEVERITY: 'urgent' }, /MIN_ALERT_SEVERITY/],
    [{ JOB_WINDOW_DAYS: 'forever' }, /JOB_WINDOW_DAYS/],
    [{ JOB_WINDOW_DAYS: '0' }, /JOB_WINDOW_DAYS/],
    [{ FINDINGS_TOPIC_ARN: 'my-topic' }, /FINDINGS_TOPIC_ARN: "my-topic" is not an SNS topic ARN/],
    [{ AUDIT_REGIONS: 'us-east-1,moon' }, /AUDIT_REGIONS\[1\]/],
    [{ NOTIFY: 'always' }, /NOTIFY/],
    [{ AWS_REGION: '' }, /AWS_REGION/],
  ])('fails at start-up on %j, naming the variable', (vars, message) => {
    expect(() => loadLambdaEnv({ AWS_REGION: 'us-east-1', ...vars })).toThrow(message);
  });
});
