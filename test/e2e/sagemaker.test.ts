import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import {
  CreateDomainCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateNotebookInstanceCommand,
  CreateProcessingJobCommand,
  CreateTrainingJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditResult } from '../../src/result.ts';
import { failingIds, type ProcessRun, runCli } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto } from './seed.ts';

const endpoint = inject('motoEndpoint');
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`;
const KMS_KEY = `arn:aws:kms:${REGION}:${MOTO_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

function cli(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return runCli(endpoint, args, env, REGION);
}

interface Seeded {
  vpcId: string;
  subnetId: string;
  noNfsGroup: string;
  selfAllGroup: string;
  noNfsDomain: string;
  okDomain: string;
}

async function group(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  self: Omit<IpPermission, 'UserIdGroupPairs'>,
) {
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId: vpcId }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [{ ...self, UserIdGroupPairs: [{ GroupId }] }],
    }),
  );
  return GroupId!;
}

function trainingJob(
  name: string,
  opts: { instances: number; encrypt: boolean; vpc?: { subnet: string; group: string } },
) {
  return new CreateTrainingJobCommand({
    TrainingJobName: name,
    AlgorithmSpecification: {
      TrainingImage: `763104351884.dkr.ecr.${REGION}.amazonaws.com/pytorch-training:2.3`,
      TrainingInputMode: 'File',
    },
    RoleArn: ROLE,
    OutputDataConfig: { S3OutputPath: 's3://bucket/out' },
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: opts.instances, VolumeSizeInGB: 10 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    EnableInterContainerTrafficEncryption: opts.encrypt,
    ...(opts.vpc ? { VpcConfig: { Subnets: [opts.vpc.subnet], SecurityGroupIds: [opts.vpc.group] } } : {}),
  });
}

function processingJob(name: string, isolated: boolean) {
  return new CreateProcessingJobCommand({
    ProcessingJobName: name,
    AppSpecification: {
      ImageUri: `683313688378.dkr.ecr.${REGION}.amazonaws.com/sagemaker-scikit-learn:1.2-1`,
    },
    RoleArn: ROLE,
    ProcessingResources: {
      ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 10 },
    },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    ...(isolated ? { NetworkConfig: { EnableNetworkIsolation: true } } : {}),
  });
}

