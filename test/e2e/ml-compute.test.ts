/**
 * The ML compute kinds of issue #16 against moto, through the real CLI: a tuning job, a transform job,
 * a HyperPod cluster, a data-quality job definition and a compilation job each get an exposure entry
 * and their findings, and no secret they carry reaches the output. moto implements neither
 * ListMonitoringSchedules nor ListInferenceComponents, and its Bedrock ListModelCustomizationJobs
 * answers times that are not RFC 3339 ("2026-12-04 20:18:22"), which the SDK refuses: those are
 * coverage gaps here (the Bedrock collector is tested with aws-sdk-client-mock).
 */
import { BedrockClient, CreateModelCustomizationJobCommand } from '@aws-sdk/client-bedrock';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  CreateCompilationJobCommand,
  CreateDataQualityJobDefinitionCommand,
  CreateHyperParameterTuningJobCommand,
  CreateModelCommand,
  CreateTransformJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditResultWithExposure } from '../../src/result.ts';
import { failingIds, type ProcessRun, runCli } from './run-process.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto, SECRET_SENTINEL } from './seed.ts';

const endpoint = inject('motoEndpoint');
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/sm`;
const IMAGE = `763104351884.dkr.ecr.${REGION}.amazonaws.com/pytorch-training:2.3`;

async function seed(): Promise<void> {
  const ec2 = new EC2Client(clientConfig(endpoint, REGION));
  const sm = new SageMakerClient(clientConfig(endpoint, REGION));
  const bedrock = new BedrockClient(clientConfig(endpoint, REGION));
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.30.0.0/16' }));
  const { Subnet } = await ec2.send(
    new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: '10.30.1.0/24' }),
  );
  const { GroupId } = await ec2.send(
    new CreateSecurityGroupCommand({ GroupName: 'ml-compute', Description: 'ml', VpcId: Vpc!.VpcId! }),
  );
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
    }),
  );
  const vpc = { Subnets: [Subnet!.SubnetId!], SecurityGroupIds: [GroupId!] };

  await sm.send(
    new CreateHyperParameterTuningJobCommand({
      HyperParameterTuningJobName: 'hpo-open',
      HyperParameterTuningJobConfig: {
        Strategy: 'Bayesian',
        ResourceLimits: { MaxNumberOfTrainingJobs: 10, MaxParallelTrainingJobs: 2 },
      },
      TrainingJobDefinition: {
        AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
        RoleArn: ROLE,
        OutputDataConfig: { S3OutputPath: 's3://bucket/out' },
        ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 10 },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
        StaticHyperParameters: { api_key: SECRET_SENTINEL },
        Environment: { DB_PASSWORD: SECRET_SENTINEL },
        VpcConfig: vpc,
      },
    }),
  );
  await sm.send(
    new CreateModelCommand({
      ModelName: 'batch-model',
      PrimaryContainer: { Image: IMAGE, Environment: { TOKEN: SECRET_SENTINEL } },
      ExecutionRoleArn: ROLE,
      VpcConfig: vpc,
    }),
  );
  await sm.send(
    new CreateTransformJobCommand({
      TransformJobName: 'batch-scoring',
      ModelName: 'batch-model',
      Environment: { TOKEN: SECRET_SENTINEL },
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bucket/in' } } },
      TransformOutput: { S3OutputPath: 's3://bucket/out' },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
    }),
  );
  await sm.send(
    new CreateClusterCommand({
      ClusterName: 'research-hyperpod',
      VpcConfig: vpc,
      InstanceGroups: [
        {
          InstanceGroupName: 'workers',
          InstanceType: 'ml.g5.xlarge',
          InstanceCount: 2,
          ExecutionRole: ROLE,
          // moto needs ThreadsPerCore (AWS defaults it).
          ThreadsPerCore: 1,
          LifeCycleConfig: {
            SourceS3Uri: `s3://sagemaker-lifecycle/${SECRET_SENTINEL}`,
            OnCreate: 'on_create.sh',
          },
        },
      ],
    }),
  );
  await sm.send(
    new CreateDataQualityJobDefinitionCommand({
      JobDefinitionName: 'churn-data-quality',
      DataQualityAppSpecification: {
        ImageUri: '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer',
        Environment: { KEY: SECRET_SENTINEL },
      },
      DataQualityJobInput: {
        EndpointInput: { EndpointName: 'churn-prod', LocalPath: '/opt/ml/processing/input' },
      },
      DataQualityJobOutputConfig: {
        MonitoringOutputs: [
          { S3Output: { S3Uri: 's3://bucket/mon', LocalPath: '/opt/ml/processing/output' } },
        ],
      },
      JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.large', VolumeSizeInGB: 20 } },
      NetworkConfig: { VpcConfig: vpc, EnableNetworkIsolation: false },
      RoleArn: ROLE,
    }),
  );
  await sm.send(
    new CreateCompilationJobCommand({
      CompilationJobName: 'neo-compile',
      RoleArn: ROLE,
      InputConfig: {
        S3Uri: 's3://bucket/model.tar.gz',
        DataInputConfig: '{"input":[1,3,224,224]}',
        Framework: 'PYTORCH',
      },
      OutputConfig: { S3OutputLocation: 's3://bucket/compiled', TargetDevice: 'ml_c5' },
      StoppingCondition: { MaxRuntimeInSeconds: 900 },
    }),
  );
  await bedrock.send(
    new CreateModelCustomizationJobCommand({
      jobName: 'titan-ft',
      customModelName: 'titan-ft-model',
      roleArn: ROLE,
      baseModelIdentifier: 'amazon.titan-text-express-v1',
      customizationType: 'FINE_TUNING',
      trainingDataConfig: { s3Uri: 's3://bucket/train.jsonl' },
      outputDataConfig: { s3Uri: 's3://bucket/ft-out' },
      hyperParameters: { learningRate: SECRET_SENTINEL },
      vpcConfig: { subnetIds: vpc.Subnets, securityGroupIds: vpc.SecurityGroupIds },
    }),
  );
}

