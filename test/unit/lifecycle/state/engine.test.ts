import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../../src/analyze/engine/finding.ts';
import { applyRun, claimPending, claimReminder } from '../../../../src/lifecycle/state/engine.ts';
import { FileStateStore } from '../../../../src/lifecycle/state/file-store.ts';
import type { StateStore } from '../../../../src/lifecycle/state/store.ts';
import type { FindingState } from '../../../../src/lifecycle/state/transition.ts';
import { finding } from '../../../fixtures/audit-result.ts';

const scope = '111122223333#us-east-1';
const ctx = (runId: string, now = '2026-11-22T06:00:00.000Z') => ({ now, runId, resolvedRetentionDays: 90 });
const coverage = (findings: Finding[]) => ({
  rules: ['sg-world-ingress-admin-port'],
  scopes: [scope],
  minSeverity: 'INFO' as const,
  findings,
});

async function tempStore(): Promise<{ store: FileStateStore; file: string }> {
  const file = join(mkdtempSync(join(tmpdir(), 'mlna-state-')), 'state.json');
  return { store: await FileStateStore.open(file), file };
}

/** A store whose first write of each item loses a race against another run's write of that item. */
function racing(
  inner: StateStore,
  rival: (next: FindingState) => Promise<void>,
): StateStore & { raced: number } {
  const seen = new Set<string>();
  const wrapper = {
    raced: 0,
    load: (s: readonly string[]) => inner.load(s),
    get: (k: Parameters<StateStore['get']>[0]) => inner.get(k),
    getMeta: () => inner.getMeta(),
    putMeta: (n: Parameters<StateStore['putMeta']>[0], v: number | undefined) => inner.putMeta(n, v),
    flush: () => inner.flush(),
    async put(next: FindingState, expected: number | undefined) {
      if (!seen.has(next.fingerprint)) {
        seen.add(next.fingerprint);
        wrapper.raced++;
        await rival(next);
      }
      return inner.put(next, expected);
    },
  };
  return wrapper;
}

describe('applying runs to a store', () => {
  it('marks new, open and resolved across runs and persists them in the state file', async () => {
    // Prepare
    const { store, file } = await tempStore();
    const [a, b] = [finding(1, 'HIGH'), finding(2, 'HIGH')];
    // Act
    const first = await applyRun(store, { coverage: coverage([a, b]), ctx: ctx('run-1') });
    const second = await applyRun(store, { coverage: coverage([a]), ctx: ctx('run-2') });
    // Assess
    expect([...first.changes.values()]).toEqual(['new', 'new']);
    expect([...second.changes.values()].sort()).toEqual(['open', 'resolved']);
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect(saved.items.map((s: FindingState) => [s.resource.id, s.status])).toEqual(
      expect.arrayContaining([
        [a.resource.id, 'NEW'],
        [b.resource.id, 'RESOLVED'],
      ]),
    );
    const reopened = await FileStateStore.open(file);
    expect(await reopened.load([scope])).toHaveLength(2);
  });

  it('re-reads and recomputes when an overlapping run wrote first, counting each finding new once', async () => {
    // Prepare: the rival run inserts the same finding just before this run's conditional write
    const { store } = await tempStore();
    const f = finding(1, 'HIGH');
    const rivalStore = racing(store, async (next) => {
      await applyRun(store, { coverage: coverage([f]), ctx: ctx('rival') });
      expect(next.fingerprint).toBe(f.fingerprint);
    });
    // Act
    const run = await applyRun(rivalStore, { coverage: coverage([f]), ctx: ctx('run-1') });
    // Assess
    expect(rivalStore.raced).toBe(1);
    expect(run.conflicts).toBe(1);
    expect([...run.changes.values()]).toEqual(['open']);
    const [item] = await store.load([scope]);
    expect(item).toMatchObject({ status: 'NEW', pending: 'NEW', version: 2, lastRunId: 'run-1' });
  });

  it('lets only one of two runs claim a pending change', async () => {
    // Prepare
    const { store } = await tempStore();
    const run = await applyRun(store, { coverage: coverage([finding(1, 'HIGH')]), ctx: ctx('run-1') });
    // Act
    const [mine, theirs] = await Promise.all([
      claimPending(store, run.items, ctx('run-1')),
      claimPending(store, run.items, ctx('run-2')),
    ]);
    // Assess
    expect(mine.length + theirs.length).toBe(1);
    expect((await store.load([scope]))[0]?.pending).toBeUndefined();
  });

  it('starts the reminder clock on the first run and is due again after the interval', async () => {
    // Prepare
    const { store } = await tempStore();
    // Act
    const first = await claimReminder(store, '2026-11-01T00:00:00.000Z', 7);
    const early = await claimReminder(store, '2026-11-05T00:00:00.000Z', 7);
    const due = await claimReminder(store, '2026-11-08T00:00:00.000Z', 7);
    const again = await claimReminder(store, '2026-11-08T01:00:00.000Z', 7);
    // Assess
    expect([first, early, due, again]).toEqual([false, false, true, false]);
  });
});
