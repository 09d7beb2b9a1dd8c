/**
 * The Lambda artifact: bundles src/handler.ts with esbuild using template.yaml's own BuildProperties
 * (what `sam build` does), then loads the bundle in a fresh Node process with no node_modules in
 * reach, as Lambda would: the AWS SDK and every dependency must be inside it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../fixtures/cfn-yaml.ts';

const props = readTemplate('template.yaml').Resources.AuditFunction.Metadata.BuildProperties;

describe('Lambda bundle (esbuild, as sam build runs it)', () => {
  it('builds a self-contained ESM bundle whose handler loads without node_modules', async () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), 'mlna-bundle-'));
    // Act
    await build({
      entryPoints: props.EntryPoints,
      bundle: true,
      outdir,
      platform: 'node',
      format: props.Format,
      target: props.Target,
      minify: props.Minify,
      sourcemap: props.Sourcemap,
      outExtension: { '.js': '.mjs' },
      external: props.External,
      banner: { js: String(props.Banner[0]).replace(/^js=/, '') },
      logLevel: 'silent',
    });
    const bundle = readdirSync(outdir).find((f) => f.endsWith('.mjs'));
    // Load it from a directory with no node_modules, with the Lambda's environment.
    const probe = `const m = await import(${JSON.stringify(join(outdir, bundle ?? 'missing'))}); console.log(typeof m.handler);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: outdir,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        FINDINGS_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:t',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      encoding: 'utf8',
    });
    // Assess
    expect(bundle).toBe('handler.mjs');
    expect(out.trim()).toBe('function');
    expect(statSync(join(outdir, 'handler.mjs')).size).toBeLessThan(15_000_000);
  }, 60_000);

  it('fails at start-up with a message naming a bad variable', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'mlna-bundle-'));
    await build({
      entryPoints: props.EntryPoints,
      bundle: true,
      outdir,
      platform: 'node',
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      banner: { js: String(props.Banner[0]).replace(/^js=/, '') },
      logLevel: 'silent',
    });
    const probe = `await import(${JSON.stringify(join(outdir, 'handler.mjs'))});`;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
        cwd: outdir,
        env: {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'us-east-1',
          MIN_ALERT_SEVERITY: 'urgent',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr);
    }
    expect(stderr).toContain('MIN_ALERT_SEVERITY');
  }, 60_000);
});
