/**
 * The CLI's side of finding state and suppressions: `--state FILE` keeps the same lifecycle as the
 * Lambda's table in a JSON file (each finding then carries its `lifecycle`: NEW, OPEN); `--suppressions
 * FILE` moves suppressed findings out of `findings`, the summary and `--fail-on` into `suppressed`
 * (status SUPPRESSED, with the suppression's id, reason and expiry). What changed is written to stderr, e.g. `state s.json: 2 new, 1 resolved, 9 open`.
 */

import type { Inventory } from '../inventory/schema.ts';
import type { AuditResult } from '../result.ts';
import { claimPending } from './state/engine.ts';
import { FileStateStore } from './state/file-store.ts';
import { stateKey } from './state/transition.ts';
import { loadSuppressionsFile } from './suppress/load.ts';
import { suppressionMatcher } from './suppress/suppressions.ts';
import { inventoryTags, NO_TAGS } from './suppress/tags.ts';
import { annotateFindings, runScopes, trackRun } from './track.ts';

export interface CliLifecycleOptions {
  /**
   * The run's inventory: its account/region pairs are what was audited (else every account with every
   * region), and its collected tags are what tags suppressions match (without it, none does).
   */
  inventory?: Pick<Inventory, 'regions'>;
  stateFile?: string;
  suppressionsFile?: string;
  /** Suppressions already loaded from suppressionsFile (the CLI validates the file before collecting). */
  suppressions?: Awaited<ReturnType<typeof loadSuppressionsFile>>;
  now?: Date;
}

/** Load suppressions first (a malformed file fails before anything is written). */
export async function applyCliLifecycle(
  result: AuditResult,
  opts: CliLifecycleOptions,
): Promise<{ result: AuditResult; notes: string[] }> {
  if (!opts.stateFile && !opts.suppressionsFile) return { result, notes: [] };
  const now = opts.now ?? new Date();
  const suppressions =
    opts.suppressions ?? (opts.suppressionsFile ? await loadSuppressionsFile(opts.suppressionsFile) : []);
  const store = opts.stateFile ? await FileStateStore.open(opts.stateFile) : undefined;
  const life = await trackRun({
    result,
    scopes: runScopes(result, opts.inventory),
    ...(store ? { store } : {}),
    suppress: suppressionMatcher(suppressions, now, opts.inventory ? inventoryTags(opts.inventory) : NO_TAGS),
    now,
  });
  const notes: string[] = [];
  // The report is how the CLI tells: every pending change of this run is told now.
  if (store) await claimPending(store, life.items, life.ctx);

  const suppressed = result.findings.filter(
    (f) => f.status === 'FAIL' && life.decisions.get(stateKey(f))?.suppression,
  );
  for (const f of result.findings) {
    const expired = f.status === 'FAIL' ? life.decisions.get(stateKey(f))?.expired : undefined;
    if (expired && !life.decisions.get(stateKey(f))?.suppression)
      notes.push(
        `suppression ${expired.id} expired on ${expired.expires}: [${f.ruleId}] ${f.resource.id} is reported again`,
      );
  }
  if (opts.suppressionsFile)
    notes.push(`suppressed ${suppressed.length} finding(s) (${opts.suppressionsFile})`);
  if (store) {
    const open = Object.values(life.counts.openBySeverity).reduce((a, b) => a + b, 0);
    notes.push(
      `state ${opts.stateFile}: ${life.counts.new} new, ${life.counts.resolved} resolved, ${open} open, ${life.counts.suppressed} suppressed`,
    );
  }
  // Each finding says what the lifecycle made of it (NEW, OPEN; SUPPRESSED with the reason).
  const annotated = annotateFindings(result, life);
  if (suppressed.length === 0) return { result: store ? annotated : result, notes };

  const gone = new Set(suppressed.map((f) => f.fingerprint));
  const summary = structuredClone(result.summary);
  for (const f of suppressed) {
    summary.findings--;
    summary.bySeverity[f.severity]--;
    const left = (summary.byRule[f.ruleId] ?? 1) - 1;
    if (left > 0) summary.byRule[f.ruleId] = left;
    else delete summary.byRule[f.ruleId];
  }
  const remaining = (store ? annotated : result).findings.filter((f) => !gone.has(f.fingerprint));
  const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
  summary.highestSeverity = order.find((s) => summary.bySeverity[s] > 0) ?? null;
  return {
    result: {
      ...result,
      summary,
      findings: remaining,
      suppressed: annotated.findings.filter((f) => gone.has(f.fingerprint)),
    },
    notes,
  };
}
