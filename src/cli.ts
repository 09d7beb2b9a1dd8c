/**
 * The CLI (commander): audit / collect / rules. Thin: it parses flags into an AuditConfig, calls the
 * pipeline, writes one output, and maps outcomes to exit codes:
 *   0 ran, nothing at/above --fail-on · 3 findings at/above --fail-on · 2 bad usage or input · 1 failure
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { atLeast, parseSeverity, type Severity } from './analyze/engine/finding.ts';
import { RULES } from './analyze/engine/registry.ts';
import { analyzeInventory, runAudit } from './audit.ts';
import { collectAccounts } from './collect/accounts.ts';
import type { ProgressEvent } from './collect/common.ts';
import { collectInventory, RegionResolutionError } from './collect/index.ts';
import { type AuditConfig, ConfigError, parseAuditConfig, parseRegionsFlag } from './config.ts';
import type { Inventory } from './inventory/schema.ts';
import { readSnapshot, SnapshotError, serializeSnapshot } from './inventory/snapshot.ts';
import { runLifecycle } from './lifecycle/stage.ts';
import { FileStateStore } from './lifecycle/state/file-store.ts';
import { StateError } from './lifecycle/state/store.ts';
import { loadSuppressionsFile } from './lifecycle/suppress/load.ts';
import { type Suppression, SuppressionError } from './lifecycle/suppress/suppressions.ts';
import { formatJson } from './report/formats/json.ts';
import { formatMarkdown } from './report/formats/markdown.ts';
import { formatOcsf } from './report/formats/ocsf.ts';
import { formatTable } from './report/formats/table.ts';
import { createProgress } from './report/progress.ts';
import type { AuditResult } from './result.ts';
import { TOOL_VERSION } from './version.ts';

export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, FINDINGS: 3 } as const;

/** Errors that are the user's input, not our failure: exit 2. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });
}

function intFlag(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
    }
    return n;
  };
}

function severityFlag(name: string, allowNone: boolean) {
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

function listFlag(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

interface CollectFlags {
  regions?: string;
  jobWindowDays?: number;
  maxJobs?: number;
  concurrency?: number;
  timeBudget?: number;
  maxAttempts?: number;
  progress: boolean;
  accounts?: string[];
  orgAccounts?: boolean;
  includeAccounts?: string[];
  excludeAccounts?: string[];
  roleName?: string;
  externalId?: string;
  accountConcurrency?: number;
}

interface AuditFlags extends CollectFlags {
  snapshot?: string;
  format: 'table' | 'json' | 'ocsf' | 'markdown';
  output?: string;
  rules?: string[];
  minSeverity?: Severity;
  failOn: Severity | 'NONE';
  ruleOptions?: string;
  color: boolean;
  state?: string;
  suppressions?: string;
}

function addCollectOptions(cmd: Command): Command {
  return cmd
    .option(
      '--regions <regions>',
      'comma list of regions, or "all" (opted-in regions); default: the current region',
    )
    .option(
      '--job-window-days <days>',
      'read training/processing jobs created in the last N days (plus any InProgress)',
      intFlag('--job-window-days', 1, 3650),
    )
    .option(
      '--max-jobs <n>',
      'at most N jobs of each kind per region, newest first',
      intFlag('--max-jobs', 1, 1_000_000),
    )
    .option('--concurrency <n>', 'describe calls in flight per region', intFlag('--concurrency', 1, 64))
    .option(
      '--time-budget <seconds>',
      'stop collecting cleanly after this many seconds',
      intFlag('--time-budget', 1, 86_400),
    )
    .option('--max-attempts <n>', 'attempts per AWS call (adaptive retry)', intFlag('--max-attempts', 1, 20))
    .option('--no-progress', 'no progress display on stderr')
    .option(
      '--accounts <ids>',
      'comma list of account ids to audit through --role-name (env ACCOUNTS)',
      listFlag,
    )
    .option('--org-accounts', "audit the organization's active accounts (organizations:ListAccounts)")
    .option('--include-accounts <ids>', 'with --org-accounts: only these accounts', listFlag)
    .option('--exclude-accounts <ids>', 'with --org-accounts: leave these accounts out', listFlag)
    .option('--role-name <name>', 'the audit role to assume in each account (env AUDIT_ROLE_NAME)')
    .option('--external-id <id>', 'ExternalId for AssumeRole (prefer env AUDIT_EXTERNAL_ID)')
    .option(
      '--account-concurrency <n>',
      'accounts collected side by side',
      intFlag('--account-concurrency', 1, 64),
    );
}

async function buildConfig(flags: Partial<AuditFlags>): Promise<AuditConfig> {
  let ruleOptions: unknown = {};
  if (flags.ruleOptions) {
    try {
      ruleOptions = JSON.parse(await readFile(flags.ruleOptions, 'utf8'));
    } catch (err) {
      throw new UsageError(`--rule-options ${flags.ruleOptions}: ${(err as Error).message}`);
    }
  }
  const collect: Record<string, number> = {};
  if (flags.jobWindowDays !== undefined) collect.jobWindowDays = flags.jobWindowDays;
  if (flags.maxJobs !== undefined) collect.maxJobsPerKind = flags.maxJobs;
  if (flags.concurrency !== undefined) collect.describeConcurrency = flags.concurrency;
  if (flags.timeBudget !== undefined) collect.timeBudgetMs = flags.timeBudget * 1000;
  if (flags.maxAttempts !== undefined) collect.maxAttempts = flags.maxAttempts;
  const accounts = accountTargets(flags);
  const input = {
    ...(accounts ? { accounts } : {}),
    regions: parseRegionsFlag(flags.regions),
    ...(flags.rules ? { rules: flags.rules } : {}),
    ...(flags.minSeverity ? { minSeverity: flags.minSeverity } : {}),
    ruleOptions,
    collect,
  };
  try {
    return parseAuditConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(flagNames(err.message));
    throw err;
  }
}

/** --accounts / --org-accounts (or ACCOUNTS, AUDIT_ROLE_NAME, AUDIT_EXTERNAL_ID) into account targets. */
function accountTargets(flags: Partial<CollectFlags>): Record<string, unknown> | undefined {
  const env = process.env;
  const accounts = flags.accounts ?? (env.ACCOUNTS?.trim() ? listFlag(env.ACCOUNTS) : undefined);
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
function flagNames(message: string): string {
  return message
    .replace(/^regions\.regions(\[\d+\])?/gm, '--regions')
    .replace(/^rules(\[\d+\])?/gm, '--rules')
    .replace(/^accounts\.accounts(\[\d+\])?/gm, '--accounts')
    .replace(/^accounts\.include(\[\d+\])?/gm, '--include-accounts')
    .replace(/^accounts\.exclude(\[\d+\])?/gm, '--exclude-accounts')
    .replace(/^accounts\.roleName/gm, '--role-name')
    .replace(/^accounts\.externalId/gm, '--external-id')
    .replace(/^ruleOptions\./gm, '--rule-options: ');
}

function progressFor(io: CliIo, enabled: boolean) {
  const stream = io.stderr as NodeJS.WriteStream;
  if (!enabled || !stream.isTTY) return undefined;
  return createProgress(stream);
}

/** Write to a file atomically (temp file, then rename), or to stdout. */
async function emit(io: CliIo, text: string, output?: string): Promise<void> {
  if (!output) {
    io.stdout.write(text);
    return;
  }
  const tmp = `${output}.tmp-${process.pid}`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, output);
}

