/**
 * The ML compute collectors (src/collect/sagemaker-compute.ts): every page, the job window, coverage
 * gaps, tags, the transform job's model, and no secret-bearing field kept.
 */
import {
  DescribeAutoMLJobV2Command,
  DescribeClusterCommand,
  DescribeCompilationJobCommand,
  DescribeDataQualityJobDefinitionCommand,
  DescribeHyperParameterTuningJobCommand,
  DescribeInferenceComponentCommand,
  DescribeModelCommand,
  DescribeMonitoringScheduleCommand,
  DescribeTransformJobCommand,
  ListAutoMLJobsCommand,
  ListClustersCommand,
  ListCompilationJobsCommand,
  ListDataQualityJobDefinitionsCommand,
  ListHyperParameterTuningJobsCommand,
  ListInferenceComponentsCommand,
  ListModelsCommand,
  ListMonitoringSchedulesCommand,
  ListTagsCommand,
  ListTransformJobsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectSageMaker } from '../../../src/collect/sagemaker.ts';
import { RegionInventorySchema } from '../../../src/inventory/schema.ts';
import { accessDenied, clientConfig, pagedAnswers, testContext } from './kit.ts';

const SECRET = 'SENTINEL-do-not-keep-c0mpute';
const NOW = new Date('2026-11-22T00:00:00Z');
const sm = new SageMakerClient(clientConfig());
const smMock = mockClient(sm);
const VPC = { Subnets: ['subnet-a'], SecurityGroupIds: ['sg-a'] };
const arn = (type: string, name: string) => `arn:aws:sagemaker:us-east-1:111122223333:${type}/${name}`;

async function collect() {
  const ctx = testContext({ now: () => NOW });
  await collectSageMaker(ctx, sm);
  return ctx.inventory;
}

beforeEach(() => {
  smMock.reset();
  smMock.onAnyCommand().resolves({});
  smMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'team', Value: SECRET }] });
});

