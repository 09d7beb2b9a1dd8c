import { BedrockClient } from '@aws-sdk/client-bedrock';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { analyzeInventory } from '../../../src/audit.ts';
import {
  AccountDiscoveryError,
  AssumedRoleCache,
  collectAccounts,
  listOrganizationAccounts,
} from '../../../src/collect/accounts.ts';
import { lazyClient, type RegionClients } from '../../../src/collect/clients.ts';
import { AccountTargetsSchema } from '../../../src/collect/targets.ts';
import { CollectSettingsSchema, parseAuditConfig } from '../../../src/config.ts';
import { InventorySchema } from '../../../src/inventory/schema.ts';

const base = { accessKeyId: 'x', secretAccessKey: 'y' };
const ec2Mock = mockClient(EC2Client);
const smMock = mockClient(SageMakerClient);
const nfwMock = mockClient(NetworkFirewallClient);
const stsMock = mockClient(STSClient);
// Bedrock answers no customization jobs (its own tests are in bedrock.test.ts).
mockClient(BedrockClient).onAnyCommand().resolves({});
const orgMock = mockClient(OrganizationsClient);

const clientsFor = (region: string, credentials: () => Promise<AwsCredentialIdentity>): RegionClients => ({
  ec2: new EC2Client({ region, credentials, maxAttempts: 1 }),
  sagemaker: new SageMakerClient({ region, credentials, maxAttempts: 1 }),
  networkFirewall: new NetworkFirewallClient({ region, credentials, maxAttempts: 1 }),
  bedrock: lazyClient(async () => new BedrockClient({ region, credentials, maxAttempts: 1 })),
});
const stsFor = (region: string, credentials: () => Promise<AwsCredentialIdentity>) =>
  new STSClient({ region, credentials, maxAttempts: 1 });
const sts = new STSClient({ region: 'us-east-1', credentials: base, maxAttempts: 1 });
const organizations = new OrganizationsClient({ region: 'us-east-1', credentials: base, maxAttempts: 1 });
const settings = CollectSettingsSchema.parse({ maxAttempts: 1 });
const now = () => new Date('2026-11-22T00:00:00Z');
const deps = { sts, organizations, clientsFor, stsFor, now, homeRegion: 'us-east-1' };

/** The account a mocked call was made for, from the access key AssumeRole handed out. */
async function accountOf(getClient: () => { config: { credentials: () => Promise<AwsCredentialIdentity> } }) {
  const creds = await getClient().config.credentials();
  return creds.accessKeyId.replace('ASIA', '');
}

