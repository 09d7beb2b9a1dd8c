import { BedrockClient } from '@aws-sdk/client-bedrock';
import {
  DescribeRegionsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { ListFirewallsCommand, NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SageMakerClient, SearchCommand } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { lazyClient, type RegionClients } from '../../../src/collect/clients.ts';
import { collectInventory } from '../../../src/collect/index.ts';
import { CollectSettingsSchema } from '../../../src/config.ts';
import { InventorySchema } from '../../../src/inventory/schema.ts';

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
const ec2Mock = mockClient(EC2Client);
const smMock = mockClient(SageMakerClient);
const nfwMock = mockClient(NetworkFirewallClient);
const stsMock = mockClient(STSClient);
// Bedrock answers no customization jobs (its own tests are in bedrock.test.ts).
mockClient(BedrockClient).onAnyCommand().resolves({});

const clientsFor = (region: string): RegionClients => ({
  ec2: new EC2Client({ region, credentials, maxAttempts: 1 }),
  sagemaker: new SageMakerClient({ region, credentials, maxAttempts: 1 }),
  networkFirewall: new NetworkFirewallClient({ region, credentials, maxAttempts: 1 }),
  bedrock: lazyClient(async () => new BedrockClient({ region, credentials, maxAttempts: 1 })),
});
const sts = new STSClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
const settings = CollectSettingsSchema.parse({});
const now = () => new Date('2026-11-22T00:00:00Z');

describe('collectInventory', () => {
  beforeEach(() => {
    for (const m of [ec2Mock, smMock, nfwMock, stsMock]) m.reset();
    ec2Mock.onAnyCommand().resolves({});
    smMock.onAnyCommand().resolves({});
    nfwMock.onAnyCommand().resolves({});
    stsMock.on(GetCallerIdentityCommand).resolves({ Account: '111122223333' });
  });

  it('reads every opted-in region for --regions all, side by side, into one valid inventory', async () => {
    // Prepare
    ec2Mock.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-west-2', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'opted-in' },
        { RegionName: 'ap-east-1', OptInStatus: 'not-opted-in' },
      ],
    });
    ec2Mock.on(DescribeVpcsCommand).callsFake(async (_input, getClient) => ({
      Vpcs: [
        { VpcId: `vpc-${await getClient().config.region()}`, IsDefault: true, CidrBlock: '172.31.0.0/16' },
      ],
    }));
    // Act
    const inv = await collectInventory(
      { regions: { mode: 'all' }, settings },
      { clientsFor, sts, now, homeRegion: 'us-east-1' },
    );
    // Assess
    expect(inv.bounds.regions).toEqual(['af-south-1', 'us-east-1', 'us-west-2']);
    expect(inv.regions.map((r) => [r.region, r.account, r.vpcs[0]?.vpcId])).toEqual([
      ['af-south-1', '111122223333', 'vpc-af-south-1'],
      ['us-east-1', '111122223333', 'vpc-us-east-1'],
      ['us-west-2', '111122223333', 'vpc-us-west-2'],
    ]);
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeRegionsCommand, { AllRegions: false });
    expect(() => InventorySchema.parse(inv)).not.toThrow();
  });

  it('records the bounds it ran under: job window, cap, concurrency, time budget', async () => {
    // Act
    const inv = await collectInventory(
      {
        regions: { mode: 'list', regions: ['eu-west-1'] },
        settings: { ...settings, jobWindowDays: 7, timeBudgetMs: 60_000 },
      },
      { clientsFor, sts, now },
    );
    // Assess
    expect(inv.bounds).toMatchObject({
      regions: ['eu-west-1'],
      jobWindowDays: 7,
      jobsCreatedAfter: '2026-11-15T00:00:00.000Z',
      maxJobsPerKind: 30_000,
      describeConcurrency: 8,
      timeBudgetMs: 60_000,
      stoppedEarly: false,
    });
    expect(smMock).toHaveReceivedCommandWith(SearchCommand, {
      SearchExpression: expect.objectContaining({
        SubExpressions: expect.arrayContaining([
          { Filters: [{ Name: 'CreationTime', Operator: 'GreaterThan', Value: '2026-11-15T00:00:00' }] },
        ]),
      }),
    });
  });

  it('falls back to the EC2 owner id when STS is denied, and reports the STS gap in the home region', async () => {
    // Prepare
    stsMock
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    ec2Mock
      .on(DescribeVpcsCommand)
      .resolves({ Vpcs: [{ VpcId: 'vpc-1', OwnerId: '444455556666', CidrBlock: '10.0.0.0/16' }] });
    // Act
    const inv = await collectInventory(
      { regions: { mode: 'list', regions: ['us-east-1', 'us-west-2'] }, settings },
      { clientsFor, sts, now },
    );
    // Assess
    expect(inv.regions.map((r) => r.account)).toEqual(['444455556666', '444455556666']);
    expect(inv.regions[0]?.gaps).toContainEqual(
      expect.objectContaining({
        service: 'sts',
        operation: 'GetCallerIdentity',
        kind: 'account',
        errorCode: 'AccessDenied',
      }),
    );
  });

  it('falls back to the home region and records a gap when DescribeRegions is denied', async () => {
    // Prepare
    ec2Mock
      .on(DescribeRegionsCommand)
      .rejects(Object.assign(new Error('no'), { name: 'UnauthorizedOperation' }));
    // Act
    const inv = await collectInventory(
      { regions: { mode: 'all' }, settings },
      { clientsFor, sts, now, homeRegion: 'eu-central-1' },
    );
    // Assess
    expect(inv.regions.map((r) => r.region)).toEqual(['eu-central-1']);
    expect(inv.regions[0]?.gaps).toContainEqual(
      expect.objectContaining({
        operation: 'DescribeRegions',
        kind: 'regions',
        errorCode: 'UnauthorizedOperation',
      }),
    );
  });

  it('stops cleanly when the time budget runs out, and says what was not reached', async () => {
    // Prepare: every EC2 list takes longer than the whole budget.
    ec2Mock
      .on(DescribeSecurityGroupsCommand)
      .callsFake(() => new Promise((r) => setTimeout(() => r({}), 2_000)));
    ec2Mock
      .on(DescribeSecurityGroupRulesCommand)
      .callsFake(() => new Promise((r) => setTimeout(() => r({}), 2_000)));
    nfwMock.on(ListFirewallsCommand).callsFake(() => new Promise((r) => setTimeout(() => r({}), 2_000)));
    const started = Date.now();
    // Act
    const inv = await collectInventory(
      { regions: { mode: 'list', regions: ['us-east-1'] }, settings: { ...settings, timeBudgetMs: 200 } },
      { clientsFor, sts, now },
    );
    // Assess
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(inv.bounds.stoppedEarly).toBe(true);
    const gaps = inv.regions[0]?.gaps ?? [];
    expect(gaps).toContainEqual(
      expect.objectContaining({
        operation: 'DescribeSecurityGroups',
        kind: 'securityGroups',
        errorCode: 'TimeBudgetExceeded',
      }),
    );
    expect(gaps).toContainEqual(
      expect.objectContaining({ operation: 'ListFirewalls', errorCode: 'TimeBudgetExceeded' }),
    );
  });

  it('does not hold collection back while sts:GetCallerIdentity hangs: the regions are read, the lookup is a gap', async () => {
    // Prepare: STS never answers; EC2 answers at once.
    stsMock.on(GetCallerIdentityCommand).callsFake(() => new Promise(() => undefined));
    ec2Mock
      .on(DescribeVpcsCommand)
      .resolves({ Vpcs: [{ VpcId: 'vpc-1', OwnerId: '444455556666', CidrBlock: '10.0.0.0/16' }] });
    const started = Date.now();
    // Act
    const inv = await collectInventory(
      { regions: { mode: 'list', regions: ['us-east-1'] }, settings: { ...settings, timeBudgetMs: 1_500 } },
      { clientsFor, sts, now },
    );
    // Assess
    expect(Date.now() - started).toBeLessThan(2_500);
    const gaps = inv.regions[0]?.gaps ?? [];
    expect(inv.regions[0]?.vpcs.map((v) => v.vpcId)).toEqual(['vpc-1']);
    expect(gaps.filter((g) => g.operation !== 'GetCallerIdentity')).toEqual([]);
    expect(gaps).toContainEqual(
      expect.objectContaining({
        operation: 'GetCallerIdentity',
        kind: 'account',
        errorCode: 'TimeBudgetExceeded',
      }),
    );
    expect(inv.regions[0]?.account).toBe('444455556666');
  });

  it('bounds the account lookup on its own when there is no time budget: a Timeout gap, the account unknown', async () => {
    // Prepare
    stsMock.on(GetCallerIdentityCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    // Act
    const inv = await collectInventory(
      { regions: { mode: 'list', regions: ['us-east-1'] }, settings },
      { clientsFor, sts, now, accountLookupTimeoutMs: 300 },
    );
    // Assess
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(inv.regions[0]?.account).toBe('unknown');
    expect(inv.regions[0]?.gaps).toEqual([
      expect.objectContaining({
        service: 'sts',
        operation: 'GetCallerIdentity',
        kind: 'account',
        errorCode: 'Timeout',
        message: 'no answer within 0.3 s',
      }),
    ]);
  });

  it('hands the clients the budget signal, which fires when the budget ends', async () => {
    // Prepare
    const signals: (AbortSignal | undefined)[] = [];
    const spy = (region: string, signal?: AbortSignal) => {
      signals.push(signal);
      return clientsFor(region);
    };
    // Act
    await collectInventory(
      { regions: { mode: 'list', regions: ['us-east-1'] }, settings: { ...settings, timeBudgetMs: 200 } },
      { clientsFor: spy, sts, now },
    );
    await new Promise((r) => setTimeout(r, 300));
    // Assess
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toMatchObject({ name: 'TimeBudgetExceeded' });
  });
});
