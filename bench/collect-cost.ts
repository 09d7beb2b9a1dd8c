/**
 * What collection costs, in SDK calls and wall time, against a moto_server: the parts
 * `npm run bench:collect` (bench/collect.ts) and the e2e cost test (test/e2e/search-cost.test.ts)
 * share.
 *
 * - **Seeders** put N resources of one kind into moto through the real SDK. Pluggable: a new kind
 *   (tuning jobs, transform jobs, ...) adds a `Seeder` to `SEEDERS` and the bench seeds and reports it.
 * - **Counting** is SDK middleware on every client the collector gets (`countCalls`): one count per
 *   command sent (a paginator's pages each count; SDK retries do not), by operation.
 * - **Paths**: `search` is the collector as it is; `list-describe` is the same collector with
 *   sagemaker:Search denied (the middleware answers AccessDeniedException before the request leaves),
 *   so it takes its fallback, which is the path used before Search (List, Describe and ListTags per
 *   job). The denied Search is not counted: the old path never made it.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { STSClient } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import { lazyClient, type RegionClients } from '../src/collect/clients.ts';
import type { ProgressEvent } from '../src/collect/common.ts';
import { collectInventory } from '../src/collect/index.ts';
import { type CollectSettings, CollectSettingsSchema } from '../src/config.ts';
import type { Inventory } from '../src/inventory/schema.ts';
import { MOTO_ACCOUNT, clientConfig as motoConfig } from '../test/e2e/seed.ts';
import { stackOf } from '../test/unit/collect/kit.ts';

// ---------------------------------------------------------------- seeders

export interface Seeder {
  /** The resource kind it seeds, as the inventory names it (`trainingJobs`). */
  kind: string;
  /** The SageMaker operations that read that kind (counted as its cost). */
  operations: readonly string[];
  /** Create `count` resources in `region`; `secret` goes into every field that may hold one. */
  seed(endpoint: string, region: string, count: number, secret: string): Promise<void>;
}

/** Requests in flight while seeding (moto is single-threaded; more only queues). */
const SEED_CONCURRENCY = 8;

export const trainingJobSeeder: Seeder = {
  kind: 'trainingJobs',
  operations: ['Search', 'ListTrainingJobs', 'DescribeTrainingJob', 'ListTags'],
  async seed(endpoint, region, count, secret) {
    const sm = new SageMakerClient(motoConfig(endpoint, region));
    const limit = pLimit(SEED_CONCURRENCY);
    const pad = String(count).length;
    try {
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          limit(() => sm.send(trainingJobCommand(region, `hist-${String(i).padStart(pad, '0')}`, i, secret))),
        ),
      );
    } finally {
      sm.destroy();
    }
  },
};

/**
 * One job of a varied history: every third in a VPC (one of two groups), every fourth isolated, every
 * fifth on two instances without inter-container encryption; all with a Name tag and secrets in
 * Environment, HyperParameters and a tag value.
 */
function trainingJobCommand(region: string, name: string, i: number, secret: string) {
  const inVpc = i % 3 === 0;
  return new CreateTrainingJobCommand({
    TrainingJobName: name,
    AlgorithmSpecification: {
      TrainingImage: `763104351884.dkr.ecr.${region}.amazonaws.com/pytorch-training:2.3`,
      TrainingInputMode: 'File',
    },
    RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
    OutputDataConfig: { S3OutputPath: 's3://bucket/out' },
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: i % 5 === 0 ? 2 : 1, VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    EnableNetworkIsolation: i % 4 === 0,
    EnableInterContainerTrafficEncryption: false,
    HyperParameters: { api_token: secret },
    Environment: { DB_PASSWORD: secret },
    Tags: [
      { Key: 'Name', Value: name },
      { Key: 'owner-token', Value: secret },
    ],
    ...(inVpc
      ? {
          VpcConfig: {
            Subnets: ['subnet-0bench0000000001'],
            SecurityGroupIds: [`sg-0bench000000000${i % 2}`],
          },
        }
      : {}),
  });
}

