/**
 * Organization mode as one analysis: the steps the state machine runs (template.yaml,
 * OrgAuditStateMachine), each an invocation of this function with an `org-*` payload (org-payload.ts).
 *
 *   plan     ListAccounts (every page, ACTIVE, include / exclude) x region groups -> items; the plan is
 *            written to s3://ORG_SNAPSHOT_BUCKET/runs/<run>/plan.json and its items returned inline
 *   collect  one item (a Distributed Map child): its account's regions -> one snapshot in S3
 *   join     every item's snapshot -> one inventory (an item without one: coverage gaps, never a
 *            silent drop) -> analyzed as one network -> the lifecycle once -> one digest
 *
 * The join runs the function's usual pipeline (service.ts) with the joined inventory in place of a
 * collection, so logs, metrics, finding state, suppressions, the archive and the digest are exactly
 * those of any run.
 */
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import pLimit from 'p-limit';
import { z } from 'zod';
import { analyzeInventory, countResources } from '../audit.ts';
import { type AccountCollectDeps, collectAccounts, listOrganizationAccounts } from '../collect/accounts.ts';
import { sdkConfig } from '../collect/clients.ts';
import { describeError, snapshotOf } from '../collect/common.ts';
import { type AuditConfig, parseAuditConfig } from '../config.ts';
import { joinInventories, type UnreadAccount } from '../inventory/join.ts';
import type { Inventory } from '../inventory/schema.ts';
import { parseSnapshot, serializeSnapshot } from '../inventory/snapshot.ts';
import type { LambdaEnv } from './env.ts';
import {
  isOrgStep,
  type OrgCollectPayload,
  type OrgItem,
  OrgItemSchema,
  type OrgJoinPayload,
  type OrgPayload,
  type OrgPlanPayload,
  orgKeys,
  parseOrgPayload,
  RunIdSchema,
} from './org-payload.ts';
import { PayloadError } from './payload.ts';
import { createHandler, type RunSummary, type ServiceDeps } from './service.ts';

export class OrgRunError extends Error {
  override readonly name = 'OrgRunError';
}

/**
 * The items travel inline in the state machine's data, which Step Functions caps at 256 KiB per state
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html): about 2,000 items with
 * their keys. Beyond that the plan is refused whole, naming what to narrow, rather than half run.
 */
export const MAX_INLINE_ITEMS_BYTES = 200_000;
/** Snapshots read side by side by the join. */
const JOIN_READ_CONCURRENCY = 16;

const PlanSchema = z.strictObject({
  runId: RunIdSchema,
  createdAt: z.string(),
  items: z.array(OrgItemSchema),
});
type Plan = z.infer<typeof PlanSchema>;

export interface OrgPlanResult {
  runId: string;
  accounts: number;
  itemCount: number;
  items: OrgItem[];
  /** Echoed for the Map's MaxConcurrencyPath and ToleratedFailurePercentagePath. */
  maxConcurrency: number;
  toleratedFailurePercentage: number;
}

export interface OrgCollectResult {
  account: string;
  key: string;
  regions: string[];
  scopes: number;
  resources: number;
  coverageGaps: number;
  stoppedEarly: boolean;
}

/** What the join read, and what it could not: part of the join's summary. */
export interface OrgJoinReport {
  runId: string;
  items: number;
  snapshots: number;
  unread: { account: string; regions: string[]; errorCode: string }[];
  mapFailed?: string;
}

export interface OrgDeps {
  s3: S3Client;
  organizations?: () => OrganizationsClient;
  /** Collection overrides (tests). */
  accounts?: AccountCollectDeps;
  now?: () => Date;
}

type OrgEnv = LambdaEnv & { ORG_SNAPSHOT_BUCKET: string; AUDIT_ROLE_NAME: string };

function requireOrgEnv(env: LambdaEnv, mode: string): OrgEnv {
  const missing = (['ORG_SNAPSHOT_BUCKET', 'AUDIT_ROLE_NAME'] as const).filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new PayloadError(
      `invalid ${mode} payload: organization mode needs ${missing.join(' and ')} to be set`,
    );
  }
  return env as OrgEnv;
}

