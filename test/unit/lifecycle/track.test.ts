import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/analyze/engine/finding.ts';
import { FileStateStore } from '../../../src/lifecycle/state/file-store.ts';
import { digestFor, runScopes, trackRun } from '../../../src/lifecycle/track.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

const OPTS = { notify: 'new', threshold: 'HIGH', reminderIntervalDays: 7 } as const;

/** One scheduled run against the store: track, then the digest of `notify=new`. */
async function runAt(store: FileStateStore, now: string, findings: Finding[], runId: string) {
  const base = auditResult(findings);
  const result = { ...base, run: { ...base.run, id: runId } };
  const life = await trackRun({ result, scopes: runScopes(result), store, now: new Date(now) });
  return digestFor(life, result, OPTS);
}

describe('digest policy over runs (notify=new, weekly reminder from the first quiet run)', () => {
  it('lists exactly what changed in a changes digest, even when a reminder would be due', async () => {
    // Prepare
    const store = await FileStateStore.open(join(mkdtempSync(join(tmpdir(), 'mlna-digest-')), 's.json'));
    const a = finding(1, 'HIGH');
    const c = finding(3, 'CRITICAL');
    // Act: day 0 (new a), day 1 (quiet: the reminder clock starts), day 9 (new c).
    await runAt(store, '2026-11-01T06:00:00.000Z', [a], 'run-1');
    await runAt(store, '2026-11-02T06:00:00.000Z', [a], 'run-2');
    const busy = await runAt(store, '2026-11-10T06:00:00.000Z', [a, c], 'run-3');
    // Assess
    expect(busy.kind).toBe('changes');
    expect(busy.digest?.subject).toBe('[ml-network-audit] 1 new CRITICAL in 111122223333 us-east-1');
    const listed = JSON.parse(JSON.parse(busy.digest?.message ?? '{}').default).findings;
    expect(listed.map((f: { fingerprint: string }) => f.fingerprint)).toEqual([c.fingerprint]);
  });

  it('sends nothing on a quiet run before the interval, and the reminder alone once it is due', async () => {
    // Prepare
    const store = await FileStateStore.open(join(mkdtempSync(join(tmpdir(), 'mlna-digest-')), 's.json'));
    const a = finding(1, 'HIGH');
    // Act
    await runAt(store, '2026-11-01T06:00:00.000Z', [a], 'run-1');
    const quiet = await runAt(store, '2026-11-03T06:00:00.000Z', [a], 'run-2');
    const due = await runAt(store, '2026-11-10T06:00:00.000Z', [a], 'run-3');
    // Assess
    expect(quiet.digest).toBeUndefined();
    expect(due.kind).toBe('reminder');
    expect(due.digest?.subject).toBe(
      '[ml-network-audit] reminder: 1 open (1 HIGH) in 111122223333 us-east-1',
    );
  });
});
