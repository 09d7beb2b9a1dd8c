import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditResult } from '../../src/result.ts';
import { createAccount, openSsh } from './org-seed.ts';
import { type ProcessRun, runCli } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto } from './seed.ts';

const endpoint = inject('motoEndpoint');
const ROLE = 'MlNetworkAuditRole';
const REGION = 'us-east-1';

function cli(args: string[]): Promise<ProcessRun> {
  return runCli(endpoint, args, {}, REGION);
}

let research: string;
let platform: string;
let group: string;
let result: AuditResult;
let auditCode: number | null;
let auditErr: string;
let offline: AuditResult;

beforeAll(async () => {
  await resetMoto(endpoint);
  const org = new OrganizationsClient(clientConfig(endpoint, REGION));
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  research = await createAccount(org, 'research');
  platform = await createAccount(org, 'platform');
  org.destroy();
  group = await openSsh(endpoint, REGION, research, ROLE);
  const common = [
    '--org-accounts',
    '--exclude-accounts',
    MOTO_ACCOUNT,
    '--role-name',
    ROLE,
    '--regions',
    REGION,
  ];
  const audit = await cli([
    'audit',
    ...common,
    '--rules',
    'sg-*',
    '--scope',
    'account',
    '--format',
    'json',
    '--max-attempts',
    '1',
  ]);
  auditCode = audit.code;
  auditErr = audit.stderr;
  result = JSON.parse(audit.stdout) as AuditResult;
  const snapshot = join(mkdtempSync(join(tmpdir(), 'mna-org-')), 'org.json');
  await cli(['collect', ...common, '--output', snapshot, '--max-attempts', '1']);
  offline = JSON.parse(
    (
      await cli([
        'audit',
        '--snapshot',
        snapshot,
        '--rules',
        'sg-*',
        '--scope',
        'account',
        '--format',
        'json',
      ])
    ).stdout,
  ) as AuditResult;
});

describe('audit --org-accounts (moto organization)', () => {
  it("audits the organization's active accounts except the excluded one", () => {
    // Assess
    expect(auditCode, auditErr).toBe(0);
    expect(result.run.accounts).toEqual([research, platform].sort());
  });

  it('attributes the open SSH group to the account it is in', () => {
    // Assess
    const ssh = result.findings.filter(
      (f) => f.ruleId === 'sg-world-ingress-admin-port' && f.status === 'FAIL',
    );
    expect(ssh.map((f) => [f.account, f.resource.id])).toEqual([[research, group]]);
  });

  it('collects the same accounts into a snapshot that audits offline to the same findings', () => {
    // Assess
    expect(offline.run.accounts).toEqual(result.run.accounts);
    expect(offline.findings.map((f) => f.fingerprint).sort()).toEqual(
      result.findings.map((f) => f.fingerprint).sort(),
    );
  });
});
