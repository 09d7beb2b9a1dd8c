/**
 * The function's configuration, from its environment (names are part of the contract). A bad value
 * fails at start-up with a message naming the variable.
 */
import { z } from 'zod';
import { SeveritySchema } from '../analyze/engine/finding.ts';
import { SCOPE_MODES } from '../analyze/engine/ml-scope.ts';
import { RuleIdPatternSchema } from '../analyze/engine/selection.ts';
import { AccountIdSchema, ExternalIdSchema, RoleNameSchema } from '../collect/targets.ts';
import { AllOrRegionsSchema, cappedList, DECIMAL_INT, LIST_CAPS, RegionNameSchema } from '../config.ts';
import { formatZodError } from '../util/zod-error.ts';

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

export const NOTIFY_MODES = ['none', 'new', 'all'] as const;
export const NotifySchema = z.enum(NOTIFY_MODES);
export type Notify = z.infer<typeof NotifySchema>;

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

const optional = (s: string | undefined) => (s === undefined || s.trim() === '' ? undefined : s.trim());

/** A whole number written in decimal digits only (DECIMAL_INT), from `min` to `max`. */
export function decimalInt(min: number, max: number) {
  return z
    .string()
    .regex(DECIMAL_INT, {
      error: (i) =>
        `${JSON.stringify(i.input)} is not a whole number in decimal digits (from ${min} to ${max})`,
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be from ${min} to ${max}` })
        .max(max, { error: `must be from ${min} to ${max}` }),
    );
}

/** Powertools Logger's levels (https://docs.aws.amazon.com/powertools/typescript/latest/core/logger/), any case. */
export const POWERTOOLS_LOG_LEVELS = [
  'TRACE',
  'DEBUG',
  'INFO',
  'WARN',
  'ERROR',
  'CRITICAL',
  'SILENT',
] as const;

/**
 * A CloudWatch namespace as CloudWatch accepts it: 1 to 255 characters, each a letter, digit, period,
 * hyphen, underscore, slash, hash, colon or space, at least one not a space, not starting with a colon
 * (PutMetricData's pattern `[^:].*`) and not `AWS/` (reserved for AWS services). See
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Namespace
 * and https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html.
 */
export const MetricsNamespaceSchema = z
  .string()
  .regex(/^[A-Za-z0-9 ._/#:-]{1,255}$/, {
    error: (i) =>
      `${JSON.stringify(i.input)} is not a CloudWatch namespace (1 to 255 letters, digits, spaces and . - _ / # :)`,
  })
  .refine((ns) => ns.trim() !== '' && !ns.startsWith(':') && !ns.startsWith('AWS/'), {
    error: (i) =>
      `${JSON.stringify(i.input)} is not a CloudWatch namespace (it must hold a non-space character, and may not start with ":" or "AWS/")`,
  });

/** The `service` dimension's value: a CloudWatch dimension value is 1 to 1024 characters; no control characters. */
const ServiceNameSchema = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^\p{Cc}]+$/u, { error: 'must not hold control characters' });

export const LambdaEnvSchema = z.object({
  FINDINGS_TOPIC_ARN: z
    .string()
    .regex(SNS_TOPIC_ARN, { error: (i) => `${JSON.stringify(i.input)} is not an SNS topic ARN` })
    .optional(),
  /** A comma list of regions, or "all"; default the function's own region. */
  AUDIT_REGIONS: AllOrRegionsSchema.optional(),
  MIN_ALERT_SEVERITY: SeveritySchema.default('HIGH'),
  JOB_WINDOW_DAYS: decimalInt(1, 3650).default(30),
  /** Rule ids or globs to run (comma list); default every rule. Each must match a rule. */
  AUDIT_RULES: cappedList(RuleIdPatternSchema, 'rules', LIST_CAPS.rules).optional(),
  /** Rule ids or globs left out (comma list). */
  AUDIT_EXCLUDE_RULES: cappedList(RuleIdPatternSchema, 'rules', LIST_CAPS.rules).optional(),
  /** Import findings into AWS Security Hub (BatchImportFindings), archiving resolved ones. */
  SECURITY_HUB: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  /** `ml` (default): the network around ML resources; `account`: account-wide hygiene too. */
  AUDIT_SCOPE: z.enum(SCOPE_MODES).default('ml'),
  /** Default digest policy of scheduled runs. */
  NOTIFY: NotifySchema.default('new'),
  /** Time kept back from the Lambda's remaining time for analysis and publishing, ms. */
  PUBLISH_RESERVE_MS: decimalInt(1_000, 600_000).default(60_000),
  /** The finding-state table; without it `new` treats every finding as new. */
  STATE_TABLE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,255}$/, {
      error: (i) => `${JSON.stringify(i.input)} is not a DynamoDB table name`,
    })
    .optional(),
  /** Days between reminder digests of everything open (notify=new, with state); 0 = never. */
  REMINDER_INTERVAL_DAYS: decimalInt(0, 365).default(7),
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
  ACCOUNTS: cappedList(AccountIdSchema, 'accounts', LIST_CAPS.accounts).optional(),
  /** The audit role deployed in every member account (templates/member-role.yaml). */
  AUDIT_ROLE_NAME: RoleNameSchema.optional(),
  AUDIT_EXTERNAL_ID: ExternalIdSchema.optional(),
  /** Accounts collected side by side in one invocation. */
  ACCOUNT_CONCURRENCY: decimalInt(1, 64).default(4),
  /** Where each run's JSON and OCSF are written (account/region/date/run-id); absent for nowhere. */
  RESULTS_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      error: (i) => `${JSON.stringify(i.input)} is not an S3 bucket name`,
    })
    .optional(),
  /** Organization mode: the bucket of each run's plan and per-account snapshots (the state machine's). */
  ORG_SNAPSHOT_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      error: (i) => `${JSON.stringify(i.input)} is not an S3 bucket name`,
    })
    .optional(),
  /** "true": keep the EC2 Name tag only as a hash, like every other tag value (default "false"). */
  HASH_NAMES: z
    .enum(['true', 'false'], { error: (i) => `${JSON.stringify(i.input)} is not "true" or "false"` })
    .default('false')
    .transform((v) => v === 'true'),
  AWS_REGION: RegionNameSchema,
  /** Read by Powertools itself; checked here so a typo fails the init instead of logging at INFO. */
  POWERTOOLS_LOG_LEVEL: z
    .string()
    .transform((s) => s.toUpperCase())
    .pipe(
      z.enum(POWERTOOLS_LOG_LEVELS, {
        error: (i) =>
          `${JSON.stringify(i.input)} is not a Powertools log level (${POWERTOOLS_LOG_LEVELS.join(', ')}, any case)`,
      }),
    )
    .optional(),
  POWERTOOLS_METRICS_NAMESPACE: MetricsNamespaceSchema.default('MlNetworkAudit'),
  POWERTOOLS_SERVICE_NAME: ServiceNameSchema.default('ml-network-audit'),
});
export type LambdaEnv = z.infer<typeof LambdaEnvSchema>;

