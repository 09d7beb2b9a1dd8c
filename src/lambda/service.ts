/**
 * One invocation: classify the event, build the run's config, audit with the Lambda's remaining time
 * as the collection budget, run the lifecycle stage with the Lambda's store (DynamoDB, none on a dry
 * run), suppressions (S3 / SSM) and clock, then report — logs and metrics first, the SNS digest last —
 * so that a failed publish loses nothing: it fails the invocation after everything is already in
 * CloudWatch.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import type { Severity } from '../analyze/engine/finding.ts';
import { RULES } from '../analyze/engine/registry.ts';
import { runAudit } from '../audit.ts';
import type { CollectDeps } from '../collect/index.ts';
import { type AuditConfig, ConfigError, parseAuditConfig } from '../config.ts';
import type { DigestKind } from '../lifecycle/digest-policy.ts';
import { type LifecycleOutcome, runLifecycle } from '../lifecycle/stage.ts';
import type { StateStore } from '../lifecycle/state/store.ts';
import { type Suppression, unmatchedSuppressions } from '../lifecycle/suppress/suppressions.ts';
import { emitMetrics, logFindings, logSummary } from '../report/cloudwatch.ts';
import { s3ObjectConsoleUrl } from '../report/console-links.ts';
import type { ReportLink } from '../report/digest.ts';
import { emitLifecycleMetrics } from '../report/lifecycle-metrics.ts';
import { type ArchivedObject, REPORT_OBJECT } from '../report/s3.ts';
import { publishToSecurityHub, type SecurityHubOutcome } from '../report/security-hub.ts';
import { publishDigest } from '../report/sns.ts';
import type { AuditResult, LifecycleCounts } from '../result.ts';
import { judgeRun, NothingAuditedError } from '../verdict.ts';
import { accountTargetsInput, archiveRun } from './accounts.ts';
import type { LambdaEnv, Notify } from './env.ts';
import { classifyEvent, type Invocation, PayloadError } from './payload.ts';

export interface ServiceDeps {
  logger: Logger;
  metrics: Metrics;
  sns: SNSClient;
  /** For the run archive (RESULTS_BUCKET); a default client when absent. */
  s3?: S3Client;
  /** Overrides for collection (tests). */
  collect?: CollectDeps;
  /** The audit itself (tests replace it). */
  audit?: typeof runAudit;
  /** Finding state (STATE_TABLE_NAME); without it `new` treats every finding as new. */
  state?: StateStore;
  /** Loads the suppressions (S3 object / SSM parameter); a malformed document throws and fails the run. */
  suppressions?: () => Promise<Suppression[]>;
  /** The clock (tests inject one). */
  now?: () => Date;
  /** Security Hub clients by region (SECURITY_HUB=true). */
  securityHub?: (region: string) => SecurityHubClient;
}

export interface RunSummary {
  runId: string;
  trigger: Invocation['kind'];
  accounts: string[];
  regions: string[];
  bySeverity: Record<Severity, number>;
  findings: number;
  notEvaluated: number;
  coverageGaps: number;
  resourcesAudited: number;
  stoppedEarly: boolean;
  durationMs: number;
  notify: Notify;
  dryRun: boolean;
  alertThreshold: Severity;
  alertSent: boolean;
  /** Why no alert was sent, when none was. */
  alertSkipped?: string;
  messageId?: string;
  /** What the run did to finding state (counts are of this run; open is every open item). */
  lifecycle: LifecycleCounts & { stateTracked: boolean; suppressions: number };
  digestKind?: DigestKind;
  /**
   * Set when some scopes could not be audited at all (every call failed there) while others were: the
   * run is reported for the others. A run that audited nothing fails instead (NothingAuditedError).
   */
  unaudited?: string;
  /** With SECURITY_HUB=true (not on a dry run): what Security Hub accepted and refused. */
  securityHub?: Omit<SecurityHubOutcome, 'failures'>;
}

/** The smallest share of the remaining time collection gets, whatever the reserve. */
const MIN_BUDGET_MS = 5_000;

function runConfig(env: LambdaEnv, invocation: Invocation, remainingMs: number) {
  const payload = invocation.kind === 'on-demand' ? invocation.payload : {};
  const regions = payload.regions ?? env.AUDIT_REGIONS ?? [env.AWS_REGION];
  const rules = payload.rules ?? env.AUDIT_RULES;
  const excludeRules = payload.excludeRules ?? env.AUDIT_EXCLUDE_RULES;
  const input = {
    regions: regions === 'all' ? { mode: 'all' } : { mode: 'list', regions },
    ...(rules ? { rules } : {}),
    ...(excludeRules ? { excludeRules } : {}),
    scope: payload.scope ?? env.AUDIT_SCOPE,
    ...accountTargetsInput(env, payload),
    hashNames: payload.hashNames ?? env.HASH_NAMES,
    collect: {
      jobWindowDays: payload.jobWindowDays ?? env.JOB_WINDOW_DAYS,
      timeBudgetMs: Math.max(MIN_BUDGET_MS, Math.floor(remainingMs - env.PUBLISH_RESERVE_MS)),
    },
  };
  try {
    return parseAuditConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) {
      // The only user-controlled parts are the payload's: name them as the payload's fields.
      const message = err.message
        .replace(/^regions\.regions/gm, 'regions')
        .replace(/^accounts\.accounts/gm, 'accounts')
        .replace(/^collect\.jobWindowDays/gm, 'jobWindowDays');
      throw new PayloadError(`invalid payload: ${message.split('\n').join('; ')}`);
    }
    throw err;
  }
}

