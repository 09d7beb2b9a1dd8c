/**
 * template.yaml's operations view against the code: the dashboard charts the EMF metrics the function
 * emits, by the names and dimensions it emits them with (src/report/cloudwatch.ts,
 * lifecycle-metrics.ts, Powertools' ColdStart), and alarms watch coverage gaps and the failure queue.
 */
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../../src/analyze/engine/finding.ts';
import { METRIC_NAMES } from '../../../src/report/cloudwatch.ts';
import { LIFECYCLE_METRIC_NAMES } from '../../../src/report/lifecycle-metrics.ts';
import { readTemplate } from '../../fixtures/cfn-yaml.ts';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation is untyped JSON
const template: any = readTemplate('template.yaml');
const NAMESPACE = 'TestNamespace';

/** The dashboard body as CloudFormation renders it (each ${...} given a value), parsed. */
function dashboard() {
  const [body, vars] = template.Resources.Dashboard.Properties.DashboardBody['Fn::Sub'] as [
    string,
    Record<string, unknown>,
  ];
  expect(vars.Ns).toEqual({ Ref: 'MetricsNamespace' });
  const values: Record<string, string> = {
    Ns: NAMESPACE,
    Queue: 'failed-queue',
    'AWS::Region': 'eu-west-1',
    AuditFunction: 'stack-audit',
    AuditLogGroup: '/aws/lambda/stack-audit',
  };
  const rendered = body.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`the dashboard body names \${${name}}, which is not given`);
    return value;
  });
  return JSON.parse(rendered) as {
    widgets: { type: string; properties: { title: string; metrics?: unknown[][]; query?: string } }[];
  };
}

/** Each metric row expanded as CloudWatch reads it ("." and "..." repeat the row before). */
function metricRows(
  metrics: unknown[][],
): { namespace: string; name: string; dims: Record<string, string> }[] {
  const rows: string[][] = [];
  for (const raw of metrics) {
    const items = raw.filter((x): x is string => typeof x === 'string');
    const prev = rows.at(-1) ?? [];
    const row =
      items[0] === '...'
        ? [...prev.slice(0, prev.length - (items.length - 1)), ...items.slice(1)]
        : items.map((x, i) => (x === '.' ? (prev[i] as string) : x));
    rows.push(row);
  }
  return rows.map(([namespace, name, ...dims]) => ({
    namespace: namespace as string,
    name: name as string,
    dims: Object.fromEntries(
      dims.flatMap((d, i) => (i % 2 === 0 ? [[d, dims[i + 1] as string]] : [])),
    ) as Record<string, string>,
  }));
}

describe('template.yaml dashboard', () => {
  it('is valid JSON once rendered, every metric widget with a title and metrics', () => {
    // Act
    const { widgets } = dashboard();
    // Assess
    expect(widgets.length).toBeGreaterThanOrEqual(5);
    for (const w of widgets) expect(w.properties.title).toBeTruthy();
  });

  it('charts only metrics the code emits, with the service dimension Powertools adds', () => {
    // Prepare
    const emitted = new Set<string>([
      ...Object.values(METRIC_NAMES),
      ...Object.values(LIFECYCLE_METRIC_NAMES),
      'ColdStart',
    ]);
    // Act
    const ours = dashboard()
      .widgets.flatMap((w) => metricRows(w.properties.metrics ?? []))
      .filter((r) => r.namespace === NAMESPACE);
    // Assess
    expect(ours.length).toBeGreaterThan(0);
    for (const row of ours) {
      expect(emitted.has(row.name), row.name).toBe(true);
      expect(row.dims.service).toBe('ml-network-audit');
    }
    const names = new Set(ours.map((r) => r.name));
    for (const name of [METRIC_NAMES.coverageGaps, METRIC_NAMES.durationMs, METRIC_NAMES.findings])
      expect(names).toContain(name);
  });

  it('charts findings over time for every severity', () => {
    // Act
    const findings = dashboard()
      .widgets.flatMap((w) => metricRows(w.properties.metrics ?? []))
      .filter((r) => r.namespace === NAMESPACE && r.name === METRIC_NAMES.findings);
    // Assess
    expect(findings.map((r) => r.dims.Severity).sort()).toEqual([...SEVERITIES].sort());
  });

  it('reads the run summaries from the function log group', () => {
    // Act
    const log = dashboard().widgets.find((w) => w.type === 'log');
    // Assess
    expect(log?.properties.query).toContain("SOURCE '/aws/lambda/stack-audit'");
    expect(log?.properties.query).toContain("message = 'audit summary'");
  });
});

describe('template.yaml alarms', () => {
  it('alarms on any coverage gap of a run, on the metric the code emits, to the topic', () => {
    // Act
    const alarm = template.Resources.CoverageGapsAlarm.Properties;
    // Assess
    expect(alarm).toMatchObject({
      Namespace: { Ref: 'MetricsNamespace' },
      MetricName: METRIC_NAMES.coverageGaps,
      Dimensions: [{ Name: 'service', Value: 'ml-network-audit' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: 'FindingsTopic' }],
    });
  });

  it("alarms while the function's on-failure queue holds a failed invocation", () => {
    // Prepare
    const onFailure =
      template.Resources.AuditFunction.Properties.EventInvokeConfig.DestinationConfig.OnFailure.Destination;
    // Act
    const alarm = template.Resources.FailedInvocationsAlarm.Properties;
    // Assess
    expect(onFailure).toEqual({ 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] });
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['FailedInvocationsQueue', 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: 'FindingsTopic' }],
    });
  });
});
