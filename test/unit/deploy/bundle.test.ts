/**
 * The Lambda artifact: `npm run bundle`'s build (scripts/build.ts), the folder template.yaml deploys. It
 * must stay within its size bound, be self-contained (it runs with no node_modules in reach, as in
 * Lambda), and its handler must carry the Lambda context in every log line and reject a bad payload
 * cleanly. (test/e2e/bundle.test.ts runs it on a real event against moto.)
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_MAX_BYTES, lambdaBytes } from '../../../scripts/build.ts';
import { readTemplate } from '../../fixtures/cfn-yaml.ts';
import { BUNDLE_CONTEXT, invokeBundle, lambdaBundle } from '../../fixtures/lambda-bundle.ts';

/** The function's environment, and what the Lambda runtime sets (an on-demand environment: cold starts). */
const fnEnv = {
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_REGION: 'us-east-1',
  FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:t',
  POWERTOOLS_SERVICE_NAME: 'ml-network-audit',
  POWERTOOLS_METRICS_NAMESPACE: 'MlNetworkAudit',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  );
}

describe('Lambda bundle (npm run bundle)', () => {
  it('is what template.yaml deploys: handler.mjs under dist/lambda/', () => {
    // Prepare
    const fn = readTemplate('template.yaml').Resources.AuditFunction;
    // Assess
    expect(fn.Properties.CodeUri).toBe('dist/lambda/');
    expect(fn.Properties.Handler).toBe('handler.handler');
    // No sam build step of its own: the bundle is built by `npm run bundle`.
    expect(fn.Metadata?.BuildMethod).toBeUndefined();
  });

  it(`stays within ${LAMBDA_MAX_BYTES} bytes of JavaScript, zod and the SDK clients tree-shaken`, async () => {
    // Act
    const { dir, meta } = await lambdaBundle();
    // Assess
    const onDisk = filesUnder(dir)
      .filter((f) => f.endsWith('.mjs'))
      .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    expect(onDisk).toBe(lambdaBytes(meta));
    expect(onDisk).toBeLessThanOrEqual(LAMBDA_MAX_BYTES);
    const byFile = (pattern: RegExp) =>
      Object.values(meta.outputs)
        .flatMap((o) => Object.entries(o.inputs))
        .filter(([file]) => pattern.test(file))
        .reduce((n, [, input]) => n + input.bytesInOutput, 0);
    // Unshaken, client-ec2's schemas are ~550 KB and zod ~450 KB (scripts/build.ts says why).
    expect(byFile(/client-ec2\/dist-es\/schemas\//)).toBeLessThan(100_000);
    expect(byFile(/node_modules\/zod\//)).toBeLessThan(150_000);
    // The package.json `sam build` needs, with nothing to install.
    expect(filesUnder(dir)).toContain('package.json');
  }, 120_000);

  it('loads with no node_modules in reach and rejects a bad payload cleanly, the context in every log line', async () => {
    // Prepare
    const { dir } = await lambdaBundle();
    // Act
    const run = await invokeBundle(dir, [{ regions: ['not-a-region'] }], fnEnv);
    // Assess
    expect(run.code).toBe(0);
    expect(run.rejections).toHaveLength(1);
    expect(run.rejections[0]).toMatch(/^PayloadError: invalid payload: regions/);
    expect(run.other).toEqual([]); // no stack trace, no warning
    const logs = run.records.filter((r) => typeof r.message === 'string');
    expect(logs.map((r) => r.message)).toEqual(['rejected invocation']);
    for (const record of logs)
      expect(record).toMatchObject({
        cold_start: true,
        function_request_id: BUNDLE_CONTEXT.awsRequestId,
        function_name: BUNDLE_CONTEXT.functionName,
      });
  }, 120_000);

  it('emits the ColdStart metric once, on the first invocation only, and marks later ones warm', async () => {
    // Prepare
    const { dir } = await lambdaBundle();
    // Act
    const run = await invokeBundle(dir, [{ regions: ['bad-1'] }, { regions: ['bad-2'] }], fnEnv);
    // Assess
    const coldStarts = run.records.filter((r) => '_aws' in r && 'ColdStart' in r);
    expect(coldStarts).toHaveLength(1);
    expect(coldStarts[0]).toMatchObject({
      ColdStart: 1,
      service: 'ml-network-audit',
      function_name: BUNDLE_CONTEXT.functionName,
    });
    const logs = run.records.filter((r) => r.message === 'rejected invocation');
    expect(logs.map((r) => r.cold_start)).toEqual([true, false]);
  }, 120_000);

  it('fails at start-up with a message naming a bad variable', async () => {
    // Prepare
    const { dir } = await lambdaBundle();
    // Act
    const run = await invokeBundle(dir, [], { ...fnEnv, MIN_ALERT_SEVERITY: 'urgent' });
    // Assess
    expect(run.code).not.toBe(0);
    expect(run.other.join('\n')).toContain('MIN_ALERT_SEVERITY');
  }, 120_000);
});
