/**
 * The CLI (commander): audit / collect / rules. Thin: it parses flags into an AuditConfig, calls the
 * pipeline, writes one output, and maps outcomes to exit codes:
 *   0 ran, nothing at/above --fail-on (and no gap with --fail-on-gaps) · 3 findings at/above --fail-on,
 *   or a coverage gap with --fail-on-gaps · 2 bad usage or input · 1 failure, including a run that
 *   could not audit what it was asked (src/verdict.ts)
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { Argument, Command, CommanderError, Option } from 'commander';
import { atLeast, type Severity } from './analyze/engine/finding.ts';
import { RULES } from './analyze/engine/registry.ts';
import { analyzeInventory, namesAsConfigured, runAudit } from './audit.ts';
import {
  accountFlagsGiven,
  accountTargets,
  collectionFlagsGiven,
  flagNames,
  intFlag,
  listFlag,
  profileFlag,
  regionsFlag,
  severityFlag,
  snapshotScopes,
  UsageError,
} from './cli-options.ts';
import { explainText, rulesText } from './cli-show.ts';
import type { ProgressEvent } from './collect/common.ts';
import type { collectInventory } from './collect/index.ts';
import { RegionResolutionError } from './collect/region-error.ts';
import { completionScript, SHELLS, type Shell } from './completion.ts';
import { type AuditConfig, ConfigError, LIST_CAPS, parseAuditConfig, parseRegionsFlag } from './config.ts';
import type { Inventory } from './inventory/schema.ts';
import { readSnapshot, SnapshotError, serializeSnapshot } from './inventory/snapshot.ts';
import { runLifecycle } from './lifecycle/stage.ts';
import { lockStateFile } from './lifecycle/state/file-lock.ts';
import { FileStateStore } from './lifecycle/state/file-store.ts';
import { StateError } from './lifecycle/state/store.ts';
import { loadSuppressionsFile } from './lifecycle/suppress/load-file.ts';
import {
  type Suppression,
  SuppressionError,
  unmatchedSuppressionWarnings,
} from './lifecycle/suppress/suppressions.ts';
import { formatAsff } from './report/formats/asff.ts';
import { formatHtml } from './report/formats/html.ts';
import { formatJson } from './report/formats/json.ts';
import { formatMarkdown } from './report/formats/markdown.ts';
import { formatOcsf, formatOcsfNdjson } from './report/formats/ocsf.ts';
import { formatTable } from './report/formats/table.ts';
import { createProgress } from './report/progress.ts';
import { colorWanted, type TerminalStream, terminalWidth } from './report/terminal.ts';
import type { AuditResult } from './result.ts';
import { unauditedOrThrow } from './verdict.ts';
import { TOOL_VERSION } from './version.ts';

export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, FINDINGS: 3 } as const;

/** The formats that are a pure function of the result document (the table also needs the terminal). */
const DOCUMENT_FORMATS = {
  json: formatJson,
  ocsf: formatOcsf,
  'ocsf-ndjson': formatOcsfNdjson,
  asff: formatAsff,
  markdown: formatMarkdown,
  html: formatHtml,
} as const;

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });
  /** Where NO_COLOR, FORCE_COLOR, TERM and COLUMNS are read (process.env when absent). */
  env?: NodeJS.ProcessEnv;
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
  profile?: string;
  hashNames?: boolean;
}

interface AuditFlags extends CollectFlags {
  snapshot?: string;
  format: 'table' | keyof typeof DOCUMENT_FORMATS;
  output?: string;
  rules?: string[];
  excludeRules?: string[];
  scope?: 'ml' | 'account';
  minSeverity?: Severity;
  failOn: Severity | 'NONE';
  ruleOptions?: string;
  color: boolean;
  state?: string;
  suppressions?: string;
  failOnGaps?: boolean;
}

