/** How findings name resources: one place for each resource type's type string, id and ARN. */
import { ec2Arn, regionArn, sagemakerArn } from '../../inventory/arn.ts';
import type {
  EndpointConfig,
  Firewall,
  FirewallPolicy,
  Model,
  NetworkAcl,
  NotebookInstance,
  ProcessingJob,
  RegionInventory,
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

export function securityGroupResource(scope: Scope, sg: SecurityGroup): FindingResource {
  return {
    type: 'AWS::EC2::SecurityGroup',
    id: sg.groupId,
    arn: ec2Arn(scope, 'security-group', sg.groupId),
    name: sg.groupName,
  };
}

export function networkAclResource(scope: Scope, acl: NetworkAcl): FindingResource {
  return {
    type: 'AWS::EC2::NetworkAcl',
    id: acl.networkAclId,
    arn: ec2Arn(scope, 'network-acl', acl.networkAclId),
  };
}

export function subnetResource(scope: Scope, subnet: Subnet): FindingResource {
  return { type: 'AWS::EC2::Subnet', id: subnet.subnetId, arn: ec2Arn(scope, 'subnet', subnet.subnetId) };
}

export function vpcResource(scope: Scope, vpc: Vpc): FindingResource {
  return { type: 'AWS::EC2::VPC', id: vpc.vpcId, arn: ec2Arn(scope, 'vpc', vpc.vpcId) };
}

export function notebookResource(scope: Scope, nb: NotebookInstance): FindingResource {
  return {
    type: 'AWS::SageMaker::NotebookInstance',
    id: nb.notebookInstanceName,
    arn: nb.notebookInstanceArn ?? sagemakerArn(scope, 'notebook-instance', nb.notebookInstanceName),
    name: nb.notebookInstanceName,
  };
}

export function domainResource(scope: Scope, domain: SageMakerDomain): FindingResource {
  return {
    type: 'AWS::SageMaker::Domain',
    id: domain.domainId,
    arn: domain.domainArn ?? sagemakerArn(scope, 'domain', domain.domainId),
    ...(domain.domainName ? { name: domain.domainName } : {}),
  };
}

export function trainingJobResource(scope: Scope, job: TrainingJob): FindingResource {
  return {
    type: 'AWS::SageMaker::TrainingJob',
    id: job.trainingJobName,
    arn: job.trainingJobArn ?? sagemakerArn(scope, 'training-job', job.trainingJobName),
    name: job.trainingJobName,
  };
}

export function processingJobResource(scope: Scope, job: ProcessingJob): FindingResource {
  return {
    type: 'AWS::SageMaker::ProcessingJob',
    id: job.processingJobName,
    arn: job.processingJobArn ?? sagemakerArn(scope, 'processing-job', job.processingJobName),
    name: job.processingJobName,
  };
}

export function userProfileResource(scope: Scope, p: SageMakerUserProfile): FindingResource {
  return {
    type: 'AWS::SageMaker::UserProfile',
    id: `${p.domainId}/${p.userProfileName}`,
    arn: p.userProfileArn ?? sagemakerArn(scope, 'user-profile', `${p.domainId}/${p.userProfileName}`),
    name: p.userProfileName,
  };
}

export function modelResource(scope: Scope, m: Model): FindingResource {
  return {
    type: 'AWS::SageMaker::Model',
    id: m.modelName,
    arn: m.modelArn ?? sagemakerArn(scope, 'model', m.modelName),
    name: m.modelName,
  };
}

export function routeTableResource(scope: Scope, rt: RouteTable): FindingResource {
  return {
    type: 'AWS::EC2::RouteTable',
    id: rt.routeTableId,
    arn: ec2Arn(scope, 'route-table', rt.routeTableId),
  };
}

export function vpcEndpointResource(scope: Scope, e: VpcEndpoint): FindingResource {
  return {
    type: 'AWS::EC2::VPCEndpoint',
    id: e.vpcEndpointId,
    arn: ec2Arn(scope, 'vpc-endpoint', e.vpcEndpointId),
    name: e.serviceName,
  };
}

export function endpointConfigResource(scope: Scope, c: EndpointConfig): FindingResource {
  return {
    type: 'AWS::SageMaker::EndpointConfig',
    id: c.endpointConfigName,
    arn: c.endpointConfigArn ?? sagemakerArn(scope, 'endpoint-config', c.endpointConfigName),
    name: c.endpointConfigName,
  };
}

export function endpointResource(scope: Scope, e: SageMakerEndpoint): FindingResource {
  return {
    type: 'AWS::SageMaker::Endpoint',
    id: e.endpointName,
    arn: e.endpointArn ?? sagemakerArn(scope, 'endpoint', e.endpointName),
    name: e.endpointName,
  };
}

export function firewallPolicyResource(policy: FirewallPolicy): FindingResource {
  return {
    type: 'AWS::NetworkFirewall::FirewallPolicy',
    id: policy.firewallPolicyName,
    arn: policy.firewallPolicyArn,
    name: policy.firewallPolicyName,
  };
}

export function ruleGroupResource(group: RuleGroup): FindingResource {
  return {
    type: 'AWS::NetworkFirewall::RuleGroup',
    id: group.ruleGroupName,
    arn: group.ruleGroupArn,
    name: group.ruleGroupName,
  };
}

export function firewallResource(firewall: Firewall): FindingResource {
  return {
    type: 'AWS::NetworkFirewall::Firewall',
    id: firewall.firewallName,
    arn: firewall.firewallArn,
    name: firewall.firewallName,
  };
}

/** Resource type and ARN shape for each inventory kind, for findings about a resource seen only by id. */
const KIND_RESOURCES: Partial<
  Record<ResourceKind, { type: string; arn: (scope: Scope, id: string) => string }>
> = {
  vpcs: { type: 'AWS::EC2::VPC', arn: (s, id) => ec2Arn(s, 'vpc', id) },
  subnets: { type: 'AWS::EC2::Subnet', arn: (s, id) => ec2Arn(s, 'subnet', id) },
  routeTables: { type: 'AWS::EC2::RouteTable', arn: (s, id) => ec2Arn(s, 'route-table', id) },
  securityGroups: { type: 'AWS::EC2::SecurityGroup', arn: (s, id) => ec2Arn(s, 'security-group', id) },
  networkAcls: { type: 'AWS::EC2::NetworkAcl', arn: (s, id) => ec2Arn(s, 'network-acl', id) },
  prefixLists: { type: 'AWS::EC2::PrefixList', arn: (s, id) => ec2Arn(s, 'prefix-list', id) },
  vpcEndpoints: { type: 'AWS::EC2::VPCEndpoint', arn: (s, id) => ec2Arn(s, 'vpc-endpoint', id) },
  internetGateways: {
    type: 'AWS::EC2::InternetGateway',
    arn: (s, id) => ec2Arn(s, 'internet-gateway', id),
  },
  egressOnlyInternetGateways: {
    type: 'AWS::EC2::EgressOnlyInternetGateway',
    arn: (s, id) => ec2Arn(s, 'egress-only-internet-gateway', id),
  },
  natGateways: { type: 'AWS::EC2::NatGateway', arn: (s, id) => ec2Arn(s, 'natgateway', id) },
  networkInterfaces: {
    type: 'AWS::EC2::NetworkInterface',
    arn: (s, id) => ec2Arn(s, 'network-interface', id),
  },
  flowLogs: { type: 'AWS::EC2::FlowLog', arn: (s, id) => ec2Arn(s, 'vpc-flow-log', id) },
  vpcPeeringConnections: {
    type: 'AWS::EC2::VPCPeeringConnection',
    arn: (s, id) => ec2Arn(s, 'vpc-peering-connection', id),
  },
  sagemakerDomains: { type: 'AWS::SageMaker::Domain', arn: (s, id) => sagemakerArn(s, 'domain', id) },
  sagemakerUserProfiles: {
    type: 'AWS::SageMaker::UserProfile',
    arn: (s, id) => sagemakerArn(s, 'user-profile', id),
  },
  sagemakerSpaces: { type: 'AWS::SageMaker::Space', arn: (s, id) => sagemakerArn(s, 'space', id) },
  notebookInstances: {
    type: 'AWS::SageMaker::NotebookInstance',
    arn: (s, id) => sagemakerArn(s, 'notebook-instance', id),
  },
  endpoints: { type: 'AWS::SageMaker::Endpoint', arn: (s, id) => sagemakerArn(s, 'endpoint', id) },
  endpointConfigs: {
    type: 'AWS::SageMaker::EndpointConfig',
    arn: (s, id) => sagemakerArn(s, 'endpoint-config', id),
  },
  models: { type: 'AWS::SageMaker::Model', arn: (s, id) => sagemakerArn(s, 'model', id) },
  trainingJobs: { type: 'AWS::SageMaker::TrainingJob', arn: (s, id) => sagemakerArn(s, 'training-job', id) },
  processingJobs: {
    type: 'AWS::SageMaker::ProcessingJob',
    arn: (s, id) => sagemakerArn(s, 'processing-job', id),
  },
};

const ARN_SEGMENT_TYPES: Record<string, string> = {
  firewall: 'AWS::NetworkFirewall::Firewall',
  'firewall-policy': 'AWS::NetworkFirewall::FirewallPolicy',
  'stateful-rulegroup': 'AWS::NetworkFirewall::RuleGroup',
  'stateless-rulegroup': 'AWS::NetworkFirewall::RuleGroup',
  'tls-configuration': 'AWS::NetworkFirewall::TLSInspectionConfiguration',
  domain: 'AWS::SageMaker::Domain',
  'notebook-instance': 'AWS::SageMaker::NotebookInstance',
  'training-job': 'AWS::SageMaker::TrainingJob',
  'processing-job': 'AWS::SageMaker::ProcessingJob',
  model: 'AWS::SageMaker::Model',
  endpoint: 'AWS::SageMaker::Endpoint',
  'endpoint-config': 'AWS::SageMaker::EndpointConfig',
};

/** Name a resource known only by kind and id (or ARN), e.g. one whose describe call failed. */
export function resourceOfKind(scope: Scope, kind: ResourceKind, id: string): FindingResource {
  if (id.startsWith('arn:')) {
    // The ARN says what it is: firewall/, firewall-policy/, stateful-rulegroup/, stateless-rulegroup/ ...
    const resource = id.split(':').slice(5).join(':');
    const [segment = '', ...rest] = resource.split('/');
    return { type: ARN_SEGMENT_TYPES[segment] ?? `AWS::${kind}`, id: rest.join('/') || resource, arn: id };
  }
  // Profiles and spaces are listed per domain: a failed list names the domain, a failed describe "domain/name".
  if ((kind === 'sagemakerUserProfiles' || kind === 'sagemakerSpaces') && !id.includes('/')) {
    return { type: 'AWS::SageMaker::Domain', id, arn: sagemakerArn(scope, 'domain', id) };
  }
  // The config of an endpoint that could not be described is unknown: name the endpoint.
  if (kind === 'endpointConfigs' && id.startsWith('endpoint/')) {
    const name = id.slice('endpoint/'.length);
    return { type: 'AWS::SageMaker::Endpoint', id: name, arn: sagemakerArn(scope, 'endpoint', name) };
  }
  const known = KIND_RESOURCES[kind];
  if (known) return { type: known.type, id, arn: known.arn(scope, id) };
  return { type: 'AWS::Region', id, arn: regionArn(scope) };
}
