import {
  AcceptVpcPeeringConnectionCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcPeeringConnectionCommand,
  DeleteSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type IpPermission,
  RevokeSecurityGroupEgressCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateNotebookInstanceCommand,
  CreateTrainingJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditResult } from '../../src/result.ts';
import { failingIds, type ProcessRun, runCli, withoutMotoGapNotes } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto } from './seed.ts';

const endpoint = inject('motoEndpoint');
const REGION = 'us-east-1';

function cli(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return runCli(endpoint, args, env, REGION);
}

interface Ids {
  [name: string]: string;
}

const tcp = (cidr: string, from: number, to = from): IpPermission => ({
  IpProtocol: 'tcp',
  FromPort: from,
  ToPort: to,
  IpRanges: [{ CidrIp: cidr }],
});

async function group(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  ingress: IpPermission[] = [],
): Promise<string> {
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }),
  );
  if (ingress.length)
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: ingress }));
  return GroupId!;
}

function trainingJob(name: string, isolated: boolean, subnet: string, groupId: string) {
  return new CreateTrainingJobCommand({
    TrainingJobName: name,
    AlgorithmSpecification: {
      TrainingImage: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch:2',
      TrainingInputMode: 'File',
    },
    RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
    OutputDataConfig: { S3OutputPath: 's3://bucket/out' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    EnableNetworkIsolation: isolated,
    VpcConfig: { Subnets: [subnet], SecurityGroupIds: [groupId] },
  });
}

async function seed(): Promise<Ids> {
  const ec2 = new EC2Client(clientConfig(endpoint, REGION));
  const sm = new SageMakerClient(clientConfig(endpoint, REGION));
  const ids: Ids = {};
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = Vpc!.VpcId!;
  const { Vpc: peerVpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
  const peerVpcId = peerVpc!.VpcId!;
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }));
  const subnetId = Subnet!.SubnetId!;
  Object.assign(ids, { vpcId, peerVpcId, subnetId });

  // World ingress: MySQL (high-risk, unauthorized); a load balancer's 80/443 (look-alike).
  ids.mysqlOpen = await group(ec2, vpcId, 'mysql-open', [tcp('0.0.0.0/0', 3306)]);
  ids.lb = await group(ec2, vpcId, 'lb', [tcp('0.0.0.0/0', 80), tcp('0.0.0.0/0', 443)]);
  ids.mysqlPrivate = await group(ec2, vpcId, 'mysql-private', [tcp('10.0.0.0/8', 3306)]);
  // Wide public range (fails) and an office /24 (look-alike).
  ids.wide = await group(ec2, vpcId, 'partner-wide', [tcp('52.0.0.0/12', 443)]);
  ids.office = await group(ec2, vpcId, 'office', [tcp('203.0.113.0/24', 443)]);
  // A rule covered by another (fails) and two rules that only overlap (look-alike).
  ids.redundant = await group(ec2, vpcId, 'redundant', [
    tcp('10.1.0.0/16', 443),
    tcp('10.0.0.0/8', 0, 65535),
  ]);
  ids.overlap = await group(ec2, vpcId, 'overlap', [
    tcp('10.0.0.0/8', 80, 443),
    tcp('10.0.0.0/8', 443, 8443),
  ]);
  // 51 inbound rules (quota threshold 50).
  ids.big = await group(
    ec2,
    vpcId,
    'big',
    Array.from({ length: 51 }, (_, i) => tcp('10.0.0.0/8', 1000 + i)),
  );
  // A group referenced only by another group's egress rule: used (look-alike for sg-unused).
  ids.egressTarget = await group(ec2, vpcId, 'egress-target');
  await ec2.send(
    new AuthorizeSecurityGroupEgressCommand({
      GroupId: ids.lb,
      IpPermissions: [
        {
          IpProtocol: 'tcp',
          FromPort: 8080,
          ToPort: 8080,
          UserIdGroupPairs: [{ GroupId: ids.egressTarget }],
        },
      ],
    }),
  );
  ids.orphan = await group(ec2, vpcId, 'orphan');

  // A reference to a group in a peered VPC, which is then deleted: stale.
  const { VpcPeeringConnection } = await ec2.send(
    new CreateVpcPeeringConnectionCommand({ VpcId: vpcId, PeerVpcId: peerVpcId }),
  );
  const pcx = VpcPeeringConnection!.VpcPeeringConnectionId!;
  await ec2.send(new AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: pcx }));
  const peerGroup = await group(ec2, peerVpcId, 'peer-db');
  ids.stale = await group(ec2, vpcId, 'stale', [
    {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      UserIdGroupPairs: [{ GroupId: peerGroup, VpcId: peerVpcId, VpcPeeringConnectionId: pcx }],
    },
  ]);
  await ec2.send(new DeleteSecurityGroupCommand({ GroupId: peerGroup }));
  ids.deletedPeerGroup = peerGroup;

  // ML: an open training job (fails), an isolated one (look-alike), a notebook with egress tightened.
  ids.mlOpen = await group(ec2, vpcId, 'ml-open');
  ids.mlIsolated = await group(ec2, vpcId, 'ml-isolated');
  ids.mlTight = await group(ec2, vpcId, 'ml-tight');
  await ec2.send(
    new RevokeSecurityGroupEgressCommand({
      GroupId: ids.mlTight,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupEgressCommand({ GroupId: ids.mlTight, IpPermissions: [tcp('0.0.0.0/0', 443)] }),
  );
  await sm.send(trainingJob('sg-train-open', false, subnetId, ids.mlOpen));
  await sm.send(trainingJob('sg-train-isolated', true, subnetId, ids.mlIsolated));
  await sm.send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: 'sg-nb-tight',
      InstanceType: 'ml.t3.medium',
      RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
      DirectInternetAccess: 'Disabled',
      SubnetId: subnetId,
      SecurityGroupIds: [ids.mlTight],
    }),
  );

  // Network interfaces: one carrying 6 groups (quota), one carrying the rest, so only the orphan is unused.
  const many = await ec2.send(
    new CreateNetworkInterfaceCommand({
      SubnetId: subnetId,
      Groups: [ids.mysqlOpen, ids.lb, ids.mysqlPrivate, ids.wide, ids.office, ids.redundant],
    }),
  );
  ids.eniMany = many.NetworkInterface!.NetworkInterfaceId!;
  const rest = await ec2.send(
    new CreateNetworkInterfaceCommand({ SubnetId: subnetId, Groups: [ids.overlap, ids.big, ids.stale] }),
  );
  ids.eniRest = rest.NetworkInterface!.NetworkInterfaceId!;

  const { SecurityGroups } = await ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }),
  );
  ids.defaultGroups = (SecurityGroups ?? [])
    .map((g) => g.GroupId!)
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

