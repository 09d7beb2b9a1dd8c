import { Readable } from 'node:stream';
import {
  DescribeDomainCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  DescribeNotebookInstanceCommand,
  DescribeProcessingJobCommand,
  DescribeSpaceCommand,
  DescribeTrainingJobCommand,
  DescribeUserProfileCommand,
  ListDomainsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListNotebookInstancesCommand,
  ListProcessingJobsCommand,
  ListSpacesCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  ListUserProfilesCommand,
  SageMakerClient,
  type SageMakerClientConfig,
  SearchCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CollectOptions } from '../../../src/collect/common.ts';
import { collectSageMaker } from '../../../src/collect/sagemaker.ts';
import { RegionInventorySchema } from '../../../src/inventory/schema.ts';
import { hashTagValue } from '../../../src/inventory/tags.ts';
import {
  accessDenied,
  internalError,
  clientConfig as kitClientConfig,
  testContext,
  throttled,
  unparseable,
} from './kit.ts';

const SECRET = 'SENTINEL-do-not-keep-7f3a';
const NOW = new Date('2026-11-22T00:00:00Z');
const WINDOW_START = new Date('2026-10-23T00:00:00Z');

const clientConfig: SageMakerClientConfig = kitClientConfig();

// The stub is on this instance only, so the retry test below can use a client of its own.
const sm = new SageMakerClient(clientConfig);
const smMock = mockClient(sm);

function makeContext(options: Partial<CollectOptions> = {}) {
  return testContext({ now: () => NOW, ...options });
}

function trainingJob(name: string, extra: Record<string, unknown> = {}) {
  return {
    TrainingJobName: name,
    TrainingJobArn: `arn:aws:sagemaker:us-east-1:111122223333:training-job/${name}`,
    TrainingJobStatus: 'Completed' as const,
    SecondaryStatus: 'Completed' as const,
    ModelArtifacts: { S3ModelArtifacts: 's3://bucket/model.tar.gz' },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    CreationTime: new Date('2026-11-20T10:00:00Z'),
    ResourceConfig: { InstanceType: 'ml.m5.xlarge' as const, InstanceCount: 1, VolumeSizeInGB: 10 },
    AlgorithmSpecification: { TrainingImage: 'img:1', TrainingInputMode: 'File' as const },
    ...extra,
  };
}

function summaries(...names: string[]) {
  return names.map((name) => ({
    TrainingJobName: name,
    TrainingJobArn: `arn:aws:sagemaker:us-east-1:111122223333:training-job/${name}`,
    CreationTime: new Date('2026-11-20T10:00:00Z'),
    TrainingJobStatus: 'Completed' as const,
  }));
}

/**
 * Training jobs the old way (List + Describe + ListTags): Search denied, as for a role without
 * sagemaker:Search (Search itself is tested in sagemaker-search.test.ts).
 */
function searchDenied(): void {
  smMock.on(SearchCommand).rejects(accessDenied());
}

