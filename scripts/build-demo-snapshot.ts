/**
 * Builds events/demo-snapshot.json: a realistic account modelled on the seeds.
 *
 * - VPC "ml-platform": a VpcOnly Studio domain in private subnets whose egress goes NAT gateway ->
 *   AWS Network Firewall (domain allowlist) -> internet gateway, with the IGW edge route table sending
 *   return traffic back through the firewall; interface endpoints for SageMaker, STS and Logs, an S3
 *   gateway endpoint; ordered NACLs.
 * - The default VPC: a legacy notebook with direct internet access, a security group with SSH open to
 *   the world, a debug group open on every port, a public "sandbox" Studio domain.
 * - Training jobs with and without network isolation; a processing job; a model behind an endpoint.
 * - A hyperparameter tuning job without isolation, a HyperPod cluster in a public subnet, a Model
 *   Monitor data-quality job definition and its schedule.
 * - us-west-2: a small second region with RDP open, and one coverage gap.
 *
 * Run: npx tsx scripts/build-demo-snapshot.ts (writes the file; it is data, committed as such).
 */
import { writeFile } from 'node:fs/promises';
import { RESOURCE_TABLE, type ResourceArrayKind } from '../src/inventory/kinds.ts';
import { emptyRegionInventory, type Inventory, type SecurityGroupRule } from '../src/inventory/schema.ts';
import { serializeSnapshot } from '../src/inventory/snapshot.ts';
import { hashTagValue } from '../src/inventory/tags.ts';

const ACCOUNT = '111122223333';
const east = emptyRegionInventory(ACCOUNT, 'us-east-1');
const west = emptyRegionInventory(ACCOUNT, 'us-west-2');

const ML_VPC = 'vpc-0a1b2c3d4e5f60001';
const DEFAULT_VPC = 'vpc-0d3fa017c0ffee002';
const S3_PL = 'pl-63a5400a';

const sub = {
  studioA: 'subnet-0studio0000000a01',
  studioB: 'subnet-0studio0000000b02',
  natA: 'subnet-0nat000000000a03',
  fwA: 'subnet-0fw0000000000a04',
  endpointsA: 'subnet-0vpce00000000a05',
  endpointsB: 'subnet-0vpce00000000b06',
  legacyPublic: 'subnet-0legacy0000000a07',
  legacyPublicB: 'subnet-0legacy0000000b08',
};

east.vpcs.push(
  { vpcId: ML_VPC, ownerId: ACCOUNT, isDefault: false, cidrBlocks: ['10.20.0.0/16'], ipv6CidrBlocks: [] },
  {
    vpcId: DEFAULT_VPC,
    ownerId: ACCOUNT,
    isDefault: true,
    cidrBlocks: ['172.31.0.0/16'],
    ipv6CidrBlocks: [],
  },
);

function subnet(subnetId: string, vpcId: string, cidrBlock: string, az: string, mapPublicIpOnLaunch = false) {
  return {
    subnetId,
    vpcId,
    availabilityZone: az,
    availabilityZoneId: az === 'us-east-1a' ? 'use1-az1' : 'use1-az2',
    cidrBlock,
    ipv6CidrBlocks: [],
    mapPublicIpOnLaunch,
    assignIpv6AddressOnCreation: false,
    defaultForAz: vpcId === DEFAULT_VPC,
  };
}
east.subnets.push(
  subnet(sub.studioA, ML_VPC, '10.20.1.0/24', 'us-east-1a'),
  subnet(sub.studioB, ML_VPC, '10.20.2.0/24', 'us-east-1b'),
  subnet(sub.natA, ML_VPC, '10.20.10.0/24', 'us-east-1a'),
  subnet(sub.fwA, ML_VPC, '10.20.20.0/28', 'us-east-1a'),
  subnet(sub.endpointsA, ML_VPC, '10.20.30.0/24', 'us-east-1a'),
  subnet(sub.endpointsB, ML_VPC, '10.20.31.0/24', 'us-east-1b'),
  subnet(sub.legacyPublic, DEFAULT_VPC, '172.31.0.0/20', 'us-east-1a', true),
  subnet(sub.legacyPublicB, DEFAULT_VPC, '172.31.16.0/20', 'us-east-1b', true),
);

const IGW = 'igw-0ml00000000000001';
const DEFAULT_IGW = 'igw-0def0000000000002';
const NAT = 'nat-0ml000000000000001';
const FW_ENDPOINT = 'vpce-0fw00000000000a01';
const S3_GW = 'vpce-0s3gw000000000001';

