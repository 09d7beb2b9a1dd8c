import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { OcsfDetectionFinding } from '../../src/report/formats/ocsf.ts';
import type { AuditResult } from '../../src/result.ts';
import { type ProcessRun, runCli } from './run-process.ts';
import { clientConfig, resetMoto } from './seed.ts';

const endpoint = inject('motoEndpoint');
const ACCOUNT_A = '111111111111';
const ACCOUNT_B = '222222222222';
const ACCOUNT_NO_ROLE = '333333333333';
const ROLE = 'MlNetworkAuditRole';
const REGION = 'us-east-1';

/** A proxy to moto that denies AssumeRole into one account, the way STS does. */
function denyingProxy(target: string, deniedAccount: string): Promise<Server> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const form = new URLSearchParams(body.toString('utf8'));
      if (form.get('Action') === 'AssumeRole' && form.get('RoleArn')?.includes(`::${deniedAccount}:`)) {
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: sts:AssumeRole on resource: ${form.get('RoleArn')}</Message></Error><RequestId>e2e</RequestId></ErrorResponse>`,
        );
        return;
      }
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      forward.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function ec2In(account: string): Promise<EC2Client> {
  const sts = new STSClient(clientConfig(endpoint, REGION));
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${ROLE}`, RoleSessionName: 'seed' }),
  );
  sts.destroy();
  return new EC2Client({
    ...clientConfig(endpoint, REGION),
    credentials: {
      accessKeyId: c!.AccessKeyId!,
      secretAccessKey: c!.SecretAccessKey!,
      sessionToken: c!.SessionToken!,
    },
  });
}

/** One VPC with one security group admitting the internet on the given ports. */
async function seedOpenGroup(account: string, name: string, from: number, to: number): Promise<string> {
  const ec2 = await ec2In(account);
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: Vpc!.VpcId! }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: from, ToPort: to, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  ec2.destroy();
  return GroupId!;
}

function cli(args: string[], proxy: string): Promise<ProcessRun> {
  return runCli(proxy, args, { AUDIT_EXTERNAL_ID: 'e2e-external-id' }, REGION);
}

let proxy: Server;
let sshGroup: string;
let wideGroup: string;
let result: AuditResult;
let ocsf: OcsfDetectionFinding[];
let exitCode: number | null;
let stderr: string;

beforeAll(async () => {
  await resetMoto(endpoint);
  // Account A: SSH open to the world. Account B: a wide port range open to the world.
  sshGroup = await seedOpenGroup(ACCOUNT_A, 'ssh-open', 22, 22);
  wideGroup = await seedOpenGroup(ACCOUNT_B, 'range-open', 1000, 2000);
  proxy = await denyingProxy(endpoint, ACCOUNT_NO_ROLE);
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const common = [
    'audit',
    '--accounts',
    `${ACCOUNT_A},${ACCOUNT_B},${ACCOUNT_NO_ROLE}`,
    '--role-name',
    ROLE,
    '--regions',
    REGION,
    '--rules',
    'sg-*,audit-coverage-gap',
    '--scope',
    'account',
    '--max-attempts',
    '1',
  ];
  const json = await cli([...common, '--format', 'json'], url);
  exitCode = json.code;
  stderr = json.stderr;
  result = JSON.parse(json.stdout) as AuditResult;
  ocsf = JSON.parse((await cli([...common, '--format', 'ocsf'], url)).stdout) as OcsfDetectionFinding[];
});

afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
});

function failing(account: string): string[] {
  return result.findings
    .filter((f) => f.account === account && f.status === 'FAIL' && f.ruleId.startsWith('sg-world'))
    .map((f) => `${f.ruleId} ${f.resource.id}`)
    .sort();
}

describe('audit --accounts through assumed roles (moto)', () => {
  it('audits every account and names them all in the run; exits 1 naming the account it could not audit', () => {
    // Assess (Prepare and Act: beforeAll seeds moto and runs the CLI)
    expect(exitCode, stderr).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^error: not audited: every call failed in ${ACCOUNT_NO_ROLE} ${REGION} \\(first failure: sts:AssumeRole AccessDenied`,
        'm',
      ),
    );
    expect(result.run.accounts).toEqual([ACCOUNT_A, ACCOUNT_B, ACCOUNT_NO_ROLE]);
  });

  it("attributes each account's problem to that account, and only to it", () => {
    // Assess
    const a = failing(ACCOUNT_A);
    const b = failing(ACCOUNT_B);
    expect(a).toContain(`sg-world-ingress-admin-port ${sshGroup}`);
    expect(a.some((f) => f.includes(wideGroup))).toBe(false);
    expect(b.some((f) => f.endsWith(wideGroup))).toBe(true);
    expect(b.some((f) => f.includes(sshGroup))).toBe(false);
    for (const f of result.findings.filter(
      (x) => x.resource.id === sshGroup || x.resource.id === wideGroup,
    )) {
      expect(f.resource.arn).toContain(`:${f.account}:`);
    }
  });

  it('reports the account whose role cannot be assumed as a coverage gap, never as clean', () => {
    // Assess
    const gaps = result.coverage.filter((g) => g.account === ACCOUNT_NO_ROLE);
    expect(gaps[0]).toMatchObject({
      service: 'sts',
      operation: 'AssumeRole',
      kind: 'account',
      errorCode: 'AccessDenied',
      region: REGION,
    });
    expect(result.coverage.some((g) => g.account !== ACCOUNT_NO_ROLE && g.operation === 'AssumeRole')).toBe(
      false,
    );
    const forMissing = result.findings.filter((f) => f.account === ACCOUNT_NO_ROLE);
    expect(forMissing.some((f) => f.ruleId === 'audit-coverage-gap' && f.status === 'FAIL')).toBe(true);
    expect(
      forMissing.filter((f) => f.ruleId !== 'audit-coverage-gap').every((f) => f.status === 'NOT_EVALUATED'),
    ).toBe(true);
  });

  it('carries the account into the OCSF output (cloud.account.uid)', () => {
    // Assess
    const ssh = ocsf.find(
      (e) => e.unmapped.resourceId === sshGroup && e.unmapped.ruleId === 'sg-world-ingress-admin-port',
    );
    expect(ssh?.cloud.account.uid).toBe(ACCOUNT_A);
    expect(
      ocsf.filter((e) => e.unmapped.resourceId === wideGroup).every((e) => e.cloud.account.uid === ACCOUNT_B),
    ).toBe(true);
  });
});