async function putJson(s3: S3Client, bucket: string, key: string, body: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
  );
}

async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!out.Body) throw new OrgRunError(`s3://${bucket}/${key} has no body`);
  return out.Body.transformToString('utf8');
}

const isNoSuchKey = (err: unknown) => (err as { name?: string })?.name === 'NoSuchKey';

/** List the accounts, split them into items, write the plan and return its items. */
export async function planOrgRun(
  env: LambdaEnv,
  payload: OrgPlanPayload,
  deps: OrgDeps,
): Promise<OrgPlanResult> {
  const org = requireOrgEnv(env, payload.mode);
  const client =
    deps.organizations?.() ??
    new OrganizationsClient(sdkConfig(env.AWS_REGION, { maxAttempts: 6, requestTimeoutMs: 30_000 }));
  try {
    const accounts = await listOrganizationAccounts(client, {
      include: payload.includeAccounts,
      exclude: payload.excludeAccounts,
    });
    if (accounts.length === 0) {
      throw new OrgRunError(
        'no active account of the organization matched (check OrgIncludeAccounts / OrgExcludeAccounts)',
      );
    }
    const groups = payload.regionGroups;
    const items: OrgItem[] = accounts.flatMap((account) =>
      groups.length === 0
        ? [{ account, key: orgKeys.snapshot(payload.runId, account) }]
        : groups.map((regions, g) => ({
            account,
            regions,
            key: orgKeys.snapshot(payload.runId, account, g),
          })),
    );
    const bytes = JSON.stringify(items).length;
    if (bytes > MAX_INLINE_ITEMS_BYTES) {
      throw new OrgRunError(
        `the plan has ${items.length} items (${Math.round(bytes / 1024)} KB), more than a Step Functions state carries inline (${MAX_INLINE_ITEMS_BYTES / 1000} KB of the 256 KiB): narrow OrgIncludeAccounts or use fewer region groups`,
      );
    }
    const plan: Plan = { runId: payload.runId, createdAt: (deps.now?.() ?? new Date()).toISOString(), items };
    await putJson(deps.s3, org.ORG_SNAPSHOT_BUCKET, orgKeys.plan(payload.runId), JSON.stringify(plan));
    return {
      runId: payload.runId,
      accounts: accounts.length,
      itemCount: items.length,
      items,
      maxConcurrency: payload.maxConcurrency,
      toleratedFailurePercentage: payload.toleratedFailurePercentage,
    };
  } finally {
    if (!deps.organizations) client.destroy();
  }
}

/** Collect one item (an account, or an account's region group) into its snapshot in S3. */
export async function collectOrgItem(
  env: LambdaEnv,
  payload: OrgCollectPayload,
  remainingMs: number,
  deps: OrgDeps,
): Promise<OrgCollectResult> {
  const org = requireOrgEnv(env, payload.mode);
  const { item } = payload;
  const regions = item.regions ?? env.AUDIT_REGIONS ?? [env.AWS_REGION];
  const config = parseAuditConfig({
    regions: regions === 'all' ? { mode: 'all' } : { mode: 'list', regions },
    accounts: {
      source: 'list',
      accounts: [item.account],
      roleName: org.AUDIT_ROLE_NAME,
      ...(env.AUDIT_EXTERNAL_ID ? { externalId: env.AUDIT_EXTERNAL_ID } : {}),
      concurrency: 1,
    },
    collect: {
      jobWindowDays: env.JOB_WINDOW_DAYS,
      // Collection stops before the function's timeout, keeping back the time to write the snapshot.
      timeBudgetMs: Math.max(5_000, Math.floor(remainingMs - env.PUBLISH_RESERVE_MS)),
    },
  });
  const inventory = await collectAccounts(
    { regions: config.regions, settings: config.collect, targets: config.accounts! },
    deps.accounts ?? {},
  );
  await putJson(deps.s3, org.ORG_SNAPSHOT_BUCKET, item.key, serializeSnapshot(inventory));
  return {
    account: item.account,
    key: item.key,
    regions: inventory.bounds.regions,
    scopes: inventory.regions.length,
    resources: countResources(inventory),
    coverageGaps: inventory.regions.reduce((n, s) => n + s.gaps.filter((g) => !g.informational).length, 0),
    stoppedEarly: inventory.bounds.stoppedEarly,
  };
}

