/**
 * EC2 mappers: one pure function per SDK shape, keeping only the schema's fields and leaving absent
 * values absent. Tags come with every Describe* answer: their keys are kept, their values only as
 * hashes (hashTags).
 */
import type {
  EgressOnlyInternetGateway as Ec2EgressOnlyInternetGateway,
  FlowLog as Ec2FlowLog,
  InternetGateway as Ec2InternetGateway,
  InternetGatewayAttachment as Ec2InternetGatewayAttachment,
  IpPermission as Ec2IpPermission,
  ManagedPrefixList as Ec2ManagedPrefixList,
  NatGateway as Ec2NatGateway,
  NetworkAcl as Ec2NetworkAcl,
  NetworkAclEntry as Ec2NetworkAclEntry,
  NetworkInterface as Ec2NetworkInterface,
  PrefixListEntry as Ec2PrefixListEntry,
  Route as Ec2Route,
  RouteTable as Ec2RouteTable,
  RouteTableAssociation as Ec2RouteTableAssociation,
  SecurityGroup as Ec2SecurityGroup,
  SecurityGroupRule as Ec2SecurityGroupRule,
  Subnet as Ec2Subnet,
  Vpc as Ec2Vpc,
  VpcEndpoint as Ec2VpcEndpoint,
  VpcPeeringConnection as Ec2VpcPeeringConnection,
  VpcPeeringConnectionVpcInfo as Ec2VpcPeeringConnectionVpcInfo,
} from '@aws-sdk/client-ec2';
import type {
  EgressOnlyInternetGateway,
  FlowLog,
  InternetGateway,
  NatGateway,
  NetworkAcl,
  NetworkAclEntry,
  NetworkInterface,
  PrefixList,
  Route,
  RouteTable,
  RouteTarget,
  SecurityGroup,
  SecurityGroupRule,
  Subnet,
  Vpc,
  VpcEndpoint,
  VpcPeeringConnection,
} from '../inventory/schema.ts';
import { compact, hashTags, nameTagOf } from './common.ts';

/** Network-interface descriptions are free text; keep enough to recognise the owner, no more. */
export const MAX_DESCRIPTION_LENGTH = 200;

/** Peering connections in these states carry no traffic and never will again. */
const DEAD_PEERING_STATES = new Set(['deleted', 'rejected', 'failed', 'expired']);

/** Internet gateways report "available" when attached; egress-only gateways report "attached". */
const ATTACHED_STATES = new Set(['available', 'attached']);

// ---------------------------------------------------------------- small helpers

function ids<T>(items: readonly T[] | undefined, pick: (item: T) => string | undefined): string[] {
  const out: string[] = [];
  for (const item of items ?? []) {
    const id = pick(item);
    if (id) out.push(id);
  }
  return out;
}

/** Association states whose CIDR carries no traffic. */
const GONE_CIDR_STATES = new Set(['disassociating', 'disassociated', 'failing', 'failed']);

/**
 * CIDRs of association entries that are not gone. Only the known dead states drop a CIDR: an absent,
 * `associated` or `associating` state, or one we cannot read (moto answers the subnet IPv6 state as
 * the text "{'State': 'associated'}"), keeps it, so addresses that may carry traffic are never left
 * out of the paths.
 */
function associatedCidrs<T>(
  items: readonly T[] | undefined,
  cidr: (item: T) => string | undefined,
  state: (item: T) => string | undefined,
): string[] {
  return ids(items, (item) => {
    const s = state(item);
    return s !== undefined && GONE_CIDR_STATES.has(s) ? undefined : cidr(item);
  });
}

// ---------------------------------------------------------------- mappers (pure)

