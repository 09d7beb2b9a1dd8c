/**
 * template.yaml against the code: every AWS operation the code calls is granted by name, nothing the
 * code does not call is granted, no wildcard actions, and the only non-read actions are publishing to
 * the function's own topic (and its KMS key).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_ACTIONS } from '../../../src/inventory/kinds.ts';
import { readTemplate } from '../../fixtures/cfn-yaml.ts';

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation is untyped JSON
const template: any = readTemplate('template.yaml');

const IAM_PREFIX: Record<string, string> = {
  ec2: 'ec2',
  sagemaker: 'sagemaker',
  'network-firewall': 'network-firewall',
  sts: 'sts',
  sns: 'sns',
  organizations: 'organizations',
  s3: 's3',
  dynamodb: 'dynamodb',
  ssm: 'ssm',
  bedrock: 'bedrock',
};

/** Actions only the CLI calls, never the function (none since organization mode's plan step lists accounts). */
const CLI_ONLY: string[] = [];

/**
 * Granted though no SDK call names it: s3:ListBucket on the organization snapshot bucket makes a missing
 * snapshot read as NoSuchKey (S3 answers AccessDenied to GetObject without it).
 */
const AUTHORIZES_ONLY = ['s3:ListBucket'];

/** A statement under a condition (`!If [Cond, statement, !Ref AWS::NoValue]`) is granted when it holds. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation is untyped JSON
function unconditional(statement: any) {
  return statement['Fn::If'] ? statement['Fn::If'][1] : statement;
}

/**
 * Operations IAM authorizes through other actions: a DynamoDB transaction's puts are authorized as
 * dynamodb:PutItem (there is no TransactWriteItems action in IAM).
 */
const IAM_ACTION_OF: Record<string, string> = {
  'dynamodb:TransactWriteItems': 'dynamodb:PutItem',
};

/** Every SDK operation the source calls, as an IAM action, from its imports of @aws-sdk/client-*. */
function actionsTheCodeCalls(): Set<string> {
  const actions = new Set<string>();
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join('src', file), 'utf8');
    for (const m of text.matchAll(
      /(?:import\s*(?:type\s*)?|const\s*)\{([^}]*)\}\s*(?:from|=\s*await\s+import\()\s*'@aws-sdk\/client-([a-z0-9-]+)'/g,
    )) {
      const prefix = IAM_PREFIX[m[2] as string];
      for (const raw of (m[1] as string).split(',')) {
        const name = raw.replace(/\btype\b/, '').trim();
        const op = /^paginate(\w+)$/.exec(name)?.[1] ?? /^(\w+)Command$/.exec(name)?.[1];
        if (!op || !prefix) continue;
        // Used beyond the import line (a type-only import of a command would not be a call).
        const uses = text.split(new RegExp(`\\b${name}\\b`)).length - 1;
        if (uses > 1) actions.add(IAM_ACTION_OF[`${prefix}:${op}`] ?? `${prefix}:${op}`);
      }
    }
  }
  return actions;
}

const fn = template.Resources.AuditFunction.Properties;
const statements: { Sid: string; Action: string | string[]; Resource: unknown }[] = fn.Policies.flatMap(
  (p: { Statement?: unknown[] }) => (p.Statement ?? []).map(unconditional),
);
const granted = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
// sagemaker:Search is a Read-level action in the Service Authorization Reference.
const READ = /^[a-z0-9-]+:((Describe|List|Get)[A-Za-z0-9]+|Search)$/;

/** Reads beyond the collectors': finding state (its own table) and the configured suppressions. */
const NON_COLLECTOR_READS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'organizations:ListAccounts',
  's3:GetObject',
  's3:ListBucket',
  'ssm:GetParameter',
];

