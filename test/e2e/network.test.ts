import {
  AcceptVpcPeeringConnectionCommand,
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateFlowLogsCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
  ReplaceNetworkAclAssociationCommand,
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

interface Ids {
  [name: string]: string;
}

type Entry = {
  n: number;
  egress?: boolean;
  proto: string;
  action: 'allow' | 'deny';
  cidr: string;
  from?: number;
  to?: number;
};

async function createNacl(ec2: EC2Client, vpcId: string, entries: Entry[]): Promise<string> {
  const { NetworkAcl } = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }));
  const id = NetworkAcl!.NetworkAclId!;
  for (const e of entries) {
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: id,
        RuleNumber: e.n,
        Protocol: e.proto,
        RuleAction: e.action,
        Egress: e.egress ?? false,
        CidrBlock: e.cidr,
        ...(e.from !== undefined ? { PortRange: { From: e.from, To: e.to ?? e.from } } : {}),
      }),
    );
  }
  return id;
}

/** Moves a subnet from whatever ACL it has to `aclId`. */
async function associateNacl(ec2: EC2Client, subnetId: string, aclId: string): Promise<void> {
  const { NetworkAcls } = await ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }),
  );
  const association = NetworkAcls?.[0]?.Associations?.find((a) => a.SubnetId === subnetId);
  await ec2.send(
    new ReplaceNetworkAclAssociationCommand({
      AssociationId: association!.NetworkAclAssociationId!,
      NetworkAclId: aclId,
    }),
  );
}

async function mainRouteTable(ec2: EC2Client, vpcId: string): Promise<string> {
  const { RouteTables } = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'association.main', Values: ['true'] },
      ],
    }),
  );
  return RouteTables![0]!.RouteTableId!;
}

async function routeTableFor(ec2: EC2Client, vpcId: string, subnetId: string): Promise<string> {
  const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
  const id = RouteTable!.RouteTableId!;
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
  return id;
}

function trainingJob(name: string, subnet: string) {
  return trainingJobCommand(name, { subnets: [subnet], groups: [] }, { isolated: true });
}

/**
 * vpc-ml (10.20.0.0/16): a public subnet (explicit table, 0.0.0.0/0 -> igw, MapPublicIpOnLaunch)
 * holding a notebook, a private subnet (explicit table, 0.0.0.0/0 -> NAT, a too-broad peering route)
 * holding a training job, a public main table no subnet uses, custom ACLs and no VPC flow log (a
 * subnet flow log only). vpc-peer (10.30.0.0/16) is peered. vpc-logged (10.40.0.0/16) holds a job
 * in a subnet that uses its own private main table, and has a VPC flow log.
 */
