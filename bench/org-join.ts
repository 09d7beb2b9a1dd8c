/**
 * Benchmark of organization mode's join (`npm run bench:org`), not a test: N synthetic account
 * snapshots, each as the collect step writes it to S3 (serialized JSON), then what the join step does
 * with them: parse and validate every snapshot, join them into one inventory, analyze the organization
 * as one network (every rule, reachability, exposure) and run the lifecycle once (no store).
 *
 * Each account is bench/account.ts's synthetic account at `--vpcs` VPCs (default 1: 10 subnets, 100
 * security groups with 1,000 rules, 40 ML placements, a firewall), under its own account id. Each N
 * runs in a process of its own, cold, so its peak RSS is its own.
 *
 *   npm run bench:org                       # N = 100 and 500
 *   npm run bench:org -- --org 500          # one N
 *   npm run bench:org -- --org 50,500 --vpcs 2 --json org.json
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeInventory } from '../src/audit.ts';
import { parseAuditConfig } from '../src/config.ts';
import { joinInventories } from '../src/inventory/join.ts';
import { parseSnapshot, serializeSnapshot } from '../src/inventory/snapshot.ts';
import { runLifecycle } from '../src/lifecycle/stage.ts';
import { inventoryOf, syntheticScope } from './account.ts';

const peakRssMB = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** N accounts' snapshots as the collect step writes them (one JSON text each). */
function snapshots(n: number, vpcs: number): string[] {
  const template = syntheticScope(vpcs / 50);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const account = String(100_000_000_000 + i);
    out.push(serializeSnapshot(inventoryOf({ ...template, account })));
  }
  return out;
}

async function one(n: number, vpcs: number): Promise<Record<string, number>> {
  const texts = snapshots(n, vpcs);
  const snapshotMB = Math.round(texts.reduce((s, t) => s + t.length, 0) / 1048576);
  const rssBefore = peakRssMB();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const parts = texts.map((t, i) => parseSnapshot(JSON.parse(t), `account ${i}`));
  texts.length = 0;
  const t1 = performance.now();
  const inventory = joinInventories(parts);
  const t2 = performance.now();
  const result = analyzeInventory(inventory, parseAuditConfig({}), { source: 'aws' });
  const t3 = performance.now();
  const life = await runLifecycle({ result, inventory, suppressions: [], now: new Date() });
  const t4 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const scope = inventory.regions[0]!;
  return {
    accounts: n,
    scopes: inventory.regions.length,
    vpcs: inventory.regions.length * scope.vpcs.length,
    sgRules: inventory.regions.length * scope.securityGroups.reduce((k, g) => k + g.rules.length, 0),
    placements:
      inventory.regions.length *
      (scope.notebookInstances.length +
        scope.trainingJobs.length +
        scope.processingJobs.length +
        scope.models.length),
    snapshotMB,
    findings: result.findings.length,
    new: life.counts.new,
    parseMs: Math.round(t1 - t0),
    joinMs: Math.round(t2 - t1),
    analyzeMs: Math.round(t3 - t2),
    lifecycleMs: Math.round(t4 - t3),
    totalMs: Math.round(t4 - t0),
    /** CPU time of the whole join (user + system): the steadier figure on a shared machine. */
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    rssBeforeJoinMB: rssBefore,
    maxRssMB: peakRssMB(),
  };
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const self = fileURLToPath(import.meta.url);

if (process.argv[2] === '--one') {
  const row = await one(Number(process.argv[3]), Number(process.argv[4]));
  process.stdout.write(`${JSON.stringify(row)}\n`);
} else {
  const counts = (option('--org') ?? '100,500').split(',').map(Number);
  const vpcs = Number(option('--vpcs') ?? 1);
  const rows: Record<string, number>[] = [];
  for (const n of counts) {
    const out = spawnSync(process.execPath, [...process.execArgv, self, '--one', String(n), String(vpcs)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (out.status !== 0) {
      process.stderr.write(out.stderr);
      process.exit(1);
    }
    const row = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}');
    rows.push(row);
    process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  console.table(rows);
  const file = option('--json');
  if (file) writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
}