export function toVpc(v: Ec2Vpc): Vpc | undefined {
  if (!v.VpcId) return undefined;
  const cidrBlocks = associatedCidrs(
    v.CidrBlockAssociationSet,
    (a) => a.CidrBlock,
    (a) => a.CidrBlockState?.State,
  );
  if (cidrBlocks.length === 0 && v.CidrBlock) cidrBlocks.push(v.CidrBlock);
  return compact({
    vpcId: v.VpcId,
    ownerId: v.OwnerId,
    isDefault: v.IsDefault ?? false,
    cidrBlocks,
    ipv6CidrBlocks: associatedCidrs(
      v.Ipv6CidrBlockAssociationSet,
      (a) => a.Ipv6CidrBlock,
      (a) => a.Ipv6CidrBlockState?.State,
    ),
    nameTag: nameTagOf(v.Tags),
    tags: hashTags(v.Tags),
  });
}

export function toSubnet(s: Ec2Subnet): Subnet | undefined {
  if (!s.SubnetId) return undefined;
  return compact({
    subnetId: s.SubnetId,
    vpcId: s.VpcId ?? '',
    availabilityZone: s.AvailabilityZone,
    availabilityZoneId: s.AvailabilityZoneId,
    cidrBlock: s.CidrBlock,
    ipv6CidrBlocks: associatedCidrs(
      s.Ipv6CidrBlockAssociationSet,
      (a) => a.Ipv6CidrBlock,
      (a) => a.Ipv6CidrBlockState?.State,
    ),
    mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
    assignIpv6AddressOnCreation: s.AssignIpv6AddressOnCreation ?? false,
    defaultForAz: s.DefaultForAz ?? false,
    nameTag: nameTagOf(s.Tags),
    tags: hashTags(s.Tags),
  });
}

/**
 * Where a route sends traffic, from whichever target field the API filled. A route to an instance
 * or a NAT gateway also carries the interface id, so the network interface is the last resort.
 */
export function toRouteTarget(r: Ec2Route): RouteTarget {
  const gw = r.GatewayId;
  if (gw) {
    if (gw === 'local') return { kind: 'local', id: 'local' };
    if (gw.startsWith('igw-')) return { kind: 'internetGateway', id: gw };
    if (gw.startsWith('vgw-')) return { kind: 'virtualPrivateGateway', id: gw };
    if (gw.startsWith('vpce-')) return { kind: 'vpcEndpoint', id: gw };
  }
  if (r.NatGatewayId) return { kind: 'natGateway', id: r.NatGatewayId };
  if (r.InstanceId) return { kind: 'instance', id: r.InstanceId };
  if (r.VpcPeeringConnectionId) return { kind: 'vpcPeeringConnection', id: r.VpcPeeringConnectionId };
  if (r.TransitGatewayId) return { kind: 'transitGateway', id: r.TransitGatewayId };
  if (r.EgressOnlyInternetGatewayId)
    return { kind: 'egressOnlyInternetGateway', id: r.EgressOnlyInternetGatewayId };
  if (r.CarrierGatewayId) return { kind: 'carrierGateway', id: r.CarrierGatewayId };
  if (r.LocalGatewayId) return { kind: 'localGateway', id: r.LocalGatewayId };
  if (r.CoreNetworkArn) return { kind: 'coreNetwork', id: r.CoreNetworkArn };
  if (r.NetworkInterfaceId) return { kind: 'networkInterface', id: r.NetworkInterfaceId };
  // A gateway id of a kind we do not know, or a target the schema has no kind for (an ODB network):
  // keep the id so a reader can still see where the route goes.
  return { kind: 'unknown', id: gw ?? r.OdbNetworkArn ?? '' };
}

export function toRoute(r: Ec2Route): Route {
  return compact({
    destinationCidrBlock: r.DestinationCidrBlock,
    destinationIpv6CidrBlock: r.DestinationIpv6CidrBlock,
    destinationPrefixListId: r.DestinationPrefixListId,
    target: toRouteTarget(r),
    state: r.State ?? 'unknown',
    origin: r.Origin,
  });
}

export function toRouteTableAssociation(a: Ec2RouteTableAssociation): RouteTable['associations'][number] {
  return compact({
    associationId: a.RouteTableAssociationId,
    main: a.Main ?? false,
    subnetId: a.SubnetId,
    gatewayId: a.GatewayId,
    state: a.AssociationState?.State,
  });
}

