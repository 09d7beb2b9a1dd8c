import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.ts';
import { accountTargets } from '../../../src/cli-options.ts';

async function cli(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await main(['node', 'ml-network-audit', ...args], { stdout, stderr });
  return { code, stderr: err };
}

const DEMO = ['audit', '--snapshot', 'events/demo-snapshot.json'];
/** Account flags are checked before anything is collected: these runs never reach AWS. */
const COLLECT = ['collect', '--output', '/nonexistent-dir/never-written.json'];

describe('account flags', () => {
  afterEach(() => {
    delete process.env.ACCOUNTS;
    delete process.env.AUDIT_ROLE_NAME;
  });

  it('rejects an account id that is not 12 digits, naming --accounts', async () => {
    // Act
    const r = await cli(...COLLECT, '--accounts', '1234,111111111111', '--role-name', 'R');

    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--accounts: "1234" is not an AWS account id/);
  });

  it('needs a role name for other accounts, from --role-name or AUDIT_ROLE_NAME', async () => {
    // Prepare
    process.env.ACCOUNTS = '111111111111';

    // Act
    const missing = await cli(...COLLECT);
    const fromEnv = accountTargets({}, { ACCOUNTS: '111111111111', AUDIT_ROLE_NAME: 'MlNetworkAuditRole' });

    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--role-name/);
    expect(fromEnv).toEqual({ source: 'list', accounts: ['111111111111'], roleName: 'MlNetworkAuditRole' });
  });

  it('refuses an ACCOUNTS list with an empty item, naming ACCOUNTS', () => {
    expect(() => accountTargets({}, { ACCOUNTS: '111111111111,,', AUDIT_ROLE_NAME: 'R' })).toThrow(
      /^ACCOUNTS: item 2 of "111111111111,," is empty/,
    );
  });

  it('ignores ACCOUNTS and AUDIT_ROLE_NAME in the environment with --snapshot (they are for collecting)', async () => {
    // Prepare
    process.env.ACCOUNTS = '111111111111';
    // Act
    const r = await cli(...DEMO, '--format', 'json');
    // Assess
    expect(r.code).toBe(0);
  });

  it.each([
    ['--accounts', '111111111111'],
    ['--org-accounts'],
    ['--role-name', 'R'],
    ['--include-accounts', '111111111111'],
    ['--account-concurrency', '2'],
  ])('refuses %s with --snapshot, naming it (the snapshot would silently ignore it)', async (...flag) => {
    // Act
    const r = await cli(...DEMO, ...flag);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: ${flag[0]}: cannot be used with --snapshot`));
  });

  it('rejects contradictory or orphan account flags as bad usage', async () => {
    // Act
    const both = await cli(...COLLECT, '--accounts', '111111111111', '--org-accounts', '--role-name', 'R');
    const orphanFilter = await cli(...COLLECT, '--exclude-accounts', '111111111111');
    const orphanRole = await cli(...COLLECT, '--role-name', 'R');

    // Assess
    expect([both.code, orphanFilter.code, orphanRole.code]).toEqual([2, 2, 2]);
    expect(orphanFilter.stderr).toMatch(/need --org-accounts/);
  });
});
