/**
 * The normalized, serializable inventory of one audit: what the collectors saw, per account and region.
 *
 * Every field here is one a rule (or a suppression) needs. Nothing that can hold a secret (training-job
 * Environment, HyperParameters, lifecycle configurations, tag values, container environment) has a
 * place in it: the schema is strict, so a collector that tried to add one would fail validation. Tags
 * are kept as key -> hash of the value (see tags.ts); a value that is not such a hash is rejected.
 *
 * Shapes are camelCase and close to the AWS API's, so a reader who knows the API knows the inventory.
 */
import { z } from 'zod';
import { TAG_VALUE_HASH } from './tags.ts';

export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

const str = z.string();
const optStr = z.string().optional();
const strList = z.array(z.string());

/**
 * A resource's tags: key as AWS gives it -> `sha256:<hex>` of the value (never the value itself).
 * Absent when the tags were not read (older snapshots, a failed ListTags); `{}` when read and none.
 */
export const TagsSchema = z
  .record(
    z.string().min(1),
    z
      .string()
      .regex(TAG_VALUE_HASH, { error: 'must be a tag-value hash (sha256:<64 hex>), never the value' }),
  )
  .describe(
    'Tag key -> "sha256:<hex>" of the value (never the value). Absent when the tags were not read; {} when read and none.',
  );
const tags = TagsSchema.optional();

/** Resource kinds a collector reads; coverage gaps and rule needs are keyed on them. */
export const RESOURCE_KINDS = [
  'vpcs',
  'subnets',
  'routeTables',
  'internetGateways',
  'egressOnlyInternetGateways',
  'natGateways',
  'securityGroups',
  'networkAcls',
  'networkInterfaces',
  'vpcEndpoints',
  'prefixLists',
  'flowLogs',
  'vpcPeeringConnections',
  'sagemakerDomains',
  'sagemakerUserProfiles',
  'sagemakerSpaces',
  'notebookInstances',
  'endpoints',
  'endpointConfigs',
  'models',
  'trainingJobs',
  'processingJobs',
  'firewalls',
  'firewallPolicies',
  'ruleGroups',
  'firewallLogging',
  /** A resource's tags (SageMaker ListTags); a gap here leaves that resource's `tags` absent. */
  'tags',
  'account',
  'regions',
] as const;
export const ResourceKindSchema = z.enum(RESOURCE_KINDS);
export type ResourceKind = z.infer<typeof ResourceKindSchema>;

// ---------------------------------------------------------------- EC2

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

// ---------------------------------------------------------------- SageMaker

export const VpcConfigSchema = z.strictObject({
  subnets: strList,
  securityGroupIds: strList,
});

export const SageMakerDomainSchema = z.strictObject({
  domainId: str,
  domainArn: optStr,
  domainName: optStr,
  status: optStr,
  /** PublicInternetOnly | VpcOnly; absent means PublicInternetOnly (the API's default). */
  appNetworkAccessType: optStr,
  vpcId: optStr,
  subnetIds: strList,
  defaultUserSecurityGroups: strList,
  defaultSpaceSecurityGroups: strList,
  /** The security group SageMaker created for the domain's EFS boundary, if reported. */
  securityGroupIdForDomainBoundary: optStr,
  tags,
});

export const SageMakerUserProfileSchema = z.strictObject({
  domainId: str,
  userProfileName: str,
  userProfileArn: optStr,
  /** The profile's own security groups; absent when it inherits the domain's. */
  securityGroups: strList.optional(),
  tags,
});

export const SageMakerSpaceSchema = z.strictObject({
  domainId: str,
  spaceName: str,
  spaceArn: optStr,
  /** The space's own security groups, where the API reports them; absent when inherited. */
  securityGroups: strList.optional(),
  tags,
});

export const NotebookInstanceSchema = z.strictObject({
  notebookInstanceName: str,
  notebookInstanceArn: optStr,
  status: optStr,
  instanceType: optStr,
  /** Enabled | Disabled */
  directInternetAccess: optStr,
  subnetId: optStr,
  securityGroups: strList,
  /** Enabled | Disabled; absent means Enabled (the API's default). */
  rootAccess: optStr,
  kmsKeyId: optStr,
  networkInterfaceId: optStr,
  tags,
});

export const SageMakerEndpointSchema = z.strictObject({
  endpointName: str,
  endpointArn: optStr,
  endpointConfigName: optStr,
  status: optStr,
  tags,
});