export function toRouteTable(t: Ec2RouteTable): RouteTable | undefined {
  if (!t.RouteTableId) return undefined;
  return compact({
    routeTableId: t.RouteTableId,
    vpcId: t.VpcId ?? '',
    routes: (t.Routes ?? []).map(toRoute),
    associations: (t.Associations ?? []).map(toRouteTableAssociation),
    nameTag: nameTagOf(t.Tags),
    tags: hashTags(t.Tags),
  });
}

function attachedVpcIds(attachments: readonly Ec2InternetGatewayAttachment[] | undefined): string[] {
  // The SDK types the state as AttachmentStatus, but internet gateways answer "available".
  return ids(attachments, (a) => (ATTACHED_STATES.has(String(a.State)) ? a.VpcId : undefined));
}

export function toInternetGateway(g: Ec2InternetGateway): InternetGateway | undefined {
  if (!g.InternetGatewayId) return undefined;
  return compact({
    internetGatewayId: g.InternetGatewayId,
    attachedVpcIds: attachedVpcIds(g.Attachments),
    nameTag: nameTagOf(g.Tags),
    tags: hashTags(g.Tags),
  });
}

export function toEgressOnlyInternetGateway(
  g: Ec2EgressOnlyInternetGateway,
): EgressOnlyInternetGateway | undefined {
  if (!g.EgressOnlyInternetGatewayId) return undefined;
  return compact({
    egressOnlyInternetGatewayId: g.EgressOnlyInternetGatewayId,
    attachedVpcIds: attachedVpcIds(g.Attachments),
    nameTag: nameTagOf(g.Tags),
    tags: hashTags(g.Tags),
  });
}

/** A NAT gateway, or undefined for one already deleted. */
export function toNatGateway(n: Ec2NatGateway): NatGateway | undefined {
  if (!n.NatGatewayId || n.State === 'deleted') return undefined;
  return compact({
    natGatewayId: n.NatGatewayId,
    vpcId: n.VpcId ?? '',
    subnetId: n.SubnetId ?? '',
    state: n.State ?? 'unknown',
    connectivityType: n.ConnectivityType,
    publicIps: ids(n.NatGatewayAddresses, (a) => a.PublicIp),
    privateIps: ids(n.NatGatewayAddresses, (a) => a.PrivateIp),
    nameTag: nameTagOf(n.Tags),
    tags: hashTags(n.Tags),
  });
}

function toReferencedGroup(p: {
  GroupId?: string | undefined;
  UserId?: string | undefined;
  VpcId?: string | undefined;
  VpcPeeringConnectionId?: string | undefined;
  PeeringStatus?: string | undefined;
}): NonNullable<SecurityGroupRule['referencedGroup']> {
  return compact({
    groupId: p.GroupId,
    userId: p.UserId,
    vpcId: p.VpcId,
    vpcPeeringConnectionId: p.VpcPeeringConnectionId,
    peeringStatus: p.PeeringStatus,
  });
}

/** One rule as DescribeSecurityGroupRules gives it. */
export function toSecurityGroupRule(r: Ec2SecurityGroupRule): SecurityGroupRule {
  return compact({
    ruleId: r.SecurityGroupRuleId,
    egress: r.IsEgress ?? false,
    // "-1" (all) when absent: the broader reading, so a gap in the answer never hides exposure.
    ipProtocol: r.IpProtocol ?? '-1',
    fromPort: r.FromPort,
    toPort: r.ToPort,
    cidrIpv4: r.CidrIpv4,
    cidrIpv6: r.CidrIpv6,
    prefixListId: r.PrefixListId,
    referencedGroup: r.ReferencedGroupInfo ? toReferencedGroup(r.ReferencedGroupInfo) : undefined,
    description: r.Description,
  });
}

/**
 * Rules derived from a group's IpPermissions (or IpPermissionsEgress), for when
 * DescribeSecurityGroupRules could not be read: one rule per IP range, IPv6 range, prefix list and
 * group pair, in that order. These rules have no ruleId. The first argument names the group the
 * permissions belong to, for the caller's join; a rule itself does not carry it.
 */
