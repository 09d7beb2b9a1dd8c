import { describe, expect, it } from 'vitest';
import { DEMO_SNAPSHOT, runCli } from '../../fixtures/cli.ts';

interface Doc {
  findings: { ruleId: string; fingerprint: string; resource: { id: string } }[];
}

async function demoFindings(): Promise<Doc['findings']> {
  const r = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--format', 'json']);
  return (JSON.parse(r.stdout) as Doc).findings;
}

/** The output with wrapped lines joined back (a continuation line starts with more indent). */
function unwrapped(text: string): string {
  return text.replace(/\n {4,}(?![←→-] )/g, ' ');
}

describe('explain <fingerprint> on a reach-internet-to-ml finding of the demo', () => {
  it('walks the internet gateway, the route, the NACL rule and the security-group rule to the notebook, and back', async () => {
    // Prepare
    const reach = (await demoFindings()).find((f) => f.ruleId === 'reach-internet-to-ml');
    expect(reach).toBeDefined();
    // Act
    const r = await runCli(['explain', reach?.fingerprint ?? '', '--snapshot', DEMO_SNAPSHOT]);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    const text = unwrapped(r.stdout);
    expect(text).toContain('reach-internet-to-ml · CRITICAL · FAIL');
    const forward = [
      '  the internet, on tcp 22',
      '  → igw-0def0000000000002 (legacy-igw): internet gateway igw-0def0000000000002',
      '  → rtb-0defmain000000006 (legacy-main): main route table of subnet-0legacy0000000a07: route 0.0.0.0/0 to igw-0def0000000000002',
      '  → acl-0legacy000000003 (legacy-public): network ACL admits it by inbound rule 100 (allow tcp 22 from 0.0.0.0/0)',
      '  → sg-0legacyssh0000003 (legacy-notebook-ssh): security group admits tcp/22 from 0.0.0.0/0 [sgr-0legacy22in0001]',
    ];
    let at = -1;
    for (const step of forward) {
      const next = text.indexOf(step);
      expect(next, step).toBeGreaterThan(at);
      at = next;
    }
    expect(text.indexOf('Return leg:')).toBeGreaterThan(at);
    expect(text).toContain(
      '← acl-0legacy000000003 (legacy-public): network ACL lets the reply out by outbound rule 100 (allow all traffic to 0.0.0.0/0) (ephemeral ports 1024-65535)',
    );
  });

  it('accepts the first 8 digits of a fingerprint', async () => {
    // Prepare
    const reach = (await demoFindings()).find((f) => f.ruleId === 'reach-internet-to-ml');
    // Act
    const r = await runCli(['explain', reach?.fingerprint.slice(0, 8) ?? '', '--snapshot', DEMO_SNAPSHOT]);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('reach-internet-to-ml');
  });
});

describe('explain <resource>', () => {
  it('shows every path of an ML resource: in, out with its firewall, private API paths, its findings', async () => {
    // Act
    const r = await runCli(['explain', 'd-mlplatform01', '--snapshot', DEMO_SNAPSHOT]);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    const text = unwrapped(r.stdout);
    expect(text).toContain('domain d-mlplatform01 (ml-platform)');
    expect(text).toContain('In from the internet: none.');
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Path out 1 of 2: to internet via igw-0ml00000000000001, tcp 80, 443 (inspected by ml-egress-firewall)',
    );
    expect(text).toContain('→ nat-0ml000000000000001 (ml-platform-nat-a): NAT gateway');
    expect(text).toContain('PRIVATE API PATHS');
    expect(text).toMatch(/sts via Interface endpoint vpce-\w+(, private DNS)?: policy full/);
    expect(text).toMatch(/FINDINGS \(\d+\)/);
  });

  it('finds an ML resource by its name and by its ARN', async () => {
    // Act
    const byName = await runCli(['explain', 'legacy-churn-notebook', '--snapshot', DEMO_SNAPSHOT]);
    const byArn = await runCli([
      'explain',
      'arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/legacy-churn-notebook',
      '--snapshot',
      DEMO_SNAPSHOT,
    ]);
    // Assess
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stdout).toContain('Path in 1 of 1: through igw-0def0000000000002');
    expect(byArn.stdout).toBe(byName.stdout);
  });

  it('explains each finding on a resource that is not an ML resource', async () => {
    // Act
    const r = await runCli(['explain', 'sg-0debug00000000004', '--snapshot', DEMO_SNAPSHOT]);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sg-world-ingress-all-ports · CRITICAL · FAIL');
    expect(r.stdout).toContain('- ruleId sgr-0debugall4in001, direction ingress');
  });

  it('refuses an id it does not know, with exit 2 and no stack trace', async () => {
    // Act
    const r = await runCli(['explain', 'vpc-0doesnotexist', '--snapshot', DEMO_SNAPSHOT]);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: explain: "vpc-0doesnotexist" is no fingerprint of this run/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('rules <id>', () => {
  it("prints one rule's full documentation", async () => {
    // Act
    const r = await runCli(['rules', 'reach-internet-to-ml']);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    const text = unwrapped(r.stdout);
    expect(text).toContain('reach-internet-to-ml · CRITICAL · reachability');
    expect(text).toContain('Why it matters. A notebook, Studio app, job or model container');
    expect(text).toContain('Remediation. Remove the public address');
    expect(text).toMatch(/Does not fail: resources with network isolation/);
  });

  it('prints one rule as JSON with --format json', async () => {
    // Act
    const r = await runCli(['rules', 'sg-world-ingress-admin-port', '--format', 'json']);
    // Assess
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'sg-world-ingress-admin-port', severity: 'HIGH' });
  });

  it('refuses an unknown rule id with exit 2', async () => {
    // Act
    const r = await runCli(['rules', 'no-such-rule']);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no rule "no-such-rule"/);
  });
});