async function seed(): Promise<Seeded> {
  const ec2 = new EC2Client(clientConfig(endpoint, REGION));
  const sm = new SageMakerClient(clientConfig(endpoint, REGION));
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const vpcId = Vpc!.VpcId!;
  const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }));
  const subnetId = Subnet!.SubnetId!;
  // Studio groups: app ports within the group but no NFS; and a self-referencing all-traffic group.
  const noNfsGroup = await group(ec2, vpcId, 'studio-no-nfs', {
    IpProtocol: 'tcp',
    FromPort: 8192,
    ToPort: 65535,
  });
  const selfAllGroup = await group(ec2, vpcId, 'studio-self-all', { IpProtocol: '-1' });
  const vpc = { subnet: subnetId, group: selfAllGroup };

  const notebook = (name: string, extra: Record<string, string | string[]>) =>
    sm.send(
      new CreateNotebookInstanceCommand({
        NotebookInstanceName: name,
        InstanceType: 'ml.t3.medium',
        RoleArn: ROLE,
        ...extra,
      }),
    );
  await notebook('nb-novpc', {}); // no subnet, RootAccess absent (Enabled)
  await notebook('nb-root', { SubnetId: subnetId, SecurityGroupIds: [selfAllGroup], RootAccess: 'Enabled' });
  await notebook('nb-locked', {
    SubnetId: subnetId,
    SecurityGroupIds: [selfAllGroup],
    DirectInternetAccess: 'Disabled',
    RootAccess: 'Disabled',
  });

  await sm.send(trainingJob('train-novpc', { instances: 1, encrypt: false }));
  await sm.send(trainingJob('train-dist', { instances: 3, encrypt: false, vpc }));
  await sm.send(trainingJob('train-single', { instances: 1, encrypt: false, vpc })); // look-alike
  await sm.send(trainingJob('train-dist-enc', { instances: 2, encrypt: true, vpc }));

  await sm.send(processingJob('proc-open', false));
  await sm.send(processingJob('proc-iso', true));

  await sm.send(
    new CreateModelCommand({
      ModelName: 'model-novpc',
      PrimaryContainer: { Image: 'img' },
      ExecutionRoleArn: ROLE,
    }),
  );
  await sm.send(
    new CreateModelCommand({
      ModelName: 'model-vpc',
      PrimaryContainer: { Image: 'img' },
      ExecutionRoleArn: ROLE,
      VpcConfig: { Subnets: [subnetId], SecurityGroupIds: [selfAllGroup] },
      EnableNetworkIsolation: true, // moto's DescribeModel answers false anyway
    }),
  );
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: 'cfg-single',
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: 'model-novpc',
          InitialInstanceCount: 1,
          InstanceType: 'ml.m5.large',
        },
      ],
    }),
  );
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: 'cfg-ha',
      KmsKeyId: KMS_KEY,
      ProductionVariants: [
        {
          VariantName: 'AllTraffic',
          ModelName: 'model-vpc',
          InitialInstanceCount: 2,
          InstanceType: 'ml.m5.large',
        },
      ],
    }),
  );
  await sm.send(new CreateEndpointCommand({ EndpointName: 'ep-single', EndpointConfigName: 'cfg-single' }));
  await sm.send(new CreateEndpointCommand({ EndpointName: 'ep-ha', EndpointConfigName: 'cfg-ha' }));

  const studioDomain = async (name: string, groupId: string) => {
    const d = await sm.send(
      new CreateDomainCommand({
        DomainName: name,
        AuthMode: 'IAM',
        DefaultUserSettings: { ExecutionRole: ROLE, SecurityGroups: [groupId] },
        SubnetIds: [subnetId],
        VpcId: vpcId,
        AppNetworkAccessType: 'VpcOnly',
      }),
    );
    return d.DomainArn!.split('/').pop()!;
  };
  const noNfsDomain = await studioDomain('studio-no-nfs', noNfsGroup);
  const okDomain = await studioDomain('studio-ok', selfAllGroup);
  ec2.destroy();
  sm.destroy();
  return { vpcId, subnetId, noNfsGroup, selfAllGroup, noNfsDomain, okDomain };
}

let ids: Seeded;
let run: ProcessRun;
let result: AuditResult;

const findingsOf = (ruleId: string, status: 'FAIL' | 'NOT_EVALUATED' = 'FAIL') =>
  result.findings.filter((f) => f.ruleId === ruleId && f.status === status);
const failing = (ruleId: string) => failingIds(result, ruleId);

beforeAll(async () => {
  await resetMoto(endpoint);
  ids = await seed();
  run = await cli([
    'audit',
    '--regions',
    REGION,
    '--rules',
    'sagemaker-*',
    '--max-attempts',
    '2',
    '--format',
    'json',
  ]);
  result = JSON.parse(run.stdout) as AuditResult;
});

