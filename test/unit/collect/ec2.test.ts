import {
  type AttachmentStatus,
  DescribeEgressOnlyInternetGatewaysCommand,
  DescribeFlowLogsCommand,
  DescribeInternetGatewaysCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  EC2Client,
  type EC2ClientConfig,
  EC2ServiceException,
  type Route as Ec2Route,
  GetManagedPrefixListEntriesCommand,
  type IpPermission,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-ec2';
import { type AwsCommand, mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type CollectContext,
  type ProgressEvent,
  TIME_BUDGET_EXCEEDED,
} from '../../../src/collect/common.ts';
import { collectEc2 } from '../../../src/collect/ec2.ts';
import {
  rulesFromIpPermissions,
  toNatGateway,
  toNetworkAclEntry,
  toNetworkInterface,
  toRouteTarget,
  toSecurityGroupRule,
  toVpc,
  toVpcPeeringConnection,
} from '../../../src/collect/ec2-map.ts';
import { RESOURCE_KINDS } from '../../../src/inventory/kinds.ts';
import {
  type RegionInventory,
  RegionInventorySchema,
  type ResourceKind,
} from '../../../src/inventory/schema.ts';
import { hashTagValue } from '../../../src/inventory/tags.ts';
import {
  ACCOUNT,
  answerWithoutNetwork,
  clientConfig,
  pagedAnswers,
  REGION,
  testContext,
  throttleOnce,
} from './kit.ts';

const CLIENT_CONFIG = clientConfig() satisfies EC2ClientConfig;

const EC2_KINDS = RESOURCE_KINDS.slice(0, RESOURCE_KINDS.indexOf('vpcPeeringConnections') + 1);

const ec2Mock = mockClient(EC2Client);

function newContext(deadline?: number, progress?: (event: ProgressEvent) => void): CollectContext {
  return testContext({ deadline, progress });
}

function newClient(): EC2Client {
  return new EC2Client(CLIENT_CONFIG);
}

/** Answer `command` with `outputs` as successive pages (see pagedAnswers). */
function paged<TIn extends ServiceInputTypes, TOut extends ServiceOutputTypes>(
  command: new (input: TIn) => AwsCommand<TIn, TOut>,
  outputs: Partial<TOut>[],
): void {
  ec2Mock.on(command).callsFake(pagedAnswers(outputs));
}

function accessDenied(): EC2ServiceException {
  return new EC2ServiceException({
    name: 'UnauthorizedOperation',
    $fault: 'client',
    $metadata: { httpStatusCode: 403 },
    message: 'You are not authorized to perform this operation.',
  });
}

/** Items without their tags (asserted on their own, by id). */
/** The items without their tags and readable Name (asserted on their own). */
function withoutTags<T extends { tags?: unknown; nameTag?: unknown }>(
  items: T[],
): Omit<T, 'tags' | 'nameTag'>[] {
  return items.map(({ tags: _tags, nameTag: _name, ...rest }) => rest);
}

function tagsOf<T extends { tags?: unknown }>(items: T[], id: (item: T) => string) {
  return Object.fromEntries(items.map((item) => [id(item), item.tags]));
}

function gapsFor(inventory: RegionInventory, kind: ResourceKind) {
  return inventory.gaps.filter((g) => g.kind === kind);
}

// ---------------------------------------------------------------- realistic responses

const TAGS = [
  { Key: 'Name', Value: 'web-tier' },
  { Key: 'owner', Value: 'secret-ish' },
];

const VPCS = {
  Vpcs: [
    {
      VpcId: 'vpc-0a1',
      OwnerId: ACCOUNT,
      IsDefault: false,
      State: 'available' as const,
      CidrBlock: '10.0.0.0/16',
      CidrBlockAssociationSet: [
        {
          AssociationId: 'vpc-cidr-assoc-1',
          CidrBlock: '10.0.0.0/16',
          CidrBlockState: { State: 'associated' as const },
        },
        {
          AssociationId: 'vpc-cidr-assoc-2',
          CidrBlock: '10.1.0.0/16',
          CidrBlockState: { State: 'associated' as const },
        },
        {
          AssociationId: 'vpc-cidr-assoc-3',
          CidrBlock: '10.9.0.0/16',
          CidrBlockState: { State: 'disassociated' as const },
        },
        {
          AssociationId: 'vpc-cidr-assoc-4',
          CidrBlock: '10.8.0.0/16',
          CidrBlockState: { State: 'failed' as const },
        },
        {
          AssociationId: 'vpc-cidr-assoc-5',
          CidrBlock: '10.2.0.0/16',
          CidrBlockState: { State: 'associating' as const },
        },
      ],
      Ipv6CidrBlockAssociationSet: [
        {
          AssociationId: 'vpc-cidr-assoc-6',
          Ipv6CidrBlock: '2600:1f18:abcd:1200::/56',
          Ipv6CidrBlockState: { State: 'associated' as const },
        },
      ],
      Tags: TAGS,
    },
    { VpcId: 'vpc-default', OwnerId: ACCOUNT, IsDefault: true, CidrBlock: '172.31.0.0/16' },
  ],
};

const SUBNET_PUBLIC = {
  SubnetId: 'subnet-public',
  VpcId: 'vpc-0a1',
  AvailabilityZone: 'us-east-1a',
  AvailabilityZoneId: 'use1-az1',
  CidrBlock: '10.0.0.0/24',
  MapPublicIpOnLaunch: true,
  AssignIpv6AddressOnCreation: true,
  DefaultForAz: false,
  Ipv6CidrBlockAssociationSet: [
    {
      AssociationId: 'subnet-cidr-assoc-1',
      Ipv6CidrBlock: '2600:1f18:abcd:1200::/64',
      Ipv6CidrBlockState: { State: 'associated' as const },
    },
  ],
  AvailableIpAddressCount: 250,
  Tags: TAGS,
};

const SUBNET_PRIVATE = {
  SubnetId: 'subnet-private',
  VpcId: 'vpc-0a1',
  AvailabilityZone: 'us-east-1b',
  AvailabilityZoneId: 'use1-az2',
  CidrBlock: '10.0.1.0/24',
  MapPublicIpOnLaunch: false,
  AssignIpv6AddressOnCreation: false,
  DefaultForAz: false,
};

const ROUTES: Ec2Route[] = [
  { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
  { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0abc', Origin: 'CreateRoute', State: 'active' },
  {
    DestinationIpv6CidrBlock: '::/0',
    EgressOnlyInternetGatewayId: 'eigw-0abc',
    Origin: 'CreateRoute',
    State: 'active',
  },
  { DestinationPrefixListId: 'pl-63a5400a', GatewayId: 'vpce-0s3', Origin: 'CreateRoute', State: 'active' },
  {
    DestinationCidrBlock: '192.168.0.0/16',
    NatGatewayId: 'nat-0gone',
    Origin: 'CreateRoute',
    State: 'blackhole',
  },
  {
    DestinationCidrBlock: '10.50.0.0/16',
    InstanceId: 'i-0router',
    InstanceOwnerId: ACCOUNT,
    NetworkInterfaceId: 'eni-0router',
    Origin: 'CreateRoute',
    State: 'active',
  },
];

const ROUTE_TABLES = {
  RouteTables: [
    {
      RouteTableId: 'rtb-public',
      VpcId: 'vpc-0a1',
      OwnerId: ACCOUNT,
      Routes: ROUTES,
      Associations: [
        {
          Main: true,
          RouteTableAssociationId: 'rtbassoc-main',
          RouteTableId: 'rtb-public',
          AssociationState: { State: 'associated' as const },
        },
        {
          Main: false,
          RouteTableAssociationId: 'rtbassoc-subnet',
          RouteTableId: 'rtb-public',
          SubnetId: 'subnet-public',
          AssociationState: { State: 'associated' as const },
        },
        {
          Main: false,
          RouteTableAssociationId: 'rtbassoc-edge',
          RouteTableId: 'rtb-public',
          GatewayId: 'igw-0abc',
          AssociationState: { State: 'associated' as const },
        },
      ],
      PropagatingVgws: [],
      Tags: TAGS,
    },
  ],
};

const SG_WEB = {
  GroupId: 'sg-web',
  GroupName: 'web',
  Description: 'web tier',
  VpcId: 'vpc-0a1',
  OwnerId: ACCOUNT,
  SecurityGroupArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-web`,
  IpPermissions: [
    {
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'https' }],
      Ipv6Ranges: [{ CidrIpv6: '::/0' }],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    },
  ],
  IpPermissionsEgress: [
    {
      IpProtocol: '-1',
      IpRanges: [{ CidrIp: '0.0.0.0/0' }],
      Ipv6Ranges: [],
      PrefixListIds: [],
      UserIdGroupPairs: [],
    },
  ],
  Tags: TAGS,
};

const SG_DB = {
  GroupId: 'sg-db',
  GroupName: 'db',
  Description: 'database tier',
  VpcId: 'vpc-0a1',
  OwnerId: ACCOUNT,
  IpPermissions: [
    {
      IpProtocol: 'tcp',
      FromPort: 5432,
      ToPort: 5432,
      UserIdGroupPairs: [{ GroupId: 'sg-web', UserId: ACCOUNT, Description: 'from web' }],
    },
  ],
  IpPermissionsEgress: [
    { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: 'pl-63a5400a' }] },
  ],
};

const RULES_PAGE_1 = [
  {
    SecurityGroupRuleId: 'sgr-web-in-v4',
    GroupId: 'sg-web',
    GroupOwnerId: ACCOUNT,
    IsEgress: false,
    IpProtocol: 'tcp',
    FromPort: 443,
    ToPort: 443,
    CidrIpv4: '0.0.0.0/0',
    Description: 'https',
    SecurityGroupRuleArn: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group-rule/sgr-web-in-v4`,
    Tags: TAGS,
  },
  {
    SecurityGroupRuleId: 'sgr-web-in-v6',
    GroupId: 'sg-web',
    GroupOwnerId: ACCOUNT,
    IsEgress: false,
    IpProtocol: 'tcp',
    FromPort: 443,
    ToPort: 443,
    CidrIpv6: '::/0',
  },
  {
    SecurityGroupRuleId: 'sgr-web-out',
    GroupId: 'sg-web',
    GroupOwnerId: ACCOUNT,
    IsEgress: true,
    IpProtocol: '-1',
    FromPort: -1,
    ToPort: -1,
    CidrIpv4: '0.0.0.0/0',
  },
];

const RULES_PAGE_2 = [
  {
    SecurityGroupRuleId: 'sgr-db-in',
    GroupId: 'sg-db',
    GroupOwnerId: ACCOUNT,
    IsEgress: false,
    IpProtocol: 'tcp',
    FromPort: 5432,
    ToPort: 5432,
    ReferencedGroupInfo: { GroupId: 'sg-web', UserId: ACCOUNT },
    Description: 'from web',
  },
  {
    SecurityGroupRuleId: 'sgr-db-out',
    GroupId: 'sg-db',
    GroupOwnerId: ACCOUNT,
    IsEgress: true,
    IpProtocol: 'tcp',
    FromPort: 443,
    ToPort: 443,
    PrefixListId: 'pl-63a5400a',
  },
  // A rule of a group that DescribeSecurityGroups did not return: ignored.
  {
    SecurityGroupRuleId: 'sgr-orphan',
    GroupId: 'sg-gone',
    IsEgress: false,
    IpProtocol: '-1',
    CidrIpv4: '0.0.0.0/0',
  },
];

const ACL_DEFAULT = {
  NetworkAclId: 'acl-default',
  VpcId: 'vpc-0a1',
  IsDefault: true,
  OwnerId: ACCOUNT,
  Associations: [
    { NetworkAclAssociationId: 'aclassoc-1', NetworkAclId: 'acl-default', SubnetId: 'subnet-public' },
    { NetworkAclAssociationId: 'aclassoc-2', NetworkAclId: 'acl-default', SubnetId: 'subnet-private' },
  ],
  Entries: [
    {
      RuleNumber: 100,
      Egress: false,
      Protocol: '6',
      RuleAction: 'allow' as const,
      CidrBlock: '0.0.0.0/0',
      PortRange: { From: 22, To: 22 },
    },
    {
      RuleNumber: 110,
      Egress: false,
      Protocol: '1',
      RuleAction: 'allow' as const,
      CidrBlock: '0.0.0.0/0',
      IcmpTypeCode: { Type: 8, Code: -1 },
    },
    { RuleNumber: 120, Egress: false, Protocol: '-1', RuleAction: 'allow' as const, Ipv6CidrBlock: '::/0' },
    { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny' as const, CidrBlock: '0.0.0.0/0' },
    { RuleNumber: 100, Egress: true, Protocol: '-1', RuleAction: 'allow' as const, CidrBlock: '0.0.0.0/0' },
    { RuleNumber: 32767, Egress: true, Protocol: '-1', RuleAction: 'deny' as const, CidrBlock: '0.0.0.0/0' },
  ],
  Tags: TAGS,
};

const ACL_CUSTOM = {
  NetworkAclId: 'acl-custom',
  VpcId: 'vpc-0a1',
  IsDefault: false,
  OwnerId: ACCOUNT,
  Associations: [],
  Entries: [
    { RuleNumber: 32767, Egress: false, Protocol: '-1', RuleAction: 'deny' as const, CidrBlock: '0.0.0.0/0' },
  ],
};

const ENI_INSTANCE = {
  NetworkInterfaceId: 'eni-0inst',
  InterfaceType: 'interface' as const,
  SubnetId: 'subnet-public',
  VpcId: 'vpc-0a1',
  AvailabilityZone: 'us-east-1a',
  Groups: [{ GroupId: 'sg-web', GroupName: 'web' }],
  PrivateIpAddress: '10.0.0.10',
  PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: '10.0.0.10' }],
  Association: { PublicIp: '203.0.113.10', IpOwnerId: 'amazon' },
  Ipv6Addresses: [{ Ipv6Address: '2600:1f18:abcd:1200::10' }],
  Status: 'in-use' as const,
  RequesterManaged: false,
  Attachment: {
    AttachmentId: 'eni-attach-1',
    InstanceId: 'i-0web',
    DeviceIndex: 0,
    Status: 'attached' as const,
  },
  MacAddress: '02:00:00:00:00:01',
  Description: 'x'.repeat(300),
  TagSet: TAGS,
};

const ENI_ENDPOINT = {
  NetworkInterfaceId: 'eni-0vpce',
  InterfaceType: 'vpc_endpoint' as const,
  SubnetId: 'subnet-private',
  VpcId: 'vpc-0a1',
  AvailabilityZone: 'us-east-1b',
  Groups: [{ GroupId: 'sg-db', GroupName: 'db' }],
  PrivateIpAddress: '10.0.1.20',
  Status: 'in-use' as const,
  RequesterId: '727180483921',
  RequesterManaged: true,
  Description: 'VPC Endpoint Interface vpce-0api',
};

const POLICY = JSON.stringify({
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
});

const VPC_ENDPOINTS = {
  VpcEndpoints: [
    {
      VpcEndpointId: 'vpce-0s3',
      VpcEndpointType: 'Gateway' as const,
      VpcId: 'vpc-0a1',
      ServiceName: `com.amazonaws.${REGION}.s3`,
      State: 'Available' as const,
      PolicyDocument: POLICY,
      RouteTableIds: ['rtb-public'],
      SubnetIds: [],
      Groups: [],
      PrivateDnsEnabled: false,
      NetworkInterfaceIds: [],
      Tags: TAGS,
    },
    {
      VpcEndpointId: 'vpce-0api',
      VpcEndpointType: 'Interface' as const,
      VpcId: 'vpc-0a1',
      ServiceName: `com.amazonaws.${REGION}.sagemaker.api`,
      State: 'Available' as const,
      PolicyDocument: POLICY,
      SubnetIds: ['subnet-private'],
      Groups: [{ GroupId: 'sg-db', GroupName: 'db' }],
      PrivateDnsEnabled: true,
      NetworkInterfaceIds: ['eni-0vpce'],
      DnsEntries: [{ DnsName: 'vpce-0api.api.sagemaker.us-east-1.vpce.amazonaws.com' }],
    },
  ],
};

const PREFIX_LISTS = {
  PrefixLists: [
    {
      PrefixListId: 'pl-63a5400a',
      PrefixListName: `com.amazonaws.${REGION}.s3`,
      OwnerId: 'AWS',
      AddressFamily: 'IPv4',
      State: 'create-complete' as const,
    },
    {
      PrefixListId: 'pl-0cust',
      PrefixListName: 'corp-offices',
      OwnerId: ACCOUNT,
      AddressFamily: 'IPv4',
      State: 'create-complete' as const,
      MaxEntries: 10,
      Tags: TAGS,
    },
  ],
};

const PEERINGS = {
  VpcPeeringConnections: [
    {
      VpcPeeringConnectionId: 'pcx-active',
      Status: { Code: 'active' as const, Message: 'Active' },
      RequesterVpcInfo: {
        VpcId: 'vpc-0a1',
        OwnerId: ACCOUNT,
        Region: REGION,
        CidrBlock: '10.0.0.0/16',
        CidrBlockSet: [{ CidrBlock: '10.0.0.0/16' }, { CidrBlock: '10.1.0.0/16' }],
        Ipv6CidrBlockSet: [{ Ipv6CidrBlock: '2600:1f18:abcd:1200::/56' }],
      },
      AccepterVpcInfo: {
        VpcId: 'vpc-0peer',
        OwnerId: '444455556666',
        Region: 'eu-west-1',
        CidrBlock: '10.2.0.0/16',
      },
      Tags: TAGS,
    },
    { VpcPeeringConnectionId: 'pcx-deleted', Status: { Code: 'deleted' as const } },
    { VpcPeeringConnectionId: 'pcx-rejected', Status: { Code: 'rejected' as const } },
  ],
};

/** Every EC2 describe call answers one realistic page (subnets, SGs, rules and NACLs two). */
function mockRealisticAccount(): void {
  ec2Mock.on(DescribeVpcsCommand).resolves(VPCS);
  paged(DescribeSubnetsCommand, [{ Subnets: [SUBNET_PUBLIC] }, { Subnets: [SUBNET_PRIVATE] }]);
  ec2Mock.on(DescribeRouteTablesCommand).resolves(ROUTE_TABLES);
  ec2Mock.on(DescribeInternetGatewaysCommand).resolves({
    InternetGateways: [
      {
        InternetGatewayId: 'igw-0abc',
        OwnerId: ACCOUNT,
        // The API answers "available" for an attached internet gateway, though the SDK type says otherwise.
        Attachments: [{ VpcId: 'vpc-0a1', State: 'available' as string as AttachmentStatus }],
        Tags: TAGS,
      },
      { InternetGatewayId: 'igw-0detached', Attachments: [{ VpcId: 'vpc-old', State: 'detached' }] },
    ],
  });
  ec2Mock.on(DescribeEgressOnlyInternetGatewaysCommand).resolves({
    EgressOnlyInternetGateways: [
      { EgressOnlyInternetGatewayId: 'eigw-0abc', Attachments: [{ VpcId: 'vpc-0a1', State: 'attached' }] },
    ],
  });
  ec2Mock.on(DescribeNatGatewaysCommand).resolves({
    NatGateways: [
      {
        NatGatewayId: 'nat-0pub',
        VpcId: 'vpc-0a1',
        SubnetId: 'subnet-public',
        State: 'available',
        ConnectivityType: 'public',
        NatGatewayAddresses: [
          {
            AllocationId: 'eipalloc-1',
            NetworkInterfaceId: 'eni-0nat',
            PrivateIp: '10.0.0.5',
            PublicIp: '203.0.113.5',
          },
        ],
        Tags: TAGS,
      },
      {
        NatGatewayId: 'nat-0priv',
        VpcId: 'vpc-0a1',
        SubnetId: 'subnet-private',
        State: 'available',
        ConnectivityType: 'private',
        NatGatewayAddresses: [{ PrivateIp: '10.0.1.5' }],
      },
      { NatGatewayId: 'nat-0gone', VpcId: 'vpc-0a1', SubnetId: 'subnet-public', State: 'deleted' },
    ],
  });
  paged(DescribeSecurityGroupsCommand, [{ SecurityGroups: [SG_WEB] }, { SecurityGroups: [SG_DB] }]);
  paged(DescribeSecurityGroupRulesCommand, [
    { SecurityGroupRules: RULES_PAGE_1 },
    { SecurityGroupRules: RULES_PAGE_2 },
  ]);
  paged(DescribeNetworkAclsCommand, [{ NetworkAcls: [ACL_DEFAULT] }, { NetworkAcls: [ACL_CUSTOM] }]);
  ec2Mock.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [ENI_INSTANCE, ENI_ENDPOINT] });
  ec2Mock.on(DescribeVpcEndpointsCommand).resolves(VPC_ENDPOINTS);
  ec2Mock.on(DescribeManagedPrefixListsCommand).resolves(PREFIX_LISTS);
  paged(GetManagedPrefixListEntriesCommand, [
    { Entries: [{ Cidr: '198.51.100.0/24', Description: 'hq' }] },
    { Entries: [{ Cidr: '192.0.2.0/24' }] },
  ]);
  ec2Mock.on(DescribeFlowLogsCommand).resolves({
    FlowLogs: [
      {
        FlowLogId: 'fl-0abc',
        ResourceId: 'vpc-0a1',
        TrafficType: 'ALL',
        FlowLogStatus: 'ACTIVE',
        LogDestinationType: 'cloud-watch-logs',
        LogGroupName: 'vpc-flow-logs',
        DeliverLogsStatus: 'SUCCESS',
      },
    ],
  });
  ec2Mock.on(DescribeVpcPeeringConnectionsCommand).resolves(PEERINGS);
}

