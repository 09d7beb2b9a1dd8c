/**
 * How findings name resources: type, id, ARN and name, all read from the kind table
 * (inventory/kinds.ts). The named helpers below are that table applied to one kind.
 */
import { ec2Arn, regionArn, sagemakerArn } from '../../inventory/arn.ts';
import {
  type ArnShape,
  type KindRow,
  RESOURCE_TABLE,
  type ResourceArrayKind,
} from '../../inventory/kinds.ts';
import type {
  EndpointConfig,
  Firewall,
  FirewallPolicy,
  Model,
  NetworkAcl,
  NotebookInstance,
  ProcessingJob,
  RegionInventory,
  ResourceArrays,
  ResourceKind,
  RouteTable,
  RuleGroup,
  SageMakerDomain,
  SageMakerEndpoint,
  SageMakerUserProfile,
  SecurityGroup,
  Subnet,
  TrainingJob,
  Vpc,
  VpcEndpoint,
} from '../../inventory/schema.ts';
import type { FindingResource } from './finding.ts';

type Scope = Pick<RegionInventory, 'partition' | 'region' | 'account'>;

/** A row whose ARN must be built from the scope was asked to name an item without one. */
export class ScopeRequiredError extends Error {
  override readonly name = 'ScopeRequiredError';
}

function builtArn(scope: Scope | undefined, shape: ArnShape<KindRow['schema']>, id: string): string {
  if (!('build' in shape)) throw new ScopeRequiredError('this kind has no ARN but the one the API gives');
  if (!scope) throw new ScopeRequiredError(`naming a ${shape.resource} needs its account and region`);
  return shape.build === 'ec2' ? ec2Arn(scope, shape.resource, id) : sagemakerArn(scope, shape.resource, id);
}

function nameItem(kind: ResourceArrayKind, item: object, scope: Scope | undefined): FindingResource {
  const row: KindRow = RESOURCE_TABLE[kind];
  const fields = item as Record<string, unknown>;
  const id = row.id.map((field) => String(fields[field])).join('/');
  const given = row.arn.apiField === undefined ? undefined : fields[row.arn.apiField];
  // A kind's own name (a group name, a SageMaker name) first; else the readable Name tag (EC2).
  const own = row.name === undefined ? undefined : fields[row.name];
  const name = typeof own === 'string' ? own : fields.nameTag;
  return {
    type: row.cfnType,
    id,
    arn: typeof given === 'string' ? given : builtArn(scope, row.arn, id),
    ...(typeof name === 'string' ? { name } : {}),
  };
}

/** How a finding names one item of one kind of a region's inventory. */
export function resourceOf<K extends ResourceArrayKind>(
  scope: Scope,
  kind: K,
  item: ResourceArrays[K][number],
): FindingResource {
  return nameItem(kind, item, scope);
}

export function securityGroupResource(scope: Scope, sg: SecurityGroup): FindingResource {
  return resourceOf(scope, 'securityGroups', sg);
}

export function networkAclResource(scope: Scope, acl: NetworkAcl): FindingResource {
  return resourceOf(scope, 'networkAcls', acl);
}

export function subnetResource(scope: Scope, subnet: Subnet): FindingResource {
  return resourceOf(scope, 'subnets', subnet);
}

export function vpcResource(scope: Scope, vpc: Vpc): FindingResource {
  return resourceOf(scope, 'vpcs', vpc);
}

export function notebookResource(scope: Scope, nb: NotebookInstance): FindingResource {
  return resourceOf(scope, 'notebookInstances', nb);
}

export function domainResource(scope: Scope, domain: SageMakerDomain): FindingResource {
  return resourceOf(scope, 'sagemakerDomains', domain);
}

export function trainingJobResource(scope: Scope, job: TrainingJob): FindingResource {
  return resourceOf(scope, 'trainingJobs', job);
}

export function processingJobResource(scope: Scope, job: ProcessingJob): FindingResource {
  return resourceOf(scope, 'processingJobs', job);
}

export function userProfileResource(scope: Scope, p: SageMakerUserProfile): FindingResource {
  return resourceOf(scope, 'sagemakerUserProfiles', p);
}

export function modelResource(scope: Scope, m: Model): FindingResource {
  return resourceOf(scope, 'models', m);
}

export function routeTableResource(scope: Scope, rt: RouteTable): FindingResource {
  return resourceOf(scope, 'routeTables', rt);
}

export function vpcEndpointResource(scope: Scope, e: VpcEndpoint): FindingResource {
  return resourceOf(scope, 'vpcEndpoints', e);
}

export function endpointConfigResource(scope: Scope, c: EndpointConfig): FindingResource {
  return resourceOf(scope, 'endpointConfigs', c);
}

export function endpointResource(scope: Scope, e: SageMakerEndpoint): FindingResource {
  return resourceOf(scope, 'endpoints', e);
}

/** Network Firewall resources carry their ARN: no scope is needed to name them. */
export function firewallPolicyResource(policy: FirewallPolicy): FindingResource {
  return nameItem('firewallPolicies', policy, undefined);
}

export function ruleGroupResource(group: RuleGroup): FindingResource {
  return nameItem('ruleGroups', group, undefined);
}

export function firewallResource(firewall: Firewall): FindingResource {
  return nameItem('firewalls', firewall, undefined);
}

/** ARN resource types of resources findings name that are not a kind of their own. */
const OTHER_ARN_TYPES: Record<string, string> = {
  'tls-configuration': 'AWS::NetworkFirewall::TLSInspectionConfiguration',
};

/** An ARN's resource type (`firewall-policy` in `...:firewall-policy/egress`) -> the type findings give it. */
const ARN_RESOURCE_TYPES: Record<string, string> = { ...OTHER_ARN_TYPES };
for (const row of Object.values<KindRow>(RESOURCE_TABLE)) {
  const shape = row.arn;
  if ('resources' in shape) for (const r of shape.resources) ARN_RESOURCE_TYPES[r] = row.cfnType;
  else if (shape.typedInGaps !== false) ARN_RESOURCE_TYPES[shape.resource] = row.cfnType;
}

/** Name a resource known only by kind and id (or ARN), e.g. one whose describe call failed. */
export function resourceOfKind(scope: Scope, kind: ResourceKind, id: string): FindingResource {
  if (id.startsWith('arn:')) {
    // The ARN says what it is: firewall/, firewall-policy/, stateful-rulegroup/, stateless-rulegroup/ ...
    const resource = id.split(':').slice(5).join(':');
    const [segment = '', ...rest] = resource.split('/');
    return { type: ARN_RESOURCE_TYPES[segment] ?? `AWS::${kind}`, id: rest.join('/') || resource, arn: id };
  }
  // Profiles and spaces are listed per domain: a failed list names the domain, a failed describe "domain/name".
  if ((kind === 'sagemakerUserProfiles' || kind === 'sagemakerSpaces') && !id.includes('/')) {
    return resourceOfKind(scope, 'sagemakerDomains', id);
  }
  // The config of an endpoint that could not be described is unknown: name the endpoint.
  if (kind === 'endpointConfigs' && id.startsWith('endpoint/')) {
    return resourceOfKind(scope, 'endpoints', id.slice('endpoint/'.length));
  }
  const row: KindRow | undefined =
    kind in RESOURCE_TABLE ? RESOURCE_TABLE[kind as ResourceArrayKind] : undefined;
  if (row && 'build' in row.arn) return { type: row.cfnType, id, arn: builtArn(scope, row.arn, id) };
  return { type: 'AWS::Region', id, arn: regionArn(scope) };
}
