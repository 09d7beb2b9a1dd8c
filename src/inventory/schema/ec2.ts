/** The EC2 kinds' schemas: VPCs and everything that decides where their traffic may go. */
import { z } from 'zod';
import { optStr, str, strList, tags } from './fields.ts';

export const VpcSchema = z.strictObject({
  vpcId: str,
  ownerId: optStr,
  isDefault: z.boolean(),
  cidrBlocks: strList,
  ipv6CidrBlocks: strList,
  tags,
});

export const SubnetSchema = z.strictObject({
  subnetId: str,
  vpcId: str,
  availabilityZone: optStr,
  availabilityZoneId: optStr,
  cidrBlock: optStr,
  ipv6CidrBlocks: strList,
  mapPublicIpOnLaunch: z.boolean(),
  assignIpv6AddressOnCreation: z.boolean(),
  defaultForAz: z.boolean(),
  tags,
});

/** Where a route sends traffic. `kind` is derived from which target field the API filled. */
export const RouteTargetSchema = z.strictObject({
  kind: z.enum([
    'local',
    'internetGateway',
    'virtualPrivateGateway',
    'vpcEndpoint',
    'natGateway',
    'networkInterface',
    'instance',
    'vpcPeeringConnection',
    'transitGateway',
    'egressOnlyInternetGateway',
    'carrierGateway',
    'localGateway',
    'coreNetwork',
    'unknown',
  ]),
  id: str,
});

export const RouteSchema = z.strictObject({
  destinationCidrBlock: optStr,
  destinationIpv6CidrBlock: optStr,
  destinationPrefixListId: optStr,
  target: RouteTargetSchema,
  /** active | blackhole */
  state: str,
  /** CreateRouteTable | CreateRoute | EnableVgwRoutePropagation */
  origin: optStr,
});

export const RouteTableAssociationSchema = z.strictObject({
  associationId: optStr,
  main: z.boolean(),
  subnetId: optStr,
  /** Edge association: an internet gateway or virtual private gateway. */
  gatewayId: optStr,
  state: optStr,
});

export const RouteTableSchema = z.strictObject({
  routeTableId: str,
  vpcId: str,
  routes: z.array(RouteSchema),
  associations: z.array(RouteTableAssociationSchema),
  tags,
});

export const InternetGatewaySchema = z.strictObject({
  internetGatewayId: str,
  /** VPC ids it is attached to (state attached/available). */
  attachedVpcIds: strList,
  tags,
});

export const EgressOnlyInternetGatewaySchema = z.strictObject({
  egressOnlyInternetGatewayId: str,
  attachedVpcIds: strList,
  tags,
});

export const NatGatewaySchema = z.strictObject({
  natGatewayId: str,
  vpcId: str,
  subnetId: str,
  state: str,
  /** public | private; absent means public (the API's default). */
  connectivityType: optStr,
  publicIps: strList,
  privateIps: strList,
  tags,
});

/** One security-group rule: one direction, one protocol and port range, one peer. */
export const SecurityGroupRuleSchema = z.strictObject({
  ruleId: optStr,
  egress: z.boolean(),
  /** As the API gives it: "-1", "tcp", "udp", "icmp", "icmpv6" or a protocol number. */
  ipProtocol: str,
  /** For TCP/UDP the port range; for ICMP the type/code; -1 or absent for all. */
  fromPort: z.number().int().optional(),
  toPort: z.number().int().optional(),
  cidrIpv4: optStr,
  cidrIpv6: optStr,
  prefixListId: optStr,
  referencedGroup: z
    .strictObject({
      groupId: optStr,
      userId: optStr,
      vpcId: optStr,
      vpcPeeringConnectionId: optStr,
      peeringStatus: optStr,
    })
    .optional(),
  description: optStr,
});

export const SecurityGroupSchema = z.strictObject({
  groupId: str,
  groupName: str,
  vpcId: optStr,
  ownerId: optStr,
  description: optStr,
  rules: z.array(SecurityGroupRuleSchema),
  tags,
});

export const NetworkAclEntrySchema = z.strictObject({
  ruleNumber: z.number().int(),
  egress: z.boolean(),
  /** "-1" for all, else a protocol number as a string ("6", "17", "1", "58"). */
  protocol: str,
  ruleAction: z.enum(['allow', 'deny']),
  cidrBlock: optStr,
  ipv6CidrBlock: optStr,
  portRange: z.strictObject({ from: z.number().int(), to: z.number().int() }).optional(),
  icmpTypeCode: z.strictObject({ type: z.number().int(), code: z.number().int() }).optional(),
});

export const NetworkAclSchema = z.strictObject({
  networkAclId: str,
  vpcId: str,
  isDefault: z.boolean(),
  ownerId: optStr,
  entries: z.array(NetworkAclEntrySchema),
  associatedSubnetIds: strList,
  tags,
});

export const NetworkInterfaceSchema = z.strictObject({
  networkInterfaceId: str,
  interfaceType: optStr,
  subnetId: optStr,
  vpcId: optStr,
  availabilityZone: optStr,
  groupIds: strList,
  privateIpAddress: optStr,
  /** The public IPv4 address associated with the primary private address (EIP or auto-assigned). */
  publicIp: optStr,
  ipv6Addresses: strList,
  status: optStr,
  requesterId: optStr,
  requesterManaged: z.boolean(),
  attachedInstanceId: optStr,
  description: optStr,
  tags,
});

export const VpcEndpointSchema = z.strictObject({
  vpcEndpointId: str,
  vpcId: str,
  serviceName: str,
  /** Interface | Gateway | GatewayLoadBalancer | Resource | ServiceNetwork */
  vpcEndpointType: str,
  state: optStr,
  subnetIds: strList,
  groupIds: strList,
  privateDnsEnabled: z.boolean(),
  routeTableIds: strList,
  networkInterfaceIds: strList,
  /** The endpoint policy document, as the JSON string the API returns. */
  policyDocument: optStr,
  tags,
});

export const PrefixListSchema = z.strictObject({
  prefixListId: str,
  prefixListName: optStr,
  /** "AWS" for an AWS-managed list, else the owning account. */
  ownerId: optStr,
  addressFamily: optStr,
  awsManaged: z.boolean(),
  /** Entries for customer-managed lists; absent when not read (AWS-managed lists). */
  entries: z.array(z.strictObject({ cidr: str, description: optStr })).optional(),
  tags,
});

export const FlowLogSchema = z.strictObject({
  flowLogId: str,
  resourceId: str,
  trafficType: optStr,
  flowLogStatus: optStr,
  logDestinationType: optStr,
  tags,
});

export const PeeringVpcInfoSchema = z.strictObject({
  vpcId: optStr,
  ownerId: optStr,
  region: optStr,
  cidrBlocks: strList,
  ipv6CidrBlocks: strList,
});

export const VpcPeeringConnectionSchema = z.strictObject({
  vpcPeeringConnectionId: str,
  status: optStr,
  requesterVpc: PeeringVpcInfoSchema,
  accepterVpc: PeeringVpcInfoSchema,
  tags,
});
