/**
 * Start-up cost, as ratios to a bare `node -e 0` measured in the same run (the machine's load moves
 * every number; the ratio far less): `npm run bench:startup [-- --runs N]`.
 *
 *   --version          bin/ml-network-audit.js --version                     goal <= 2x
 *   demo               bin/ml-network-audit.js audit --snapshot (the demo)   goal <= 10x
 *   bundle import      import dist/lambda/handler.mjs (the Lambda's init)    goal <= 6x
 *   bundle, all code   the import plus every chunk (what a first invocation loads)
 *
 * The commands run in turns (each round runs every one once), so a burst of load hits them alike;
 * each figure is the median of its runs. Builds first (the npm script runs build and bundle).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 11;
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs: a whole number of at least 1');

const lambdaDir = join(ROOT, 'dist/lambda');
const chunks = readdirSync(join(lambdaDir, 'chunks')).filter((f) => f.endsWith('.mjs'));
const importAll = `await import(${JSON.stringify(join(lambdaDir, 'handler.mjs'))}); await Promise.all(${JSON.stringify(
  chunks.map((c) => join(lambdaDir, 'chunks', c)),
)}.map((c) => import(c)));`;
const lambdaEnv = {
  AWS_REGION: 'us-east-1',
  FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:findings',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  goal?: number;
}

const CASES: Case[] = [
  { name: 'bare node -e 0', args: ['-e', '0'] },
  { name: '--version', args: ['bin/ml-network-audit.js', '--version'], goal: 2 },
  {
    name: 'demo (audit --snapshot)',
    args: [
      'bin/ml-network-audit.js',
      'audit',
      '--snapshot',
      'events/demo-snapshot.json',
      '--fail-on',
      'none',
    ],
    goal: 10,
  },
  {
    name: 'Lambda bundle import',
    args: ['--input-type=module', '-e', `await import(${JSON.stringify(join(lambdaDir, 'handler.mjs'))});`],
    env: lambdaEnv,
    goal: 6,
  },
  { name: 'Lambda bundle, all chunks', args: ['--input-type=module', '-e', importAll], env: lambdaEnv },
];

function timeOnce(c: Case): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, c.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...c.env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${c.name} exited ${run.status}: ${run.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const times = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
for (const c of CASES) timeOnce(c); // warm the file cache: the first run of each reads from disk
for (let round = 0; round < RUNS; round++) for (const c of CASES) times.get(c.name)?.push(timeOnce(c));

const bare = median(times.get(CASES[0]?.name ?? '') ?? []);
console.log(`start-up, median of ${RUNS} runs each, in turns; ratio to a bare node start in this run`);
let missed = 0;
for (const c of CASES) {
  const ms = median(times.get(c.name) ?? []);
  const ratio = ms / bare;
  const verdict =
    c.goal === undefined
      ? ''
      : ratio <= c.goal
        ? `  (goal <= ${c.goal}x: met)`
        : `  (goal <= ${c.goal}x: MISSED)`;
  if (c.goal !== undefined && ratio > c.goal) missed++;
  console.log(
    `  ${c.name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(6)}x${verdict}`,
  );
}
process.exitCode = missed ? 1 : 0;
