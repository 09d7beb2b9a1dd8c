/**
 * Benchmark (`npm run bench`), not a test: the whole analyzer (every rule, reachability and the exposure
 * section) on the synthetic account of bench/account.ts at 1x, 2x, 4x and 10x (10x: 500 VPCs, 50,000
 * security groups with 500,000 rules, 20,000 ML placements, 200 firewalls).
 *
 * Each scale runs in two processes of its own: one times analyzeInventory as the CLI runs it, cold
 * (`ms`, and the process's peak memory `maxRssMB`); the other times the stages (bench/stages.ts).
 *
 *   npm run bench                          # every scale, a table
 *   npm run bench -- --scales 1,4          # some scales
 *   npm run bench -- --json bench.json     # also write the rows as JSON
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeInventory } from '../src/audit.ts';
import { parseAuditConfig } from '../src/config.ts';
import { benchInventory } from './account.ts';
import { stageTimes } from './stages.ts';

const SCALES = [1, 2, 4, 10];

type Row = Record<string, unknown> & { scale: number; ms: number; maxRssMB: number };

const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** One scale, cold: the generated account, then one analyzeInventory. */
function timeWhole(scale: number): Row {
  const inventory = benchInventory(scale);
  const scope = inventory.regions[0]!;
  const t0 = performance.now();
  const result = analyzeInventory(inventory, parseAuditConfig({}));
  const ms = Math.round(performance.now() - t0);
  return {
    scale,
    vpcs: scope.vpcs.length,
    subnets: scope.subnets.length,
    groups: scope.securityGroups.length,
    sgRules: scope.securityGroups.reduce((n, g) => n + g.rules.length, 0),
    nacls: scope.networkAcls.length,
    placements:
      scope.notebookInstances.length +
      scope.trainingJobs.length +
      scope.processingJobs.length +
      scope.models.length,
    firewalls: scope.firewalls.length,
    domainEntries: scope.ruleGroups.reduce((n, g) => n + (g.rulesSourceList?.targets.length ?? 0), 0),
    findings: result.findings.length,
    exposure: result.exposure.length,
    ms,
    maxRssMB: peakRssMB(),
    heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1048576),
  };
}

const self = fileURLToPath(import.meta.url);

function inChild(mode: '--whole' | '--stages', scale: number): Record<string, unknown> {
  const out = spawnSync(process.execPath, [...process.execArgv, self, mode, String(scale)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (out.status !== 0) {
    process.stderr.write(out.stderr);
    process.exit(1);
  }
  return JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}');
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const scales = option('--scales')?.split(',').map(Number) ?? SCALES;
  const jsonFile = option('--json');
  const rows: Row[] = [];
  for (const scale of scales) {
    const row = inChild('--whole', scale) as Row;
    const stages = inChild('--stages', scale);
    rows.push({ ...row, stages });
    process.stderr.write(`${scale}x: ${row.ms} ms, ${row.maxRssMB} MB\n`);
  }
  console.table(rows.map(({ stages: _, ...r }) => r));
  console.log('stages (ms; a separate process per scale, each stage reusing what the earlier ones built):');
  console.table(Object.fromEntries(rows.map((r) => [`${r.scale}x`, r.stages as Record<string, number>])));
  const base = rows.find((r) => r.scale === 1);
  for (const r of rows) {
    if (base && r !== base)
      console.log(
        `${r.scale}x / 1x: ${(r.ms / base.ms).toFixed(2)}x time, ${(r.maxRssMB / base.maxRssMB).toFixed(2)}x peak RSS`,
      );
  }
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(rows, null, 2)}\n`);
}

const whole = option('--whole');
const stages = option('--stages');
if (whole) process.stdout.write(`${JSON.stringify(timeWhole(Number(whole)))}\n`);
else if (stages) {
  const inventory = benchInventory(Number(stages));
  process.stdout.write(`${JSON.stringify(stageTimes(inventory))}\n`);
} else if (process.argv[1] === self) main();