east.internetGateways.push(
  { internetGatewayId: IGW, attachedVpcIds: [ML_VPC] },
  { internetGatewayId: DEFAULT_IGW, attachedVpcIds: [DEFAULT_VPC] },
);
east.natGateways.push({
  natGatewayId: NAT,
  vpcId: ML_VPC,
  subnetId: sub.natA,
  state: 'available',
  connectivityType: 'public',
  publicIps: ['54.210.11.12'],
  privateIps: ['10.20.10.45'],
});

const local = (cidr: string) => ({
  destinationCidrBlock: cidr,
  target: { kind: 'local' as const, id: 'local' },
  state: 'active',
  origin: 'CreateRouteTable',
});
east.routeTables.push(
  {
    routeTableId: 'rtb-0studio00000000001',
    vpcId: ML_VPC,
    routes: [
      local('10.20.0.0/16'),
      {
        destinationCidrBlock: '0.0.0.0/0',
        target: { kind: 'natGateway', id: NAT },
        state: 'active',
        origin: 'CreateRoute',
      },
      {
        destinationPrefixListId: S3_PL,
        target: { kind: 'vpcEndpoint', id: S3_GW },
        state: 'active',
        origin: 'CreateRoute',
      },
    ],
    associations: [
      { associationId: 'rtbassoc-0s1', main: false, subnetId: sub.studioA, state: 'associated' },
      { associationId: 'rtbassoc-0s2', main: false, subnetId: sub.studioB, state: 'associated' },
    ],
  },
  {
    routeTableId: 'rtb-0nat0000000000002',
    vpcId: ML_VPC,
    routes: [
      local('10.20.0.0/16'),
      {
        destinationCidrBlock: '0.0.0.0/0',
        target: { kind: 'vpcEndpoint', id: FW_ENDPOINT },
        state: 'active',
        origin: 'CreateRoute',
      },
    ],
    associations: [{ associationId: 'rtbassoc-0n1', main: false, subnetId: sub.natA, state: 'associated' }],
  },
  {
    routeTableId: 'rtb-0fw00000000000003',
    vpcId: ML_VPC,
    routes: [
      local('10.20.0.0/16'),
      {
        destinationCidrBlock: '0.0.0.0/0',
        target: { kind: 'internetGateway', id: IGW },
        state: 'active',
        origin: 'CreateRoute',
      },
    ],
    associations: [{ associationId: 'rtbassoc-0f1', main: false, subnetId: sub.fwA, state: 'associated' }],
  },
  {
    routeTableId: 'rtb-0edge000000000004',
    vpcId: ML_VPC,
    routes: [
      local('10.20.0.0/16'),
      {
        destinationCidrBlock: '10.20.10.0/24',
        target: { kind: 'vpcEndpoint', id: FW_ENDPOINT },
        state: 'active',
        origin: 'CreateRoute',
      },
    ],
    associations: [{ associationId: 'rtbassoc-0e1', main: false, gatewayId: IGW, state: 'associated' }],
  },
  {
    routeTableId: 'rtb-0mlmain0000000005',
    vpcId: ML_VPC,
    routes: [local('10.20.0.0/16')],
    associations: [{ associationId: 'rtbassoc-0m1', main: true, state: 'associated' }],
  },
  {
    routeTableId: 'rtb-0defmain000000006',
    vpcId: DEFAULT_VPC,
    routes: [
      local('172.31.0.0/16'),
      // Left behind when the old NAT gateway for the partner VPN was deleted.
      {
        destinationCidrBlock: '10.99.0.0/16',
        target: { kind: 'natGateway', id: 'nat-0deleted00000009' },
        state: 'blackhole',
        origin: 'CreateRoute',
      },
      {
        destinationCidrBlock: '0.0.0.0/0',
        target: { kind: 'internetGateway', id: DEFAULT_IGW },
        state: 'active',
        origin: 'CreateRoute',
      },
    ],
    associations: [{ associationId: 'rtbassoc-0m2', main: true, state: 'associated' }],
  },
);

function rule(
  partial: Partial<SecurityGroupRule> & Pick<SecurityGroupRule, 'ipProtocol' | 'egress'>,
): SecurityGroupRule {
  return { ...partial };
}
const allOut = (id: string) =>
  rule({ ruleId: id, egress: true, ipProtocol: '-1', fromPort: -1, toPort: -1, cidrIpv4: '0.0.0.0/0' });

const SG = {
  studio: 'sg-0studio00000000001',
  endpoints: 'sg-0vpce0000000000002',
  legacySsh: 'sg-0legacyssh0000003',
  debug: 'sg-0debug00000000004',
  mlDefault: 'sg-0mldefault0000005',
  defDefault: 'sg-0defdefault000006',
  training: 'sg-0training0000007',
  efs: 'sg-0domainefs000008',
};