function credentialsProblem(result: AuditResult): string | undefined {
  const gap = result.coverage.find((g) => g.errorCode === 'CredentialsProviderError');
  return gap
    ? `no AWS credentials could be loaded (${gap.message}); set AWS_PROFILE or credentials`
    : undefined;
}

/**
 * The lifecycle stage with the CLI's store (`--state FILE`, opened only now: a malformed one fails after
 * the run, exit 2) and suppressions. The report is how the CLI tells: every pending change is told now.
 */
async function cliLifecycle(
  result: AuditResult,
  audited: Inventory,
  flags: Pick<AuditFlags, 'state' | 'suppressions'>,
  suppressions: Suppression[] | undefined,
): Promise<{ result: AuditResult; notes: string[] }> {
  const store = flags.state ? await FileStateStore.open(flags.state) : undefined;
  const life = await runLifecycle({
    result,
    inventory: audited,
    ...(store ? { store } : {}),
    suppressions: suppressions ?? [],
    now: new Date(),
    names: {
      ...(flags.state ? { store: flags.state } : {}),
      ...(flags.suppressions ? { suppressions: flags.suppressions } : {}),
    },
  });
  await life.tell({ by: 'report' });
  return { result: life.report, notes: life.notes };
}

/**
 * Analyze the snapshot, or collect and analyze. `audited` is the inventory audited: its account/region
 * pairs for finding state (what was not audited is never resolved), its collected tags for tags
 * suppressions.
 */
