/**
 * Two runs on one `--state` file take turns (issue 12 point 8): nothing lost, nothing told twice.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../../src/result.ts';
import { runMain } from '../../fixtures/cli.ts';

const cli = runMain;

function child(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/ml-network-audit.js', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const DEMO = 'events/demo-snapshot.json';
const stateFile = () => join(mkdtempSync(join(tmpdir(), 'mlna-cli-lock-')), 'state.json');

/** The lifecycle the runs' reports gave each finding, by fingerprint. */
function told(stdouts: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const text of stdouts) {
    for (const f of (JSON.parse(text) as AuditResult).findings) {
      if (f.status !== 'FAIL') continue;
      out.set(f.fingerprint, [
        ...(out.get(f.fingerprint) ?? []),
        String((f as { lifecycle?: string }).lifecycle),
      ]);
    }
  }
  return out;
}

function expectToldOnce(file: string, stdouts: string[]) {
  const results = stdouts.map((s) => JSON.parse(s) as AuditResult);
  const findings = results[0]?.summary.findings ?? 0;
  const byFinding = told(stdouts);
  // Every finding is in both reports: NEW in exactly one, OPEN in the other.
  expect(byFinding.size).toBe(findings);
  for (const lifecycles of byFinding.values()) expect(lifecycles.sort()).toEqual(['NEW', 'OPEN']);
  // And stored once each, as told.
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  expect(saved.items).toHaveLength(findings);
  expect(saved.items.every((s: { pending?: string }) => s.pending === undefined)).toBe(true);
  expect(existsSync(`${file}.lock`)).toBe(false);
}

describe('two runs on one --state file', () => {
  it('in one process: the second reads what the first wrote, so each finding is new exactly once', async () => {
    // Prepare
    const file = stateFile();
    const args = ['audit', '--snapshot', DEMO, '--format', 'json', '--state', file];
    // Act
    const runs = await Promise.all([cli(...args), cli(...args)]);
    // Assess
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const notes = runs.map((r) => /state .*: (\d+) new/.exec(r.stderr)?.[1]).sort();
    expect(notes[0]).toBe('0');
    expect(Number(notes[1])).toBeGreaterThan(0);
    expectToldOnce(
      file,
      runs.map((r) => r.stdout),
    );
  });

  it('in two processes: the same', async () => {
    // Prepare
    const file = stateFile();
    const args = ['audit', '--snapshot', DEMO, '--format', 'json', '--state', file];
    // Act
    const runs = await Promise.all([child(...args), child(...args)]);
    // Assess
    expect(
      runs.map((r) => r.code),
      runs.map((r) => r.stderr).join('\n'),
    ).toEqual([0, 0]);
    expectToldOnce(
      file,
      runs.map((r) => r.stdout),
    );
  }, 30_000);
});
