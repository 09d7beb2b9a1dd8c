/**
 * Issue #14: a run that audited nothing exits 1 (an unreachable endpoint), and the default ML scope
 * reports no default-VPC hygiene in regions without ML (`--regions all`, every region moto has).
 */

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateNotebookInstanceCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditResult } from '../../src/result.ts';
import { freePort } from './moto-global-setup.ts';
import { awsTestEnv, MOTO_UNREADABLE_KINDS, runCli, runProcess } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto } from './seed.ts';

const endpoint = inject('motoEndpoint');

/** A port on 127.0.0.1 that was free a moment ago and has no listener: connections are refused. */
const closedPort = freePort;

describe('an audit against an unreachable endpoint', () => {
  it('exits 1 with one line saying nothing was audited, after a report of the calls that failed', async () => {
    // Prepare
    const port = await closedPort();
    // Act
    const r = await runCli(`http://127.0.0.1:${port}`, ['audit', '--format', 'json', '--max-attempts', '1']);
    // Assess
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as AuditResult;
    expect(doc.summary.resourcesAudited).toBe(0);
    expect(doc.coverage.map((g) => g.errorCode)).toContain('ECONNREFUSED');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: audited nothing: every call failed in us-east-1 \(account unknown\) \(the AWS endpoint could not be reached; first failure: \S+ ECONNREFUSED/,
    );
  });

  it('collect exits 1 too, with the same line, and writes no snapshot', async () => {
    // Prepare
    const port = await closedPort();
    const file = join(mkdtempSync(join(tmpdir(), 'mlna-unreach-')), 'snap.json');
    // Act
    const r = await runCli(`http://127.0.0.1:${port}`, ['collect', '--output', file, '--max-attempts', '1']);
    // Assess
    expect(r.code).toBe(1);
    expect(existsSync(file)).toBe(false);
    expect(r.stderr).toMatch(/^error: audited nothing: every call failed in us-east-1 \(account unknown\) /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('--regions all on an account with ML in one region', () => {
  const DEFAULT_VPC_RULES = ['nacl-world-ingress-all', 'sg-default-has-rules'];
  let raw: AuditResult;
  let ml: AuditResult;
  let account: AuditResult;
  let mlVpc: string;

  beforeAll(async () => {
    await resetMoto(endpoint);
    const ec2 = new EC2Client(clientConfig(endpoint, 'us-east-1'));
    const sm = new SageMakerClient(clientConfig(endpoint, 'us-east-1'));
    const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }));
    mlVpc = vpc.Vpc?.VpcId ?? '';
    const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: mlVpc, CidrBlock: '10.7.1.0/24' }));
    await sm.send(
      new CreateNotebookInstanceCommand({
        NotebookInstanceName: 'nb-scope',
        InstanceType: 'ml.t3.medium',
        RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
        DirectInternetAccess: 'Disabled',
        SubnetId: subnet.Subnet?.SubnetId ?? '',
      }),
    );
    // moto cannot answer three ML listings (MOTO_UNREADABLE_KINDS): their gaps rightly keep every VPC
    // of a region in scope (what was not read may hold ML), so the raw collection is audited as it is
    // (`raw`), and as a real account with those calls answered empty would be: the snapshot without
    // those gaps (`ml`, `account`).
    const dir = mkdtempSync(join(tmpdir(), 'mlna-scope-'));
    const collected = join(dir, 'raw.json');
    const c = await runCli(endpoint, [
      'collect',
      '--regions',
      'all',
      '--max-attempts',
      '2',
      '--output',
      collected,
    ]);
    expect(c.code, c.stderr).toBe(0);
    const snapshot = JSON.parse(readFileSync(collected, 'utf8')) as {
      regions: { gaps: { kind: string }[] }[];
    };
    for (const region of snapshot.regions)
      region.gaps = region.gaps.filter((g) => !MOTO_UNREADABLE_KINDS.includes(g.kind));
    const answered = join(dir, 'answered.json');
    writeFileSync(answered, JSON.stringify(snapshot));
    const audit = async (file: string, extra: string[] = []) => {
      const r = await runCli(endpoint, [
        'audit',
        '--snapshot',
        file,
        '--format',
        'json',
        '--min-severity',
        'high',
        ...extra,
      ]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as AuditResult;
    };
    raw = await audit(collected);
    ml = await audit(answered);
    account = await audit(answered, ['--scope', 'account']);
  });

  it('keeps every VPC in scope where an ML listing could not be read', () => {
    // Assess
    expect(raw.findings.some((f) => f.region !== 'us-east-1' && f.status === 'FAIL')).toBe(true);
    expect(raw.coverage.some((g) => MOTO_UNREADABLE_KINDS.includes(g.kind))).toBe(true);
  });

  it('audits every region moto has', () => {
    expect(ml.run.regions.length).toBeGreaterThan(5);
    expect(ml.run.regions).toContain('us-east-1');
  });

  it('reports no default-VPC finding in a region without ML by default', () => {
    // Assess
    const elsewhere = ml.findings.filter((f) => f.region !== 'us-east-1' && f.status === 'FAIL');
    expect(elsewhere).toEqual([]);
    expect(ml.run.scope?.findingsOutOfScope).toBeGreaterThan(0);
  });

  it('still reports the ML VPC, and --scope account reports the default VPCs of every region', () => {
    // Assess
    const inMlVpc = ml.findings.filter(
      (f) => f.region === 'us-east-1' && DEFAULT_VPC_RULES.includes(f.ruleId),
    );
    expect(inMlVpc.length).toBeGreaterThan(0);
    const regionsWithDefaultFindings = new Set(
      account.findings.filter((f) => DEFAULT_VPC_RULES.includes(f.ruleId)).map((f) => f.region),
    );
    expect(regionsWithDefaultFindings.size).toBe(account.run.regions.length);
  });
});

describe('--profile', () => {
  it('reads credentials from the named shared-config profile, and without it there are none', async () => {
    // Prepare: credentials only in a profile of a shared credentials file, none in the environment
    const dir = mkdtempSync(join(tmpdir(), 'mlna-profile-'));
    const credentials = join(dir, 'credentials');
    writeFileSync(credentials, '[auditor]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
    const { AWS_ACCESS_KEY_ID: _id, AWS_SECRET_ACCESS_KEY: _secret, ...env } = awsTestEnv(endpoint);
    const run = (args: string[]) =>
      runProcess(['bin/ml-network-audit.js', 'audit', '--format', 'json', '--fail-on', 'none', ...args], {
        ...env,
        AWS_SHARED_CREDENTIALS_FILE: credentials,
      });

    // Act
    const withProfile = await run(['--profile', 'auditor']);
    const without = await run([]);

    // Assess
    expect(withProfile.code, withProfile.stderr).toBe(0);
    expect((JSON.parse(withProfile.stdout) as AuditResult).summary.resourcesAudited).toBeGreaterThan(0);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/credentials/i);
  });
});
