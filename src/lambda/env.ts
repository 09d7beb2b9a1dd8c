/**
 * The function's configuration, from its environment (names are part of the contract). A bad value
 * fails at start-up with a message naming the variable.
 */
import { z } from 'zod';
import { SeveritySchema } from '../analyze/engine/finding.ts';
import { AccountIdSchema, ExternalIdSchema, RoleNameSchema } from '../collect/targets.ts';
import { RegionNameSchema } from '../config.ts';
import { formatZodError } from '../util/zod-error.ts';

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

export const NOTIFY_MODES = ['none', 'new', 'all'] as const;
export const NotifySchema = z.enum(NOTIFY_MODES);
export type Notify = z.infer<typeof NotifySchema>;

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

const optional = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());

export const LambdaEnvSchema = z.object({
  FINDINGS_TOPIC_ARN: z
    .string()
    .regex(SNS_TOPIC_ARN, { error: (i) => `${JSON.stringify(i.input)} is not an SNS topic ARN` })
    .optional(),
  /** A comma list of regions, or "all"; default the function's own region. */
  AUDIT_REGIONS: z.union([z.literal('all'), z.array(RegionNameSchema).min(1)]).optional(),
  MIN_ALERT_SEVERITY: SeveritySchema.default('HIGH'),
  JOB_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Rule ids or globs to run (comma list); default every rule. */
  AUDIT_RULES: z.array(z.string()).min(1).optional(),
  /** Default digest policy of scheduled runs. */
  NOTIFY: NotifySchema.default('new'),
  /** Time kept back from the Lambda's remaining time for analysis and publishing, ms. */
  PUBLISH_RESERVE_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  /** The finding-state table; without it `new` treats every finding as new. */
  STATE_TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, {
      error: (i) => `${JSON.stringify(i.input)} is not a DynamoDB table name`,
    })
    .optional(),
  /** Days between reminder digests of everything open (notify=new, with state); 0 = never. */
  REMINDER_INTERVAL_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /** Suppressions document: an S3 object (s3://bucket/key) and/or an SSM parameter name. */
  SUPPRESSIONS_S3_URI: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/, {
      error: (i) => `${JSON.stringify(i.input)} is not an s3://bucket/key URI`,
    })
    .optional(),
  SUPPRESSIONS_PARAMETER: z
    .string()
    .regex(/^[A-Za-z0-9_.\-/]{1,2048}$/, {
      error: (i) => `${JSON.stringify(i.input)} is not an SSM parameter name`,
    })
    .optional(),
  /** Accounts to audit through AUDIT_ROLE_NAME (comma list); absent for the function's own account. */
  ACCOUNTS: z.array(AccountIdSchema).min(1).optional(),
  /** The audit role deployed in every member account (templates/member-role.yaml). */
  AUDIT_ROLE_NAME: RoleNameSchema.optional(),
  AUDIT_EXTERNAL_ID: ExternalIdSchema.optional(),
  /** Accounts collected side by side in one invocation. */
  ACCOUNT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Where each run's JSON and OCSF are written (account/region/date/run-id); absent for nowhere. */
  RESULTS_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      error: (i) => `${JSON.stringify(i.input)} is not an S3 bucket name`,
    })
    .optional(),
  AWS_REGION: RegionNameSchema,
});
export type LambdaEnv = z.infer<typeof LambdaEnvSchema>;

function list(value: string | undefined): string[] | undefined {
  const v = optional(value);
  return v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

/** Parse the environment; throws EnvError naming each bad variable. */
export function loadLambdaEnv(env: NodeJS.ProcessEnv): LambdaEnv {
  const regions = optional(env.AUDIT_REGIONS);
  const input = {
    FINDINGS_TOPIC_ARN: optional(env.FINDINGS_TOPIC_ARN),
    AUDIT_REGIONS:
      regions === undefined ? undefined : regions.toLowerCase() === 'all' ? 'all' : list(regions),
    MIN_ALERT_SEVERITY: optional(env.MIN_ALERT_SEVERITY)?.toUpperCase(),
    JOB_WINDOW_DAYS: optional(env.JOB_WINDOW_DAYS),
    AUDIT_RULES: list(env.AUDIT_RULES),
    NOTIFY: optional(env.NOTIFY)?.toLowerCase(),
    PUBLISH_RESERVE_MS: optional(env.PUBLISH_RESERVE_MS),
    STATE_TABLE_NAME: optional(env.STATE_TABLE_NAME),
    REMINDER_INTERVAL_DAYS: optional(env.REMINDER_INTERVAL_DAYS),
    SUPPRESSIONS_S3_URI: optional(env.SUPPRESSIONS_S3_URI),
    SUPPRESSIONS_PARAMETER: optional(env.SUPPRESSIONS_PARAMETER),
    ACCOUNTS: list(env.ACCOUNTS),
    AUDIT_ROLE_NAME: optional(env.AUDIT_ROLE_NAME),
    AUDIT_EXTERNAL_ID: optional(env.AUDIT_EXTERNAL_ID),
    ACCOUNT_CONCURRENCY: optional(env.ACCOUNT_CONCURRENCY),
    RESULTS_BUCKET: optional(env.RESULTS_BUCKET),
    AWS_REGION: optional(env.AWS_REGION) ?? optional(env.AWS_DEFAULT_REGION),
  };
  const parsed = LambdaEnvSchema.safeParse(input);
  if (!parsed.success) {
    throw new EnvError(`invalid environment:\n${formatZodError(parsed.error).replace(/^/gm, '  ')}`);
  }
  return parsed.data;
}
