/**
 * Reachability against moto through the real SDK, collectors, path engine and CLI: a public-subnet
 * notebook open on 8888, a job behind a NAT gateway, a job whose NAT gateway was deleted, and an
 * IPv6-only job behind an egress-only internet gateway. The reach findings and the exposure section
 * are asserted port by port.
 */
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AssociateSubnetCidrBlockCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateEgressOnlyInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateNetworkAclEntryCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteNatGatewayCommand,
  DescribeNetworkAclsCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
} from '@aws-sdk/client-ec2';
import { CreateNotebookInstanceCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ResourceExposure } from '../../src/analyze/paths/exposure.ts';
import type { AuditResult } from '../../src/result.ts';
import { failingIds, type ProcessRun, runCli, withoutMotoGapNotes } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto, trainingJobCommand } from './seed.ts';

const endpoint = inject('motoEndpoint');
const REGION = 'us-east-1';
const ALL_TRAFFIC = [{ protocol: 'all', ports: 'all' }];

interface Ids {
  [name: string]: string;
}

function trainingJob(name: string, subnet: string, group: string) {
  return trainingJobCommand(name, { subnets: [subnet], groups: [group] }, { image: 'my-algo:1' });
}

/**
 * vpc-reach (10.60.0.0/16 plus an Amazon IPv6 block), igw attached:
 * - public (10.60.0.0/24, auto-assign IPv4, 0.0.0.0/0 -> igw): notebook nb-public, tcp 8888 open to
 *   the world, and NAT gateway nat-live;
 * - nat (10.60.1.0/24, 0.0.0.0/0 -> nat-live): job job-nat;
 * - dead (10.60.2.0/24, 0.0.0.0/0 -> nat-dead, deleted since): job job-dead;
 * - v6 (10.60.3.0/24 + a /64, IPv6 on create, ::/0 -> eigw only): job job-v6.
 */
async function seed(): Promise<Ids> {
  const ec2 = new EC2Client(clientConfig(endpoint, REGION));
  const sm = new SageMakerClient(clientConfig(endpoint, REGION));
  const ids: Ids = {};
  const { Vpc } = await ec2.send(
    new CreateVpcCommand({ CidrBlock: '10.60.0.0/16', AmazonProvidedIpv6CidrBlock: true }),
  );
  const vpcId = Vpc!.VpcId!;
  ids.vpc = vpcId;
  const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  const v6Block = Vpcs?.[0]?.Ipv6CidrBlockAssociationSet?.[0]?.Ipv6CidrBlock;
  if (!v6Block) throw new Error('moto gave the VPC no IPv6 block');

  const subnet = async (cidr: string) =>
    (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr }))).Subnet!.SubnetId!;
  const table = async (subnetId: string, route: Record<string, string>) => {
    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const id = RouteTable!.RouteTableId!;
    await ec2.send(new AssociateRouteTableCommand({ RouteTableId: id, SubnetId: subnetId }));
    await ec2.send(new CreateRouteCommand({ RouteTableId: id, ...route }));
    return id;
  };

  const { InternetGateway } = await ec2.send(new CreateInternetGatewayCommand({}));
  ids.igw = InternetGateway!.InternetGatewayId!;
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: ids.igw, VpcId: vpcId }));

  ids.public = await subnet('10.60.0.0/24');
  await ec2.send(
    new ModifySubnetAttributeCommand({ SubnetId: ids.public, MapPublicIpOnLaunch: { Value: true } }),
  );
  await table(ids.public, { DestinationCidrBlock: '0.0.0.0/0', GatewayId: ids.igw });

  const nat = async () => {
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }));
    const { NatGateway } = await ec2.send(
      new CreateNatGatewayCommand({ SubnetId: ids.public, AllocationId }),
    );
    return NatGateway!.NatGatewayId!;
  };
  ids.natLive = await nat();
  ids.natDead = await nat();

  ids.nat = await subnet('10.60.1.0/24');
  await table(ids.nat, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ids.natLive });
  ids.dead = await subnet('10.60.2.0/24');
  await table(ids.dead, { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: ids.natDead });
  await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: ids.natDead }));

  ids.v6 = await subnet('10.60.3.0/24');
  await ec2.send(
    new AssociateSubnetCidrBlockCommand({
      SubnetId: ids.v6,
      Ipv6CidrBlock: v6Block.replace(/::\/56$/, '::/64'),
    }),
  );
  await ec2.send(
    new ModifySubnetAttributeCommand({ SubnetId: ids.v6, AssignIpv6AddressOnCreation: { Value: true } }),
  );
  // AWS adds rules 101 allowing ::/0 both ways to the default NACL of a VPC with an IPv6 block; moto
  // does not, so they are added here as AWS would have them (without them the NACL denies all IPv6).
  const { NetworkAcls } = await ec2.send(
    new DescribeNetworkAclsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'default', Values: ['true'] },
      ],
    }),
  );
  const defaultAcl = NetworkAcls?.[0]?.NetworkAclId;
  if (!defaultAcl) throw new Error('moto gave the VPC no default NACL');
  for (const Egress of [false, true]) {
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: defaultAcl,
        RuleNumber: 101,
        Protocol: '-1',
        RuleAction: 'allow',
        Egress,
        Ipv6CidrBlock: '::/0',
      }),
    );
  }
  const { EgressOnlyInternetGateway } = await ec2.send(
    new CreateEgressOnlyInternetGatewayCommand({ VpcId: vpcId }),
  );
  ids.eigw = EgressOnlyInternetGateway!.EgressOnlyInternetGatewayId!;
  await table(ids.v6, { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: ids.eigw });

  const group = async (name: string) =>
    (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId })))
      .GroupId!;
  ids.sgNotebook = await group('nb-open');
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: ids.sgNotebook,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 8888, ToPort: 8888, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
      ],
    }),
  );
  ids.sgJob = await group('job');
  // A new group in a VPC with an IPv6 block allows all outbound IPv4 and IPv6 (::/0) already.

  await sm.send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: 'nb-public',
      InstanceType: 'ml.t3.medium',
      RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
      DirectInternetAccess: 'Disabled',
      SubnetId: ids.public,
      SecurityGroupIds: [ids.sgNotebook],
    }),
  );
  await sm.send(trainingJob('job-nat', ids.nat, ids.sgJob));
  await sm.send(trainingJob('job-dead', ids.dead, ids.sgJob));
  await sm.send(trainingJob('job-v6', ids.v6, ids.sgJob));

  ec2.destroy();
  sm.destroy();
  return ids;
}