describe('audit --rules sagemaker-* against a moto account', () => {
  it('exits 0 (no --fail-on), runs only SageMaker rules, all in the seeded region', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.ruleId.startsWith('sagemaker-'))).toBe(true);
    expect(result.findings.every((f) => f.region === REGION && f.account === MOTO_ACCOUNT)).toBe(true);
  });

  it('reports notebooks outside a VPC and with root access, not the locked-down notebook', () => {
    expect(failing('sagemaker-notebook-not-in-vpc')).toEqual(['nb-novpc']);
    expect(failing('sagemaker-notebook-root-access')).toEqual(['nb-novpc', 'nb-root']);
    const absent = findingsOf('sagemaker-notebook-root-access').find((f) => f.resource.id === 'nb-novpc');
    expect(absent?.message).toContain('RootAccess unset (defaults to Enabled)');
  });

  it('reports the training job without VPC, and inter-container encryption only on the multi-instance job', () => {
    expect(failing('sagemaker-training-not-in-vpc')).toEqual(['train-novpc']);
    expect(failing('sagemaker-training-no-intercontainer-encryption')).toEqual(['train-dist']);
    expect(findingsOf('sagemaker-training-no-intercontainer-encryption')[0]?.message).toContain(
      `runs on 3 instances with EnableInterContainerTrafficEncryption false: traffic between its instances in ${ids.subnetId}`,
    );
  });

  it('reports the processing job without network isolation only', () => {
    expect(failing('sagemaker-processing-no-network-isolation')).toEqual(['proc-open']);
  });

  it('reports the model without VPC; every model lacks isolation because moto’s DescribeModel says so', () => {
    expect(failing('sagemaker-model-not-in-vpc')).toEqual(['model-novpc']);
    // model-vpc was created with EnableNetworkIsolation true; moto answers false (docs/moto.md).
    expect(failing('sagemaker-model-no-network-isolation')).toEqual(['model-novpc', 'model-vpc']);
    const served = findingsOf('sagemaker-model-no-network-isolation').find(
      (f) => f.resource.id === 'model-vpc',
    );
    expect(served?.message).toContain('(served by endpoint ep-ha)');
  });

  it('reports the single-instance, key-less endpoint config, not the two-instance config with a key', () => {
    expect(failing('sagemaker-endpoint-single-instance')).toEqual(['cfg-single']);
    expect(failing('sagemaker-endpoint-config-no-kms')).toEqual(['cfg-single']);
    const [single] = findingsOf('sagemaker-endpoint-single-instance');
    expect(single).toMatchObject({
      resource: { type: 'AWS::SageMaker::EndpointConfig', id: 'cfg-single' },
      evidence: { endpoints: ['ep-single'] },
      references: ['FSBP SageMaker.4'],
    });
  });

  it('reports the VpcOnly domain whose group lacks NFS, naming the missing ports, not the self-referencing one', () => {
    expect(failing('sagemaker-domain-sg-breaks-studio')).toEqual([ids.noNfsDomain]);
    const [finding] = findingsOf('sagemaker-domain-sg-breaks-studio');
    expect(finding?.message).toContain(
      `security groups ${ids.noNfsGroup} do not allow inbound TCP 2049 (NFS)`,
    );
    expect(finding?.message).not.toContain('8192');
    expect(finding?.evidence.missing).toEqual([
      { requirement: 'nfs-inbound', direction: 'inbound', protocol: 'tcp', ports: '2049' },
    ]);
  });

  it('reports the Studio profile part NOT_EVALUATED per VpcOnly domain (moto lacks ListUserProfiles)', () => {
    const notEvaluated = findingsOf('sagemaker-domain-sg-breaks-studio', 'NOT_EVALUATED');
    expect(notEvaluated.map((f) => f.resource.id).sort()).toEqual([ids.noNfsDomain, ids.okDomain].sort());
    expect(notEvaluated[0]?.message).toContain('sagemaker:ListUserProfiles failed');
  });

  it('keeps every look-alike silent on the rule it resembles', () => {
    const lookAlikes: [string, string[]][] = [
      ['sagemaker-notebook-not-in-vpc', ['nb-root', 'nb-locked']],
      ['sagemaker-notebook-root-access', ['nb-locked']],
      ['sagemaker-training-not-in-vpc', ['train-dist', 'train-single', 'train-dist-enc']],
      ['sagemaker-training-no-intercontainer-encryption', ['train-single', 'train-dist-enc', 'train-novpc']],
      ['sagemaker-processing-no-network-isolation', ['proc-iso']],
      ['sagemaker-model-not-in-vpc', ['model-vpc']],
      ['sagemaker-endpoint-single-instance', ['cfg-ha']],
      ['sagemaker-endpoint-config-no-kms', ['cfg-ha']],
      ['sagemaker-domain-sg-breaks-studio', [ids.okDomain]],
    ];
    for (const [ruleId, quiet] of lookAlikes) {
      expect(
        failing(ruleId).filter((id) => quiet.includes(id)),
        ruleId,
      ).toEqual([]);
    }
  });
});
