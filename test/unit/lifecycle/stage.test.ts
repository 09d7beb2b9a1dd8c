import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLifecycle } from '../../../src/lifecycle/stage.ts';
import { FileStateStore } from '../../../src/lifecycle/state/file-store.ts';
import { parseSuppressions } from '../../../src/lifecycle/suppress/suppressions.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

const NOW = new Date('2026-11-22T06:00:00.000Z');
const SCOPE = '111122223333#us-east-1';
const DIGEST = { by: 'digest', notify: 'new', threshold: 'HIGH', reminderIntervalDays: 7 } as const;

const tempStore = () => FileStateStore.open(join(mkdtempSync(join(tmpdir(), 'mlna-stage-')), 's.json'));

describe('the lifecycle stage', () => {
  it('without a store or suppressions leaves the report as analyzed and counts every finding new', async () => {
    // Prepare
    const result = auditResult([finding(1, 'CRITICAL'), finding(2, 'HIGH')]);
    // Act
    const life = await runLifecycle({ result, suppressions: [], now: NOW });
    const told = await life.tell(DIGEST);
    // Assess
    expect(life.report).toBe(result);
    expect(life.notes).toEqual([]);
    expect(life.stateTracked).toBe(false);
    expect(life.counts).toMatchObject({ new: 2, resolved: 0, suppressed: 0 });
    expect(life.annotated.findings.map((f) => (f as { lifecycle?: string }).lifecycle)).toEqual([
      'NEW',
      'NEW',
    ]);
    expect(told.kind).toBe('changes');
    expect(told.digest?.subject).toBe('[ml-network-audit] 1 CRITICAL, 1 HIGH in 111122223333 us-east-1');
  });

  it('moves a suppressed finding out of the report and its summary, keeps it in place when annotated, and notes it', async () => {
    // Prepare
    const critical = finding(1, 'CRITICAL');
    const high = finding(2, 'HIGH');
    const result = auditResult([critical, high], {});
    result.summary.byRule = { [critical.ruleId]: 2 };
    const suppressions = parseSuppressions(
      `- rule: "*"\n  resource: ${critical.resource.id}\n  reason: accepted\n- rule: "*"\n  resource: ${high.resource.id}\n  reason: was accepted\n  expires: 2026-01-01\n`,
      's.yaml',
    );
    // Act
    const life = await runLifecycle({ result, suppressions, now: NOW, names: { suppressions: 's.yaml' } });
    // Assess
    expect(life.report.findings.map((f) => f.fingerprint)).toEqual([high.fingerprint]);
    expect(life.report.summary).toMatchObject({
      findings: 1,
      highestSeverity: 'HIGH',
      bySeverity: { CRITICAL: 0, HIGH: 1 },
      byRule: { [critical.ruleId]: 1 },
    });
    expect(life.report.suppressed).toEqual([
      expect.objectContaining({
        fingerprint: critical.fingerprint,
        status: 'SUPPRESSED',
        lifecycle: 'SUPPRESSED',
      }),
    ]);
    expect(life.annotated.findings.map((f) => f.status)).toEqual(['SUPPRESSED', 'FAIL']);
    expect(life.counts).toMatchObject({ new: 1, suppressed: 1 });
    expect(life.notes).toEqual([
      `suppression #2 * ${high.resource.id} expired on 2026-01-01T00:00:00.000Z: [${high.ruleId}] ${high.resource.id} is reported again`,
      'suppressed 1 finding(s) (s.yaml)',
    ]);
  });

  it('with a store tells by the report (every pending change claimed), so a digest after it has nothing to tell', async () => {
    // Prepare
    const store = await tempStore();
    const result = auditResult([finding(1, 'HIGH')]);
    // Act
    const life = await runLifecycle({
      result,
      store,
      suppressions: [],
      now: NOW,
      names: { store: 's.json' },
    });
    await life.tell({ by: 'report' });
    const again = await runLifecycle({
      result: { ...result, run: { ...result.run, id: 'run-2' } },
      store,
      suppressions: [],
      now: NOW,
    });
    const told = await again.tell(DIGEST);
    // Assess
    expect(life.notes).toEqual(['state s.json: 1 new, 0 resolved, 1 open, 0 suppressed']);
    expect(life.report.findings.map((f) => (f as { lifecycle?: string }).lifecycle)).toEqual(['NEW']);
    expect((await store.load([SCOPE])).map((s) => s.pending)).toEqual([undefined]);
    expect(told.digest).toBeUndefined();
    expect(told.skipped).toBe('nothing new or resolved at or above HIGH');
  });

  it('names a resolved finding beside its id in the digest, from the name the store kept', async () => {
    // Prepare
    const store = await tempStore();
    const named = finding(1, 'HIGH');
    named.resource = { ...named.resource, name: 'legacy-churn-notebook' };
    const result = auditResult([named]);
    await (await runLifecycle({ result, store, suppressions: [], now: NOW })).tell({ by: 'report' });
    // Act
    const later = await runLifecycle({
      result: auditResult([], { run: { ...result.run, id: 'run-2' } }),
      store,
      suppressions: [],
      now: new Date(NOW.getTime() + 3_600_000),
    });
    const told = await later.tell(DIGEST);
    // Assess
    expect(later.counts.resolved).toBe(1);
    expect(JSON.stringify(told.digest)).toContain(`legacy-churn-notebook (${named.resource.id})`);
  });

  it('without a store says no finding reached the threshold when there is nothing to tell', async () => {
    // Act
    const life = await runLifecycle({ result: auditResult([finding(1, 'LOW')]), suppressions: [], now: NOW });
    // Assess
    expect(await life.tell(DIGEST)).toMatchObject({ skipped: 'no finding at or above HIGH' });
  });
});