function addCollectOptions(cmd: Command): Command {
  return cmd
    .option(
      '--regions <regions>',
      'comma list of regions, or "all" (opted-in regions); default: the current region',
      regionsFlag,
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
      listFlag('--accounts', LIST_CAPS.accounts),
    )
    .option('--org-accounts', "audit the organization's active accounts (organizations:ListAccounts)")
    .option(
      '--include-accounts <ids>',
      'with --org-accounts: only these accounts',
      listFlag('--include-accounts', LIST_CAPS.accounts),
    )
    .option(
      '--exclude-accounts <ids>',
      'with --org-accounts: leave these accounts out',
      listFlag('--exclude-accounts', LIST_CAPS.accounts),
    )
    .option('--role-name <name>', 'the audit role to assume in each account (env AUDIT_ROLE_NAME)')
    .option('--external-id <id>', 'ExternalId for AssumeRole (prefer env AUDIT_EXTERNAL_ID)')
    .option(
      '--account-concurrency <n>',
      'accounts collected side by side',
      intFlag('--account-concurrency', 1, 64),
    )
    .option('--profile <name>', 'the AWS shared-config profile to use (as AWS_PROFILE=<name>)', profileFlag)
    .option('--hash-names', 'keep the EC2 Name tag only as a hash, like every other tag value');
}

/**
 * A snapshot was collected already: account flags would be silently ignored, so they are an error;
 * collection flags change nothing, so they are a warning. (`--regions` filters the snapshot's scopes.)
 */
function checkSnapshotFlags(flags: Partial<AuditFlags>, io: CliIo): void {
  const accountFlags = accountFlagsGiven(flags);
  if (accountFlags.length)
    throw new UsageError(
      `${accountFlags.join(', ')}: cannot be used with --snapshot (a snapshot holds the accounts it was collected from; collect other accounts with \`collect --accounts\`)`,
    );
  const ignored = collectionFlagsGiven(flags);
  if (ignored.length)
    io.stderr.write(`warning: ${ignored.join(', ')} ignored with --snapshot (it was collected already)\n`);
}

async function buildConfig(flags: Partial<AuditFlags>, io: CliIo): Promise<AuditConfig> {
  if (flags.snapshot) checkSnapshotFlags(flags, io);
  // --profile is the SDK's own AWS_PROFILE: credentials (and their precedence over AWS_ACCESS_KEY_ID),
  // the region and SSO settings of that profile, for every client of the run.
  else if (flags.profile) process.env.AWS_PROFILE = flags.profile;
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
  try {
    // ACCOUNTS and AUDIT_ROLE_NAME in the environment are for collecting: a snapshot ignores them.
    const accounts = flags.snapshot ? undefined : accountTargets(flags);
    const input = {
      ...(accounts ? { accounts } : {}),
      regions: parseRegionsFlag(flags.regions),
      ...(flags.rules ? { rules: flags.rules } : {}),
      ...(flags.excludeRules ? { excludeRules: flags.excludeRules } : {}),
      ...(flags.scope ? { scope: flags.scope } : {}),
      ...(flags.minSeverity ? { minSeverity: flags.minSeverity } : {}),
      ...(flags.hashNames ? { hashNames: true } : {}),
      ruleOptions,
      collect,
    };
    return parseAuditConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(flagNames(err.message));
    throw err;
  }
}

function progressFor(io: CliIo, enabled: boolean) {
  const stream = io.stderr as NodeJS.WriteStream;
  return enabled && stream.isTTY ? createProgress(stream) : undefined;
}

/** Colour and width of what is written to the terminal (report/terminal.ts). */
function terminalOptions(io: CliIo, flag: boolean) {
  const width = terminalWidth(io.stdout as TerminalStream, io.env);
  return { color: colorWanted({ tty: !!io.stdout.isTTY, flag, env: io.env }), width };
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
  // Two runs on one state file take turns from reading it to writing it: the second sees the first's
  // findings as open, so nothing is told twice and no write is lost.
  const lock = flags.state ? await lockStateFile(flags.state) : undefined;
  try {
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
  } finally {
    await lock?.release();
  }
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
    const inventory = namesAsConfigured(snapshotScopes(await readSnapshot(flags.snapshot), config), config);
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
  return { result: run.result, audited: run.inventory };
}