/** Every kind the bench can seed. A new kind adds its seeder here. */
export const SEEDERS: readonly Seeder[] = [trainingJobSeeder];

// ---------------------------------------------------------------- counting

/** Calls by operation (the command name without `Command`), per service. */
export type CallCounts = Record<string, Record<string, number>>;

/** An error as the SDK throws it for an AccessDeniedException answer. */
function denied(operation: string): Error {
  return Object.assign(new Error(`User is not authorized to perform: sagemaker:${operation}`), {
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

/**
 * Count every command `client` sends into `counts[service]`; operations in `deny` are answered
 * AccessDeniedException before they leave, and not counted.
 */
export function countCalls<C extends object>(
  client: C,
  service: string,
  counts: CallCounts,
  deny: ReadonlySet<string> = new Set(),
): C {
  const into: Record<string, number> = counts[service] ?? {};
  counts[service] = into;
  stackOf(client as { middlewareStack: unknown }).add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      if (deny.has(operation)) throw denied(operation);
      into[operation] = (into[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountCalls', priority: 'high' },
  );
  return client;
}

export function total(calls: Record<string, number> | undefined, operations?: readonly string[]): number {
  return Object.entries(calls ?? {})
    .filter(([op]) => !operations || operations.includes(op))
    .reduce((sum, [, n]) => sum + n, 0);
}

// ---------------------------------------------------------------- one measured collection

export type CollectPath = 'search' | 'list-describe';

export interface CollectRun {
  path: CollectPath;
  calls: CallCounts;
  /** The whole collection (every kind, side by side). */
  wallMs: number;
  /** Per kind: from its first start to its last end (a fallback runs the kind twice). */
  kindMs: Record<string, number>;
  inventory: Inventory;
}

/** Collect one region of the moto account through `path`, counting every call. */
export async function measureCollect(
  endpoint: string,
  region: string,
  path: CollectPath,
  settings: Partial<CollectSettings> = {},
): Promise<CollectRun> {
  const calls: CallCounts = {};
  const deny = new Set(path === 'list-describe' ? ['Search'] : []);
  const clientsFor = (r: string): RegionClients => ({
    ec2: countCalls(new EC2Client(motoConfig(endpoint, r)), 'ec2', calls),
    sagemaker: countCalls(new SageMakerClient(motoConfig(endpoint, r)), 'sagemaker', calls, deny),
    networkFirewall: countCalls(
      new NetworkFirewallClient(motoConfig(endpoint, r)),
      'network-firewall',
      calls,
    ),
    bedrock: lazyClient(async () =>
      countCalls(
        new (await import('../src/collect/bedrock-sdk.ts')).bedrockSdk.BedrockClient(motoConfig(endpoint, r)),
        'bedrock',
        calls,
      ),
    ),
  });
  const sts = countCalls(new STSClient(motoConfig(endpoint, region)), 'sts', calls);
  const spans: Record<string, { start: number; end: number }> = {};
  const progress = (event: ProgressEvent) => {
    if (event.type === 'gap') return;
    const span = spans[event.kind] ?? { start: performance.now(), end: 0 };
    spans[event.kind] = span;
    if (event.type === 'kind-done') span.end = performance.now();
  };
  const started = performance.now();
  try {
    const inventory = await collectInventory(
      {
        regions: { mode: 'list', regions: [region] },
        settings: CollectSettingsSchema.parse({ maxAttempts: 1, ...settings }),
      },
      { clientsFor, sts, homeRegion: region, progress },
    );
    const kindMs = Object.fromEntries(
      Object.entries(spans).map(([k, v]) => [k, Math.round(v.end - v.start)]),
    );
    return { path, calls, wallMs: performance.now() - started, kindMs, inventory };
  } finally {
    sts.destroy();
  }
}
