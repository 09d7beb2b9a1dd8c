import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../src/analyze/engine/finding.ts';
import { hashTagValue } from '../../../src/inventory/tags.ts';
import { loadLambdaEnv } from '../../../src/lambda/env.ts';
import { createHandler } from '../../../src/lambda/service.ts';
import { FileStateStore } from '../../../src/lifecycle/state/file-store.ts';
import {
  parseSuppressions,
  type Suppression,
  SuppressionError,
} from '../../../src/lifecycle/suppress/suppressions.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';
import { inventory as inventoryOf, scope } from '../../fixtures/inventory.ts';
import { vpc } from '../../fixtures/network.ts';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ml-network-audit-findings';
const snsMock = mockClient(SNSClient);
const sns = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 600_000 };
/** A real EventBridge rule schedule event (a schedule is recognized by its whole envelope). */
const scheduled = JSON.parse(readFileSync('events/scheduled.json', 'utf8'));

async function setup(
  findings: () => Finding[],
  { inventory, ...extra }: { suppressions?: () => Promise<Suppression[]>; inventory?: unknown } = {},
) {
  const store = await FileStateStore.open(join(mkdtempSync(join(tmpdir(), 'mlna-svc-')), 'state.json'));
  const records: { message: string; extra: Record<string, unknown> }[] = [];
  const logger = {
    info: (message: string, extra: Record<string, unknown>) => records.push({ message, extra }),
    error: (message: string, extra: Record<string, unknown>) => records.push({ message, extra }),
    warn: (message: string, extra: Record<string, unknown>) => records.push({ message, extra }),
  } as unknown as Logger;
  const single = { addDimension: vi.fn(), addMetric: vi.fn() };
  const metrics = { singleMetric: () => single, addMetric: vi.fn(), publishStoredMetrics: vi.fn() };
  let run = 0;
  const audit = vi.fn(async () => {
    run++;
    return {
      result: auditResult(findings(), {}) as ReturnType<typeof auditResult>,
      inventory: (inventory ?? inventoryOf(scope({ vpcs: [vpc('vpc-1')] }))) as never,
    };
  });
  const env = loadLambdaEnv({
    AWS_REGION: 'us-east-1',
    FINDINGS_TOPIC_ARN: TOPIC,
    STATE_TABLE_NAME: 'state',
  });
  const handler = createHandler(env, {
    logger,
    metrics: metrics as unknown as Metrics,
    sns,
    audit,
    state: store,
    ...extra,
  });
  return { handler, records, metrics, single, store, audit, run: () => run };
}

