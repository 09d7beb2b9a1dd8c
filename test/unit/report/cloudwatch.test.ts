import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitMetrics, logFindings, logSummary } from '../../../src/report/cloudwatch.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

/** What Powertools writes to stdout (what CloudWatch receives), as parsed JSON lines. */
function captureStdout(): () => Record<string, unknown>[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  vi.spyOn(console, 'info').mockImplementation((...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  });
  return () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('EMF metrics', () => {
  it('emits Findings by Severity, CoverageGaps, ResourcesAudited and AuditDurationMs in the namespace', () => {
    // Prepare
    const read = captureStdout();
    const metrics = new Metrics({ namespace: 'TestNamespace', serviceName: 'ml-network-audit' });
    const result = auditResult([finding(1, 'CRITICAL'), finding(2, 'HIGH'), finding(3, 'HIGH')]);
    result.summary.coverageGaps = 2;
    // Act
    emitMetrics(metrics, result, 1234);
    // Assess
    const blobs = read().filter((b) => '_aws' in b);
    const bySeverity = Object.fromEntries(
      blobs.filter((b) => 'Severity' in b).map((b) => [b.Severity, b.Findings]),
    );
    expect(bySeverity).toEqual({ CRITICAL: 1, HIGH: 2, MEDIUM: 0, LOW: 0, INFO: 0 });
    const severityBlob = blobs.find((b) => b.Severity === 'CRITICAL') as {
      _aws: { CloudWatchMetrics: unknown[] };
    };
    expect(severityBlob._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'TestNamespace',
        Dimensions: [['service', 'Severity']],
        Metrics: [{ Name: 'Findings', Unit: 'Count' }],
      },
    ]);
    const main = blobs.find((b) => 'ResourcesAudited' in b);
    expect(main).toMatchObject({
      CoverageGaps: 2,
      ResourcesAudited: 42,
      AuditDurationMs: 1234,
      service: 'ml-network-audit',
    });
  });
});

describe('structured logs', () => {
  it('writes one "finding" record per finding with the run id, and one summary record', () => {
    // Prepare
    const read = captureStdout();
    const logger = new Logger({ serviceName: 'ml-network-audit' });
    const result = auditResult([finding(1, 'CRITICAL'), finding(2, 'LOW')]);
    // Act
    logFindings(logger, result);
    logSummary(logger, result, { alertSent: true });
    // Assess
    const records = read();
    expect(
      records
        .filter((r) => r.message === 'finding')
        .map((r) => [r.runId, r.ruleId, (r.resource as { id: string }).id, r.severity]),
    ).toEqual([
      ['run-1', 'sg-world-ingress-admin-port', 'sg-00000001', 'CRITICAL'],
      ['run-1', 'sg-world-ingress-admin-port', 'sg-00000002', 'LOW'],
    ]);
    expect(records[0]).toMatchObject({
      level: 'INFO',
      message: 'finding',
      findingMessage:
        'Security group sg-00000001 admits the internet to port 22 (SSH): tcp/22 from 0.0.0.0/0.',
      remediation: 'Remove the rule.',
      fingerprint: expect.any(String),
      evidence: { rules: [expect.objectContaining({ fromPort: 22 })] },
    });
    expect(records.some((r) => r.level === 'WARN')).toBe(false);
    expect(records.at(-1)).toMatchObject({
      message: 'audit summary',
      runId: 'run-1',
      alertSent: true,
      level: 'INFO',
    });
  });
});