type ItemRead =
  | { item: OrgItem; inventory: Inventory }
  | { item: OrgItem; unread: Omit<UnreadAccount, 'regions'> };

async function readItem(
  s3: S3Client,
  bucket: string,
  runId: string,
  item: OrgItem,
  mapFailed?: string,
): Promise<ItemRead> {
  const uri = `s3://${bucket}/${item.key}`;
  const why = `not read: account ${item.account}'s collection in organization run ${runId} left no usable snapshot`;
  let text: string;
  try {
    text = await getText(s3, bucket, item.key);
  } catch (err) {
    if (isNoSuchKey(err)) {
      const failed = mapFailed ? `; the map run failed: ${mapFailed}` : '';
      return {
        item,
        unread: {
          account: item.account,
          service: 'states',
          operation: 'Map',
          errorCode: 'AccountNotCollected',
          message: `no snapshot at ${uri}: the account's collection did not complete (its child execution failed after its retries, timed out or was never started${failed})`,
          why,
        },
      };
    }
    const { errorCode, message } = describeError(err);
    return {
      item,
      unread: { account: item.account, service: 's3', operation: 'GetObject', errorCode, message, why },
    };
  }
  try {
    const inventory = parseSnapshot(JSON.parse(text), uri);
    const stray = inventory.regions.find((s) => s.account !== item.account);
    if (stray) throw new OrgRunError(`${uri} holds account ${stray.account}, not ${item.account}`);
    return { item, inventory };
  } catch (err) {
    const message = (err as Error).message.split('\n').slice(0, 3).join(' ');
    return {
      item,
      unread: {
        account: item.account,
        service: 's3',
        operation: 'GetObject',
        errorCode: 'InvalidSnapshot',
        message,
        why,
      },
    };
  }
}

