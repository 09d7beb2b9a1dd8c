/**
 * Organization mode's steps in the function (src/lambda/org.ts): the strict org-* payloads, the plan
 * (accounts x region groups -> items, written to S3), and the join (every item's snapshot read from S3;
 * a missing or unreadable one is a coverage gap of its account; one analysis, one lifecycle, one digest).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { serializeSnapshot } from '../../../src/inventory/snapshot.ts';
import { loadLambdaEnv } from '../../../src/lambda/env.ts';
import { type OrgJoinSummary, type OrgPlanResult, withOrganizationSteps } from '../../../src/lambda/org.ts';
import { parseOrgPayload } from '../../../src/lambda/org-payload.ts';
import { PayloadError } from '../../../src/lambda/payload.ts';
import { createHandler } from '../../../src/lambda/service.ts';
import { ingress, inventory, scope, sg } from '../../fixtures/inventory.ts';

const s3Mock = mockClient(S3Client);
const snsMock = mockClient(SNSClient);
const orgMock = mockClient(OrganizationsClient);
const A = '111111111111';
const B = '222222222222';
const C = '333333333333';
const D = '444444444444';
const BUCKET = 'org-snapshots';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:findings';
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 600_000 };

const body = (text: string) => ({ transformToString: async () => text }) as never;

function setup(vars: Record<string, string> = {}) {
  const logger = { info: vi.fn(), error: vi.fn(), warn: vi.fn() } as unknown as Logger;
  const single = { addDimension: vi.fn(), addMetric: vi.fn() };
  const metrics = {
    singleMetric: () => single,
    addMetric: vi.fn(),
    publishStoredMetrics: vi.fn(),
  } as unknown as Metrics;
  const env = loadLambdaEnv({
    AWS_REGION: 'us-east-1',
    FINDINGS_TOPIC_ARN: TOPIC,
    ORG_SNAPSHOT_BUCKET: BUCKET,
    AUDIT_ROLE_NAME: 'MlNetworkAuditRole',
    NOTIFY: 'all',
    ...vars,
  });
  const deps = {
    logger,
    metrics,
    sns: new SNSClient({}),
    s3: new S3Client({ region: 'us-east-1' }),
    organizations: () => new OrganizationsClient({ region: 'us-east-1' }),
  };
  return withOrganizationSteps(env, deps, createHandler(env, deps));
}

/** An account's snapshot with a group open to the world on SSH. */
function snapshotOf(account: string): string {
  return serializeSnapshot(
    inventory({
      ...scope({
        securityGroups: [
          sg('sg-ssh', [ingress({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' })]),
        ],
      }),
      account,
    }),
  );
}

beforeEach(() => {
  s3Mock.reset();
  snsMock.reset();
  orgMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
  s3Mock.on(PutObjectCommand).resolves({});
});

describe('org-* payloads', () => {
  it('are parsed strictly, naming the field', () => {
    // Act / Assess
    expect(() => parseOrgPayload({ mode: 'org-plan', runId: 'r', maxConcurrency: 'ten' })).toThrow(
      /invalid org-plan payload: maxConcurrency: /,
    );
    expect(() => parseOrgPayload({ mode: 'org-join', runId: 'r', extra: 1 })).toThrow(PayloadError);
    expect(() => parseOrgPayload({ mode: 'org-nope' })).toThrow(
      /mode: must be one of org-plan, org-collect, org-join/,
    );
    expect(() =>
      parseOrgPayload({
        mode: 'org-collect',
        runId: 'r',
        item: { account: A, key: `runs/other/accounts/${A}/all.json` },
      }),
    ).toThrow(/item.key: is not in this run/);
    expect(() =>
      parseOrgPayload({ mode: 'org-plan', runId: 'r', regionGroups: 'us-east-1;us-east-1,eu-west-1' }),
    ).toThrow(/us-east-1 is also in group 0/);
  });

  it('need the snapshot bucket and the audit role', async () => {
    // Prepare
    const handler = setup({ ORG_SNAPSHOT_BUCKET: '' });

    // Act / Assess
    await expect(handler({ mode: 'org-join', runId: 'r' }, context)).rejects.toThrow(
      /organization mode needs ORG_SNAPSHOT_BUCKET to be set/,
    );
  });
});

describe('org-plan', () => {
  it('makes one item per active account and region group, and writes the plan to S3', async () => {
    // Prepare
    orgMock
      .on(ListAccountsCommand)
      .resolvesOnce({
        Accounts: [{ Id: A, State: 'ACTIVE' } as never, { Id: C, Status: 'SUSPENDED' }],
        NextToken: 't',
      })
      .resolvesOnce({ Accounts: [{ Id: B, Status: 'ACTIVE' }] });
    const handler = setup();

    // Act
    const plan = (await handler(
      { mode: 'org-plan', runId: 'run-1', regionGroups: 'us-east-1;eu-west-1', excludeAccounts: '' },
      context,
    )) as OrgPlanResult;

    // Assess
    expect(plan.accounts).toBe(2);
    expect(plan.items).toEqual([
      { account: A, regions: ['us-east-1'], key: `runs/run-1/accounts/${A}/g0.json` },
      { account: A, regions: ['eu-west-1'], key: `runs/run-1/accounts/${A}/g1.json` },
      { account: B, regions: ['us-east-1'], key: `runs/run-1/accounts/${B}/g0.json` },
      { account: B, regions: ['eu-west-1'], key: `runs/run-1/accounts/${B}/g1.json` },
    ]);
    expect(plan).toMatchObject({ maxConcurrency: 10, toleratedFailurePercentage: 10 });
    const put = s3Mock.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Bucket: BUCKET, Key: 'runs/run-1/plan.json' });
    expect(JSON.parse(put.Body as string).items).toEqual(plan.items);
  });

  it('refuses an organization with no matching account, never a clean empty run', async () => {
    // Prepare
    orgMock.on(ListAccountsCommand).resolves({ Accounts: [{ Id: A, Status: 'ACTIVE' }] });
    const handler = setup();

    // Act / Assess
    await expect(handler({ mode: 'org-plan', runId: 'r', excludeAccounts: A }, context)).rejects.toThrow(
      /no active account of the organization matched/,
    );
  });
});

describe('org-join', () => {
  const item = (account: string) => ({ account, key: `runs/run-1/accounts/${account}/all.json` });

  it('analyzes every snapshot as one run and sends one digest', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand, { Key: 'runs/run-1/plan.json' })
      .resolves({ Body: body(JSON.stringify({ runId: 'run-1', createdAt: 'x', items: [item(A), item(B)] })) })
      .on(GetObjectCommand, { Key: item(A).key })
      .resolves({ Body: body(snapshotOf(A)) })
      .on(GetObjectCommand, { Key: item(B).key })
      .resolves({ Body: body(snapshotOf(B)) });
    // Account-wide hygiene: these snapshots hold no ML resource, so the default ML scope has nothing.
    const handler = setup({ AUDIT_SCOPE: 'account' });

    // Act
    const summary = (await handler({ mode: 'org-join', runId: 'run-1' }, context)) as OrgJoinSummary;

    // Assess
    expect(summary.accounts).toEqual([A, B]);
    expect(summary.organization).toEqual({ runId: 'run-1', items: 2, snapshots: 2, unread: [] });
    expect(summary.findings).toBeGreaterThanOrEqual(2);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('makes a missing, an unreadable and a foreign snapshot coverage gaps of their accounts', async () => {
    // Prepare
    s3Mock
      .on(GetObjectCommand, { Key: 'runs/run-1/plan.json' })
      .resolves({
        Body: body(
          JSON.stringify({ runId: 'run-1', createdAt: 'x', items: [item(A), item(B), item(C), item(D)] }),
        ),
      })
      .on(GetObjectCommand, { Key: item(A).key })
      .rejects(Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }))
      .on(GetObjectCommand, { Key: item(B).key })
      .resolves({ Body: body('{"not": "a snapshot"}') })
      .on(GetObjectCommand, { Key: item(C).key })
      .resolves({ Body: body(snapshotOf(A)) })
      // One account read: a join where every account failed audited nothing, and fails (issue #14).
      .on(GetObjectCommand, { Key: item(D).key })
      .resolves({ Body: body(snapshotOf(D)) });
    const handler = setup();

    // Act
    const summary = (await handler(
      { mode: 'org-join', runId: 'run-1', mapFailed: { Error: 'States.ExceedToleratedFailureThreshold' } },
      context,
    )) as OrgJoinSummary;

    // Assess
    expect(summary.organization.unread).toEqual([
      { account: A, regions: ['us-east-1'], errorCode: 'AccountNotCollected' },
      { account: B, regions: ['us-east-1'], errorCode: 'InvalidSnapshot' },
      { account: C, regions: ['us-east-1'], errorCode: 'InvalidSnapshot' },
    ]);
    expect(summary.organization.mapFailed).toBe('States.ExceedToleratedFailureThreshold');
    expect(summary.accounts).toEqual([A, B, C, D]);
    expect(summary.notEvaluated).toBeGreaterThan(0);
    expect(summary.coverageGaps).toBeGreaterThanOrEqual(3);
  });

  it('fails, publishing nothing, when the plan cannot be read', async () => {
    // Prepare
    s3Mock.on(GetObjectCommand).rejects(Object.assign(new Error('missing'), { name: 'NoSuchKey' }));
    const handler = setup();

    // Act / Assess
    await expect(handler({ mode: 'org-join', runId: 'run-9' }, context)).rejects.toThrow(
      /cannot read the plan of organization run run-9 at s3:\/\/org-snapshots\/runs\/run-9\/plan.json/,
    );
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
  });
});
