/**
 * template.yaml's organization mode: schedule -> state machine. Plan (the function lists the accounts)
 * -> a Distributed Map that collects each item into an S3 snapshot, with bounded concurrency and a
 * tolerated failure share -> Join (the function joins the snapshots and analyzes the organization as
 * one network, once). The definition is validated by asl-validator, the states' payloads by the
 * function's own payload schemas; test/e2e/org-state-machine.test.ts executes the flow.
 */
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  OrgCollectPayloadSchema,
  OrgJoinPayloadSchema,
  OrgPlanPayloadSchema,
} from '../../../src/lambda/org-payload.ts';
import { actionsOf, readTemplate } from '../../fixtures/cfn-yaml.ts';
import { ORG_BUCKET, ORG_FUNCTION_ARN, orgDefinition, orgMachine } from '../../fixtures/org-state-machine.ts';

const template = readTemplate('template.yaml');
const machine = orgMachine();
// biome-ignore lint/suspicious/noExplicitAny: ASL is untyped JSON
const definition = orgDefinition() as any;
const states = definition.States;

/** A JSONPath payload template with its `.$` fields resolved from `values`, as Step Functions does. */
function resolve(
  template: Record<string, unknown>,
  values: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(template).map(([k, v]) => {
      if (!k.endsWith('.$')) return [k, v];
      const path = v as string;
      if (!(path in values)) throw new Error(`no value for ${path}`);
      return [k.slice(0, -2), values[path]];
    }),
  );
}