east.securityGroups.push(
  {
    groupId: SG.studio,
    groupName: 'studio-apps',
    vpcId: ML_VPC,
    ownerId: ACCOUNT,
    description: 'SageMaker Studio apps: all traffic within the group (NFS 2049, 8192-65535), egress via NAT',
    rules: [
      rule({
        ruleId: 'sgr-0studioself0001',
        egress: false,
        ipProtocol: '-1',
        fromPort: -1,
        toPort: -1,
        referencedGroup: { groupId: SG.studio, userId: ACCOUNT },
        description: 'within Studio',
      }),
      rule({
        ruleId: 'sgr-0studioself0002',
        egress: true,
        ipProtocol: '-1',
        fromPort: -1,
        toPort: -1,
        referencedGroup: { groupId: SG.studio, userId: ACCOUNT },
      }),
      rule({
        ruleId: 'sgr-0studio443out3',
        egress: true,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      }),
      rule({
        ruleId: 'sgr-0studio80out04',
        egress: true,
        ipProtocol: 'tcp',
        fromPort: 80,
        toPort: 80,
        cidrIpv4: '0.0.0.0/0',
      }),
    ],
  },
  {
    groupId: SG.endpoints,
    groupName: 'vpc-endpoints',
    vpcId: ML_VPC,
    ownerId: ACCOUNT,
    description: 'Interface endpoints: HTTPS from the VPC',
    rules: [
      rule({
        ruleId: 'sgr-0vpce443in0001',
        egress: false,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '10.20.0.0/16',
      }),
      allOut('sgr-0vpceout000002'),
    ],
  },
  {
    groupId: SG.training,
    groupName: 'training-jobs',
    vpcId: ML_VPC,
    ownerId: ACCOUNT,
    description: 'Training jobs: within the group, HTTPS out',
    rules: [
      rule({
        ruleId: 'sgr-0trainself00001',
        egress: false,
        ipProtocol: '-1',
        referencedGroup: { groupId: SG.training, userId: ACCOUNT },
      }),
      rule({
        ruleId: 'sgr-0train443out02',
        egress: true,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '0.0.0.0/0',
      }),
    ],
  },
  {
    groupId: SG.legacySsh,
    groupName: 'legacy-notebook-ssh',
    vpcId: DEFAULT_VPC,
    ownerId: ACCOUNT,
    description: 'legacy notebook, SSH for the data science team',
    rules: [
      rule({
        ruleId: 'sgr-0legacy22in0001',
        egress: false,
        ipProtocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        cidrIpv4: '0.0.0.0/0',
        description: 'ssh from anywhere (temporary)',
      }),
      rule({
        ruleId: 'sgr-0legacy8888in02',
        egress: false,
        ipProtocol: 'tcp',
        fromPort: 8888,
        toPort: 8888,
        cidrIpv4: '198.51.100.0/24',
        description: 'jupyter from office',
      }),
      rule({
        ruleId: 'sgr-0legacy443in003',
        egress: false,
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: '52.94.0.0/16',
        description: 'partner range',
      }),
      allOut('sgr-0legacyout0003'),
    ],
  },
  {
    groupId: SG.debug,
    groupName: 'debug-open-all',
    vpcId: DEFAULT_VPC,
    ownerId: ACCOUNT,
    description: 'debugging a Ray cluster, to be removed',
    rules: [
      rule({ ruleId: 'sgr-0debugall4in001', egress: false, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' }),
      rule({ ruleId: 'sgr-0debugall6in002', egress: false, ipProtocol: '-1', cidrIpv6: '::/0' }),
      rule({
        ruleId: 'sgr-0debugray8265i4',
        egress: false,
        ipProtocol: 'tcp',
        fromPort: 8265,
        toPort: 8265,
        cidrIpv4: '0.0.0.0/0',
        description: 'Ray dashboard',
      }),
      allOut('sgr-0debugout00003'),
    ],
  },
  {
    groupId: SG.mlDefault,
    groupName: 'default',
    vpcId: ML_VPC,
    ownerId: ACCOUNT,
    description: 'default VPC security group',
    rules: [],
  },
  {
    groupId: SG.defDefault,
    groupName: 'default',
    vpcId: DEFAULT_VPC,
    ownerId: ACCOUNT,
    description: 'default VPC security group',
    rules: [
      rule({
        ruleId: 'sgr-0defself000001',
        egress: false,
        ipProtocol: '-1',
        referencedGroup: { groupId: SG.defDefault, userId: ACCOUNT },
      }),
      allOut('sgr-0defout0000002'),
    ],
  },
  {
    groupId: SG.efs,
    groupName: 'security-group-for-inbound-nfs-d-mlplatform01',
    vpcId: ML_VPC,
    ownerId: ACCOUNT,
    description:
      '[DO NOT DELETE] Security Group that allows inbound NFS traffic for SageMaker Notebooks Domain',
    rules: [
      rule({
        ruleId: 'sgr-0efsnfsin00001',
        egress: false,
        ipProtocol: 'tcp',
        fromPort: 2049,
        toPort: 2049,
        referencedGroup: { groupId: SG.studio, userId: ACCOUNT },
      }),
    ],
  },
);

const allowAll = (ruleNumber: number, egress: boolean) => ({
  ruleNumber,
  egress,
  protocol: '-1',
  ruleAction: 'allow' as const,
  cidrBlock: '0.0.0.0/0',
});
const denyAll = (egress: boolean) => ({
  ruleNumber: 32767,
  egress,
  protocol: '-1',
  ruleAction: 'deny' as const,
  cidrBlock: '0.0.0.0/0',
});

east.networkAcls.push(
  {
    networkAclId: 'acl-0studio0000000001',
    vpcId: ML_VPC,
    isDefault: false,
    ownerId: ACCOUNT,
    associatedSubnetIds: [sub.studioA, sub.studioB],
    entries: [
      { ruleNumber: 100, egress: false, protocol: '-1', ruleAction: 'allow', cidrBlock: '10.20.0.0/16' },
      {
        ruleNumber: 200,
        egress: false,
        protocol: '6',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 1024, to: 65535 },
      },
      {
        ruleNumber: 210,
        egress: false,
        protocol: '17',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 1024, to: 65535 },
      },
      denyAll(false),
      { ruleNumber: 100, egress: true, protocol: '-1', ruleAction: 'allow', cidrBlock: '10.20.0.0/16' },
      {
        ruleNumber: 110,
        egress: true,
        protocol: '6',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 443, to: 443 },
      },
      {
        ruleNumber: 120,
        egress: true,
        protocol: '6',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 80, to: 80 },
      },
      {
        ruleNumber: 130,
        egress: true,
        protocol: '17',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 53, to: 53 },
      },
      denyAll(true),
    ],
  },
  {
    networkAclId: 'acl-0mldefault000002',
    vpcId: ML_VPC,
    isDefault: true,
    ownerId: ACCOUNT,
    associatedSubnetIds: [sub.natA, sub.fwA, sub.endpointsA, sub.endpointsB],
    entries: [allowAll(100, false), denyAll(false), allowAll(100, true), denyAll(true)],
  },
  {
    networkAclId: 'acl-0legacy000000003',
    vpcId: DEFAULT_VPC,
    isDefault: false,
    ownerId: ACCOUNT,
    associatedSubnetIds: [sub.legacyPublic],
    entries: [
      // The team meant to block SSH except from the office, but the deny is below the allow.
      {
        ruleNumber: 90,
        egress: false,
        protocol: '6',
        ruleAction: 'allow',
        cidrBlock: '198.51.100.0/24',
        portRange: { from: 22, to: 22 },
      },
      {
        ruleNumber: 100,
        egress: false,
        protocol: '6',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 22, to: 22 },
      },
      {
        ruleNumber: 110,
        egress: false,
        protocol: '6',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 8888, to: 8888 },
      },
      {
        ruleNumber: 120,
        egress: false,
        protocol: '6',
        ruleAction: 'allow',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 1024, to: 65535 },
      },
      {
        ruleNumber: 200,
        egress: false,
        protocol: '6',
        ruleAction: 'deny',
        cidrBlock: '0.0.0.0/0',
        portRange: { from: 22, to: 22 },
      },
      denyAll(false),
      allowAll(100, true),
      denyAll(true),
    ],
  },
  {
    networkAclId: 'acl-0defdefault00004',
    vpcId: DEFAULT_VPC,
    isDefault: true,
    ownerId: ACCOUNT,
    associatedSubnetIds: [sub.legacyPublicB],
    entries: [allowAll(100, false), denyAll(false), allowAll(100, true), denyAll(true)],
  },
);

