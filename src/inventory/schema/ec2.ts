/** The EC2 kinds' schemas: VPCs and everything that decides where their traffic may go. */
import { z } from 'zod';
import {
  accountId,
  cidr,
  cidr4,
  cidr6,
  icmpNumber,
  ipProtocol,
  ipv4Address,
  ipv6Address,
  nameTag,
  optStr,
  port,
  portOrAll,
  protocolPortKind,
  regionName,
  str,
  strList,
  tags,
} from './fields.ts';

export const VpcSchema = z.strictObject({
  vpcId: str,
  ownerId: accountId.optional(),
  isDefault: z.boolean(),
  cidrBlocks: z.array(cidr4),
  ipv6CidrBlocks: z.array(cidr6),
  nameTag,
  tags,
});

export const SubnetSchema = z.strictObject({
  subnetId: str,
  vpcId: str,
  availabilityZone: optStr,
  availabilityZoneId: optStr,
  cidrBlock: cidr4.optional(),
  ipv6CidrBlocks: z.array(cidr6),
  mapPublicIpOnLaunch: z.boolean(),
  assignIpv6AddressOnCreation: z.boolean(),
  defaultForAz: z.boolean(),
  nameTag,
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
  destinationCidrBlock: cidr4.optional(),
  destinationIpv6CidrBlock: cidr6.optional(),
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
  nameTag,
  tags,
});

export const InternetGatewaySchema = z.strictObject({
  internetGatewayId: str,
  /** VPC ids it is attached to (state attached/available). */
  attachedVpcIds: strList,
  nameTag,
  tags,
});

export const EgressOnlyInternetGatewaySchema = z.strictObject({
  egressOnlyInternetGatewayId: str,
  attachedVpcIds: strList,
  nameTag,
  tags,
});

export const NatGatewaySchema = z.strictObject({
  natGatewayId: str,
  vpcId: str,
  subnetId: str,
  state: str,
  /** public | private; absent means public (the API's default). */
  connectivityType: optStr,
  publicIps: z.array(ipv4Address),
  privateIps: z.array(ipv4Address),
  nameTag,
  tags,
});

/**
 * Where a port pair of a security-group rule or NACL entry is wrong for its protocol, as AWS reads it
 * (EC2 API reference, IpPermission / PortRange / IcmpTypeCode): TCP/UDP take a port range 0-65535 with
 * from <= to (both -1 or both absent: all ports); ICMP/ICMPv6 take a type and a code, each 0-255 or -1,
 * and "all types" (-1) comes with "all codes" (-1); other protocols ignore the fields.
 */
function checkPortPair(
  ctx: z.core.$RefinementCtx,
  protocol: string,
  from: number | undefined,
  to: number | undefined,
  path: { from: PropertyKey[]; to: PropertyKey[] },
): void {
  const kind = protocolPortKind(protocol);
  if (kind === 'ports') {
    const fromAll = from === undefined || from === -1;
    const toAll = to === undefined || to === -1;
    if (fromAll !== toAll) {
      ctx.addIssue({
        code: 'custom',
        path: fromAll ? path.from : path.to,
        message: `a ${protocol} port range needs both ends (0-65535), or neither (-1) for all ports`,
      });
    } else if (!fromAll && (from as number) > (to as number)) {
      ctx.addIssue({
        code: 'custom',
        path: path.from,
        message: `the port range is reversed: from ${from} is greater than to ${to}`,
      });
    }
  } else if (kind === 'icmp') {
    for (const [value, p, what] of [
      [from, path.from, 'type'],
      [to, path.to, 'code'],
    ] as const) {
      if (value !== undefined && (value < -1 || value > 255)) {
        ctx.addIssue({ code: 'custom', path: [...p], message: `an ICMP ${what} is 0-255, or -1 for all` });
      }
    }
    if ((from === undefined || from === -1) && to !== undefined && to !== -1) {
      ctx.addIssue({
        code: 'custom',
        path: path.to,
        message: 'all ICMP types (-1) come with all codes (-1)',
      });
    }
  }
}

/** One security-group rule: one direction, one protocol and port range, one peer. */
export const SecurityGroupRuleSchema = z
  .strictObject({
    ruleId: optStr,
    egress: z.boolean(),
    /** As the API gives it: "-1", "tcp", "udp", "icmp", "icmpv6" or a protocol number. */
    ipProtocol,
    /** For TCP/UDP the port range; for ICMP the type/code; -1 or absent for all. */
    fromPort: portOrAll.optional(),
    toPort: portOrAll.optional(),
    cidrIpv4: cidr4.optional(),
    cidrIpv6: cidr6.optional(),
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
  })
  .superRefine((rule, ctx) => {
    checkPortPair(ctx, rule.ipProtocol, rule.fromPort, rule.toPort, { from: ['fromPort'], to: ['toPort'] });
    const peers = (['cidrIpv4', 'cidrIpv6', 'prefixListId', 'referencedGroup'] as const).filter(
      (k) => rule[k] !== undefined,
    );
    if (peers.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [peers[1] as string],
        message: `a security-group rule has one peer, this one has ${peers.join(' and ')}`,
      });
    }
  });

