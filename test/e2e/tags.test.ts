/**
 * Suppressions by tags against moto: the real CLI (and handler) read the tags moto holds (EC2 from
 * DescribeSecurityGroups, SageMaker from ListTags), suppress the tagged finding and report its
 * look-alikes, and no tag value reaches the report, the snapshot, the state file or the logs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  EC2Client,
  type Tag,
} from '@aws-sdk/client-ec2';
import { CreateNotebookInstanceCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { Inventory } from '../../src/inventory/schema.ts';
import { hashTagValue } from '../../src/inventory/tags.ts';
import type { AuditResult } from '../../src/result.ts';
import { failingIds, type ProcessRun, runCli, runInvoke } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto } from './seed.ts';

const endpoint = inject('motoEndpoint');
const region = 'us-east-1';
const FAST = ['--max-attempts', '2'];
/** A tag value that must never leave the account: not in a report, a snapshot, a state file or a log. */
const TAG_SECRET = 'tag-sentinel-4be1-DO-NOT-LEAK';
const ADMIN = 'sg-world-ingress-admin-port';
const NOTEBOOK = 'sagemaker-notebook-direct-internet';

const SUPPRESSIONS = [
  `- rule: ${ADMIN}`,
  `  tags: { team: ml, owner: "${TAG_SECRET}" }`,
  '  reason: the ML team debug bastion (SEC-301)',
  `- rule: ${NOTEBOOK}`,
  '  tags: { team: ml }',
  '  reason: research sandbox notebooks (SEC-302)',
].join('\n');

let sg: { tagged: string; otherTeam: string; untagged: string };
let dir: string;
let suppressionsFile: string;

async function seed(): Promise<void> {
  const ec2 = new EC2Client(clientConfig(endpoint, region));
  const sm = new SageMakerClient(clientConfig(endpoint, region));
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }));
  const sshOpen = async (name: string, tags: Tag[]) => {
    const { GroupId } = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        Description: name,
        VpcId: Vpc!.VpcId!,
        ...(tags.length ? { TagSpecifications: [{ ResourceType: 'security-group', Tags: tags }] } : {}),
      }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    return GroupId!;
  };
  sg = {
    tagged: await sshOpen('ssh-ml', [
      { Key: 'team', Value: 'ml' },
      { Key: 'owner', Value: TAG_SECRET },
    ]),
    // Look-alikes: the same exposure, one with another team's value, one without tags.
    otherTeam: await sshOpen('ssh-data', [
      { Key: 'team', Value: 'data' },
      { Key: 'owner', Value: TAG_SECRET },
    ]),
    untagged: await sshOpen('ssh-untagged', []),
  };
  const notebook = (name: string, tags: { Key: string; Value: string }[]) =>
    sm.send(
      new CreateNotebookInstanceCommand({
        NotebookInstanceName: name,
        InstanceType: 'ml.t3.medium',
        RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
        DirectInternetAccess: 'Enabled',
        ...(tags.length ? { Tags: tags } : {}),
      }),
    );
  await notebook('nb-sandbox', [
    { Key: 'team', Value: 'ml' },
    { Key: 'api-token', Value: TAG_SECRET },
  ]);
  await notebook('nb-untagged', []);
  ec2.destroy();
  sm.destroy();
}

function cli(args: string[]): Promise<ProcessRun> {
  return runCli(endpoint, args, {}, region);
}

function report(run: ProcessRun): AuditResult {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as AuditResult;
}

beforeAll(async () => {
  await resetMoto(endpoint);
  await seed();
  dir = mkdtempSync(join(tmpdir(), 'mlna-tags-'));
  suppressionsFile = join(dir, 'suppressions.yaml');
  writeFileSync(suppressionsFile, SUPPRESSIONS);
});