beforeAll(async () => {
  await resetMoto(endpoint);
  ids = await seed();
  run = await cli([
    'audit',
    '--regions',
    REGION,
    '--rules',
    'sg-*',
    '--scope',
    'account',
    '--max-attempts',
    '2',
    '--format',
    'json',
  ]);
  result = JSON.parse(run.stdout) as AuditResult;
});

describe('security-groups rules against a moto account', () => {
  it('runs cleanly: exit 0, every finding in us-east-1, nothing NOT_EVALUATED', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(new Set(result.findings.map((f) => f.region))).toEqual(new Set([REGION]));
    expect(withoutMotoGapNotes(result).filter((f) => f.status === 'NOT_EVALUATED')).toEqual([]);
    expect(result.findings.every((f) => f.ruleId.startsWith('sg-'))).toBe(true);
  });

  it('reports high-risk and unauthorized world ingress on MySQL only, not on the load balancer', () => {
    expect(failing('sg-world-ingress-high-risk-port')).toEqual([ids.mysqlOpen]);
    expect(failing('sg-world-ingress-unauthorized-port')).toEqual([ids.mysqlOpen]);
    const finding = result.findings.find((f) => f.ruleId === 'sg-world-ingress-high-risk-port');
    expect(finding?.message).toContain('3306 (MySQL)');
  });

  it('reports the wide public range, not the office /24', () => {
    expect(failing('sg-wide-public-cidr-ingress')).toEqual([ids.wide]);
  });

  it('reports the default group of every VPC, with its outbound rule', () => {
    // Prepare: the default VPC moto creates, ours and the peer VPC
    const defaults = ids.defaultGroups!.split(',');
    // Assess
    expect(defaults).toHaveLength(3);
    expect(failing('sg-default-has-rules')).toEqual(defaults);
    const ours = result.findings.find(
      (f) => f.ruleId === 'sg-default-has-rules' && f.evidence.vpcId === ids.vpcId,
    );
    expect(ours?.evidence).toMatchObject({ attached: false, inboundRules: 0, outboundRules: 1 });
  });

  it('reports all-egress on the open training job’s group, not on the isolated job’s or the tightened notebook’s', () => {
    expect(failing('sg-ml-unrestricted-egress')).toEqual([ids.mlOpen]);
    const finding = result.findings.find((f) => f.ruleId === 'sg-ml-unrestricted-egress');
    expect(finding?.message).toContain('training job sg-train-open');
  });

  it('reports the reference to the deleted peer group', () => {
    expect(failing('sg-stale-reference')).toEqual([ids.stale]);
    const finding = result.findings.find((f) => f.ruleId === 'sg-stale-reference');
    expect(finding?.message).toContain(`${ids.deletedPeerGroup} does not exist in ${ids.peerVpcId}`);
  });

  it('reports the covered rule, not the overlapping pair', () => {
    expect(failing('sg-redundant-rule')).toEqual([ids.redundant]);
  });

  it('reports only the orphan as unused: the egress-only target, ML groups and default groups are used or exempt', () => {
    expect(failing('sg-unused')).toEqual([ids.orphan]);
  });

  it('reports the 51-rule group and the 6-group interface against the quotas', () => {
    expect(failing('sg-rule-quota')).toEqual([ids.big, ids.eniMany].sort());
    const eni = result.findings.find((f) => f.ruleId === 'sg-rule-quota' && f.resource.id === ids.eniMany);
    expect(eni?.resource.type).toBe('AWS::EC2::NetworkInterface');
  });

  it('stays silent on every look-alike', () => {
    const quiet = [
      ids.lb,
      ids.mysqlPrivate,
      ids.office,
      ids.overlap,
      ids.egressTarget,
      ids.mlIsolated,
      ids.mlTight,
    ];
    expect(result.findings.filter((f) => quiet.includes(f.resource.id))).toEqual([]);
  });
});
