/**
 * Organization mode executed end to end: template.yaml's state machine definition runs in an ASL
 * interpreter (aws-local-stepfunctions), with each `lambda:invoke` task replaced by a local call of the
 * real function entry (scripts/invoke.ts, one process per invocation, as `npm run invoke` runs it)
 * against moto: an organization with two member accounts, the snapshot bucket, the findings topic.
 *
 * The interpreter runs the Map's items side by side but knows nothing of Distributed Map's
 * ToleratedFailurePercentage (any failed item fails its Map), so the failed-account case takes the
 * definition's Catch path (JoinAfterMapFailure, then MapRunFailed): the same join a tolerated failure
 * reaches through the Map's Next.
 */

import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ORG_BUCKET, ORG_FUNCTION_ARN, orgDefinition } from '../fixtures/org-state-machine.ts';
import { createAccount, openSsh, topicToQueue } from './org-seed.ts';
import { runInvoke } from './run-process.ts';
import { clientConfig, resetMoto } from './seed.ts';

// aws-local-stepfunctions 3 uses Promise.withResolvers (Node 22); the project supports Node 20.19.
if (!('withResolvers' in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((a, b) => {
        resolve = a;
        reject = b;
      });
      return { promise, resolve, reject };
    },
  });
}

const endpoint = inject('motoEndpoint');
const REGION = 'us-east-1';
const ROLE = 'MlNetworkAuditRole';

let research: string;
let platform: string;
let group: string;
let topicArn: string;
let queueUrl: string;

/** The function's environment in organization mode. */
function env(): Record<string, string> {
  return {
    ORG_SNAPSHOT_BUCKET: ORG_BUCKET,
    AUDIT_ROLE_NAME: ROLE,
    AUDIT_REGIONS: REGION,
    FINDINGS_TOPIC_ARN: topicArn,
    MIN_ALERT_SEVERITY: 'HIGH',
    NOTIFY: 'all',
    AUDIT_RULES: 'sg-*',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    INVOKE_TIMEOUT_SECONDS: '120',
  };
}

/** One `lambda:invoke` of the real entry: its return value as the task's `Payload`, or its error. */
async function invokeFunction(input: {
  FunctionName: string;
  Payload: unknown;
}): Promise<{ Payload: unknown }> {
  expect(input.FunctionName).toBe(ORG_FUNCTION_ARN);
  const run = await runInvoke(endpoint, input.Payload, env(), REGION);
  if (run.code !== 0) {
    const m = /error: (\w+): (.*)/.exec(run.stderr);
    throw Object.assign(new Error(m?.[2] ?? run.stderr), { name: m?.[1] ?? 'Error' });
  }
  // The return value is printed as indented JSON, from a line `{` to a line `}`; other lines (warnings)
  // may come before or after it.
  const printed = /^\{$[\s\S]*?^\}$/m.exec(run.stderr);
  if (!printed) throw new Error(`no return value in the output: ${run.stderr}`);
  return { Payload: JSON.parse(printed[0]) };
}

interface Execution {
  output?: unknown;
  error?: Error;
  /** What each task was asked, by state name. */
  calls: Record<string, unknown[]>;
  joined?: Record<string, unknown>;
}

/** Run the definition once; `fail` makes one account's collect task fail (a timed-out invocation). */
async function execute(name: string, fail?: string): Promise<Execution> {
  const calls: Record<string, unknown[]> = {};
  const out: Execution = { calls };
  // The failing child ends after the other one has written its snapshot, so the join sees it.
  let otherDone: () => void = () => undefined;
  const othersDone = new Promise<void>((resolve) => {
    otherDone = resolve;
  });
  type TaskInput = { FunctionName: string; Payload: { item?: { account: string } } };
  // The interpreter types task input and output as any JSON; a lambda:invoke task's are these.
  const task =
    (state: string) =>
    // biome-ignore lint/suspicious/noExplicitAny: the interpreter's JSONValue
    async (json: any): Promise<any> => {
      const input = json as TaskInput;
      calls[state] = [...(calls[state] ?? []), input.Payload];
      if (state === 'CollectAccount' && input.Payload.item?.account === fail) {
        await othersDone;
        throw Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'States.Timeout' });
      }
      const result = await invokeFunction(input).finally(() => {
        if (state === 'CollectAccount') otherDone();
      });
      if (state.startsWith('Join')) out.joined = result.Payload as Record<string, unknown>;
      return result;
    };
  const machine = new StateMachine(
    orgDefinition({ IncludeAccounts: `${research},${platform}`, MaxConcurrency: '2' }) as never,
  );
  const execution = machine.run(
    {},
    {
      context: { Execution: { Name: name } },
      overrides: {
        taskResourceLocalHandlers: {
          Plan: task('Plan'),
          CollectAccount: task('CollectAccount'),
          Join: task('Join'),
          JoinAfterMapFailure: task('JoinAfterMapFailure'),
        },
      },
    },
  );
  try {
    out.output = await execution.result;
  } catch (err) {
    out.error = err as Error;
  }
  return out;
}

