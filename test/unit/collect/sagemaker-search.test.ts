import {
  DescribeTrainingJobCommand,
  ListDomainsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListNotebookInstancesCommand,
  ListProcessingJobsCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  SearchCommand,
  type SearchCommandInput,
  type TrainingJob,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CollectOptions } from '../../../src/collect/common.ts';
import { collectSageMaker } from '../../../src/collect/sagemaker.ts';
import { FALLBACK_TO_LIST_AND_DESCRIBE } from '../../../src/inventory/coverage.ts';
import { RegionInventorySchema } from '../../../src/inventory/schema.ts';
import { hashTagValue } from '../../../src/inventory/tags.ts';
import { accessDenied, awsError, clientConfig, pagedAnswers, testContext, throttled } from './kit.ts';

const SECRET = 'SENTINEL-search-do-not-keep-41c9';
const NOW = new Date('2026-11-22T00:00:00Z');
const DAY = 86_400_000;
/** 30 days before NOW, the kit's window. */
const WINDOW_START = new Date('2026-10-23T00:00:00Z');

const sm = new SageMakerClient(clientConfig());
const smMock = mockClient(sm);

function makeContext(options: Partial<CollectOptions> = {}) {
  return testContext({ now: () => NOW, ...options });
}

const arnOf = (name: string) => `arn:aws:sagemaker:us-east-1:111122223333:training-job/${name}`;

/** A Search record of a training job, `daysAgo` days before NOW, with what AWS puts in one. */
function record(name: string, daysAgo: number, extra: Partial<TrainingJob> = {}): TrainingJob {
  return {
    TrainingJobName: name,
    TrainingJobArn: arnOf(name),
    TrainingJobStatus: 'Completed',
    CreationTime: new Date(NOW.getTime() - daysAgo * DAY),
    ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 10 },
    AlgorithmSpecification: { TrainingImage: 'img:1', TrainingInputMode: 'File' },
    Tags: [],
    ...extra,
  };
}

/** `count` records, newest first, one minute apart, all inside the window. */
function records(count: number, prefix = 'job'): TrainingJob[] {
  return Array.from({ length: count }, (_, i) => record(`${prefix}-${i}`, i / 1440));
}

/** Search answers of 100 records a page (AWS's MaxResults), with NextTokens between them. */
function pagesOf(all: TrainingJob[]) {
  const out = [];
  for (let i = 0; i < all.length; i += 100) {
    out.push({ Results: all.slice(i, i + 100).map((TrainingJob) => ({ TrainingJob })) });
  }
  const answer = pagedAnswers(out.length > 0 ? out : [{ Results: [] }]);
  return (input: SearchCommandInput) => {
    // The paginator reuses one input object: keep a copy of each as it was sent.
    sent.push({ ...input });
    return answer(input);
  };
}

let sent: SearchCommandInput[] = [];

