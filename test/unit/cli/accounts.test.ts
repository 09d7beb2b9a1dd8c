import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.ts';

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

describe('account flags', () => {
  afterEach(() => {
    delete process.env.ACCOUNTS;
    delete process.env.AUDIT_ROLE_NAME;
  });

  it('rejects an account id that is not 12 digits, naming --accounts', async () => {
    // Act
    const r = await cli(...DEMO, '--accounts', '1234,111111111111', '--role-name', 'R');

    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--accounts: "1234" is not an AWS account id/);
  });

  it('needs a role name for other accounts, from --role-name or AUDIT_ROLE_NAME', async () => {
    // Prepare
    process.env.ACCOUNTS = '111111111111';

    // Act
    const missing = await cli(...DEMO);
    process.env.AUDIT_ROLE_NAME = 'MlNetworkAuditRole';
    const fromEnv = await cli(...DEMO);

    // Assess
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--role-name/);
    expect(fromEnv.code).toBe(0);
  });

  it('rejects contradictory or orphan account flags as bad usage', async () => {
    // Act
    const both = await cli(...DEMO, '--accounts', '111111111111', '--org-accounts', '--role-name', 'R');
    const orphanFilter = await cli(...DEMO, '--exclude-accounts', '111111111111');
    const orphanRole = await cli(...DEMO, '--role-name', 'R');

    // Assess
    expect([both.code, orphanFilter.code, orphanRole.code]).toEqual([2, 2, 2]);
    expect(orphanFilter.stderr).toMatch(/need --org-accounts/);
  });
});