describe('handler with finding state', () => {
  beforeEach(() => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('alerts once, then sends nothing for the same findings, and emits the lifecycle metrics', async () => {
    // Prepare
    const { handler, metrics, single } = await setup(() => [finding(1, 'CRITICAL'), finding(2, 'HIGH')]);
    // Act
    const first = await handler(scheduled, context);
    const second = await handler(scheduled, context);
    // Assess
    expect(first).toMatchObject({
      alertSent: true,
      digestKind: 'changes',
      lifecycle: { new: 2, stateTracked: true },
    });
    expect(second).toMatchObject({ alertSent: false, lifecycle: { new: 0, resolved: 0 } });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      Subject: '[ml-network-audit] 1 new CRITICAL, 1 new HIGH in 111122223333 us-east-1',
    });
    expect(metrics.addMetric).toHaveBeenCalledWith('NewFindings', 'Count', 2);
    expect(metrics.addMetric).toHaveBeenCalledWith('ResolvedFindings', 'Count', 0);
    expect(metrics.addMetric).toHaveBeenCalledWith('SuppressedFindings', 'Count', 0);
    expect(single.addMetric).toHaveBeenCalledWith('OpenFindings', 'Count', 1);
  });

  it('reads and writes no state on a dry run, so the next run still alerts', async () => {
    // Prepare
    const { handler, store } = await setup(() => [finding(1, 'HIGH')]);
    // Act
    const dry = await handler({ dryRun: true }, context);
    // Assess
    expect(dry.lifecycle.stateTracked).toBe(false);
    expect(await store.load(['111122223333#us-east-1'])).toEqual([]);
    expect((await handler(scheduled, context)).alertSent).toBe(true);
  });

  it('keeps the changes pending when publishing fails, and tells them on the next run', async () => {
    // Prepare
    snsMock.on(PublishCommand).rejectsOnce(new Error('throttled')).resolves({ MessageId: 'm-2' });
    const { handler } = await setup(() => [finding(1, 'HIGH')]);
    // Act
    await expect(handler(scheduled, context)).rejects.toThrow('throttled');
    const retry = await handler(scheduled, context);
    // Assess
    expect(retry.alertSent).toBe(true);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('logs a warning naming each suppression that matches no rule, and still runs', async () => {
    // Prepare
    const { handler, records } = await setup(() => [finding(1, 'HIGH')], {
      suppressions: async () =>
        parseSuppressions('- rule: "sg-*"\n  reason: ok\n- rule: sg-wrold-*\n  reason: typo', 's3://b/k'),
    });
    // Act
    const summary = await handler(scheduled, context);
    // Assess
    expect(summary.lifecycle.suppressions).toBe(2);
    expect(records.filter((r) => r.message === 'suppression matches no rule')).toEqual([
      {
        message: 'suppression matches no rule',
        extra: { suppression: '#2 sg-wrold-*', rule: 'sg-wrold-*', requestId: 'req-1' },
      },
    ]);
  });

  it('fails before auditing when the suppressions are malformed, and sends nothing', async () => {
    // Prepare
    const { handler, audit, records } = await setup(() => [finding(1, 'HIGH')], {
      suppressions: async () => parseSuppressions('- rule: "sg-*"', 'ssm:/s'),
    });
    // Act + Assess
    await expect(handler(scheduled, context)).rejects.toThrow(SuppressionError);
    expect(audit).not.toHaveBeenCalled();
    expect(records[0]).toMatchObject({ message: 'suppressions rejected' });
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('suppresses by the tags this run collected, never a look-alike whose tags were not read, and logs no value', async () => {
    // Prepare: sg-00000001 carries the tag, sg-00000002 is the same finding on a group whose tags were not read.
    const SECRET = 'SENTINEL-lambda-tag-value-77aa';
    const tagged = finding(1, 'HIGH');
    const unread = finding(2, 'HIGH');
    const { handler, records } = await setup(() => [tagged, unread], {
      inventory: {
        regions: [
          {
            ...scope(),
            securityGroups: [
              {
                groupId: tagged.resource.id,
                groupName: 'a',
                rules: [],
                tags: { owner: hashTagValue(SECRET) },
              },
              { groupId: unread.resource.id, groupName: 'b', rules: [] },
            ],
          },
        ],
      },
      suppressions: async () =>
        parseSuppressions(`- rule: "sg-*"\n  tags: {owner: "${SECRET}"}\n  reason: accepted`, 'ssm:/s'),
    });
    // Act
    const summary = await handler(scheduled, context);
    // Assess
    expect(summary.lifecycle).toMatchObject({ new: 1, suppressed: 1, suppressions: 1 });
    const logged = records.filter((r) => r.message === 'finding').map((r) => r.extra);
    expect(logged).toContainEqual(
      expect.objectContaining({
        status: 'SUPPRESSED',
        resource: expect.objectContaining({ id: tagged.resource.id }),
        suppression: { id: '#1 sg-* tags: owner', reason: 'accepted' },
      }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({
        status: 'FAIL',
        resource: expect.objectContaining({ id: unread.resource.id }),
      }),
    );
    expect(JSON.stringify(records)).not.toContain(SECRET);
    expect(JSON.stringify(snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input))).not.toContain(
      SECRET,
    );
  });
});
