/**
 * The CLI's flag parsers and what the flags turn into: numbers in decimal digits only, comma lists
 * without empty items and within their caps, account targets from the flags (or ACCOUNTS,
 * AUDIT_ROLE_NAME, AUDIT_EXTERNAL_ID), and config field names back to the flags a user typed. Every
 * refusal names the flag (or variable); cli.ts turns it into exit 2.
 */
import { InvalidArgumentError } from 'commander';
import { parseSeverity, type Severity } from './analyze/engine/finding.ts';
import {
  type AuditConfig,
  ConfigError,
  DECIMAL_INT,
  LIST_CAPS,
  parseRegionsFlag,
  splitList,
} from './config.ts';
import type { Inventory } from './inventory/schema.ts';

/** Errors that are the user's input, not our failure: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A whole number from `min` to `max`, in decimal digits only (DECIMAL_INT). */
export function intFlag(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = DECIMAL_INT.test(value) ? Number(value) : Number.NaN;
    if (!(n >= min && n <= max)) {
      throw new InvalidArgumentError(
        `${name} must be a whole number in decimal digits from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return n;
  };
}

export function severityFlag(name: string, allowNone: boolean) {
  return (value: string): Severity | 'NONE' => {
    if (allowNone && value.trim().toLowerCase() === 'none') return 'NONE';
    const s = parseSeverity(value);
    if (!s) {
      throw new InvalidArgumentError(
        `${name} must be one of critical, high, medium, low, info${allowNone ? ', none' : ''}; got "${value}"`,
      );
    }
    return s;
  };
}

/** A comma list flag: no empty value or item, at most `cap` items, repeats dropped. */
export function listFlag(name: string, cap: number) {
  return (value: string): string[] => {
    try {
      return splitList(value, name, cap);
    } catch (err) {
      if (err instanceof ConfigError) throw new InvalidArgumentError(err.message);
      throw err;
    }
  };
}

/**
 * --profile: a profile name of the shared config and credentials files (~/.aws/config,
 * ~/.aws/credentials). Whether it exists is the SDK's to say (a missing one fails as "no AWS credentials
 * could be loaded", exit 1); here only what can never be a profile name is refused.
 */
export function profileFlag(value: string): string {
  if (!/^[^\s\p{Cc}[\]]{1,128}$/u.test(value))
    throw new InvalidArgumentError(
      `--profile must be a profile name (1 to 128 characters, no spaces or brackets), got ${JSON.stringify(value)}`,
    );
  return value;
}

/** --regions: "all" or a region list without empty items (checked again, by name, in the config). */
export function regionsFlag(value: string): string {
  try {
    parseRegionsFlag(value, '--regions');
  } catch (err) {
    if (err instanceof ConfigError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return value;
}

export interface AccountFlags {
  accounts?: string[];
  orgAccounts?: boolean;
  includeAccounts?: string[];
  excludeAccounts?: string[];
  roleName?: string;
  externalId?: string;
  accountConcurrency?: number;
}

/** The account flags given on the command line, by flag name (a snapshot takes none of them). */
export function accountFlagsGiven(flags: AccountFlags): string[] {
  const given: [string, unknown][] = [
    ['--accounts', flags.accounts],
    ['--org-accounts', flags.orgAccounts],
    ['--include-accounts', flags.includeAccounts],
    ['--exclude-accounts', flags.excludeAccounts],
    ['--role-name', flags.roleName],
    ['--external-id', flags.externalId],
    ['--account-concurrency', flags.accountConcurrency],
  ];
  return given.filter(([, v]) => v !== undefined && v !== false).map(([name]) => name);
}

/** --accounts / --org-accounts (or ACCOUNTS, AUDIT_ROLE_NAME, AUDIT_EXTERNAL_ID) into account targets. */
export function accountTargets(
  flags: AccountFlags,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, unknown> | undefined {
  let accounts = flags.accounts;
  if (accounts === undefined && env.ACCOUNTS?.trim()) {
    try {
      accounts = splitList(env.ACCOUNTS, 'ACCOUNTS', LIST_CAPS.accounts);
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(err.message);
      throw err;
    }
  }
  if (flags.orgAccounts && flags.accounts) throw new UsageError('use --accounts or --org-accounts, not both');
  if (!flags.orgAccounts && (flags.includeAccounts || flags.excludeAccounts))
    throw new UsageError('--include-accounts and --exclude-accounts need --org-accounts');
  if (!flags.orgAccounts && !accounts) {
    if (flags.roleName) throw new UsageError('--role-name needs --accounts or --org-accounts');
    return undefined;
  }
  const roleName = flags.roleName ?? env.AUDIT_ROLE_NAME?.trim();
  if (!roleName) throw new UsageError('auditing other accounts needs --role-name (or AUDIT_ROLE_NAME)');
  const externalId = flags.externalId ?? (env.AUDIT_EXTERNAL_ID?.trim() || undefined);
  return {
    ...(flags.orgAccounts
      ? {
          source: 'organization',
          include: flags.includeAccounts ?? [],
          exclude: flags.excludeAccounts ?? [],
        }
      : { source: 'list', accounts }),
    roleName,
    ...(externalId ? { externalId } : {}),
    ...(flags.accountConcurrency !== undefined ? { concurrency: flags.accountConcurrency } : {}),
  };
}

/** Config field names back to the flags a CLI user typed. */
export function flagNames(message: string): string {
  return message
    .replace(/^regions\.regions(\[\d+\])?/gm, '--regions')
    .replace(/^rules(\[\d+\])?/gm, '--rules')
    .replace(/^excludeRules(\[\d+\])?/gm, '--exclude-rules')
    .replace(/^accounts\.accounts(\[\d+\])?/gm, '--accounts')
    .replace(/^accounts\.include(\[\d+\])?/gm, '--include-accounts')
    .replace(/^accounts\.exclude(\[\d+\])?/gm, '--exclude-accounts')
    .replace(/^accounts\.roleName/gm, '--role-name')
    .replace(/^accounts\.externalId/gm, '--external-id')
    .replace(/^ruleOptions\./gm, '--rule-options: ');
}

/**
 * `--regions` with `--snapshot`: only the snapshot's scopes in those regions are audited (and only
 * they count as audited for finding state). A region the snapshot does not hold is an error, never an
 * empty, clean report.
 */
export function snapshotScopes(inventory: Inventory, config: AuditConfig): Inventory {
  if (config.regions.mode !== 'list') return inventory;
  const held = new Set(inventory.regions.map((s) => s.region));
  const missing = config.regions.regions.filter((r) => !held.has(r));
  if (missing.length)
    throw new UsageError(
      `--regions: the snapshot holds no scope in ${missing.join(', ')} (it holds ${[...held].sort().join(', ') || 'none'})`,
    );
  const wanted = new Set(config.regions.regions);
  return { ...inventory, regions: inventory.regions.filter((s) => wanted.has(s.region)) };
}

/** Collection flags: they mean nothing to a snapshot, which was collected already. */
const COLLECTION_FLAGS = [
  ['--job-window-days', 'jobWindowDays'],
  ['--max-jobs', 'maxJobs'],
  ['--concurrency', 'concurrency'],
  ['--time-budget', 'timeBudget'],
  ['--max-attempts', 'maxAttempts'],
  ['--profile', 'profile'],
] as const;

/** The collection flags given, by name: each is ignored with --snapshot. */
export function collectionFlagsGiven(
  flags: Partial<Record<(typeof COLLECTION_FLAGS)[number][1], unknown>>,
): string[] {
  return COLLECTION_FLAGS.filter(([, key]) => flags[key] !== undefined).map(([name]) => name);
}
