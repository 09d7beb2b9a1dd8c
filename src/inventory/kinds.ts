/**
 * One row per resource kind: what the code outside a kind's schema and mapper knows about it.
 *
 * The snapshot schema (its arrays and the kind enum), how findings name a kind's resources (type, id,
 * ARN, name), how suppressions find a resource's tags, which kinds the reachability rules read, and
 * the IAM actions the templates, their tests and the docs list, are all read from here. Pure data: no
 * SDK import (the analyzer reads this table). How a kind is collected is the collector's spec, in
 * src/collect/, beside its mapper.
 *
 * Row order is the order of the snapshot's arrays and of the kind enum: keep it, or the published
 * JSON Schema changes.
 */
import type { z } from 'zod';
import { COMPUTE_ROWS } from './kinds-compute.ts';
import {
  EgressOnlyInternetGatewaySchema,
  FlowLogSchema,
  InternetGatewaySchema,
  NatGatewaySchema,
  NetworkAclSchema,
  NetworkInterfaceSchema,
  PrefixListSchema,
  RouteTableSchema,
  SecurityGroupSchema,
  SubnetSchema,
  VpcEndpointSchema,
  VpcPeeringConnectionSchema,
  VpcSchema,
} from './schema/ec2.ts';
import { FirewallPolicySchema, FirewallSchema, RuleGroupSchema } from './schema/network-firewall.ts';
import {
  EndpointConfigSchema,
  ModelSchema,
  NotebookInstanceSchema,
  ProcessingJobSchema,
  SageMakerDomainSchema,
  SageMakerEndpointSchema,
  SageMakerSpaceSchema,
  SageMakerUserProfileSchema,
  TrainingJobSchema,
} from './schema/sagemaker.ts';

/** The services the collectors read (the IAM action prefix and the coverage gap's `service`). */
export type KindService = 'ec2' | 'sagemaker' | 'network-firewall' | 'sts' | 'bedrock';

/** An IAM action, `<service>:<Operation>`, e.g. `ec2:DescribeVpcs`. */
export type IamAction = `${KindService}:${string}`;

type Field<S extends z.ZodObject> = keyof z.infer<S> & string;

/**
 * How a finding gets the ARN of a resource:
 * - `build`: from the scope, `arn:<partition>:<build>:<region>:<account>:<resource>/<id>` (SageMaker
 *   lower-cases the id), unless `apiField` holds the ARN the API gave;
 * - otherwise always the API's own ARN (`apiField`), whose resource part starts with one of `resources`.
 */
export type ArnShape<S extends z.ZodObject> =
  | {
      readonly build: 'ec2' | 'sagemaker';
      readonly resource: string;
      readonly apiField?: Field<S>;
      /**
       * false: a coverage gap that names one of these by ARN names it as `AWS::<gap kind>` (its ARN's
       * resource type is not looked up). As it always was for profiles and spaces; a candidate fix.
       */
      readonly typedInGaps?: false;
    }
  | { readonly apiField: Field<S>; readonly resources: readonly string[] };

export interface KindRow<S extends z.ZodObject = z.ZodObject> {
  /** One item's schema (the snapshot holds an array of these per region). */
  readonly schema: S;
  readonly service: KindService;
  /** The CloudFormation type findings give the resource. */
  readonly cfnType: `AWS::${string}`;
  readonly arn: ArnShape<S>;
  /** The id findings give the resource: these fields, joined by '/'. */
  readonly id: readonly Field<S>[];
  /** The field findings show as the resource's name; none when absent. */
  readonly name?: Field<S>;
  /** Where the tags come from: the list or describe answer itself, or SageMaker ListTags by ARN. */
  readonly tags: 'answer' | 'ListTags';
  /** The IAM actions collecting the kind calls (ListTags is the `tags` kind's). */
  readonly actions: readonly IamAction[];
  /** Read by the path engine: a gap here makes the reachability rules NOT_EVALUATED. */
  readonly reach: boolean;
}

