/**
 * Collection across regions: resolve the regions, then run every collector for every region side by
 * side (bounded), each within the time budget, while the account is looked up (bounded on its own:
 * a hung STS holds nothing back). The result is an Inventory.
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import pLimit from 'p-limit';
import type { CollectSettings, RegionSelection } from '../config.ts';
import { partitionOf } from '../inventory/arn.ts';
import {
  type CoverageGap,
  emptyRegionInventory,
  type Inventory,
  type RegionInventory,
} from '../inventory/schema.ts';
import { collectBedrock } from './bedrock.ts';
import {
  type ClientOptions,
  createRegionClients,
  destroyRegionClients,
  type RegionClients,
  sdkConfig,
} from './clients.ts';
import {
  budgetSignal,
  type CollectContext,
  createContext,
  guard,
  type ProgressEvent,
  snapshotOf,
} from './common.ts';
import { collectEc2 } from './ec2.ts';
import { collectNetworkFirewall } from './network-firewall.ts';
import { RegionResolutionError } from './region-error.ts';
import { collectSageMaker } from './sagemaker.ts';

/** How long the account lookup (sts:GetCallerIdentity, retries included) may take. */
export const ACCOUNT_LOOKUP_TIMEOUT_MS = 10_000;

export interface CollectDeps {
  /**
   * Clients for one region; defaults to real SDK clients on the standard chain. `signal` fires when
   * the time budget ends: clients bound to it abort their calls then.
   */
  clientsFor?: (region: string, signal?: AbortSignal) => RegionClients;
  sts?: STSClient;
  /** The account lookup's own bound (tests shorten it); ACCOUNT_LOOKUP_TIMEOUT_MS by default. */
  accountLookupTimeoutMs?: number;
  now?: () => Date;
  progress?: (event: ProgressEvent) => void;
  /** The current region; defaults to the SDK chain's (AWS_REGION, the profile). */
  homeRegion?: string;
}

export interface CollectRequest {
  regions: RegionSelection;
  settings: CollectSettings;
}

/** The region the SDK's standard chain resolves (AWS_REGION, AWS_DEFAULT_REGION, the profile). */
export async function currentRegion(): Promise<string> {
  const probe = new STSClient({});
  try {
    const region = await probe.config.region();
    if (!region) throw new Error('empty');
    return region;
  } catch {
    throw new RegionResolutionError(
      'no AWS region configured: set AWS_REGION (or a region in your profile), or pass --regions',
    );
  } finally {
    probe.destroy();
  }
}

/** A context for calls made before any region inventory exists (account, region list). */
function bootstrapContext(region: string, settings: CollectSettings, now: () => Date, deadline?: number) {
  return createContext(
    emptyRegionInventory('unknown', region, partitionOf(region)),
    { ...settings, now },
    deadline,
  );
}

async function resolveRegions(
  selection: RegionSelection,
  home: string,
  ctx: CollectContext,
  homeClients: () => RegionClients,
): Promise<string[]> {
  if (selection.mode === 'list') return selection.regions;
  if (selection.mode === 'current') return [home];
  const clients = homeClients();
  try {
    const out = await guard(ctx, { service: 'ec2', operation: 'DescribeRegions', kind: 'regions' }, () =>
      clients.ec2.send(new DescribeRegionsCommand({ AllRegions: false })),
    );
    if (!out) return [home];
    const regions = (out.Regions ?? [])
      .filter((r) => r.RegionName && (r.OptInStatus === undefined || r.OptInStatus !== 'not-opted-in'))
      .map((r) => r.RegionName as string)
      .sort();
    return regions.length ? regions : [home];
  } finally {
    destroyRegionClients(clients);
  }
}

class AccountLookupTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * The caller's account, or undefined (the gap is recorded). Bounded by its own timeout and by the
 * budget: GetCallerIdentity answers in well under a second, so one that does not answer is a gap,
 * not a wait.
 */
