import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { CreateNotebookInstanceCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditResult } from '../../src/result.ts';
import { failingIds, type ProcessRun, runCli, withoutMotoGapNotes } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto, trainingJobCommand } from './seed.ts';

const endpoint = inject('motoEndpoint');
const REGION = 'us-east-1';

function cli(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return runCli(endpoint, args, env, REGION);
}

const ORG_ONLY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } },
    },
  ],
});
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`;
const ECR_IMAGE = `${MOTO_ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/train:1`;

async function group(ec2: EC2Client, vpcId: string, name: string, perms: IpPermission[]): Promise<string> {
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }),
  );
  if (perms.length)
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: perms }));
  return GroupId!;
}

async function subnet(ec2: EC2Client, vpcId: string, cidr: string, az: string): Promise<string> {
  const { Subnet } = await ec2.send(
    new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: az }),
  );
  return Subnet!.SubnetId!;
}

async function table(ec2: EC2Client, vpcId: string, subnetId?: string): Promise<string> {
  const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const id = RouteTable!.RouteTableId!;
  if (subnetId) await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
  return id;
}

async function vpce(
  ec2: EC2Client,
  vpcId: string,
  service: string,
  extra: {
    type?: 'Interface' | 'Gateway';
    subnets?: string[];
    groups?: string[];
    routeTables?: string[];
    privateDns?: boolean;
    policy?: string;
  },
): Promise<string> {
  const type = extra.type ?? 'Interface';
  const { VpcEndpoint } = await ec2.send(
    new CreateVpcEndpointCommand({
      VpcId: vpcId,
      ServiceName: `com.amazonaws.${REGION}.${service}`,
      VpcEndpointType: type,
      ...(extra.subnets ? { SubnetIds: extra.subnets } : {}),
      ...(extra.groups ? { SecurityGroupIds: extra.groups } : {}),
      ...(extra.routeTables ? { RouteTableIds: extra.routeTables } : {}),
      ...(type === 'Interface' ? { PrivateDnsEnabled: extra.privateDns ?? true } : {}),
      ...(extra.policy ? { PolicyDocument: extra.policy } : {}),
    }),
  );
  return VpcEndpoint!.VpcEndpointId!;
}

function trainingJob(name: string, subnetId: string, sgId: string) {
  return trainingJobCommand(name, { subnets: [subnetId], groups: [sgId] }, { image: ECR_IMAGE });
}

interface Ids {
  [name: string]: string;
}

/**
 * A private VPC with only some endpoints, each with one problem, a NAT look-alike VPC, and a VPC whose
 * ML subnet routes to an internet gateway without public addresses.
 */
async function seed(): Promise<Ids> {
  const ec2 = new EC2Client(clientConfig(endpoint, REGION));
  const sm = new SageMakerClient(clientConfig(endpoint, REGION));
  const ids: Ids = {};

  // Private VPC: subnet A (1a) on its own table with no default route; subnet B (1b) holds no ML.
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const vpcId = Vpc!.VpcId!;
  ids.privateVpc = vpcId;
  ids.subnetA = await subnet(ec2, vpcId, '10.20.1.0/24', `${REGION}a`);
  ids.subnetB = await subnet(ec2, vpcId, '10.20.2.0/24', `${REGION}b`);
  ids.tableA = await table(ec2, vpcId, ids.subnetA);
  ids.tableOther = await table(ec2, vpcId);
  const mlGroup = await group(ec2, vpcId, 'ml', []);
  const okGroup = await group(ec2, vpcId, 'vpce-ok', [
    { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.20.0.0/16' }] },
  ]);
  const openGroup = await group(ec2, vpcId, 'vpce-open', [
    { IpProtocol: '-1', IpRanges: [{ CidrIp: '10.20.0.0/16' }] },
  ]);
  // sagemaker.api: private DNS off, one AZ, the default (full-access) policy.
  ids.smApi = await vpce(ec2, vpcId, 'sagemaker.api', {
    subnets: [ids.subnetA],
    groups: [okGroup],
    privateDns: false,
  });
  // S3 gateway on a table that is not the ML subnet's, default policy.
  ids.s3 = await vpce(ec2, vpcId, 's3', { type: 'Gateway', routeTables: [ids.tableOther] });
  // sts: all traffic from the whole VPC CIDR; otherwise fine.
  ids.sts = await vpce(ec2, vpcId, 'sts', {
    subnets: [ids.subnetA, ids.subnetB],
    groups: [openGroup],
    policy: ORG_ONLY,
  });
  await sm.send(trainingJob('train-private', ids.subnetA, mlGroup));
  await sm.send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: 'nb-private',
      InstanceType: 'ml.t3.medium',
      RoleArn: ROLE,
      DirectInternetAccess: 'Disabled',
      SubnetId: ids.subnetA,
      SecurityGroupIds: [mlGroup],
    }),
  );

  // Look-alike: ML subnet routing 0.0.0.0/0 to a NAT gateway, well-configured endpoints.
  const { Vpc: natVpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }));
  const natVpcId = natVpc!.VpcId!;
  ids.natVpc = natVpcId;
  const publicSubnet = await subnet(ec2, natVpcId, '10.30.0.0/24', `${REGION}a`);
  ids.natSubnet = await subnet(ec2, natVpcId, '10.30.1.0/24', `${REGION}a`);
  const natSubnet2 = await subnet(ec2, natVpcId, '10.30.2.0/24', `${REGION}b`);
  const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
  await ec2.send(
    new AttachInternetGatewayCommand({
      InternetGatewayId: InternetGateway!.InternetGatewayId!,
      VpcId: natVpcId,
    }),
  );
  const publicTable = await table(ec2, natVpcId, publicSubnet);
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: publicTable,
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: InternetGateway!.InternetGatewayId!,
    }),
  );
  const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const { NatGateway } = await ec2.send(
    new CreateNatGatewayCommand({ SubnetId: publicSubnet, AllocationId }),
  );
  ids.natGateway = NatGateway!.NatGatewayId!;
  ids.natTable = await table(ec2, natVpcId, ids.natSubnet);
  await ec2.send(
    new CreateRouteCommand({
      RouteTableId: ids.natTable,
      DestinationCidrBlock: '0.0.0.0/0',
      NatGatewayId: ids.natGateway,
    }),
  );
  const natMl = await group(ec2, natVpcId, 'ml-nat', []);
  const refGroup = await group(ec2, natVpcId, 'vpce-ref', [
    { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: natMl }] },
  ]);
  ids.natS3 = await vpce(ec2, natVpcId, 's3', {
    type: 'Gateway',
    routeTables: [ids.natTable],
    policy: ORG_ONLY,
  });
  ids.natLogs = await vpce(ec2, natVpcId, 'logs', {
    subnets: [ids.natSubnet, natSubnet2],
    groups: [refGroup],
    policy: ORG_ONLY,
  });
  await sm.send(trainingJob('train-nat', ids.natSubnet, natMl));

  // A subnet that routes 0.0.0.0/0 to an internet gateway but gives no public IPv4 address: the route
  // looks like egress, the path engine knows the gateway drops it, so the job needs endpoints.
  const { Vpc: igwVpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }));
  ids.igwVpc = igwVpc!.VpcId!;
  ids.igwSubnet = await subnet(ec2, ids.igwVpc, '10.40.1.0/24', `${REGION}a`);
  const { InternetGateway: igw2 } = await ec2.send(new CreateInternetGatewayCommand({}));
  await ec2.send(
    new AttachInternetGatewayCommand({ InternetGatewayId: igw2!.InternetGatewayId!, VpcId: ids.igwVpc }),
  );
  ids.igw = igw2!.InternetGatewayId!;
  const igwTable = await table(ec2, ids.igwVpc, ids.igwSubnet);
  await ec2.send(
    new CreateRouteCommand({ RouteTableId: igwTable, DestinationCidrBlock: '0.0.0.0/0', GatewayId: ids.igw }),
  );
  await sm.send(trainingJob('train-igw', ids.igwSubnet, await group(ec2, ids.igwVpc, 'ml-igw', [])));

  ec2.destroy();
  sm.destroy();
  return ids;
}

let ids: Ids;
let run: ProcessRun;
let result: AuditResult;

function failing(ruleId: string): string[] {
  return failingIds(result, ruleId);
}

beforeAll(async () => {
  await resetMoto(endpoint);
  ids = await seed();
  run = await cli([
    'audit',
    '--regions',
    REGION,
    '--rules',
    'vpce-*',
    '--max-attempts',
    '2',
    '--format',
    'json',
  ]);
  result = JSON.parse(run.stdout) as AuditResult;
});

describe("audit --rules 'vpce-*' against a private VPC and a NAT look-alike", () => {
  it('runs every vpc-endpoints rule and evaluates all of them', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(withoutMotoGapNotes(result).filter((f) => f.status === 'NOT_EVALUATED')).toEqual([]);
    for (const f of result.findings) {
      expect(f.ruleId).toMatch(/^vpce-/);
      expect(f.region).toBe(REGION);
    }
  });

  it('reports vpce-ml-missing-endpoints on the private VPC with exactly the missing services, not on the NAT VPC', () => {
    expect(failing('vpce-ml-missing-endpoints')).toEqual([ids.privateVpc, ids.igwVpc].sort());
    const finding = result.findings.find(
      (f) => f.ruleId === 'vpce-ml-missing-endpoints' && f.resource.id === ids.privateVpc,
    )!;
    const missing = (finding.evidence.missingServices as { service: string }[]).map((m) => m.service);
    expect(missing).toEqual(['sagemaker.runtime', 'logs', 'ecr.api', 'ecr.dkr']);
    const stranded = finding.evidence.resourcesWithoutEgress as { id: string; egress: string }[];
    expect(stranded.map((r) => r.id).sort()).toEqual(['nb-private', 'train-private']);
    expect(stranded.map((r) => r.egress)).toEqual([
      `no route to the internet in ${ids.tableA}`,
      `no route to the internet in ${ids.tableA}`,
    ]);
  });

  it('judges egress by the path engine: an internet-gateway route without a public IPv4 address is no egress', () => {
    const finding = result.findings.find(
      (f) => f.ruleId === 'vpce-ml-missing-endpoints' && f.resource.id === ids.igwVpc,
    )!;
    const stranded = finding.evidence.resourcesWithoutEgress as { id: string; egress: string }[];
    expect(stranded).toEqual([
      expect.objectContaining({
        id: 'train-igw',
        egress: `internet gateway ${ids.igw} drops IPv4 from ${ids.igwSubnet}: no public IPv4 address (no EIP, no auto-assign)`,
      }),
    ]);
    const missing = (finding.evidence.missingServices as { service: string }[]).map((m) => m.service);
    expect(missing).toEqual([
      'sagemaker.api',
      'sagemaker.runtime',
      'sts',
      'logs',
      's3',
      'ecr.api',
      'ecr.dkr',
    ]);
  });

  it("reports vpce-s3-gateway-not-routed on the ML subnet's route table only", () => {
    expect(failing('vpce-s3-gateway-not-routed')).toEqual([ids.tableA]);
    const finding = result.findings.find((f) => f.ruleId === 'vpce-s3-gateway-not-routed');
    expect(finding?.message).toContain(ids.s3);
    expect(finding?.message).toContain(ids.subnetA);
  });

  it('reports vpce-policy-full-access on the endpoints with the default policy, not on org-bounded ones', () => {
    expect(failing('vpce-policy-full-access')).toEqual([ids.smApi, ids.s3].sort());
  });

  it('reports vpce-sg-too-open on the sts endpoint (all traffic from the VPC CIDR), not on 443 rules', () => {
    expect(failing('vpce-sg-too-open')).toEqual([ids.sts]);
  });

  it('reports vpce-private-dns-disabled on the sagemaker.api endpoint only', () => {
    expect(failing('vpce-private-dns-disabled')).toEqual([ids.smApi]);
  });

  it('reports vpce-single-az on the one-AZ interface endpoint only', () => {
    expect(failing('vpce-single-az')).toEqual([ids.smApi]);
  });

  it('stays silent on every resource of the NAT look-alike VPC', () => {
    const quiet = [ids.natVpc, ids.natTable, ids.natS3, ids.natLogs];
    expect(result.findings.filter((f) => quiet.includes(f.resource.id))).toEqual([]);
  });
});
