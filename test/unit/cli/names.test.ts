import { describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOT, runCli } from '../../fixtures/cli.ts';

interface Doc {
  findings: {
    ruleId: string;
    resource: { id: string; name?: string };
    evidence: { paths?: { hops: { id: string; name?: string }[]; names?: Record<string, string> }[] };
  }[];
  exposure: { inbound: { paths: { names?: Record<string, string> }[] } }[];
}

async function demoJson(...extra: string[]): Promise<Doc> {
  const r = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--format', 'json', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Doc;
}

describe('names beside ids', () => {
  it('names an EC2 finding by its Name tag, and keeps a group named by its group name', async () => {
    // Act
    const doc = await demoJson();
    // Assess
    const byId = new Map(doc.findings.map((f) => [f.resource.id, f.resource.name]));
    expect(byId.get('vpc-0d3fa017c0ffee002')).toBe('legacy-default');
    expect(byId.get('sg-0debug00000000004')).toBe('debug-open-all');
  });

  it('puts names on the hops and paths of a reach finding, beside unchanged texts', async () => {
    // Act
    const doc = await demoJson();
    // Assess
    const reach = doc.findings.find((f) => f.ruleId === 'reach-internet-to-ml');
    const path = reach?.evidence.paths?.[0];
    expect(path?.names).toMatchObject({
      'igw-0def0000000000002': 'legacy-igw',
      'acl-0legacy000000003': 'legacy-public',
      'sg-0legacyssh0000003': 'legacy-notebook-ssh',
      'subnet-0legacy0000000a07': 'legacy-public-a',
    });
    expect(path?.hops.find((h) => h.id === 'acl-0legacy000000003')?.name).toBe('legacy-public');
    expect(doc.exposure.some((e) => e.inbound.paths.some((p) => p.names?.['igw-0def0000000000002']))).toBe(
      true,
    );
  });

  it('shows no Name with --hash-names: names fall back to ids (group names stay)', async () => {
    // Act
    const doc = await demoJson('--hash-names');
    // Assess
    const text = JSON.stringify(doc);
    for (const name of ['legacy-default', 'legacy-igw', 'legacy-public-a', 'ml-platform-igw'])
      expect(text).not.toContain(`"${name}"`);
    expect(doc.findings.find((f) => f.resource.id === 'sg-0debug00000000004')?.resource.name).toBe(
      'debug-open-all',
    );
  });
});