/** Infers each row's schema type, so field names are checked against that kind's schema. */
function row<S extends z.ZodObject>(r: KindRow<S>): KindRow<S> {
  return r;
}

export const RESOURCE_TABLE = {
  vpcs: row({
    schema: VpcSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::VPC',
    arn: { build: 'ec2', resource: 'vpc' },
    id: ['vpcId'],
    tags: 'answer',
    actions: ['ec2:DescribeVpcs'],
    reach: true,
  }),
  subnets: row({
    schema: SubnetSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::Subnet',
    arn: { build: 'ec2', resource: 'subnet' },
    id: ['subnetId'],
    tags: 'answer',
    actions: ['ec2:DescribeSubnets'],
    reach: true,
  }),
  routeTables: row({
    schema: RouteTableSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::RouteTable',
    arn: { build: 'ec2', resource: 'route-table' },
    id: ['routeTableId'],
    tags: 'answer',
    actions: ['ec2:DescribeRouteTables'],
    reach: true,
  }),
  internetGateways: row({
    schema: InternetGatewaySchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::InternetGateway',
    arn: { build: 'ec2', resource: 'internet-gateway' },
    id: ['internetGatewayId'],
    tags: 'answer',
    actions: ['ec2:DescribeInternetGateways'],
    reach: true,
  }),
  egressOnlyInternetGateways: row({
    schema: EgressOnlyInternetGatewaySchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::EgressOnlyInternetGateway',
    arn: { build: 'ec2', resource: 'egress-only-internet-gateway' },
    id: ['egressOnlyInternetGatewayId'],
    tags: 'answer',
    actions: ['ec2:DescribeEgressOnlyInternetGateways'],
    reach: true,
  }),
  natGateways: row({
    schema: NatGatewaySchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::NatGateway',
    arn: { build: 'ec2', resource: 'natgateway' },
    id: ['natGatewayId'],
    tags: 'answer',
    actions: ['ec2:DescribeNatGateways'],
    reach: true,
  }),
  securityGroups: row({
    schema: SecurityGroupSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::SecurityGroup',
    arn: { build: 'ec2', resource: 'security-group' },
    id: ['groupId'],
    name: 'groupName',
    tags: 'answer',
    actions: ['ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules'],
    reach: true,
  }),
  networkAcls: row({
    schema: NetworkAclSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::NetworkAcl',
    arn: { build: 'ec2', resource: 'network-acl' },
    id: ['networkAclId'],
    tags: 'answer',
    actions: ['ec2:DescribeNetworkAcls'],
    reach: true,
  }),
  networkInterfaces: row({
    schema: NetworkInterfaceSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::NetworkInterface',
    arn: { build: 'ec2', resource: 'network-interface' },
    id: ['networkInterfaceId'],
    tags: 'answer',
    actions: ['ec2:DescribeNetworkInterfaces'],
    reach: true,
  }),
  vpcEndpoints: row({
    schema: VpcEndpointSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::VPCEndpoint',
    arn: { build: 'ec2', resource: 'vpc-endpoint' },
    id: ['vpcEndpointId'],
    name: 'serviceName',
    tags: 'answer',
    actions: ['ec2:DescribeVpcEndpoints'],
    reach: true,
  }),
  prefixLists: row({
    schema: PrefixListSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::PrefixList',
    arn: { build: 'ec2', resource: 'prefix-list' },
    id: ['prefixListId'],
    name: 'prefixListName',
    tags: 'answer',
    actions: ['ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries'],
    reach: true,
  }),
  flowLogs: row({
    schema: FlowLogSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::FlowLog',
    arn: { build: 'ec2', resource: 'vpc-flow-log' },
    id: ['flowLogId'],
    tags: 'answer',
    actions: ['ec2:DescribeFlowLogs'],
    reach: false,
  }),
  vpcPeeringConnections: row({
    schema: VpcPeeringConnectionSchema,
    service: 'ec2',
    cfnType: 'AWS::EC2::VPCPeeringConnection',
    arn: { build: 'ec2', resource: 'vpc-peering-connection' },
    id: ['vpcPeeringConnectionId'],
    tags: 'answer',
    actions: ['ec2:DescribeVpcPeeringConnections'],
    reach: false,
  }),
  sagemakerDomains: row({
    schema: SageMakerDomainSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::Domain',
    arn: { build: 'sagemaker', resource: 'domain', apiField: 'domainArn' },
    id: ['domainId'],
    name: 'domainName',
    tags: 'ListTags',
    actions: ['sagemaker:ListDomains', 'sagemaker:DescribeDomain'],
    reach: true,
  }),
  sagemakerUserProfiles: row({
    schema: SageMakerUserProfileSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::UserProfile',
    arn: { build: 'sagemaker', resource: 'user-profile', apiField: 'userProfileArn', typedInGaps: false },
    id: ['domainId', 'userProfileName'],
    name: 'userProfileName',
    tags: 'ListTags',
    actions: ['sagemaker:ListUserProfiles', 'sagemaker:DescribeUserProfile'],
    reach: true,
  }),
  sagemakerSpaces: row({
    schema: SageMakerSpaceSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::Space',
    arn: { build: 'sagemaker', resource: 'space', apiField: 'spaceArn', typedInGaps: false },
    id: ['domainId', 'spaceName'],
    name: 'spaceName',
    tags: 'ListTags',
    actions: ['sagemaker:ListSpaces', 'sagemaker:DescribeSpace'],
    reach: false,
  }),
  notebookInstances: row({
    schema: NotebookInstanceSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::NotebookInstance',
    arn: { build: 'sagemaker', resource: 'notebook-instance', apiField: 'notebookInstanceArn' },
    id: ['notebookInstanceName'],
    name: 'notebookInstanceName',
    tags: 'ListTags',
    actions: ['sagemaker:ListNotebookInstances', 'sagemaker:DescribeNotebookInstance'],
    reach: true,
  }),
  endpoints: row({
    schema: SageMakerEndpointSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::Endpoint',
    arn: { build: 'sagemaker', resource: 'endpoint', apiField: 'endpointArn' },
    id: ['endpointName'],
    name: 'endpointName',
    tags: 'ListTags',
    actions: ['sagemaker:ListEndpoints', 'sagemaker:DescribeEndpoint'],
    // Serverless endpoints and endpoints of inference components are placements of their own.
    reach: true,
  }),
  endpointConfigs: row({
    schema: EndpointConfigSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::EndpointConfig',
    arn: { build: 'sagemaker', resource: 'endpoint-config', apiField: 'endpointConfigArn' },
    id: ['endpointConfigName'],
    name: 'endpointConfigName',
    tags: 'ListTags',
    // Found through the endpoints that use them: there is no list call.
    actions: ['sagemaker:DescribeEndpointConfig'],
    reach: true,
  }),
  models: row({
    schema: ModelSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::Model',
    arn: { build: 'sagemaker', resource: 'model', apiField: 'modelArn' },
    id: ['modelName'],
    name: 'modelName',
    tags: 'ListTags',
    actions: ['sagemaker:ListModels', 'sagemaker:DescribeModel'],
    reach: true,
  }),
  trainingJobs: row({
    schema: TrainingJobSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::TrainingJob',
    arn: { build: 'sagemaker', resource: 'training-job', apiField: 'trainingJobArn' },
    id: ['trainingJobName'],
    name: 'trainingJobName',
    // Read through Search (tags in its records); List + Describe + ListTags where Search is denied.
    tags: 'ListTags',
    actions: ['sagemaker:Search', 'sagemaker:ListTrainingJobs', 'sagemaker:DescribeTrainingJob'],
    reach: true,
  }),
  processingJobs: row({
    schema: ProcessingJobSchema,
    service: 'sagemaker',
    cfnType: 'AWS::SageMaker::ProcessingJob',
    arn: { build: 'sagemaker', resource: 'processing-job', apiField: 'processingJobArn' },
    id: ['processingJobName'],
    name: 'processingJobName',
    tags: 'ListTags',
    actions: ['sagemaker:ListProcessingJobs', 'sagemaker:DescribeProcessingJob'],
    reach: true,
  }),
  ...COMPUTE_ROWS,
  firewalls: row({
    schema: FirewallSchema,
    service: 'network-firewall',
    cfnType: 'AWS::NetworkFirewall::Firewall',
    arn: { apiField: 'firewallArn', resources: ['firewall'] },
    id: ['firewallName'],
    name: 'firewallName',
    tags: 'answer',
    actions: ['network-firewall:ListFirewalls', 'network-firewall:DescribeFirewall'],
    reach: true,
  }),
  firewallPolicies: row({
    schema: FirewallPolicySchema,
    service: 'network-firewall',
    cfnType: 'AWS::NetworkFirewall::FirewallPolicy',
    arn: { apiField: 'firewallPolicyArn', resources: ['firewall-policy'] },
    id: ['firewallPolicyName'],
    name: 'firewallPolicyName',
    tags: 'answer',
    // Found through the firewalls that use them.
    actions: ['network-firewall:DescribeFirewallPolicy'],
    reach: true,
  }),
  ruleGroups: row({
    schema: RuleGroupSchema,
    service: 'network-firewall',
    cfnType: 'AWS::NetworkFirewall::RuleGroup',
    arn: { apiField: 'ruleGroupArn', resources: ['stateful-rulegroup', 'stateless-rulegroup'] },
    id: ['ruleGroupName'],
    name: 'ruleGroupName',
    tags: 'answer',
    // Found through the policies that reference them.
    actions: ['network-firewall:DescribeRuleGroup'],
    reach: true,
  }),
} as const;

