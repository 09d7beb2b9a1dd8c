/**
 * The analyzer's time by stage, measured from outside (no timing code in the analyzer): the per-scope
 * index, the path engine over every ML placement, each rule family (runRules over the registry's rules of
 * one category) and the exposure section. Stages run in that order on one inventory, so each later stage
 * reuses what the earlier ones built (the per-scope index and the path engine are shared); the sum is
 * the whole analysis.
 */
import { CATEGORIES } from '../src/analyze/engine/rule.ts';
import { runRules } from '../src/analyze/engine/run.ts';
import { ScopeIndex } from '../src/analyze/engine/scope-index.ts';
import { resolveRuleRuns } from '../src/analyze/engine/selection.ts';
import { pathEngine } from '../src/analyze/paths/engine.ts';
import { inventoryExposure } from '../src/analyze/paths/exposure.ts';
import { parseAuditConfig } from '../src/config.ts';
import type { Inventory } from '../src/inventory/schema.ts';

/** Milliseconds per stage, in the order they ran. */
export function stageTimes(inventory: Inventory): Record<string, number> {
  const out: Record<string, number> = {};
  const time = (name: string, work: () => unknown) => {
    const t0 = performance.now();
    work();
    out[name] = Math.round(performance.now() - t0);
  };
  const indexes = () => inventory.regions.map((scope) => ScopeIndex.of(scope));
  time('indexing', () => {
    for (const index of indexes()) {
      index.securityGroups();
      index.mlPlacements();
      index.mlByVpc();
      index.naclBySubnet();
    }
  });
  time('path engine', () => {
    for (const index of indexes()) {
      const engine = pathEngine(index);
      for (const p of index.mlPlacements()) engine.reach(p);
    }
  });
  const runs = resolveRuleRuns(parseAuditConfig({}));
  for (const category of CATEGORIES) {
    const family = runs.filter((r) => r.rule.meta.category === category);
    time(`rules: ${category}`, () => runRules(inventory, family));
  }
  time('exposure', () => inventoryExposure(inventory));
  return out;
}