describe('collectAccounts', () => {
  beforeEach(() => {
    for (const m of [ec2Mock, smMock, nfwMock, stsMock, orgMock]) m.reset();
    ec2Mock.onAnyCommand().resolves({});
    smMock.onAnyCommand().resolves({});
    nfwMock.onAnyCommand().resolves({});
    stsMock.on(AssumeRoleCommand).callsFake(async (input: AssumeRoleCommandInput) => {
      const account = /iam::(\d{12}):/.exec(input.RoleArn ?? '')?.[1] ?? '';
      if (account === '333333333333') {
        throw Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
          name: 'AccessDenied',
        });
      }
      return {
        Credentials: {
          AccessKeyId: `ASIA${account}`,
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date('2026-11-22T01:00:00Z'),
        },
      };
    });
    stsMock
      .on(GetCallerIdentityCommand)
      .callsFake(async (_i, getClient) => ({ Account: await accountOf(getClient) }));
    ec2Mock.on(DescribeVpcsCommand).callsFake(async (_i, getClient) => ({
      Vpcs: [{ VpcId: `vpc-${await accountOf(getClient)}`, IsDefault: true, CidrBlock: '10.0.0.0/16' }],
    }));
  });

  it('reads each listed account through its assumed role and attributes every scope to it', async () => {
    // Prepare
    const targets = AccountTargetsSchema.parse({
      source: 'list',
      accounts: ['111111111111', '222222222222'],
      roleName: 'MlNetworkAuditRole',
      externalId: 'ext-123',
    });

    // Act
    const inv = await collectAccounts(
      { regions: { mode: 'list', regions: ['us-east-1', 'eu-west-1'] }, settings, targets },
      deps,
    );

    // Assess
    expect(inv.regions.map((s) => [s.account, s.region, s.vpcs[0]?.vpcId])).toEqual([
      ['111111111111', 'us-east-1', 'vpc-111111111111'],
      ['111111111111', 'eu-west-1', 'vpc-111111111111'],
      ['222222222222', 'us-east-1', 'vpc-222222222222'],
      ['222222222222', 'eu-west-1', 'vpc-222222222222'],
    ]);
    expect(stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::111111111111:role/MlNetworkAuditRole',
      ExternalId: 'ext-123',
      RoleSessionName: 'ml-network-audit',
    });
    expect(() => InventorySchema.parse(inv)).not.toThrow();
  });

  it('assumes each role once per run, however many regions the account has', async () => {
    // Prepare
    const targets = AccountTargetsSchema.parse({ source: 'list', accounts: ['111111111111'], roleName: 'R' });

    // Act
    await collectAccounts(
      { regions: { mode: 'list', regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] }, settings, targets },
      deps,
    );

    // Assess
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('turns an account whose role cannot be assumed into a coverage gap, and the others complete', async () => {
    // Prepare
    const targets = AccountTargetsSchema.parse({
      source: 'list',
      accounts: ['111111111111', '333333333333'],
      roleName: 'R',
    });
    const config = parseAuditConfig({});

    // Act
    const inv = await collectAccounts(
      { regions: { mode: 'list', regions: ['us-east-1'] }, settings, targets },
      deps,
    );
    const result = analyzeInventory(inv, config, { source: 'aws' });

    // Assess
    const missing = inv.regions.find((s) => s.account === '333333333333');
    expect(missing?.gaps[0]).toMatchObject({
      service: 'sts',
      operation: 'AssumeRole',
      kind: 'account',
      errorCode: 'AccessDenied',
    });
    expect(missing?.gaps.some((g) => g.kind === 'securityGroups')).toBe(true);
    expect(inv.regions.find((s) => s.account === '111111111111')?.vpcs).toHaveLength(1);
    expect(result.coverage.filter((g) => g.operation === 'AssumeRole' && g.kind === 'account')).toEqual([
      expect.objectContaining({ account: '333333333333', region: 'us-east-1' }),
    ]);
    const notEvaluated = result.findings.filter((f) => f.status === 'NOT_EVALUATED');
    expect(notEvaluated.length).toBeGreaterThan(0);
    expect(notEvaluated.every((f) => f.account === '333333333333')).toBe(true);
    expect(result.run.accounts).toEqual(['111111111111', '333333333333']);
  });

  it("audits the organization's active accounts, with include and exclude lists", async () => {
    // Prepare
    orgMock
      .on(ListAccountsCommand)
      .resolvesOnce({
        Accounts: [
          { Id: '111111111111', Status: 'ACTIVE' },
          { Id: '222222222222', Status: 'SUSPENDED' },
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({
        Accounts: [
          { Id: '444444444444', Status: 'ACTIVE' },
          { Id: '555555555555', Status: 'ACTIVE' },
        ],
      });
    const targets = AccountTargetsSchema.parse({
      source: 'organization',
      roleName: 'R',
      exclude: ['555555555555'],
    });

    // Act
    const inv = await collectAccounts(
      { regions: { mode: 'list', regions: ['us-east-1'] }, settings, targets },
      deps,
    );

    // Assess
    expect(inv.regions.map((s) => s.account)).toEqual(['111111111111', '444444444444']);
  });

  it('keeps only included accounts, and fails clearly when the organization cannot be listed', async () => {
    // Prepare
    orgMock.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: '111111111111', Status: 'ACTIVE' },
        { Id: '444444444444', Status: 'ACTIVE' },
      ],
    });

    // Act
    const included = await listOrganizationAccounts(organizations, {
      include: ['444444444444'],
      exclude: [],
    });
    orgMock.reset();
    orgMock
      .on(ListAccountsCommand)
      .rejects(
        Object.assign(new Error('not in an organization'), { name: 'AWSOrganizationsNotInUseException' }),
      );
    const failed = listOrganizationAccounts(organizations, { include: [], exclude: [] });

    // Assess
    expect(included).toEqual(['444444444444']);
    await expect(failed).rejects.toBeInstanceOf(AccountDiscoveryError);
    await expect(failed).rejects.toThrow(/AWSOrganizationsNotInUseException/);
  });
});

describe('AssumedRoleCache', () => {
  beforeEach(() => stsMock.reset());

  it('renews credentials close to expiry and keeps a failure for the rest of the run', async () => {
    // Prepare
    let clock = new Date('2026-11-22T00:00:00Z');
    stsMock
      .on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::111111111111:role/R' })
      .resolves({
        Credentials: {
          AccessKeyId: 'A',
          SecretAccessKey: 's',
          SessionToken: 't',
          Expiration: new Date('2026-11-22T01:00:00Z'),
        },
      })
      .on(AssumeRoleCommand, { RoleArn: 'arn:aws:iam::222222222222:role/R' })
      .rejects(new Error('denied'));
    const cache = new AssumedRoleCache(sts, { partition: 'aws', roleName: 'R', now: () => clock });

    // Act
    await cache.get('111111111111');
    await cache.get('111111111111');
    clock = new Date('2026-11-22T00:58:00Z');
    await cache.get('111111111111');
    await expect(cache.get('222222222222')).rejects.toThrow('denied');
    await expect(cache.get('222222222222')).rejects.toThrow('denied');

    // Assess
    expect(cache.calls).toEqual(['111111111111', '111111111111', '222222222222']);
  });
});

describe('collectAccounts with nothing to audit', () => {
  beforeEach(() => orgMock.reset());

  it('fails instead of reporting an empty organization as clean', async () => {
    // Prepare
    orgMock.on(ListAccountsCommand).resolves({ Accounts: [{ Id: '111111111111', Status: 'ACTIVE' }] });
    const targets = AccountTargetsSchema.parse({
      source: 'organization',
      roleName: 'R',
      exclude: ['111111111111'],
    });

    // Act
    const run = collectAccounts(
      { regions: { mode: 'list', regions: ['us-east-1'] }, settings, targets },
      deps,
    );

    // Assess
    await expect(run).rejects.toThrow(AccountDiscoveryError);
  });
});
