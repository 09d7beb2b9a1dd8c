import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadLambdaEnv } from '../../src/lambda/env.ts';
import { createHandler } from '../../src/lambda/service.ts';
import { fromItem } from '../../src/lifecycle/state/dynamodb-store.ts';
import type { FindingState } from '../../src/lifecycle/state/transition.ts';
import { loadSuppressionsSsm } from '../../src/lifecycle/suppress/load.ts';
import { type ProcessRun, runInvoke } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto, type SeededIds, seedEast } from './seed.ts';

const endpoint = inject('motoEndpoint');
const region = 'us-east-1';
const scheduled = { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} };

function invoke(event: unknown, env: Record<string, string>): Promise<ProcessRun> {
  return runInvoke(endpoint, event, env, region);
}

interface DigestDoc {
  kind: string;
  findings: { ruleId: string; severity: string; resource: { id: string }; fingerprint: string }[];
  changes: {
    new: string[];
    resolved: { ruleId: string; resource: { id: string }; fingerprint: string }[];
    suppressionsExpired: { id: string; reason: string; fingerprint: string }[];
  };
}
interface Received {
  doc: DigestDoc;
  subject: string;
}

let ids: SeededIds;
let topicArn: string;
let queueUrl: string;

async function receiveAll(): Promise<DigestDoc[]> {
  const out: DigestDoc[] = [];
  const client = new SQSClient(clientConfig(endpoint, region));
  for (let i = 0; i < 5; i++) {
    const r = await client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    for (const m of r.Messages ?? []) {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      out.push(JSON.parse(m.Body ?? '{}'));
    }
    if (!r.Messages?.length) break;
  }
  client.destroy();
  return out;
}

/** Subjects of everything published to the topic so far (moto's record), oldest first. */
async function subjects(): Promise<string[]> {
  const data = (await fetch(`${endpoint}/moto-api/data.json`).then((r) => r.json())) as {
    sns: { Topic: { arn: string; sent_notifications?: unknown[][] }[] };
  };
  return (data.sns.Topic.find((t) => t.arn === topicArn)?.sent_notifications ?? []).map((n) => String(n[2]));
}

async function received(): Promise<Received[]> {
  const before = await subjects();
  const docs = await receiveAll();
  return docs.map((doc, i) => ({ doc, subject: before[before.length - docs.length + i] ?? '' }));
}

async function createTable(name: string): Promise<void> {
  const ddb = new DynamoDBClient(clientConfig(endpoint, region));
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'scope', AttributeType: 'S' },
        { AttributeName: 'fingerprint', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'scope', KeyType: 'HASH' },
        { AttributeName: 'fingerprint', KeyType: 'RANGE' },
      ],
    }),
  );
  ddb.destroy();
}

async function items(table: string): Promise<FindingState[]> {
  const ddb = new DynamoDBClient(clientConfig(endpoint, region));
  const out = await ddb.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
  ddb.destroy();
  return (out.Items ?? []).filter((i) => i.scope?.S !== '#meta').map(fromItem);
}

const label = (f: { ruleId: string; resource: { id: string } }) => `${f.ruleId} ${f.resource.id}`;

function findingsLogged(run: ProcessRun) {
  return run.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((r) => r.message === 'finding');
}

beforeAll(async () => {
  await resetMoto(endpoint);
  ids = await seedEast(endpoint);
  const sns = new SNSClient(clientConfig(endpoint, region));
  const sqs = new SQSClient(clientConfig(endpoint, region));
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'ml-network-audit-findings' }))).TopicArn!;
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'lifecycle-reader' }))).QueueUrl!;
  const queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: queueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  sns.destroy();
  sqs.destroy();
});

