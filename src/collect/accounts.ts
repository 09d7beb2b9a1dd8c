/**
 * Collection across accounts: resolve the target accounts (an explicit list, or the organization's
 * active accounts), assume the audit role in each (credentials cached per account for the run), and
 * collect every account's regions with the single-account collector, a bounded number of accounts at
 * a time (each with its own bounded region concurrency: at most accounts × regions scopes in flight).
 *
 * An account whose role cannot be assumed is not an error of the run: it becomes a coverage gap in
 * that account's scopes (and every kind of that scope is marked unread, so no rule reports it clean),
 * and the other accounts go on.
 */

import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import pLimit from 'p-limit';
import type { CollectSettings, RegionSelection } from '../config.ts';
import { partitionOf } from '../inventory/arn.ts';
import { unreadAccountScopes } from '../inventory/join.ts';
import type { Inventory, RegionInventory } from '../inventory/schema.ts';
import { type ClientOptions, createRegionClients, type RegionClients, sdkConfig } from './clients.ts';
import { budgetSignal, describeError, type ProgressEvent, snapshotOf } from './common.ts';
import { type CollectDeps, collectInventory, currentRegion } from './index.ts';
import type { AccountTargets } from './targets.ts';

export class AccountDiscoveryError extends Error {
  override readonly name = 'AccountDiscoveryError';
}

export const ROLE_SESSION_NAME = 'ml-network-audit';
/** Credentials closer than this to expiry are renewed before use. */
const RENEW_BEFORE_MS = 5 * 60_000;

export interface AccountCollectDeps {
  /** The auditor's own STS client (AssumeRole is called with it). */
  sts?: STSClient;
  organizations?: OrganizationsClient;
  /**
   * Clients for one region of one account, on that account's credentials; `signal` fires when the
   * time budget ends (clients bound to it abort their calls then).
   */
  clientsFor?: (
    region: string,
    credentials: () => Promise<AwsCredentialIdentity>,
    signal?: AbortSignal,
  ) => RegionClients;
  /** An STS client on one account's credentials (for its GetCallerIdentity). */
  stsFor?: (region: string, credentials: () => Promise<AwsCredentialIdentity>) => STSClient;
  now?: () => Date;
  progress?: (event: ProgressEvent) => void;
  homeRegion?: string;
}

export interface AccountCollectRequest {
  regions: RegionSelection;
  settings: CollectSettings;
  targets: AccountTargets;
}

/** AssumeRole once per account for the run; renewed only when close to expiry. A failure is kept. */
export class AssumedRoleCache {
  private readonly entries = new Map<string, Promise<AwsCredentialIdentity>>();
  readonly calls: string[] = [];

  constructor(
    private readonly sts: STSClient,
    private readonly options: {
      partition: string;
      roleName: string;
      externalId?: string;
      durationSeconds?: number;
      now?: () => Date;
      /** Aborts an AssumeRole still in flight (the end of the time budget). */
      signal?: AbortSignal | undefined;
    },
  ) {}

  roleArn(account: string): string {
    return `arn:${this.options.partition}:iam::${account}:role/${this.options.roleName}`;
  }

  async get(account: string): Promise<AwsCredentialIdentity> {
    const cached = this.entries.get(account);
    if (cached) {
      const creds = await cached;
      const now = (this.options.now ?? (() => new Date()))().getTime();
      if (!creds.expiration || creds.expiration.getTime() - now > RENEW_BEFORE_MS) return creds;
    }
    const fresh = this.assume(account);
    this.entries.set(account, fresh);
    return fresh;
  }

  private async assume(account: string): Promise<AwsCredentialIdentity> {
    this.calls.push(account);
    const out = await this.sts.send(
      new AssumeRoleCommand({
        RoleArn: this.roleArn(account),
        RoleSessionName: ROLE_SESSION_NAME,
        DurationSeconds: this.options.durationSeconds ?? 3600,
        ...(this.options.externalId ? { ExternalId: this.options.externalId } : {}),
      }),
      this.options.signal ? { abortSignal: this.options.signal } : {},
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole answered without credentials');
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
    };
  }
}

/** The organization's ACTIVE accounts, filtered by the include and exclude lists, sorted. */
export async function listOrganizationAccounts(
  organizations: OrganizationsClient,
  filter: { include: readonly string[]; exclude: readonly string[] },
  signal?: AbortSignal,
): Promise<string[]> {
  const ids: string[] = [];
  try {
    const pages = paginateListAccounts(
      { client: organizations },
      {},
      ...(signal ? [{ abortSignal: signal }] : []),
    );
    for await (const page of pages) {
      for (const a of page.Accounts ?? []) {
        // `State` replaces the deprecated `Status`; either says ACTIVE for a usable account.
        const state = (a as { State?: string }).State ?? a.Status;
        if (a.Id && state === 'ACTIVE') ids.push(a.Id);
      }
    }
  } catch (err) {
    const { errorCode, message } = describeError(err);
    throw new AccountDiscoveryError(
      `could not list the organization's accounts (organizations:ListAccounts ${errorCode}: ${message}); run from the management account or a delegated administrator, or pass --accounts`,
      { cause: err },
    );
  }
  const include = new Set(filter.include);
  const exclude = new Set(filter.exclude);
  return [...new Set(ids)].filter((id) => (include.size === 0 || include.has(id)) && !exclude.has(id)).sort();
}

export async function resolveTargetAccounts(
  targets: AccountTargets,
  organizations: () => OrganizationsClient,
  signal?: AbortSignal,
): Promise<string[]> {
  if (targets.source === 'list') return [...new Set(targets.accounts)];
  return listOrganizationAccounts(organizations(), targets, signal);
}