export const SecurityGroupSchema = z.strictObject({
  groupId: str,
  groupName: str,
  vpcId: optStr,
  ownerId: accountId.optional(),
  description: optStr,
  rules: z.array(SecurityGroupRuleSchema),
  nameTag,
  tags,
});

/** The rule number of a NACL's default entry, shown as `*` in the console (always deny all). */
const NACL_DEFAULT_ENTRY = 32767;

export const NetworkAclEntrySchema = z
  .strictObject({
    /** 1-32766 for an entry one can create; 32767 is the default `*` entry (deny all). */
    ruleNumber: z.number().int().min(1).max(NACL_DEFAULT_ENTRY),
    egress: z.boolean(),
    /** "-1" for all, else a protocol number as a string ("6", "17", "1", "58"). */
    protocol: ipProtocol,
    ruleAction: z.enum(['allow', 'deny']),
    cidrBlock: cidr4.optional(),
    ipv6CidrBlock: cidr6.optional(),
    portRange: z.strictObject({ from: port, to: port }).optional(),
    icmpTypeCode: z.strictObject({ type: icmpNumber, code: icmpNumber }).optional(),
  })
  .superRefine((entry, ctx) => {
    // The API answers both fields whatever the protocol; only the protocol's own one is read.
    const kind = protocolPortKind(entry.protocol);
    if (kind === 'ports') {
      checkPortPair(ctx, entry.protocol, entry.portRange?.from, entry.portRange?.to, {
        from: ['portRange', 'from'],
        to: ['portRange', 'to'],
      });
    } else if (kind === 'icmp') {
      checkPortPair(ctx, entry.protocol, entry.icmpTypeCode?.type, entry.icmpTypeCode?.code, {
        from: ['icmpTypeCode', 'type'],
        to: ['icmpTypeCode', 'code'],
      });
    }
    if ((entry.cidrBlock === undefined) === (entry.ipv6CidrBlock === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cidrBlock'],
        message: 'a NACL entry has exactly one of cidrBlock and ipv6CidrBlock',
      });
    }
    if (entry.ruleNumber === NACL_DEFAULT_ENTRY && (entry.ruleAction !== 'deny' || entry.protocol !== '-1')) {
      ctx.addIssue({
        code: 'custom',
        path: ['ruleNumber'],
        message:
          'rule number 32767 is the default entry, which denies all traffic (-1); entries one creates are 1-32766',
      });
    }
  });

export const NetworkAclSchema = z
  .strictObject({
    networkAclId: str,
    vpcId: str,
    isDefault: z.boolean(),
    ownerId: accountId.optional(),
    entries: z.array(NetworkAclEntrySchema),
    associatedSubnetIds: strList,
    nameTag,
    tags,
  })
  .superRefine((acl, ctx) => {
    // A rule number is unique per direction (and per address family for the default entry).
    const seen = new Map<string, number>();
    acl.entries.forEach((e, i) => {
      const key = `${e.egress}/${e.ruleNumber}/${e.ruleNumber === NACL_DEFAULT_ENTRY && e.ipv6CidrBlock !== undefined ? 6 : 4}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i, 'ruleNumber'],
          message: `${e.egress ? 'egress' : 'ingress'} rule number ${e.ruleNumber} is also entries[${first}]: a NACL numbers each direction's rules uniquely`,
        });
      }
    });
  });

export const NetworkInterfaceSchema = z.strictObject({
  networkInterfaceId: str,
  interfaceType: optStr,
  subnetId: optStr,
  vpcId: optStr,
  availabilityZone: optStr,
  groupIds: strList,
  privateIpAddress: ipv4Address.optional(),
  /** The public IPv4 address associated with the primary private address (EIP or auto-assigned). */
  publicIp: ipv4Address.optional(),
  ipv6Addresses: z.array(ipv6Address),
  status: optStr,
  requesterId: optStr,
  requesterManaged: z.boolean(),
  attachedInstanceId: optStr,
  description: optStr,
  nameTag,
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
  nameTag,
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
  entries: z.array(z.strictObject({ cidr, description: optStr })).optional(),
  nameTag,
  tags,
});

export const FlowLogSchema = z.strictObject({
  flowLogId: str,
  resourceId: str,
  trafficType: optStr,
  flowLogStatus: optStr,
  logDestinationType: optStr,
  nameTag,
  tags,
});

export const PeeringVpcInfoSchema = z.strictObject({
  vpcId: optStr,
  ownerId: accountId.optional(),
  region: regionName.optional(),
  cidrBlocks: z.array(cidr4),
  ipv6CidrBlocks: z.array(cidr6),
});

export const VpcPeeringConnectionSchema = z.strictObject({
  vpcPeeringConnectionId: str,
  status: optStr,
  requesterVpc: PeeringVpcInfoSchema,
  accepterVpc: PeeringVpcInfoSchema,
  nameTag,
  tags,
});
