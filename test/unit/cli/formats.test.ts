import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../fixtures/cli.ts';

const cli = runMain;

const DEMO = 'events/demo-snapshot.json';
const schema = JSON.parse(readFileSync('test/fixtures/ocsf/detection-finding-2004.schema.json', 'utf8'));

/** The required top-level ASFF attributes (https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html). */
const ASFF_REQUIRED = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'Types',
  'CreatedAt',
  'UpdatedAt',
  'Severity.Label',
  'Title',
  'Description',
  'Resources',
];

describe('audit --format ocsf | asff | markdown', () => {
  it('writes OCSF Detection Findings that validate, one per FAIL finding of the json output', async () => {
    // Prepare
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    const json = JSON.parse((await cli('audit', '--snapshot', DEMO, '--format', 'json')).stdout);

    // Act
    const r = await cli('audit', '--snapshot', DEMO, '--format', 'ocsf');

    // Assess
    expect(r.code, r.stderr).toBe(0);
    const events = JSON.parse(r.stdout) as { finding_info: { uid: string } }[];
    const failed = json.findings.filter((f: { status: string }) => f.status === 'FAIL');
    expect(events.length).toBe(failed.length);
    expect(events.every((e) => validate(e))).toBe(true);
    expect(events.map((e) => e.finding_info.uid).sort()).toEqual(
      failed.map((f: { fingerprint: string }) => f.fingerprint).sort(),
    );
  });

  it('writes ASFF findings with every required attribute, one per FAIL finding, and OCSF as NDJSON', async () => {
    // Prepare
    const json = JSON.parse((await cli('audit', '--snapshot', DEMO, '--format', 'json')).stdout);
    const failed = json.findings.filter((f: { status: string }) => f.status === 'FAIL');
    // Act
    const asff = JSON.parse((await cli('audit', '--snapshot', DEMO, '--format', 'asff')).stdout) as Record<
      string,
      unknown
    >[];
    const ndjson = (await cli('audit', '--snapshot', DEMO, '--format', 'ocsf-ndjson')).stdout
      .trim()
      .split('\n');
    // Assess
    expect(asff).toHaveLength(failed.length);
    for (const f of asff)
      for (const field of ASFF_REQUIRED) expect(f, `${field} in ${JSON.stringify(f)}`).toHaveProperty(field);
    expect(asff[0]).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
    });
    expect(ndjson).toHaveLength(failed.length);
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
