import { describe, expect, it } from 'vitest';
import { buildDigest, digestSubject, MAX_MESSAGE_BYTES } from '../../../src/report/digest.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

describe('digest', () => {
  it('says counts, account and region in the subject, worst first', () => {
    // Prepare
    const findings = [finding(1, 'CRITICAL'), finding(2, 'HIGH'), finding(3, 'HIGH'), finding(4, 'HIGH')];
    // Act
    const digest = buildDigest(auditResult(findings), 'HIGH');
    // Assess
    expect(digest?.subject).toBe('[ml-network-audit] 1 CRITICAL, 3 HIGH in 111122223333 us-east-1');
  });

  it('keeps the subject within 100 printable ASCII characters', () => {
    const subject = digestSubject(
      [
        finding(1, 'CRITICAL'),
        finding(2, 'HIGH'),
        finding(3, 'MEDIUM'),
        finding(4, 'LOW'),
        finding(5, 'INFO'),
      ],
      ['111122223333', '444455556666'],
      ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'],
    );
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject).toContain('2 accounts us-east-1 +3 regions');
  });

  it('gives email a plain-text body: what changed first, grouped by severity and rule, ending with the coverage gaps', () => {
    // Prepare
    const result = auditResult([finding(1, 'CRITICAL'), finding(2, 'HIGH'), finding(3, 'LOW')], {
      coverage: [
        {
          account: '111122223333',
          region: 'us-east-1',
          service: 'sagemaker',
          operation: 'ListSpaces',
          kind: 'sagemakerSpaces',
          errorCode: 'AccessDeniedException',
          message: 'no',
        },
      ],
    });
    // Act
    const message = JSON.parse(buildDigest(result, 'HIGH')?.message ?? '{}');
    // Assess
    const email: string = message.email;
    expect(email).toMatch(/^What changed: 2 finding\(s\) at or above HIGH \(1 CRITICAL, 1 HIGH\)/);
    expect(email.indexOf('== CRITICAL (1) ==')).toBeLessThan(email.indexOf('== HIGH (1) =='));
    expect(email).not.toContain('sg-00000003');
    expect(email).toContain('[sg-world-ingress-admin-port] Security group admits the internet');
    expect(email).toContain('  - sg-00000001\n');
    expect(email).toContain('[sg-world-ingress-admin-port] Remove the rule.');
    expect(email.trimEnd().split('\n').slice(-2)).toEqual([
      'Coverage gaps (1): these were NOT audited.',
      '  111122223333 us-east-1 sagemaker:ListSpaces: AccessDeniedException',
    ]);
  });

  it('gives other protocols a JSON document and sets filterable attributes', () => {
    // Act
    const digest = buildDigest(auditResult([finding(1, 'HIGH'), finding(2, 'MEDIUM')]), 'MEDIUM');
    const doc = JSON.parse(JSON.parse(digest?.message ?? '{}').default);
    // Assess
    expect(doc.findings.map((f: { resource: { id: string } }) => f.resource.id)).toEqual([
      'sg-00000001',
      'sg-00000002',
    ]);
    expect(doc.omitted).toBe(0);
    expect(digest?.attributes).toEqual({ highestSeverity: 'HIGH', account: '111122223333', findingCount: 2 });
  });

  it('is undefined when nothing reaches the threshold (NOT_EVALUATED does not count)', () => {
    const result = auditResult([finding(1, 'MEDIUM'), finding(2, 'HIGH', { status: 'NOT_EVALUATED' })]);
    expect(buildDigest(result, 'HIGH')).toBeUndefined();
  });

  it('stays under the SNS size limit with 5,000 findings, cutting with "... and N more"', () => {
    // Prepare
    const findings = Array.from({ length: 5000 }, (_, i) => finding(i, i < 10 ? 'CRITICAL' : 'HIGH'));
    // Act
    const digest = buildDigest(auditResult(findings), 'HIGH');
    // Assess
    expect(digest).toBeDefined();
    expect(Buffer.byteLength(digest?.message ?? '', 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(digest?.omitted).toBeGreaterThan(0);
    expect((digest?.included ?? 0) + (digest?.omitted ?? 0)).toBe(5000);
    const message = JSON.parse(digest?.message ?? '{}');
    expect(message.email).toContain(`... and ${digest?.omitted} more`);
    expect(message.email).toContain('sg-00000000'); // the worst come first
    expect(JSON.parse(message.default).omitted).toBe(digest?.omitted);
    expect(digest?.attributes.findingCount).toBe(5000);
  });

  it("writes one fix paragraph per rule, names beside ids and each resource's console link once", () => {
    // Prepare
    const named = (i: number) =>
      finding(i, 'HIGH', {
        resource: {
          type: 'AWS::EC2::SecurityGroup',
          id: 'sg-00000001',
          arn: 'arn:aws:ec2:eu-west-1:111122223333:security-group/sg-00000001',
          name: 'legacy-ssh',
        },
        region: 'eu-west-1',
        fingerprint: `fp-${i}`,
      });
    const result = auditResult([named(1), named(2), finding(3, 'HIGH')]);

    // Act
    const email: string = JSON.parse(buildDigest(result, 'HIGH')?.message ?? '{}').email;

    // Assess
    expect(email.match(/Remove the rule\./g)).toHaveLength(1);
    expect(email).toContain('  - legacy-ssh (sg-00000001) · eu-west-1');
    const link =
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#SecurityGroup:groupId=sg-00000001';
    expect(email.split(link)).toHaveLength(2);
  });

  it('carries the compact path of a reach-* finding, gateway, NACL rule and group included', () => {
    // Prepare
    const reach = finding(1, 'CRITICAL', {
      ruleId: 'reach-internet-to-ml',
      resource: {
        type: 'AWS::SageMaker::NotebookInstance',
        id: 'nb-1',
        arn: 'arn:aws:sagemaker:us-east-1:1:notebook-instance/nb-1',
        name: 'nb-1',
      },
      evidence: {
        paths: [
          {
            entry: 'igw-1',
            ports: [{ protocol: 'tcp', ports: '22' }],
            hops: [
              { kind: 'internet', id: 'internet', text: 'the internet to igw-1' },
              { kind: 'nacl', id: 'acl-1', text: 'NACL acl-1 rules 100 allows in tcp 22 and the return out' },
              { kind: 'sg', id: 'sg-1', text: 'security groups sg-1 allow in tcp 22' },
              { kind: 'eni', id: 'subnet-1', text: 'ENI (sg-1) in subnet-1' },
            ],
          },
        ],
      },
    });

    // Act
    const email: string = JSON.parse(buildDigest(auditResult([reach]), 'HIGH')?.message ?? '{}').email;

    // Assess
    expect(email).toContain(
      '    Path: internet → igw-1 → acl-1 (NACL rule 100) → sg-1 (allows tcp 22) → subnet-1 → nb-1',
    );
    expect(email).toContain('sagemaker/home?region=us-east-1#/notebook-instances/nb-1');
  });

  it('links the archived HTML reports near the top of the email and in the JSON document', () => {
    // Prepare
    const links = [
      { label: '111122223333 us-east-1', url: 'https://s3.console.aws.amazon.com/s3/object/b?prefix=r' },
    ];

    // Act
    const digest = buildDigest(auditResult([finding(1, 'HIGH')]), 'HIGH', undefined, { reportLinks: links });
    const message = JSON.parse(digest?.message ?? '{}');

    // Assess
    const email: string = message.email;
    expect(email).toContain('Full report (HTML with path diagrams; opens in the S3 console):');
    expect(email.indexOf('111122223333 us-east-1: https://s3.console')).toBeLessThan(
      email.indexOf('== HIGH'),
    );
    expect(JSON.parse(message.default).reports).toEqual(links);
  });
});