/**
 * A comma list, items trimmed. Empty items are kept (and then refused by the item's schema, naming
 * `VAR[i]`): `us-east-1,,` is a typo, not one region.
 */
function list(value: string | undefined): string[] | undefined {
  const v = optional(value);
  return v === undefined ? undefined : v.split(',').map((s) => s.trim());
}

/** A number's text as given (only an unset or empty variable is absent): ` 7` is not 7. */
function numeric(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** Parse the environment; throws EnvError naming each bad variable. */
export function loadLambdaEnv(env: NodeJS.ProcessEnv): LambdaEnv {
  const regions = optional(env.AUDIT_REGIONS);
  const input = {
    FINDINGS_TOPIC_ARN: optional(env.FINDINGS_TOPIC_ARN),
    AUDIT_REGIONS:
      regions === undefined ? undefined : regions.toLowerCase() === 'all' ? 'all' : list(regions),
    MIN_ALERT_SEVERITY: optional(env.MIN_ALERT_SEVERITY)?.toUpperCase(),
    JOB_WINDOW_DAYS: numeric(env.JOB_WINDOW_DAYS),
    AUDIT_RULES: list(env.AUDIT_RULES),
    AUDIT_EXCLUDE_RULES: list(env.AUDIT_EXCLUDE_RULES),
    AUDIT_SCOPE: optional(env.AUDIT_SCOPE)?.toLowerCase(),
    SECURITY_HUB: optional(env.SECURITY_HUB)?.toLowerCase(),
    NOTIFY: optional(env.NOTIFY)?.toLowerCase(),
    PUBLISH_RESERVE_MS: numeric(env.PUBLISH_RESERVE_MS),
    STATE_TABLE_NAME: optional(env.STATE_TABLE_NAME),
    REMINDER_INTERVAL_DAYS: numeric(env.REMINDER_INTERVAL_DAYS),
    SUPPRESSIONS_S3_URI: optional(env.SUPPRESSIONS_S3_URI),
    SUPPRESSIONS_PARAMETER: optional(env.SUPPRESSIONS_PARAMETER),
    ACCOUNTS: list(env.ACCOUNTS),
    AUDIT_ROLE_NAME: optional(env.AUDIT_ROLE_NAME),
    AUDIT_EXTERNAL_ID: optional(env.AUDIT_EXTERNAL_ID),
    ACCOUNT_CONCURRENCY: numeric(env.ACCOUNT_CONCURRENCY),
    RESULTS_BUCKET: optional(env.RESULTS_BUCKET),
    ORG_SNAPSHOT_BUCKET: optional(env.ORG_SNAPSHOT_BUCKET),
    HASH_NAMES: optional(env.HASH_NAMES)?.toLowerCase(),
    AWS_REGION: optional(env.AWS_REGION) ?? optional(env.AWS_DEFAULT_REGION),
    POWERTOOLS_LOG_LEVEL: optional(env.POWERTOOLS_LOG_LEVEL),
    POWERTOOLS_METRICS_NAMESPACE: optional(env.POWERTOOLS_METRICS_NAMESPACE),
    POWERTOOLS_SERVICE_NAME: optional(env.POWERTOOLS_SERVICE_NAME),
  };
  const parsed = LambdaEnvSchema.safeParse(input);
  if (!parsed.success) {
    throw new EnvError(`invalid environment:\n${formatZodError(parsed.error).replace(/^/gm, '  ')}`);
  }
  return parsed.data;
}