describe('repeated runs with finding state in DynamoDB', () => {
  const table = 'ml-network-audit-state';
  const env = () => ({ FINDINGS_TOPIC_ARN: topicArn, STATE_TABLE_NAME: table, MIN_ALERT_SEVERITY: 'HIGH' });

  it('alerts on everything, then nothing, then what was resolved, then exactly the new exposure', async () => {
    // Prepare
    await createTable(table);
    await receiveAll();

    // Act 1: the first run
    const run1 = await invoke(scheduled, env());
    // Assess 1: one digest of every HIGH+ finding, all NEW in the table
    expect(run1.code, run1.stderr).toBe(0);
    const digests1 = await received();
    expect(digests1).toHaveLength(1);
    const first = digests1[0]!;
    expect(first.doc.kind).toBe('changes');
    expect(first.doc.findings.map(label)).toEqual(
      expect.arrayContaining([
        `sg-world-ingress-all-ports ${ids.allOpen}`,
        `sg-world-ingress-admin-port ${ids.sshOpen}`,
        `sagemaker-domain-public-internet ${ids.publicDomain}`,
      ]),
    );
    expect(first.doc.changes.new.sort()).toEqual(first.doc.findings.map((f) => f.fingerprint).sort());
    expect(first.subject).toMatch(
      /^\[ml-network-audit\] 1 new CRITICAL, \d+ new HIGH in 123456789012 us-east-1$/,
    );
    const after1 = await items(table);
    const summary1 = JSON.parse(run1.stderr);
    expect(after1).toHaveLength(summary1.findings);
    expect(new Set(after1.map((s) => s.status))).toEqual(new Set(['NEW']));
    expect(after1.every((s) => s.pending === undefined || s.severity !== 'HIGH')).toBe(true);

    // Act 2: nothing changed
    const run2 = await invoke(scheduled, env());
    // Assess 2: nothing sent; every item OPEN now
    expect(run2.code, run2.stderr).toBe(0);
    expect(await receiveAll()).toEqual([]);
    expect(JSON.parse(run2.stderr)).toMatchObject({
      alertSent: false,
      alertSkipped: 'nothing new or resolved at or above HIGH',
      lifecycle: { new: 0, resolved: 0 },
    });
    expect(new Set((await items(table)).map((s) => s.status))).toEqual(new Set(['OPEN']));

    // Act 3: fix one bad rule (SSH from the world)
    const ec2 = new EC2Client(clientConfig(endpoint, region));
    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: ids.sshOpen,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    const run3 = await invoke(scheduled, env());
    // Assess 3: the digest says resolved, names it, and lists nothing new
    expect(run3.code, run3.stderr).toBe(0);
    const digests3 = await received();
    expect(digests3).toHaveLength(1);
    const third = digests3[0]!;
    expect(third.doc.changes.new).toEqual([]);
    expect(third.doc.changes.resolved.map(label)).toContain(`sg-world-ingress-admin-port ${ids.sshOpen}`);
    expect(third.subject).toMatch(/^\[ml-network-audit\] \d+ resolved in 123456789012 us-east-1$/);
    const after3 = await items(table);
    const resolved = after3.filter((s) => s.status === 'RESOLVED');
    expect(resolved.map(label)).toContain(`sg-world-ingress-admin-port ${ids.sshOpen}`);
    expect(resolved.every((s) => typeof s.ttl === 'number' && s.resolvedAt !== undefined)).toBe(true);
    const emf = run3.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((r) => r._aws);
    expect(emf.find((r) => 'ResolvedFindings' in r)).toMatchObject({
      NewFindings: 0,
      ResolvedFindings: resolved.length,
      SuppressedFindings: 0,
    });
    expect(emf.find((r) => r.OpenFindings !== undefined && r.Severity === 'CRITICAL')).toMatchObject({
      OpenFindings: 1,
    });
    expect(third.doc.changes.resolved.map((r) => r.fingerprint).sort()).toEqual(
      resolved
        .filter((s) => ['CRITICAL', 'HIGH'].includes(s.severity))
        .map((s) => s.fingerprint)
        .sort(),
    );

    // Act 4: a new exposure (RDP from the world)
    const { GroupId: rdp } = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'rdp-new', Description: 'rdp-new', VpcId: ids.vpcId }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: rdp,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
        ],
      }),
    );
    ec2.destroy();
    const run4 = await invoke(scheduled, env());
    // Assess 4: exactly that finding
    expect(run4.code, run4.stderr).toBe(0);
    const digests4 = await received();
    expect(digests4).toHaveLength(1);
    const fourth = digests4[0]!;
    expect(fourth.doc.findings.map(label)).toEqual([`sg-world-ingress-admin-port ${rdp}`]);
    expect(fourth.doc.changes.resolved).toEqual([]);
    expect(fourth.subject).toBe(`[ml-network-audit] 1 new HIGH in ${MOTO_ACCOUNT} us-east-1`);
    const after4 = await items(table);
    expect(
      after4.find((s) => s.resource.id === rdp && s.ruleId === 'sg-world-ingress-admin-port')?.status,
    ).toBe('NEW');
    expect(after4.filter((s) => s.status === 'NEW' && s.resource.id !== rdp)).toEqual([]);
  });

  it('leaves consistent state when two runs overlap: every item once, every new finding told once', async () => {
    // Prepare
    const concurrentTable = 'ml-network-audit-state-concurrent';
    await createTable(concurrentTable);
    await receiveAll();
    const env2 = { ...env(), STATE_TABLE_NAME: concurrentTable };
    // Act
    const [a, b] = await Promise.all([invoke(scheduled, env2), invoke(scheduled, env2)]);
    // Assess
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const docs = await receiveAll();
    const told = docs.flatMap((d) => d.changes.new);
    expect(new Set(told).size).toBe(told.length);
    const state = await items(concurrentTable);
    const summary = JSON.parse(a.stderr);
    expect(state).toHaveLength(summary.findings);
    expect(new Set(state.map((s) => s.fingerprint)).size).toBe(state.length);
    const alerting = state.filter((s) => ['CRITICAL', 'HIGH'].includes(s.severity));
    expect(told.sort()).toEqual(alerting.map((s) => s.fingerprint).sort());
    expect(state.filter((s) => !['NEW', 'OPEN'].includes(s.status) || s.pending !== undefined)).toEqual([]);
    expect(JSON.parse(a.stderr).lifecycle.new + JSON.parse(b.stderr).lifecycle.new).toBe(state.length);
  });

  it('fails the run visibly on a malformed suppressions parameter, and sends nothing', async () => {
    // Prepare
    const ssm = new SSMClient(clientConfig(endpoint, region));
    await ssm.send(
      new PutParameterCommand({
        Name: '/mlna/broken-suppressions',
        Type: 'String',
        Overwrite: true,
        Value: 'suppressions:\n  - rule: "sg-*"\n    resource: sg-1\n    expires: 2027-03-01\n',
      }),
    );
    ssm.destroy();
    await receiveAll();
    // Act
    const run = await invoke(scheduled, { ...env(), SUPPRESSIONS_PARAMETER: '/mlna/broken-suppressions' });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SuppressionError');
    expect(run.stderr).toContain('suppressions[0] (rule "sg-*"): reason: is required');
    expect(findingsLogged(run)).toEqual([]);
    expect(await receiveAll()).toEqual([]);
  });
});

