import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  formatOcsf,
  formatOcsfNdjson,
  type OcsfDetectionFinding,
  toOcsf,
} from '../../../src/report/formats/ocsf.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

const schema = JSON.parse(readFileSync('test/fixtures/ocsf/detection-finding-2004.schema.json', 'utf8'));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

function sample() {
  return auditResult([
    finding(1, 'CRITICAL'),
    finding(2, 'HIGH', { account: '444455556666', region: 'eu-west-1' }),
    finding(3, 'MEDIUM', { status: 'NOT_EVALUATED' }),
    finding(4, 'LOW', {
      resource: {
        type: 'AWS::SageMaker::Domain',
        id: 'd-1',
        arn: 'arn:aws-cn:sagemaker:cn-north-1:1:domain/d-1',
      },
    }),
    finding(5, 'INFO'),
  ]);
}

describe('OCSF Detection Finding output', () => {
  it('validates every finding against the class 2004 required attributes', () => {
    // Prepare
    const result = sample();

    // Act
    const events = JSON.parse(formatOcsf(result)) as OcsfDetectionFinding[];

    // Assess
    expect(events).toHaveLength(4);
    for (const event of events) {
      expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
      expect(event.type_uid).toBe(event.class_uid * 100 + event.activity_id);
    }
  });

  it('maps severities to severity_id, FAIL to status New, and leaves NOT_EVALUATED out (it is no detection)', () => {
    // Prepare
    const result = sample();

    // Act
    const events = toOcsf(result);

    // Assess
    expect(events.map((e) => [e.severity_id, e.severity])).toEqual([
      [5, 'Critical'],
      [4, 'High'],
      [2, 'Low'],
      [1, 'Informational'],
    ]);
    expect(events.map((e) => e.status_id)).toEqual([1, 1, 1, 1]);
    expect(events.map((e) => e.finding_info.uid)).not.toContain(result.findings[2]?.fingerprint);
  });

  it('carries the fingerprint, the account and region of each finding, the resource, remediation and evidence', () => {
    // Prepare
    const result = sample();
    const source = result.findings[1]!;

    // Act
    const event = toOcsf(result)[1]!;

    // Assess
    expect(event.finding_info).toMatchObject({
      uid: source.fingerprint,
      title: source.title,
      types: ['ml-network-audit/sg', 'sg-world-ingress-admin-port'],
    });
    expect(event.cloud).toEqual({
      provider: 'AWS',
      region: 'eu-west-1',
      account: { uid: '444455556666', type_id: 10, type: 'AWS Account' },
    });
    expect(event.resources).toEqual([
      expect.objectContaining({
        uid: source.resource.arn,
        type: 'AWS::EC2::SecurityGroup',
        region: 'eu-west-1',
        cloud_partition: 'aws',
      }),
    ]);
    expect(event.remediation).toEqual({ desc: source.remediation, references: ['CIS 5.3'] });
    expect(event.evidences).toEqual([{ data: source.evidence }]);
    expect(event.unmapped).not.toHaveProperty('evidence');
    expect(event.time).toBe(Date.parse(result.run.finishedAt));
    expect(event.metadata).toMatchObject({ version: '1.8.0', product: { name: 'ml-network-audit' } });
  });

  it('takes the partition of the resource from its ARN', () => {
    // Prepare
    const result = sample();

    // Act
    const event = toOcsf(result)[2]!;

    // Assess
    expect(event.resources[0]?.cloud_partition).toBe('aws-cn');
  });

  it('is rejected by the schema when a required attribute is missing (the schema is not vacuous)', () => {
    // Prepare
    const event = toOcsf(sample())[0]! as unknown as Record<string, unknown>;
    const broken = [
      { ...event, class_uid: 2001 },
      { ...event, finding_info: { title: 'x' } },
      { ...event, metadata: { version: '1.1.0' } },
      { ...event, cloud: { region: 'us-east-1' } },
      { ...event, severity_id: 7 },
      { ...event, evidences: [] },
    ];

    // Act
    const verdicts = broken.map((b) => validate(b));

    // Assess
    expect(verdicts).toEqual([false, false, false, false, false, false]);
  });

  it('writes NDJSON: one event per line, the same events as the array', () => {
    // Prepare
    const result = sample();
    // Act
    const lines = formatOcsfNdjson(result).split('\n');
    // Assess
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual(JSON.parse(formatOcsf(result)));
  });
});
