/**
 * AWS console links for what a report names: a resource's page in its own region and partition, and an
 * archived S3 object's page. The console is reached by a person signed in to the account, so a link
 * grants nothing by itself (unlike a presigned URL).
 *
 * Forms: networking resources live in the VPC console (`vpcconsole/home?region=R#VpcDetails:VpcId=…`,
 * `#SubnetDetails:subnetId=`, `#RouteTableDetails:RouteTableId=`, `#InternetGateway:internetGatewayId=`,
 * `#NatGatewayDetails:natGatewayId=`, `#NetworkAclDetails:networkAclId=`, `#EndpointDetails:vpcEndpointId=`,
 * `#PeeringConnectionDetails:VpcPeeringConnectionId=`, `#FirewallDetails:firewallName=`); security
 * groups in the EC2 console (`ec2/home?region=R#SecurityGroup:groupId=`); SageMaker resources in the
 * SageMaker console (`sagemaker/home?region=R#/notebook-instances/NAME`, `#/jobs/NAME`,
 * `#/processing-jobs/NAME`, `#/endpoints/NAME`, `#/endpointConfig/NAME`, `#/models/NAME`,
 * `#/studio/DOMAIN`). A kind whose page has no stable address gets no link rather than a guessed one.
 */

export interface LinkedResource {
  type: string;
  id: string;
  arn?: string;
}

/** The console host of a partition, or undefined for one this tool does not know. */
function consoleHost(partition: string, region: string): string | undefined {
  if (partition === 'aws') return `https://${region}.console.aws.amazon.com`;
  if (partition === 'aws-cn') return 'https://console.amazonaws.cn';
  if (partition === 'aws-us-gov') return 'https://console.amazonaws-us-gov.com';
  return undefined;
}

function partitionOf(arn: string | undefined): string {
  return arn?.match(/^arn:([^:]+):/)?.[1] ?? 'aws';
}

const VPC: Record<string, string> = {
  'AWS::EC2::VPC': 'VpcDetails:VpcId=',
  'AWS::EC2::Subnet': 'SubnetDetails:subnetId=',
  'AWS::EC2::RouteTable': 'RouteTableDetails:RouteTableId=',
  'AWS::EC2::InternetGateway': 'InternetGateway:internetGatewayId=',
  'AWS::EC2::NatGateway': 'NatGatewayDetails:natGatewayId=',
  'AWS::EC2::NetworkAcl': 'NetworkAclDetails:networkAclId=',
  'AWS::EC2::VPCEndpoint': 'EndpointDetails:vpcEndpointId=',
  'AWS::EC2::VPCPeeringConnection': 'PeeringConnectionDetails:VpcPeeringConnectionId=',
  'AWS::NetworkFirewall::Firewall': 'FirewallDetails:firewallName=',
};

const SAGEMAKER: Record<string, (id: string) => string> = {
  'AWS::SageMaker::NotebookInstance': (id) => `notebook-instances/${id}`,
  'AWS::SageMaker::TrainingJob': (id) => `jobs/${id}`,
  'AWS::SageMaker::ProcessingJob': (id) => `processing-jobs/${id}`,
  'AWS::SageMaker::TransformJob': (id) => `transform-jobs/${id}`,
  'AWS::SageMaker::Endpoint': (id) => `endpoints/${id}`,
  'AWS::SageMaker::EndpointConfig': (id) => `endpointConfig/${id}`,
  'AWS::SageMaker::Model': (id) => `models/${id}`,
  'AWS::SageMaker::Domain': (id) => `studio/${id}`,
  // A user profile or space is named `<domain>/<name>`: its domain's page lists it.
  'AWS::SageMaker::UserProfile': (id) => `studio/${id.split('/')[0]}?tab=users`,
  'AWS::SageMaker::Space': (id) => `studio/${id.split('/')[0]}?tab=spaces`,
};

/** The console page of a resource in `region`, or undefined when its kind has no stable page. */
export function resourceConsoleUrl(resource: LinkedResource, region: string): string | undefined {
  const host = consoleHost(partitionOf(resource.arn), region);
  if (!host || !/^[a-z0-9-]+$/.test(region)) return undefined;
  const id = encodeURIComponent(resource.id).replace(/%2F/g, '/');
  const q = `?region=${region}`;
  const vpc = VPC[resource.type];
  if (vpc) return `${host}/vpcconsole/home${q}#${vpc}${id}`;
  if (resource.type === 'AWS::EC2::SecurityGroup') return `${host}/ec2/home${q}#SecurityGroup:groupId=${id}`;
  const sm = SAGEMAKER[resource.type];
  if (sm) return `${host}/sagemaker/home${q}#/${sm(id)}`;
  return undefined;
}

/** The console page of an S3 object (a person signed in with s3:GetObject opens or downloads it there). */
export function s3ObjectConsoleUrl(bucket: string, key: string, region: string, partition = 'aws'): string {
  const host =
    partition === 'aws' ? 'https://s3.console.aws.amazon.com' : (consoleHost(partition, region) ?? '');
  return `${host}/s3/object/${encodeURIComponent(bucket)}?region=${encodeURIComponent(region)}&bucketType=general&prefix=${encodeURIComponent(key)}`;
}
