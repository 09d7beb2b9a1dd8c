import { describe, expect, it } from 'vitest';
import { asffId, formatAsff, toAsff } from '../../../src/report/formats/asff.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

function sample() {
  return auditResult([
    finding(1, 'CRITICAL'),
    finding(2, 'INFO', {
      ruleId: 'reach-ml-egress-uninspected',
      resource: {
        type: 'AWS::SageMaker::Domain',
        id: 'd-1',
        arn: 'arn:aws-cn:sagemaker:cn-north-1:111122223333:domain/d-1',
      },
      region: 'cn-north-1',
      message: 'x'.repeat(2000),
    }),
    finding(3, 'HIGH', { status: 'NOT_EVALUATED' }),
  ]);
}

describe('ASFF output', () => {
  it('sets every required attribute from the finding, its fingerprint and the run', () => {
    // Prepare
    const result = sample();
    const source = result.findings[0]!;
    // Act
    const [f] = toAsff(result);
    // Assess
    expect(f).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: `ml-network-audit/${source.fingerprint}`,
      ProductArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      GeneratorId: 'ml-network-audit/sg-world-ingress-admin-port',
      AwsAccountId: '111122223333',
      Types: ['Software and Configuration Checks/AWS Security Best Practices/Security Groups'],
      CreatedAt: result.run.finishedAt,
      UpdatedAt: result.run.finishedAt,
      Severity: { Label: 'CRITICAL', Original: 'CRITICAL' },
      Title: source.title,
      Description: source.message,
      Resources: [
        { Type: 'AwsEc2SecurityGroup', Id: source.resource.arn, Partition: 'aws', Region: 'us-east-1' },
      ],
      RecordState: 'ACTIVE',
      Workflow: { Status: 'NEW' },
    });
  });

  it('types a resource without an ASFF type as Other with its own type in Details, in its partition; INFO is INFORMATIONAL', () => {
    // Act
    const f = toAsff(sample())[1]!;
    // Assess
    expect(f.Resources[0]).toEqual({
      Type: 'Other',
      Id: 'arn:aws-cn:sagemaker:cn-north-1:111122223333:domain/d-1',
      Partition: 'aws-cn',
      Region: 'cn-north-1',
      Details: { Other: { type: 'AWS::SageMaker::Domain', id: 'd-1' } },
    });
    expect(f.ProductArn).toBe('arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default');
    expect(f.Severity.Label).toBe('INFORMATIONAL');
    expect(f.Types[0]).toMatch(/\/Network Reachability$/);
    expect(f.Description).toHaveLength(1024);
  });

  it('leaves NOT_EVALUATED entries out, and names the importing account in the product ARN when given', () => {
    // Act
    const findings = toAsff(sample(), '999988887777');
    // Assess
    expect(findings).toHaveLength(2);
    expect(findings[0]?.ProductArn).toBe(
      'arn:aws:securityhub:us-east-1:999988887777:product/999988887777/default',
    );
    expect(findings[0]?.AwsAccountId).toBe('111122223333');
  });

  it('keeps the Id of a finding across runs (it is the fingerprint), so a re-import updates it', () => {
    // Prepare
    const a = sample();
    const b = auditResult(a.findings, {
      run: { ...a.run, id: 'run-2', finishedAt: '2026-11-23T06:00:00.000Z' },
    });
    // Act / Assess
    expect(toAsff(b).map((f) => f.Id)).toEqual(toAsff(a).map((f) => f.Id));
    expect(asffId('abc')).toBe('ml-network-audit/abc');
    expect(JSON.parse(formatAsff(a))).toEqual(toAsff(a));
  });
});