/** The gaps that are not informational notes (Search denied is one). */
function realGaps(ctx: { inventory: { gaps: { informational?: true }[] } }) {
  return ctx.inventory.gaps.filter((g) => !g.informational);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The ARNs ListTags was asked about (first pages only), sorted. */
function tagArnsAsked(): string[] {
  return smMock
    .commandCalls(ListTagsCommand)
    .filter((c) => c.args[0].input.NextToken === undefined)
    .map((c) => c.args[0].input.ResourceArn as string)
    .sort();
}

/** Two notebook instances, each with an ARN and nothing else of note. */
function twoNotebooks(): void {
  smMock.on(ListNotebookInstancesCommand).resolves({
    NotebookInstances: [
      { NotebookInstanceName: 'nb-1', NotebookInstanceArn: 'arn:nb-1' },
      { NotebookInstanceName: 'nb-2', NotebookInstanceArn: 'arn:nb-2' },
    ],
  });
  smMock.on(DescribeNotebookInstanceCommand).callsFake((input: { NotebookInstanceName: string }) => ({
    NotebookInstanceName: input.NotebookInstanceName,
    NotebookInstanceArn: `arn:${input.NotebookInstanceName}`,
    DirectInternetAccess: 'Enabled',
  }));
}

describe('collectSageMaker', () => {
  beforeEach(() => {
    smMock.reset();
    // Every list answers empty unless a test says otherwise (the compute kinds: sagemaker-compute.test.ts).
    smMock.onAnyCommand().resolves({});
    smMock.on(ListDomainsCommand).resolves({ Domains: [] });
    smMock.on(ListNotebookInstancesCommand).resolves({ NotebookInstances: [] });
    smMock.on(ListEndpointsCommand).resolves({ Endpoints: [] });
    smMock.on(ListModelsCommand).resolves({ Models: [] });
    smMock.on(ListTrainingJobsCommand).resolves({ TrainingJobSummaries: [] });
    smMock.on(ListProcessingJobsCommand).resolves({ ProcessingJobSummaries: [] });
    smMock.on(ListTagsCommand).resolves({ Tags: [] });
    smMock.on(SearchCommand).resolves({ Results: [] });
  });

  it('normalizes Studio domains, user profiles and spaces across list pages', async () => {
    // Prepare
    smMock
      .on(ListDomainsCommand)
      .resolvesOnce({ Domains: [{ DomainId: 'd-1' }], NextToken: 'page-2' })
      .resolvesOnce({ Domains: [{ DomainId: 'd-2' }] });
    smMock.on(DescribeDomainCommand, { DomainId: 'd-1' }).resolves({
      DomainId: 'd-1',
      DomainArn: 'arn:aws:sagemaker:us-east-1:111122223333:domain/d-1',
      DomainName: 'research',
      Status: 'InService',
      AppNetworkAccessType: 'VpcOnly',
      VpcId: 'vpc-1',
      SubnetIds: ['subnet-a', 'subnet-b'],
      DefaultUserSettings: { SecurityGroups: ['sg-user'], ExecutionRole: 'arn:aws:iam::111122223333:role/r' },
      DefaultSpaceSettings: { SecurityGroups: ['sg-space'] },
      SecurityGroupIdForDomainBoundary: 'sg-boundary',
      KmsKeyId: SECRET,
    });
    smMock.on(DescribeDomainCommand, { DomainId: 'd-2' }).resolves({ DomainId: 'd-2' });
    smMock.on(ListUserProfilesCommand, { DomainIdEquals: 'd-1' }).resolves({
      UserProfiles: [
        { DomainId: 'd-1', UserProfileName: 'alice' },
        { DomainId: 'd-1', UserProfileName: 'bob' },
      ],
    });
    smMock.on(ListUserProfilesCommand, { DomainIdEquals: 'd-2' }).resolves({ UserProfiles: [] });
    smMock.on(DescribeUserProfileCommand, { UserProfileName: 'alice' }).resolves({
      DomainId: 'd-1',
      UserProfileName: 'alice',
      UserProfileArn: 'arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-1/alice',
      UserSettings: { SecurityGroups: ['sg-alice'] },
    });
    smMock.on(DescribeUserProfileCommand, { UserProfileName: 'bob' }).resolves({
      DomainId: 'd-1',
      UserProfileName: 'bob',
      UserSettings: { SecurityGroups: [] },
    });
    smMock
      .on(ListSpacesCommand, { DomainIdEquals: 'd-1' })
      .resolves({ Spaces: [{ DomainId: 'd-1', SpaceName: 'lab' }] });
    smMock.on(ListSpacesCommand, { DomainIdEquals: 'd-2' }).resolves({ Spaces: [] });
    smMock.on(DescribeSpaceCommand).resolves({
      DomainId: 'd-1',
      SpaceName: 'lab',
      SpaceArn: 'arn:aws:sagemaker:us-east-1:111122223333:space/d-1/lab',
      SpaceSettings: { AppType: 'JupyterLab' },
    });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
    expect(smMock).toHaveReceivedCommandTimes(ListDomainsCommand, 2);
    expect(ctx.inventory.sagemakerDomains).toEqual([
      {
        domainId: 'd-1',
        domainArn: 'arn:aws:sagemaker:us-east-1:111122223333:domain/d-1',
        domainName: 'research',
        status: 'InService',
        appNetworkAccessType: 'VpcOnly',
        vpcId: 'vpc-1',
        subnetIds: ['subnet-a', 'subnet-b'],
        defaultUserSecurityGroups: ['sg-user'],
        defaultSpaceSecurityGroups: ['sg-space'],
        securityGroupIdForDomainBoundary: 'sg-boundary',
        tags: {},
      },
      // No ARN, so its tags cannot be asked for: absent, not {}.
      { domainId: 'd-2', subnetIds: [], defaultUserSecurityGroups: [], defaultSpaceSecurityGroups: [] },
    ]);
    expect(smMock).toHaveReceivedCommandWith(ListUserProfilesCommand, { DomainIdEquals: 'd-1' });
    expect(smMock).toHaveReceivedCommandWith(ListUserProfilesCommand, { DomainIdEquals: 'd-2' });
    expect(ctx.inventory.sagemakerUserProfiles).toEqual([
      {
        domainId: 'd-1',
        userProfileName: 'alice',
        userProfileArn: 'arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-1/alice',
        securityGroups: ['sg-alice'],
        tags: {},
      },
      { domainId: 'd-1', userProfileName: 'bob' },
    ]);
    expect(ctx.inventory.sagemakerSpaces).toEqual([
      {
        domainId: 'd-1',
        spaceName: 'lab',
        spaceArn: 'arn:aws:sagemaker:us-east-1:111122223333:space/d-1/lab',
        tags: {},
      },
    ]);
    expect(tagArnsAsked()).toEqual([
      'arn:aws:sagemaker:us-east-1:111122223333:domain/d-1',
      'arn:aws:sagemaker:us-east-1:111122223333:space/d-1/lab',
      'arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-1/alice',
    ]);
    expect(ctx.inventory.gaps).toEqual([]);
  });

  it('normalizes notebook instances and never keeps their lifecycle configuration', async () => {
    // Prepare
    smMock
      .on(ListNotebookInstancesCommand)
      .resolvesOnce({
        NotebookInstances: [{ NotebookInstanceName: 'nb-1', NotebookInstanceArn: 'arn:nb-1' }],
        NextToken: 't',
      })
      .resolvesOnce({
        NotebookInstances: [{ NotebookInstanceName: 'nb-2', NotebookInstanceArn: 'arn:nb-2' }],
      });
    smMock.on(DescribeNotebookInstanceCommand, { NotebookInstanceName: 'nb-1' }).resolves({
      NotebookInstanceName: 'nb-1',
      NotebookInstanceArn: 'arn:nb-1',
      NotebookInstanceStatus: 'InService',
      InstanceType: 'ml.t3.medium',
      DirectInternetAccess: 'Disabled',
      SubnetId: 'subnet-a',
      SecurityGroups: ['sg-1'],
      RootAccess: 'Disabled',
      KmsKeyId: 'key-1',
      NetworkInterfaceId: 'eni-1',
      NotebookInstanceLifecycleConfigName: SECRET,
      DefaultCodeRepository: SECRET,
    });
    smMock.on(DescribeNotebookInstanceCommand, { NotebookInstanceName: 'nb-2' }).resolves({
      NotebookInstanceName: 'nb-2',
      DirectInternetAccess: 'Enabled',
    });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
    expect(ctx.inventory.notebookInstances).toEqual([
      {
        notebookInstanceName: 'nb-1',
        notebookInstanceArn: 'arn:nb-1',
        status: 'InService',
        instanceType: 'ml.t3.medium',
        directInternetAccess: 'Disabled',
        subnetId: 'subnet-a',
        securityGroups: ['sg-1'],
        rootAccess: 'Disabled',
        kmsKeyId: 'key-1',
        networkInterfaceId: 'eni-1',
        tags: {},
      },
      { notebookInstanceName: 'nb-2', directInternetAccess: 'Enabled', securityGroups: [] },
    ]);
    expect(tagArnsAsked()).toEqual(['arn:nb-1']);
    expect(JSON.stringify(ctx.inventory)).not.toContain(SECRET);
  });

  it('reads endpoints, each distinct endpoint config, and every model once, without container environment', async () => {
    // Prepare
    smMock.on(ListEndpointsCommand).resolves({
      Endpoints: [
        {
          EndpointName: 'ep-1',
          EndpointArn: 'arn:ep-1',
          CreationTime: NOW,
          LastModifiedTime: NOW,
          EndpointStatus: 'InService',
        },
        {
          EndpointName: 'ep-2',
          EndpointArn: 'arn:ep-2',
          CreationTime: NOW,
          LastModifiedTime: NOW,
          EndpointStatus: 'InService',
        },
      ],
    });
    for (const name of ['ep-1', 'ep-2']) {
      smMock.on(DescribeEndpointCommand, { EndpointName: name }).resolves({
        EndpointName: name,
        EndpointArn: `arn:${name}`,
        EndpointConfigName: 'cfg-shared',
        EndpointStatus: 'InService',
        CreationTime: NOW,
        LastModifiedTime: NOW,
      });
    }
    smMock.on(DescribeEndpointConfigCommand).resolves({
      EndpointConfigName: 'cfg-shared',
      EndpointConfigArn: 'arn:cfg-shared',
      CreationTime: NOW,
      ProductionVariants: [
        {
          VariantName: 'a',
          ModelName: 'model-behind-endpoint',
          InitialInstanceCount: 1,
          InstanceType: 'ml.m5.large',
        },
        {
          VariantName: 'b',
          ModelName: 'model-behind-endpoint',
          ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 },
        },
      ],
    });
    smMock.on(ListModelsCommand).resolves({
      Models: [
        { ModelName: 'model-behind-endpoint', ModelArn: 'arn:m1', CreationTime: NOW },
        { ModelName: 'model-alone', ModelArn: 'arn:m2', CreationTime: NOW },
      ],
    });
    smMock.on(DescribeModelCommand, { ModelName: 'model-behind-endpoint' }).resolves({
      ModelName: 'model-behind-endpoint',
      ModelArn: 'arn:m1',
      CreationTime: NOW,
      PrimaryContainer: { Image: 'img:primary', Environment: { API_KEY: SECRET } },
      VpcConfig: { Subnets: ['subnet-a'], SecurityGroupIds: ['sg-m'] },
      EnableNetworkIsolation: true,
    });
    smMock.on(DescribeModelCommand, { ModelName: 'model-alone' }).resolves({
      ModelName: 'model-alone',
      ModelArn: 'arn:m2',
      CreationTime: NOW,
      Containers: [
        { Image: 'img:one', Environment: { TOKEN: SECRET } },
        { Image: 'img:two', ModelDataUrl: `s3://${SECRET}/model.tar.gz` },
      ],
    });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
    expect(ctx.inventory.endpoints).toEqual([
      {
        endpointName: 'ep-1',
        endpointArn: 'arn:ep-1',
        endpointConfigName: 'cfg-shared',
        status: 'InService',
        tags: {},
      },
      {
        endpointName: 'ep-2',
        endpointArn: 'arn:ep-2',
        endpointConfigName: 'cfg-shared',
        status: 'InService',
        tags: {},
      },
    ]);
    expect(smMock).toHaveReceivedCommandTimes(DescribeEndpointConfigCommand, 1);
    expect(ctx.inventory.endpointConfigs).toEqual([
      {
        endpointConfigName: 'cfg-shared',
        endpointConfigArn: 'arn:cfg-shared',
        productionVariants: [
          {
            variantName: 'a',
            modelName: 'model-behind-endpoint',
            initialInstanceCount: 1,
            instanceType: 'ml.m5.large',
            serverless: false,
          },
          { variantName: 'b', modelName: 'model-behind-endpoint', serverless: true },
        ],
        tags: {},
      },
    ]);
    expect(smMock).toHaveReceivedCommandTimes(DescribeModelCommand, 2);
    expect(ctx.inventory.models).toEqual([
      {
        modelName: 'model-behind-endpoint',
        modelArn: 'arn:m1',
        vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-m'] },
        enableNetworkIsolation: true,
        imageUris: ['img:primary'],
        tags: {},
      },
      {
        modelName: 'model-alone',
        modelArn: 'arn:m2',
        enableNetworkIsolation: false,
        imageUris: ['img:one', 'img:two'],
        tags: {},
      },
    ]);
    expect(tagArnsAsked()).toEqual(['arn:cfg-shared', 'arn:ep-1', 'arn:ep-2', 'arn:m1', 'arn:m2']);
    expect(JSON.stringify(ctx.inventory)).not.toContain(SECRET);
  });

  it('describes a model an endpoint config uses even when ListModels fails, reading an empty VpcConfig as none', async () => {
    // Prepare
    smMock.on(ListEndpointsCommand).resolves({
      Endpoints: [
        {
          EndpointName: 'ep',
          EndpointArn: 'arn:ep',
          CreationTime: NOW,
          LastModifiedTime: NOW,
          EndpointStatus: 'InService',
        },
      ],
    });
    smMock.on(DescribeEndpointCommand).resolves({
      EndpointName: 'ep',
      EndpointArn: 'arn:ep',
      EndpointConfigName: 'cfg',
      EndpointStatus: 'InService',
      CreationTime: NOW,
      LastModifiedTime: NOW,
    });
    smMock.on(DescribeEndpointConfigCommand).resolves({
      EndpointConfigName: 'cfg',
      EndpointConfigArn: 'arn:cfg',
      CreationTime: NOW,
      KmsKeyId: 'key-1',
      ProductionVariants: [{ VariantName: 'v', ModelName: 'hidden-model', InitialInstanceCount: 2 }],
    });
    smMock.on(ListModelsCommand).rejects(accessDenied());
    // moto answers an empty VpcConfig for a model that has none.
    smMock.on(DescribeModelCommand).resolves({
      ModelName: 'hidden-model',
      ModelArn: 'arn:hm',
      CreationTime: NOW,
      VpcConfig: { Subnets: [], SecurityGroupIds: [] },
    });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.endpointConfigs[0]?.kmsKeyId).toBe('key-1');
    expect(ctx.inventory.models).toEqual([
      {
        modelName: 'hidden-model',
        modelArn: 'arn:hm',
        enableNetworkIsolation: false,
        imageUris: [],
        tags: {},
      },
    ]);
    expect(ctx.inventory.gaps).toEqual([
      expect.objectContaining({
        operation: 'ListModels',
        kind: 'models',
        errorCode: 'AccessDeniedException',
      }),
    ]);
  });

  it('normalizes training jobs and never keeps Environment or HyperParameters', async () => {
    // Prepare
    searchDenied();
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: undefined })
      .resolves({ TrainingJobSummaries: summaries('single', 'grouped') });
    smMock.on(DescribeTrainingJobCommand, { TrainingJobName: 'single' }).resolves(
      trainingJob('single', {
        Environment: { DB_PASSWORD: SECRET },
        HyperParameters: { api_token: SECRET },
        VpcConfig: { Subnets: ['subnet-a'], SecurityGroupIds: ['sg-t'] },
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        RoleArn: `arn:aws:iam::111122223333:role/${SECRET}`,
        OutputDataConfig: { S3OutputPath: `s3://${SECRET}` },
      }),
    );
    smMock.on(DescribeTrainingJobCommand, { TrainingJobName: 'grouped' }).resolves(
      trainingJob('grouped', {
        TrainingJobStatus: 'InProgress',
        ResourceConfig: {
          VolumeSizeInGB: 10,
          InstanceGroups: [
            { InstanceGroupName: 'g1', InstanceType: 'ml.p4d.24xlarge', InstanceCount: 2 },
            { InstanceGroupName: 'g2', InstanceType: 'ml.c5.xlarge', InstanceCount: 3 },
          ],
        },
        EnableNetworkIsolation: undefined,
        EnableInterContainerTrafficEncryption: undefined,
      }),
    );
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
    expect(ctx.inventory.trainingJobs).toEqual([
      {
        trainingJobName: 'single',
        trainingJobArn: 'arn:aws:sagemaker:us-east-1:111122223333:training-job/single',
        status: 'Completed',
        creationTime: '2026-11-20T10:00:00.000Z',
        vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-t'] },
        enableNetworkIsolation: true,
        enableInterContainerTrafficEncryption: true,
        instanceCount: 1,
        imageUri: 'img:1',
        tags: {},
      },
      {
        trainingJobName: 'grouped',
        trainingJobArn: 'arn:aws:sagemaker:us-east-1:111122223333:training-job/grouped',
        status: 'InProgress',
        creationTime: '2026-11-20T10:00:00.000Z',
        enableNetworkIsolation: false,
        enableInterContainerTrafficEncryption: false,
        instanceCount: 5,
        imageUri: 'img:1',
        tags: {},
      },
    ]);
    expect(tagArnsAsked()).toEqual([
      'arn:aws:sagemaker:us-east-1:111122223333:training-job/grouped',
      'arn:aws:sagemaker:us-east-1:111122223333:training-job/single',
    ]);
    expect(JSON.stringify(ctx.inventory)).not.toContain(SECRET);
  });

  describe('tags', () => {
    it('reads every page of ListTags by the resource ARN, keeping keys and only hashes of values', async () => {
      // Prepare
      twoNotebooks();
      smMock
        .on(ListTagsCommand, { ResourceArn: 'arn:nb-1', NextToken: undefined })
        .resolves({ Tags: [{ Key: 'team', Value: 'ml' }], NextToken: 'tags-2' });
      smMock
        .on(ListTagsCommand, { ResourceArn: 'arn:nb-1', NextToken: 'tags-2' })
        .resolves({ Tags: [{ Key: 'db-password', Value: SECRET }] });
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(smMock).toHaveReceivedCommandWith(ListTagsCommand, {
        ResourceArn: 'arn:nb-1',
        NextToken: 'tags-2',
        MaxResults: 100,
      });
      expect(ctx.inventory.notebookInstances.map((n) => n.tags)).toEqual([
        { 'db-password': hashTagValue(SECRET), team: hashTagValue('ml') },
        {},
      ]);
      expect(ctx.inventory.gaps).toEqual([]);
      expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
      expect(JSON.stringify(ctx.inventory)).not.toContain(SECRET);
    });

    it('makes a failed ListTags a tags gap naming the ARN, and leaves only that resource without tags', async () => {
      // Prepare
      twoNotebooks();
      smMock.on(ListTagsCommand, { ResourceArn: 'arn:nb-1' }).rejects(unparseable());
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess: the notebook itself is read; its tags are unknown (absent), not "none" ({}).
      const [nb1, nb2] = ctx.inventory.notebookInstances;
      expect(nb1).toMatchObject({ notebookInstanceName: 'nb-1', directInternetAccess: 'Enabled' });
      expect(nb1).not.toHaveProperty('tags');
      expect(nb2?.tags).toEqual({});
      expect(ctx.inventory.gaps).toEqual([
        expect.objectContaining({
          service: 'sagemaker',
          operation: 'ListTags',
          kind: 'tags',
          resourceId: 'arn:nb-1',
        }),
      ]);
    });

    it('stops asking once ListTags is denied, and reports one gap for the region instead of one per resource', async () => {
      // Prepare: a role without sagemaker:ListTags (an older member role); one request at a time.
      smMock.on(ListNotebookInstancesCommand).resolves({
        NotebookInstances: Array.from({ length: 6 }, (_, i) => ({
          NotebookInstanceName: `nb-${i}`,
          NotebookInstanceArn: `arn:nb-${i}`,
        })),
      });
      smMock.on(DescribeNotebookInstanceCommand).callsFake((input: { NotebookInstanceName: string }) => ({
        NotebookInstanceName: input.NotebookInstanceName,
        NotebookInstanceArn: `arn:${input.NotebookInstanceName}`,
      }));
      smMock.on(ListTagsCommand).rejects(accessDenied());
      const ctx = makeContext({ describeConcurrency: 1 });

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      const tagGaps = ctx.inventory.gaps.filter((g) => g.kind === 'tags');
      expect(tagGaps).toEqual([
        {
          service: 'sagemaker',
          operation: 'ListTags',
          kind: 'tags',
          errorCode: 'AccessDeniedException',
          message: expect.stringContaining('ListTags denied: no SageMaker resource'),
        },
      ]);
      expect(smMock.commandCalls(ListTagsCommand)).toHaveLength(1);
      for (const nb of ctx.inventory.notebookInstances) expect(nb).not.toHaveProperty('tags');
    });

    it('keeps no tags from a listing that failed part-way (a partial list never reads as the whole)', async () => {
      // Prepare
      twoNotebooks();
      smMock
        .on(ListTagsCommand, { ResourceArn: 'arn:nb-2' })
        .resolvesOnce({ Tags: [{ Key: 'team', Value: 'ml' }], NextToken: 'tags-2' })
        .rejectsOnce(throttled());
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.notebookInstances[1]).not.toHaveProperty('tags');
      expect(ctx.inventory.gaps).toEqual([
        expect.objectContaining({ operation: 'ListTags', kind: 'tags', resourceId: 'arn:nb-2' }),
      ]);
    });

    it('asks for tags under the describe concurrency limit', async () => {
      // Prepare
      smMock.on(ListNotebookInstancesCommand).resolves({
        NotebookInstances: Array.from({ length: 8 }, (_, i) => ({
          NotebookInstanceName: `nb-${i}`,
          NotebookInstanceArn: `arn:nb-${i}`,
        })),
      });
      smMock.on(DescribeNotebookInstanceCommand).callsFake((input: { NotebookInstanceName: string }) => ({
        NotebookInstanceName: input.NotebookInstanceName,
        NotebookInstanceArn: `arn:${input.NotebookInstanceName}`,
      }));
      let inFlight = 0;
      let peak = 0;
      smMock.on(ListTagsCommand).callsFake(async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(5);
        inFlight--;
        return { Tags: [] };
      });
      const ctx = makeContext({ describeConcurrency: 2 });

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(smMock).toHaveReceivedCommandTimes(ListTagsCommand, 8);
      expect(peak).toBe(2);
      expect(ctx.inventory.notebookInstances.every((n) => n.tags !== undefined)).toBe(true);
    });
  });

  it('normalizes processing jobs from their NetworkConfig and never keeps Environment', async () => {
    // Prepare
    smMock.on(ListProcessingJobsCommand, { StatusEquals: undefined }).resolves({
      ProcessingJobSummaries: [
        {
          ProcessingJobName: 'p-1',
          ProcessingJobArn: 'arn:p-1',
          CreationTime: NOW,
          ProcessingJobStatus: 'Completed',
        },
        {
          ProcessingJobName: 'p-2',
          ProcessingJobArn: 'arn:p-2',
          CreationTime: NOW,
          ProcessingJobStatus: 'Completed',
        },
      ],
    });
    smMock.on(DescribeProcessingJobCommand, { ProcessingJobName: 'p-1' }).resolves({
      ProcessingJobName: 'p-1',
      ProcessingJobArn: 'arn:p-1',
      ProcessingJobStatus: 'Completed',
      CreationTime: new Date('2026-11-01T00:00:00Z'),
      ProcessingResources: {
        ClusterConfig: { InstanceCount: 3, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 },
      },
      AppSpecification: { ImageUri: 'proc:1', ContainerArguments: [SECRET] },
      Environment: { SECRET_KEY: SECRET },
      NetworkConfig: {
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: { Subnets: ['subnet-p'], SecurityGroupIds: ['sg-p'] },
      },
    });
    smMock.on(DescribeProcessingJobCommand, { ProcessingJobName: 'p-2' }).resolves({
      ProcessingJobName: 'p-2',
      ProcessingJobArn: 'arn:p-2',
      ProcessingJobStatus: 'Completed',
      CreationTime: new Date('2026-11-02T00:00:00Z'),
      ProcessingResources: {
        ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 30 },
      },
      AppSpecification: { ImageUri: 'proc:2' },
    });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
    expect(ctx.inventory.processingJobs).toEqual([
      {
        processingJobName: 'p-1',
        processingJobArn: 'arn:p-1',
        status: 'Completed',
        creationTime: '2026-11-01T00:00:00.000Z',
        vpcConfig: { subnets: ['subnet-p'], securityGroupIds: ['sg-p'] },
        enableNetworkIsolation: true,
        enableInterContainerTrafficEncryption: true,
        instanceCount: 3,
        imageUri: 'proc:1',
        tags: {},
      },
      {
        processingJobName: 'p-2',
        processingJobArn: 'arn:p-2',
        status: 'Completed',
        creationTime: '2026-11-02T00:00:00.000Z',
        enableNetworkIsolation: false,
        enableInterContainerTrafficEncryption: false,
        instanceCount: 1,
        imageUri: 'proc:2',
        tags: {},
      },
    ]);
    expect(tagArnsAsked()).toEqual(['arn:p-1', 'arn:p-2']);
    expect(JSON.stringify(ctx.inventory)).not.toContain(SECRET);
  });

  it('lists jobs created in the window, newest first, plus older jobs still in progress, once each', async () => {
    // Prepare
    searchDenied();
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: undefined })
      .resolvesOnce({ TrainingJobSummaries: summaries('new-1', 'running-new'), NextToken: 'p2' })
      .resolvesOnce({ TrainingJobSummaries: summaries('new-2') });
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: 'InProgress' })
      .resolves({ TrainingJobSummaries: summaries('running-new', 'running-old') });
    smMock
      .on(DescribeTrainingJobCommand)
      .callsFake((input: { TrainingJobName: string }) => trainingJob(input.TrainingJobName));
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(smMock).toHaveReceivedCommandWith(ListTrainingJobsCommand, {
      CreationTimeAfter: WINDOW_START,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
    });
    expect(smMock).toHaveReceivedCommandWith(ListTrainingJobsCommand, { StatusEquals: 'InProgress' });
    expect(smMock).toHaveReceivedCommandWith(ListProcessingJobsCommand, {
      CreationTimeAfter: WINDOW_START,
      SortBy: 'CreationTime',
      SortOrder: 'Descending',
    });
    expect(smMock).toHaveReceivedCommandWith(ListProcessingJobsCommand, { StatusEquals: 'InProgress' });
    const inProgressListing = smMock
      .commandCalls(ListTrainingJobsCommand)
      .find((call) => call.args[0].input.StatusEquals === 'InProgress');
    expect(inProgressListing?.args[0].input.CreationTimeAfter).toBeUndefined();
    expect(ctx.inventory.trainingJobs.map((j) => j.trainingJobName)).toEqual([
      'new-1',
      'running-new',
      'new-2',
      'running-old',
    ]);
    expect(smMock).toHaveReceivedCommandTimes(DescribeTrainingJobCommand, 4);
    expect(ctx.jobsTruncated).toEqual({});
  });

  it('stops listing at maxJobsPerKind and flags the region and kind as truncated', async () => {
    // Prepare
    searchDenied();
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: undefined })
      .resolvesOnce({ TrainingJobSummaries: summaries('j-1', 'j-2'), NextToken: 'p2' })
      .resolvesOnce({ TrainingJobSummaries: summaries('j-3', 'j-4'), NextToken: 'p3' })
      .resolvesOnce({ TrainingJobSummaries: summaries('j-5') });
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: 'InProgress' })
      .resolves({ TrainingJobSummaries: summaries('old') });
    smMock
      .on(DescribeTrainingJobCommand)
      .callsFake((input: { TrainingJobName: string }) => trainingJob(input.TrainingJobName));
    const ctx = makeContext({ maxJobsPerKind: 3 });

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.trainingJobs.map((j) => j.trainingJobName)).toEqual(['j-1', 'j-2', 'j-3']);
    expect(smMock).toHaveReceivedCommandTimes(ListTrainingJobsCommand, 2);
    expect(smMock).toHaveReceivedCommandTimes(DescribeTrainingJobCommand, 3);
    expect(ctx.jobsTruncated).toEqual({ 'us-east-1/trainingJobs': true });
  });

  it('does not flag truncation when the jobs fit exactly within maxJobsPerKind', async () => {
    // Prepare
    searchDenied();
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: undefined })
      .resolves({ TrainingJobSummaries: summaries('j-1', 'j-2') });
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: 'InProgress' })
      .resolves({ TrainingJobSummaries: summaries('j-2') });
    smMock
      .on(DescribeTrainingJobCommand)
      .callsFake((input: { TrainingJobName: string }) => trainingJob(input.TrainingJobName));
    const ctx = makeContext({ maxJobsPerKind: 2 });

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.trainingJobs).toHaveLength(2);
    expect(ctx.jobsTruncated).toEqual({});
  });

  it('keeps no more than describeConcurrency describe calls in flight', async () => {
    // Prepare
    searchDenied();
    const names = Array.from({ length: 12 }, (_, i) => `job-${i}`);
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: undefined })
      .resolves({ TrainingJobSummaries: summaries(...names) });
    let inFlight = 0;
    let maxInFlight = 0;
    smMock.on(DescribeTrainingJobCommand).callsFake(async (input: { TrainingJobName: string }) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(10);
      inFlight -= 1;
      return trainingJob(input.TrainingJobName);
    });
    const ctx = makeContext({ describeConcurrency: 4 });

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.trainingJobs).toHaveLength(12);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('records an access-denied list as a gap for that kind and still collects the others', async () => {
    // Prepare
    smMock.on(ListNotebookInstancesCommand).rejects(accessDenied());
    smMock.on(SearchCommand).resolves({ Results: [{ TrainingJob: trainingJob('t-1') }] });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.gaps).toEqual([
      {
        service: 'sagemaker',
        operation: 'ListNotebookInstances',
        kind: 'notebookInstances',
        errorCode: 'AccessDeniedException',
        message: 'User is not authorized to perform this action',
      },
    ]);
    expect(ctx.inventory.notebookInstances).toEqual([]);
    expect(ctx.inventory.trainingJobs).toHaveLength(1);
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
  });

  it('leaves out a job whose describe fails and records a gap naming it', async () => {
    // Prepare
    searchDenied();
    smMock
      .on(ListTrainingJobsCommand, { StatusEquals: undefined })
      .resolves({ TrainingJobSummaries: summaries('ok', 'denied') });
    smMock.on(DescribeTrainingJobCommand, { TrainingJobName: 'ok' }).resolves(trainingJob('ok'));
    smMock.on(DescribeTrainingJobCommand, { TrainingJobName: 'denied' }).rejects(accessDenied());
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.trainingJobs.map((j) => j.trainingJobName)).toEqual(['ok']);
    expect(realGaps(ctx)).toEqual([
      expect.objectContaining({
        operation: 'DescribeTrainingJob',
        kind: 'trainingJobs',
        resourceId: 'denied',
        errorCode: 'AccessDeniedException',
      }),
    ]);
  });

  it('records an unparseable answer (what moto gives for ListUserProfiles) as an UnparseableResponse gap', async () => {
    // Prepare
    smMock.on(ListDomainsCommand).resolves({ Domains: [{ DomainId: 'd-1' }] });
    smMock
      .on(DescribeDomainCommand)
      .resolves({ DomainId: 'd-1', AppNetworkAccessType: 'PublicInternetOnly' });
    smMock.on(ListUserProfilesCommand).rejects(unparseable());
    smMock.on(ListSpacesCommand).resolves({ Spaces: [] });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.sagemakerDomains).toHaveLength(1);
    expect(ctx.inventory.gaps).toEqual([
      {
        service: 'sagemaker',
        operation: 'ListUserProfiles',
        kind: 'sagemakerUserProfiles',
        resourceId: 'd-1',
        errorCode: 'UnparseableResponse',
        message: 'the service answered with something that is not a valid API response',
      },
    ]);
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
  });

  it('records user profiles and spaces as not collected when the domains cannot be listed', async () => {
    // Prepare
    smMock.on(ListDomainsCommand).rejects(accessDenied());
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.gaps.map((g) => [g.kind, g.errorCode])).toEqual([
      ['sagemakerDomains', 'AccessDeniedException'],
      ['sagemakerUserProfiles', 'DependencyNotCollected'],
      ['sagemakerSpaces', 'DependencyNotCollected'],
    ]);
    expect(smMock).not.toHaveReceivedCommand(ListUserProfilesCommand);
  });

  it('records endpoint configs as not collected for an endpoint that cannot be described', async () => {
    // Prepare
    smMock.on(ListEndpointsCommand).resolves({
      Endpoints: [
        {
          EndpointName: 'ep',
          EndpointArn: 'arn:ep',
          CreationTime: NOW,
          LastModifiedTime: NOW,
          EndpointStatus: 'InService',
        },
      ],
    });
    smMock.on(DescribeEndpointCommand).rejects(accessDenied());
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.endpoints).toEqual([]);
    expect(ctx.inventory.gaps.map((g) => [g.kind, g.resourceId, g.errorCode])).toEqual([
      ['endpoints', 'ep', 'AccessDeniedException'],
      ['endpointConfigs', 'endpoint/ep', 'DependencyNotCollected'],
    ]);
  });

  it('records a server error (500) that outlasts the SDK retries as a gap for the kind', async () => {
    // Prepare
    smMock.on(ListNotebookInstancesCommand).rejects(internalError());
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.notebookInstances).toEqual([]);
    expect(ctx.inventory.gaps).toEqual([
      {
        service: 'sagemaker',
        operation: 'ListNotebookInstances',
        kind: 'notebookInstances',
        errorCode: 'InternalFailure',
        message: 'We encountered an internal error. Please try again.',
      },
    ]);
  });

  it('records throttling that outlasts the SDK retries as a gap and still reads the in-progress listing', async () => {
    // Prepare: the stubbed send() answers as the client does once its retry middleware gives up.
    smMock.on(ListProcessingJobsCommand, { StatusEquals: undefined }).rejects(throttled());
    smMock.on(ListProcessingJobsCommand, { StatusEquals: 'InProgress' }).resolves({
      ProcessingJobSummaries: [
        {
          ProcessingJobName: 'running',
          ProcessingJobArn: 'arn:p',
          CreationTime: NOW,
          ProcessingJobStatus: 'InProgress',
        },
      ],
    });
    smMock.on(DescribeProcessingJobCommand).resolves({
      ProcessingJobName: 'running',
      ProcessingJobArn: 'arn:p',
      ProcessingJobStatus: 'InProgress',
      CreationTime: NOW,
      ProcessingResources: { ClusterConfig: { InstanceCount: 1, VolumeSizeInGB: 30 } },
      AppSpecification: { ImageUri: 'proc:1' },
    });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, sm);

    // Assess
    expect(ctx.inventory.gaps).toEqual([
      {
        service: 'sagemaker',
        operation: 'ListProcessingJobs',
        kind: 'processingJobs',
        errorCode: 'ThrottlingException',
        message: 'Rate exceeded',
      },
    ]);
    expect(ctx.inventory.processingJobs.map((j) => j.processingJobName)).toEqual(['running']);
  });
});