async function runAuditCommand(flags: AuditFlags, io: CliIo): Promise<number> {
  const config = await buildConfig(flags, io);
  // A malformed suppressions file fails now, before a long collection (exit 2, naming the entry).
  const suppressions = flags.suppressions ? await loadSuppressionsFile(flags.suppressions) : undefined;
  const ruleIds = RULES.map((r) => r.meta.id);
  for (const warning of unmatchedSuppressionWarnings(suppressions ?? [], ruleIds))
    io.stderr.write(`${warning}\n`);
  const { result: analysis, audited } = await analyzed(flags, config, io);
  const unaudited = unauditedOrThrow(audited);
  const { result, notes } = await cliLifecycle(analysis, audited, flags, suppressions);
  for (const note of notes) io.stderr.write(`${note}\n`);
  const text =
    flags.format === 'table'
      ? formatTable(
          result,
          flags.output
            ? { color: false, width: terminalWidth(undefined, io.env) }
            : terminalOptions(io, flags.color),
        )
      : await DOCUMENT_FORMATS[flags.format](result);
  await emit(io, text, flags.output);
  if (unaudited) {
    io.stderr.write(`error: ${unaudited}\n`);
    return EXIT.FAILURE;
  }
  if (flags.failOnGaps && result.summary.coverageGaps > 0) return EXIT.FINDINGS;
  if (flags.failOn === 'NONE') return EXIT.OK;
  const threshold = flags.failOn;
  return result.findings.some((f) => f.status === 'FAIL' && atLeast(f.severity, threshold))
    ? EXIT.FINDINGS
    : EXIT.OK;
}

async function runCollectCommand(flags: CollectFlags & { output: string }, io: CliIo): Promise<number> {
  const config = await buildConfig(flags, io);
  const progress = progressFor(io, flags.progress);
  let inventory: Awaited<ReturnType<typeof collectInventory>>;
  // The collectors (and the AWS SDK) load only when a command collects.
  const { collectAccounts } = await import('./collect/accounts.ts');
  const { collectInventory } = await import('./collect/index.ts');
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
  // A snapshot of nothing is no snapshot (and an unknown account cannot be saved): none is written.
  const unaudited = unauditedOrThrow(inventory, { report: false });
  await emit(io, serializeSnapshot(namesAsConfigured(inventory, config)), flags.output);
  io.stderr.write(
    `wrote ${flags.output}: ${inventory.regions.length} region(s), ${gaps.length} coverage gap(s)${inventory.bounds.stoppedEarly ? ', stopped early (time budget)' : ''}\n`,
  );
  if (unaudited) {
    io.stderr.write(`error: ${unaudited}\n`);
    return EXIT.FAILURE;
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
          .choices(['table', ...Object.keys(DOCUMENT_FORMATS)])
          .default('table'),
      )
      .option('--output <file>', 'write the report to a file instead of stdout')
      .option(
        '--rules <ids>',
        'comma list of rule ids or globs (e.g. sagemaker-*)',
        listFlag('--rules', LIST_CAPS.rules),
      )
      .option(
        '--exclude-rules <ids>',
        'comma list of rule ids or globs to leave out (e.g. sg-unused,nacl-*)',
        listFlag('--exclude-rules', LIST_CAPS.rules),
      )
      .addOption(
        new Option(
          '--scope <scope>',
          'ml: the network around ML resources (default); account: account-wide hygiene too',
        ).choices(['ml', 'account']),
      )
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
      .option('--no-color', 'no colors in the table')
      .option('--fail-on-gaps', 'exit 3 when any coverage gap was recorded (a call failed)'),
  ).action(async (flags: AuditFlags) => setExit(await runAuditCommand(flags, io)));

  addCollectOptions(
    program
      .command('collect')
      .description('collect from AWS and write a snapshot (audit it later with audit --snapshot)')
      .requiredOption('--output <file>', 'snapshot file to write'),
  ).action(async (flags: CollectFlags & { output: string }) => setExit(await runCollectCommand(flags, io)));

  program
    .command('rules [id]')
    .description('list every rule with its metadata, or print one rule in full')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-color', 'no colors')
    .action(async (id: string | undefined, flags: { format: 'table' | 'json'; color: boolean }) => {
      await emit(io, rulesText(id, flags.format, terminalOptions(io, flags.color)));
      setExit(EXIT.OK);
    });

  addCollectOptions(
    program
      .command('explain <target>')
      .description('explain a finding (fingerprint), an ML resource (id, name or ARN) or a resource id')
      .option('--snapshot <file>', 'analyze a saved snapshot instead of calling AWS')
      .option('--no-color', 'no colors'),
  ).action(async (target: string, flags: AuditFlags) => {
    const { result, audited } = await analyzed(flags, await buildConfig(flags, io), io);
    await emit(io, explainText(target, result, audited, terminalOptions(io, flags.color)));
    setExit(EXIT.OK);
  });

  program
    .command('completion')
    .description('print a shell completion script: source <(ml-network-audit completion bash)')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(SHELLS))
    .action((shell: Shell) => {
      io.stdout.write(completionScript(program, shell));
      setExit(EXIT.OK);
    });

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
