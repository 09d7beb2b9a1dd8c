import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditConfig } from '../../../src/config.ts';
import type { Inventory } from '../../../src/inventory/schema.ts';
import { loadLambdaEnv } from '../../../src/lambda/env.ts';
import { createHandler } from '../../../src/lambda/service.ts';
import { NothingAuditedError } from '../../../src/verdict.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';
import { inventory, scope } from '../../fixtures/inventory.ts';
import { kindGap, vpc } from '../../fixtures/network.ts';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ml-network-audit-findings';
const snsMock = mockClient(SNSClient);
const sns = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 600_000 };

function setup(inv: Inventory, env: Record<string, string> = {}) {
  const records: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  const log = (level: string) => (message: string, extra: Record<string, unknown>) =>
    records.push({ level, message, extra });
  const logger = { info: log('INFO'), error: log('ERROR'), warn: log('WARN') } as unknown as Logger;
  const metrics = {
    singleMetric: () => ({ addDimension: vi.fn(), addMetric: vi.fn() }),
    addMetric: vi.fn(),
    publishStoredMetrics: vi.fn(),
  };
  const configs: AuditConfig[] = [];
  const audit = vi.fn(async (config: AuditConfig) => {
    configs.push(config);
    return { result: auditResult([finding(1, 'CRITICAL')]), inventory: inv };
  });
  const handler = createHandler(
    loadLambdaEnv({ AWS_REGION: 'us-east-1', FINDINGS_TOPIC_ARN: TOPIC, ...env }),
    {
      logger,
      metrics: metrics as unknown as Metrics,
      sns,
      audit,
    },
  );
  return { handler, records, metrics, configs };
}

describe('an invocation that audited nothing', () => {
  beforeEach(() => {
    snsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('fails with NothingAuditedError after its metrics, and logs or publishes no finding', async () => {
    // Prepare: every call failed in the only region.
    const { handler, records, metrics } = setup(
      inventory(scope({ gaps: [kindGap('vpcs', 'DescribeVpcs')] })),
    );
    // Act
    const run = handler({}, context);
    // Assess
    await expect(run).rejects.toThrow(NothingAuditedError);
    await expect(run).rejects.toThrow(/^audited nothing: every call failed in 111122223333 us-east-1/);
    expect(metrics.publishStoredMetrics).toHaveBeenCalled();
    expect(records.filter((r) => r.message === 'finding')).toEqual([]);
    expect(records).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'audited nothing' }));
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('fails when the run read zero resources', async () => {
    // Prepare
    const { handler } = setup(inventory(scope()));
    // Act / Assess
    await expect(handler({}, context)).rejects.toThrow('audited nothing: 0 resources read in 1 region(s)');
  });

  it('reports a partial run and says which scope was not audited', async () => {
    // Prepare
    const { handler, records } = setup(
      inventory(scope({ vpcs: [vpc('vpc-1')] }), scope({ gaps: [kindGap('vpcs')] }, 'ap-east-1')),
    );
    // Act
    const summary = await handler({}, context);
    // Assess
    expect(summary.unaudited).toMatch(/^not audited: every call failed in 111122223333 ap-east-1/);
    expect(summary.alertSent).toBe(true);
    expect(records).toContainEqual(
      expect.objectContaining({
        message: 'scopes not audited',
        extra: expect.objectContaining({ scopes: ['111122223333 ap-east-1'] }),
      }),
    );
  });
});

describe('the scope and rule exclusions of an invocation', () => {
  it('audits the ML scope by default, account-wide with AUDIT_SCOPE, and a payload overrides both', async () => {
    // Prepare
    const inv = inventory(scope({ vpcs: [vpc('vpc-1')] }));
    const byDefault = setup(inv);
    const byEnv = setup(inv, { AUDIT_SCOPE: 'account', AUDIT_EXCLUDE_RULES: 'sg-unused' });
    // Act
    await byDefault.handler({}, context);
    await byEnv.handler({}, context);
    await byEnv.handler({ scope: 'ml', excludeRules: ['nacl-*'], dryRun: true }, context);
    // Assess
    expect(byDefault.configs[0]?.scope).toBe('ml');
    expect(byEnv.configs[0]).toMatchObject({ scope: 'account', excludeRules: ['sg-unused'] });
    expect(byEnv.configs[1]).toMatchObject({ scope: 'ml', excludeRules: ['nacl-*'] });
  });

  it('refuses an AUDIT_SCOPE that is neither ml nor account, naming the variable', () => {
    // Act / Assess
    expect(() => loadLambdaEnv({ AWS_REGION: 'us-east-1', AUDIT_SCOPE: 'org' })).toThrow(/AUDIT_SCOPE/);
  });
});