describe('template.yaml IAM policy', () => {
  it('grants every AWS operation the code calls', () => {
    const called = actionsTheCodeCalls();
    expect(called.size).toBeGreaterThan(30);
    expect([...called].filter((a) => !granted.includes(a) && !CLI_ONLY.includes(a)).sort()).toEqual([]);
  });

  it('grants no read action the code does not call (least privilege)', () => {
    const called = actionsTheCodeCalls();
    expect(
      granted.filter((a) => READ.test(a) && !called.has(a) && !AUTHORIZES_ONLY.includes(a)).sort(),
    ).toEqual([]);
  });

  it("grants exactly the kind table's read actions, plus the reads of finding state and suppressions", () => {
    const reads = [...new Set(granted.filter((a) => READ.test(a) || NON_COLLECTOR_READS.includes(a)))].sort();
    expect(reads).toEqual([...COLLECTOR_ACTIONS, ...NON_COLLECTOR_READS].sort());
  });

  it('uses no wildcard actions', () => {
    expect(granted.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('grants no write action except publishing to its own topic with its own key', () => {
    const writes = statements.filter((s) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => !READ.test(a)),
    );
    expect(writes.map((s) => [s.Action, s.Resource])).toEqual([
      // Entering member accounts: only the audit role of the member-role template, by name.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      [['sts:AssumeRole'], { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${AuditRoleName}' }],
      // The optional run archive: objects in the named bucket only.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      [['s3:PutObject'], { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ResultsBucketName}/*' }],
      // Organization mode: the run's plan and snapshots, in the stack's own bucket under runs/ only.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
      [['s3:PutObject', 's3:GetObject'], { 'Fn::Sub': '${OrgSnapshotBucket.Arn}/runs/*' }],
      // Finding state: conditional writes (and the reads they need) on the function's own table only.
      [['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'], { 'Fn::GetAtt': ['StateTable', 'Arn'] }],
      // Suppressions under customer managed keys: decrypt with the named keys only (see below).
      [['kms:Decrypt'], { 'Fn::Split': [',', { Ref: 'SuppressionsKmsKeyArns' }] }],
      [['sns:Publish'], { Ref: 'FindingsTopic' }],
      [['kms:GenerateDataKey', 'kms:Decrypt'], { 'Fn::GetAtt': ['FindingsKey', 'Arn'] }],
      // Security Hub (SecurityHub=true): import into the account's own default product only.
      [
        ['securityhub:BatchImportFindings'],
        {
          'Fn::Sub':
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
            'arn:${AWS::Partition}:securityhub:*:${AWS::AccountId}:product/${AWS::AccountId}/default',
        },
      ],
    ]);
  });
});

describe('template.yaml finding state and suppressions', () => {
  it('reads suppressions only from the named S3 object and SSM parameter, each only when configured', () => {
    const byId = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(byId.ReadSuppressionsObject).toMatchObject({
      Action: ['s3:GetObject'],
      Resource: {
        'Fn::Sub': [
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
          'arn:${AWS::Partition}:s3:::${Path}',
          { Path: { 'Fn::Select': [1, { 'Fn::Split': ['s3://', { Ref: 'SuppressionsS3Uri' }] }] } },
        ],
      },
    });
    expect(byId.ReadSuppressionsParameter).toMatchObject({
      Action: ['ssm:GetParameter'],
      Resource: {
        'Fn::Sub':
          // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
          'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${SuppressionsParameterName}',
      },
    });
    const conditions = fn.Policies.flatMap((p: { Statement: Record<string, unknown>[] }) => p.Statement)
      .filter((s: Record<string, unknown>) => s['Fn::If'])
      .map((s: { 'Fn::If': [string] }) => s['Fn::If'][0]);
    expect(conditions).toEqual(expect.arrayContaining(['HasSuppressionsObject', 'HasSuppressionsParameter']));
  });

  it('decrypts suppressions only with the given customer managed keys, through SSM or S3, and only when keys are given', () => {
    // Prepare
    const raw = fn.Policies.flatMap((p: { Statement: Record<string, unknown>[] }) => p.Statement);
    const kms = raw.filter(
      (s: { 'Fn::If'?: [string, { Sid?: string }] }) => s['Fn::If']?.[1]?.Sid === 'DecryptSuppressions',
    );
    // Assess: one statement, under its condition, with nothing when the parameter is empty
    expect(kms).toEqual([
      {
        'Fn::If': [
          'HasSuppressionsKmsKeys',
          {
            Sid: 'DecryptSuppressions',
            Effect: 'Allow',
            Action: ['kms:Decrypt'],
            Resource: { 'Fn::Split': [',', { Ref: 'SuppressionsKmsKeyArns' }] },
            Condition: {
              StringEquals: {
                'kms:ViaService': [
                  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
                  { 'Fn::Sub': 'ssm.${AWS::Region}.amazonaws.com' },
                  // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
                  { 'Fn::Sub': 's3.${AWS::Region}.amazonaws.com' },
                ],
              },
            },
          },
          { Ref: 'AWS::NoValue' },
        ],
      },
    ]);
    expect(template.Conditions.HasSuppressionsKmsKeys).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'SuppressionsKmsKeyArns' }, ''] }],
    });
    const param = template.Parameters.SuppressionsKmsKeyArns;
    expect(param.Default).toBe('');
    const pattern = new RegExp(param.AllowedPattern);
    expect(pattern.test('')).toBe(true);
    expect(
      pattern.test(
        'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab,arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      ),
    ).toBe(true);
    expect(pattern.test('arn:aws:kms:us-east-1:111122223333:alias/suppressions')).toBe(false);
    expect(pattern.test('*')).toBe(false);
    // The only other KMS grant is the topic's own key.
    const kmsGrants = statements.filter((s) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith('kms:')),
    );
    expect(kmsGrants.map((s) => s.Sid)).toEqual(['DecryptSuppressions', 'EncryptForOwnTopic']);
  });

  it('creates the state table on demand, with point-in-time recovery, encryption and TTL, and wires the env', () => {
    const table = template.Resources.StateTable;
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'scope', KeyType: 'HASH' },
        { AttributeName: 'fingerprint', KeyType: 'RANGE' },
      ],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(fn.Environment.Variables).toMatchObject({
      STATE_TABLE_NAME: { Ref: 'StateTable' },
      REMINDER_INTERVAL_DAYS: { Ref: 'ReminderIntervalDays' },
      SUPPRESSIONS_S3_URI: { Ref: 'SuppressionsS3Uri' },
      SUPPRESSIONS_PARAMETER: { Ref: 'SuppressionsParameterName' },
    });
    expect(template.Parameters.ReminderIntervalDays.Default).toBe(7);
  });
});