async function resolveAccount(
  ctx: CollectContext,
  sts: STSClient,
  budget: AbortSignal | undefined,
  timeoutMs: number,
): Promise<string | undefined> {
  const out = await guard(ctx, { service: 'sts', operation: 'GetCallerIdentity', kind: 'account' }, () => {
    const own = AbortSignal.timeout(timeoutMs);
    // The race ends the wait even on a client that ignores the signal.
    const expired = new Promise<never>((_, reject) => {
      own.addEventListener('abort', () =>
        reject(new AccountLookupTimeoutError(`no answer within ${timeoutMs / 1000} s`)),
      );
    });
    const call = sts.send(new GetCallerIdentityCommand({}), {
      abortSignal: budget ? AbortSignal.any([own, budget]) : own,
    });
    return Promise.race([call, expired]);
  });
  return out?.Account;
}

/** When STS is unavailable, the owner id that EC2 reports is the account. */
function accountFromInventory(scope: RegionInventory): string | undefined {
  return scope.vpcs.find((v) => v.ownerId)?.ownerId ?? scope.securityGroups.find((g) => g.ownerId)?.ownerId;
}

export async function collectInventory(request: CollectRequest, deps: CollectDeps = {}): Promise<Inventory> {
  const started = Date.now();
  const now = deps.now ?? (() => new Date());
  const { settings } = request;
  const deadline = settings.timeBudgetMs === undefined ? undefined : started + settings.timeBudgetMs;
  const clientOptions: ClientOptions = {
    maxAttempts: settings.maxAttempts,
    requestTimeoutMs: settings.requestTimeoutMs,
  };
  // Fires when the budget ends: every call still in flight is aborted, so no socket outlives the run.
  const budget = budgetSignal(deadline);
  const clientsFor = (region: string): RegionClients =>
    deps.clientsFor
      ? deps.clientsFor(region, budget)
      : createRegionClients(region, clientOptions, { signal: budget });

  const home =
    request.regions.mode === 'list'
      ? request.regions.regions[0]!
      : (deps.homeRegion ?? (await currentRegion()));
  const boot = bootstrapContext(home, settings, now, deadline);
  const sts = deps.sts ?? new STSClient(sdkConfig(home, clientOptions));
  // The account is looked up alongside the collection: no collector needs it, only the scopes' labels.
  const accountLookup = resolveAccount(
    boot,
    sts,
    budget,
    deps.accountLookupTimeoutMs ?? ACCOUNT_LOOKUP_TIMEOUT_MS,
  ).finally(() => {
    if (!deps.sts) sts.destroy();
  });
  const regions = await resolveRegions(request.regions, home, boot, () => clientsFor(home));

  const windowStart = new Date(now().getTime() - settings.jobWindowDays * 86_400_000);
  const jobsTruncated: Record<string, boolean> = {};
  let stoppedEarly = false;
  const limitRegions = pLimit(settings.regionConcurrency);

  const scopes = await Promise.all(
    regions.map((region) =>
      limitRegions(async () => {
        const inventory = emptyRegionInventory('unknown', region, partitionOf(region));
        const ctx = createContext(inventory, { ...settings, now }, deadline, deps.progress);
        const clients = clientsFor(region);
        try {
          await Promise.all([
            collectEc2(ctx, clients.ec2),
            collectSageMaker(ctx, clients.sagemaker),
            collectNetworkFirewall(ctx, clients.networkFirewall),
            collectBedrock(ctx, clients.bedrock),
          ]);
        } finally {
          destroyRegionClients(clients);
        }
        Object.assign(jobsTruncated, ctx.jobsTruncated);
        stoppedEarly ||= ctx.stoppedEarly;
        return inventory;
      }),
    ),
  );
  const account = await accountLookup;
  stoppedEarly ||= boot.stoppedEarly;
  const bootGaps: CoverageGap[] = boot.inventory.gaps;

  // Account and region-list gaps belong to the home region's scope (or the first one collected).
  const homeScope = scopes.find((s) => s.region === home) ?? scopes[0];
  if (homeScope) homeScope.gaps.unshift(...bootGaps);
  const owner = account ?? scopes.map(accountFromInventory).find(Boolean);
  if (owner) for (const s of scopes) s.account = owner;

  return snapshotOf({ started, settings, windowStart, regions, jobsTruncated, stoppedEarly, scopes });
}
