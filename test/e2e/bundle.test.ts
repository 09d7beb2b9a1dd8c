/**
 * The deployable Lambda bundle (`npm run bundle`, dist/lambda) on a real event against moto: loaded in a
 * fresh Node process with no node_modules in reach, it audits the seeded account on a dry run, and every
 * log line carries the invocation's Lambda context.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { BUNDLE_CONTEXT, invokeBundle, lambdaBundle } from '../fixtures/lambda-bundle.ts';
import { awsTestEnv } from './run-process.ts';
import { resetMoto, seedEast } from './seed.ts';

const endpoint = inject('motoEndpoint');

beforeAll(async () => {
  await resetMoto(endpoint);
  await seedEast(endpoint);
  await lambdaBundle();
}, 300_000);

describe('the Lambda bundle against moto', () => {
  it('audits the account on a dry-run event, the Lambda context in every log line', async () => {
    // Prepare
    const { dir } = await lambdaBundle();
    const env = {
      ...awsTestEnv(endpoint),
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:ml-network-audit-findings',
      POWERTOOLS_SERVICE_NAME: 'ml-network-audit',
      POWERTOOLS_METRICS_NAMESPACE: 'MlNetworkAudit',
    };
    // Act
    const run = await invokeBundle(dir, [{ regions: ['us-east-1'], notify: 'none', dryRun: true }], env);
    // Assess
    expect(run.rejections).toEqual([]);
    expect(run.other).toEqual([]);
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({ dryRun: true, alertSent: false, regions: ['us-east-1'] });
    expect(run.results[0]?.resourcesAudited).toBeGreaterThan(0);
    const logs = run.records.filter((r) => typeof r.message === 'string');
    expect(logs.map((r) => r.message)).toContain('audit summary');
    for (const record of logs)
      expect(record).toMatchObject({ cold_start: true, function_request_id: BUNDLE_CONTEXT.awsRequestId });
    const metrics = run.records.filter((r) => '_aws' in r);
    expect(metrics.some((m) => 'ColdStart' in m)).toBe(true);
    expect(metrics.some((m) => 'CoverageGaps' in m && 'AuditDurationMs' in m)).toBe(true);
  }, 300_000);
});