beforeEach(() => {
  ec2Mock.reset();
  // Anything a test does not set up answers an empty page.
  ec2Mock.onAnyCommand().resolves({});
});

// ---------------------------------------------------------------- collectEc2

describe('collectEc2', () => {
  it('normalizes every kind from realistic responses into a schema-valid inventory', async () => {
    // Prepare
    mockRealisticAccount();
    const ctx = newContext();

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    const inv = ctx.inventory;
    expect(() => RegionInventorySchema.parse(inv)).not.toThrow();
    expect(inv.gaps).toEqual([]);
    expect(ctx.stoppedEarly).toBe(false);
    expect(withoutTags(inv.vpcs)).toEqual([
      {
        vpcId: 'vpc-0a1',
        ownerId: ACCOUNT,
        isDefault: false,
        cidrBlocks: ['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'], // associating kept; disassociated and failed dropped
        ipv6CidrBlocks: ['2600:1f18:abcd:1200::/56'],
      },
      {
        vpcId: 'vpc-default',
        ownerId: ACCOUNT,
        isDefault: true,
        cidrBlocks: ['172.31.0.0/16'],
        ipv6CidrBlocks: [],
      },
    ]);
    expect(withoutTags(inv.subnets)).toEqual([
      {
        subnetId: 'subnet-public',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1a',
        availabilityZoneId: 'use1-az1',
        cidrBlock: '10.0.0.0/24',
        ipv6CidrBlocks: ['2600:1f18:abcd:1200::/64'],
        mapPublicIpOnLaunch: true,
        assignIpv6AddressOnCreation: true,
        defaultForAz: false,
      },
      {
        subnetId: 'subnet-private',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1b',
        availabilityZoneId: 'use1-az2',
        cidrBlock: '10.0.1.0/24',
        ipv6CidrBlocks: [],
        mapPublicIpOnLaunch: false,
        assignIpv6AddressOnCreation: false,
        defaultForAz: false,
      },
    ]);
    expect(withoutTags(inv.routeTables)).toEqual([
      {
        routeTableId: 'rtb-public',
        vpcId: 'vpc-0a1',
        routes: [
          {
            destinationCidrBlock: '10.0.0.0/16',
            target: { kind: 'local', id: 'local' },
            state: 'active',
            origin: 'CreateRouteTable',
          },
          {
            destinationCidrBlock: '0.0.0.0/0',
            target: { kind: 'internetGateway', id: 'igw-0abc' },
            state: 'active',
            origin: 'CreateRoute',
          },
          {
            destinationIpv6CidrBlock: '::/0',
            target: { kind: 'egressOnlyInternetGateway', id: 'eigw-0abc' },
            state: 'active',
            origin: 'CreateRoute',
          },
          {
            destinationPrefixListId: 'pl-63a5400a',
            target: { kind: 'vpcEndpoint', id: 'vpce-0s3' },
            state: 'active',
            origin: 'CreateRoute',
          },
          {
            destinationCidrBlock: '192.168.0.0/16',
            target: { kind: 'natGateway', id: 'nat-0gone' },
            state: 'blackhole',
            origin: 'CreateRoute',
          },
          {
            destinationCidrBlock: '10.50.0.0/16',
            target: { kind: 'instance', id: 'i-0router' },
            state: 'active',
            origin: 'CreateRoute',
          },
        ],
        associations: [
          { associationId: 'rtbassoc-main', main: true, state: 'associated' },
          { associationId: 'rtbassoc-subnet', main: false, subnetId: 'subnet-public', state: 'associated' },
          { associationId: 'rtbassoc-edge', main: false, gatewayId: 'igw-0abc', state: 'associated' },
        ],
      },
    ]);
    expect(withoutTags(inv.internetGateways)).toEqual([
      { internetGatewayId: 'igw-0abc', attachedVpcIds: ['vpc-0a1'] },
      { internetGatewayId: 'igw-0detached', attachedVpcIds: [] },
    ]);
    expect(withoutTags(inv.egressOnlyInternetGateways)).toEqual([
      { egressOnlyInternetGatewayId: 'eigw-0abc', attachedVpcIds: ['vpc-0a1'] },
    ]);
    expect(withoutTags(inv.natGateways)).toEqual([
      {
        natGatewayId: 'nat-0pub',
        vpcId: 'vpc-0a1',
        subnetId: 'subnet-public',
        state: 'available',
        connectivityType: 'public',
        publicIps: ['203.0.113.5'],
        privateIps: ['10.0.0.5'],
      },
      {
        natGatewayId: 'nat-0priv',
        vpcId: 'vpc-0a1',
        subnetId: 'subnet-private',
        state: 'available',
        connectivityType: 'private',
        publicIps: [],
        privateIps: ['10.0.1.5'],
      },
    ]);
    expect(withoutTags(inv.securityGroups)).toEqual([
      {
        groupId: 'sg-web',
        groupName: 'web',
        vpcId: 'vpc-0a1',
        ownerId: ACCOUNT,
        description: 'web tier',
        rules: [
          {
            ruleId: 'sgr-web-in-v4',
            egress: false,
            ipProtocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            cidrIpv4: '0.0.0.0/0',
            description: 'https',
          },
          {
            ruleId: 'sgr-web-in-v6',
            egress: false,
            ipProtocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            cidrIpv6: '::/0',
          },
          {
            ruleId: 'sgr-web-out',
            egress: true,
            ipProtocol: '-1',
            fromPort: -1,
            toPort: -1,
            cidrIpv4: '0.0.0.0/0',
          },
        ],
      },
      {
        groupId: 'sg-db',
        groupName: 'db',
        vpcId: 'vpc-0a1',
        ownerId: ACCOUNT,
        description: 'database tier',
        rules: [
          {
            ruleId: 'sgr-db-in',
            egress: false,
            ipProtocol: 'tcp',
            fromPort: 5432,
            toPort: 5432,
            referencedGroup: { groupId: 'sg-web', userId: ACCOUNT },
            description: 'from web',
          },
          {
            ruleId: 'sgr-db-out',
            egress: true,
            ipProtocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            prefixListId: 'pl-63a5400a',
          },
        ],
      },
    ]);
    expect(withoutTags(inv.networkAcls)).toEqual([
      {
        networkAclId: 'acl-default',
        vpcId: 'vpc-0a1',
        isDefault: true,
        ownerId: ACCOUNT,
        entries: [
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
            protocol: '1',
            ruleAction: 'allow',
            cidrBlock: '0.0.0.0/0',
            icmpTypeCode: { type: 8, code: -1 },
          },
          { ruleNumber: 120, egress: false, protocol: '-1', ruleAction: 'allow', ipv6CidrBlock: '::/0' },
          { ruleNumber: 32767, egress: false, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0' },
          { ruleNumber: 100, egress: true, protocol: '-1', ruleAction: 'allow', cidrBlock: '0.0.0.0/0' },
          { ruleNumber: 32767, egress: true, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0' },
        ],
        associatedSubnetIds: ['subnet-public', 'subnet-private'],
      },
      {
        networkAclId: 'acl-custom',
        vpcId: 'vpc-0a1',
        isDefault: false,
        ownerId: ACCOUNT,
        entries: [
          { ruleNumber: 32767, egress: false, protocol: '-1', ruleAction: 'deny', cidrBlock: '0.0.0.0/0' },
        ],
        associatedSubnetIds: [],
      },
    ]);
    expect(withoutTags(inv.networkInterfaces)).toEqual([
      {
        networkInterfaceId: 'eni-0inst',
        interfaceType: 'interface',
        subnetId: 'subnet-public',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1a',
        groupIds: ['sg-web'],
        privateIpAddress: '10.0.0.10',
        publicIp: '203.0.113.10',
        ipv6Addresses: ['2600:1f18:abcd:1200::10'],
        status: 'in-use',
        requesterManaged: false,
        attachedInstanceId: 'i-0web',
        description: 'x'.repeat(200),
      },
      {
        networkInterfaceId: 'eni-0vpce',
        interfaceType: 'vpc_endpoint',
        subnetId: 'subnet-private',
        vpcId: 'vpc-0a1',
        availabilityZone: 'us-east-1b',
        groupIds: ['sg-db'],
        privateIpAddress: '10.0.1.20',
        ipv6Addresses: [],
        status: 'in-use',
        requesterId: '727180483921',
        requesterManaged: true,
        description: 'VPC Endpoint Interface vpce-0api',
      },
    ]);
    expect(withoutTags(inv.vpcEndpoints)).toEqual([
      {
        vpcEndpointId: 'vpce-0s3',
        vpcId: 'vpc-0a1',
        serviceName: 'com.amazonaws.us-east-1.s3',
        vpcEndpointType: 'Gateway',
        state: 'Available',
        subnetIds: [],
        groupIds: [],
        privateDnsEnabled: false,
        routeTableIds: ['rtb-public'],
        networkInterfaceIds: [],
        policyDocument: POLICY,
      },
      {
        vpcEndpointId: 'vpce-0api',
        vpcId: 'vpc-0a1',
        serviceName: 'com.amazonaws.us-east-1.sagemaker.api',
        vpcEndpointType: 'Interface',
        state: 'Available',
        subnetIds: ['subnet-private'],
        groupIds: ['sg-db'],
        privateDnsEnabled: true,
        routeTableIds: [],
        networkInterfaceIds: ['eni-0vpce'],
        policyDocument: POLICY,
      },
    ]);
    expect(withoutTags(inv.prefixLists)).toEqual([
      {
        prefixListId: 'pl-63a5400a',
        prefixListName: 'com.amazonaws.us-east-1.s3',
        ownerId: 'AWS',
        addressFamily: 'IPv4',
        awsManaged: true,
      },
      {
        prefixListId: 'pl-0cust',
        prefixListName: 'corp-offices',
        ownerId: ACCOUNT,
        addressFamily: 'IPv4',
        awsManaged: false,
        entries: [{ cidr: '198.51.100.0/24', description: 'hq' }, { cidr: '192.0.2.0/24' }],
      },
    ]);
    expect(withoutTags(inv.flowLogs)).toEqual([
      {
        flowLogId: 'fl-0abc',
        resourceId: 'vpc-0a1',
        trafficType: 'ALL',
        flowLogStatus: 'ACTIVE',
        logDestinationType: 'cloud-watch-logs',
      },
    ]);
    expect(withoutTags(inv.vpcPeeringConnections)).toEqual([
      {
        vpcPeeringConnectionId: 'pcx-active',
        status: 'active',
        requesterVpc: {
          vpcId: 'vpc-0a1',
          ownerId: ACCOUNT,
          region: REGION,
          cidrBlocks: ['10.0.0.0/16', '10.1.0.0/16'],
          ipv6CidrBlocks: ['2600:1f18:abcd:1200::/56'],
        },
        accepterVpc: {
          vpcId: 'vpc-0peer',
          ownerId: '444455556666',
          region: 'eu-west-1',
          cidrBlocks: ['10.2.0.0/16'],
          ipv6CidrBlocks: [],
        },
      },
    ]);
  });

  it('keeps the tag keys of every kind, each value only as its hash (the Name readable too), and {} for an untagged resource', async () => {
    // Prepare
    mockRealisticAccount();
    const ctx = newContext();

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    const inv = ctx.inventory;
    const NAME = { Name: hashTagValue('web-tier'), owner: hashTagValue('secret-ish') };
    expect(tagsOf(inv.vpcs, (v) => v.vpcId)).toEqual({ 'vpc-0a1': NAME, 'vpc-default': {} });
    expect(tagsOf(inv.subnets, (s) => s.subnetId)).toEqual({ 'subnet-public': NAME, 'subnet-private': {} });
    expect(tagsOf(inv.routeTables, (t) => t.routeTableId)).toEqual({ 'rtb-public': NAME });
    expect(tagsOf(inv.internetGateways, (g) => g.internetGatewayId)).toEqual({
      'igw-0abc': NAME,
      'igw-0detached': {},
    });
    expect(tagsOf(inv.egressOnlyInternetGateways, (g) => g.egressOnlyInternetGatewayId)).toEqual({
      'eigw-0abc': {},
    });
    expect(tagsOf(inv.natGateways, (g) => g.natGatewayId)).toEqual({ 'nat-0pub': NAME, 'nat-0priv': {} });
    expect(tagsOf(inv.securityGroups, (g) => g.groupId)).toEqual({ 'sg-web': NAME, 'sg-db': {} });
    expect(tagsOf(inv.networkAcls, (a) => a.networkAclId)).toEqual({ 'acl-default': NAME, 'acl-custom': {} });
    // Network interfaces carry theirs as TagSet.
    expect(tagsOf(inv.networkInterfaces, (e) => e.networkInterfaceId)).toEqual({
      'eni-0inst': NAME,
      'eni-0vpce': {},
    });
    expect(tagsOf(inv.vpcEndpoints, (e) => e.vpcEndpointId)).toEqual({ 'vpce-0s3': NAME, 'vpce-0api': {} });
    expect(tagsOf(inv.prefixLists, (l) => l.prefixListId)).toEqual({ 'pl-63a5400a': {}, 'pl-0cust': NAME });
    expect(tagsOf(inv.flowLogs, (f) => f.flowLogId)).toEqual({ 'fl-0abc': {} });
    expect(tagsOf(inv.vpcPeeringConnections, (p) => p.vpcPeeringConnectionId)).toEqual({
      'pcx-active': NAME,
    });
    expect(JSON.stringify(inv)).not.toContain('secret-ish');
    // The Name is the one value kept readable, on every kind that has one.
    const named = Object.values(inv)
      .filter(Array.isArray)
      .flat()
      .filter((item) => (item as { tags?: Record<string, string> }).tags?.Name);
    expect(named.length).toBeGreaterThan(10);
    for (const item of named) expect((item as { nameTag?: string }).nameTag).toBe('web-tier');
  });

  it('leaves absent optional values absent rather than undefined', async () => {
    // Prepare
    mockRealisticAccount();
    const ctx = newContext();

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    const json = JSON.parse(JSON.stringify(ctx.inventory));
    expect(json).toEqual(ctx.inventory);
    const withUndefined = (value: unknown): boolean =>
      Array.isArray(value)
        ? value.some(withUndefined)
        : typeof value === 'object' && value !== null
          ? Object.values(value).some((v) => v === undefined || withUndefined(v))
          : false;
    expect(withUndefined(ctx.inventory)).toBe(false);
  });

  it('reports every kind to progress with its count', async () => {
    // Prepare
    mockRealisticAccount();
    const events: ProgressEvent[] = [];
    const ctx = newContext(undefined, (e) => events.push(e));

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    const done = Object.fromEntries(
      events.flatMap((e) => (e.type === 'kind-done' ? [[e.kind, e.count] as const] : [])),
    );
    expect(done).toEqual({
      vpcs: 2,
      subnets: 2,
      routeTables: 1,
      internetGateways: 2,
      egressOnlyInternetGateways: 1,
      natGateways: 2,
      securityGroups: 2,
      networkAcls: 2,
      networkInterfaces: 2,
      vpcEndpoints: 2,
      prefixLists: 2,
      flowLogs: 1,
      vpcPeeringConnections: 1,
    });
  });

  it('follows NextToken through every page of subnets, security groups, their rules and NACLs', async () => {
    // Prepare
    const subnet = (n: number) => ({ ...SUBNET_PRIVATE, SubnetId: `subnet-${n}` });
    const group = (n: number) => ({ GroupId: `sg-${n}`, GroupName: `g${n}`, VpcId: 'vpc-0a1' });
    const rule = (n: number) => ({
      SecurityGroupRuleId: `sgr-${n}`,
      GroupId: `sg-${n}`,
      IsEgress: false,
      IpProtocol: 'tcp',
      FromPort: n,
      ToPort: n,
      CidrIpv4: '10.0.0.0/8',
    });
    const acl = (n: number) => ({
      NetworkAclId: `acl-${n}`,
      VpcId: 'vpc-0a1',
      IsDefault: false,
      Entries: [],
    });
    paged(DescribeSubnetsCommand, [
      { Subnets: [subnet(1), subnet(2)] },
      { Subnets: [subnet(3)] },
      { Subnets: [subnet(4)] },
    ]);
    paged(DescribeSecurityGroupsCommand, [
      { SecurityGroups: [group(1)] },
      { SecurityGroups: [group(2), group(3)] },
    ]);
    paged(DescribeSecurityGroupRulesCommand, [
      { SecurityGroupRules: [rule(1)] },
      { SecurityGroupRules: [rule(2)] },
      { SecurityGroupRules: [rule(3)] },
    ]);
    paged(DescribeNetworkAclsCommand, [
      { NetworkAcls: [acl(1)] },
      { NetworkAcls: [] },
      { NetworkAcls: [acl(2)] },
    ]);
    const ctx = newContext();

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    const inv = ctx.inventory;
    expect(inv.gaps).toEqual([]);
    expect(inv.subnets.map((s) => s.subnetId)).toEqual(['subnet-1', 'subnet-2', 'subnet-3', 'subnet-4']);
    expect(inv.securityGroups.map((g) => [g.groupId, g.rules.map((r) => r.ruleId)])).toEqual([
      ['sg-1', ['sgr-1']],
      ['sg-2', ['sgr-2']],
      ['sg-3', ['sgr-3']],
    ]);
    expect(inv.networkAcls.map((a) => a.networkAclId)).toEqual(['acl-1', 'acl-2']);
    expect(ec2Mock).toHaveReceivedCommandTimes(DescribeSubnetsCommand, 3);
    expect(ec2Mock).toHaveReceivedCommandTimes(DescribeSecurityGroupsCommand, 2);
    expect(ec2Mock).toHaveReceivedCommandTimes(DescribeSecurityGroupRulesCommand, 3);
    expect(ec2Mock).toHaveReceivedCommandTimes(DescribeNetworkAclsCommand, 3);
  });

  it('records an access-denied kind as a gap and still collects every other kind', async () => {
    // Prepare
    mockRealisticAccount();
    ec2Mock.on(DescribeRouteTablesCommand).rejects(accessDenied());
    ec2Mock.on(DescribeNetworkInterfacesCommand).rejects(
      Object.assign(new Error('You are not authorized'), {
        name: 'UnauthorizedOperation',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const ctx = newContext();

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    const inv = ctx.inventory;
    expect(inv.gaps).toEqual([
      expect.objectContaining({
        service: 'ec2',
        operation: 'DescribeRouteTables',
        kind: 'routeTables',
        errorCode: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
      }),
      expect.objectContaining({
        service: 'ec2',
        operation: 'DescribeNetworkInterfaces',
        kind: 'networkInterfaces',
        errorCode: 'UnauthorizedOperation',
      }),
    ]);
    expect(inv.routeTables).toEqual([]);
    expect(inv.networkInterfaces).toEqual([]);
    expect(inv.vpcs).toHaveLength(2);
    expect(inv.securityGroups).toHaveLength(2);
    expect(inv.networkAcls).toHaveLength(2);
    expect(inv.vpcPeeringConnections).toHaveLength(1);
    expect(() => RegionInventorySchema.parse(inv)).not.toThrow();
  });

  it('records an unparseable answer as an UnparseableResponse gap', async () => {
    // Prepare
    ec2Mock.on(DescribeFlowLogsCommand).rejects(new SyntaxError('Unexpected token < in JSON at position 0'));
    ec2Mock.on(DescribeVpcsCommand).resolves(VPCS);
    const ctx = newContext();

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    expect(ctx.inventory.gaps).toEqual([
      expect.objectContaining({
        service: 'ec2',
        operation: 'DescribeFlowLogs',
        kind: 'flowLogs',
        errorCode: 'UnparseableResponse',
      }),
    ]);
    expect(ctx.inventory.vpcs).toHaveLength(2);
  });

  it('keeps the items of the pages read before a page fails, and records the gap', async () => {
    // Prepare
    ec2Mock
      .on(DescribeSubnetsCommand)
      .resolvesOnce({ Subnets: [SUBNET_PUBLIC], NextToken: 'page-2' })
      .rejectsOnce(accessDenied());
    ec2Mock
      .on(DescribeNetworkAclsCommand)
      .resolvesOnce({ NetworkAcls: [ACL_DEFAULT], NextToken: 'page-2' })
      .rejectsOnce(Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }));
    const ctx = newContext();

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    expect(ctx.inventory.subnets.map((s) => s.subnetId)).toEqual(['subnet-public']);
    expect(ctx.inventory.networkAcls.map((a) => a.networkAclId)).toEqual(['acl-default']);
    expect(ctx.inventory.gaps).toEqual([
      expect.objectContaining({
        operation: 'DescribeSubnets',
        kind: 'subnets',
        errorCode: 'UnauthorizedOperation',
      }),
      expect.objectContaining({
        operation: 'DescribeNetworkAcls',
        kind: 'networkAcls',
        errorCode: 'Timeout',
      }),
    ]);
  });

  it('turns a response it cannot map into a gap for that kind only', async () => {
    // Prepare
    mockRealisticAccount();
    ec2Mock.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [{ RouteTableId: 'rtb-odd', Routes: { not: 'a list' } as never }],
    });
    const ctx = newContext();

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    expect(ctx.inventory.gaps).toEqual([
      expect.objectContaining({
        operation: 'DescribeRouteTables',
        kind: 'routeTables',
        errorCode: 'TypeError',
      }),
    ]);
    expect(ctx.inventory.vpcs).toHaveLength(2);
    expect(ctx.inventory.securityGroups).toHaveLength(2);
  });

  describe('security group rules', () => {
    it('derives the rules from IpPermissions when DescribeSecurityGroupRules fails, and leaves an informational note', async () => {
      // Prepare
      paged(DescribeSecurityGroupsCommand, [{ SecurityGroups: [SG_WEB] }, { SecurityGroups: [SG_DB] }]);
      ec2Mock.on(DescribeSecurityGroupRulesCommand).rejects(accessDenied());
      const ctx = newContext();

      // Act
      await collectEc2(ctx, newClient());

      // Assess
      expect(ctx.inventory.gaps).toEqual([
        {
          service: 'ec2',
          operation: 'DescribeSecurityGroupRules',
          kind: 'securityGroups',
          errorCode: 'FallbackToIpPermissions',
          message: expect.stringMatching(
            /^DescribeSecurityGroupRules failed \(UnauthorizedOperation: .*\); the rules were read from the groups' IpPermissions instead: complete, but without their sgr- rule ids$/,
          ),
          informational: true,
        },
      ]);
      expect(ctx.inventory.securityGroups).toEqual([
        {
          groupId: 'sg-web',
          groupName: 'web',
          vpcId: 'vpc-0a1',
          ownerId: ACCOUNT,
          description: 'web tier',
          rules: [
            {
              egress: false,
              ipProtocol: 'tcp',
              fromPort: 443,
              toPort: 443,
              cidrIpv4: '0.0.0.0/0',
              description: 'https',
            },
            { egress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv6: '::/0' },
            { egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
          ],
          nameTag: 'web-tier',
          tags: { Name: hashTagValue('web-tier'), owner: hashTagValue('secret-ish') },
        },
        {
          groupId: 'sg-db',
          groupName: 'db',
          vpcId: 'vpc-0a1',
          ownerId: ACCOUNT,
          description: 'database tier',
          rules: [
            {
              egress: false,
              ipProtocol: 'tcp',
              fromPort: 5432,
              toPort: 5432,
              referencedGroup: { groupId: 'sg-web', userId: ACCOUNT },
              description: 'from web',
            },
            { egress: true, ipProtocol: 'tcp', fromPort: 443, toPort: 443, prefixListId: 'pl-63a5400a' },
          ],
          tags: {},
        },
      ]);
      expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
    });

    it('replaces rules read before a mid-way failure with the fallback, so none is counted twice', async () => {
      // Prepare
      paged(DescribeSecurityGroupsCommand, [{ SecurityGroups: [SG_WEB] }]);
      ec2Mock
        .on(DescribeSecurityGroupRulesCommand)
        .resolvesOnce({ SecurityGroupRules: RULES_PAGE_1, NextToken: 'page-2' })
        .rejectsOnce(accessDenied());
      const ctx = newContext();

      // Act
      await collectEc2(ctx, newClient());

      // Assess
      expect(ctx.inventory.gaps).toEqual([
        expect.objectContaining({ errorCode: 'FallbackToIpPermissions', informational: true }),
      ]);
      expect(ctx.inventory.securityGroups[0]?.rules).toHaveLength(3);
      expect(ctx.inventory.securityGroups[0]?.rules.every((r) => r.ruleId === undefined)).toBe(true);
    });

    it('keeps the DescribeSecurityGroups gap when the groups themselves fail part-way', async () => {
      // Prepare
      ec2Mock
        .on(DescribeSecurityGroupsCommand)
        .resolvesOnce({ SecurityGroups: [SG_WEB], NextToken: 'page-2' })
        .rejectsOnce(accessDenied());
      ec2Mock.on(DescribeSecurityGroupRulesCommand).rejects(accessDenied());
      const ctx = newContext();

      // Act
      await collectEc2(ctx, newClient());

      // Assess
      expect(ctx.inventory.gaps).toEqual([
        expect.objectContaining({ operation: 'DescribeSecurityGroupRules', informational: true }),
        expect.objectContaining({ operation: 'DescribeSecurityGroups', kind: 'securityGroups' }),
      ]);
      expect(ctx.inventory.securityGroups.map((g) => [g.groupId, g.rules.length])).toEqual([['sg-web', 3]]);
    });

    it('keeps both gaps when neither call could be read', async () => {
      // Prepare
      ec2Mock.on(DescribeSecurityGroupsCommand).rejects(accessDenied());
      ec2Mock.on(DescribeSecurityGroupRulesCommand).rejects(accessDenied());
      const ctx = newContext();

      // Act
      await collectEc2(ctx, newClient());

      // Assess
      expect(ctx.inventory.securityGroups).toEqual([]);
      expect(
        gapsFor(ctx.inventory, 'securityGroups')
          .map((g) => g.operation)
          .sort(),
      ).toEqual(['DescribeSecurityGroupRules', 'DescribeSecurityGroups']);
    });
  });

  describe('prefix lists', () => {
    it('reads entries only for customer-managed lists', async () => {
      // Prepare
      ec2Mock.on(DescribeManagedPrefixListsCommand).resolves(PREFIX_LISTS);
      ec2Mock.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [{ Cidr: '198.51.100.0/24' }] });
      const ctx = newContext();

      // Act
      await collectEc2(ctx, newClient());

      // Assess
      expect(ec2Mock).toHaveReceivedCommandOnce(GetManagedPrefixListEntriesCommand);
      expect(ec2Mock).toHaveReceivedCommandWith(GetManagedPrefixListEntriesCommand, {
        PrefixListId: 'pl-0cust',
      });
      expect(ctx.inventory.prefixLists.find((p) => p.awsManaged)?.entries).toBeUndefined();
      expect(ctx.inventory.prefixLists.find((p) => !p.awsManaged)?.entries).toEqual([
        { cidr: '198.51.100.0/24' },
      ]);
    });

    it('leaves entries absent and records a per-list gap when they cannot be read', async () => {
      // Prepare
      ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({
        PrefixLists: [
          { PrefixListId: 'pl-0ok', OwnerId: ACCOUNT },
          { PrefixListId: 'pl-0denied', OwnerId: ACCOUNT },
        ],
      });
      ec2Mock.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [{ Cidr: '10.0.0.0/8' }] });
      ec2Mock
        .on(GetManagedPrefixListEntriesCommand, { PrefixListId: 'pl-0denied' })
        .resolvesOnce({ Entries: [{ Cidr: '192.0.2.0/24' }], NextToken: 'page-2' })
        .rejectsOnce(accessDenied());
      const ctx = newContext();

      // Act
      await collectEc2(ctx, newClient());

      // Assess
      expect(ctx.inventory.prefixLists).toEqual([
        {
          prefixListId: 'pl-0ok',
          ownerId: ACCOUNT,
          awsManaged: false,
          entries: [{ cidr: '10.0.0.0/8' }],
          tags: {},
        },
        { prefixListId: 'pl-0denied', ownerId: ACCOUNT, awsManaged: false, tags: {} },
      ]);
      expect(ctx.inventory.gaps).toEqual([
        {
          service: 'ec2',
          operation: 'GetManagedPrefixListEntries',
          kind: 'prefixLists',
          resourceId: 'pl-0denied',
          errorCode: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
        },
      ]);
    });

    it('records a gap for each security group whose rules reference a list whose entries were not read', async () => {
      // Prepare: sg-0via admits pl-0denied (entries unreadable), sg-0ok admits pl-0ok, sg-0cidr a CIDR.
      ec2Mock.on(DescribeManagedPrefixListsCommand).resolves({
        PrefixLists: [
          { PrefixListId: 'pl-0ok', OwnerId: ACCOUNT },
          { PrefixListId: 'pl-0denied', OwnerId: ACCOUNT },
        ],
      });
      ec2Mock.on(GetManagedPrefixListEntriesCommand).resolves({ Entries: [{ Cidr: '10.0.0.0/8' }] });
      ec2Mock.on(GetManagedPrefixListEntriesCommand, { PrefixListId: 'pl-0denied' }).rejects(accessDenied());
      const rule = (groupId: string, peer: Record<string, string>) => ({
        SecurityGroupRuleId: `sgr-${groupId}`,
        GroupId: groupId,
        IsEgress: false,
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        ...peer,
      });
      ec2Mock.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: ['sg-0via', 'sg-0ok', 'sg-0cidr'].map((id) => ({
          GroupId: id,
          GroupName: id,
          VpcId: 'vpc-1',
        })),
      });
      ec2Mock.on(DescribeSecurityGroupRulesCommand).resolves({
        SecurityGroupRules: [
          rule('sg-0via', { PrefixListId: 'pl-0denied' }),
          rule('sg-0ok', { PrefixListId: 'pl-0ok' }),
          rule('sg-0cidr', { CidrIpv4: '0.0.0.0/0' }),
        ],
      });
      const ctx = newContext();

      // Act
      await collectEc2(ctx, newClient());

      // Assess
      expect(gapsFor(ctx.inventory, 'securityGroups')).toEqual([
        {
          service: 'ec2',
          operation: 'GetManagedPrefixListEntries',
          kind: 'securityGroups',
          resourceId: 'sg-0via',
          errorCode: 'DependencyNotCollected',
          message:
            'its rules reference prefix list pl-0denied, whose entries were not read (UnauthorizedOperation)',
        },
      ]);
    });
  });

  it('collects nothing once the time budget is spent, records TimeBudgetExceeded gaps and stops early', async () => {
    // Prepare
    mockRealisticAccount();
    const ctx = newContext(Date.now() - 1);

    // Act
    await collectEc2(ctx, newClient());

    // Assess
    expect(ec2Mock.calls()).toHaveLength(0);
    expect(ctx.stoppedEarly).toBe(true);
    const { gaps, ...kinds } = ctx.inventory;
    for (const kind of EC2_KINDS) expect(kinds[kind as keyof typeof kinds]).toEqual([]);
    expect(gaps.every((g) => g.errorCode === TIME_BUDGET_EXCEEDED && g.service === 'ec2')).toBe(true);
    expect(new Set(gaps.map((g) => g.kind))).toEqual(new Set(EC2_KINDS));
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
  });

  describe('through the SDK middleware', () => {
    /**
     * A client that sends through the SDK's own middleware stack (retries, signing, adaptive rate
     * limiting) rather than the mocked `send`. `answer` stands in for the wire: it answers from the
     * deserialize step, inside the retry loop, so nothing is sent anywhere.
     */
    function clientAnswering(answer: (command: string, attempt: number) => object): {
      client: EC2Client;
      attempts: Map<string, number>;
    } {
      const client = newClient();
      Object.defineProperty(client, 'send', { value: ec2Mock.send.wrappedMethod });
      return { client, attempts: answerWithoutNetwork(client, answer) };
    }

    it('retries a throttled call and records no gap', async () => {
      // Prepare
      const { client, attempts } = clientAnswering((command, attempt) => {
        if (command !== 'DescribeVpcsCommand') return {};
        if (attempt === 1) {
          throw Object.assign(new Error('Request limit exceeded.'), {
            name: 'RequestLimitExceeded',
            $metadata: { httpStatusCode: 503 },
            $retryable: { throttling: true },
          });
        }
        return VPCS;
      });
      const ctx = newContext();

      // Act
      await collectEc2(ctx, client);

      // Assess
      expect(attempts.get('DescribeVpcsCommand')).toBe(2);
      expect(ctx.inventory.vpcs.map((v) => v.vpcId)).toEqual(['vpc-0a1', 'vpc-default']);
      expect(ctx.inventory.gaps).toEqual([]);
      client.destroy();
    });

    it('retries a ThrottlingException once thrown inside the retry loop and records no gap', async () => {
      // Prepare: the throttle sits above the answer, so its first attempt never reaches it.
      const client = newClient();
      Object.defineProperty(client, 'send', { value: ec2Mock.send.wrappedMethod });
      const attempts = throttleOnce(client, 'DescribeSubnetsCommand');
      answerWithoutNetwork(client, (command) =>
        command === 'DescribeSubnetsCommand' ? { Subnets: [SUBNET_PUBLIC, SUBNET_PRIVATE] } : {},
      );
      const ctx = newContext();

      // Act
      await collectEc2(ctx, client);

      // Assess
      expect(attempts.get('DescribeSubnetsCommand')).toBe(2);
      expect(ctx.inventory.subnets.map((x) => x.subnetId)).toEqual([
        SUBNET_PUBLIC.SubnetId,
        SUBNET_PRIVATE.SubnetId,
      ]);
      expect(ctx.inventory.gaps).toEqual([]);
      client.destroy();
    });
  });
});

