/**
 * template.yaml's organization mode: schedule -> state machine -> function. The state machine lists
 * the organization's accounts (every page), fans out over them in a Distributed Map with bounded
 * concurrency, invoking the audit function once per account (or account and region group), catches a
 * failed account without failing the run, aggregates, and publishes one organization digest.
 */
import { describe, expect, it } from 'vitest';
import { actionsOf, readTemplate } from '../../fixtures/cfn-yaml.ts';

const template = readTemplate('template.yaml');
const machine = template.Resources.OrgAuditStateMachine;
const definition = machine.Properties.Definition;
const states = definition.States;

describe('organization mode', () => {
  it('is an optional mode: a parameter and a condition, off by default', () => {
    // Assess
    expect(template.Parameters.OrganizationMode).toMatchObject({
      Default: 'false',
      AllowedValues: ['true', 'false'],
    });
    expect(template.Conditions.IsOrgMode).toEqual({ 'Fn::Equals': [{ Ref: 'OrganizationMode' }, 'true'] });
    expect(machine.Condition).toBe('IsOrgMode');
    expect(template.Outputs.OrgAuditStateMachineArn.Condition).toBe('IsOrgMode');
  });

  it('moves the schedule from the function to the state machine', () => {
    // Prepare
    const fnSchedule = template.Resources.AuditFunction.Properties.Events.Schedule.Properties;

    // Assess
    expect(machine.Properties.Events.Schedule).toEqual({
      Type: 'Schedule',
      Properties: expect.objectContaining({ Schedule: { Ref: 'ScheduleExpression' } }),
    });
    expect(fnSchedule.State).toEqual({ 'Fn::If': ['IsOrgMode', 'DISABLED', 'ENABLED'] });
  });

  it('lists the accounts page by page before auditing them', () => {
    // Prepare
    const list = states.ListAccounts;
    const more = states.MoreAccounts;

    // Assess
    expect(definition.StartAt).toBe('Init');
    expect(states.Init.Next).toBe('ListAccounts');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions syntax
    expect(list.Resource).toBe('arn:${Partition}:states:::aws-sdk:organizations:listAccounts');
    expect(list.Assign.accounts).toContain("'ACTIVE'");
    expect(list.Next).toBe('MoreAccounts');
    expect(more.Type).toBe('Choice');
    expect(more.Choices[0].Next).toBe('ListAccounts');
    expect(more.Default).toBe('AuditAccounts');
  });

  it('runs a Distributed Map over the accounts with bounded concurrency, one invocation per item', () => {
    // Prepare
    const map = states.AuditAccounts;
    const invoke = map.ItemProcessor.States[map.ItemProcessor.StartAt];

    // Assess
    expect(map.Type).toBe('Map');
    expect(map.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions syntax
    expect(map.MaxConcurrency).toBe('{% ${MaxConcurrency} %}');
    expect(machine.Properties.DefinitionSubstitutions.MaxConcurrency).toEqual({ Ref: 'OrgMaxConcurrency' });
    for (const name of ['IncludeAccounts', 'ExcludeAccounts', 'RegionGroups']) {
      expect(map.Items).toContain(`\${${name}}`);
    }
    // biome-ignore lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions syntax
    expect(invoke.Resource).toBe('arn:${Partition}:states:::lambda:invoke');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions syntax
    expect(invoke.Arguments.FunctionName).toBe('${AuditFunctionArn}');
    expect(machine.Properties.DefinitionSubstitutions.AuditFunctionArn).toEqual({
      'Fn::GetAtt': ['AuditFunction', 'Arn'],
    });
    expect(invoke.Arguments.Payload).toContain("'accounts': [$states.input.account]");
    expect(invoke.Arguments.Payload).toContain("'notify': 'none'");
    expect(invoke.Retry[0].ErrorEquals).toContain('Lambda.TooManyRequestsException');
    expect(invoke.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'AccountFailed' });
  });

  it('aggregates the per-account summaries and publishes one organization digest to the topic', () => {
    // Prepare
    const publish = states.PublishOrganizationDigest;

    // Assess
    expect(states.AuditAccounts.Assign.summary).toContain('$sum($ok.findings)');
    expect(states.AuditAccounts.Next).toBe('AnythingToReport');
    expect(states.AnythingToReport.Choices[0].Next).toBe('PublishOrganizationDigest');
    expect(states.AnythingToReport.Default).toBe('Done');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions syntax
    expect(publish.Resource).toBe('arn:${Partition}:states:::sns:publish');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: DefinitionSubstitutions syntax
    expect(publish.Arguments.TopicArn).toBe('${FindingsTopicArn}');
    expect(machine.Properties.DefinitionSubstitutions.FindingsTopicArn).toEqual({ Ref: 'FindingsTopic' });
    expect(publish.End).toBe(true);
  });

  it('every state is reachable and every transition names a state', () => {
    // Prepare
    const reached = new Set<string>();
    const visit = (all: Record<string, Record<string, unknown>>, name: string) => {
      if (reached.has(name)) return;
      reached.add(name);
      const s = all[name];
      expect(s, `state ${name}`).toBeDefined();
      const next = [
        s?.Next,
        s?.Default,
        ...((s?.Choices as { Next: string }[] | undefined) ?? []).map((c) => c.Next),
        ...((s?.Catch as { Next: string }[] | undefined) ?? []).map((c) => c.Next),
      ].filter((n): n is string => typeof n === 'string');
      for (const n of next) visit(all, n);
    };

    // Act
    visit(states, definition.StartAt);
    const inner = states.AuditAccounts.ItemProcessor;
    visit(inner.States, inner.StartAt);

    // Assess
    expect([...reached].filter((n) => n in states).sort()).toEqual(Object.keys(states).sort());
    expect(Object.keys(inner.States).every((n) => reached.has(n))).toBe(true);
  });

  it('grants the state machine only what it does: list accounts, invoke the function, its own children, publish', () => {
    // Prepare
    const statements = machine.Properties.Policies.flatMap((p: { Statement: unknown[] }) => p.Statement);

    // Act
    const actions = actionsOf(statements).sort();

    // Assess
    expect(actions).toEqual([
      'kms:Decrypt',
      'kms:GenerateDataKey',
      'lambda:InvokeFunction',
      'organizations:ListAccounts',
      'sns:Publish',
      'states:DescribeExecution',
      'states:StartExecution',
      'states:StopExecution',
    ]);
    expect(template.Resources.AuditFunction.Properties.ReservedConcurrentExecutions).toEqual({
      'Fn::If': ['IsOrgMode', { Ref: 'OrgMaxConcurrency' }, 1],
    });
  });
});
