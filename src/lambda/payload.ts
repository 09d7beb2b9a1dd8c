/**
 * What invoked the function. A schedule runs the audit the environment configures; anything else is an
 * on-demand payload that scopes one run, validated strictly so a typo is an error naming the field,
 * never a silently different run.
 *
 * A schedule is recognized by the whole event, never by one field, so a payload cannot pass itself off
 * as one (`{"source": "aws.events", "dryRun": true, ...}` is an on-demand payload with two unknown
 * fields, and is rejected). The scheduled shapes:
 * - an EventBridge rule's schedule target (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html):
 *   `{version: "0", id, "detail-type": "Scheduled Event", source: "aws.events", account, time,
 *   region, resources: [the rule's ARN], detail: {}}`, exactly these fields;
 * - EventBridge Scheduler's default notification to a templated Lambda target without Input
 *   (https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Target.html): the same envelope
 *   with `source: "aws.scheduler"`, the schedule's ARN in `resources` and `detail: "{}"`;
 * - EventBridge Scheduler with Input `{}` (and `aws lambda invoke` without a payload): `{}`, which an
 *   on-demand payload could not tell apart anyway, as it changes nothing.
 */
import { z } from 'zod';
import { SeveritySchema } from '../analyze/engine/finding.ts';
import { SCOPE_MODES } from '../analyze/engine/ml-scope.ts';
import { RuleIdPatternSchema } from '../analyze/engine/selection.ts';
import { AccountIdSchema } from '../collect/targets.ts';
import { AllOrRegionsSchema, cappedList, LIST_CAPS, RegionNameSchema } from '../config.ts';
import { formatZodError } from '../util/zod-error.ts';
import { NotifySchema } from './env.ts';

export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

/** An unknown field, named unambiguously (JSON-quoted, a long one cut) with the fields there are. */
function unknownFields(keys: readonly string[]): string {
  const name = (k: string) => JSON.stringify(k.length > 64 ? `${k.slice(0, 64)}…` : k);
  const shown = keys.slice(0, 10).map(name).join(', ');
  const more = keys.length > 10 ? ` and ${keys.length - 10} more` : '';
  return `unknown field${keys.length === 1 ? '' : 's'} ${shown}${more} (the fields are ${PAYLOAD_FIELDS.join(', ')})`;
}

const PAYLOAD_FIELDS = [
  'regions',
  'rules',
  'excludeRules',
  'scope',
  'minSeverity',
  'notify',
  'dryRun',
  'jobWindowDays',
  'accounts',
  'hashNames',
];

export const OnDemandPayloadSchema = z.strictObject(
  {
    regions: AllOrRegionsSchema.optional(),
    rules: cappedList(RuleIdPatternSchema, 'rules', LIST_CAPS.rules).optional(),
    /** Rule ids or globs left out of this run (default AUDIT_EXCLUDE_RULES). */
    excludeRules: cappedList(RuleIdPatternSchema, 'rules', LIST_CAPS.rules).optional(),
    /** `ml` or `account` for this run (default AUDIT_SCOPE). */
    scope: z.enum(SCOPE_MODES).optional(),
    /** The alert threshold for this run (default MIN_ALERT_SEVERITY). Every finding is still logged. */
    minSeverity: z
      .string()
      .transform((s) => s.toUpperCase())
      .pipe(SeveritySchema)
      .optional(),
    notify: NotifySchema.optional(),
    /** Run and report, but publish nothing (no SNS digest). */
    dryRun: z.boolean().optional(),
    jobWindowDays: z.number().int().min(1).max(3650).optional(),
    /** Audit these accounts through AUDIT_ROLE_NAME (the organization state machine sends one). */
    accounts: cappedList(AccountIdSchema, 'accounts', LIST_CAPS.accounts).optional(),
    /** Keep the EC2 Name tag only as a hash for this run (default HASH_NAMES). */
    hashNames: z.boolean().optional(),
  },
  {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownFields(issue.keys) : undefined),
  },
);
export type OnDemandPayload = z.infer<typeof OnDemandPayloadSchema>;

export type Invocation = { kind: 'scheduled' } | { kind: 'on-demand'; payload: OnDemandPayload };

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** EventBridge's `time`: an ISO 8601 UTC timestamp, second precision (`2026-11-22T06:00:00Z`). */
const EVENT_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const PARTITION = 'aws(-cn|-us-gov|-iso|-iso-[a-z])?';
const RULE_ARN = new RegExp(`^arn:${PARTITION}:events:[a-z0-9-]+:\\d{12}:rule/[.\\-_A-Za-z0-9/]{1,320}$`);
const SCHEDULE_ARN = new RegExp(
  `^arn:${PARTITION}:scheduler:[a-z0-9-]+:\\d{12}:schedule/[.\\-_A-Za-z0-9/]{1,320}$`,
);

const envelope = {
  version: z.literal('0'),
  id: z.string().regex(EVENT_ID),
  'detail-type': z.literal('Scheduled Event'),
  account: AccountIdSchema,
  time: z.string().regex(EVENT_TIME),
  region: RegionNameSchema,
};

const ScheduledEventSchema = z.union([
  z.strictObject({
    ...envelope,
    source: z.literal('aws.events'),
    resources: z.array(z.string().regex(RULE_ARN)).length(1),
    detail: z.strictObject({}),
  }),
  z.strictObject({
    ...envelope,
    source: z.literal('aws.scheduler'),
    resources: z.array(z.string().regex(SCHEDULE_ARN)).length(1),
    detail: z.union([z.literal('{}'), z.strictObject({})]),
  }),
]);

function isScheduledEvent(event: unknown): boolean {
  if (event === null || event === undefined) return true;
  if (typeof event === 'object' && !Array.isArray(event) && Object.keys(event).length === 0) return true;
  return ScheduledEventSchema.safeParse(event).success;
}

/** The event's EventBridge envelope fields, when it carries any: said in the error, as a hint. */
const ENVELOPE_FIELDS = ['source', 'detail-type', 'detail', 'resources', 'version', 'id', 'time'];

export function classifyEvent(event: unknown): Invocation {
  if (isScheduledEvent(event)) return { kind: 'scheduled' };
  if (typeof event !== 'object' || Array.isArray(event)) {
    throw new PayloadError(
      `invalid payload: must be a JSON object such as {"regions":["us-east-1"],"dryRun":true}, got ${Array.isArray(event) ? 'an array' : typeof event}`,
    );
  }
  const parsed = OnDemandPayloadSchema.safeParse(event);
  if (!parsed.success) {
    const looksScheduled = ENVELOPE_FIELDS.some((f) => Object.hasOwn(event as object, f));
    const hint = looksScheduled
      ? ' (it is not an EventBridge or Scheduler scheduled event either: those are recognized by their whole envelope, so nothing was run)'
      : '';
    throw new PayloadError(`invalid payload: ${formatZodError(parsed.error).split('\n').join('; ')}${hint}`);
  }
  return { kind: 'on-demand', payload: parsed.data };
}