describe('two runs writing the same table at the same moment', () => {
  it('recomputes on every lost conditional write, so each finding is new once and told once', async () => {
    // Prepare: the real service and DynamoDB store, the audit replaced by a fixed result of 60 findings
    const table = 'ml-network-audit-state-race';
    await createTable(table);
    await receiveAll();
    const { auditResult, finding } = await import('../fixtures/audit-result.ts');
    const { DynamoDbStateStore } = await import('../../src/lifecycle/state/dynamodb-store.ts');
    const findings = Array.from({ length: 60 }, (_, i) => finding(i, i % 3 ? 'HIGH' : 'MEDIUM'));
    const env = loadLambdaEnv({ AWS_REGION: region, FINDINGS_TOPIC_ARN: topicArn, STATE_TABLE_NAME: table });
    const metrics = {
      singleMetric: () => ({ addDimension: vi.fn(), addMetric: vi.fn() }),
      addMetric: vi.fn(),
      publishStoredMetrics: vi.fn(),
    } as unknown as Metrics;
    const logger = { info: vi.fn(), error: vi.fn() } as unknown as Logger;
    const service = (runId: string) =>
      createHandler(env, {
        logger,
        metrics,
        sns: new SNSClient(clientConfig(endpoint, region)),
        state: new DynamoDbStateStore(new DynamoDBClient(clientConfig(endpoint, region)), table),
        audit: async () => ({
          result: { ...auditResult(findings), run: { ...auditResult(findings).run, id: runId } },
          inventory: { regions: [{ account: '111122223333', region }] } as never,
        }),
      });
    const context = { awsRequestId: 'r', getRemainingTimeInMillis: () => 600_000 };
    // Act
    const [a, b] = await Promise.all([
      service('run-a')(scheduled, context),
      service('run-b')(scheduled, context),
    ]);
    // Assess
    expect(a.lifecycle.conflicts + b.lifecycle.conflicts).toBeGreaterThan(0);
    expect(a.lifecycle.new + b.lifecycle.new).toBe(60);
    const told = (await receiveAll()).flatMap((d) => d.changes.new);
    expect(told).toHaveLength(40);
    expect(new Set(told).size).toBe(40);
    const state = await items(table);
    expect(state).toHaveLength(60);
    // NEW, or OPEN where the other run's observation landed after this one was told; nothing left untold.
    expect(state.filter((s) => !['NEW', 'OPEN'].includes(s.status) || s.pending !== undefined)).toEqual([]);
    expect(state.every((s) => s.lastNotified !== undefined)).toBe(true);
  });
});