describe('template.yaml function and resources', () => {
  it('runs on a supported runtime, arm64, from the npm run bundle output, one run at a time', () => {
    expect(fn.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    expect(fn.Architectures).toEqual(['arm64']);
    // One run at a time; in organization mode, as many as the state machine runs accounts at once.
    expect(fn.ReservedConcurrentExecutions).toEqual({
      'Fn::If': ['IsOrgMode', { Ref: 'OrgMaxConcurrency' }, 1],
    });
    expect(fn.Timeout).toBe(900);
    // Built by `npm run bundle` (scripts/build.ts), deployed as it is: no sam build method of its own.
    expect(fn.CodeUri).toBe('dist/lambda/');
    expect(fn.Handler).toBe('handler.handler');
    expect(template.Resources.AuditFunction.Metadata).toBeUndefined();
  });

  it('wires the contract environment variables and a schedule parameter defaulting to rate(1 day)', () => {
    expect(Object.keys(fn.Environment.Variables)).toEqual(
      expect.arrayContaining([
        'FINDINGS_TOPIC_ARN',
        'AUDIT_REGIONS',
        'MIN_ALERT_SEVERITY',
        'JOB_WINDOW_DAYS',
        'POWERTOOLS_SERVICE_NAME',
        'POWERTOOLS_METRICS_NAMESPACE',
      ]),
    );
    expect(template.Parameters.ScheduleExpression.Default).toBe('rate(1 day)');
    expect(fn.Events.Schedule.Properties.Schedule).toEqual({ Ref: 'ScheduleExpression' });
  });

  it('encrypts the topic, subscribes email only when given, and sends failed invocations to a queue', () => {
    expect(template.Resources.FindingsTopic.Properties.KmsMasterKeyId).toEqual({ Ref: 'FindingsKey' });
    expect(template.Resources.AlertEmailSubscription.Condition).toBe('HasAlertEmail');
    expect(fn.EventInvokeConfig.DestinationConfig.OnFailure).toEqual({
      Type: 'SQS',
      Destination: { 'Fn::GetAtt': ['FailedInvocationsQueue', 'Arn'] },
    });
    expect(template.Resources.AuditLogGroup.Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' });
  });

  it('alarms on function errors and on critical findings, both to the topic', () => {
    const critical = template.Resources.CriticalFindingsAlarm.Properties;
    expect(critical).toMatchObject({ MetricName: 'Findings', Namespace: { Ref: 'MetricsNamespace' } });
    expect(critical.Dimensions).toContainEqual({ Name: 'Severity', Value: 'CRITICAL' });
    expect(template.Resources.FunctionErrorsAlarm.Properties.MetricName).toBe('Errors');
    for (const alarm of ['CriticalFindingsAlarm', 'FunctionErrorsAlarm']) {
      expect(template.Resources[alarm].Properties.AlarmActions).toEqual([{ Ref: 'FindingsTopic' }]);
    }
  });
});