// ---------------------------------------------------------------- pure mappers

describe('toRouteTarget', () => {
  it.each<[string, Ec2Route, { kind: string; id: string }]>([
    ['the local route', { GatewayId: 'local' }, { kind: 'local', id: 'local' }],
    ['an internet gateway', { GatewayId: 'igw-1' }, { kind: 'internetGateway', id: 'igw-1' }],
    ['a virtual private gateway', { GatewayId: 'vgw-1' }, { kind: 'virtualPrivateGateway', id: 'vgw-1' }],
    ['a gateway endpoint', { GatewayId: 'vpce-1' }, { kind: 'vpcEndpoint', id: 'vpce-1' }],
    ['a NAT gateway', { NatGatewayId: 'nat-1' }, { kind: 'natGateway', id: 'nat-1' }],
    [
      'a NAT gateway that also names its interface',
      { NatGatewayId: 'nat-1', NetworkInterfaceId: 'eni-1' },
      { kind: 'natGateway', id: 'nat-1' },
    ],
    [
      'an instance (which always names its interface too)',
      { InstanceId: 'i-1', InstanceOwnerId: ACCOUNT, NetworkInterfaceId: 'eni-1' },
      { kind: 'instance', id: 'i-1' },
    ],
    ['an interface alone', { NetworkInterfaceId: 'eni-1' }, { kind: 'networkInterface', id: 'eni-1' }],
    [
      'a peering connection',
      { VpcPeeringConnectionId: 'pcx-1' },
      { kind: 'vpcPeeringConnection', id: 'pcx-1' },
    ],
    ['a transit gateway', { TransitGatewayId: 'tgw-1' }, { kind: 'transitGateway', id: 'tgw-1' }],
    [
      'an egress-only internet gateway',
      { EgressOnlyInternetGatewayId: 'eigw-1' },
      { kind: 'egressOnlyInternetGateway', id: 'eigw-1' },
    ],
    ['a carrier gateway', { CarrierGatewayId: 'cagw-1' }, { kind: 'carrierGateway', id: 'cagw-1' }],
    ['a local gateway', { LocalGatewayId: 'lgw-1' }, { kind: 'localGateway', id: 'lgw-1' }],
    [
      'a Cloud WAN core network',
      { CoreNetworkArn: 'arn:aws:networkmanager::1:core-network/cn-1' },
      { kind: 'coreNetwork', id: 'arn:aws:networkmanager::1:core-network/cn-1' },
    ],
    ['no target at all', { DestinationCidrBlock: '10.0.0.0/8' }, { kind: 'unknown', id: '' }],
    ['a gateway id of an unknown kind', { GatewayId: 'xgw-1' }, { kind: 'unknown', id: 'xgw-1' }],
  ])('normalizes %s', (_, route, expected) => {
    // Act
    const target = toRouteTarget(route);

    // Assess
    expect(target).toEqual(expected);
  });
});

