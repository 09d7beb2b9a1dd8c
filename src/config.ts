/**
 * AuditConfig: everything one run needs, validated with zod from flags, payloads or the environment.
 * Every error names the field it is about. What the rule patterns and options mean (which rules, which
 * option values) is the engine's: analyze/engine/selection.ts.
 */
import { z } from 'zod';
import { SeveritySchema } from './analyze/engine/finding.ts';
import { SCOPE_MODES } from './analyze/engine/ml-scope.ts';
import { RuleIdPatternSchema, RuleSelectionError, resolveRuleRuns } from './analyze/engine/selection.ts';
import { type AccountTargets, AccountTargetsSchema } from './collect/targets.ts';
import { formatZodError } from './util/zod-error.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * An AWS region name: a geography prefix, an optional partition or country segment (`gov`, `iso`,
 * `isob`, `isoe`, `isof`, `de`), a compass direction (or `central`) and a number: `us-east-1`,
 * `us-gov-west-1`, `cn-northwest-1`, `us-isob-east-1`, `eusc-de-east-1`. The prefixes are the ones AWS
 * uses (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html), so a typo
 * such as `mars-north-9` or `us-est-1` is refused here instead of becoming an unreachable endpoint.
 */
const REGION_RE =
  /^(af|ap|ca|cn|eu|eusc|il|me|mx|sa|us)(-(gov|iso|isob|isoe|isof|de))?-(central|north|south|east|west|northeast|northwest|southeast|southwest)-\d{1,2}$/;
export const RegionNameSchema = z.string().regex(REGION_RE, {
  error: (issue) => `${JSON.stringify(issue.input)} is not an AWS region name (like us-east-1)`,
});

/**
 * Caps on the lists one run takes, from a payload, a flag or the environment. A longer list is an error
 * naming the field and the cap (checked before any item is validated, so a huge list costs nothing);
 * repeats are dropped. The caps come from what AWS has:
 * - regions 64: AWS has about 40 regions across all its partitions (commercial, China, GovCloud,
 *   ISO), so 64 leaves room for growth and anything longer can only hold repeats or typos;
 * - accounts 10,000: an organization's account quota starts at 10 and is raised on request; the
 *   largest organizations hold a few thousand accounts, so 10,000 bounds one run without cutting a
 *   real organization short (organization mode audits each account in its own invocation anyway);
 * - rules 200: the catalogue has a few dozen rules, and ids or globs beyond 200 can only be repeats.
 */
/**
 * A whole number as settings are written: decimal digits only. Never `Number()` on the text alone: it
 * reads `0x10` as 16, `1e3` as 1000, ` 7 ` as 7 and `` as 0, so a typo would become a setting.
 */
export const DECIMAL_INT = /^\d{1,15}$/;

export const LIST_CAPS = { regions: 64, accounts: 10_000, rules: 200 } as const;

/**
 * A list of `item`s, 1 to `cap` long, without repeats (first occurrence kept). `what` names the items
 * in the error ("regions").
 */
export function cappedList<T extends z.ZodType<string, string>>(item: T, what: string, cap: number) {
  return z
    .array(z.unknown(), { error: `must be a list of ${what}` })
    .min(1, { error: `must name at least one of the ${what}` })
    .max(cap, {
      error: (issue) =>
        `at most ${cap} ${what} (got ${Array.isArray(issue.input) ? issue.input.length : 'more'})`,
    })
    .pipe(z.array(item))
    .transform((items) => [...new Set(items as string[])]);
}

export const RegionListSchema = cappedList(RegionNameSchema, 'regions', LIST_CAPS.regions);

/**
 * `"all"` or a region list, with the list's own errors (a union would only say "Invalid input").
 */
export const AllOrRegionsSchema = z.unknown().transform((value, ctx): 'all' | string[] => {
  if (value === 'all') return 'all';
  if (typeof value === 'string') {
    ctx.addIssue({
      code: 'custom',
      message: `must be "all" or a list of regions, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  const parsed = RegionListSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: [...issue.path], input: value });
  return z.NEVER;
});

export const RegionSelectionSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('current') }),
  z.strictObject({ mode: z.literal('all') }),
  z.strictObject({ mode: z.literal('list'), regions: RegionListSchema }),
]);
export type RegionSelection = z.infer<typeof RegionSelectionSchema>;

export const CollectSettingsSchema = z.strictObject({
  jobWindowDays: z.number().int().min(1).max(3650).default(30),
  // 30 days of a 1,000-jobs-a-day account: through Search, 300 calls and about 35 MB of heap (bench:collect).
  maxJobsPerKind: z.number().int().min(1).max(1_000_000).default(30_000),
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
  rules: cappedList(RuleIdPatternSchema, 'rules', LIST_CAPS.rules).default(['*']),
  /** Rule ids or globs left out of `rules`. */
  excludeRules: cappedList(RuleIdPatternSchema, 'rules', LIST_CAPS.rules).optional(),
  /**
   * `ml` (default): findings about the network around ML resources only; `account`: account-wide
   * hygiene too (analyze/engine/ml-scope.ts).
   */
  scope: z.enum(SCOPE_MODES).default('ml'),
  /** Findings below this severity are left out of the output. */
  minSeverity: SeveritySchema.default('INFO'),
  /** Options per rule id; each is validated by the rule's own schema. */
  ruleOptions: z.record(z.string(), z.unknown()).default({}),
  collect: CollectSettingsSchema.default(CollectSettingsSchema.parse({})),
  /** Other accounts to audit through an assumed role; absent for the caller's own account. */
  accounts: AccountTargetsSchema.superRefine(capAccounts).optional(),
  /** Keep the EC2 Name tag only as a hash, like every other tag value (--hash-names, HASH_NAMES). */
  hashNames: z.boolean().default(false),
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

/** The account lists of account targets hold at most LIST_CAPS.accounts ids each. */
function capAccounts(targets: AccountTargets, ctx: z.RefinementCtx): void {
  const lists =
    targets.source === 'list'
      ? { accounts: targets.accounts }
      : { include: targets.include, exclude: targets.exclude };
  for (const [field, ids] of Object.entries(lists)) {
    if (ids.length > LIST_CAPS.accounts)
      ctx.addIssue({
        code: 'custom',
        path: [field],
        message: `at most ${LIST_CAPS.accounts} accounts (got ${ids.length})`,
      });
  }
}

/**
 * Split a comma list (a flag's or an environment variable's value). An empty value or an empty item
 * (`a,,b`, a trailing comma) is an error naming `name`: it is a typo, never "nothing" or "the default".
 * More than `cap` items is an error too, before anything else is done with them.
 */
export function splitList(value: string, name: string, cap: number): string[] {
  const items = value.split(',').map((v) => v.trim());
  if (items.length > cap) throw new ConfigError(`${name}: at most ${cap} items (got ${items.length})`);
  if (items.every((v) => v === '')) throw new ConfigError(`${name}: is empty`);
  const empty = items.indexOf('');
  if (empty >= 0) throw new ConfigError(`${name}: item ${empty + 1} of ${JSON.stringify(value)} is empty`);
  return [...new Set(items)];
}

/**
 * Parse "us-east-1,eu-west-1" or "all" into a region selection; absent for the current region. An
 * empty value or item is an error naming `name` (the flag).
 */
export function parseRegionsFlag(value: string | undefined, name = '--regions'): RegionSelection {
  if (value === undefined) return { mode: 'current' };
  if (value.trim().toLowerCase() === 'all') return { mode: 'all' };
  return { mode: 'list', regions: splitList(value, name, LIST_CAPS.regions) };
}
