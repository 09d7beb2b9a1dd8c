/**
 * One invocation: classify the event, build the run's config, audit with the Lambda's remaining time
 * as the collection budget, then report — logs and metrics first, the SNS digest last — so that a
 * failed publish loses nothing: it fails the invocation after everything is already in CloudWatch.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import type { Severity } from '../analyze/engine/finding.ts';
import { runAudit } from '../audit.ts';
import type { CollectDeps } from '../collect/index.ts';
import { ConfigError, parseAuditConfig } from '../config.ts';
import type { StateStore } from '../lifecycle/state/store.ts';
import { type Suppression, suppressionMatcher } from '../lifecycle/suppress/suppressions.ts';
import { inventoryTags } from '../lifecycle/suppress/tags.ts';
import { annotateFindings, digestFor, type NotifyOutcome, runScopes, trackRun } from '../lifecycle/track.ts';
import { emitMetrics, logFindings, logSummary } from '../report/cloudwatch.ts';
import { emitLifecycleMetrics } from '../report/lifecycle-metrics.ts';
import { publishDigest } from '../report/sns.ts';
import type { AuditResult, LifecycleCounts } from '../result.ts';
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
  digestKind?: NotifyOutcome['kind'];
}

/** The smallest share of the remaining time collection gets, whatever the reserve. */
const MIN_BUDGET_MS = 5_000;

function runConfig(env: LambdaEnv, invocation: Invocation, remainingMs: number) {
  const payload = invocation.kind === 'on-demand' ? invocation.payload : {};
  const regions = payload.regions ?? env.AUDIT_REGIONS ?? [env.AWS_REGION];
  const rules = payload.rules ?? env.AUDIT_RULES;
  const input = {
    regions: regions === 'all' ? { mode: 'all' } : { mode: 'list', regions },
    ...(rules ? { rules } : {}),
    ...accountTargetsInput(env, payload),
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

export function createHandler(env: LambdaEnv, deps: ServiceDeps) {
  const { logger, metrics, sns } = deps;
  return async function handler(
    event: unknown,
    context: Pick<Context, 'getRemainingTimeInMillis' | 'awsRequestId'>,
  ) {
    const started = Date.now();
    let invocation: Invocation;
    let config: ReturnType<typeof runConfig>;
    try {
      invocation = classifyEvent(event);
      config = runConfig(env, invocation, context.getRemainingTimeInMillis());
    } catch (err) {
      // Nothing has run: nothing is logged as a finding and nothing is published.
      logger.error('rejected invocation', { error: (err as Error).message, requestId: context.awsRequestId });
      throw err;
    }
    const payload = invocation.kind === 'on-demand' ? invocation.payload : {};
    const notify = payload.notify ?? env.NOTIFY;
    const dryRun = payload.dryRun ?? false;
    const threshold = payload.minSeverity ?? env.MIN_ALERT_SEVERITY;

    // A malformed suppressions document fails the run before anything is audited or sent.
    let suppressions: Suppression[] = [];
    try {
      suppressions = deps.suppressions ? await deps.suppressions() : [];
    } catch (err) {
      logger.error('suppressions rejected', {
        error: (err as Error).message,
        requestId: context.awsRequestId,
      });
      throw err;
    }

    const { result, inventory } = await (deps.audit ?? runAudit)(config, deps.collect ?? {});
    const durationMs = Date.now() - started;

    // State: a dry run reads nothing and writes nothing (it must not swallow the next run's news).
    const now = deps.now?.() ?? new Date();
    const life = await trackRun({
      result,
      scopes: runScopes(result, inventory),
      ...(deps.state && !dryRun ? { store: deps.state } : {}),
      // Tags suppressions match on the tags this run collected (never on tags it could not read).
      suppress: suppressionMatcher(suppressions, now, inventoryTags(inventory)),
      now,
    });
    const lifecycle = {
      ...life.counts,
      stateTracked: life.store !== undefined,
      suppressions: suppressions.length,
    };

    // 1. Everything to CloudWatch first.
    logFindings(logger, annotateFindings(result, life));
    emitMetrics(metrics, result, durationMs);
    emitLifecycleMetrics(metrics, life.counts);
    await archiveRun(env, result, logger, deps.s3);

    // 2. Then the digest, if the policy allows one.
    let skipped: string | undefined;
    if (dryRun) skipped = 'dry run';
    else if (notify === 'none') skipped = 'notify is none';
    else if (!env.FINDINGS_TOPIC_ARN) skipped = 'FINDINGS_TOPIC_ARN is not set';
    const outcome = skipped
      ? undefined
      : await digestFor(life, result, {
          notify: notify === 'all' ? 'all' : 'new',
          threshold,
          reminderIntervalDays: env.REMINDER_INTERVAL_DAYS,
        });
    const digest = outcome?.digest;
    if (!skipped && !digest)
      skipped = life.store
        ? `nothing new or resolved at or above ${threshold}`
        : `no finding at or above ${threshold}`;

    let messageId: string | undefined;
    if (!skipped && digest && env.FINDINGS_TOPIC_ARN) {
      try {
        messageId = await publishDigest(sns, env.FINDINGS_TOPIC_ARN, digest);
      } catch (err) {
        // The changes stay pending: the retry (or the next run) tells them.
        await outcome
          ?.release()
          .catch((e: Error) => logger.error('releasing claims failed', { error: e.message }));
        logSummary(logger, result, {
          trigger: invocation.kind,
          notify,
          dryRun,
          alertSent: false,
          durationMs,
          lifecycle,
        });
        logger.error('digest publish failed', {
          runId: result.run.id,
          error: (err as Error).message,
          subject: digest.subject,
          findingCount: digest.attributes.findingCount,
        });
        throw err;
      }
    }

    const summary = summaryOf(result, {
      trigger: invocation.kind,
      durationMs,
      notify,
      dryRun,
      alertThreshold: threshold,
      alertSent: messageId !== undefined,
      ...(skipped ? { alertSkipped: skipped } : {}),
      ...(messageId ? { messageId } : {}),
      lifecycle,
      ...(digest && outcome?.kind ? { digestKind: outcome.kind } : {}),
    });
    logSummary(logger, result, {
      trigger: invocation.kind,
      notify,
      dryRun,
      alertSent: summary.alertSent,
      durationMs,
      lifecycle,
    });
    return summary;
  };
}