describe('the organization state machine definition', () => {
  it('is valid Amazon States Language (asl-validator, paths and ARNs checked)', () => {
    // Act
    const out = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });

    // Assess
    expect(out.errors).toEqual([]);
    expect(out.isValid).toBe(true);
  });

  it('is caught by the validator when broken (a transition to no state, a Map without a processor)', () => {
    // Prepare
    const broken = structuredClone(definition);
    broken.States.Plan.Next = 'NoSuchState';
    const noProcessor = structuredClone(definition);
    delete noProcessor.States.CollectAccounts.ItemProcessor;

    // Act
    const a = aslValidator(broken);
    const b = aslValidator(noProcessor);

    // Assess
    expect(a.isValid).toBe(false);
    expect(b.isValid).toBe(false);
  });

  it('replaces every placeholder with a stack value (Partition, function, bucket and the Org* parameters)', () => {
    // Assess
    expect(machine.Properties.DefinitionSubstitutions).toEqual({
      Partition: { Ref: 'AWS::Partition' },
      AuditFunctionArn: { 'Fn::GetAtt': ['AuditFunction', 'Arn'] },
      SnapshotBucket: { Ref: 'OrgSnapshotBucket' },
      MaxConcurrency: { Ref: 'OrgMaxConcurrency' },
      ToleratedFailurePercentage: { Ref: 'OrgToleratedFailurePercentage' },
      RegionGroups: { Ref: 'OrgRegionGroups' },
      IncludeAccounts: { Ref: 'OrgIncludeAccounts' },
      ExcludeAccounts: { Ref: 'OrgExcludeAccounts' },
    });
    expect(JSON.stringify(definition)).not.toMatch(/\$\{/);
  });

  it('plans first: the function gets a plan payload its schema accepts, with the Org* parameters', () => {
    // Prepare
    const plan = states.Plan;
    const withValues = orgDefinition({
      IncludeAccounts: '111111111111,222222222222',
      RegionGroups: 'us-east-1,us-west-2;eu-west-1',
      MaxConcurrency: '25',
      ToleratedFailurePercentage: '5',
    }) as typeof definition;

    // Act
    const payload = OrgPlanPayloadSchema.parse(
      resolve(withValues.States.Plan.Parameters.Payload, { '$$.Execution.Name': 'run-1' }),
    );

    // Assess
    expect(definition.StartAt).toBe('Plan');
    expect(plan.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(plan.Parameters.FunctionName).toBe(ORG_FUNCTION_ARN);
    expect(payload).toEqual({
      mode: 'org-plan',
      runId: 'run-1',
      includeAccounts: ['111111111111', '222222222222'],
      excludeAccounts: [],
      regionGroups: [['us-east-1', 'us-west-2'], ['eu-west-1']],
      maxConcurrency: 25,
      toleratedFailurePercentage: 5,
    });
    expect(plan.Next).toBe('CollectAccounts');
  });

  it('collects in a Distributed Map: bounded concurrency, a tolerated failure share, results to S3', () => {
    // Prepare
    const map = states.CollectAccounts;
    const collect = map.ItemProcessor.States[map.ItemProcessor.StartAt];
    const item = { account: '111111111111', key: 'runs/run-1/accounts/111111111111/all.json' };

    // Act
    const input = resolve(map.ItemSelector, { '$$.Execution.Name': 'run-1', '$$.Map.Item.Value': item });

    // Assess
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    expect(map.ItemsPath).toBe('$.plan.items');
    expect(map.MaxConcurrencyPath).toBe('$.plan.maxConcurrency');
    expect(map.ToleratedFailurePercentagePath).toBe('$.plan.toleratedFailurePercentage');
    expect(states.Plan.ResultSelector).toMatchObject({
      'items.$': '$.Payload.items',
      'maxConcurrency.$': '$.Payload.maxConcurrency',
      'toleratedFailurePercentage.$': '$.Payload.toleratedFailurePercentage',
    });
    expect(OrgCollectPayloadSchema.parse(input)).toEqual({ mode: 'org-collect', runId: 'run-1', item });
    expect(collect.Parameters).toEqual({ FunctionName: ORG_FUNCTION_ARN, 'Payload.$': '$' });
    expect(collect.Retry[0].ErrorEquals).toContain('Lambda.TooManyRequestsException');
    // A failed account fails its child execution (counted against the tolerated share), never caught.
    expect(collect.Catch).toBeUndefined();
    expect(map.ResultWriter).toEqual({
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { Bucket: ORG_BUCKET, Prefix: 'map-results' },
    });
  });

  it('joins once after the map, and after a failed map run too, before ending FAILED', () => {
    // Prepare
    const map = states.CollectAccounts;
    const failed = { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'too many' };

    // Act
    const join = OrgJoinPayloadSchema.parse(
      resolve(states.Join.Parameters.Payload, { '$$.Execution.Name': 'r' }),
    );
    const afterFailure = OrgJoinPayloadSchema.parse(
      resolve(states.JoinAfterMapFailure.Parameters.Payload, {
        '$$.Execution.Name': 'r',
        '$.mapError': failed,
      }),
    );

    // Assess
    expect(map.Next).toBe('Join');
    expect(map.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.mapError', Next: 'JoinAfterMapFailure' },
    ]);
    expect(join).toEqual({ mode: 'org-join', runId: 'r' });
    expect(afterFailure).toEqual({ mode: 'org-join', runId: 'r', mapFailed: failed });
    expect(states.Join.End).toBe(true);
    expect(states.JoinAfterMapFailure.Next).toBe('MapRunFailed');
    expect(states.MapRunFailed.Type).toBe('Fail');
  });

  it('is an optional mode that takes the schedule from the function', () => {
    // Prepare
    const fnSchedule = template.Resources.AuditFunction.Properties.Events.Schedule.Properties;

    // Assess
    expect(template.Parameters.OrganizationMode).toMatchObject({ Default: 'false' });
    expect(machine.Condition).toBe('IsOrgMode');
    expect(template.Resources.OrgSnapshotBucket.Condition).toBe('IsOrgMode');
    expect(template.Resources.OrgRunFailedAlarm.Condition).toBe('IsOrgMode');
    expect(machine.Properties.Events.Schedule.Properties.Schedule).toEqual({ Ref: 'ScheduleExpression' });
    expect(fnSchedule.State).toEqual({ 'Fn::If': ['IsOrgMode', 'DISABLED', 'ENABLED'] });
    expect(template.Resources.AuditFunction.Properties.Environment.Variables.ORG_SNAPSHOT_BUCKET).toEqual({
      'Fn::If': ['IsOrgMode', { Ref: 'OrgSnapshotBucket' }, ''],
    });
  });

  it('grants the state machine only what it does: invoke the function, run its children, write map results', () => {
    // Prepare
    const statements = machine.Properties.Policies.flatMap((p: { Statement: unknown[] }) => p.Statement);
    const writer = statements.find((s: { Sid: string }) => s.Sid === 'DistributedMapResultWriter');

    // Act
    const actions = actionsOf(statements).sort();

    // Assess
    expect(actions).toEqual([
      'lambda:InvokeFunction',
      's3:AbortMultipartUpload',
      's3:GetObject',
      's3:ListMultipartUploadParts',
      's3:PutObject',
      'states:DescribeExecution',
      'states:StartExecution',
      'states:StopExecution',
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax
    expect(writer.Resource).toEqual({ 'Fn::Sub': '${OrgSnapshotBucket.Arn}/map-results/*' });
  });

  it('keeps the snapshot bucket private, encrypted, TLS-only, and its runs for 30 days', () => {
    // Prepare
    const bucket = template.Resources.OrgSnapshotBucket.Properties;
    const policy = template.Resources.OrgSnapshotBucketPolicy.Properties.PolicyDocument.Statement;

    // Assess
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    expect(bucket.LifecycleConfiguration.Rules[0]).toMatchObject({ Status: 'Enabled', ExpirationInDays: 30 });
    expect(policy[0]).toMatchObject({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });
});