async function analyzed(
  flags: AuditFlags,
  config: AuditConfig,
  io: CliIo,
): Promise<{ result: AuditResult; audited: Inventory }> {
  if (flags.snapshot) {
    const inventory = await readSnapshot(flags.snapshot);
    const result = analyzeInventory(inventory, config, { source: 'snapshot', snapshotFile: flags.snapshot });
    return { result, audited: inventory };
  }
  const progress = progressFor(io, flags.progress);
  let run: Awaited<ReturnType<typeof runAudit>>;
  try {
    run = await runAudit(config, progress ? { progress: progress.onEvent } : {});
  } finally {
    progress?.done();
  }
  const problem = credentialsProblem(run.result);
  if (problem) throw new Error(problem);
  return { result: run.result, audited: run.inventory };
}

async function runAuditCommand(flags: AuditFlags, io: CliIo): Promise<number> {
  const config = await buildConfig(flags);
  // A malformed suppressions file fails now, before a long collection (exit 2, naming the entry).
  const suppressions = flags.suppressions ? await loadSuppressionsFile(flags.suppressions) : undefined;
  const { result: analysis, audited } = await analyzed(flags, config, io);
  const { result, notes } = await cliLifecycle(analysis, audited, flags, suppressions);
  for (const note of notes) io.stderr.write(`${note}\n`);
  const text =
    flags.format === 'json'
      ? formatJson(result)
      : flags.format === 'ocsf'
        ? formatOcsf(result)
        : flags.format === 'markdown'
          ? formatMarkdown(result)
          : formatTable(result, { color: flags.color && !flags.output && !!io.stdout.isTTY });
  await emit(io, text, flags.output);
  if (flags.failOn === 'NONE') return EXIT.OK;
  const threshold = flags.failOn;
  return result.findings.some((f) => f.status === 'FAIL' && atLeast(f.severity, threshold))
    ? EXIT.FINDINGS
    : EXIT.OK;
}

async function runCollectCommand(flags: CollectFlags & { output: string }, io: CliIo): Promise<number> {
  const config = await buildConfig(flags);
  const progress = progressFor(io, flags.progress);
  let inventory: Awaited<ReturnType<typeof collectInventory>>;
  try {
    const onProgress = progress ? { progress: progress.onEvent as (e: ProgressEvent) => void } : {};
    inventory = config.accounts
      ? await collectAccounts(
          { regions: config.regions, settings: config.collect, targets: config.accounts },
          onProgress,
        )
      : await collectInventory({ regions: config.regions, settings: config.collect }, onProgress);
  } finally {
    progress?.done();
  }
  const gaps = inventory.regions.flatMap((s) => s.gaps);
  const creds = gaps.find((g) => g.errorCode === 'CredentialsProviderError');
  if (creds)
    throw new Error(`no AWS credentials could be loaded (${creds.message}); set AWS_PROFILE or credentials`);
  await emit(io, serializeSnapshot(inventory), flags.output);
  io.stderr.write(
    `wrote ${flags.output}: ${inventory.regions.length} region(s), ${gaps.length} coverage gap(s)${inventory.bounds.stoppedEarly ? ', stopped early (time budget)' : ''}\n`,
  );
  return EXIT.OK;
}