describe('rulesFromIpPermissions', () => {
  it('makes one rule per IPv4 range, IPv6 range, prefix list and group pair', () => {
    // Prepare
    const perms: IpPermission[] = [
      {
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }, { CidrIp: '10.0.0.0/8' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0' }],
        PrefixListIds: [{ PrefixListId: 'pl-1', Description: 'offices' }],
        UserIdGroupPairs: [
          {
            GroupId: 'sg-peer',
            UserId: '444455556666',
            VpcId: 'vpc-peer',
            VpcPeeringConnectionId: 'pcx-1',
            PeeringStatus: 'active',
            GroupName: 'ignored',
          },
        ],
      },
      { IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
    ];

    // Act
    const rules = rulesFromIpPermissions('sg-1', perms, false);

    // Assess
    const base = { egress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22 };
    expect(rules).toEqual([
      { ...base, cidrIpv4: '0.0.0.0/0', description: 'ssh' },
      { ...base, cidrIpv4: '10.0.0.0/8' },
      { ...base, cidrIpv6: '::/0' },
      { ...base, prefixListId: 'pl-1', description: 'offices' },
      {
        ...base,
        referencedGroup: {
          groupId: 'sg-peer',
          userId: '444455556666',
          vpcId: 'vpc-peer',
          vpcPeeringConnectionId: 'pcx-1',
          peeringStatus: 'active',
        },
      },
      { egress: false, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
    ]);
    expect(rules.every((r) => !('ruleId' in r))).toBe(true);
  });

  it('marks egress rules and yields nothing for absent permissions', () => {
    // Act
    const egress = rulesFromIpPermissions(
      'sg-1',
      [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.2/32' }] }],
      true,
    );
    const none = rulesFromIpPermissions('sg-1', undefined, true);

    // Assess
    expect(egress).toEqual([
      { egress: true, ipProtocol: 'udp', fromPort: 53, toPort: 53, cidrIpv4: '10.0.0.2/32' },
    ]);
    expect(none).toEqual([]);
  });
});

describe('item mappers', () => {
  it('toSecurityGroupRule keeps the peering details of a referenced group', () => {
    // Act
    const rule = toSecurityGroupRule({
      SecurityGroupRuleId: 'sgr-1',
      GroupId: 'sg-1',
      IsEgress: false,
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      ReferencedGroupInfo: {
        GroupId: 'sg-peer',
        UserId: '444455556666',
        VpcId: 'vpc-peer',
        VpcPeeringConnectionId: 'pcx-1',
        PeeringStatus: 'active',
      },
    });

    // Assess
    expect(rule).toEqual({
      ruleId: 'sgr-1',
      egress: false,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      referencedGroup: {
        groupId: 'sg-peer',
        userId: '444455556666',
        vpcId: 'vpc-peer',
        vpcPeeringConnectionId: 'pcx-1',
        peeringStatus: 'active',
      },
    });
  });

  it('toVpc falls back to CidrBlock when there is no associated CIDR', () => {
    // Act
    const vpc = toVpc({
      VpcId: 'vpc-1',
      CidrBlock: '10.0.0.0/16',
      CidrBlockAssociationSet: [{ CidrBlock: '10.9.0.0/16', CidrBlockState: { State: 'disassociating' } }],
    });

    // Assess
    expect(vpc).toEqual({
      vpcId: 'vpc-1',
      isDefault: false,
      cidrBlocks: ['10.0.0.0/16'],
      ipv6CidrBlocks: [],
      tags: {},
    });
  });

  it('toNatGateway skips a deleted NAT gateway', () => {
    // Act / Assess
    expect(toNatGateway({ NatGatewayId: 'nat-1', State: 'deleted' })).toBeUndefined();
    expect(toNatGateway({ NatGatewayId: 'nat-2', State: 'pending' })?.state).toBe('pending');
  });

  it.each(['deleted', 'rejected', 'failed', 'expired'] as const)(
    'toVpcPeeringConnection skips a %s peering',
    (code) => {
      // Act / Assess
      expect(
        toVpcPeeringConnection({ VpcPeeringConnectionId: 'pcx-1', Status: { Code: code } }),
      ).toBeUndefined();
    },
  );

  it('toVpcPeeringConnection keeps a pending peering', () => {
    // Act
    const peering = toVpcPeeringConnection({
      VpcPeeringConnectionId: 'pcx-1',
      Status: { Code: 'pending-acceptance' },
      RequesterVpcInfo: { VpcId: 'vpc-a', CidrBlock: '10.0.0.0/16' },
    });

    // Assess
    expect(peering).toEqual({
      vpcPeeringConnectionId: 'pcx-1',
      status: 'pending-acceptance',
      requesterVpc: { vpcId: 'vpc-a', cidrBlocks: ['10.0.0.0/16'], ipv6CidrBlocks: [] },
      accepterVpc: { cidrBlocks: [], ipv6CidrBlocks: [] },
      tags: {},
    });
  });

  it('toNetworkAclEntry keeps the protocol string and skips an entry without an action', () => {
    // Act / Assess
    expect(
      toNetworkAclEntry({
        RuleNumber: 90,
        Egress: false,
        Protocol: '17',
        RuleAction: 'deny',
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 53, To: 53 },
      }),
    ).toEqual({
      ruleNumber: 90,
      egress: false,
      protocol: '17',
      ruleAction: 'deny',
      cidrBlock: '0.0.0.0/0',
      portRange: { from: 53, to: 53 },
    });
    expect(toNetworkAclEntry({ RuleNumber: 91, Protocol: '-1' })).toBeUndefined();
  });

  it('toNetworkInterface truncates a long description to 200 characters', () => {
    // Act
    const eni = toNetworkInterface({ NetworkInterfaceId: 'eni-1', Description: 'd'.repeat(500) });

    // Assess
    expect(eni?.description).toHaveLength(200);
    expect(eni).toEqual({
      networkInterfaceId: 'eni-1',
      groupIds: [],
      ipv6Addresses: [],
      requesterManaged: false,
      description: 'd'.repeat(200),
      tags: {},
    });
  });
});