let ids: Ids;
let run: ProcessRun;
let result: AuditResult & { exposure: ResourceExposure[] };

const exposure = (id: string) => result.exposure.find((e) => e.resource.id === id);

beforeAll(async () => {
  await resetMoto(endpoint);
  ids = await seed();
  run = await runCli(
    endpoint,
    [
      'audit',
      '--regions',
      REGION,
      '--rules',
      'reach-*',
      '--fail-on',
      'critical',
      '--max-attempts',
      '2',
      '--format',
      'json',
    ],
    {},
    REGION,
  );
  result = JSON.parse(run.stdout);
});

describe('reachability against moto: collected, walked and reported', () => {
  it('evaluates every reach rule (nothing NOT_EVALUATED) and exits 3 for the critical finding', () => {
    expect(run.code, run.stderr).toBe(3);
    expect(withoutMotoGapNotes(result).filter((f) => f.status === 'NOT_EVALUATED')).toEqual([]);
    expect(result.exposure.map((e) => e.resource.id).sort()).toEqual([
      'job-dead',
      'job-nat',
      'job-v6',
      'nb-public',
    ]);
  });

  it('finds the public notebook reachable from the internet on tcp/8888 only, through the internet gateway', () => {
    expect(failingIds(result, 'reach-internet-to-ml')).toEqual(['nb-public']);
    const f = result.findings.find((x) => x.ruleId === 'reach-internet-to-ml');
    expect(f?.message).toContain('8888');
    expect(f?.message).toContain(ids.igw);
    const e = exposure('nb-public');
    expect(e?.inbound.fromInternet).toEqual([{ protocol: 'tcp', ports: '8888' }]);
    expect(e?.inbound.paths.map((p) => [p.subnetId, p.entry])).toEqual([[ids.public, ids.igw]]);
    expect(e?.outbound.toInternet).toEqual(ALL_TRAFFIC);
    expect(e?.outbound.inspection).toBe('none');
  });

  it('finds the NAT job reaching the internet uninspected, through nat-live and the internet gateway, and nothing inbound', () => {
    const e = exposure('job-nat');
    expect(e?.inbound.fromInternet).toEqual([]);
    expect(e?.outbound.toInternet).toEqual(ALL_TRAFFIC);
    expect(e?.outbound.paths.map((p) => [p.subnetId, p.exit, p.exitId, p.inspected])).toEqual([
      [ids.nat, 'internet', ids.igw, false],
    ]);
    expect(e?.outbound.paths[0]?.hops.join(' | ')).toContain(`NAT gateway ${ids.natLive}`);
    expect(failingIds(result, 'reach-ml-egress-uninspected')).toContain('job-nat');
  });

  it('names the deleted NAT gateway as the blocked hop of job-dead, which then has no path to the AWS APIs', () => {
    const e = exposure('job-dead');
    expect(e?.outbound.toInternet).toEqual([]);
    expect(e?.blocked).toEqual([
      expect.objectContaining({
        subnetId: ids.dead,
        reason: 'nat-unavailable',
        at: expect.stringContaining(ids.natDead ?? 'nat-dead'),
      }),
    ]);
    expect(failingIds(result, 'reach-ml-no-aws-api-path')).toEqual(['job-dead']);
    expect(failingIds(result, 'reach-ml-egress-uninspected')).not.toContain('job-dead');
  });

  it('gives the IPv6 job outbound IPv6 through the egress-only gateway and nothing inbound', () => {
    const e = exposure('job-v6');
    expect(e?.inbound.fromInternet).toEqual([]);
    expect(e?.outbound.paths.map((p) => [p.exit, p.exitId])).toEqual([['internet', ids.eigw]]);
    expect(e?.outbound.toInternet).toEqual(ALL_TRAFFIC);
    expect(failingIds(result, 'reach-ml-no-aws-api-path')).not.toContain('job-v6');
  });
});