function runRulesCommand(flags: { format: 'table' | 'json' }, io: CliIo): number {
  if (flags.format === 'json') {
    const rules = RULES.map((r) => ({
      id: r.meta.id,
      title: r.meta.title,
      severity: r.meta.severity,
      category: r.meta.category,
      rationale: r.meta.rationale,
      remediation: r.meta.remediation,
      references: r.meta.references,
      needs: r.meta.needs,
      options: r.meta.options ? r.meta.options.parse({}) : {},
      docs: r.meta.docs,
    }));
    io.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
    return EXIT.OK;
  }
  const width = Math.max(...RULES.map((r) => r.meta.id.length));
  for (const r of RULES) {
    io.stdout.write(`${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(8)}  ${r.meta.title}\n`);
  }
  return EXIT.OK;
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('ml-network-audit')
    .description('Audit the network controls around machine-learning workloads in an AWS account.')
    .version(TOOL_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  addCollectOptions(
    program
      .command('audit')
      .description('collect from AWS (or read --snapshot) and report findings')
      .option('--snapshot <file>', 'analyze a saved snapshot instead of calling AWS')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['table', 'json', 'ocsf', 'markdown'])
          .default('table'),
      )
      .option('--output <file>', 'write the report to a file instead of stdout')
      .option('--rules <ids>', 'comma list of rule ids or globs (e.g. sagemaker-*)', listFlag)
      .option(
        '--min-severity <severity>',
        'leave out findings below this severity',
        severityFlag('--min-severity', false),
      )
      .option(
        '--fail-on <severity>',
        'exit 3 when a finding is at or above this severity (or "none")',
        severityFlag('--fail-on', true),
        'NONE',
      )
      .option(
        '--rule-options <file>',
        'JSON file of options per rule id, e.g. {"sg-world-ingress-admin-port":{"ports":[22]}}',
      )
      .option('--state <file>', 'keep finding state (new / open / resolved) in this JSON file')
      .option('--suppressions <file>', 'YAML or JSON suppressions: accepted findings, with reason and expiry')
      .option('--no-color', 'no colors in the table'),
  ).action(async (flags: AuditFlags) => setExit(await runAuditCommand(flags, io)));

  addCollectOptions(
    program
      .command('collect')
      .description('collect from AWS and write a snapshot (audit it later with audit --snapshot)')
      .requiredOption('--output <file>', 'snapshot file to write'),
  ).action(async (flags: CollectFlags & { output: string }) => setExit(await runCollectCommand(flags, io)));

  program
    .command('rules')
    .description('list every rule with its metadata')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action((flags: { format: 'table' | 'json' }) => setExit(runRulesCommand(flags, io)));

  return program;
}

/** Run the CLI; resolves to the exit code. Never throws. */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv]);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every other commander error is bad usage.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version'
        ? EXIT.OK
        : EXIT.USAGE;
    }
    if (
      err instanceof UsageError ||
      err instanceof SnapshotError ||
      err instanceof RegionResolutionError ||
      err instanceof SuppressionError ||
      err instanceof StateError
    ) {
      io.stderr.write(`error: ${err.message}\n`);
      return EXIT.USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`error: ${message}\n`);
    if (process.env.ML_NETWORK_AUDIT_DEBUG && err instanceof Error && err.stack)
      io.stderr.write(`${err.stack}\n`);
    return EXIT.FAILURE;
  }
}
