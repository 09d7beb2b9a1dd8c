import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashTagValue } from '../../../src/inventory/tags.ts';
import type { AuditResult } from '../../../src/result.ts';
import { runMain } from '../../fixtures/cli.ts';

const cli = runMain;

const DEMO = 'events/demo-snapshot.json';
const dir = () => mkdtempSync(join(tmpdir(), 'mlna-cli-state-'));

describe('audit --state FILE', () => {
  it('records every finding as NEW on the first run and as OPEN on the next, with nothing new', async () => {
    // Prepare
    const file = join(dir(), 'state.json');
    // Act
    const first = await cli('audit', '--snapshot', DEMO, '--format', 'json', '--state', file);
    const saved1 = JSON.parse(readFileSync(file, 'utf8'));
    const second = await cli('audit', '--snapshot', DEMO, '--format', 'json', '--state', file);
    const saved2 = JSON.parse(readFileSync(file, 'utf8'));
    // Assess
    const result = JSON.parse(first.stdout) as AuditResult;
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`state ${file}: ${result.summary.findings} new, 0 resolved`);
    expect(saved1.items).toHaveLength(result.summary.findings);
    expect(new Set(saved1.items.map((s: { status: string }) => s.status))).toEqual(new Set(['NEW']));
    expect(second.stderr).toContain(`state ${file}: 0 new, 0 resolved, ${result.summary.findings} open`);
    expect(new Set(saved2.items.map((s: { status: string }) => s.status))).toEqual(new Set(['OPEN']));
  });

  it('rejects an invalid state file with exit 2 and the field', async () => {
    // Prepare
    const file = join(dir(), 'state.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, items: [{ fingerprint: 1 }] }));
    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--state', file);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('items[0].account');
  });
});

describe('audit --suppressions FILE', () => {
  it('takes a suppressed finding out of the report and out of --fail-on', async () => {
    // Prepare
    const base = JSON.parse(
      (await cli('audit', '--snapshot', DEMO, '--format', 'json')).stdout,
    ) as AuditResult;
    const target = base.findings.find((f) => f.status === 'FAIL' && f.severity === 'CRITICAL')!;
    const file = join(dir(), 'suppressions.yaml');
    writeFileSync(
      file,
      [
        '- rule: "' + target.ruleId + '"',
        `  resource: "${target.resource.arn}"`,
        '  reason: accepted by the platform team (ticket SEC-42)',
        '  expires: 2999-01-01',
      ].join('\n'),
    );
    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'json', '--suppressions', file);
    // Assess
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(r.code).toBe(0);
    expect(result.findings.map((f) => f.fingerprint)).not.toContain(target.fingerprint);
    expect(result.summary.bySeverity.CRITICAL).toBe(base.summary.bySeverity.CRITICAL - 1);
    expect(r.stderr).toContain('suppressed 1 finding(s)');
    expect(result.suppressed).toEqual([
      expect.objectContaining({
        fingerprint: target.fingerprint,
        status: 'SUPPRESSED',
        suppression: {
          id: expect.stringContaining(target.ruleId),
          reason: 'accepted by the platform team (ticket SEC-42)',
          expires: '2999-01-01T00:00:00.000Z',
        },
      }),
    ]);
  });

  it('marks each reported finding with its lifecycle status when a state file is kept', async () => {
    // Prepare
    const file = join(dir(), 'state.json');
    // Act
    const first = JSON.parse(
      (await cli('audit', '--snapshot', DEMO, '--format', 'json', '--state', file)).stdout,
    );
    const second = JSON.parse(
      (await cli('audit', '--snapshot', DEMO, '--format', 'json', '--state', file)).stdout,
    );
    // Assess
    const failing = (r: AuditResult) =>
      r.findings.filter((f) => f.status === 'FAIL') as { lifecycle?: string }[];
    expect(new Set(failing(first).map((f) => f.lifecycle))).toEqual(new Set(['NEW']));
    expect(new Set(failing(second).map((f) => f.lifecycle))).toEqual(new Set(['OPEN']));
  });

  it.each([
    ['- rule: "sg-*"\n  resource: sg-1\n', 'suppressions[0] (rule "sg-*"): reason: is required'],
    ['- rule: "sg-*"\n  reason: ok\n  expires: someday\n', 'expires: "someday" is not a date'],
    [
      '- rule: "sg-*"\n  reason: ok\n  resouce: sg-1\n',
      'suppressions[0] (rule "sg-*"): (root): Unrecognized key: "resouce"',
    ],
    [
      '- rule: "sg-*"\n  reason: ok\n  tags: { cost-center: 4711 }\n',
      'suppressions[0] (rule "sg-*"): tags.cost-center: the value must be a string',
    ],
    ['- [unclosed\n', 'not YAML or JSON'],
  ])('fails with exit 2 on a malformed file, naming the entry: %j', async (text, message) => {
    // Prepare
    const file = join(dir(), 'suppressions.yaml');
    writeFileSync(file, text);
    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--suppressions', file);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it("suppresses by tags on the snapshot's resources only, and prints no tag value", async () => {
    // Prepare: three groups fail the same rule; one has both tags, one a different team, one no tags read.
    const SECRET = 'SENTINEL-cli-tag-value-0c3d';
    const rule = 'sg-world-ingress-admin-port';
    const snap = JSON.parse(readFileSync(DEMO, 'utf8'));
    const group = (id: string) =>
      snap.regions
        .flatMap((s: { securityGroups: { groupId: string }[] }) => s.securityGroups)
        .find((g: { groupId: string }) => g.groupId === id);
    group('sg-0debug00000000004').tags = { owner: hashTagValue(SECRET), team: hashTagValue('ml') };
    group('sg-0legacyssh0000003').tags = { owner: hashTagValue(SECRET), team: hashTagValue('data') };
    const d = dir();
    const snapshot = join(d, 'tagged.json');
    writeFileSync(snapshot, JSON.stringify(snap));
    const file = join(d, 'suppressions.yaml');
    writeFileSync(
      file,
      `- rule: ${rule}\n  tags: {team: ml, owner: "${SECRET}"}\n  reason: debug box of the ML team (SEC-7)\n`,
    );
    // Act
    const r = await cli(
      'audit',
      '--snapshot',
      snapshot,
      '--format',
      'json',
      '--scope',
      'account',
      '--suppressions',
      file,
    );
    // Assess
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(r.code, r.stderr).toBe(0);
    const failing = result.findings.filter((f) => f.ruleId === rule).map((f) => f.resource.id);
    expect(failing.sort()).toEqual(['sg-0legacyssh0000003', 'sg-0westrdp00000001']);
    expect(r.stderr).toContain('suppressed 1 finding(s)');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('rejects a malformed file before collecting anything from AWS', async () => {
    // Prepare: no region anywhere, so collecting first would fail with "no AWS region configured".
    const file = join(dir(), 'suppressions.yaml');
    writeFileSync(file, '- rule: "sg-*"\n  resource: sg-1\n');
    const saved = { ...process.env };
    for (const k of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[k];
    Object.assign(process.env, { AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' });
    // Act
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      r = await cli('audit', '--suppressions', file);
    } finally {
      process.env = saved;
    }
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('suppressions[0] (rule "sg-*"): reason: is required');
    expect(r.stderr).not.toContain('no AWS region configured');
  });
});
