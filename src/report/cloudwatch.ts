/**
 * CloudWatch Logs and metrics for one run, through Powertools: one structured record per finding
 * (message "finding"), one run-summary record (message "audit summary"), and EMF metrics.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SEVERITIES } from '../analyze/engine/finding.ts';
import type { AuditResult } from '../result.ts';

export const LOG_MESSAGES = { finding: 'finding', summary: 'audit summary' } as const;

/**
 * One record per finding, with every field of the finding and the run id. The finding's own `message`
 * is written as `findingMessage`: `message` is the logger's reserved key (it holds "finding").
 */
export function logFindings(logger: Logger, result: AuditResult): void {
  for (const { message, ...fields } of result.findings) {
    logger.info(LOG_MESSAGES.finding, { runId: result.run.id, ...fields, findingMessage: message });
  }
}

export function logSummary(logger: Logger, result: AuditResult, extra: Record<string, unknown> = {}): void {
  logger.info(LOG_MESSAGES.summary, {
    runId: result.run.id,
    accounts: result.run.accounts,
    regions: result.run.regions,
    source: result.run.source,
    bounds: result.run.bounds,
    summary: result.summary,
    coverage: result.coverage,
    durationMs: result.run.durationMs,
    ...extra,
  });
}

export const METRIC_NAMES = {
  findings: 'Findings',
  coverageGaps: 'CoverageGaps',
  resourcesAudited: 'ResourcesAudited',
  durationMs: 'AuditDurationMs',
} as const;

/**
 * EMF: Findings by Severity (one blob per severity, so each carries its Severity dimension; zeros too,
 * so alarms and dashboards see a value every run), CoverageGaps, ResourcesAudited, AuditDurationMs.
 */
export function emitMetrics(metrics: Metrics, result: AuditResult, durationMs: number): void {
  for (const severity of SEVERITIES) {
    const single = metrics.singleMetric();
    single.addDimension('Severity', severity);
    single.addMetric(METRIC_NAMES.findings, MetricUnit.Count, result.summary.bySeverity[severity]);
  }
  metrics.addMetric(METRIC_NAMES.coverageGaps, MetricUnit.Count, result.summary.coverageGaps);
  metrics.addMetric(METRIC_NAMES.resourcesAudited, MetricUnit.Count, result.summary.resourcesAudited);
  metrics.addMetric(METRIC_NAMES.durationMs, MetricUnit.Milliseconds, durationMs);
  metrics.publishStoredMetrics();
}
