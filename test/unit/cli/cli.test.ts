import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.ts';
import type { AuditResult } from '../../../src/result.ts';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

async function cli(...args: string[]) {
  const c = capture();
  const code = await main(['node', 'ml-network-audit', ...args], c.io);
  return { code, stdout: c.out(), stderr: c.err() };
}

const DEMO = 'events/demo-snapshot.json';

describe('audit --snapshot', () => {
  it('prints a table grouped by severity with counts, and exits 0 without --fail-on', async () => {
    // Act
    const r = await cli('audit', '--snapshot', DEMO);
    // Assess
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^CRITICAL \(3\)$/m);
    expect(r.stdout).toMatch(/^HIGH \(\d+\)$/m);
    expect(r.stdout).toContain('COVERAGE GAPS (1)');
    expect(r.stdout).toContain('sg-0legacyssh0000003');
  });

  it('writes the json document with findings, summary and coverage', async () => {
    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'json');
    const doc = JSON.parse(r.stdout) as AuditResult;
    // Assess
    expect(doc.schemaVersion).toBe(1);
    expect(doc.run).toMatchObject({
      source: 'snapshot',
      accounts: ['111122223333'],
      regions: ['us-east-1', 'us-west-2'],
    });
    expect(doc.summary.findings).toBe(doc.findings.filter((f) => f.status === 'FAIL').length);
    expect(doc.coverage).toHaveLength(1);
    expect(new Set(doc.findings.map((f) => f.fingerprint)).size).toBe(doc.findings.length);
  });

  it('exits 3 when a finding is at or above --fail-on, 0 when none is', async () => {
    expect((await cli('audit', '--snapshot', DEMO, '--format', 'json', '--fail-on', 'critical')).code).toBe(
      3,
    );
    expect(
      (
        await cli(
          'audit',
          '--snapshot',
          DEMO,
          '--format',
          'json',
          '--rules',
          'sagemaker-training-no-network-isolation',
          '--fail-on',
          'high',
        )
      ).code,
    ).toBe(0);
  });

  it('filters by --rules globs and --min-severity', async () => {
    // Act
    const r = await cli(
      'audit',
      '--snapshot',
      DEMO,
      '--format',
      'json',
      '--rules',
      'sg-world-ingress-a*',
      '--min-severity',
      'critical',
    );
    const doc = JSON.parse(r.stdout) as AuditResult;
    // Assess
    expect(doc.findings.map((f) => f.ruleId)).toEqual(['sg-world-ingress-all-ports']);
    expect(doc.run.rules).toEqual(['sg-world-ingress-all-ports', 'sg-world-ingress-admin-port']);
  });

  it('writes --output to a file and nothing to stdout', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'mlna-')), 'out.json');
    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'json', '--output', file);
    // Assess
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(1);
  });

  it('applies --rule-options', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'mlna-')), 'opts.json');
    writeFileSync(file, JSON.stringify({ 'sg-world-ingress-admin-port': { ports: [3389] } }));
    // Act
    const r = await cli(
      'audit',
      '--snapshot',
      DEMO,
      '--format',
      'json',
      '--scope',
      'account',
      '--rules',
      'sg-world-ingress-admin-port',
      '--rule-options',
      file,
    );
    const doc = JSON.parse(r.stdout) as AuditResult;
    // Assess: the SSH-only group is no longer reported, the RDP and all-open ones are.
    expect(doc.findings.map((f) => f.resource.id).sort()).toEqual([
      'sg-0debug00000000004',
      'sg-0westrdp00000001',
    ]);
  });
});

describe('bad input exits 2 with a message naming what is wrong', () => {
  it.each([
    [['audit', '--format', 'xml'], /--format/],
    [['audit', '--fail-on', 'severe'], /--fail-on must be one of/],
    [['audit', '--min-severity', 'x'], /--min-severity/],
    [['audit', '--job-window-days', '0'], /--job-window-days must be a whole number/],
    [['audit', '--concurrency', 'lots'], /--concurrency/],
    [['audit', '--regions', 'us-east-1,not a region'], /--regions.*is not an AWS region name/],
    [['audit', '--rules', 'no-such-rule'], /--rules.*matches no rule/],
    [['audit', '--snapshot', 'does-not-exist.json'], /cannot read snapshot does-not-exist\.json/],
    [['collect'], /--output/],
    [['frobnicate'], /unknown command/],
  ])('%j', async (args, message) => {
    // Act
    const r = await cli(...args);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('rejects an invalid snapshot naming the JSON path, and writes no report', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'mlna-'));
    const file = join(dir, 'bad.json');
    const snap = JSON.parse(readFileSync(DEMO, 'utf8'));
    snap.regions[0].networkAcls[0].entries[0].ruleAction = 'maybe';
    writeFileSync(file, JSON.stringify(snap));
    // Act
    const r = await cli('audit', '--snapshot', file, '--output', join(dir, 'report.txt'));
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.regions[0].networkAcls[0].entries[0].ruleAction');
    expect(() => readFileSync(join(dir, 'report.txt'))).toThrow();
  });

  it('rejects --rule-options for an unknown rule or a bad option value', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'mlna-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ 'no-such-rule': {} }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ 'sg-world-ingress-admin-port': { ports: ['ssh'] } }));
    // Act
    const a = await cli('audit', '--snapshot', DEMO, '--rule-options', join(dir, 'a.json'));
    const b = await cli('audit', '--snapshot', DEMO, '--rule-options', join(dir, 'b.json'));
    // Assess
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('no-such-rule: no rule has this id');
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('sg-world-ingress-admin-port.ports[0]');
  });
});

describe('rules', () => {
  it('lists every rule with its metadata and option defaults as json', async () => {
    // Act
    const r = await cli('rules', '--format', 'json');
    const rules = JSON.parse(r.stdout) as {
      id: string;
      options: Record<string, unknown>;
      remediation: string;
    }[];
    // Assess
    expect(r.code).toBe(0);
    expect(rules.map((x) => x.id)).toContain('nacl-world-ingress-admin-port');
    expect(rules.find((x) => x.id === 'sg-world-ingress-admin-port')?.options).toEqual({ ports: [22, 3389] });
    expect(rules.every((x) => x.remediation.length > 0)).toBe(true);
  });

  it('lists rules as a table by default', async () => {
    const r = await cli('rules');
    expect(r.stdout).toMatch(/^sg-world-ingress-all-ports\s+CRITICAL/m);
  });
});

describe('--help and --version', () => {
  it('exit 0', async () => {
    expect((await cli('--version')).code).toBe(0);
    expect((await cli('audit', '--help')).code).toBe(0);
  });
});