describe('collectSageMaker with the real SDK retry middleware', () => {
  it('retries a throttled call and records no gap when the retry succeeds', async () => {
    // Prepare: an in-process request handler (no network) that throttles the first
    // DescribeNotebookInstance and answers every other call. aws-sdk-client-mock replaces send()
    // and so bypasses the retry middleware; this exercises the client's own adaptive retries.
    const calls: string[] = [];
    let throttledOnce = false;
    const requestHandler = {
      handle: async (request: { headers: Record<string, string> }) => {
        const target = request.headers['x-amz-target'] ?? '';
        calls.push(target);
        let status = 200;
        let body: unknown = {};
        if (target === 'SageMaker.ListNotebookInstances') {
          body = { NotebookInstances: [{ NotebookInstanceName: 'nb', NotebookInstanceArn: 'arn:nb' }] };
        } else if (target === 'SageMaker.DescribeNotebookInstance' && !throttledOnce) {
          throttledOnce = true;
          status = 400;
          body = { __type: 'ThrottlingException', message: 'Rate exceeded' };
        } else if (target === 'SageMaker.DescribeNotebookInstance') {
          body = { NotebookInstanceName: 'nb', DirectInternetAccess: 'Disabled', SubnetId: 'subnet-a' };
        }
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'application/x-amz-json-1.1' },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    };
    const client = new SageMakerClient({ ...clientConfig, requestHandler });
    const ctx = makeContext();

    // Act
    await collectSageMaker(ctx, client);

    // Assess
    expect(calls.filter((t) => t === 'SageMaker.DescribeNotebookInstance')).toHaveLength(2);
    expect(ctx.inventory.gaps).toEqual([]);
    expect(ctx.inventory.notebookInstances).toEqual([
      {
        notebookInstanceName: 'nb',
        directInternetAccess: 'Disabled',
        subnetId: 'subnet-a',
        securityGroups: [],
      },
    ]);
    client.destroy();
  }, 15_000);
});