describe('training jobs through SageMaker Search', () => {
  beforeEach(() => {
    sent = [];
    smMock.reset();
    // Every other SageMaker listing (the ML compute kinds) answers an empty page.
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

  describe('paging', () => {
    it('asks for the window newest first, 100 a page, and follows NextToken to the last page', async () => {
      // Prepare
      smMock.on(SearchCommand).callsFake(pagesOf(records(250)));
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(sent.map((i) => i.NextToken)).toEqual([undefined, 'page-2', 'page-3']);
      expect(sent[0]).toEqual({
        Resource: 'TrainingJob',
        SearchExpression: {
          SubExpressions: [
            { Filters: [{ Name: 'CreationTime', Operator: 'GreaterThan', Value: '2026-10-23T00:00:00' }] },
            { Filters: [{ Name: 'TrainingJobStatus', Operator: 'Equals', Value: 'InProgress' }] },
          ],
          Operator: 'Or',
        },
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: 100,
      });
      expect(ctx.inventory.trainingJobs).toHaveLength(250);
      expect(ctx.inventory.trainingJobs[0]?.trainingJobName).toBe('job-0');
      expect(ctx.inventory.trainingJobs[249]?.trainingJobName).toBe('job-249');
      expect(ctx.inventory.gaps).toEqual([]);
      expect(ctx.jobsTruncated).toEqual({});
    });

    it('reads 1,000 jobs in 10 calls and makes no per-job call', async () => {
      // Prepare
      smMock.on(SearchCommand).callsFake(pagesOf(records(1000)));
      const ctx = makeContext({ maxJobsPerKind: 30_000 });

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.trainingJobs).toHaveLength(1000);
      expect(smMock).toHaveReceivedCommandTimes(SearchCommand, 10);
      expect(smMock).not.toHaveReceivedCommand(ListTrainingJobsCommand);
      expect(smMock).not.toHaveReceivedCommand(DescribeTrainingJobCommand);
      expect(smMock).not.toHaveReceivedCommand(ListTagsCommand);
    });
  });

  describe('the job window', () => {
    it('keeps jobs created in the window and older jobs still in progress, whatever the server sent', async () => {
      // Prepare: one unsorted page with everything, as moto answers (it ignores the window and the sort).
      smMock.on(SearchCommand).resolves({
        Results: [
          record('old-done', 45),
          record('recent', 2),
          record('old-running', 60, { TrainingJobStatus: 'InProgress' }),
          record('newest', 0.5),
          record('just-outside', 30.01),
          record('no-time', 1, { CreationTime: undefined }),
        ].map((TrainingJob) => ({ TrainingJob })),
      });
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.trainingJobs.map((j) => j.trainingJobName)).toEqual([
        'newest',
        'recent',
        'old-running',
      ]);
      expect(ctx.inventory.gaps).toEqual([]);
    });

    it('keeps the newest jobs when the cap cuts one unsorted page', async () => {
      // Prepare
      smMock.on(SearchCommand).resolves({
        Results: [record('c', 3), record('a', 1), record('d', 4), record('b', 2)].map((TrainingJob) => ({
          TrainingJob,
        })),
      });
      const ctx = makeContext({ maxJobsPerKind: 2 });

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.trainingJobs.map((j) => j.trainingJobName)).toEqual(['a', 'b']);
      expect(ctx.jobsTruncated).toEqual({ 'us-east-1/trainingJobs': true });
    });
  });

  describe('what is kept', () => {
    it('maps the network fields, takes tags from the record and drops every secret-bearing field', async () => {
      // Prepare
      smMock.on(SearchCommand).resolves({
        Results: [
          {
            TrainingJob: record('vpc-job', 1, {
              VpcConfig: { Subnets: ['subnet-a'], SecurityGroupIds: ['sg-t'] },
              EnableNetworkIsolation: true,
              EnableInterContainerTrafficEncryption: true,
              ResourceConfig: {
                VolumeSizeInGB: 10,
                InstanceGroups: [
                  { InstanceGroupName: 'g1', InstanceType: 'ml.p4d.24xlarge', InstanceCount: 2 },
                  { InstanceGroupName: 'g2', InstanceType: 'ml.c5.xlarge', InstanceCount: 3 },
                ],
              },
              Environment: { DB_PASSWORD: SECRET },
              HyperParameters: { api_token: SECRET },
              RoleArn: `arn:aws:iam::111122223333:role/${SECRET}`,
              OutputDataConfig: { S3OutputPath: `s3://${SECRET}` },
              InputDataConfig: [
                {
                  ChannelName: 'train',
                  DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${SECRET}` } },
                },
              ],
              FinalMetricDataList: [{ MetricName: SECRET, Value: 1 }],
              Tags: [
                { Key: 'Name', Value: 'churn-nightly' },
                { Key: 'owner-token', Value: SECRET },
              ],
            }),
          },
        ],
      });
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
      expect(ctx.inventory.trainingJobs).toEqual([
        {
          trainingJobName: 'vpc-job',
          trainingJobArn: arnOf('vpc-job'),
          status: 'Completed',
          creationTime: '2026-11-21T00:00:00.000Z',
          vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-t'] },
          enableNetworkIsolation: true,
          enableInterContainerTrafficEncryption: true,
          instanceCount: 5,
          imageUri: 'img:1',
          tags: { Name: hashTagValue('churn-nightly'), 'owner-token': hashTagValue(SECRET) },
        },
      ]);
      expect(JSON.stringify(ctx.inventory)).not.toContain(SECRET);
      expect(smMock).not.toHaveReceivedCommand(ListTagsCommand);
    });

    it('reads a record without a tag list as a job without tags', async () => {
      // Prepare
      smMock
        .on(SearchCommand)
        .resolves({ Results: [{ TrainingJob: record('untagged', 1, { Tags: undefined }) }] });
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.trainingJobs[0]?.tags).toEqual({});
    });

    it('records a record without a name as an IncompleteResponse gap and keeps the others', async () => {
      // Prepare
      smMock.on(SearchCommand).resolves({
        Results: [
          { TrainingJob: record('named', 1) },
          { TrainingJob: record('x', 1, { TrainingJobName: undefined }) },
        ],
      });
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.trainingJobs.map((j) => j.trainingJobName)).toEqual(['named']);
      expect(ctx.inventory.gaps).toEqual([
        expect.objectContaining({
          operation: 'Search',
          kind: 'trainingJobs',
          errorCode: 'IncompleteResponse',
        }),
      ]);
    });
  });

  describe('the cap', () => {
    it('stops calling at maxJobsPerKind and flags the region and kind as truncated', async () => {
      // Prepare
      smMock.on(SearchCommand).callsFake(pagesOf(records(300)));
      const ctx = makeContext({ maxJobsPerKind: 150 });

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.trainingJobs).toHaveLength(150);
      expect(ctx.inventory.trainingJobs.at(-1)?.trainingJobName).toBe('job-149');
      expect(smMock).toHaveReceivedCommandTimes(SearchCommand, 2);
      expect(ctx.jobsTruncated).toEqual({ 'us-east-1/trainingJobs': true });
    });

    it('does not flag truncation when the jobs fill the cap exactly on the last page', async () => {
      // Prepare
      smMock.on(SearchCommand).callsFake(pagesOf(records(200)));
      const ctx = makeContext({ maxJobsPerKind: 200 });

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.trainingJobs).toHaveLength(200);
      expect(smMock).toHaveReceivedCommandTimes(SearchCommand, 2);
      expect(ctx.jobsTruncated).toEqual({});
    });
  });

  describe('fallback to List + Describe + ListTags', () => {
    function listPath(): void {
      smMock.on(ListTrainingJobsCommand, { StatusEquals: undefined }).resolves({
        TrainingJobSummaries: [
          {
            TrainingJobName: 'listed',
            TrainingJobArn: arnOf('listed'),
            CreationTime: new Date(NOW.getTime() - DAY),
            TrainingJobStatus: 'Completed',
          },
        ],
      });
      smMock.on(DescribeTrainingJobCommand).resolves({
        ...record('listed', 1, { Tags: undefined }),
        ModelArtifacts: { S3ModelArtifacts: 's3://b/m' },
        StoppingCondition: { MaxRuntimeInSeconds: 60 },
        SecondaryStatus: 'Completed',
        HyperParameters: { api_token: SECRET },
      } as never);
      smMock.on(ListTagsCommand).resolves({ Tags: [{ Key: 'team', Value: 'ml' }] });
    }

    it.each([
      ['AccessDeniedException', accessDenied()],
      [
        'UnknownOperationException',
        awsError('UnknownOperationException', 'The requested operation is not recognized'),
      ],
      [
        'ValidationException',
        awsError('ValidationException', "Value 'TrainingJob' at 'resource' failed to satisfy constraint"),
      ],
    ])(
      'reads the jobs the old way when Search answers %s, with an informational note',
      async (code, error) => {
        // Prepare
        smMock.on(SearchCommand).rejects(error);
        listPath();
        const ctx = makeContext();

        // Act
        await collectSageMaker(ctx, sm);

        // Assess
        expect(ctx.inventory.trainingJobs).toEqual([
          expect.objectContaining({ trainingJobName: 'listed', tags: { team: hashTagValue('ml') } }),
        ]);
        expect(ctx.inventory.gaps).toEqual([
          {
            service: 'sagemaker',
            operation: 'Search',
            kind: 'trainingJobs',
            errorCode: FALLBACK_TO_LIST_AND_DESCRIBE,
            message: expect.stringContaining(`Search failed (${code}:`),
            informational: true,
          },
        ]);
        expect(smMock).toHaveReceivedCommandWith(ListTrainingJobsCommand, {
          CreationTimeAfter: WINDOW_START,
        });
        expect(smMock).toHaveReceivedCommandTimes(DescribeTrainingJobCommand, 1);
        expect(JSON.stringify(ctx.inventory)).not.toContain(SECRET);
        expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
      },
    );

    it('does not fall back on throttling: the jobs are a coverage gap, not read twice', async () => {
      // Prepare
      smMock.on(SearchCommand).rejects(throttled());
      listPath();
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.gaps).toEqual([
        {
          service: 'sagemaker',
          operation: 'Search',
          kind: 'trainingJobs',
          errorCode: 'ThrottlingException',
          message: 'Rate exceeded',
        },
      ]);
      expect(smMock).not.toHaveReceivedCommand(ListTrainingJobsCommand);
      expect(ctx.inventory.trainingJobs).toEqual([]);
    });

    it('keeps the pages read before a later page fails, and records the gap without falling back', async () => {
      // Prepare
      const answer = pagesOf(records(150));
      smMock.on(SearchCommand).callsFake((input: SearchCommandInput) => {
        if (input.NextToken) throw accessDenied();
        return answer(input);
      });
      listPath();
      const ctx = makeContext();

      // Act
      await collectSageMaker(ctx, sm);

      // Assess
      expect(ctx.inventory.trainingJobs).toHaveLength(100);
      expect(ctx.inventory.gaps).toEqual([
        expect.objectContaining({
          operation: 'Search',
          kind: 'trainingJobs',
          errorCode: 'AccessDeniedException',
        }),
      ]);
      expect(ctx.inventory.gaps[0]?.informational).toBeUndefined();
      expect(smMock).not.toHaveReceivedCommand(ListTrainingJobsCommand);
    });
  });
});
