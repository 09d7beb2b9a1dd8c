/**
 * Names beside ids against moto: Name tags on a VPC, a subnet, an internet gateway, a route table and a
 * security group reach the table and `explain` beside their ids; `--hash-names` keeps them out, and no
 * other tag value reaches any output.
 */
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  type ResourceType,
} from '@aws-sdk/client-ec2';
import { CreateNotebookInstanceCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditResult } from '../../src/result.ts';
import { runCli } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto } from './seed.ts';

const endpoint = inject('motoEndpoint');
const region = 'us-east-1';
const FAST = ['--max-attempts', '2', '--regions', region];
const SECRET = 'owner-sentinel-5d2e-DO-NOT-LEAK';

const named = (type: ResourceType, name: string) => ({
  TagSpecifications: [
    {
      ResourceType: type,
      Tags: [
        { Key: 'Name', Value: name },
        { Key: 'owner', Value: SECRET },
      ],
    },
  ],
});

let ids: { vpc: string; subnet: string; igw: string; rtb: string; sg: string };

async function seed(): Promise<void> {
  const ec2 = new EC2Client(clientConfig(endpoint, region));
  const sm = new SageMakerClient(clientConfig(endpoint, region));
  const vpc = (
    await ec2.send(new CreateVpcCommand({ CidrBlock: '10.61.0.0/16', ...named('vpc', 'research-vpc') }))
  ).Vpc!.VpcId!;
  const subnet = (
    await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpc,
        CidrBlock: '10.61.0.0/24',
        ...named('subnet', 'research-public-a'),
      }),
    )
  ).Subnet!.SubnetId!;
  await ec2.send(
    new ModifySubnetAttributeCommand({ SubnetId: subnet, MapPublicIpOnLaunch: { Value: true } }),
  );
  const igw = (await ec2.send(new CreateInternetGatewayCommand(named('internet-gateway', 'research-igw'))))
    .InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
  const rtb = (
    await ec2.send(new CreateRouteTableCommand({ VpcId: vpc, ...named('route-table', 'research-public') }))
  ).RouteTable!.RouteTableId!;
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnet }));
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }),
  );
  const sg = (
    await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: 'jupyter-open',
        Description: 'jupyter',
        VpcId: vpc,
        ...named('security-group', 'research-jupyter'),
      }),
    )
  ).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: sg,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 8888, ToPort: 8888, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ],
    }),
  );
  await sm.send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: 'nb-research',
      InstanceType: 'ml.t3.medium',
      RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
      DirectInternetAccess: 'Disabled',
      SubnetId: subnet,
      SecurityGroupIds: [sg],
    }),
  );
  ids = { vpc, subnet, igw, rtb, sg };
  ec2.destroy();
  sm.destroy();
}

beforeAll(async () => {
  await resetMoto(endpoint);
  await seed();
});

describe('names beside ids, live against moto', () => {
  it('shows the Name tags beside the ids in the table, and no other tag value', async () => {
    // Act
    const run = await runCli(endpoint, ['audit', ...FAST, '--fail-on', 'none'], { COLUMNS: '400' });
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`${ids.vpc} (research-vpc)`);
    expect(run.stdout).toContain(`${ids.sg} (jupyter-open)`);
    expect(run.stdout).toContain(`internet → ${ids.igw} (research-igw) →`);
    expect(run.stdout).toContain(`ENI in ${ids.subnet} (research-public-a)`);
    expect(run.stdout).not.toContain(SECRET);
  });

  it('walks the named path in explain: gateway, route table, NACL and group, with names', async () => {
    // Prepare
    const json = await runCli(endpoint, ['audit', ...FAST, '--format', 'json']);
    const result = JSON.parse(json.stdout) as AuditResult;
    const reach = result.findings.find((f) => f.ruleId === 'reach-internet-to-ml');
    expect(reach?.resource.id).toBe('nb-research');
    // Act
    const run = await runCli(endpoint, ['explain', reach?.fingerprint ?? '', ...FAST], { COLUMNS: '400' });
    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`→ ${ids.igw} (research-igw): internet gateway ${ids.igw}`);
    expect(run.stdout).toContain(
      `→ ${ids.rtb} (research-public): route table of ${ids.subnet}: route 0.0.0.0/0 to ${ids.igw}`,
    );
    expect(run.stdout).toMatch(
      /→ acl-\w+: network ACL admits it by inbound rule 100 \(allow all traffic from 0\.0\.0\.0\/0\)/,
    );
    expect(run.stdout).toContain(`→ ${ids.sg} (jupyter-open): security group admits tcp/8888 from 0.0.0.0/0`);
    expect(run.stdout).toContain('Return leg:');
    expect(run.stdout).not.toContain(SECRET);
  });

  it('keeps every Name out with --hash-names', async () => {
    // Act
    const run = await runCli(endpoint, ['audit', ...FAST, '--format', 'json', '--hash-names']);
    // Assess
    expect(run.code, run.stderr).toBe(0);
    for (const name of ['research-vpc', 'research-public-a', 'research-igw', 'research-public'])
      expect(run.stdout).not.toContain(name);
  });
});
