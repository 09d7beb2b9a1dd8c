/**
 * Inputs the CLI used to accept silently (issue 12): empty list items, lenient numbers, account flags
 * a snapshot ignores, suppressions that match no rule, a `rule: "*"` that hid coverage gaps.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIST_CAPS } from '../../../src/config.ts';
import type { AuditResult } from '../../../src/result.ts';
import { runMain } from '../../fixtures/cli.ts';

const cli = runMain;

const DEMO = ['audit', '--snapshot', 'events/demo-snapshot.json'];

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mlna-inputs-')), name);
  writeFileSync(path, text);
  return path;
}

describe('list flags', () => {
  it.each(['', 'us-east-1,,', ',us-east-1', ' , '])(
    'refuses --regions %j, naming --regions',
    async (value) => {
      // Act
      const r = await cli(...DEMO, '--regions', value);
      // Assess
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--regions: (is empty|item \d+ of .* is empty)/);
      expect(r.stdout).toBe('');
    },
  );

  it('refuses more --rules than the cap, naming the flag and the cap', async () => {
    // Act
    const r = await cli(
      ...DEMO,
      '--rules',
      Array(LIST_CAPS.rules + 1)
        .fill('sg-*')
        .join(','),
    );
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--rules: at most ${LIST_CAPS.rules} items`);
  });

  it('refuses more --regions than the cap', async () => {
    const r = await cli(
      ...DEMO,
      '--regions',
      Array(LIST_CAPS.regions + 1)
        .fill('us-east-1')
        .join(','),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--regions: at most ${LIST_CAPS.regions} items`);
  });

  it('de-duplicates --rules', async () => {
    // Act
    const r = await cli(...DEMO, '--format', 'json', '--rules', 'audit-coverage-gap,audit-coverage-gap');
    // Assess
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as AuditResult).run.rules).toEqual(['audit-coverage-gap']);
  });
});

describe('number flags take decimal digits only', () => {
  it.each([
    ['--job-window-days', '0x10'],
    ['--job-window-days', '1e1'],
    ['--job-window-days', ' 16'],
    ['--job-window-days', ''],
    ['--max-jobs', '1e3'],
    ['--concurrency', '0b11'],
    ['--time-budget', '10.0'],
    ['--max-attempts', '+3'],
    ['--account-concurrency', '0o7'],
  ])('refuses %s %j with exit 2, naming the flag', async (flag, value) => {
    // Act
    const r = await cli('collect', '--output', '/nonexistent-dir/x.json', flag, value);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${flag} must be a whole number in decimal digits`);
  });
});

describe('--snapshot and the flags it cannot honour', () => {
  it('audits only the snapshot scopes of --regions', async () => {
    // Act
    const r = await cli(...DEMO, '--format', 'json', '--regions', 'us-west-2', '--scope', 'account');
    const doc = JSON.parse(r.stdout) as AuditResult;
    // Assess
    expect(r.code).toBe(0);
    expect(doc.run.regions).toEqual(['us-west-2']);
    expect(doc.findings.length).toBeGreaterThan(0);
    expect(new Set(doc.findings.map((f) => f.region))).toEqual(new Set(['us-west-2']));
    expect(doc.coverage).toEqual([]);
  });

  it('refuses a --regions region the snapshot does not hold, instead of a clean report', async () => {
    // Act
    const r = await cli(...DEMO, '--regions', 'us-east-1,eu-west-1');
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--regions: the snapshot holds no scope in eu-west-1');
    expect(r.stdout).toBe('');
  });

  it('warns that collection flags are ignored', async () => {
    const r = await cli(...DEMO, '--format', 'json', '--job-window-days', '7', '--time-budget', '5');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: --job-window-days, --time-budget ignored with --snapshot');
  });
});

describe('suppressions', () => {
  it('warns on stderr about a suppression whose rule matches no rule, naming it', async () => {
    // Prepare
    const s = file('s.yaml', '- rule: sg-wrold-*\n  reason: typo\n- rule: "sg-*"\n  reason: ok\n');
    // Act
    const r = await cli(...DEMO, '--format', 'json', '--suppressions', s);
    // Assess
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'warning: suppression #1 sg-wrold-* matches no rule (rule "sg-wrold-*"): it suppresses nothing',
    );
    expect(r.stderr).not.toContain('#2');
  });

  it('never lets rule "*" suppress a coverage gap, so --fail-on still fires on it', async () => {
    // Prepare
    const everything = file('all.yaml', '- rule: "*"\n  reason: accept everything\n');
    const named = file('gap.yaml', '- rule: audit-coverage-gap\n  reason: known gap\n');
    const args = [...DEMO, '--format', 'json', '--rules', 'audit-coverage-gap', '--fail-on', 'medium'];
    // Act
    const wide = await cli(...args, '--suppressions', everything);
    const byName = await cli(...args, '--suppressions', named);
    // Assess
    expect(wide.code).toBe(3);
    expect((JSON.parse(wide.stdout) as AuditResult).findings.map((f) => f.ruleId)).toEqual([
      'audit-coverage-gap',
    ]);
    expect(byName.code).toBe(0);
    expect((JSON.parse(byName.stdout) as AuditResult).suppressed?.map((f) => f.ruleId)).toEqual([
      'audit-coverage-gap',
    ]);
  });
});
