/**
 * The payloads the organization state machine sends the function (template.yaml, OrgAuditStateMachine),
 * one per step, told apart by `mode`:
 * - `org-plan`: list the organization's active accounts, filter them, split them into region groups,
 *   write the run's plan to S3 and return its items (the Distributed Map iterates over them);
 * - `org-collect`: collect one item (an account, or an account and a region group) into a snapshot in
 *   S3 at the item's key;
 * - `org-join`: read every snapshot of the plan, join them into one inventory (an item without a
 *   snapshot is a coverage gap), analyze the organization as one network, run the lifecycle once and
 *   send one digest.
 * Each is validated strictly (an unknown field, a bad id or region is an error naming the field), as
 * the on-demand payload is (payload.ts).
 */
import { z } from 'zod';
import { SeveritySchema } from '../analyze/engine/finding.ts';
import { AccountIdSchema } from '../collect/targets.ts';
import { DECIMAL_INT, LIST_CAPS, RegionListSchema, RegionNameSchema } from '../config.ts';
import { formatZodError } from '../util/zod-error.ts';
import { NotifySchema } from './env.ts';
import { PayloadError } from './payload.ts';

export const ORG_MODES = ['org-plan', 'org-collect', 'org-join'] as const;

/**
 * The run's id: the state machine's execution name (1 to 80 characters; the console and EventBridge
 * name them with letters, digits, hyphens and underscores). It names the run's folder in S3.
 */
export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}$/, {
  error: (i) =>
    `${JSON.stringify(i.input)} is not a run id (1 to 80 letters, digits, hyphens, underscores and periods)`,
});

/** Where a run's objects live in the snapshot bucket. */
export const orgKeys = {
  prefix: (runId: string) => `runs/${runId}/`,
  plan: (runId: string) => `runs/${runId}/plan.json`,
  /** One item's snapshot: `all` for every region, `g<n>` for region group n. */
  snapshot: (runId: string, account: string, group?: number) =>
    `runs/${runId}/accounts/${account}/${group === undefined ? 'all' : `g${group}`}.json`,
};

const SNAPSHOT_KEY = /^runs\/[A-Za-z0-9_.-]{1,80}\/accounts\/\d{12}\/(all|g\d{1,4})\.json$/;

/** A comma list in one string, as CloudFormation parameters give it; empty for none. */
function commaList<T extends z.ZodType<string, string>>(item: T, what: string, cap: number) {
  return z
    .string({ error: `must be a comma list of ${what} in one string` })
    .transform((s) =>
      s.trim() === ''
        ? []
        : s
            .split(',')
            .map((v) => v.trim())
            .filter((v) => v !== ''),
    )
    .pipe(z.array(item).max(cap, { error: `at most ${cap} ${what}` }));
}

/**
 * Region groups: `"us-east-1,us-west-2;eu-west-1"`, groups split by `;`, regions by `,`. Empty for one
 * item per account. A region in two groups would be collected twice (and its findings doubled).
 */
const RegionGroupsSchema = z
  .string({ error: 'must be region groups in one string, like "us-east-1,us-west-2;eu-west-1"' })
  .transform((s) =>
    s.trim() === ''
      ? []
      : s.split(';').map((g) =>
          g
            .split(',')
            .map((r) => r.trim())
            .filter((r) => r !== ''),
        ),
  )
  .pipe(z.array(z.array(RegionNameSchema).min(1, { error: 'an empty region group' })).max(64))
  .superRefine((groups, ctx) => {
    const seen = new Map<string, number>();
    groups.forEach((g, i) => {
      for (const r of g) {
        const first = seen.get(r);
        if (first !== undefined && first !== i)
          ctx.addIssue({ code: 'custom', path: [i], message: `${r} is also in group ${first}` });
        seen.set(r, i);
      }
    });
  });

