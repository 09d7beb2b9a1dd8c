/** Amazon Bedrock model customization jobs (src/collect/bedrock.ts), with aws-sdk-client-mock only. */
import {
  BedrockClient,
  GetModelCustomizationJobCommand,
  ListModelCustomizationJobsCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { collectBedrock } from '../../../src/collect/bedrock.ts';
import { lazyClient } from '../../../src/collect/clients.ts';
import { RegionInventorySchema } from '../../../src/inventory/schema.ts';
import { accessDenied, clientConfig, testContext } from './kit.ts';

const SECRET = 'SENTINEL-do-not-keep-b3drock';
const NOW = new Date('2026-11-22T00:00:00Z');
const bedrock = new BedrockClient(clientConfig());
const mock = mockClient(bedrock);
const jobArn = (id: string) =>
  `arn:aws:bedrock:us-east-1:111122223333:model-customization-job/amazon.titan-text-express-v1:0:8k/${id}`;

function summaries(...ids: string[]) {
  return ids.map((id) => ({
    jobArn: jobArn(id),
    jobName: `job-${id}`,
    baseModelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1',
    status: 'Completed' as const,
    creationTime: new Date('2026-11-20T00:00:00Z'),
  }));
}

async function collect() {
  const ctx = testContext({ now: () => NOW });
  await collectBedrock(
    ctx,
    lazyClient(async () => bedrock),
  );
  return ctx.inventory;
}

beforeEach(() => {
  mock.reset();
  mock.on(ListTagsForResourceCommand).resolves({ tags: [{ key: 'owner', value: SECRET }] });
  mock.on(GetModelCustomizationJobCommand).callsFake((input: { jobIdentifier: string }) => ({
    jobArn: input.jobIdentifier,
    jobName: `job-${input.jobIdentifier.split('/').pop()}`,
    status: 'Completed',
    creationTime: new Date('2026-11-20T00:00:00Z'),
    customizationType: 'FINE_TUNING',
    hyperParameters: { learningRate: SECRET },
    vpcConfig: { subnetIds: ['subnet-a'], securityGroupIds: ['sg-a'] },
  }));
});

describe('collectBedrock', () => {
  it('pages through the window newest first, keeps the vpcConfig and hashed tags, and never the hyperparameters', async () => {
    // Prepare
    mock
      .on(ListModelCustomizationJobsCommand)
      .callsFake((input: { nextToken?: string; statusEquals?: string }) =>
        input.statusEquals
          ? { modelCustomizationJobSummaries: [] }
          : input.nextToken
            ? { modelCustomizationJobSummaries: summaries('b') }
            : { modelCustomizationJobSummaries: summaries('a'), nextToken: 't-2' },
      );
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.bedrockCustomizationJobs.map((j) => j.jobName)).toEqual(['job-a', 'job-b']);
    expect(inventory.bedrockCustomizationJobs[0]).toMatchObject({
      customizationType: 'FINE_TUNING',
      vpcConfig: { subnets: ['subnet-a'], securityGroupIds: ['sg-a'] },
      tags: { owner: expect.stringMatching(/^sha256:/) },
    });
    const first = mock.commandCalls(ListModelCustomizationJobsCommand)[0]?.args[0].input;
    expect(first).toMatchObject({ sortBy: 'CreationTime', sortOrder: 'Descending', maxResults: 100 });
    expect(first?.creationTimeAfter).toEqual(new Date('2026-10-23T00:00:00Z'));
    expect(JSON.stringify(inventory)).not.toContain(SECRET);
    expect(RegionInventorySchema.safeParse(inventory).success).toBe(true);
  });

  it('records a denied list as a bedrock gap, and a failed get as a gap naming the job', async () => {
    // Prepare
    mock
      .on(ListModelCustomizationJobsCommand)
      .rejectsOnce(accessDenied())
      .resolves({
        modelCustomizationJobSummaries: summaries('c'),
      });
    mock.on(GetModelCustomizationJobCommand).rejects(accessDenied());
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.gaps.map((g) => [g.service, g.operation, g.kind, g.resourceId ?? null])).toEqual([
      ['bedrock', 'ListModelCustomizationJobs', 'bedrockCustomizationJobs', null],
      ['bedrock', 'GetModelCustomizationJob', 'bedrockCustomizationJobs', jobArn('c')],
    ]);
  });

  it('notes a region whose Bedrock endpoint does not resolve (not offered there) instead of leaving a gap', async () => {
    // Prepare
    mock
      .on(ListModelCustomizationJobsCommand)
      .rejects(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    // Act
    const inventory = await collect();
    // Assess
    expect(inventory.gaps.map((g) => [g.errorCode, g.informational])).toEqual([
      ['ENOTFOUND', true],
      ['ENOTFOUND', true],
    ]);
    expect(inventory.gaps[0]?.message).toContain('Bedrock is not offered there');
  });

  it('records a gap, not a crash, when the Bedrock SDK cannot be loaded', async () => {
    // Prepare
    const ctx = testContext({ now: () => NOW });
    // Act
    await collectBedrock(
      ctx,
      lazyClient(() => Promise.reject(new Error('Cannot find module'))),
    );
    // Assess
    expect(ctx.inventory.gaps).toEqual([
      expect.objectContaining({ service: 'bedrock', kind: 'bedrockCustomizationJobs' }),
    ]);
  });
});