/** Kinds that hold resources: one array each in a region's inventory. */
export type ResourceArrayKind = keyof typeof RESOURCE_TABLE;

/** What a coverage gap can name besides a resource kind: a facet of one, or the scope itself. */
export interface CoverageKindRow {
  readonly service: KindService;
  readonly actions: readonly IamAction[];
  readonly about: string;
}

export const COVERAGE_KINDS = {
  firewallLogging: {
    service: 'network-firewall',
    actions: ['network-firewall:DescribeLoggingConfiguration'],
    about: "a firewall's logging configuration (kept on the firewall)",
  },
  tags: {
    service: 'sagemaker',
    actions: ['sagemaker:ListTags'],
    about: "a resource's tags, for the kinds whose tags are not in their answer (a gap leaves `tags` absent)",
  },
  account: { service: 'sts', actions: ['sts:GetCallerIdentity'], about: 'the account audited' },
  regions: {
    service: 'ec2',
    actions: ['ec2:DescribeRegions'],
    about: 'the regions to audit (--regions all)',
  },
} as const satisfies Record<string, CoverageKindRow>;

export type CoverageOnlyKind = keyof typeof COVERAGE_KINDS;

/** Every kind a coverage gap or a rule's needs can name, in snapshot order. */
export const RESOURCE_KINDS = [
  ...(Object.keys(RESOURCE_TABLE) as ResourceArrayKind[]),
  ...(Object.keys(COVERAGE_KINDS) as CoverageOnlyKind[]),
] as [ResourceArrayKind | CoverageOnlyKind, ...(ResourceArrayKind | CoverageOnlyKind)[]];

/** Every IAM action the collectors call, in table order. */
export const COLLECTOR_ACTIONS: readonly IamAction[] = [
  ...Object.values<KindRow>(RESOURCE_TABLE).flatMap((r) => r.actions),
  ...Object.values<CoverageKindRow>(COVERAGE_KINDS).flatMap((r) => r.actions),
];
