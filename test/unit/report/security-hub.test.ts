import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { publishToSecurityHub, type ResolvedFinding } from '../../../src/report/security-hub.ts';
import { auditResult, finding } from '../../fixtures/audit-result.ts';

const hubMock = mockClient(SecurityHubClient);
const client = new SecurityHubClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const clientFor = () => client;
const IMPORTER = '999988887777';

function many(n: number) {
  return auditResult(Array.from({ length: n }, (_, i) => finding(i + 1, 'HIGH')));
}

const resolved: ResolvedFinding = {
  account: '111122223333',
  region: 'us-east-1',
  fingerprint: 'fp-gone',
  ruleId: 'sg-world-ingress-admin-port',
  severity: 'HIGH',
  title: 'Security group admits the internet to a remote administration port',
  resource: {
    type: 'AWS::EC2::SecurityGroup',
    id: 'sg-gone',
    arn: 'arn:aws:ec2:us-east-1:111122223333:security-group/sg-gone',
  },
};

describe('the Security Hub sink', () => {
  beforeEach(() => {
    hubMock.reset();
    hubMock.on(BatchImportFindingsCommand).resolves({ SuccessCount: 0, FailedCount: 0, FailedFindings: [] });
  });

  it('imports 250 findings in batches of at most 100, with the importing account in the product ARN', async () => {
    // Act
    const outcome = await publishToSecurityHub(clientFor, many(250), [], IMPORTER);
    // Assess
    const sizes = hubMock
      .commandCalls(BatchImportFindingsCommand)
      .map((c) => c.args[0].input.Findings?.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(outcome).toEqual({ imported: 250, archived: 0, failed: 0, failures: [] });
    const first = hubMock.commandCalls(BatchImportFindingsCommand)[0]?.args[0].input.Findings?.[0];
    expect(first?.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${IMPORTER}:product/${IMPORTER}/default`);
  });

  it('re-imports a resolved finding with RecordState ARCHIVED and Workflow RESOLVED under its Id', async () => {
    // Act
    const outcome = await publishToSecurityHub(clientFor, many(1), [resolved], IMPORTER);
    // Assess
    const sent = hubMock.commandCalls(BatchImportFindingsCommand)[0]?.args[0].input.Findings ?? [];
    expect(sent.find((f) => f.Id === 'ml-network-audit/fp-gone')).toMatchObject({
      RecordState: 'ARCHIVED',
      Workflow: { Status: 'RESOLVED' },
      AwsAccountId: '111122223333',
    });
    expect(outcome).toMatchObject({ imported: 1, archived: 1, failed: 0 });
  });

  it('counts and lists every finding Security Hub refuses, and a whole batch whose call failed', async () => {
    // Prepare: the first batch has one refused finding, the second call fails.
    const result = many(150);
    const refusedId = `ml-network-audit/${result.findings[3]!.fingerprint}`;
    hubMock
      .on(BatchImportFindingsCommand)
      .resolvesOnce({
        SuccessCount: 99,
        FailedCount: 1,
        FailedFindings: [{ Id: refusedId, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }],
      })
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    // Act
    const outcome = await publishToSecurityHub(clientFor, result, [], IMPORTER);
    // Assess
    expect(outcome.imported).toBe(99);
    expect(outcome.failed).toBe(51);
    expect(outcome.failures[0]).toEqual({
      id: refusedId,
      region: 'us-east-1',
      errorCode: 'InvalidInput',
      message: 'bad',
    });
    expect(outcome.failures.filter((f) => f.errorCode === 'ThrottlingException')).toHaveLength(50);
  });

  it('sends each finding to the Security Hub of its own region', async () => {
    // Prepare
    const regions: string[] = [];
    const result = auditResult([finding(1, 'HIGH'), finding(2, 'LOW', { region: 'eu-west-1' })]);
    // Act
    await publishToSecurityHub(
      (region) => {
        regions.push(region);
        return client;
      },
      result,
      [],
      IMPORTER,
    );
    // Assess
    expect(regions.sort()).toEqual(['eu-west-1', 'us-east-1']);
  });
});