describe('collectSageMakerCompute', () => {
  it('pages through tuning jobs newest first within the window and keeps no hyperparameters or environment', async () => {
    // Prepare
    smMock
      .on(ListHyperParameterTuningJobsCommand)
      .callsFake(
        pagedAnswers([
          { HyperParameterTuningJobSummaries: [{ HyperParameterTuningJobName: 'hpo-1' }] },
          { HyperParameterTuningJobSummaries: [{ HyperParameterTuningJobName: 'hpo-2' }] },
        ]),
      );
    smMock
      .on(DescribeHyperParameterTuningJobCommand)
      .callsFake((input: { HyperParameterTuningJobName: string }) => ({
        HyperParameterTuningJobName: input.HyperParameterTuningJobName,
        HyperParameterTuningJobArn: arn('hyper-parameter-tuning-job', input.HyperParameterTuningJobName),
        HyperParameterTuningJobStatus: 'Completed',
        CreationTime: new Date('2026-11-20T00:00:00Z'),
        TrainingJobDefinition: {
          StaticHyperParameters: { api_key: SECRET },
          Environment: { TOKEN: SECRET },
          AlgorithmSpecification: { TrainingImage: 'img:1', TrainingInputMode: 'File' },
          VpcConfig: VPC,
          ResourceConfig: { InstanceCount: 4 },
          EnableNetworkIsolation: false,
          EnableInterContainerTrafficEncryption: true,
        },
      }));
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.hyperParameterTuningJobs.map((j) => j.tuningJobName).sort()).toEqual(['hpo-1', 'hpo-2']);
    expect(inventory.hyperParameterTuningJobs[0]?.trainingJobDefinitions).toEqual([
      {
        vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] },
        enableNetworkIsolation: false,
        enableInterContainerTrafficEncryption: true,
        instanceCount: 4,
        imageUri: 'img:1',
      },
    ]);
    const first = smMock.commandCalls(ListHyperParameterTuningJobsCommand)[0]?.args[0].input;
    expect(first).toMatchObject({ SortBy: 'CreationTime', SortOrder: 'Descending', MaxResults: 100 });
    expect(first?.CreationTimeAfter).toEqual(new Date('2026-10-23T00:00:00Z'));
    expect(JSON.stringify(inventory)).not.toContain(SECRET);
    expect(RegionInventorySchema.safeParse(inventory).success).toBe(true);
  });

  it('places a transform job through its model, and records a gap on the job when its model was not read', async () => {
    // Prepare
    smMock.on(ListTransformJobsCommand).resolves({
      TransformJobSummaries: [{ TransformJobName: 'tj-ok' }, { TransformJobName: 'tj-orphan' }] as never,
    });
    smMock.on(DescribeTransformJobCommand).callsFake((input: { TransformJobName: string }) => ({
      TransformJobName: input.TransformJobName,
      TransformJobArn: arn('transform-job', input.TransformJobName),
      ModelName: input.TransformJobName === 'tj-ok' ? 'm-1' : 'm-deleted',
      Environment: { SECRET },
      TransformResources: { InstanceCount: 2, InstanceType: 'ml.m5.large' },
    }));
    smMock.on(ListModelsCommand).resolves({ Models: [{ ModelName: 'm-1' }] as never });
    smMock
      .on(DescribeModelCommand)
      .callsFake((input: { ModelName: string }) =>
        input.ModelName === 'm-1'
          ? { ModelName: 'm-1', ModelArn: arn('model', 'm-1'), VpcConfig: VPC, EnableNetworkIsolation: true }
          : Promise.reject(accessDenied()),
      );
    // Act
    const inventory = await collect();
    // Assess
    expect(
      inventory.transformJobs.map((j) => [j.transformJobName, j.modelName, j.instanceCount]).sort(),
    ).toEqual([
      ['tj-ok', 'm-1', 2],
      ['tj-orphan', 'm-deleted', 2],
    ]);
    expect(inventory.gaps.filter((g) => g.kind === 'transformJobs')).toEqual([
      expect.objectContaining({ resourceId: 'tj-orphan', errorCode: 'DependencyNotCollected' }),
    ]);
    expect(JSON.stringify(inventory)).not.toContain(SECRET);
  });

  it('keeps a HyperPod cluster’s VpcConfig and each instance group’s override, never its lifecycle scripts', async () => {
    // Prepare
    smMock.on(ListClustersCommand).resolves({ ClusterSummaries: [{ ClusterName: 'hp-1' }] as never });
    smMock.on(DescribeClusterCommand).resolves({
      ClusterName: 'hp-1',
      ClusterArn: arn('cluster', 'abc123'),
      ClusterStatus: 'InService',
      VpcConfig: VPC,
      InstanceGroups: [
        {
          InstanceGroupName: 'ctl',
          CurrentCount: 1,
          LifeCycleConfig: { SourceS3Uri: `s3://x/${SECRET}`, OnCreate: 'on_create.sh' },
        },
        {
          InstanceGroupName: 'az-b',
          CurrentCount: 8,
          OverrideVpcConfig: { Subnets: ['subnet-b'], SecurityGroupIds: ['sg-b'] },
        },
      ],
    });
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.hyperPodClusters).toEqual([
      {
        clusterName: 'hp-1',
        clusterArn: arn('cluster', 'abc123'),
        status: 'InService',
        vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] },
        instanceGroups: [
          { instanceGroupName: 'ctl', instanceCount: 1 },
          {
            instanceGroupName: 'az-b',
            instanceCount: 8,
            overrideVpcConfig: { subnets: ['subnet-b'], securityGroupIds: ['sg-b'] },
          },
        ],
        tags: { team: expect.stringMatching(/^sha256:/) },
      },
    ]);
    expect(JSON.stringify(inventory)).not.toContain(SECRET);
  });

  it('reads Model Monitor definitions and schedules with their NetworkConfig, inline ones included', async () => {
    // Prepare
    smMock.on(ListDataQualityJobDefinitionsCommand).resolves({
      JobDefinitionSummaries: [{ MonitoringJobDefinitionName: 'dq-1' }] as never,
    });
    smMock.on(DescribeDataQualityJobDefinitionCommand).resolves({
      JobDefinitionName: 'dq-1',
      JobDefinitionArn: arn('data-quality-job-definition', 'dq-1'),
      DataQualityAppSpecification: { ImageUri: 'analyzer:1', Environment: { K: SECRET } },
      JobResources: { ClusterConfig: { InstanceCount: 2, InstanceType: 'ml.m5.large', VolumeSizeInGB: 20 } },
      NetworkConfig: { VpcConfig: VPC, EnableNetworkIsolation: true },
    } as never);
    smMock.on(ListMonitoringSchedulesCommand).resolves({
      MonitoringScheduleSummaries: [{ MonitoringScheduleName: 'sched-1' }] as never,
    });
    smMock.on(DescribeMonitoringScheduleCommand).resolves({
      MonitoringScheduleName: 'sched-1',
      MonitoringScheduleArn: arn('monitoring-schedule', 'sched-1'),
      EndpointName: 'ep-1',
      MonitoringScheduleConfig: {
        MonitoringJobDefinition: {
          Environment: { K: SECRET },
          MonitoringResources: { ClusterConfig: { InstanceCount: 1 } },
          MonitoringAppSpecification: { ImageUri: 'analyzer:1', ContainerArguments: [SECRET] },
        },
      },
    } as never);
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.dataQualityJobDefinitions[0]).toMatchObject({
      jobDefinitionName: 'dq-1',
      vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] },
      enableNetworkIsolation: true,
      enableInterContainerTrafficEncryption: false,
      instanceCount: 2,
    });
    expect(inventory.monitoringSchedules[0]).toMatchObject({
      endpointName: 'ep-1',
      inlineJob: { enableNetworkIsolation: false, instanceCount: 1, imageUri: 'analyzer:1' },
    });
    expect(JSON.stringify(inventory)).not.toContain(SECRET);
  });

  it('reads compilation jobs, AutoML V2 jobs and inference components', async () => {
    // Prepare
    smMock
      .on(ListCompilationJobsCommand)
      .resolves({ CompilationJobSummaries: [{ CompilationJobName: 'neo-1' }] as never });
    smMock
      .on(DescribeCompilationJobCommand)
      .resolves({ CompilationJobName: 'neo-1', VpcConfig: VPC } as never);
    smMock.on(ListAutoMLJobsCommand).resolves({ AutoMLJobSummaries: [{ AutoMLJobName: 'aml-1' }] as never });
    smMock.on(DescribeAutoMLJobV2Command).resolves({
      AutoMLJobName: 'aml-1',
      SecurityConfig: { VpcConfig: VPC, EnableInterContainerTrafficEncryption: true },
    } as never);
    smMock
      .on(ListInferenceComponentsCommand)
      .resolves({ InferenceComponents: [{ InferenceComponentName: 'ic-1' }] as never });
    smMock.on(DescribeInferenceComponentCommand).resolves({
      InferenceComponentName: 'ic-1',
      EndpointName: 'ep-ic',
      Specification: { ModelName: 'm-ic', Container: { Environment: { K: SECRET } } },
    } as never);
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.compilationJobs).toEqual([
      { compilationJobName: 'neo-1', vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] } },
    ]);
    expect(inventory.autoMLJobs[0]).toMatchObject({
      autoMLJobName: 'aml-1',
      enableInterContainerTrafficEncryption: true,
    });
    expect(inventory.inferenceComponents).toEqual([
      { inferenceComponentName: 'ic-1', endpointName: 'ep-ic', modelName: 'm-ic' },
    ]);
    expect(
      smMock.commandCalls(ListCompilationJobsCommand).map((c) => c.args[0].input.StatusEquals),
    ).toContain('INPROGRESS');
    expect(JSON.stringify(inventory)).not.toContain(SECRET);
  });

  it('records a denied list as a gap of that kind only, and still reads the others', async () => {
    // Prepare
    smMock.on(ListClustersCommand).rejects(accessDenied());
    smMock
      .on(ListCompilationJobsCommand)
      .resolves({ CompilationJobSummaries: [{ CompilationJobName: 'neo-1' }] as never });
    smMock.on(DescribeCompilationJobCommand).resolves({ CompilationJobName: 'neo-1' } as never);
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.gaps).toEqual([
      expect.objectContaining({
        kind: 'hyperPodClusters',
        operation: 'ListClusters',
        errorCode: 'AccessDeniedException',
      }),
    ]);
    expect(inventory.compilationJobs.map((j) => j.compilationJobName)).toEqual(['neo-1']);
  });

  it('records a failed describe as a gap naming that job', async () => {
    // Prepare
    smMock.on(ListHyperParameterTuningJobsCommand).resolves({
      HyperParameterTuningJobSummaries: [{ HyperParameterTuningJobName: 'hpo-x' }] as never,
    });
    smMock.on(DescribeHyperParameterTuningJobCommand).rejects(accessDenied());
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.gaps).toEqual([
      expect.objectContaining({
        kind: 'hyperParameterTuningJobs',
        operation: 'DescribeHyperParameterTuningJob',
        resourceId: 'hpo-x',
      }),
    ]);
  });
});