/** A whole number from a CloudFormation substitution (a string of digits) or a JSON number. */
function wholeNumber(min: number, max: number) {
  return z
    .union([z.number(), z.string().regex(DECIMAL_INT, { error: 'must be a whole number' }).transform(Number)])
    .pipe(
      z
        .number()
        .int()
        .min(min, { error: `must be from ${min} to ${max}` })
        .max(max, { error: `must be from ${min} to ${max}` }),
    );
}

export const OrgPlanPayloadSchema = z.strictObject({
  mode: z.literal('org-plan'),
  runId: RunIdSchema,
  includeAccounts: commaList(AccountIdSchema, 'accounts', LIST_CAPS.accounts).default([]),
  excludeAccounts: commaList(AccountIdSchema, 'accounts', LIST_CAPS.accounts).default([]),
  regionGroups: RegionGroupsSchema.default([]),
  /** Child executions at once (the Map's MaxConcurrencyPath); 0 is Step Functions' "as many as it can". */
  maxConcurrency: wholeNumber(0, 10_000).default(10),
  /** The Map's ToleratedFailurePercentagePath: above it, the map run fails (the join still runs). */
  toleratedFailurePercentage: wholeNumber(0, 100).default(10),
});

export const OrgItemSchema = z
  .strictObject({
    account: AccountIdSchema,
    /** The item's region group; absent for the function's regions (AUDIT_REGIONS). */
    regions: RegionListSchema.optional(),
    key: z.string().regex(SNAPSHOT_KEY, { error: 'is not a snapshot key of an organization run' }),
  })
  .refine((item) => item.key.split('/')[3] === item.account, {
    error: 'key: is not the snapshot key of this account',
  });
export type OrgItem = z.infer<typeof OrgItemSchema>;

export const OrgCollectPayloadSchema = z
  .strictObject({ mode: z.literal('org-collect'), runId: RunIdSchema, item: OrgItemSchema })
  .refine((p) => p.item.key.startsWith(orgKeys.prefix(p.runId)), {
    error: 'item.key: is not in this run',
    path: ['item', 'key'],
  });

export const OrgJoinPayloadSchema = z.strictObject({
  mode: z.literal('org-join'),
  runId: RunIdSchema,
  /** The map run's error (a Catch's `{Error, Cause}`), when it failed: the join still runs. */
  mapFailed: z.strictObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  notify: NotifySchema.optional(),
  minSeverity: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(SeveritySchema)
    .optional(),
  dryRun: z.boolean().optional(),
});

export type OrgPlanPayload = z.infer<typeof OrgPlanPayloadSchema>;
export type OrgCollectPayload = z.infer<typeof OrgCollectPayloadSchema>;
export type OrgJoinPayload = z.infer<typeof OrgJoinPayloadSchema>;
export type OrgPayload = OrgPlanPayload | OrgCollectPayload | OrgJoinPayload;

/** Whether an event is a step of the organization state machine (it carries `mode`). */
export function isOrgStep(event: unknown): event is { mode: unknown } & Record<string, unknown> {
  return typeof event === 'object' && event !== null && !Array.isArray(event) && 'mode' in event;
}

const SCHEMAS = {
  'org-plan': OrgPlanPayloadSchema,
  'org-collect': OrgCollectPayloadSchema,
  'org-join': OrgJoinPayloadSchema,
} as const;

/** Validate an organization step's payload; an error names the field. */
export function parseOrgPayload(event: { mode: unknown } & Record<string, unknown>): OrgPayload {
  const mode = event.mode;
  if (typeof mode !== 'string' || !(mode in SCHEMAS)) {
    throw new PayloadError(
      `invalid payload: mode: must be one of ${ORG_MODES.join(', ')}, got ${JSON.stringify(mode)}`,
    );
  }
  const parsed = SCHEMAS[mode as keyof typeof SCHEMAS].safeParse(event);
  if (!parsed.success) {
    throw new PayloadError(`invalid ${mode} payload: ${formatZodError(parsed.error).split('\n').join('; ')}`);
  }
  return parsed.data;
}
