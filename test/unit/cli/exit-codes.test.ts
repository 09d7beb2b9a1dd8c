import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/inventory/schema.ts';
import { serializeSnapshot } from '../../../src/inventory/snapshot.ts';
import type { AuditResult } from '../../../src/result.ts';
import { runMain } from '../../fixtures/cli.ts';
import { inventory, scope } from '../../fixtures/inventory.ts';
import { kindGap, vpc } from '../../fixtures/network.ts';

const cli = runMain;

function snapshotFile(inv: Inventory): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mlna-exit-')), 'snap.json');
  writeFileSync(file, serializeSnapshot(inv));
  return file;
}

const DEMO = 'events/demo-snapshot.json';

describe('exit codes: a run that could not audit what it was asked', () => {
  it('writes the report, then exits 1 with one line, when the snapshot holds zero resources', async () => {
    // Prepare
    const file = snapshotFile(inventory(scope()));
    // Act
    const r = await cli('audit', '--snapshot', file, '--format', 'json');
    // Assess
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as AuditResult).summary.resourcesAudited).toBe(0);
    expect(r.stderr).toBe(
      'error: audited nothing: 0 resources read in 1 region(s) (111122223333 us-east-1)\n',
    );
  });

  it('exits 1 when every call failed in every scope of the snapshot', async () => {
    // Prepare
    const file = snapshotFile(inventory(scope({ gaps: [kindGap('vpcs', 'DescribeVpcs')] })));
    // Act
    const r = await cli('audit', '--snapshot', file);
    // Assess
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: audited nothing: every call failed in 111122223333 us-east-1 /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports the audited scopes, then exits 1 naming the scope where every call failed', async () => {
    // Prepare
    const file = snapshotFile(
      inventory(
        scope({ vpcs: [vpc('vpc-1')] }),
        scope({ gaps: [kindGap('vpcs', 'DescribeVpcs')] }, 'ap-east-1'),
      ),
    );
    // Act
    const r = await cli('audit', '--snapshot', file, '--format', 'json');
    // Assess
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as AuditResult).run.regions).toEqual(['ap-east-1', 'us-east-1']);
    expect(r.stderr).toMatch(/^error: not audited: every call failed in 111122223333 ap-east-1 /m);
  });
});

describe('exit codes: --fail-on-gaps', () => {
  it('exits 3 when the run recorded a coverage gap, and 0 without the flag', async () => {
    // Act
    const withFlag = await cli('audit', '--snapshot', DEMO, '--format', 'json', '--fail-on-gaps');
    const without = await cli('audit', '--snapshot', DEMO, '--format', 'json');
    // Assess
    expect((JSON.parse(withFlag.stdout) as AuditResult).summary.coverageGaps).toBeGreaterThan(0);
    expect(withFlag.code).toBe(3);
    expect(without.code).toBe(0);
  });

  it('exits 0 with --fail-on-gaps when no call failed', async () => {
    // Prepare
    const file = snapshotFile(inventory(scope({ vpcs: [vpc('vpc-1')] })));
    // Act
    const r = await cli('audit', '--snapshot', file, '--fail-on-gaps', '--scope', 'account');
    // Assess
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('the summary agrees with findings[]', () => {
  it('counts FAIL findings in summary.findings and NOT_EVALUATED in summary.notEvaluated: together findings.length', async () => {
    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'json', '--scope', 'account');
    const doc = JSON.parse(r.stdout) as AuditResult;
    // Assess
    const fail = doc.findings.filter((f) => f.status === 'FAIL').length;
    const notEvaluated = doc.findings.filter((f) => f.status === 'NOT_EVALUATED').length;
    expect(doc.summary.findings).toBe(fail);
    expect(doc.summary.notEvaluated).toBe(notEvaluated);
    expect(doc.summary.findings + doc.summary.notEvaluated).toBe(doc.findings.length);
    expect(Object.values(doc.summary.bySeverity).reduce((a, b) => a + b, 0)).toBe(fail);
  });
});