describe('suppressions with an injected clock', () => {
  it('silences a finding until its expiry, then alerts on it and says the suppression expired', async () => {
    // Prepare
    const table = 'ml-network-audit-state-suppress';
    await createTable(table);
    await receiveAll();
    const ssm = new SSMClient(clientConfig(endpoint, region));
    await ssm.send(
      new PutParameterCommand({
        Name: '/mlna/suppressions',
        Type: 'String',
        Overwrite: true,
        Value: [
          'suppressions:',
          '  - rule: "sg-world-ingress-admin-*"',
          `    resource: "${ids.halvesOpen}"`,
          '    reason: bastion for the migration, owned by platform',
          '    expires: 2026-12-01',
        ].join('\n'),
      }),
    );
    const records: Record<string, unknown>[] = [];
    const logger = {
      info: (message: string, extra: Record<string, unknown>) => records.push({ message, ...extra }),
      error: (message: string, extra: Record<string, unknown>) => records.push({ message, ...extra }),
    } as unknown as Logger;
    const single = { addDimension: vi.fn(), addMetric: vi.fn() };
    const metrics = {
      singleMetric: () => single,
      addMetric: vi.fn(),
      publishStoredMetrics: vi.fn(),
    } as unknown as Metrics;
    const ddb = new DynamoDBClient(clientConfig(endpoint, region));
    const { DynamoDbStateStore } = await import('../../src/lifecycle/state/dynamodb-store.ts');
    let now = new Date('2026-11-22T06:00:00Z');
    const env = loadLambdaEnv({
      AWS_REGION: region,
      FINDINGS_TOPIC_ARN: topicArn,
      STATE_TABLE_NAME: table,
      SUPPRESSIONS_PARAMETER: '/mlna/suppressions',
    });
    const handler = createHandler(env, {
      logger,
      metrics,
      sns: new SNSClient(clientConfig(endpoint, region)),
      state: new DynamoDbStateStore(ddb, table),
      suppressions: () => loadSuppressionsSsm(ssm, '/mlna/suppressions'),
      now: () => now,
      collect: {
        homeRegion: region,
        sts: new STSClient(clientConfig(endpoint, region)),
        clientsFor: (r) => ({
          ec2: new EC2Client(clientConfig(endpoint, r)),
          sagemaker: new SageMakerClient(clientConfig(endpoint, r)),
          networkFirewall: new NetworkFirewallClient(clientConfig(endpoint, r)),
        }),
      },
    });
    const context = { awsRequestId: 'r', getRemainingTimeInMillis: () => 600_000 };
    const event = { regions: [region], rules: ['sg-*'] };
    const halves = `sg-world-ingress-admin-port ${ids.halvesOpen}`;

    // Act 1: before the expiry
    const s1 = await handler(event, context);
    // Assess 1: logged as SUPPRESSED with the reason, counted, not alerted, SUPPRESSED in the table
    const d1 = await received();
    expect(d1).toHaveLength(1);
    expect(d1[0]!.doc.findings.map(label)).not.toContain(halves);
    expect(s1.lifecycle.suppressed).toBe(1);
    expect(metrics.addMetric).toHaveBeenCalledWith('SuppressedFindings', 'Count', 1);
    const logged = records.find((r) => r.message === 'finding' && label(r as never) === halves);
    expect(logged).toMatchObject({
      status: 'SUPPRESSED',
      suppression: { reason: 'bastion for the migration, owned by platform' },
    });
    const item1 = (await items(table)).find((s) => label(s) === halves);
    expect(item1).toMatchObject({
      status: 'SUPPRESSED',
      suppression: { expires: '2026-12-01T00:00:00.000Z' },
    });

    // Act 2: a day later, still before the expiry
    now = new Date('2026-11-23T06:00:00Z');
    const s2 = await handler(event, context);
    // Assess 2: nothing sent
    expect(s2.alertSent).toBe(false);
    expect(await receiveAll()).toEqual([]);

    // Act 3: after the expiry
    now = new Date('2026-12-02T06:00:00Z');
    const s3 = await handler(event, context);
    // Assess 3: exactly that finding, and the digest says the suppression expired
    expect(s3.alertSent).toBe(true);
    const d3 = await received();
    expect(d3).toHaveLength(1);
    expect(d3[0]!.doc.findings.map(label)).toEqual([halves]);
    expect(d3[0]!.doc.changes.suppressionsExpired).toEqual([
      expect.objectContaining({ reason: 'bastion for the migration, owned by platform' }),
    ]);
    expect(d3[0]!.subject).toBe(`[ml-network-audit] 1 new HIGH in ${MOTO_ACCOUNT} us-east-1`);
    expect((await items(table)).find((s) => label(s) === halves)).toMatchObject({
      status: 'NEW',
      newReason: 'suppression-expired',
    });
    ssm.destroy();
    ddb.destroy();
  });
});
