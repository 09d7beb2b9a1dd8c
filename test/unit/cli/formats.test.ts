import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.ts';

async function cli(...args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const code = await main(['node', 'ml-network-audit', ...args], { stdout, stderr });
  return { code, stdout: out, stderr: err };
}

const DEMO = 'events/demo-snapshot.json';
const schema = JSON.parse(readFileSync('test/fixtures/ocsf/detection-finding-2004.schema.json', 'utf8'));

describe('audit --format ocsf | markdown | html', () => {
  it('writes OCSF Detection Findings that validate, one per finding of the json output', async () => {
    // Prepare
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const json = JSON.parse((await cli('audit', '--snapshot', DEMO, '--format', 'json')).stdout);

    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'ocsf');

    // Assess
    expect(r.code, r.stderr).toBe(0);
    const events = JSON.parse(r.stdout) as { finding_info: { uid: string } }[];
    expect(events.length).toBe(json.findings.length);
    expect(events.every((e) => validate(e))).toBe(true);
    expect(events.map((e) => e.finding_info.uid).sort()).toEqual(
      json.findings.map((f: { fingerprint: string }) => f.fingerprint).sort(),
    );
  });

  it('writes a Markdown report with a summary table and findings by severity', async () => {
    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'markdown');

    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# ml-network-audit report$/m);
    expect(r.stdout).toMatch(/^### CRITICAL \(3\)$/m);
    expect(r.stdout).toContain('## Coverage gaps');
  });

  it('writes a self-contained HTML report with a diagram per ML resource', async () => {
    // Prepare
    const json = JSON.parse((await cli('audit', '--snapshot', DEMO, '--format', 'json')).stdout);

    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'html');

    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<!doctype html>/);
    expect(r.stdout.match(/<svg class="diagram"/g)).toHaveLength(json.exposure.length);
  });

  it('rejects an unknown format as bad usage', async () => {
    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'sarif');

    // Assess
    expect(r.code).toBe(2);
  });
});
