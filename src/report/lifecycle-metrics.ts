/**
 * EMF metrics of the finding lifecycle: NewFindings, ResolvedFindings, SuppressedFindings, and
 * OpenFindings by Severity (every severity, zeros included, so alarms see a value each run). Emitted
 * after the run's other metrics, in their own blobs.
 */
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SEVERITIES } from '../analyze/engine/finding.ts';
import type { LifecycleCounts } from '../result.ts';

export const LIFECYCLE_METRIC_NAMES = {
  new: 'NewFindings',
  resolved: 'ResolvedFindings',
  open: 'OpenFindings',
  suppressed: 'SuppressedFindings',
} as const;

export function emitLifecycleMetrics(metrics: Metrics, counts: LifecycleCounts): void {
  for (const severity of SEVERITIES) {
    const single = metrics.singleMetric();
    single.addDimension('Severity', severity);
    single.addMetric(LIFECYCLE_METRIC_NAMES.open, MetricUnit.Count, counts.openBySeverity[severity]);
  }
  metrics.addMetric(LIFECYCLE_METRIC_NAMES.new, MetricUnit.Count, counts.new);
  metrics.addMetric(LIFECYCLE_METRIC_NAMES.resolved, MetricUnit.Count, counts.resolved);
  metrics.addMetric(LIFECYCLE_METRIC_NAMES.suppressed, MetricUnit.Count, counts.suppressed);
  metrics.publishStoredMetrics();
}