/** The scopes of an account that could not be entered: the AssumeRole gap, and every kind unread. */
export function unreachableAccountScopes(
  account: string,
  regions: readonly string[],
  roleArn: string,
  err: unknown,
): RegionInventory[] {
  const { errorCode, message } = describeError(err);
  return unreadAccountScopes({
    account,
    regions,
    service: 'sts',
    operation: 'AssumeRole',
    errorCode,
    message,
    why: `not read: the audit role ${roleArn} could not be assumed`,
  });
}

function defaultClientsFor(options: ClientOptions) {
  return (
    region: string,
    credentials: () => Promise<AwsCredentialIdentity>,
    signal?: AbortSignal,
  ): RegionClients => createRegionClients(region, options, { credentials, signal });
}

export async function collectAccounts(
  request: AccountCollectRequest,
  deps: AccountCollectDeps = {},
): Promise<Inventory> {
  const started = Date.now();
  const { settings, targets } = request;
  const now = deps.now ?? (() => new Date());
  const deadline = settings.timeBudgetMs === undefined ? undefined : started + settings.timeBudgetMs;
  // Fires when the budget ends: the discovery and AssumeRole calls still in flight are aborted (each
  // account's collection has its own, for the same deadline).
  const budget = budgetSignal(deadline);
  const clientOptions: ClientOptions = {
    maxAttempts: settings.maxAttempts,
    requestTimeoutMs: settings.requestTimeoutMs,
  };
  const home =
    request.regions.mode === 'list'
      ? request.regions.regions[0]!
      : (deps.homeRegion ?? (await currentRegion()));
  const partition = partitionOf(home);
  const sts = deps.sts ?? new STSClient(sdkConfig(home, clientOptions));
  let organizations: OrganizationsClient | undefined = deps.organizations;
  try {
    const accounts = await resolveTargetAccounts(
      targets,
      () => {
        organizations ??= new OrganizationsClient(sdkConfig(home, clientOptions));
        return organizations;
      },
      budget,
    );
    if (accounts.length === 0) {
      // Nothing to audit is never a clean result.
      throw new AccountDiscoveryError(
        'no active account of the organization matched (check --include-accounts / --exclude-accounts)',
      );
    }
    const cache = new AssumedRoleCache(sts, {
      partition,
      roleName: targets.roleName,
      ...(targets.externalId ? { externalId: targets.externalId } : {}),
      now,
      signal: budget,
    });
    const clientsFor = deps.clientsFor ?? defaultClientsFor(clientOptions);
    const stsFor =
      deps.stsFor ??
      ((region: string, credentials: () => Promise<AwsCredentialIdentity>) =>
        new STSClient({ ...sdkConfig(region, clientOptions), credentials }));
    const gapRegions = request.regions.mode === 'list' ? request.regions.regions : [home];
    const limitAccounts = pLimit(targets.concurrency);

    const perAccount = await Promise.all(
      accounts.map((account) =>
        limitAccounts(async (): Promise<AccountRead> => {
          try {
            await cache.get(account);
          } catch (err) {
            const scopes = unreachableAccountScopes(account, gapRegions, cache.roleArn(account), err);
            for (const scope of scopes)
              for (const gap of scope.gaps.slice(0, 1))
                deps.progress?.({ type: 'gap', region: scope.region, gap });
            return { account, scopes };
          }
          const credentials = () => cache.get(account);
          const memberSts = stsFor(home, credentials);
          const remaining = deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
          try {
            const inventory = await collectInventory(
              {
                regions: request.regions,
                settings: { ...settings, ...(remaining !== undefined ? { timeBudgetMs: remaining } : {}) },
              },
              {
                clientsFor: (region, signal) => clientsFor(region, credentials, signal),
                sts: memberSts,
                now,
                homeRegion: home,
                ...(deps.progress ? { progress: deps.progress } : {}),
              } satisfies CollectDeps,
            );
            // Every scope belongs to the account whose role it was read through.
            for (const scope of inventory.regions) scope.account = account;
            return { account, inventory, scopes: inventory.regions };
          } finally {
            memberSts.destroy();
          }
        }),
      ),
    );

    return mergeAccounts(perAccount, { started, settings, now });
  } finally {
    if (!deps.sts) sts.destroy();
    if (!deps.organizations) organizations?.destroy();
  }
}

interface AccountRead {
  account: string;
  /** Absent when the account's role could not be assumed (its scopes are gaps only). */
  inventory?: Inventory;
  scopes: RegionInventory[];
}

/** One inventory of every account's scopes, with bounds that speak for all of them. */
function mergeAccounts(
  perAccount: readonly AccountRead[],
  { started, settings, now }: { started: number; settings: CollectSettings; now: () => Date },
): Inventory {
  const jobsTruncated: Record<string, boolean> = {};
  const regions = new Set<string>();
  let stoppedEarly = false;
  for (const { account, inventory, scopes } of perAccount) {
    for (const s of scopes) regions.add(s.region);
    if (!inventory) continue;
    for (const [key, value] of Object.entries(inventory.bounds.jobsTruncated))
      jobsTruncated[`${account}/${key}`] = value;
    stoppedEarly ||= inventory.bounds.stoppedEarly;
  }
  const windowStart = new Date(now().getTime() - settings.jobWindowDays * 86_400_000);
  return snapshotOf({
    started,
    settings,
    windowStart,
    regions: [...regions].sort(),
    jobsTruncated,
    stoppedEarly,
    scopes: perAccount.flatMap((a) => a.scopes),
  });
}