export const ProductionVariantSchema = z.strictObject({
  variantName: str,
  modelName: optStr,
  initialInstanceCount: z.number().int().optional(),
  instanceType: optStr,
  serverless: z.boolean(),
});

export const EndpointConfigSchema = z.strictObject({
  endpointConfigName: str,
  endpointConfigArn: optStr,
  kmsKeyId: optStr,
  /** Placement of inference components hosted by this config (the models' own VpcConfig otherwise). */
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean().optional(),
  productionVariants: z.array(ProductionVariantSchema),
  tags,
});

export const ModelSchema = z.strictObject({
  modelName: str,
  modelArn: optStr,
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean(),
  imageUris: strList,
  tags,
});

export const TrainingJobSchema = z.strictObject({
  trainingJobName: str,
  trainingJobArn: optStr,
  status: optStr,
  creationTime: optStr,
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean(),
  enableInterContainerTrafficEncryption: z.boolean(),
  /** Total instances across the resource config (instance groups summed). */
  instanceCount: z.number().int(),
  imageUri: optStr,
  tags,
});

export const ProcessingJobSchema = z.strictObject({
  processingJobName: str,
  processingJobArn: optStr,
  status: optStr,
  creationTime: optStr,
  vpcConfig: VpcConfigSchema.optional(),
  enableNetworkIsolation: z.boolean(),
  enableInterContainerTrafficEncryption: z.boolean(),
  instanceCount: z.number().int(),
  imageUri: optStr,
  tags,
});

// ---------------------------------------------------------------- Network Firewall

export const FirewallEndpointSchema = z.strictObject({
  availabilityZone: str,
  subnetId: optStr,
  endpointId: optStr,
  status: optStr,
});

export const FirewallLoggingSchema = z.strictObject({
  destinations: z.array(
    z.strictObject({
      /** ALERT | FLOW | TLS */
      logType: str,
      /** S3 | CloudWatchLogs | KinesisDataFirehose */
      logDestinationType: str,
    }),
  ),
});

export const FirewallSchema = z.strictObject({
  firewallName: str,
  firewallArn: str,
  firewallId: optStr,
  /** Absent for a firewall attached to a transit gateway. */
  vpcId: optStr,
  transitGatewayId: optStr,
  subnetMappings: z.array(z.strictObject({ subnetId: str, ipAddressType: optStr })),
  firewallPolicyArn: str,
  deleteProtection: z.boolean(),
  subnetChangeProtection: z.boolean(),
  firewallPolicyChangeProtection: z.boolean(),
  /** Per-AZ endpoints from the firewall status' sync states. */
  endpoints: z.array(FirewallEndpointSchema),
  /** Absent when the logging configuration was not read (see coverage). */
  logging: FirewallLoggingSchema.optional(),
  tags,
});

export const StatelessRuleSchema = z.strictObject({
  priority: z.number().int(),
  actions: strList,
  sources: strList,
  destinations: strList,
  sourcePorts: z.array(z.strictObject({ from: z.number().int(), to: z.number().int() })),
  destinationPorts: z.array(z.strictObject({ from: z.number().int(), to: z.number().int() })),
  /** Protocol numbers; empty means all. */
  protocols: z.array(z.number().int()),
  tcpFlags: z.array(z.strictObject({ flags: strList, masks: strList })),
});

export const StatefulRuleSchema = z.strictObject({
  /** PASS | DROP | ALERT | REJECT */
  action: str,
  protocol: str,
  source: str,
  sourcePort: str,
  /** FORWARD | ANY */
  direction: str,
  destination: str,
  destinationPort: str,
  ruleOptions: z.array(z.strictObject({ keyword: str, settings: strList })),
});

export const RuleGroupSchema = z.strictObject({
  ruleGroupArn: str,
  ruleGroupName: str,
  /** STATELESS | STATEFUL */
  type: str,
  capacity: z.number().int().optional(),
  /** For stateful groups: DEFAULT_ACTION_ORDER | STRICT_ORDER */
  ruleOrder: optStr,
  ipSets: z.record(z.string(), strList),
  portSets: z.record(z.string(), strList),
  /** IP set references (ReferenceSets.IPSetReferences): variable name -> referenced ARN (a prefix list). */
  ipSetReferences: z.record(z.string(), str).optional(),
  rulesSourceList: z
    .strictObject({
      targets: strList,
      /** TLS_SNI | HTTP_HOST */
      targetTypes: strList,
      /** ALLOWLIST | DENYLIST | ALERTLIST | REJECTLIST */
      generatedRulesType: str,
    })
    .optional(),
  statefulRules: z.array(StatefulRuleSchema).optional(),
  /** Suricata-compatible rules, as written. */
  rulesString: optStr,
  statelessRules: z.array(StatelessRuleSchema).optional(),
  statelessCustomActionNames: strList.optional(),
  tags,
});

