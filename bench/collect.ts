/**
 * Benchmark (`npm run bench:collect`), not a test: what collection costs in SDK calls and wall time
 * against a local moto_server, through SageMaker Search and through the path before it (List +
 * Describe + ListTags per job, i.e. the collector with sagemaker:Search denied), in the same run.
 *
 * For each size N (default 300 and 3,000) and each seeder (bench/collect-cost.ts: training jobs; a new
 * kind adds its seeder there): reset moto, seed N resources, collect one region through each path with
 * every SDK call counted by middleware (after one unreported warm-up collection), and print the calls for that kind, the calls per 1,000
 * resources, the wall time of the whole collection, and the ratio of the two paths. Then the memory of
 * a full window through Search: `--memory N` (default 30,000) synthetic records, 100 a page, through
 * the collector with an in-process request handler (no moto: moto's single page of N records is not
 * what AWS sends), reporting the heap the collected jobs keep and the peak RSS.
 *
 *   npm run bench:collect
 *   npm run bench:collect -- --sizes 300 --memory 0
 *   npm run bench:collect -- --json collect.json
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createContext } from '../src/collect/common.ts';
import { collectSageMaker } from '../src/collect/sagemaker.ts';
import { emptyRegionInventory } from '../src/inventory/schema.ts';
import { startMotoServer } from '../test/e2e/moto-global-setup.ts';
import { resetMoto } from '../test/e2e/seed.ts';
import { measureCollect, SEEDERS, type Seeder, total } from './collect-cost.ts';

const REGION = 'us-east-1';
const SECRET = 'bench-secret-never-kept';

interface Row {
  kind: string;
  n: number;
  path: string;
  calls: number;
  callsPer1000: number;
  allSageMakerCalls: number;
  wallMs: number;
  kindMs: number;
  collected: number;
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function sizes(): number[] {
  const raw = flag('--sizes') ?? '300,3000';
  const out = raw.split(',').map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--sizes: expected whole numbers above 0 separated by commas, got "${raw}"`);
  }
  return out;
}

async function measureKind(endpoint: string, seeder: Seeder, n: number): Promise<Row[]> {
  await resetMoto(endpoint);
  const seeded = performance.now();
  await seeder.seed(endpoint, REGION, n, SECRET);
  console.error(`  seeded ${n} ${seeder.kind} in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
  // Warm-up, not reported: moto's first calls of a service (and the SDK's first clients) are slow, and
  // whichever path ran first would pay for them.
  await measureCollect(endpoint, REGION, 'search', { maxJobsPerKind: Math.max(n, 30_000) });
  const rows: Row[] = [];
  for (const path of ['search', 'list-describe'] as const) {
    const run = await measureCollect(endpoint, REGION, path, { maxJobsPerKind: Math.max(n, 30_000) });
    const scope = run.inventory.regions[0];
    const items = (scope?.[seeder.kind as keyof typeof scope] as unknown[] | undefined) ?? [];
    const calls = total(run.calls.sagemaker, seeder.operations);
    rows.push({
      kind: seeder.kind,
      n,
      path,
      calls,
      callsPer1000: Math.round((calls / n) * 1000 * 10) / 10,
      allSageMakerCalls: total(run.calls.sagemaker),
      wallMs: Math.round(run.wallMs),
      kindMs: run.kindMs[seeder.kind] ?? 0,
      collected: items.length,
    });
    if (JSON.stringify(run.inventory).includes(SECRET)) throw new Error(`${path}: a seeded secret was kept`);
  }
  return rows;
}

/** `count` synthetic Search records as AWS would page them, each with secret-bearing fields filled. */
function syntheticSearch(count: number) {
  const now = Date.now();
  const page = (start: number) => {
    const Results = [];
    for (let i = start; i < Math.min(start + 100, count); i++) {
      const name = `job-${i}`;
      Results.push({
        TrainingJob: {
          TrainingJobName: name,
          TrainingJobArn: `arn:aws:sagemaker:${REGION}:123456789012:training-job/${name}`,
          TrainingJobStatus: 'Completed',
          CreationTime: (now - i * 60_000) / 1000,
          VpcConfig: { Subnets: ['subnet-0a', 'subnet-0b'], SecurityGroupIds: ['sg-0a'] },
          EnableNetworkIsolation: i % 2 === 0,
          EnableInterContainerTrafficEncryption: false,
          ResourceConfig: { InstanceType: 'ml.p4d.24xlarge', InstanceCount: 2, VolumeSizeInGB: 100 },
          AlgorithmSpecification: { TrainingImage: 'img:1', TrainingInputMode: 'File' },
          HyperParameters: Object.fromEntries(Array.from({ length: 20 }, (_, k) => [`hp${k}`, SECRET])),
          Environment: { DB_PASSWORD: SECRET, API_TOKEN: SECRET },
          RoleArn: 'arn:aws:iam::123456789012:role/sm',
          Tags: [
            { Key: 'Name', Value: name },
            { Key: 'team', Value: 'ml' },
          ],
        },
      });
    }
    return { Results, ...(start + 100 < count ? { NextToken: String(start + 100) } : {}) };
  };
  return {
    handle: async (request: { headers: Record<string, string>; body?: string }) => {
      const target = request.headers['x-amz-target'] ?? '';
      const input = JSON.parse(request.body ?? '{}') as { NextToken?: string };
      const body = target === 'SageMaker.Search' ? page(Number(input.NextToken ?? 0)) : {};
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: Readable.from([Buffer.from(JSON.stringify(body))]),
        },
      };
    },
  };
}

