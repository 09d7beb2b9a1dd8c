/**
 * Seeds a small account in moto through the real SDK: for each rule of the core pipeline a bad
 * configuration and a look-alike good one, in us-east-1 and us-west-2.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateManagedPrefixListCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { CreateFirewallCommand, NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import {
  CreateDomainCommand,
  CreateNotebookInstanceCommand,
  CreateTrainingJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';

export const SECRET_SENTINEL = 'sentinel-7f3c9a-DO-NOT-LEAK';
export const MOTO_ACCOUNT = '123456789012';

export function clientConfig(endpoint: string, region: string) {
  return {
    region,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  };
}

export async function resetMoto(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
}

export interface SeededIds {
  [name: string]: string;
}

async function sg(ec2: EC2Client, vpcId: string, name: string, perms: IpPermission[]): Promise<string> {
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }),
  );
  if (perms.length)
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: perms }));
  return GroupId!;
}

const tcp = (port: number, cidr: string): IpPermission => ({
  IpProtocol: 'tcp',
  FromPort: port,
  ToPort: port,
  IpRanges: [{ CidrIp: cidr }],
});

async function nacl(
  ec2: EC2Client,
  vpcId: string,
  entries: { n: number; proto: string; action: 'allow' | 'deny'; cidr: string; from?: number; to?: number }[],
): Promise<string> {
  const { NetworkAcl } = await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }));
  const id = NetworkAcl!.NetworkAclId!;
  for (const e of entries) {
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: id,
        RuleNumber: e.n,
        Protocol: e.proto,
        RuleAction: e.action,
        Egress: false,
        CidrBlock: e.cidr,
        ...(e.from !== undefined ? { PortRange: { From: e.from, To: e.to ?? e.from } } : {}),
      }),
    );
  }
  return id;
}

/** CreateTrainingJob with what moto requires; the VPC placement, image and isolation as given. */
export function trainingJobCommand(
  name: string,
  vpc: { subnets: string[]; groups: string[] },
  opts: {
    image?: string;
    isolated?: boolean;
    environment?: Record<string, string>;
    hyperParameters?: Record<string, string>;
  } = {},
) {
  return new CreateTrainingJobCommand({
    TrainingJobName: name,
    AlgorithmSpecification: {
      TrainingImage: opts.image ?? '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch:2',
      TrainingInputMode: 'File',
    },
    RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
    OutputDataConfig: { S3OutputPath: 's3://bucket/out' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    EnableNetworkIsolation: opts.isolated ?? false,
    VpcConfig: { Subnets: vpc.subnets, SecurityGroupIds: vpc.groups },
    ...(opts.environment ? { Environment: opts.environment } : {}),
    ...(opts.hyperParameters ? { HyperParameters: opts.hyperParameters } : {}),
  });
}

function trainingJob(name: string, isolated: boolean, subnet: string, sgId: string) {
  return trainingJobCommand(
    name,
    { subnets: [subnet], groups: [sgId] },
    {
      isolated,
      environment: { DB_PASSWORD: SECRET_SENTINEL },
      hyperParameters: { api_key: SECRET_SENTINEL },
    },
  );
}

/** us-east-1: every rule of the core pipeline, bad and look-alike. */
export async function seedEast(endpoint: string): Promise<SeededIds> {
  const region = 'us-east-1';
  const ec2 = new EC2Client(clientConfig(endpoint, region));
  const sm = new SageMakerClient(clientConfig(endpoint, region));
  const nfw = new NetworkFirewallClient(clientConfig(endpoint, region));
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }));
  const vpcId = Vpc!.VpcId!;
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }));
  const subnetId = Subnet!.SubnetId!;

  const { PrefixList: worldList } = await ec2.send(
    new CreateManagedPrefixListCommand({
      PrefixListName: 'partners-oops',
      AddressFamily: 'IPv4',
      MaxEntries: 5,
      Entries: [{ Cidr: '0.0.0.0/0', Description: 'temporary' }],
    }),
  );
  const { PrefixList: officeList } = await ec2.send(
    new CreateManagedPrefixListCommand({
      PrefixListName: 'office',
      AddressFamily: 'IPv4',
      MaxEntries: 5,
      Entries: [{ Cidr: '198.51.100.0/24', Description: 'HQ' }],
    }),
  );

  const ids: SeededIds = { vpcId, subnetId };
  ids.sshOpen = await sg(ec2, vpcId, 'ssh-open', [tcp(22, '0.0.0.0/0')]);
  ids.allOpen = await sg(ec2, vpcId, 'all-open', [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }]);
  ids.halvesOpen = await sg(ec2, vpcId, 'rdp-halves', [
    {
      IpProtocol: 'tcp',
      FromPort: 3389,
      ToPort: 3389,
      IpRanges: [{ CidrIp: '0.0.0.0/1' }, { CidrIp: '128.0.0.0/1' }],
    },
  ]);
  ids.worldPrefixList = await sg(ec2, vpcId, 'ssh-via-prefix-list', [
    {
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      PrefixListIds: [{ PrefixListId: worldList!.PrefixListId! }],
    },
  ]);
  // Look-alikes: must stay silent.
  ids.sshOffice = await sg(ec2, vpcId, 'ssh-office', [tcp(22, '203.0.113.0/24')]);
  ids.httpsOpen = await sg(ec2, vpcId, 'https-open', [tcp(443, '0.0.0.0/0'), tcp(80, '0.0.0.0/0')]);
  ids.sshOfficeList = await sg(ec2, vpcId, 'ssh-office-list', [
    {
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      PrefixListIds: [{ PrefixListId: officeList!.PrefixListId! }],
    },
  ]);
  ids.wideButNotWorld = await sg(ec2, vpcId, 'wide-12', [tcp(22, '52.0.0.0/12')]);
  const selfRef = await sg(ec2, vpcId, 'self-ref', []);
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: selfRef,
      IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: selfRef }] }],
    }),
  );
  ids.selfRef = selfRef;

  ids.naclSsh = await nacl(ec2, vpcId, [
    { n: 100, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 22 },
  ]);
  ids.naclDenyFirst = await nacl(ec2, vpcId, [
    { n: 90, proto: '6', action: 'deny', cidr: '0.0.0.0/0', from: 22 },
    { n: 100, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 22 },
    { n: 110, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 443 },
  ]);
  ids.naclDenyAfter = await nacl(ec2, vpcId, [
    { n: 100, proto: '6', action: 'allow', cidr: '0.0.0.0/0', from: 3389 },
    { n: 200, proto: '6', action: 'deny', cidr: '0.0.0.0/0', from: 3389 },
  ]);

  await sm.send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: 'nb-direct',
      InstanceType: 'ml.t3.medium',
      RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
      DirectInternetAccess: 'Enabled',
    }),
  );
  await sm.send(
    new CreateNotebookInstanceCommand({
      NotebookInstanceName: 'nb-private',
      InstanceType: 'ml.t3.medium',
      RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
      DirectInternetAccess: 'Disabled',
      SubnetId: subnetId,
      SecurityGroupIds: [ids.sshOffice],
    }),
  );
  const publicDomain = await sm.send(
    new CreateDomainCommand({
      DomainName: 'public-domain',
      AuthMode: 'IAM',
      DefaultUserSettings: { ExecutionRole: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm` },
      SubnetIds: [subnetId],
      VpcId: vpcId,
      AppNetworkAccessType: 'PublicInternetOnly',
    }),
  );
  const vpcDomain = await sm.send(
    new CreateDomainCommand({
      DomainName: 'vpc-domain',
      AuthMode: 'IAM',
      DefaultUserSettings: {
        ExecutionRole: `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`,
        SecurityGroups: [ids.selfRef],
      },
      SubnetIds: [subnetId],
      VpcId: vpcId,
      AppNetworkAccessType: 'VpcOnly',
    }),
  );
  ids.publicDomain = publicDomain.DomainArn!.split('/').pop()!;
  ids.vpcDomain = vpcDomain.DomainArn!.split('/').pop()!;

  await sm.send(trainingJob('train-open', false, subnetId, ids.selfRef));
  await sm.send(trainingJob('train-isolated', true, subnetId, ids.selfRef));

  const fw = await nfw.send(
    new CreateFirewallCommand({
      FirewallName: 'egress-fw',
      FirewallPolicyArn: `arn:aws:network-firewall:${region}:${MOTO_ACCOUNT}:firewall-policy/egress-policy`,
      VpcId: vpcId,
      SubnetMappings: [{ SubnetId: subnetId }],
    }),
  );
  ids.firewallArn = fw.Firewall!.FirewallArn!;
  ids.policyArn = fw.Firewall!.FirewallPolicyArn!;
  for (const c of [ec2, sm, nfw]) c.destroy();
  return ids;
}

/** us-west-2: RDP open, and a training job without isolation. */
export async function seedWest(endpoint: string): Promise<SeededIds> {
  const region = 'us-west-2';
  const ec2 = new EC2Client(clientConfig(endpoint, region));
  const sm = new SageMakerClient(clientConfig(endpoint, region));
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }));
  const vpcId = Vpc!.VpcId!;
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.1.0/24' }));
  const ids: SeededIds = { vpcId, subnetId: Subnet!.SubnetId! };
  ids.rdpOpen = await sg(ec2, vpcId, 'rdp-open', [tcp(3389, '0.0.0.0/0')]);
  ids.rdpV6 = await sg(ec2, vpcId, 'rdp-v6', [
    { IpProtocol: 'udp', FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
  ]);
  await sm.send(trainingJob('west-train-open', false, ids.subnetId!, ids.rdpOpen));
  ec2.destroy();
  sm.destroy();
  return ids;
}
