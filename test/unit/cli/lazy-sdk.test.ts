/**
 * The built CLI loads an AWS SDK client only when a command collects: `--version`, `--help`, `rules` and
 * `audit --snapshot` load none. Each runs as a user runs it (bin/ml-network-audit.js, dist/cli) with a
 * module loader hook that records every module URL Node resolves.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'mlna-trace-'));
writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.MLNA_TRACE, resolved.url + '\\n');
  return resolved;
}
`,
);
writeFileSync(
  join(dir, 'register.mjs'),
  `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`,
);

let runs = 0;
/** The module URLs a Node process resolved, and its exit status. */
function trace(args: string[]): { status: number | null; urls: string[]; stderr: string } {
  const file = join(dir, `trace-${++runs}.txt`);
  writeFileSync(file, '');
  const run = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(join(dir, 'register.mjs')).href, ...args],
    {
      env: { PATH: process.env.PATH ?? '', HOME: dir, MLNA_TRACE: file, NO_COLOR: '1' },
      encoding: 'utf8',
    },
  );
  return {
    status: run.status,
    urls: readFileSync(file, 'utf8').split('\n').filter(Boolean),
    stderr: run.stderr,
  };
}

const sdk = (urls: string[]) => urls.filter((u) => /\/node_modules\/@(aws-sdk|smithy)\//.test(u));

describe('the CLI loads no AWS SDK module unless it collects', () => {
  it.each([
    [['--version']],
    [['--help']],
    [['audit', '--help']],
    [['rules']],
    [['rules', '--format', 'json']],
    [['rules', 'reach-internet-to-ml']],
    [['explain', 'legacy-churn-notebook', '--snapshot', 'events/demo-snapshot.json']],
    [['audit', '--snapshot', 'events/demo-snapshot.json', '--format', 'html', '--fail-on', 'none']],
    [['audit', '--snapshot', 'events/demo-snapshot.json', '--format', 'json', '--fail-on', 'none']],
  ])('ml-network-audit %j', (args) => {
    // Act
    const run = trace(['bin/ml-network-audit.js', ...args]);
    // Assess
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(sdk(run.urls)).toEqual([]);
  });

  it('runs the built JavaScript, not TypeScript', () => {
    // Act
    const run = trace(['bin/ml-network-audit.js', 'audit', '--snapshot', 'events/demo-snapshot.json']);
    // Assess
    expect(run.urls.some((u) => u.endsWith('/dist/cli/cli.js'))).toBe(true);
    expect(run.urls.filter((u) => u.endsWith('.ts') || u.includes('/node_modules/tsx/'))).toEqual([]);
  });

  it('would see an SDK module if one were loaded (the probe works)', () => {
    // Act
    const run = trace(['--input-type=module', '-e', "await import('@aws-sdk/client-sts');"]);
    // Assess
    expect(run.status).toBe(0);
    expect(sdk(run.urls).length).toBeGreaterThan(0);
  });
});
