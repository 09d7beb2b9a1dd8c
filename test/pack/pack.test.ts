/**
 * What `npm publish` would ship: `npm pack` (which builds, through `prepare`), then an install of the
 * tarball into an empty folder outside the checkout, as a user installs from the registry (the
 * dependencies come from the npm cache when they are there). The installed command must run with no
 * dev dependency in reach: `--version`, the demo, `rules`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'mlna-pack-'));
const app = join(work, 'app');
let files: string[] = [];

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function cli(args: string[]) {
  // From the empty folder, with a minimal environment: nothing of the checkout is in reach.
  return spawnSync(join(app, 'node_modules/.bin/ml-network-audit'), args, {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', HOME: work },
    encoding: 'utf8',
  });
}

beforeAll(() => {
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], ROOT));
  files = packed.files.map((f: { path: string }) => f.path);
  execFileSync('mkdir', ['-p', app]);
  npm(['init', '-y'], app);
  npm(
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=dev', join(work, packed.filename)],
    app,
  );
});

describe('npm pack, installed into an empty folder', () => {
  it('ships the built CLI and no TypeScript source', () => {
    expect(files).toContain('bin/ml-network-audit.js');
    expect(files).toContain('dist/cli/cli.js');
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('dist/lambda'))).toEqual([]);
  });

  it('installs no dev dependency: no tsx, TypeScript, esbuild or vitest', () => {
    for (const dev of ['tsx', 'typescript', 'esbuild', 'vitest', 'zod'])
      expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(app, 'node_modules/@aws-sdk/client-ec2'))).toBe(true);
  });

  it('runs ml-network-audit --version', () => {
    const run = cli(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${pkg.version}\n`);
  });

  it('runs the demo from the installed package, with no AWS access', () => {
    const run = cli([
      'audit',
      '--snapshot',
      join(app, 'node_modules/ml-network-audit/events/demo-snapshot.json'),
      '--fail-on',
      'none',
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Account 111122223333');
    expect(run.stdout).toMatch(/Findings: \d+/);
  });

  it('runs rules and fails on bad usage with exit 2', () => {
    expect(cli(['rules']).stdout).toContain('sg-world-ingress-admin-port');
    expect(cli(['audit', '--format', 'nope']).status).toBe(2);
  });
});