describe('suppressions by tags, live against moto', () => {
  it('suppresses the tagged findings and reports the look-alikes, without a tag value anywhere', async () => {
    // Prepare
    const state = join(dir, 'state.json');
    const args = ['audit', '--regions', region, '--format', 'json', '--scope', 'account', ...FAST];
    // Act
    const plain = report(await cli(args));
    const run = await cli([...args, '--suppressions', suppressionsFile, '--state', state]);
    // Assess
    const result = report(run);
    expect(failingIds(plain, ADMIN)).toEqual([sg.tagged, sg.otherTeam, sg.untagged].sort());
    expect(failingIds(plain, NOTEBOOK)).toEqual(['nb-sandbox', 'nb-untagged']);
    expect(failingIds(result, ADMIN)).toEqual([sg.otherTeam, sg.untagged].sort());
    expect(failingIds(result, NOTEBOOK)).toEqual(['nb-untagged']);
    expect(run.stderr).toContain('suppressed 2 finding(s)');
    // The SageMaker tags came from moto's ListTags: no tags gap.
    expect(result.coverage.filter((g) => g.kind === 'tags')).toEqual([]);
    const saved = readFileSync(state, 'utf8');
    expect(saved).toContain(`#1 ${ADMIN} tags: team,owner`);
    for (const text of [run.stdout, run.stderr, saved]) expect(text).not.toContain(TAG_SECRET);
  });

  it('writes keys and value hashes to the snapshot, and suppresses the same findings from it offline', async () => {
    // Prepare
    const snapshot = join(dir, 'snapshot.json');
    // Act
    const collected = await cli(['collect', '--regions', region, '--output', snapshot, ...FAST]);
    const offline = await runCli(
      'http://127.0.0.1:9',
      [
        'audit',
        '--snapshot',
        snapshot,
        '--format',
        'json',
        '--scope',
        'account',
        '--suppressions',
        suppressionsFile,
      ],
      {},
      region,
    );
    // Assess
    expect(collected.code, collected.stderr).toBe(0);
    const text = readFileSync(snapshot, 'utf8');
    expect(text).not.toContain(TAG_SECRET);
    const scope = (JSON.parse(text) as Inventory).regions[0]!;
    const byGroup = Object.fromEntries(scope.securityGroups.map((g) => [g.groupId, g.tags]));
    expect(byGroup[sg.tagged]).toEqual({ owner: hashTagValue(TAG_SECRET), team: hashTagValue('ml') });
    expect(byGroup[sg.untagged]).toEqual({});
    const byNotebook = Object.fromEntries(
      scope.notebookInstances.map((n) => [n.notebookInstanceName, n.tags]),
    );
    expect(byNotebook).toEqual({
      'nb-sandbox': { 'api-token': hashTagValue(TAG_SECRET), team: hashTagValue('ml') },
      'nb-untagged': {},
    });
    const result = report(offline);
    expect(failingIds(result, ADMIN)).toEqual([sg.otherTeam, sg.untagged].sort());
    expect(failingIds(result, NOTEBOOK)).toEqual(['nb-untagged']);
    expect(offline.stdout + offline.stderr).not.toContain(TAG_SECRET);
  });

  it('suppresses by tags in the handler too (suppressions from SSM), and logs no tag value', async () => {
    // Prepare
    const ssm = new SSMClient(clientConfig(endpoint, region));
    await ssm.send(
      new PutParameterCommand({ Name: '/mlna/suppressions', Type: 'SecureString', Value: SUPPRESSIONS }),
    );
    ssm.destroy();
    // Act
    const run = await runInvoke(
      endpoint,
      { regions: [region], notify: 'none', scope: 'account' },
      { SUPPRESSIONS_PARAMETER: '/mlna/suppressions' },
      region,
    );
    // Assess
    expect(run.code, run.stderr).toBe(0);
    const findings = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((r) => r.message === 'finding' && r.ruleId === ADMIN);
    expect(findings.filter((r) => r.status === 'SUPPRESSED').map((r) => r.resource.id)).toEqual([sg.tagged]);
    expect(findings.find((r) => r.status === 'SUPPRESSED')?.suppression.id).toBe(
      `#1 ${ADMIN} tags: team,owner`,
    );
    expect(
      findings
        .filter((r) => r.status === 'FAIL')
        .map((r) => r.resource.id)
        .sort(),
    ).toEqual([sg.otherTeam, sg.untagged].sort());
    expect(run.stdout + run.stderr).not.toContain(TAG_SECRET);
  });
});