/** Read the plan and every item's snapshot, and join them into one inventory. */
export async function joinOrgRun(
  env: LambdaEnv,
  payload: OrgJoinPayload,
  config: AuditConfig,
  deps: OrgDeps,
): Promise<{ inventory: Inventory; report: OrgJoinReport }> {
  const org = requireOrgEnv(env, payload.mode);
  const bucket = org.ORG_SNAPSHOT_BUCKET;
  const planKey = orgKeys.plan(payload.runId);
  let plan: Plan;
  try {
    plan = PlanSchema.parse(JSON.parse(await getText(deps.s3, bucket, planKey)));
  } catch (err) {
    throw new OrgRunError(
      `cannot read the plan of organization run ${payload.runId} at s3://${bucket}/${planKey}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const mapFailed = payload.mapFailed
    ? [payload.mapFailed.Error, payload.mapFailed.Cause].filter(Boolean).join(': ') || 'unknown error'
    : undefined;
  const limit = pLimit(JOIN_READ_CONCURRENCY);
  const reads = await Promise.all(
    plan.items.map((item) => limit(() => readItem(deps.s3, bucket, payload.runId, item, mapFailed))),
  );
  const parts = reads.flatMap((r) => ('inventory' in r ? [r.inventory] : []));
  // An item without a region group was collected in the function's regions: those the other items
  // were read in, or else AUDIT_REGIONS (the function's region for "all", which names none).
  const seen = [...new Set(parts.flatMap((p) => p.bounds.regions))].sort();
  const configured = Array.isArray(env.AUDIT_REGIONS) ? env.AUDIT_REGIONS : [env.AWS_REGION];
  const fallbackRegions = seen.length > 0 ? seen : configured;
  const unread: UnreadAccount[] = reads.flatMap((r) =>
    'unread' in r ? [{ ...r.unread, regions: r.item.regions ?? fallbackRegions }] : [],
  );
  const started = (deps.now?.() ?? new Date()).getTime();
  const fallback = snapshotOf({
    started,
    settings: config.collect,
    windowStart: new Date(started - config.collect.jobWindowDays * 86_400_000),
    regions: [],
    jobsTruncated: {},
    stoppedEarly: false,
    scopes: [],
  });
  const inventory = joinInventories(parts, unread, fallback);
  return {
    inventory,
    report: {
      runId: payload.runId,
      items: plan.items.length,
      snapshots: parts.length,
      unread: unread.map((u) => ({ account: u.account, regions: [...u.regions], errorCode: u.errorCode })),
      ...(mapFailed ? { mapFailed } : {}),
    },
  };
}

type HandlerContext = Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>;
export type OrgJoinSummary = RunSummary & { organization: OrgJoinReport };
export type StepResult = RunSummary | OrgPlanResult | OrgCollectResult | OrgJoinSummary;

/**
 * The function's entry with the organization steps: an event with `mode` is a step of the state
 * machine; anything else goes to `run` (a schedule or an on-demand payload) as before.
 */
export function withOrganizationSteps(
  env: LambdaEnv,
  deps: ServiceDeps & { organizations?: () => OrganizationsClient; accounts?: AccountCollectDeps },
  run: (event: unknown, context: HandlerContext) => Promise<RunSummary>,
) {
  let s3: S3Client | undefined = deps.s3;
  const orgDeps = (): OrgDeps => {
    s3 ??= new S3Client(sdkConfig(env.AWS_REGION, { maxAttempts: 6, requestTimeoutMs: 30_000 }));
    return {
      s3,
      ...(deps.organizations ? { organizations: deps.organizations } : {}),
      ...(deps.accounts ? { accounts: deps.accounts } : {}),
      ...(deps.now ? { now: deps.now } : {}),
    };
  };
  return async function handler(event: unknown, context: HandlerContext): Promise<StepResult> {
    if (!isOrgStep(event)) return run(event, context);
    let step: OrgPayload;
    try {
      step = parseOrgPayload(event);
      requireOrgEnv(env, step.mode);
    } catch (err) {
      deps.logger.error('rejected invocation', {
        error: (err as Error).message,
        requestId: context.awsRequestId,
      });
      throw err;
    }
    const started = Date.now();
    if (step.mode === 'org-plan') {
      const plan = await planOrgRun(env, step, orgDeps());
      deps.logger.info('organization run planned', {
        runId: plan.runId,
        accounts: plan.accounts,
        items: plan.itemCount,
      });
      return plan;
    }
    if (step.mode === 'org-collect') {
      const out = await collectOrgItem(env, step, context.getRemainingTimeInMillis(), orgDeps());
      deps.logger.info('organization item collected', { ...out, durationMs: Date.now() - started });
      return out;
    }
    return joinStep(env, step, deps, orgDeps(), context);
  };
}

/** The join: the usual pipeline (service.ts) over the joined inventory instead of a collection. */
async function joinStep(
  env: LambdaEnv,
  step: OrgJoinPayload,
  deps: ServiceDeps,
  orgDeps: OrgDeps,
  context: HandlerContext,
): Promise<OrgJoinSummary> {
  let report: OrgJoinReport | undefined;
  const pipeline = createHandler(env, {
    ...deps,
    audit: async (config) => {
      const startedAt = new Date();
      const joined = await joinOrgRun(env, step, config, orgDeps);
      report = joined.report;
      deps.logger.info('organization run joined', { ...joined.report });
      const result = analyzeInventory(joined.inventory, config, { source: 'aws', startedAt });
      return { result, inventory: joined.inventory };
    },
  });
  const onDemand = {
    ...(step.notify ? { notify: step.notify } : {}),
    ...(step.minSeverity ? { minSeverity: step.minSeverity } : {}),
    ...(step.dryRun !== undefined ? { dryRun: step.dryRun } : {}),
  };
  const summary = await pipeline(onDemand, context);
  return { ...summary, organization: report as OrgJoinReport };
}
