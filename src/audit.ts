/**
 * The one pipeline both entries (CLI and Lambda) call: collect (or read a snapshot), analyze, and
 * build the result document. No output is written here.
 */
import { randomUUID } from 'node:crypto';
import { atLeast, type Finding, SEVERITIES, type Severity } from './analyze/engine/finding.ts';
import { auditRules } from './analyze/engine/run.ts';
import { resolveRuleRuns } from './analyze/engine/selection.ts';
import { inventoryExposure } from './analyze/paths/exposure.ts';
import type { AccountCollectDeps } from './collect/accounts.ts';
import type { CollectDeps } from './collect/index.ts';
import type { AuditConfig } from './config.ts';
import type { Inventory } from './inventory/schema.ts';
import { withoutNameTags } from './inventory/tags.ts';
import {
  type AuditResult,
  type AuditResultWithExposure,
  type AuditSummary,
  RESULT_SCHEMA_VERSION,
} from './result.ts';
import { resourceCount } from './verdict.ts';
import { TOOL_VERSION } from './version.ts';

export function countResources(inventory: Inventory): number {
  return inventory.regions.reduce((n, scope) => n + resourceCount(scope), 0);
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
    // An informational note (data read another way, e.g. rules from IpPermissions) is listed in
    // `coverage` but is no gap: it must not raise the CoverageGaps metric or its alarm.
    coverageGaps: inventory.regions.reduce((n, s) => n + s.gaps.filter((g) => !g.informational).length, 0),
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
  const scoped = auditRules(inventory, runs, config.scope);
  const findings = scoped.findings.filter((f) => atLeast(f.severity, config.minSeverity));
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
      scope: { mode: config.scope, findingsOutOfScope: scoped.outOfScope },
    },
    summary: summarize(findings, inventory),
    findings,
    coverage: inventory.regions.flatMap((s) =>
      s.gaps.map((g) => ({ account: s.account, region: s.region, ...g })),
    ),
    exposure: inventoryExposure(inventory),
  };
}

/** The inventory as the run may show it: with `hashNames`, no Name is readable. */
export function namesAsConfigured(inventory: Inventory, config: Pick<AuditConfig, 'hashNames'>): Inventory {
  return config.hashNames ? withoutNameTags(inventory) : inventory;
}

/**
 * Collect from AWS and analyze. The collectors (and with them the AWS SDK) are loaded only now: a
 * snapshot audit, `rules` or `--help` never load an SDK client.
 */
export async function runAudit(
  config: AuditConfig,
  deps: CollectDeps & { accounts?: AccountCollectDeps } = {},
): Promise<{ result: AuditResult; inventory: Inventory }> {
  const { collectAccounts } = await import('./collect/accounts.ts');
  const { collectInventory } = await import('./collect/index.ts');
  // The run's clock (and the time budget's, in the collectors) starts once the collectors are loaded.
  const startedAt = new Date();
  const collected = config.accounts
    ? await collectAccounts(
        { regions: config.regions, settings: config.collect, targets: config.accounts },
        { ...(deps.progress ? { progress: deps.progress } : {}), ...deps.accounts },
      )
    : await collectInventory({ regions: config.regions, settings: config.collect }, deps);
  const inventory = namesAsConfigured(collected, config);
  return { result: analyzeInventory(inventory, config, { source: 'aws', startedAt }), inventory };
}