export const FirewallPolicySchema = z.strictObject({
  firewallPolicyArn: str,
  firewallPolicyName: str,
  statelessDefaultActions: strList,
  statelessFragmentDefaultActions: strList,
  statelessRuleGroupReferences: z.array(z.strictObject({ resourceArn: str, priority: z.number().int() })),
  statefulRuleGroupReferences: z.array(
    z.strictObject({ resourceArn: str, priority: z.number().int().optional(), override: optStr }),
  ),
  /** DEFAULT_ACTION_ORDER (the default when absent) | STRICT_ORDER */
  ruleOrder: optStr,
  streamExceptionPolicy: optStr,
  statefulDefaultActions: strList,
  /** Policy variables (HOME_NET override). */
  ruleVariables: z.record(z.string(), strList),
  tags,
});

// ---------------------------------------------------------------- coverage and scope

export const CoverageGapSchema = z.strictObject({
  service: str,
  operation: str,
  kind: ResourceKindSchema,
  /** Set when only one resource could not be read (a describe call); absent for a whole kind. */
  resourceId: optStr,
  errorCode: str,
  message: str,
});

export const RegionInventorySchema = z.strictObject({
  account: str,
  region: str,
  partition: str,
  vpcs: z.array(VpcSchema),
  subnets: z.array(SubnetSchema),
  routeTables: z.array(RouteTableSchema),
  internetGateways: z.array(InternetGatewaySchema),
  egressOnlyInternetGateways: z.array(EgressOnlyInternetGatewaySchema),
  natGateways: z.array(NatGatewaySchema),
  securityGroups: z.array(SecurityGroupSchema),
  networkAcls: z.array(NetworkAclSchema),
  networkInterfaces: z.array(NetworkInterfaceSchema),
  vpcEndpoints: z.array(VpcEndpointSchema),
  prefixLists: z.array(PrefixListSchema),
  flowLogs: z.array(FlowLogSchema),
  vpcPeeringConnections: z.array(VpcPeeringConnectionSchema),
  sagemakerDomains: z.array(SageMakerDomainSchema),
  sagemakerUserProfiles: z.array(SageMakerUserProfileSchema),
  sagemakerSpaces: z.array(SageMakerSpaceSchema),
  notebookInstances: z.array(NotebookInstanceSchema),
  endpoints: z.array(SageMakerEndpointSchema),
  endpointConfigs: z.array(EndpointConfigSchema),
  models: z.array(ModelSchema),
  trainingJobs: z.array(TrainingJobSchema),
  processingJobs: z.array(ProcessingJobSchema),
  firewalls: z.array(FirewallSchema),
  firewallPolicies: z.array(FirewallPolicySchema),
  ruleGroups: z.array(RuleGroupSchema),
  gaps: z.array(CoverageGapSchema),
});

/** The limits a collection ran under; they go into every run's metadata. */
export const CollectionBoundsSchema = z.strictObject({
  regions: strList,
  /** Training and processing jobs created within this many days are read, plus any still InProgress. */
  jobWindowDays: z.number().int().positive(),
  jobsCreatedAfter: str,
  /** At most this many jobs of each kind per region (newest first). */
  maxJobsPerKind: z.number().int().positive(),
  /** Jobs left unread because of maxJobsPerKind, by region and kind ("us-east-1/trainingJobs"). */
  jobsTruncated: z.record(z.string(), z.boolean()),
  describeConcurrency: z.number().int().positive(),
  /** The time budget the collection was given, in ms; absent for none. */
  timeBudgetMs: z.number().int().positive().optional(),
  /** True when collection stopped early to stay within the time budget. */
  stoppedEarly: z.boolean(),
});

export const InventorySchema = z.strictObject({
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  tool: z.strictObject({ name: z.literal('ml-network-audit'), version: str }),
  collectedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().int().nonnegative().optional(),
  bounds: CollectionBoundsSchema,
  regions: z.array(RegionInventorySchema),
});