let run: ProcessRun;
let result: AuditResultWithExposure;

beforeAll(async () => {
  await resetMoto(endpoint);
  await seed();
  run = await runCli(endpoint, ['audit', '--format', 'json', '--fail-on', 'none'], {}, REGION);
  result = JSON.parse(run.stdout) as AuditResultWithExposure;
});

describe('ML compute kinds against moto', () => {
  it('gives each new kind an exposure entry', () => {
    // Assess
    const entries = result.exposure.map((e) => `${e.kind} ${e.resource.type} ${e.resource.id}`);
    expect(entries).toEqual(
      expect.arrayContaining([
        'tuningJob AWS::SageMaker::HyperParameterTuningJob hpo-open',
        'transformJob AWS::SageMaker::TransformJob batch-scoring',
        'hyperPodCluster AWS::SageMaker::Cluster research-hyperpod',
        'monitoringJob AWS::SageMaker::DataQualityJobDefinition churn-data-quality',
        'compilationJob AWS::SageMaker::CompilationJob neo-compile',
      ]),
    );
  });

  it('reports their findings', () => {
    // Assess
    expect(failingIds(result, 'sagemaker-tuning-no-network-isolation')).toEqual(['hpo-open']);
    expect(failingIds(result, 'sagemaker-tuning-no-intercontainer-encryption')).toEqual(['hpo-open']);
    expect(failingIds(result, 'sagemaker-monitoring-no-network-isolation')).toEqual(['churn-data-quality']);
    // The compilation job has no VpcConfig: it reaches the internet through SageMaker's network.
    expect(failingIds(result, 'reach-ml-egress-uninspected')).toContain('neo-compile');
  });

  it('records what moto does not implement as coverage gaps, not as nothing there', () => {
    // Assess
    const ops = result.coverage.map((g) => g.operation);
    expect(ops).toEqual(
      expect.arrayContaining([
        'ListMonitoringSchedules',
        'ListInferenceComponents',
        'ListModelCustomizationJobs',
      ]),
    );
    // Beside the findings on what was read, the rules about the network say what was not.
    expect(
      result.findings.some((f) => f.ruleId === 'reach-ml-egress-uninspected' && f.status === 'NOT_EVALUATED'),
    ).toBe(true);
    expect(result.coverage.some((g) => g.kind === 'transformJobs')).toBe(false);
  });

  it('leaks no hyperparameter, environment, lifecycle script or tag value', () => {
    // Assess
    expect(run.stdout).not.toContain(SECRET_SENTINEL);
    expect(run.stderr).not.toContain(SECRET_SENTINEL);
  });
});
