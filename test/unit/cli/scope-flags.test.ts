import { describe, expect, it } from 'vitest';
import type { AuditResult } from '../../../src/result.ts';
import { runMain } from '../../fixtures/cli.ts';

const cli = runMain;

const DEMO = ['audit', '--snapshot', 'events/demo-snapshot.json', '--format', 'json'];

describe('--scope', () => {
  it('reports by default only the network around ML: the demo VPC without ML (us-west-2) drops out', async () => {
    // Act
    const ml = JSON.parse((await cli(...DEMO)).stdout) as AuditResult;
    const account = JSON.parse((await cli(...DEMO, '--scope', 'account')).stdout) as AuditResult;
    // Assess
    const key = (f: AuditResult['findings'][number]) => `${f.ruleId} ${f.resource.id}`;
    const inMl = new Set(ml.findings.map(key));
    const dropped = account.findings.filter((f) => !inMl.has(key(f)));
    expect(dropped.map(key).sort()).toEqual([
      'nacl-world-ingress-all acl-0westdefault0001',
      'sg-unused sg-0westoffice0002',
      'sg-unused sg-0westrdp00000001',
      'sg-world-ingress-admin-port sg-0westrdp00000001',
      'sg-world-ingress-unauthorized-port sg-0westrdp00000001',
    ]);
    expect(ml.run.scope).toEqual({ mode: 'ml', findingsOutOfScope: 5 });
    expect(account.run.scope).toEqual({ mode: 'account', findingsOutOfScope: 0 });
    expect(ml.summary.findings).toBe(account.summary.findings - 5);
  });

  it('refuses a scope that is neither ml nor account (exit 2)', async () => {
    // Act
    const r = await cli(...DEMO, '--scope', 'vpc');
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--scope <scope>' argument 'vpc' is invalid");
  });
});

describe('--exclude-rules', () => {
  it('leaves out the rules it names, by id or glob', async () => {
    // Act
    const r = await cli(...DEMO, '--exclude-rules', 'sg-*,nacl-shadowed-rule');
    const doc = JSON.parse(r.stdout) as AuditResult;
    // Assess
    expect(r.code).toBe(0);
    expect(doc.run.rules.filter((id) => id.startsWith('sg-') || id === 'nacl-shadowed-rule')).toEqual([]);
    expect(doc.run.rules).toContain('nacl-world-ingress-all');
    expect(doc.findings.filter((f) => f.ruleId.startsWith('sg-'))).toEqual([]);
  });

  it('refuses a pattern that matches no rule, and an exclusion that leaves nothing, naming the flag (exit 2)', async () => {
    // Act
    const typo = await cli(...DEMO, '--exclude-rules', 'sg-wrold-*');
    const all = await cli(...DEMO, '--rules', 'sg-*', '--exclude-rules', 'sg-*');
    // Assess
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/--exclude-rules.*"sg-wrold-\*" matches no rule/);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain('--exclude-rules: leaves no rule to run');
  });
});

describe('--profile', () => {
  it('is a collection flag: ignored with a warning on a snapshot', async () => {
    // Act
    const r = await cli(...DEMO, '--profile', 'prod');
    // Assess
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: --profile ignored with --snapshot');
  });

  it('refuses what cannot be a profile name (exit 2)', async () => {
    // Act
    const r = await cli(...DEMO, '--profile', 'two words');
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--profile must be a profile name');
  });
});
