/**
 * What invoked the function: an EventBridge schedule (rule or Scheduler) runs the audit the
 * environment configures; anything else is an on-demand payload that scopes one run, validated
 * strictly so a typo is an error naming the field, never a silently different run.
 */
import { z } from 'zod';
import { SeveritySchema } from '../analyze/engine/finding.ts';
import { AccountIdSchema } from '../collect/targets.ts';
import { RegionNameSchema } from '../config.ts';
import { formatZodError } from '../util/zod-error.ts';
import { NotifySchema } from './env.ts';

export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}

export const OnDemandPayloadSchema = z.strictObject({
  regions: z.union([z.literal('all'), z.array(RegionNameSchema).min(1)]).optional(),
  rules: z.array(z.string().min(1)).min(1).optional(),
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
  accounts: z.array(AccountIdSchema).min(1).max(1000).optional(),
});
export type OnDemandPayload = z.infer<typeof OnDemandPayloadSchema>;

export type Invocation = { kind: 'scheduled' } | { kind: 'on-demand'; payload: OnDemandPayload };

function isScheduledEvent(event: unknown): boolean {
  if (event === null || event === undefined) return true;
  if (typeof event !== 'object' || Array.isArray(event)) return false;
  const e = event as Record<string, unknown>;
  // An EventBridge rule's schedule: { source: "aws.events", "detail-type": "Scheduled Event", ... }.
  if (e['detail-type'] === 'Scheduled Event' || e.source === 'aws.events' || e.source === 'aws.scheduler')
    return true;
  // EventBridge Scheduler's templated Lambda target sends its Input, "{}" when none is set.
  return Object.keys(e).length === 0;
}

export function classifyEvent(event: unknown): Invocation {
  if (isScheduledEvent(event)) return { kind: 'scheduled' };
  const parsed = OnDemandPayloadSchema.safeParse(event);
  if (!parsed.success) {
    throw new PayloadError(`invalid payload: ${formatZodError(parsed.error).split('\n').join('; ')}`);
  }
  return { kind: 'on-demand', payload: parsed.data };
}
