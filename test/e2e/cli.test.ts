import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditResult } from '../../src/result.ts';
import { failingIds, type ProcessRun, runCli } from './run-process.ts';
import { MOTO_ACCOUNT, resetMoto, SECRET_SENTINEL, type SeededIds, seedEast, seedWest } from './seed.ts';

const endpoint = inject('motoEndpoint');

function cli(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return runCli(endpoint, args, env);
}

const FAST = ['--max-attempts', '2'];

let east: SeededIds;
let west: SeededIds;
let run: ProcessRun;
let result: AuditResult;

function failing(ruleId: string, region?: string): string[] {
  return failingIds(result, ruleId, region);
}

beforeAll(async () => {
  await resetMoto(endpoint);
  east = await seedEast(endpoint);
  west = await seedWest(endpoint);
  run = await cli(['audit', '--regions', 'us-east-1,us-west-2', '--format', 'json', ...FAST]);
  result = JSON.parse(run.stdout) as AuditResult;
});

describe('audit --format json against a moto account in two regions', () => {
  it('exits 0 (no --fail-on) and writes the documented document', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(result).toMatchObject({
      schemaVersion: 1,
      run: { source: 'aws', accounts: [MOTO_ACCOUNT], regions: ['us-east-1', 'us-west-2'] },
    });
    expect(result.run.bounds).toMatchObject({ jobWindowDays: 30, regions: ['us-east-1', 'us-west-2'] });
  });

  it('reports sg-world-ingress-all-ports on the all-open group only', () => {
    expect(failing('sg-world-ingress-all-ports')).toEqual([east.allOpen]);
  });

  it('reports sg-world-ingress-admin-port on the right groups and regions, not on look-alikes', () => {
    expect(failing('sg-world-ingress-admin-port', 'us-east-1')).toEqual(
      [east.sshOpen, east.allOpen, east.halvesOpen, east.worldPrefixList].sort(),
    );
    expect(failing('sg-world-ingress-admin-port', 'us-west-2')).toEqual([west.rdpOpen, west.rdpV6].sort());
    const quiet = [east.sshOffice, east.httpsOpen, east.sshOfficeList, east.wideButNotWorld, east.selfRef];
    expect(
      result.findings.filter((f) => f.ruleId.startsWith('sg-world-ingress') && quiet.includes(f.resource.id)),
    ).toEqual([]);
  });

  it('reports nacl-world-ingress-admin-port by first-match order, not on the deny-first ACL or default ACLs', () => {
    expect(failing('nacl-world-ingress-admin-port')).toEqual([east.naclSsh, east.naclDenyAfter].sort());
    const finding = result.findings.find((f) => f.resource.id === east.naclDenyAfter);
    expect(finding?.message).toContain('inbound rule 100');
  });

  it('reports the SageMaker rules on the right resources', () => {
    expect(failing('sagemaker-notebook-direct-internet')).toEqual(['nb-direct']);
    expect(failing('sagemaker-domain-public-internet')).toEqual([east.publicDomain]);
    expect(failing('sagemaker-training-no-network-isolation', 'us-east-1')).toEqual(['train-open']);
    expect(failing('sagemaker-training-no-network-isolation', 'us-west-2')).toEqual(['west-train-open']);
  });

  it('reports the firewall policy moto cannot describe as a coverage gap, not a crash', () => {
    expect(result.coverage).toContainEqual(
      expect.objectContaining({
        region: 'us-east-1',
        service: 'network-firewall',
        operation: 'DescribeFirewallPolicy',
        resourceId: east.policyArn,
        errorCode: 'UnparseableResponse',
      }),
    );
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'audit-coverage-gap',
        status: 'FAIL',
        region: 'us-east-1',
        resource: expect.objectContaining({ arn: east.policyArn }),
      }),
    );
  });

  it('gives every finding a distinct fingerprint', () => {
    const prints = result.findings.map((f) => f.fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it('leaks no training-job Environment or HyperParameters value', () => {
    expect(run.stdout).not.toContain(SECRET_SENTINEL);
    expect(run.stderr).not.toContain(SECRET_SENTINEL);
  });
});

describe('collect, then audit the snapshot offline', () => {
  it('finds the same problems from the snapshot as live, and leaks no secret into it', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'mlna-'));
    const file = join(dir, 'snap.json');
    // Act
    const collected = await cli(['collect', '--regions', 'us-east-1,us-west-2', '--output', file, ...FAST]);
    const offline = await cli(['audit', '--snapshot', file, '--format', 'json'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    });
    // Assess
    expect(collected.code, collected.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET_SENTINEL);
    expect(offline.code, offline.stderr).toBe(0);
    const snapshotResult = JSON.parse(offline.stdout) as AuditResult;
    const live = result.findings.map((f) => f.fingerprint).sort();
    expect(snapshotResult.findings.map((f) => f.fingerprint).sort()).toEqual(live);
  });
});

describe('exit codes', () => {
  it('exits 3 when a finding is at or above --fail-on', async () => {
    const r = await cli([
      'audit',
      '--rules',
      'sg-world-ingress-all-ports',
      '--fail-on',
      'critical',
      '--format',
      'json',
      ...FAST,
    ]);
    expect(r.code, r.stderr).toBe(3);
  });

  it('exits 0 when nothing reaches --fail-on', async () => {
    const r = await cli([
      'audit',
      '--rules',
      'sagemaker-training-*',
      '--fail-on',
      'high',
      '--format',
      'json',
      ...FAST,
    ]);
    expect(r.code, r.stderr).toBe(0);
  });

  it('exits 2 with a message naming the flag for a bad region, before calling AWS', async () => {
    const r = await cli(['audit', '--regions', 'us-east-1,mars-north-1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--regions');
    expect(r.stderr).toContain('mars-north-1'.length ? 'is not an AWS region name' : '');
    expect(r.stdout).toBe('');
  });
});
