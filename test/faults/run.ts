/**
 * The fault suite (`npm run faults`): moto_server and a fault-injecting proxy on 127.0.0.1, the e2e
 * account seeded once, the CLI run once clean (recording every operation the collectors issue), then
 * once per operation × fault kind with that operation faulted. Each run is judged (judge.ts); the
 * matrix is printed, and written as JSON with `--json FILE`. Exits 1 when any run failed.
 *
 *   npm run faults                        the full matrix (every operation × 5 faults)
 *   npm run faults -- --sample            each operation once, the fault kind rotating (CI)
 *   npm run faults -- --json out.json     also write the matrix as JSON
 *   npm run faults -- --only ec2:DescribeSubnets --faults hang,http-500 --concurrency 2
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { startMotoServer } from '../e2e/moto-global-setup.ts';
import { awsTestEnv } from '../e2e/run-process.ts';
import { resetMoto, seedEast, seedWest } from '../e2e/seed.ts';
import { type CliRun, judge, parseResult, passed } from './judge.ts';
import { type Cell, formatMatrix, type Matrix, plan, totals } from './matrix.ts';
import { FAULT_KINDS, type FaultKind } from './protocol.ts';
import { type Fault, startFaultProxy } from './proxy.ts';

/** The budget of a run whose operation hangs: the run must end within it plus a few seconds. */
export const HANG_BUDGET_S = 8;
/** A run still going after this long is killed and counts as a crash. */
const RUN_LIMIT_MS = 150_000;
const REGIONS = 'us-east-1,us-west-2';

function cliArgs(fault: Fault | undefined): string[] {
  return [
    'bin/ml-network-audit.js',
    'audit',
    '--format',
    'json',
    '--regions',
    REGIONS,
    // Throttling and 500s are retried: two attempts keep a faulted run short, and still retried.
    '--max-attempts',
    '2',
    '--no-progress',
    ...(fault?.kind === 'hang' ? ['--time-budget', String(HANG_BUDGET_S)] : []),
  ];
}

/** The CLI processes running now, ended with the suite if it is interrupted. */
const running = new Set<ChildProcess>();

function runCli(endpoint: string, fault: Fault | undefined): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, cliArgs(fault), {
      env: awsTestEnv(endpoint),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_LIMIT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      running.delete(child);
      clearTimeout(killer);
      resolve({ code, stdout, stderr, timedOut, durationMs: Date.now() - started });
    });
  });
}

/** Run `task` over `items`, at most `n` at a time, results in the items' order. */
async function pool<T, R>(items: readonly T[], n: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

function parseFaultKinds(value: string | undefined): FaultKind[] {
  if (!value) return [...FAULT_KINDS];
  const kinds = value.split(',').map((k) => k.trim());
  for (const k of kinds)
    if (!(FAULT_KINDS as readonly string[]).includes(k))
      throw new Error(`--faults: "${k}" is not one of ${FAULT_KINDS.join(', ')}`);
  return kinds as FaultKind[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sample: { type: 'boolean', default: false },
      json: { type: 'string' },
      only: { type: 'string' },
      faults: { type: 'string' },
      concurrency: { type: 'string' },
    },
  });
  const faults = parseFaultKinds(values.faults);
  const concurrency = Math.max(1, Number(values.concurrency ?? Math.min(3, availableParallelism())));
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const moto = await startMotoServer();
  // Interrupted: end this suite's own processes (the CLI runs, moto) by their PIDs, then exit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      for (const child of running) child.kill('SIGKILL');
      void moto.stop().finally(() => process.exit(130));
    });
  try {
    await resetMoto(moto.endpoint);
    await seedEast(moto.endpoint);
    await seedWest(moto.endpoint);

    // The clean run: what every faulted run is judged against, and the operations to fault.
    const recorder = await startFaultProxy(moto.endpoint);
    const cleanRun = await runCli(recorder.endpoint, undefined).finally(() => recorder.close());
    const clean = parseResult(cleanRun.stdout);
    if (typeof clean === 'string' || (cleanRun.code !== 0 && cleanRun.code !== 3)) {
      log(
        `the clean run failed (exit ${cleanRun.code}): ${typeof clean === 'string' ? clean : ''}\n${cleanRun.stderr}`,
      );
      return 1;
    }
    const only = values.only?.split(',').map((o) => o.trim());
    const operations = [...recorder.calls.keys()].filter((op) => !only || only.includes(op)).sort();
    const cleanFails = clean.findings.filter((f) => f.status === 'FAIL').length;
    log(
      `clean run: ${recorder.calls.size} operations issued, ${cleanFails} FAIL findings, ${clean.coverage.length} coverage gaps (${Math.round(cleanRun.durationMs / 1000)} s)`,
    );

    const runs = plan(operations, faults, values.sample);
    let done = 0;
    const cells = await pool(runs, concurrency, async (fault): Promise<Cell> => {
      const proxy = await startFaultProxy(moto.endpoint, fault);
      try {
        const run = await runCli(proxy.endpoint, fault);
        const verdict = judge(clean, fault.operation, run);
        // A fault the run never met (the operation was not issued this time) proves nothing: no gap.
        const cell: Cell = {
          operation: fault.operation,
          fault: fault.kind,
          ...verdict,
          gapNamed: verdict.gapNamed && proxy.faulted() > 0,
        };
        done += 1;
        log(
          `[${done}/${runs.length}] ${fault.operation} × ${fault.kind}: ${passed(cell) ? 'ok' : 'FAILED'} (${Math.round(run.durationMs / 1000)} s, exit ${run.code})`,
        );
        return cell;
      } finally {
        await proxy.close();
      }
    });

    const matrix: Matrix = {
      mode: values.sample ? 'sample' : 'full',
      generatedAt: new Date().toISOString(),
      cleanFailFindings: cleanFails,
      operations,
      faults,
      cells,
      totals: totals(cells),
    };
    process.stdout.write(formatMatrix(matrix));
    if (values.json) writeFileSync(values.json, `${JSON.stringify(matrix, null, 2)}\n`);
    return matrix.totals.failed === 0 ? 0 : 1;
  } finally {
    await moto.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fault suite: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
