/**
 * The one pipeline both entries (CLI and Lambda) call: collect (or read a snapshot), analyze, and
 * build the result document. No output is written here.
 */
import { randomUUID } from 'node:crypto';
import { atLeast, type Finding, SEVERITIES, type Severity } from './analyze/engine/finding.ts';
import { runRules } from './analyze/engine/run.ts';
import { inventoryExposure, type ResourceExposure } from './analyze/paths/exposure.ts';
import { type AccountCollectDeps, collectAccounts } from './collect/accounts.ts';
import { type CollectDeps, collectInventory } from './collect/index.ts';
import { type AuditConfig, resolveRuleRuns } from './config.ts';
import {
  type CollectionBounds,
  type CoverageGap,
  type Inventory,
  RESOURCE_ARRAY_KEYS,
} from './inventory/schema.ts';
import { TOOL_VERSION } from './version.ts';

export const RESULT_SCHEMA_VERSION = 1 as const;

export interface AuditSummary {
  /** FAIL findings at or above minSeverity. */
  findings: number;
  bySeverity: Record<Severity, number>;
  byRule: Record<string, number>;
  /** Rule/scope pairs that could not be evaluated. */
  notEvaluated: number;
  coverageGaps: number;
  resourcesAudited: number;
  highestSeverity: Severity | null;
}

export interface AuditRun {
  id: string;
  tool: { name: 'ml-network-audit'; version: string };
  source: 'aws' | 'snapshot';
  snapshotFile?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  collectedAt: string;
  accounts: string[];
  regions: string[];
  bounds: CollectionBounds;
  rules: string[];
  minSeverity: Severity;
}

export type CoverageEntry = CoverageGap & { account: string; region: string };

export interface AuditResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  run: AuditRun;
  summary: AuditSummary;
  findings: Finding[];
  coverage: CoverageEntry[];
  /**
   * With `--suppressions`: the findings a suppression accepts, status SUPPRESSED with the suppression
   * (id, reason, expiry). They are out of `findings`, the summary and `--fail-on`, but not hidden.
   */
  suppressed?: Finding[];
}

/** The result with its per-ML-resource exposure (internet in / out, firewall inspection, private AWS APIs). */
export type AuditResultWithExposure = AuditResult & { exposure: ResourceExposure[] };

export function countResources(inventory: Inventory): number {
  let n = 0;
  for (const scope of inventory.regions) for (const key of RESOURCE_ARRAY_KEYS) n += scope[key].length;
  return n;
}

export function summarize(findings: readonly Finding[], inventory: Inventory): AuditSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, number> = {};
  let failed = 0;
  let notEvaluated = 0;
  let highest: Severity | null = null;
  for (const f of findings) {
    if (f.status !== 'FAIL') {
      notEvaluated++;
      continue;
    }
    failed++;
    bySeverity[f.severity]++;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
    if (highest === null || atLeast(f.severity, highest)) highest = f.severity;
  }
  return {
    findings: failed,
    bySeverity,
    byRule,
    notEvaluated,
    coverageGaps: inventory.regions.reduce((n, s) => n + s.gaps.length, 0),
    resourcesAudited: countResources(inventory),
    highestSeverity: highest,
  };
}

/** Analyze an inventory (collected now or read from a snapshot) into the result document. */
export function analyzeInventory(
  inventory: Inventory,
  config: AuditConfig,
  meta: { source: 'aws' | 'snapshot'; snapshotFile?: string; startedAt?: Date } = { source: 'snapshot' },
): AuditResultWithExposure {
  const startedAt = meta.startedAt ?? new Date();
  const runs = resolveRuleRuns(config);
  const findings = runRules(inventory, runs).filter((f) => atLeast(f.severity, config.minSeverity));
  const finishedAt = new Date();
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    run: {
      id: randomUUID(),
      tool: { name: 'ml-network-audit', version: TOOL_VERSION },
      source: meta.source,
      ...(meta.snapshotFile ? { snapshotFile: meta.snapshotFile } : {}),
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      collectedAt: inventory.collectedAt,
      accounts: [...new Set(inventory.regions.map((s) => s.account))].sort(),
      regions: [...new Set(inventory.regions.map((s) => s.region))].sort(),
      bounds: inventory.bounds,
      rules: runs.map((r) => r.rule.meta.id),
      minSeverity: config.minSeverity,
    },
    summary: summarize(findings, inventory),
    findings,
    coverage: inventory.regions.flatMap((s) =>
      s.gaps.map((g) => ({ account: s.account, region: s.region, ...g })),
    ),
    exposure: inventoryExposure(inventory),
  };
}

/** Collect from AWS and analyze. */
export async function runAudit(
  config: AuditConfig,
  deps: CollectDeps & { accounts?: AccountCollectDeps } = {},
): Promise<{ result: AuditResult; inventory: Inventory }> {
  const startedAt = new Date();
  const inventory = config.accounts
    ? await collectAccounts(
        { regions: config.regions, settings: config.collect, targets: config.accounts },
        { ...(deps.progress ? { progress: deps.progress } : {}), ...deps.accounts },
      )
    : await collectInventory({ regions: config.regions, settings: config.collect }, deps);
  return { result: analyzeInventory(inventory, config, { source: 'aws', startedAt }), inventory };
}