export type Vpc = z.infer<typeof VpcSchema>;
export type Subnet = z.infer<typeof SubnetSchema>;
export type Route = z.infer<typeof RouteSchema>;
export type RouteTarget = z.infer<typeof RouteTargetSchema>;
export type RouteTable = z.infer<typeof RouteTableSchema>;
export type InternetGateway = z.infer<typeof InternetGatewaySchema>;
export type EgressOnlyInternetGateway = z.infer<typeof EgressOnlyInternetGatewaySchema>;
export type NatGateway = z.infer<typeof NatGatewaySchema>;
export type SecurityGroupRule = z.infer<typeof SecurityGroupRuleSchema>;
export type SecurityGroup = z.infer<typeof SecurityGroupSchema>;
export type NetworkAclEntry = z.infer<typeof NetworkAclEntrySchema>;
export type NetworkAcl = z.infer<typeof NetworkAclSchema>;
export type NetworkInterface = z.infer<typeof NetworkInterfaceSchema>;
export type VpcEndpoint = z.infer<typeof VpcEndpointSchema>;
export type PrefixList = z.infer<typeof PrefixListSchema>;
export type FlowLog = z.infer<typeof FlowLogSchema>;
export type VpcPeeringConnection = z.infer<typeof VpcPeeringConnectionSchema>;
export type VpcConfig = z.infer<typeof VpcConfigSchema>;
export type SageMakerDomain = z.infer<typeof SageMakerDomainSchema>;
export type SageMakerUserProfile = z.infer<typeof SageMakerUserProfileSchema>;
export type SageMakerSpace = z.infer<typeof SageMakerSpaceSchema>;
export type NotebookInstance = z.infer<typeof NotebookInstanceSchema>;
export type SageMakerEndpoint = z.infer<typeof SageMakerEndpointSchema>;
export type EndpointConfig = z.infer<typeof EndpointConfigSchema>;
export type Model = z.infer<typeof ModelSchema>;
export type TrainingJob = z.infer<typeof TrainingJobSchema>;
export type ProcessingJob = z.infer<typeof ProcessingJobSchema>;
export type Firewall = z.infer<typeof FirewallSchema>;
export type FirewallLogging = z.infer<typeof FirewallLoggingSchema>;
export type FirewallPolicy = z.infer<typeof FirewallPolicySchema>;
export type RuleGroup = z.infer<typeof RuleGroupSchema>;
export type StatelessRule = z.infer<typeof StatelessRuleSchema>;
export type StatefulRule = z.infer<typeof StatefulRuleSchema>;
export type CoverageGap = z.infer<typeof CoverageGapSchema>;
export type RegionInventory = z.infer<typeof RegionInventorySchema>;
export type CollectionBounds = z.infer<typeof CollectionBoundsSchema>;
export type Inventory = z.infer<typeof InventorySchema>;

/** The kinds of one region's inventory that hold resources (every array but gaps). */
export type ResourceArrays = Omit<RegionInventory, 'account' | 'region' | 'partition' | 'gaps'>;

/** The keys of those arrays, from the schema itself. */
export const RESOURCE_ARRAY_KEYS = Object.keys(RegionInventorySchema.shape).filter(
  (k) => !['account', 'region', 'partition', 'gaps'].includes(k),
) as (keyof ResourceArrays)[];

/** An empty region inventory, to be filled by collectors or test fixtures. */
export function emptyRegionInventory(account: string, region: string, partition = 'aws'): RegionInventory {
  return {
    account,
    region,
    partition,
    vpcs: [],
    subnets: [],
    routeTables: [],
    internetGateways: [],
    egressOnlyInternetGateways: [],
    natGateways: [],
    securityGroups: [],
    networkAcls: [],
    networkInterfaces: [],
    vpcEndpoints: [],
    prefixLists: [],
    flowLogs: [],
    vpcPeeringConnections: [],
    sagemakerDomains: [],
    sagemakerUserProfiles: [],
    sagemakerSpaces: [],
    notebookInstances: [],
    endpoints: [],
    endpointConfigs: [],
    models: [],
    trainingJobs: [],
    processingJobs: [],
    firewalls: [],
    firewallPolicies: [],
    ruleGroups: [],
    gaps: [],
  };
}
