/**
 * The normalized, serializable inventory of one audit: what the collectors saw, per account and region.
 *
 * Every field here is one a rule (or a suppression) needs. Nothing that can hold a secret (training-job
 * Environment, HyperParameters, lifecycle configurations, tag values, container environment) has a
 * place in it: the schema is strict, so a collector that tried to add one would fail validation. Tags
 * are kept as key -> hash of the value (see tags.ts); a value that is not such a hash is rejected.
 *
 * Shapes are camelCase and close to the AWS API's, so a reader who knows the API knows the inventory.
 * Each kind's item schema is in schema/<service>.ts; which arrays a region holds comes from the kind
 * table (kinds.ts). The types of every shape are here.
 */
import { z } from 'zod';
import { RESOURCE_KINDS, RESOURCE_TABLE, type ResourceArrayKind } from './kinds.ts';
import type {
  EgressOnlyInternetGatewaySchema,
  FlowLogSchema,
  InternetGatewaySchema,
  NatGatewaySchema,
  NetworkAclEntrySchema,
  NetworkAclSchema,
  NetworkInterfaceSchema,
  PrefixListSchema,
  RouteSchema,
  RouteTableSchema,
  RouteTargetSchema,
  SecurityGroupRuleSchema,
  SecurityGroupSchema,
  SubnetSchema,
  VpcEndpointSchema,
  VpcPeeringConnectionSchema,
  VpcSchema,
} from './schema/ec2.ts';
import { accountId, isoTimestamp, optStr, partitionName, regionName, str } from './schema/fields.ts';
import type {
  FirewallLoggingSchema,
  FirewallPolicySchema,
  FirewallSchema,
  RuleGroupSchema,
  StatefulRuleSchema,
  StatelessRuleSchema,
} from './schema/network-firewall.ts';
import type {
  EndpointConfigSchema,
  ModelSchema,
  NotebookInstanceSchema,
  ProcessingJobSchema,
  SageMakerDomainSchema,
  SageMakerEndpointSchema,
  SageMakerSpaceSchema,
  SageMakerUserProfileSchema,
  TrainingJobSchema,
  VpcConfigSchema,
} from './schema/sagemaker.ts';
import type {
  AutoMLJobSchema,
  BedrockCustomizationJobSchema,
  CompilationJobSchema,
  HyperParameterTuningJobSchema,
  HyperPodClusterSchema,
  InferenceComponentSchema,
  MonitoringJobDefinitionSchema,
  MonitoringScheduleSchema,
  TransformJobSchema,
  TuningTrainingDefinitionSchema,
} from './schema/sagemaker-compute.ts';

export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

/** Resource kinds a collector reads (kinds.ts); coverage gaps and rule needs are keyed on them. */
export const ResourceKindSchema = z.enum(RESOURCE_KINDS);
export type ResourceKind = z.infer<typeof ResourceKindSchema>;

// ---------------------------------------------------------------- coverage and scope

export const CoverageGapSchema = z.strictObject({
  service: str,
  operation: str,
  kind: ResourceKindSchema,
  /** Set when only one resource could not be read (a describe call); absent for a whole kind. */
  resourceId: optStr,
  errorCode: str,
  message: str,
  /**
   * Set on a note about a call whose data was read another way (nothing is missing, e.g. security-group
   * rules read from IpPermissions, without their rule ids): no rule is NOT_EVALUATED for it.
   */
  informational: z.literal(true).optional(),
});

type KindArrays = { [K in ResourceArrayKind]: z.ZodArray<(typeof RESOURCE_TABLE)[K]['schema']> };

/** One array per row of the kind table, in its order. */
const kindArrays = Object.fromEntries(
  Object.entries(RESOURCE_TABLE).map(([kind, row]) => [kind, z.array(row.schema)]),
) as KindArrays;

export const RegionInventorySchema = z.strictObject({
  account: accountId,
  region: regionName,
  partition: partitionName,
  ...kindArrays,
  gaps: z.array(CoverageGapSchema),
});

/** The limits a collection ran under; they go into every run's metadata. */
export const CollectionBoundsSchema = z.strictObject({
  regions: z.array(regionName),
  /** Training and processing jobs created within this many days are read, plus any still InProgress. */
  jobWindowDays: z.number().int().positive(),
  jobsCreatedAfter: isoTimestamp,
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

export const InventorySchema = z
  .strictObject({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('ml-network-audit'), version: str }),
    collectedAt: isoTimestamp,
    durationMs: z.number().int().nonnegative().optional(),
    bounds: CollectionBoundsSchema,
    regions: z.array(RegionInventorySchema),
  })
  .superRefine((inventory, ctx) => {
    // One scope per (account, region): a second one would double every finding of the scope.
    const seen = new Map<string, number>();
    inventory.regions.forEach((scope, i) => {
      const key = `${scope.account}/${scope.region}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['regions', i],
          message: `account ${scope.account} region ${scope.region} is also regions[${first}]: each (account, region) scope appears once`,
        });
      }
    });
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
export type HyperParameterTuningJob = z.infer<typeof HyperParameterTuningJobSchema>;
export type TuningTrainingDefinition = z.infer<typeof TuningTrainingDefinitionSchema>;
export type TransformJob = z.infer<typeof TransformJobSchema>;
export type HyperPodCluster = z.infer<typeof HyperPodClusterSchema>;
export type MonitoringJobDefinition = z.infer<typeof MonitoringJobDefinitionSchema>;
export type MonitoringSchedule = z.infer<typeof MonitoringScheduleSchema>;
export type CompilationJob = z.infer<typeof CompilationJobSchema>;
export type AutoMLJob = z.infer<typeof AutoMLJobSchema>;
export type InferenceComponent = z.infer<typeof InferenceComponentSchema>;
export type BedrockCustomizationJob = z.infer<typeof BedrockCustomizationJobSchema>;
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

/** The keys of those arrays: the kind table's rows. */
export const RESOURCE_ARRAY_KEYS: (keyof ResourceArrays)[] = Object.keys(
  RESOURCE_TABLE,
) as ResourceArrayKind[];

/** An empty region inventory, to be filled by collectors or test fixtures. */
export function emptyRegionInventory(account: string, region: string, partition = 'aws'): RegionInventory {
  const arrays = Object.fromEntries(
    RESOURCE_ARRAY_KEYS.map((kind) => [kind, []]),
  ) as unknown as ResourceArrays;
  return { account, region, partition, ...arrays, gaps: [] };
}
