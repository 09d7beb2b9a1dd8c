import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatTable, notEvaluatedByCause } from '../../../src/report/formats/table.ts';
import { colorWanted, terminalWidth } from '../../../src/report/terminal.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';
import { DEMO_SNAPSHOT, runCli } from '../../fixtures/cli.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: an ANSI escape is what is looked for
const ESC = /\x1b\[/;

function widest(text: string): number {
  return Math.max(...text.split('\n').map((l) => stringWidth(l)));
}

describe('the table fits the terminal', () => {
  beforeEach(() => {
    vi.stubEnv('NO_COLOR', undefined);
    vi.stubEnv('FORCE_COLOR', undefined);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([100, 60, 200])('prints no demo line wider than COLUMNS=%i', async (columns) => {
    // Prepare
    vi.stubEnv('COLUMNS', String(columns));
    // Act
    const r = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--fail-on', 'none']);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(100);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    expect(widest(r.stdout)).toBeGreaterThan(columns - 15);
  });

  it('wraps at word boundaries: every word of a long message survives whole', () => {
    // Prepare
    const long = finding(1, 'HIGH', {
      message: `Security group sg-00000001 admits ${Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ')}.`,
    });
    // Act
    const text = formatTable(auditResult([long]), { color: false, width: 60 });
    // Assess
    for (let i = 0; i < 40; i++) expect(text).toMatch(new RegExp(`(^| )word${i}( |\\.|$)`, 'm'));
    expect(widest(text)).toBeLessThanOrEqual(60);
  });

  it('breaks a word longer than the line (an ARN) rather than overflow', () => {
    // Prepare
    const arn = `arn:aws:iam::111122223333:role/${'x'.repeat(120)}`;
    const f = finding(1, 'HIGH', { message: `Role ${arn} is used.` });
    // Act
    const text = formatTable(auditResult([f]), { color: false, width: 50 });
    // Assess
    expect(widest(text)).toBeLessThanOrEqual(50);
  });

  it('reads the width from the terminal, else COLUMNS, else 100', () => {
    expect(terminalWidth({ isTTY: true, columns: 132 }, { COLUMNS: '80' })).toBe(132);
    expect(terminalWidth({ isTTY: false, columns: 132 }, { COLUMNS: '80' })).toBe(80);
    expect(terminalWidth(undefined, { COLUMNS: 'wide' })).toBe(100);
    expect(terminalWidth(undefined, {})).toBe(100);
  });
});

describe('colour', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('prints no escape with NO_COLOR on a terminal', async () => {
    // Prepare
    vi.stubEnv('NO_COLOR', '1');
    vi.stubEnv('FORCE_COLOR', undefined);
    // Act
    const r = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--fail-on', 'none'], {
      tty: true,
      env: { NO_COLOR: '1', TERM: 'xterm-256color' },
    });
    // Assess
    expect(r.stdout).toContain('CRITICAL (3)');
    expect(r.stdout).not.toMatch(ESC);
  });

  it('colours on a terminal, and not when the output is not one', async () => {
    // Prepare
    vi.stubEnv('NO_COLOR', undefined);
    vi.stubEnv('FORCE_COLOR', undefined);
    vi.stubEnv('TERM', 'xterm-256color');
    // Act
    const env = { TERM: 'xterm-256color' };
    const tty = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--fail-on', 'none'], { tty: true, env });
    const pipe = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--fail-on', 'none'], { env });
    // Assess
    expect(tty.stdout).toMatch(ESC);
    expect(pipe.stdout).not.toMatch(ESC);
  });

  it('honours FORCE_COLOR when the output is not a terminal, and --no-color over it', async () => {
    // Prepare
    vi.stubEnv('NO_COLOR', undefined);
    vi.stubEnv('FORCE_COLOR', '1');
    // Act
    const env = { FORCE_COLOR: '1' };
    const forced = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--fail-on', 'none'], { env });
    const refused = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--fail-on', 'none', '--no-color'], {
      env,
    });
    // Assess
    expect(forced.stdout).toMatch(ESC);
    expect(refused.stdout).not.toMatch(ESC);
  });

  it('decides by NO_COLOR, then FORCE_COLOR, then TERM=dumb, then the terminal', () => {
    expect(colorWanted({ tty: true, flag: true, env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).toBe(false);
    expect(colorWanted({ tty: true, flag: true, env: { NO_COLOR: '' } })).toBe(true);
    expect(colorWanted({ tty: false, flag: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(colorWanted({ tty: true, flag: true, env: { TERM: 'dumb' } })).toBe(false);
    expect(colorWanted({ tty: true, flag: false, env: { FORCE_COLOR: '1' } })).toBe(false);
  });
});

describe('NOT EVALUATED, grouped by cause', () => {
  const gap = {
    service: 'sagemaker',
    operation: 'ListUserProfiles',
    kind: 'sagemakerUserProfiles',
    errorCode: 'AccessDenied',
    message: 'denied',
  };
  const notEvaluated = (ruleId: string, domain: string) =>
    finding(0, 'HIGH', {
      ruleId,
      status: 'NOT_EVALUATED',
      resource: {
        type: 'AWS::SageMaker::Domain',
        id: domain,
        arn: `arn:aws:sagemaker:us-east-1:111122223333:domain/${domain}`,
      },
      message: `Not evaluated for ${domain}.`,
      evidence: { gap: { ...gap, resourceId: domain } },
    });

  it('says each failed call once, with how many rules it left unevaluated on how many resources', () => {
    // Prepare
    const findings = [
      notEvaluated('sagemaker-a', 'd-1'),
      notEvaluated('sagemaker-b', 'd-1'),
      notEvaluated('sagemaker-c', 'd-2'),
      notEvaluated('sagemaker-a', 'd-2'),
    ];
    // Act
    const lines = notEvaluatedByCause(findings);
    // Assess
    expect(lines).toEqual([
      'sagemaker:ListUserProfiles failed (AccessDenied): 3 rules not evaluated on 2 domains in us-east-1 (sagemaker-a, sagemaker-b, sagemaker-c)',
    ]);
  });

  it('prints one line per cause in the table, not one per rule and resource', () => {
    // Prepare
    const findings = [
      notEvaluated('sagemaker-a', 'd-1'),
      notEvaluated('sagemaker-b', 'd-2'),
      { ...notEvaluated('reach-x', 'd-3'), evidence: { error: 'boom' } },
    ];
    // Act
    const text = formatTable(auditResult(findings), { color: false, width: 200 });
    // Assess
    const section = text.slice(text.indexOf('NOT EVALUATED'));
    expect(section.split('\n').filter((l) => l.startsWith('  '))).toEqual([
      '  sagemaker:ListUserProfiles failed (AccessDenied): 2 rules not evaluated on 2 domains in us-east-1 (sagemaker-a, sagemaker-b)',
      '  rule reach-x failed (boom): 1 rule not evaluated on 1 domain in us-east-1 (reach-x)',
    ]);
  });
});

describe('the table with many accounts', () => {
  it('adds an account column when more than one account was audited', () => {
    // Prepare
    const a = finding(1, 'HIGH');
    const b = finding(2, 'HIGH', { account: '444455556666' });
    const base = auditResult([a, b]);
    const result = { ...base, run: { ...base.run, accounts: ['111122223333', '444455556666'] } };
    // Act
    const text = formatTable(result, { color: false });
    // Assess
    expect(text).toContain('    111122223333  us-east-1  sg-00000001');
    expect(text).toContain('    444455556666  us-east-1  sg-00000002');
  });

  it('leaves the account out with one account', () => {
    // Act
    const text = formatTable(auditResult([finding(1, 'HIGH')]), { color: false });
    // Assess
    expect(text).toContain('    us-east-1  sg-00000001');
    expect(text).not.toContain('111122223333  us-east-1');
  });
});

describe('reach findings in the table', () => {
  it('carry their path on one line, with names beside ids, ending at the resource', async () => {
    // Act
    const r = await runCli(['audit', '--snapshot', DEMO_SNAPSHOT, '--rules', 'reach-internet-to-ml']);
    // Assess
    const text = r.stdout.replace(/\n {8}/g, ' ');
    expect(text).toContain(
      'path: internet → igw-0def0000000000002 (legacy-igw) → acl-0legacy000000003 (legacy-public) → sg-0legacyssh0000003 (legacy-notebook-ssh) → ENI in subnet-0legacy0000000a07 (legacy-public-a) → notebook instance legacy-churn-notebook',
    );
  });
});