export function rulesFromIpPermissions(
  _groupId: string,
  perms: readonly Ec2IpPermission[] | undefined,
  egress: boolean,
): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [];
  for (const p of perms ?? []) {
    const base = { egress, ipProtocol: p.IpProtocol ?? '-1', fromPort: p.FromPort, toPort: p.ToPort };
    for (const r of p.IpRanges ?? []) {
      if (r.CidrIp) rules.push(compact({ ...base, cidrIpv4: r.CidrIp, description: r.Description }));
    }
    for (const r of p.Ipv6Ranges ?? []) {
      if (r.CidrIpv6) rules.push(compact({ ...base, cidrIpv6: r.CidrIpv6, description: r.Description }));
    }
    for (const r of p.PrefixListIds ?? []) {
      if (r.PrefixListId)
        rules.push(compact({ ...base, prefixListId: r.PrefixListId, description: r.Description }));
    }
    for (const pair of p.UserIdGroupPairs ?? []) {
      rules.push(
        compact({ ...base, referencedGroup: toReferencedGroup(pair), description: pair.Description }),
      );
    }
  }
  return rules;
}

/** A group without its rules (they come from DescribeSecurityGroupRules and are joined later). */
export function toSecurityGroup(
  g: Ec2SecurityGroup,
  rules: SecurityGroupRule[] = [],
): SecurityGroup | undefined {
  if (!g.GroupId) return undefined;
  return compact({
    groupId: g.GroupId,
    groupName: g.GroupName ?? '',
    vpcId: g.VpcId,
    ownerId: g.OwnerId,
    description: g.Description,
    rules,
    nameTag: nameTagOf(g.Tags),
    tags: hashTags(g.Tags),
  });
}

/** A NACL entry, or undefined for one without a rule number or action (the API always sends both). */
export function toNetworkAclEntry(e: Ec2NetworkAclEntry): NetworkAclEntry | undefined {
  if (e.RuleNumber === undefined || (e.RuleAction !== 'allow' && e.RuleAction !== 'deny')) return undefined;
  const portRange = e.PortRange;
  const icmp = e.IcmpTypeCode;
  return compact({
    ruleNumber: e.RuleNumber,
    egress: e.Egress ?? false,
    protocol: e.Protocol ?? '-1',
    ruleAction: e.RuleAction,
    cidrBlock: e.CidrBlock,
    ipv6CidrBlock: e.Ipv6CidrBlock,
    portRange:
      portRange && portRange.From !== undefined && portRange.To !== undefined
        ? { from: portRange.From, to: portRange.To }
        : undefined,
    icmpTypeCode:
      icmp && icmp.Type !== undefined && icmp.Code !== undefined
        ? { type: icmp.Type, code: icmp.Code }
        : undefined,
  });
}

export function toNetworkAcl(n: Ec2NetworkAcl): NetworkAcl | undefined {
  if (!n.NetworkAclId) return undefined;
  const entries: NetworkAclEntry[] = [];
  for (const e of n.Entries ?? []) {
    const entry = toNetworkAclEntry(e);
    if (entry) entries.push(entry);
  }
  return compact({
    networkAclId: n.NetworkAclId,
    vpcId: n.VpcId ?? '',
    isDefault: n.IsDefault ?? false,
    ownerId: n.OwnerId,
    entries,
    associatedSubnetIds: ids(n.Associations, (a) => a.SubnetId),
    nameTag: nameTagOf(n.Tags),
    tags: hashTags(n.Tags),
  });
}

export function toNetworkInterface(n: Ec2NetworkInterface): NetworkInterface | undefined {
  if (!n.NetworkInterfaceId) return undefined;
  return compact({
    networkInterfaceId: n.NetworkInterfaceId,
    interfaceType: n.InterfaceType,
    subnetId: n.SubnetId,
    vpcId: n.VpcId,
    availabilityZone: n.AvailabilityZone,
    groupIds: ids(n.Groups, (g) => g.GroupId),
    privateIpAddress: n.PrivateIpAddress,
    publicIp: n.Association?.PublicIp,
    ipv6Addresses: ids(n.Ipv6Addresses, (a) => a.Ipv6Address),
    status: n.Status,
    requesterId: n.RequesterId,
    requesterManaged: n.RequesterManaged ?? false,
    attachedInstanceId: n.Attachment?.InstanceId,
    description: n.Description?.slice(0, MAX_DESCRIPTION_LENGTH),
    nameTag: nameTagOf(n.TagSet),
    tags: hashTags(n.TagSet),
  });
}