const heapMB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1_048_576;
};

async function measureMemory(count: number) {
  const sm = new SageMakerClient({
    region: REGION,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    requestHandler: syntheticSearch(count),
  });
  const before = heapMB();
  const ctx = createContext(
    emptyRegionInventory('123456789012', REGION),
    { jobWindowDays: 30, maxJobsPerKind: count, describeConcurrency: 8, now: () => new Date() },
    undefined,
  );
  const started = performance.now();
  await collectSageMaker(ctx, sm);
  const ms = performance.now() - started;
  const after = heapMB();
  const jobs = ctx.inventory.trainingJobs.length;
  sm.destroy();
  if (JSON.stringify(ctx.inventory).includes(SECRET)) throw new Error('memory run: a secret was kept');
  return {
    jobs,
    ms: Math.round(ms),
    keptHeapMB: Math.round((after - before) * 10) / 10,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

type Memory = Awaited<ReturnType<typeof measureMemory>>;

/** The memory run in a process of its own (with --expose-gc), so its peak RSS is its own. */
function memoryInChild(count: number): Memory {
  const self = fileURLToPath(import.meta.url);
  const out = spawnSync(
    process.execPath,
    [...process.execArgv, '--expose-gc', self, '--memory-only', String(count)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    },
  );
  if (out.status !== 0) throw new Error(`memory run failed: ${out.stderr.trim().split('\n').pop() ?? ''}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as Memory;
}

async function main(): Promise<void> {
  const only = flag('--memory-only');
  if (only) {
    console.log(JSON.stringify(await measureMemory(Number(only))));
    return;
  }
  const moto = await startMotoServer();
  const rows: Row[] = [];
  try {
    for (const n of sizes()) {
      for (const seeder of SEEDERS) {
        console.error(`${seeder.kind}, N = ${n}`);
        rows.push(...(await measureKind(moto.endpoint, seeder, n)));
      }
    }
  } finally {
    await moto.stop();
  }
  console.log(
    'kind          N      path            calls  per 1,000  all SageMaker  kind ms  total ms  ratio (calls; kind time)',
  );
  for (const row of rows) {
    const base = rows.find((r) => r.kind === row.kind && r.n === row.n && r.path === 'list-describe');
    const ratio =
      row.path === 'search' && base
        ? `${(base.calls / Math.max(row.calls, 1)).toFixed(0)}x fewer; ${(base.kindMs / Math.max(row.kindMs, 1)).toFixed(1)}x faster`
        : '';
    console.log(
      `${row.kind.padEnd(13)} ${String(row.n).padStart(5)}  ${row.path.padEnd(14)} ${String(row.calls).padStart(6)}  ${String(row.callsPer1000).padStart(9)}  ${String(row.allSageMakerCalls).padStart(13)}  ${String(row.kindMs).padStart(7)}  ${String(row.wallMs).padStart(8)}  ${ratio}`,
    );
  }
  const memoryN = Number(flag('--memory') ?? 30_000);
  const memory = memoryN > 0 ? memoryInChild(memoryN) : undefined;
  if (memory) {
    console.log(
      `memory: ${memory.jobs} jobs through Search (${memoryN / 100} pages, synthetic) in ${memory.ms} ms; the collected jobs keep ${memory.keptHeapMB} MB of heap${memory.gcExposed ? '' : ' (without --expose-gc: rough)'}; peak RSS ${memory.peakRssMB} MB`,
    );
  }
  const json = flag('--json');
  if (json) writeFileSync(json, `${JSON.stringify({ rows, memory }, null, 2)}\n`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