function summaryOf(result: AuditResult, extra: Omit<RunSummary, keyof ReturnType<typeof base>>): RunSummary {
  return { ...base(result), ...extra };
}

function base(result: AuditResult) {
  return {
    runId: result.run.id,
    accounts: result.run.accounts,
    regions: result.run.regions,
    bySeverity: result.summary.bySeverity,
    findings: result.summary.findings,
    notEvaluated: result.summary.notEvaluated,
    coverageGaps: result.summary.coverageGaps,
    resourcesAudited: result.summary.resourcesAudited,
    stoppedEarly: result.run.bounds.stoppedEarly,
  };
}

/** What one invocation runs: its trigger, its audit config, and how it reports. */
interface Plan {
  invocation: Invocation;
  config: AuditConfig;
  notify: Notify;
  dryRun: boolean;
  threshold: Severity;
}

type HandlerContext = Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'> &
  Partial<Pick<Context, 'invokedFunctionArn'>>;

/**
 * Security Hub import (SECURITY_HUB=true, not on a dry run), into the function's own account (from its
 * ARN). Every finding it refuses is logged with its error and counted; it never fails the run: the next
 * run imports the same Ids again.
 */
async function toSecurityHub(
  env: LambdaEnv,
  deps: ServiceDeps,
  plan: Plan,
  life: LifecycleOutcome,
  context: HandlerContext,
): Promise<Omit<SecurityHubOutcome, 'failures'> | undefined> {
  if (!env.SECURITY_HUB || plan.dryRun || !deps.securityHub) return undefined;
  const result = life.report;
  const importer = context.invokedFunctionArn?.split(':')[4] ?? result.run.accounts[0] ?? 'unknown';
  const { failures, ...counts } = await publishToSecurityHub(
    deps.securityHub,
    result,
    life.resolved,
    importer,
  );
  for (const f of failures)
    deps.logger.error('security hub import failed', {
      runId: result.run.id,
      ...f,
      requestId: context.awsRequestId,
    });
  deps.logger.info('security hub import', { runId: result.run.id, ...counts });
  return counts;
}

/** Classify the event and build the run's config; a rejected one is logged (nothing has run). */
function planInvocation(env: LambdaEnv, event: unknown, context: HandlerContext, logger: Logger): Plan {
  try {
    const invocation = classifyEvent(event);
    const config = runConfig(env, invocation, context.getRemainingTimeInMillis());
    const payload = invocation.kind === 'on-demand' ? invocation.payload : {};
    return {
      invocation,
      config,
      notify: payload.notify ?? env.NOTIFY,
      dryRun: payload.dryRun ?? false,
      threshold: payload.minSeverity ?? env.MIN_ALERT_SEVERITY,
    };
  } catch (err) {
    // Nothing has run: nothing is logged as a finding and nothing is published.
    logger.error('rejected invocation', { error: (err as Error).message, requestId: context.awsRequestId });
    throw err;
  }
}

/** A malformed suppressions document fails the run before anything is audited or sent. */
async function loadSuppressions(deps: ServiceDeps, context: HandlerContext): Promise<Suppression[]> {
  try {
    const suppressions = deps.suppressions ? await deps.suppressions() : [];
    // A rule id or glob that matches no rule suppresses nothing: most likely a typo, so say which.
    for (const s of unmatchedSuppressions(
      suppressions,
      RULES.map((r) => r.meta.id),
    ))
      deps.logger.warn('suppression matches no rule', {
        suppression: s.id,
        rule: s.rule,
        requestId: context.awsRequestId,
      });
    return suppressions;
  } catch (err) {
    deps.logger.error('suppressions rejected', {
      error: (err as Error).message,
      requestId: context.awsRequestId,
    });
    throw err;
  }
}

/**
 * The S3 console pages of the archived HTML reports, one per scope. A console link, not a presigned
 * URL: it needs a sign-in with s3:GetObject on the bucket, so a forwarded email opens nothing for
 * someone without access, and it never expires (a URL presigned by the function's role dies with the
 * role's session, within hours).
 */
