import { readFileSync } from 'node:fs';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type ProcessRun, runInvoke } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto, type SeededIds, seedEast } from './seed.ts';

const endpoint = inject('motoEndpoint');
const region = 'us-east-1';

function invoke(event: unknown, env: Record<string, string>): Promise<ProcessRun> {
  return runInvoke(endpoint, event, env, region);
}

let ids: SeededIds;
let topicArn: string;
let queueUrl: string;
const sqs = () => new SQSClient(clientConfig(endpoint, region));

async function receiveAll(): Promise<{ body: string; attributes: Record<string, string> }[]> {
  const out: { body: string; attributes: Record<string, string> }[] = [];
  const client = sqs();
  for (let i = 0; i < 3; i++) {
    const r = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 0,
      }),
    );
    for (const m of r.Messages ?? []) {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      out.push({
        body: m.Body ?? '',
        attributes: Object.fromEntries(
          Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue ?? '']),
        ),
      });
    }
    if (!r.Messages?.length) break;
  }
  client.destroy();
  return out;
}

beforeAll(async () => {
  await resetMoto(endpoint);
  ids = await seedEast(endpoint);
  const sns = new SNSClient(clientConfig(endpoint, region));
  const client = sqs();
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 'ml-network-audit-findings' }))).TopicArn!;
  queueUrl = (await client.send(new CreateQueueCommand({ QueueName: 'digest-reader' }))).QueueUrl!;
  const queueArn = (
    await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
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
  client.destroy();
});

describe('the handler on a seeded account', () => {
  it('publishes one digest with the findings, subject and attributes, and prints what CloudWatch would receive', async () => {
    // Act
    const run = await invoke(JSON.parse(readFileSync('events/scheduled.json', 'utf8')), {
      FINDINGS_TOPIC_ARN: topicArn,
      MIN_ALERT_SEVERITY: 'HIGH',
      POWERTOOLS_METRICS_NAMESPACE: 'E2E',
    });
    // Assess: the invocation
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stderr);
    expect(run.stdout).not.toContain('reserved key');
    expect(summary).toMatchObject({
      trigger: 'scheduled',
      accounts: [MOTO_ACCOUNT],
      regions: [region],
      alertSent: true,
    });

    // Assess: stdout = one record per finding, the summary, and EMF
    const records = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const findingRecords = records.filter((r) => r.message === 'finding');
    expect(findingRecords.length).toBe(summary.findings + summary.notEvaluated);
    expect(findingRecords.every((r) => r.runId === summary.runId)).toBe(true);
    expect(records.filter((r) => r.message === 'audit summary')).toHaveLength(1);
    const emf = records.filter((r) => r._aws);
    expect(emf.find((r) => r.Severity === 'CRITICAL')).toMatchObject({ Findings: 1 });
    expect(emf.find((r) => 'ResourcesAudited' in r)).toMatchObject({ CoverageGaps: summary.coverageGaps });

    // Assess: the digest
    const messages = await receiveAll();
    expect(messages).toHaveLength(1);
    const digest = JSON.parse(messages[0]?.body ?? '{}');
    const high = digest.findings.map(
      (f: { ruleId: string; resource: { id: string } }) => `${f.ruleId} ${f.resource.id}`,
    );
    expect(high).toEqual(
      expect.arrayContaining([
        `sg-world-ingress-all-ports ${ids.allOpen}`,
        `sg-world-ingress-admin-port ${ids.sshOpen}`,
        'sagemaker-notebook-direct-internet nb-direct',
        `sagemaker-domain-public-internet ${ids.publicDomain}`,
      ]),
    );
    expect(
      digest.findings.every((f: { severity: string }) => ['CRITICAL', 'HIGH'].includes(f.severity)),
    ).toBe(true);
    expect(messages[0]?.attributes).toEqual({
      highestSeverity: 'CRITICAL',
      account: MOTO_ACCOUNT,
      findingCount: String(digest.findings.length),
    });
    const published = (await fetch(`${endpoint}/moto-api/data.json`).then((r) => r.json())) as {
      sns: { Topic: { arn: string; sent_notifications?: unknown[][] }[] };
    };
    const topic = published.sns.Topic.find((t: { arn: string }) => t.arn === topicArn);
    const subjects = (topic?.sent_notifications ?? []).map((n: unknown[]) => n[2]);
    expect(subjects).toEqual([
      expect.stringMatching(/^\[ml-network-audit\] 1 CRITICAL, \d+ HIGH in 123456789012 us-east-1$/),
    ]);
  });

  it('rejects a malformed payload with an error naming the field, and sends nothing', async () => {
    // Prepare
    await receiveAll(); // whatever an earlier test left (receiving deletes)
    // Act
    const run = await invoke({ regions: ['us-east-1'], notify: 'loudly' }, { FINDINGS_TOPIC_ARN: topicArn });
    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PayloadError: invalid payload: notify');
    expect(run.stdout).not.toContain('"message":"finding"');
    expect(await receiveAll()).toEqual([]);
  });
});

describe('the handler with ResultsBucketName', () => {
  it('archives the HTML report beside the JSON and links it from the digest through the S3 console', async () => {
    // Prepare
    const s3 = new S3Client({ ...clientConfig(endpoint, region), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'audit-results' }));
    await receiveAll(); // nothing left over from other cases

    // Act
    const run = await invoke(JSON.parse(readFileSync('events/scheduled.json', 'utf8')), {
      FINDINGS_TOPIC_ARN: topicArn,
      MIN_ALERT_SEVERITY: 'HIGH',
      RESULTS_BUCKET: 'audit-results',
    });

    // Assess: the archive
    expect(run.code, run.stderr).toBe(0);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'audit-results' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    const html = keys.find((k) => k.endsWith('/report.html'));
    expect(html).toMatch(new RegExp(`^${MOTO_ACCOUNT}/${region}/\\d{4}-\\d{2}-\\d{2}/[^/]+/report\\.html$`));
    expect(keys).toContain(html?.replace('report.html', 'result.json'));
    const object = await s3.send(new GetObjectCommand({ Bucket: 'audit-results', Key: html }));
    expect(object.ContentType).toBe('text/html; charset=utf-8');
    const page = (await object.Body?.transformToString()) ?? '';
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<svg class="diagram" data-resource="nb-direct"');

    // Assess: the digest links to it
    const messages = await receiveAll();
    expect(messages).toHaveLength(1);
    const digest = JSON.parse(messages[0]?.body ?? '{}');
    const link = `https://s3.console.aws.amazon.com/s3/object/audit-results?region=${region}&bucketType=general&prefix=${encodeURIComponent(html ?? '')}`;
    expect(digest.reports).toEqual([{ label: `${MOTO_ACCOUNT} ${region}`, url: link }]);
    s3.destroy();
  });
});