export function toVpcEndpoint(e: Ec2VpcEndpoint): VpcEndpoint | undefined {
  if (!e.VpcEndpointId) return undefined;
  return compact({
    vpcEndpointId: e.VpcEndpointId,
    vpcId: e.VpcId ?? '',
    serviceName: e.ServiceName ?? '',
    vpcEndpointType: e.VpcEndpointType ?? '',
    state: e.State,
    subnetIds: ids(e.SubnetIds, (s) => s),
    groupIds: ids(e.Groups, (g) => g.GroupId),
    privateDnsEnabled: e.PrivateDnsEnabled ?? false,
    routeTableIds: ids(e.RouteTableIds, (s) => s),
    networkInterfaceIds: ids(e.NetworkInterfaceIds, (s) => s),
    policyDocument: e.PolicyDocument,
    nameTag: nameTagOf(e.Tags),
    tags: hashTags(e.Tags),
  });
}

/** A prefix list without its entries (read separately, for customer-managed lists only). */
export function toPrefixList(p: Ec2ManagedPrefixList): PrefixList | undefined {
  if (!p.PrefixListId) return undefined;
  return compact({
    prefixListId: p.PrefixListId,
    prefixListName: p.PrefixListName,
    ownerId: p.OwnerId,
    addressFamily: p.AddressFamily,
    awsManaged: p.OwnerId === 'AWS',
    nameTag: nameTagOf(p.Tags),
    tags: hashTags(p.Tags),
  });
}

export function toPrefixListEntry(
  e: Ec2PrefixListEntry,
): NonNullable<PrefixList['entries']>[number] | undefined {
  if (!e.Cidr) return undefined;
  return compact({ cidr: e.Cidr, description: e.Description });
}

export function toFlowLog(f: Ec2FlowLog): FlowLog | undefined {
  if (!f.FlowLogId || !f.ResourceId) return undefined;
  return compact({
    flowLogId: f.FlowLogId,
    resourceId: f.ResourceId,
    trafficType: f.TrafficType,
    flowLogStatus: f.FlowLogStatus,
    logDestinationType: f.LogDestinationType,
    nameTag: nameTagOf(f.Tags),
    tags: hashTags(f.Tags),
  });
}

function toPeeringVpcInfo(
  i: Ec2VpcPeeringConnectionVpcInfo | undefined,
): VpcPeeringConnection['requesterVpc'] {
  const cidrBlocks = ids(i?.CidrBlockSet, (c) => c.CidrBlock);
  if (cidrBlocks.length === 0 && i?.CidrBlock) cidrBlocks.push(i.CidrBlock);
  return compact({
    vpcId: i?.VpcId,
    ownerId: i?.OwnerId,
    region: i?.Region,
    cidrBlocks,
    ipv6CidrBlocks: ids(i?.Ipv6CidrBlockSet, (c) => c.Ipv6CidrBlock),
  });
}

/** A peering connection, or undefined for one that is deleted, rejected, failed or expired. */
export function toVpcPeeringConnection(p: Ec2VpcPeeringConnection): VpcPeeringConnection | undefined {
  if (!p.VpcPeeringConnectionId) return undefined;
  const status = p.Status?.Code;
  if (status && DEAD_PEERING_STATES.has(status)) return undefined;
  return compact({
    vpcPeeringConnectionId: p.VpcPeeringConnectionId,
    status,
    requesterVpc: toPeeringVpcInfo(p.RequesterVpcInfo),
    accepterVpc: toPeeringVpcInfo(p.AccepterVpcInfo),
    nameTag: nameTagOf(p.Tags),
    tags: hashTags(p.Tags),
  });
}