export function reportLinks(
  bucket: string,
  region: string,
  archived: readonly ArchivedObject[] | undefined,
): ReportLink[] {
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return (archived ?? [])
    .filter((o) => o.key.endsWith(`/${REPORT_OBJECT}`))
    .map((o) => {
      // <prefix><account>/<region>/<date>/<run-id>/report.html
      const [account, scope] = o.key.split('/').slice(-5, -3);
      return { label: `${account} ${scope}`, url: s3ObjectConsoleUrl(bucket, o.key, region, partition) };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Why this invocation sends no digest whatever its findings, or undefined when it may send one. */
function digestOff(env: LambdaEnv, plan: Plan): string | undefined {
  if (plan.dryRun) return 'dry run';
  if (plan.notify === 'none') return 'notify is none';
  if (!env.FINDINGS_TOPIC_ARN) return 'FINDINGS_TOPIC_ARN is not set';
  return undefined;
}

interface Sent {
  messageId?: string;
  skipped?: string;
  kind?: DigestKind;
}

/**
 * The digest, if the policy allows one, published last. A failed publish releases the claims (the retry,
 * or the next run, tells the changes), logs the summary and the error, and fails the invocation.
 */
async function sendDigest(
  env: LambdaEnv,
  deps: ServiceDeps,
  plan: Plan,
  life: LifecycleOutcome,
  links: readonly ReportLink[],
  onFailure: () => void,
): Promise<Sent> {
  const off = digestOff(env, plan);
  const topic = env.FINDINGS_TOPIC_ARN;
  if (off || !topic) return { skipped: off ?? 'FINDINGS_TOPIC_ARN is not set' };
  const decision = await life.tell({
    by: 'digest',
    notify: plan.notify === 'all' ? 'all' : 'new',
    threshold: plan.threshold,
    reminderIntervalDays: env.REMINDER_INTERVAL_DAYS,
    ...(links.length ? { reportLinks: links } : {}),
  });
  const { digest } = decision;
  if (!digest) return decision.skipped ? { skipped: decision.skipped } : {};
  try {
    const messageId = await publishDigest(deps.sns, topic, digest);
    return { messageId, ...(decision.kind ? { kind: decision.kind } : {}) };
  } catch (err) {
    await decision
      .release()
      .catch((e: Error) => deps.logger.error('releasing claims failed', { error: e.message }));
    onFailure();
    deps.logger.error('digest publish failed', {
      runId: life.annotated.run.id,
      error: (err as Error).message,
      subject: digest.subject,
      findingCount: digest.attributes.findingCount,
    });
    throw err;
  }
}

export function createHandler(env: LambdaEnv, deps: ServiceDeps) {
  const { logger, metrics } = deps;
  return async function handler(event: unknown, context: HandlerContext): Promise<RunSummary> {
    const started = Date.now();
    const plan = planInvocation(env, event, context, logger);
    const suppressions = await loadSuppressions(deps, context);
    const { result, inventory } = await (deps.audit ?? runAudit)(plan.config, deps.collect ?? {});
    const durationMs = Date.now() - started;

    // A run that audited nothing fails the invocation (errors metric, retries, the failure queue): its
    // metrics go out (the CoverageGaps alarm), nothing else — no state, no archive, no digest.
    const verdict = judgeRun(inventory);
    if (verdict.kind === 'nothing') {
      emitMetrics(metrics, result, durationMs);
      logger.error('audited nothing', {
        runId: result.run.id,
        reason: verdict.reason,
        coverageGaps: result.summary.coverageGaps,
        requestId: context.awsRequestId,
      });
      throw new NothingAuditedError(verdict.reason);
    }
    if (verdict.kind === 'partial')
      logger.error('scopes not audited', {
        runId: result.run.id,
        reason: verdict.reason,
        scopes: verdict.failed,
      });

    // State: a dry run reads nothing and writes nothing (it must not swallow the next run's news).
    const life = await runLifecycle({
      result,
      inventory,
      ...(deps.state && !plan.dryRun ? { store: deps.state } : {}),
      suppressions,
      now: deps.now?.() ?? new Date(),
    });
    const lifecycle = { ...life.counts, stateTracked: life.stateTracked, suppressions: suppressions.length };

    // 1. Everything to CloudWatch first.
    logFindings(logger, life.annotated);
    emitMetrics(metrics, result, durationMs);
    emitLifecycleMetrics(metrics, life.counts);
    const archived = await archiveRun(env, result, logger, deps.s3);
    const links = env.RESULTS_BUCKET ? reportLinks(env.RESULTS_BUCKET, env.AWS_REGION, archived) : [];
    const securityHub = await toSecurityHub(env, deps, plan, life, context);

    // 2. Then the digest, if the policy allows one.
    const logRun = (alertSent: boolean) =>
      logSummary(logger, result, {
        trigger: plan.invocation.kind,
        notify: plan.notify,
        dryRun: plan.dryRun,
        alertSent,
        durationMs,
        lifecycle,
      });
    const sent = await sendDigest(env, deps, plan, life, links, () => logRun(false));

    const summary = summaryOf(result, {
      trigger: plan.invocation.kind,
      durationMs,
      notify: plan.notify,
      dryRun: plan.dryRun,
      alertThreshold: plan.threshold,
      alertSent: sent.messageId !== undefined,
      ...(sent.skipped ? { alertSkipped: sent.skipped } : {}),
      ...(sent.messageId ? { messageId: sent.messageId } : {}),
      lifecycle,
      ...(sent.kind ? { digestKind: sent.kind } : {}),
      ...(verdict.kind === 'partial' ? { unaudited: verdict.reason } : {}),
      ...(securityHub ? { securityHub } : {}),
    });
    logRun(summary.alertSent);
    return summary;
  };
}