async function digests(): Promise<string[]> {
  const sqs = new SQSClient(clientConfig(endpoint, REGION));
  const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
  for (const m of r.Messages ?? [])
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
  sqs.destroy();
  return (r.Messages ?? []).map((m) => m.Body ?? '');
}

let ok: Execution;
let okDigests: string[];
let okKeys: string[];
let failed: Execution;
let failedDigests: string[];

beforeAll(async () => {
  await resetMoto(endpoint);
  const org = new OrganizationsClient(clientConfig(endpoint, REGION));
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  research = await createAccount(org, 'research');
  platform = await createAccount(org, 'platform');
  org.destroy();
  group = await openSsh(endpoint, REGION, research, ROLE, '10.40.0.0/16');
  const s3 = new S3Client({ ...clientConfig(endpoint, REGION), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: ORG_BUCKET }));
  ({ topicArn, queueUrl } = await topicToQueue(endpoint, REGION, 'mlna-org-findings', 'org-digest'));

  ok = await execute('run-ok');
  okDigests = await digests();
  okKeys = (
    (await s3.send(new ListObjectsV2Command({ Bucket: ORG_BUCKET, Prefix: 'runs/run-ok/' }))).Contents ?? []
  )
    .map((o) => o.Key!)
    .sort();
  failed = await execute('run-failed', platform);
  failedDigests = await digests();
  s3.destroy();
}, 240_000);

describe('the organization state machine, executed', () => {
  it('plans, collects each account into its own snapshot in S3, and joins them', () => {
    // Assess
    expect(ok.error).toBeUndefined();
    expect(ok.calls.Plan).toHaveLength(1);
    expect(ok.calls.CollectAccount).toHaveLength(2);
    expect(ok.calls.Join).toHaveLength(1);
    expect(ok.calls.JoinAfterMapFailure).toBeUndefined();
    expect(okKeys).toEqual(
      [
        'runs/run-ok/plan.json',
        `runs/run-ok/accounts/${research}/all.json`,
        `runs/run-ok/accounts/${platform}/all.json`,
      ].sort(),
    );
  });

  it('analyzes the organization as one run: both accounts, the open SSH group in its own account', () => {
    // Prepare
    const summary = ok.output as {
      accounts: string[];
      findings: number;
      organization: Record<string, unknown>;
    };

    // Assess
    expect(summary.accounts).toEqual([research, platform].sort());
    expect(summary.findings).toBeGreaterThan(0);
    expect(summary.organization).toEqual({ runId: 'run-ok', items: 2, snapshots: 2, unread: [] });
  });

  it('sends one digest for the whole organization, naming the open group', () => {
    // Assess
    expect(okDigests).toHaveLength(1);
    expect(okDigests[0]).toContain(group);
    expect(okDigests[0]).toContain(research);
  });

  it('turns a failed account into a coverage gap of that account, joins the rest, and ends FAILED', () => {
    // Prepare
    const joined = failed.joined as {
      accounts: string[];
      coverageGaps: number;
      notEvaluated: number;
      organization: {
        items: number;
        snapshots: number;
        unread: { account: string; errorCode: string }[];
        mapFailed: string;
      };
    };

    // Assess
    expect(failed.error?.message).toMatch(
      /More accounts than OrgToleratedFailurePercentage could not be collected/,
    );
    expect(failed.calls.JoinAfterMapFailure).toHaveLength(1);
    expect(joined.accounts).toEqual([research, platform].sort());
    expect(joined.organization).toMatchObject({
      items: 2,
      snapshots: 1,
      unread: [{ account: platform, regions: [REGION], errorCode: 'AccountNotCollected' }],
    });
    expect(joined.organization.mapFailed).toContain('States.Timeout');
    expect(joined.coverageGaps).toBeGreaterThan(0);
    // The unread account's rules are NOT_EVALUATED, never clean.
    expect(joined.notEvaluated).toBeGreaterThan(0);
    expect(failedDigests).toHaveLength(1);
  });
});