const interfaceEndpoint = (id: string, service: string) => ({
  vpcEndpointId: id,
  vpcId: ML_VPC,
  serviceName: `com.amazonaws.us-east-1.${service}`,
  vpcEndpointType: 'Interface',
  state: 'available',
  subnetIds: [sub.endpointsA, sub.endpointsB],
  groupIds: [SG.endpoints],
  privateDnsEnabled: true,
  routeTableIds: [],
  networkInterfaceIds: [
    `eni-0${service.replace(/\W/g, '')}a`.slice(0, 21),
    `eni-0${service.replace(/\W/g, '')}b`.slice(0, 21),
  ],
  policyDocument: JSON.stringify({
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  }),
});
east.vpcEndpoints.push(
  interfaceEndpoint('vpce-0smapi000000001', 'sagemaker.api'),
  interfaceEndpoint('vpce-0smrt0000000002', 'sagemaker.runtime'),
  {
    ...interfaceEndpoint('vpce-0sts00000000003', 'sts'),
    privateDnsEnabled: false,
    subnetIds: [sub.endpointsA],
  },
  interfaceEndpoint('vpce-0logs0000000004', 'logs'),
  {
    vpcEndpointId: S3_GW,
    vpcId: ML_VPC,
    serviceName: 'com.amazonaws.us-east-1.s3',
    vpcEndpointType: 'Gateway',
    state: 'available',
    subnetIds: [],
    groupIds: [],
    privateDnsEnabled: false,
    routeTableIds: ['rtb-0studio00000000001'],
    networkInterfaceIds: [],
    policyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::ml-platform-*', 'arn:aws:s3:::ml-platform-*/*'],
        },
      ],
    }),
  },
);
east.prefixLists.push(
  {
    prefixListId: S3_PL,
    prefixListName: 'com.amazonaws.us-east-1.s3',
    ownerId: 'AWS',
    addressFamily: 'IPv4',
    awsManaged: true,
  },
  {
    prefixListId: 'pl-0office000000001',
    prefixListName: 'office-egress',
    ownerId: ACCOUNT,
    addressFamily: 'IPv4',
    awsManaged: false,
    entries: [
      { cidr: '198.51.100.0/24', description: 'HQ' },
      { cidr: '203.0.113.0/25', description: 'Lab' },
    ],
  },
);

east.networkInterfaces.push(
  {
    networkInterfaceId: 'eni-0legacynb00000001',
    interfaceType: 'interface',
    subnetId: sub.legacyPublic,
    vpcId: DEFAULT_VPC,
    availabilityZone: 'us-east-1a',
    groupIds: [SG.legacySsh],
    privateIpAddress: '172.31.5.17',
    publicIp: '3.91.200.17',
    ipv6Addresses: [],
    status: 'in-use',
    requesterId: 'AROAEXAMPLESAGEMAKER',
    requesterManaged: true,
    description: '[DO NOT DELETE] ENI managed by SageMaker Notebook Instance legacy-churn-notebook',
  },
  {
    networkInterfaceId: 'eni-0natgw0000000001',
    interfaceType: 'nat_gateway',
    subnetId: sub.natA,
    vpcId: ML_VPC,
    availabilityZone: 'us-east-1a',
    groupIds: [],
    privateIpAddress: '10.20.10.45',
    publicIp: '54.210.11.12',
    ipv6Addresses: [],
    status: 'in-use',
    requesterManaged: true,
  },
);
east.flowLogs.push({
  flowLogId: 'fl-0mlplatform000001',
  resourceId: ML_VPC,
  trafficType: 'ALL',
  flowLogStatus: 'ACTIVE',
  logDestinationType: 'cloud-watch-logs',
});

// ---------------------------------------------------------------- SageMaker
east.sagemakerDomains.push(
  {
    domainId: 'd-mlplatform01',
    domainArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:domain/d-mlplatform01`,
    domainName: 'ml-platform',
    status: 'InService',
    appNetworkAccessType: 'VpcOnly',
    vpcId: ML_VPC,
    subnetIds: [sub.studioA, sub.studioB],
    defaultUserSecurityGroups: [SG.studio],
    defaultSpaceSecurityGroups: [SG.studio],
    securityGroupIdForDomainBoundary: SG.efs,
  },
  {
    domainId: 'd-sandbox0002',
    domainArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:domain/d-sandbox0002`,
    domainName: 'hackathon-sandbox',
    status: 'InService',
    appNetworkAccessType: 'PublicInternetOnly',
    vpcId: DEFAULT_VPC,
    subnetIds: [sub.legacyPublic],
    defaultUserSecurityGroups: [],
    defaultSpaceSecurityGroups: [],
  },
);
east.sagemakerUserProfiles.push(
  {
    domainId: 'd-mlplatform01',
    userProfileName: 'alice',
    userProfileArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:user-profile/d-mlplatform01/alice`,
  },
  {
    domainId: 'd-mlplatform01',
    userProfileName: 'bob',
    userProfileArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:user-profile/d-mlplatform01/bob`,
    securityGroups: [SG.studio, SG.training],
  },
);
east.notebookInstances.push(
  {
    notebookInstanceName: 'legacy-churn-notebook',
    notebookInstanceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/legacy-churn-notebook`,
    status: 'InService',
    instanceType: 'ml.t3.medium',
    directInternetAccess: 'Enabled',
    subnetId: sub.legacyPublic,
    securityGroups: [SG.legacySsh],
    networkInterfaceId: 'eni-0legacynb00000001',
  },
  {
    notebookInstanceName: 'feature-eng-private',
    notebookInstanceArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:notebook-instance/feature-eng-private`,
    status: 'Stopped',
    instanceType: 'ml.m5.xlarge',
    directInternetAccess: 'Disabled',
    subnetId: sub.studioA,
    securityGroups: [SG.studio],
    rootAccess: 'Disabled',
    kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  },
);
const mlVpcConfig = { subnets: [sub.studioA, sub.studioB], securityGroupIds: [SG.training] };
east.trainingJobs.push(
  {
    trainingJobName: 'churn-xgboost-2026-11-20-0930',
    trainingJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/churn-xgboost-2026-11-20-0930`,
    status: 'Completed',
    creationTime: '2026-11-20T09:30:00.000Z',
    vpcConfig: mlVpcConfig,
    enableNetworkIsolation: true,
    enableInterContainerTrafficEncryption: false,
    instanceCount: 1,
    imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  },
  {
    trainingJobName: 'llm-finetune-2026-11-18-2200',
    trainingJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/llm-finetune-2026-11-18-2200`,
    status: 'InProgress',
    creationTime: '2026-11-18T22:00:00.000Z',
    vpcConfig: mlVpcConfig,
    enableNetworkIsolation: false,
    enableInterContainerTrafficEncryption: false,
    instanceCount: 4,
    imageUri: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/llm-finetune:2026.11`,
  },
  {
    trainingJobName: 'quick-experiment-2026-11-21',
    trainingJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:training-job/quick-experiment-2026-11-21`,
    status: 'Failed',
    creationTime: '2026-11-21T14:12:00.000Z',
    enableNetworkIsolation: false,
    enableInterContainerTrafficEncryption: false,
    instanceCount: 1,
    imageUri: '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:2.5-gpu-py311',
  },
);
east.processingJobs.push({
  processingJobName: 'features-daily-2026-11-22',
  processingJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:processing-job/features-daily-2026-11-22`,
  status: 'Completed',
  creationTime: '2026-11-22T02:00:00.000Z',
  vpcConfig: mlVpcConfig,
  enableNetworkIsolation: false,
  enableInterContainerTrafficEncryption: true,
  instanceCount: 2,
  imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3',
});
east.models.push({
  modelName: 'churn-xgboost-v7',
  modelArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:model/churn-xgboost-v7`,
  vpcConfig: mlVpcConfig,
  enableNetworkIsolation: true,
  imageUris: ['683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1'],
});
east.endpointConfigs.push({
  endpointConfigName: 'churn-xgboost-v7-config',
  endpointConfigArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint-config/churn-xgboost-v7-config`,
  productionVariants: [
    {
      variantName: 'AllTraffic',
      modelName: 'churn-xgboost-v7',
      initialInstanceCount: 1,
      instanceType: 'ml.m5.large',
      serverless: false,
    },
  ],
});
east.endpoints.push({
  endpointName: 'churn-prod',
  endpointArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:endpoint/churn-prod`,
  endpointConfigName: 'churn-xgboost-v7-config',
  status: 'InService',
});

// ---------------------------------------------------------------- more ML compute (issue #16)
// A tuning sweep in the ML VPC, four instances per trial, neither isolated nor encrypting between them.
east.hyperParameterTuningJobs.push({
  tuningJobName: 'churn-hpo-2026-11-19',
  tuningJobArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:hyper-parameter-tuning-job/churn-hpo-2026-11-19`,
  status: 'Completed',
  creationTime: '2026-11-19T08:00:00.000Z',
  trainingJobDefinitions: [
    {
      vpcConfig: mlVpcConfig,
      enableNetworkIsolation: false,
      enableInterContainerTrafficEncryption: false,
      instanceCount: 4,
      imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
    },
  ],
});
// A HyperPod cluster someone put in the default VPC's public subnet, with the debug group open to all.
east.hyperPodClusters.push({
  clusterName: 'research-hyperpod',
  clusterArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:cluster/x7k2p9q4r1s8`,
  status: 'InService',
  vpcConfig: { subnets: [sub.legacyPublic], securityGroupIds: [SG.debug] },
  instanceGroups: [
    { instanceGroupName: 'controller', instanceCount: 1 },
    { instanceGroupName: 'workers', instanceCount: 8 },
  ],
});
// Model Monitor: a data-quality job definition on the churn endpoint, in the ML VPC, not isolated.
east.dataQualityJobDefinitions.push({
  jobDefinitionName: 'churn-prod-data-quality',
  jobDefinitionArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:data-quality-job-definition/churn-prod-data-quality`,
  creationTime: '2026-11-01T00:00:00.000Z',
  vpcConfig: mlVpcConfig,
  enableNetworkIsolation: false,
  enableInterContainerTrafficEncryption: false,
  instanceCount: 1,
  imageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer',
});
east.monitoringSchedules.push({
  monitoringScheduleName: 'churn-prod-data-quality-hourly',
  monitoringScheduleArn: `arn:aws:sagemaker:us-east-1:${ACCOUNT}:monitoring-schedule/churn-prod-data-quality-hourly`,
  status: 'Scheduled',
  monitoringType: 'DataQuality',
  endpointName: 'churn-prod',
  jobDefinitionName: 'churn-prod-data-quality',
});

// ---------------------------------------------------------------- Network Firewall
const POLICY_ARN = `arn:aws:network-firewall:us-east-1:${ACCOUNT}:firewall-policy/ml-egress-policy`;
const DOMAINS_ARN = `arn:aws:network-firewall:us-east-1:${ACCOUNT}:stateful-rulegroup/ml-allowed-domains`;
east.firewalls.push({
  firewallName: 'ml-egress-firewall',
  firewallArn: `arn:aws:network-firewall:us-east-1:${ACCOUNT}:firewall/ml-egress-firewall`,
  firewallId: 'a1b2c3d4-5678-90ab-cdef-111122223333',
  vpcId: ML_VPC,
  subnetMappings: [{ subnetId: sub.fwA, ipAddressType: 'IPV4' }],
  firewallPolicyArn: POLICY_ARN,
  deleteProtection: true,
  subnetChangeProtection: false,
  firewallPolicyChangeProtection: false,
  endpoints: [
    { availabilityZone: 'us-east-1a', subnetId: sub.fwA, endpointId: FW_ENDPOINT, status: 'READY' },
  ],
  logging: { destinations: [{ logType: 'FLOW', logDestinationType: 'CloudWatchLogs' }] },
});
east.firewallPolicies.push({
  firewallPolicyArn: POLICY_ARN,
  firewallPolicyName: 'ml-egress-policy',
  statelessDefaultActions: ['aws:forward_to_sfe'],
  statelessFragmentDefaultActions: ['aws:pass'],
  statelessRuleGroupReferences: [],
  statefulRuleGroupReferences: [{ resourceArn: DOMAINS_ARN }],
  ruleOrder: 'DEFAULT_ACTION_ORDER',
  statefulDefaultActions: [],
  ruleVariables: {},
});
east.ruleGroups.push({
  ruleGroupArn: DOMAINS_ARN,
  ruleGroupName: 'ml-allowed-domains',
  type: 'STATEFUL',
  capacity: 100,
  ruleOrder: 'DEFAULT_ACTION_ORDER',
  ipSets: { HOME_NET: ['10.20.0.0/16'] },
  portSets: {},
  rulesSourceList: {
    targets: ['.kaggle.com', '.amazonaws.com', 'pypi.org', '.pythonhosted.org'],
    targetTypes: ['HTTP_HOST', 'TLS_SNI'],
    generatedRulesType: 'ALLOWLIST',
  },
});

// A describe the demo's role was not allowed to make: reported, never mistaken for "nothing there".
east.gaps.push({
  service: 'sagemaker',
  operation: 'ListSpaces',
  kind: 'sagemakerSpaces',
  errorCode: 'AccessDeniedException',
  message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/ml-network-audit/audit is not authorized to perform: sagemaker:ListSpaces`,
});

// ---------------------------------------------------------------- us-west-2
const WEST_VPC = 'vpc-0west0000000000001';
west.vpcs.push({
  vpcId: WEST_VPC,
  ownerId: ACCOUNT,
  isDefault: true,
  cidrBlocks: ['172.31.0.0/16'],
  ipv6CidrBlocks: [],
});
west.subnets.push({
  subnetId: 'subnet-0west00000000001',
  vpcId: WEST_VPC,
  availabilityZone: 'us-west-2a',
  availabilityZoneId: 'usw2-az1',
  cidrBlock: '172.31.0.0/20',
  ipv6CidrBlocks: [],
  mapPublicIpOnLaunch: true,
  assignIpv6AddressOnCreation: false,
  defaultForAz: true,
});
west.securityGroups.push(
  {
    groupId: 'sg-0westrdp00000001',
    groupName: 'windows-labeling-workstation',
    vpcId: WEST_VPC,
    ownerId: ACCOUNT,
    description: 'RDP for the labeling vendor',
    rules: [
      rule({
        ruleId: 'sgr-0westrdp0000001',
        egress: false,
        ipProtocol: 'tcp',
        fromPort: 3389,
        toPort: 3389,
        cidrIpv4: '0.0.0.0/0',
      }),
      allOut('sgr-0westout0000002'),
    ],
  },
  {
    groupId: 'sg-0westoffice0002',
    groupName: 'ssh-from-office',
    vpcId: WEST_VPC,
    ownerId: ACCOUNT,
    description: 'SSH from the office prefix list only',
    rules: [
      rule({
        ruleId: 'sgr-0westpl22000001',
        egress: false,
        ipProtocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        prefixListId: 'pl-0westoffice00001',
      }),
    ],
  },
);
west.prefixLists.push({
  prefixListId: 'pl-0westoffice00001',
  prefixListName: 'office',
  ownerId: ACCOUNT,
  addressFamily: 'IPv4',
  awsManaged: false,
  entries: [{ cidr: '198.51.100.0/24', description: 'HQ' }],
});
west.networkAcls.push({
  networkAclId: 'acl-0westdefault0001',
  vpcId: WEST_VPC,
  isDefault: true,
  ownerId: ACCOUNT,
  associatedSubnetIds: ['subnet-0west00000000001'],
  entries: [allowAll(100, false), denyAll(false), allowAll(100, true), denyAll(true)],
});

// ---------------------------------------------------------------- Name tags
// What the console shows beside the ids: kept readable (nameTag) and, like every tag value, hashed in
// `tags`. Security groups are named by their group names; a few carry a Name tag as well.
const NAMES: Record<string, string> = {
  [ML_VPC]: 'ml-platform',
  [DEFAULT_VPC]: 'legacy-default',
  [sub.studioA]: 'studio-private-a',
  [sub.studioB]: 'studio-private-b',
  [sub.natA]: 'nat-public-a',
  [sub.fwA]: 'firewall-a',
  [sub.endpointsA]: 'endpoints-a',
  [sub.endpointsB]: 'endpoints-b',
  [sub.legacyPublic]: 'legacy-public-a',
  [sub.legacyPublicB]: 'legacy-public-b',
  [IGW]: 'ml-platform-igw',
  [DEFAULT_IGW]: 'legacy-igw',
  [NAT]: 'ml-platform-nat-a',
  [S3_GW]: 'ml-platform-s3',
  'rtb-0studio00000000001': 'studio-private',
  'rtb-0nat0000000000002': 'nat-to-firewall',
  'rtb-0fw00000000000003': 'firewall-to-igw',
  'rtb-0edge000000000004': 'igw-edge',
  'rtb-0mlmain0000000005': 'ml-platform-main',
  'rtb-0defmain000000006': 'legacy-main',
  'acl-0studio0000000001': 'studio-ordered',
  'acl-0mldefault000002': 'ml-platform-default',
  'acl-0legacy000000003': 'legacy-public',
  'acl-0defdefault00004': 'legacy-default',
  [SG.legacySsh]: 'legacy-notebook-ssh',
  [WEST_VPC]: 'labeling-default',
  'subnet-0west00000000001': 'labeling-public-a',
  'acl-0westdefault0001': 'labeling-default',
};
for (const scope of [east, west]) {
  for (const [kind, row] of Object.entries(RESOURCE_TABLE)) {
    if (row.service !== 'ec2') continue;
    for (const item of scope[kind as ResourceArrayKind] as Record<string, unknown>[]) {
      const name = NAMES[String(item[row.id[0] as string])];
      if (!name) continue;
      item.nameTag = name;
      item.tags = { ...(item.tags as Record<string, string> | undefined), Name: hashTagValue(name) };
    }
  }
}

const inventory: Inventory = {
  schemaVersion: 1,
  tool: { name: 'ml-network-audit', version: '0.1.0' },
  collectedAt: '2026-11-22T06:00:00.000Z',
  durationMs: 8421,
  bounds: {
    regions: ['us-east-1', 'us-west-2'],
    jobWindowDays: 30,
    jobsCreatedAfter: '2026-10-23T06:00:00.000Z',
    maxJobsPerKind: 5000,
    jobsTruncated: {},
    describeConcurrency: 8,
    stoppedEarly: false,
  },
  regions: [east, west],
};

const out = process.argv[2] ?? 'events/demo-snapshot.json';
await writeFile(out, serializeSnapshot(inventory));
console.error(`wrote ${out}`);
