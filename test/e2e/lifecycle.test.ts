/**
 * The finding lifecycle end to end, one run per trigger against moto: the Lambda handler on a schedule
 * (DynamoDB state, SSM suppressions, SNS digest) and the CLI with --state. The sequencing across runs
 * (open, resolved, reminders, suppression expiry, overlapping runs) is unit-tested over the file store
 * in test/unit/lifecycle/sequencing.test.ts.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fromItem } from '../../src/lifecycle/state/dynamodb-store.ts';
import type { FindingState } from '../../src/lifecycle/state/transition.ts';
import type { AuditResult } from '../../src/result.ts';
import { type ProcessRun, runCli, runInvoke } from './run-process.ts';
import { clientConfig, resetMoto, type SeededIds, seedEast } from './seed.ts';

const endpoint = inject('motoEndpoint');
const region = 'us-east-1';
/** A real EventBridge rule schedule event (a schedule is recognized by its whole envelope). */
const scheduled = JSON.parse(readFileSync('events/scheduled.json', 'utf8'));

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

describe('the Lambda on a schedule, with finding state in DynamoDB', () => {
  it('alerts on every HIGH+ finding of the first run, all NEW in the table, reading its suppressions from SSM', async () => {
    // Prepare: the table, and a suppressions parameter that matches none of the seeded findings
    const table = 'ml-network-audit-state';
    await createTable(table);
    const ssm = new SSMClient(clientConfig(endpoint, region));
    await ssm.send(
      new PutParameterCommand({
        Name: '/mlna/suppressions',
        Type: 'String',
        Overwrite: true,
        Value:
          'suppressions:\n  - rule: "sg-*"\n    resource: sg-not-in-this-account\n    reason: none of ours\n',
      }),
    );
    ssm.destroy();
    await receiveAll();
    const env = {
      FINDINGS_TOPIC_ARN: topicArn,
      STATE_TABLE_NAME: table,
      MIN_ALERT_SEVERITY: 'HIGH',
      SUPPRESSIONS_PARAMETER: '/mlna/suppressions',
    };

    // Act
    const run1 = await invoke(scheduled, env);

    // Assess: one digest of every HIGH+ finding, all NEW in the table
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
    expect(summary1.lifecycle).toMatchObject({ stateTracked: true, suppressions: 1, suppressed: 0 });
    expect(after1).toHaveLength(summary1.findings);
    expect(new Set(after1.map((s) => s.status))).toEqual(new Set(['NEW']));
    expect(after1.every((s) => s.pending === undefined || s.severity !== 'HIGH')).toBe(true);
    expect(
      findingsLogged(run1)
        .filter((r) => r.status === 'FAIL')
        .map((r) => r.lifecycle),
    ).toEqual(after1.map(() => 'NEW'));
  });
});

describe('the CLI with --state', () => {
  it('records every finding of the collected account as NEW in the state file and says so', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'mlna-e2e-state-')), 'state.json');
    // Act
    const run = await runCli(
      endpoint,
      ['audit', '--regions', region, '--format', 'json', '--state', file, '--max-attempts', '2'],
      {},
      region,
    );
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as AuditResult;
    const failing = result.findings.filter((f) => f.status === 'FAIL') as { lifecycle?: string }[];
    expect(failing.length).toBe(result.summary.findings);
    expect(new Set(failing.map((f) => f.lifecycle))).toEqual(new Set(['NEW']));
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { items: FindingState[] };
    expect(saved.items).toHaveLength(result.summary.findings);
    expect(new Set(saved.items.map((s) => s.status))).toEqual(new Set(['NEW']));
    expect(run.stderr).toContain(`state ${file}: ${result.summary.findings} new, 0 resolved`);
  });
});