async function seed(): Promise<Ids> {
  const ec2 = new EC2Client(clientConfig(endpoint, REGION));
  const sm = new SageMakerClient(clientConfig(endpoint, REGION));
  const ids: Ids = {};
  const vpc = async (cidr: string) => (await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
  const subnet = async (vpcId: string, cidr: string) =>
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr }))).Subnet!.SubnetId!;

  ids.vpcMl = await vpc('10.20.0.0/16');
  ids.vpcPeer = await vpc('10.30.0.0/16');
  ids.vpcLogged = await vpc('10.40.0.0/16');
  ids.publicSubnet = await subnet(ids.vpcMl, '10.20.1.0/24');
  ids.privateSubnet = await subnet(ids.vpcMl, '10.20.2.0/24');
  ids.loggedSubnet = await subnet(ids.vpcLogged, '10.40.1.0/24');
  await ec2.send(
    new ModifySubnetAttributeCommand({ SubnetId: ids.publicSubnet, MapPublicIpOnLaunch: { Value: true } }),
  );

  const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
  ids.igw = InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: ids.igw, VpcId: ids.vpcMl }));
  const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
  const { NatGateway } = await ec2.send(
    new CreateNatGatewayCommand({ SubnetId: ids.publicSubnet, AllocationId: AllocationId! }),
  );
  ids.nat = NatGateway!.NatGatewayId!;

  const { VpcPeeringConnection } = await ec2.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: ids.vpcMl, PeerVpcId: ids.vpcPeer }),
  );
  ids.pcx = VpcPeeringConnection!.VpcPeeringConnectionId!;
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: ids.pcx }));

  const route = (RouteTableId: string, DestinationCidrBlock: string, target: object) =>
    ec2.send(new CreateRouteCommand({ RouteTableId, DestinationCidrBlock, ...target }));
  ids.rtbPublic = await routeTableFor(ec2, ids.vpcMl, ids.publicSubnet);
  await route(ids.rtbPublic, '0.0.0.0/0', { GatewayId: ids.igw });
  await route(ids.rtbPublic, '10.30.1.0/24', { VpcPeeringConnectionId: ids.pcx }); // one peer subnet: fine
  ids.rtbPrivate = await routeTableFor(ec2, ids.vpcMl, ids.privateSubnet);
  await route(ids.rtbPrivate, '0.0.0.0/0', { NatGatewayId: ids.nat });
  await route(ids.rtbPrivate, '10.30.0.0/16', { VpcPeeringConnectionId: ids.pcx }); // the whole peer: too broad
  // vpc-ml's main table is public, but no subnet of vpc-ml uses it; vpc-logged's main table is private.
  ids.rtbMainMl = await mainRouteTable(ec2, ids.vpcMl);
  await route(ids.rtbMainMl, '0.0.0.0/0', { GatewayId: ids.igw });
  ids.rtbMainLogged = await mainRouteTable(ec2, ids.vpcLogged);

  // Private subnet: 443 from the VPC (its replies to the VPC are denied), a shadowed deny, NAT egress.
  ids.aclApp = await createNacl(ec2, ids.vpcMl, [
    { n: 100, proto: '6', action: 'allow', cidr: '10.20.0.0/16', from: 443 },
    { n: 110, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 1024, to: 65535 },
    { n: 120, proto: '6', action: 'deny', cidr: '10.20.0.0/16', from: 443 },
    { n: 100, egress: true, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 443 },
  ]);
  await associateNacl(ec2, ids.privateSubnet, ids.aclApp);
  // Public subnet: the textbook web ACL, return paths both ways (look-alike).
  ids.aclWeb = await createNacl(ec2, ids.vpcMl, [
    { n: 100, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 443 },
    { n: 110, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 1024, to: 65535 },
    { n: 100, egress: true, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 1024, to: 65535 },
    { n: 110, egress: true, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 443 },
  ]);
  await associateNacl(ec2, ids.publicSubnet, ids.aclWeb);
  // Associated with nothing.
  ids.aclSpare = await createNacl(ec2, ids.vpcMl, [
    { n: 100, proto: '6', action: 'allow', cidr: '10.0.0.0/8', from: 22 },
  ]);

  const logs = (ResourceIds: string[], ResourceType: 'VPC' | 'Subnet') =>
    ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds,
        ResourceType,
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: 'flow-logs',
        DeliverLogsPermissionArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/flow-logs`,
      }),
    );
  await logs([ids.privateSubnet], 'Subnet');
  await logs([ids.vpcLogged], 'VPC');

  await sm.send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: 'nb-public',
      InstanceType: 'ml.t3.medium',
      RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
      DirectInternetAccess: 'Disabled',
      SubnetId: ids.publicSubnet,
      SecurityGroupIds: [],
    }),
  );
  await sm.send(trainingJob('train-private', ids.privateSubnet));
  await sm.send(trainingJob('train-logged', ids.loggedSubnet));

  const { NetworkAcls } = await ec2.send(
    new DescribeNetworkAclsCommand({ Filters: [{ Name: 'default', Values: ['true'] }] }),
  );
  ids.defaultAcls = (NetworkAcls ?? [])
    .map((a) => a.NetworkAclId!)
    .sort()
    .join(',');
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

function findingsOf(ruleId: string) {
  return withoutMotoGapNotes(result).filter((f) => f.ruleId === ruleId);
}

beforeAll(async () => {
  await resetMoto(endpoint);
  ids = await seed();
  run = await cli([
    'audit',
    '--regions',
    REGION,
    '--rules',
    'nacl-*,subnet-*,route-*,vpc-*',
    '--scope',
    'account',
    '--max-attempts',
    '2',
    '--format',
    'json',
  ]);
  result = JSON.parse(run.stdout) as AuditResult;
});

describe('network-acls and routes rules against a moto account', () => {
  it('runs cleanly: exit 0, every finding in the region, none NOT_EVALUATED for these rules', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(result.findings.every((f) => f.region === REGION && f.account === MOTO_ACCOUNT)).toBe(true);
    const mine = /^(nacl-|subnet-ml-|route-|vpc-ml-)/;
    expect(
      withoutMotoGapNotes(result).filter((f) => mine.test(f.ruleId) && f.status === 'NOT_EVALUATED'),
    ).toEqual([]);
  });

  it('nacl-world-ingress-all: exactly the default ACLs (moto creates them allow-all), no custom ACL', () => {
    expect(failing('nacl-world-ingress-all')).toEqual(ids.defaultAcls!.split(','));
    expect(ids.defaultAcls!.split(',')).toHaveLength(4); // the default VPC's and our three VPCs'
    for (const f of findingsOf('nacl-world-ingress-all')) {
      expect(f.severity).toBe('HIGH');
      expect(f.message).toContain('by inbound rule 100 (allow all traffic from 0.0.0.0/0)');
      expect(f.evidence).toMatchObject({ isDefault: true });
    }
  });

  it('nacl-shadowed-rule: the deny that rule 100 already decides, as a MEDIUM finding', () => {
    const findings = findingsOf('nacl-shadowed-rule');
    expect(findings.map((f) => [f.resource.id, f.severity])).toEqual([[ids.aclApp, 'MEDIUM']]);
    expect(findings[0]?.message).toContain('inbound rule 120 (deny tcp 443 from 10.20.0.0/16) never matches');
  });

  it('nacl-missing-return-path: the inbound 443 whose replies to the VPC are denied, not the web ACL', () => {
    const findings = findingsOf('nacl-missing-return-path');
    expect(findings.map((f) => f.resource.id)).toEqual([ids.aclApp]);
    expect(findings[0]?.message).toContain(
      'inbound rule 100 (allow tcp 443 from 10.20.0.0/16) has no return path: outbound tcp 1024-65535 to 10.20.0.0/16 is denied by the implicit deny',
    );
  });

  it('nacl-unused: the spare custom ACL only (default ACLs without subnets are not unused)', () => {
    expect(failing('nacl-unused')).toEqual([ids.aclSpare]);
  });

  it('subnet-ml-public: the notebook subnet behind the IGW, not the NAT subnet nor the subnet of another VPC', () => {
    const findings = findingsOf('subnet-ml-public');
    expect(findings.map((f) => f.resource.id)).toEqual([ids.publicSubnet]);
    expect(findings[0]?.evidence).toMatchObject({ routeTableId: ids.rtbPublic, association: 'explicit' });
    expect(findings[0]?.message).toContain(`sends 0.0.0.0/0 to internet gateway ${ids.igw}`);
    expect(findings[0]?.message).toContain('notebook instance nb-public');
  });

  it('subnet-ml-auto-public-ip: the ML subnet with MapPublicIpOnLaunch only', () => {
    expect(failing('subnet-ml-auto-public-ip')).toEqual([ids.publicSubnet]);
  });

  it('route-blackhole-on-ml-subnet: silent (moto never reports a blackhole route)', () => {
    expect(findingsOf('route-blackhole-on-ml-subnet')).toEqual([]);
  });

  it('route-peering-too-broad: the whole-peer route, not the /24 one', () => {
    const findings = findingsOf('route-peering-too-broad');
    expect(findings.map((f) => f.resource.id)).toEqual([ids.rtbPrivate]);
    expect(findings[0]?.message).toContain(
      `routes 10.30.0.0/16 to peering connection ${ids.pcx}: it covers the whole CIDR 10.30.0.0/16 of peer VPC ${ids.vpcPeer}`,
    );
  });

  it('vpc-ml-flow-logs-disabled: the ML VPC with a subnet flow log only, not the logged VPC', () => {
    const findings = findingsOf('vpc-ml-flow-logs-disabled');
    expect(findings.map((f) => f.resource.id)).toEqual([ids.vpcMl]);
    expect(findings[0]?.message).toContain(`only ${ids.privateSubnet}`);
    expect(findings[0]?.message).toContain('partial coverage');
  });
});
