/**
 * AuditConfig: everything one run needs, validated with zod from flags, payloads or the environment.
 * Every error names the field it is about. What the rule patterns and options mean (which rules, which
 * option values) is the engine's: analyze/engine/selection.ts.
 */
import { z } from 'zod';
import { SeveritySchema } from './analyze/engine/finding.ts';
import { RuleIdPatternSchema, RuleSelectionError, resolveRuleRuns } from './analyze/engine/selection.ts';
import { AccountTargetsSchema } from './collect/targets.ts';
import { formatZodError } from './util/zod-error.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const RegionNameSchema = z.string().regex(REGION_RE, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an AWS region name (like us-east-1)`,
});

export const RegionSelectionSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('current') }),
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({ mode: z.literal('list'), regions: z.array(RegionNameSchema).min(1) }),
]);
export type RegionSelection = z.infer<typeof RegionSelectionSchema>;

export const CollectSettingsSchema = z.strictObject({
  jobWindowDays: z.number().int().min(1).max(3650).default(30),
  maxJobsPerKind: z.number().int().min(1).max(1_000_000).default(5_000),
  describeConcurrency: z.number().int().min(1).max(64).default(8),
  regionConcurrency: z.number().int().min(1).max(32).default(4),
  /** Collection time budget in ms (the Lambda passes its remaining time); absent for none. */
  timeBudgetMs: z.number().int().positive().optional(),
  maxAttempts: z.number().int().min(1).max(20).default(6),
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000),
});
export type CollectSettings = z.infer<typeof CollectSettingsSchema>;

export const AuditConfigSchema = z.strictObject({
  regions: RegionSelectionSchema.default({ mode: 'current' }),
  /** Rule ids or globs to run. */
  rules: z.array(RuleIdPatternSchema).min(1).default(['*']),
  /** Findings below this severity are left out of the output. */
  minSeverity: SeveritySchema.default('INFO'),
  /** Options per rule id; each is validated by the rule's own schema. */
  ruleOptions: z.record(z.string(), z.unknown()).default({}),
  collect: CollectSettingsSchema.default(CollectSettingsSchema.parse({})),
  /** Other accounts to audit through an assumed role; absent for the caller's own account. */
  accounts: AccountTargetsSchema.optional(),
});
export type AuditConfig = z.infer<typeof AuditConfigSchema>;

export function parseAuditConfig(input: unknown, prefix = ''): AuditConfig {
  const parsed = AuditConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(formatZodError(parsed.error, prefix));
  // Validate rule options now, so a bad option fails before any AWS call.
  try {
    resolveRuleRuns(parsed.data);
  } catch (err) {
    if (err instanceof RuleSelectionError) throw new ConfigError(err.message);
    throw err;
  }
  return parsed.data;
}

/** Parse "us-east-1,eu-west-1" or "all" into a region selection. */
export function parseRegionsFlag(value: string | undefined): RegionSelection {
  if (value === undefined || value.trim() === '') return { mode: 'current' };
  if (value.trim().toLowerCase() === 'all') return { mode: 'all' };
  return {
    mode: 'list',
    regions: [
      ...new Set(
        value
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      ),
    ],
  };
}
