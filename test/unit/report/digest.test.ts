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

  it('gives email a plain-text body grouped by severity, ending with the coverage gaps', () => {
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
    expect(email.indexOf('== CRITICAL (1) ==')).toBeLessThan(email.indexOf('== HIGH (1) =='));
    expect(email).not.toContain('sg-00000003');
    expect(email).toContain('[sg-world-ingress-admin-port] sg-00000001');
    expect(email).toContain('Fix: Remove the rule.');
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
});
