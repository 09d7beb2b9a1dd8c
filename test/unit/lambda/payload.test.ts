import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIST_CAPS } from '../../../src/config.ts';
import { classifyEvent, OnDemandPayloadSchema, PayloadError } from '../../../src/lambda/payload.ts';

const rule = JSON.parse(readFileSync('events/scheduled.json', 'utf8'));
const scheduler = {
  ...rule,
  source: 'aws.scheduler',
  resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/ml-network-audit'],
  detail: '{}',
};

function rejection(event: unknown): string {
  try {
    classifyEvent(event);
  } catch (err) {
    expect(err).toBeInstanceOf(PayloadError);
    return (err as Error).message;
  }
  throw new Error('the event was accepted');
}

describe('classifyEvent: schedules', () => {
  it.each([
    ['an EventBridge rule schedule', rule],
    ['an EventBridge Scheduler default notification', scheduler],
    ['a Scheduler notification whose detail is an object', { ...scheduler, detail: {} }],
    [
      'a rule on a GovCloud partition',
      {
        ...rule,
        resources: ['arn:aws-us-gov:events:us-gov-west-1:123456789012:rule/r'],
        region: 'us-gov-west-1',
      },
    ],
    ['an empty object (Scheduler Input {})', {}],
  ])('recognizes %s', (_what, event) => {
    expect(classifyEvent(event)).toEqual({ kind: 'scheduled' });
  });

  it.each([
    ['no id', (({ id: _id, ...e }) => e)(rule)],
    ['a bad time', { ...rule, time: 'yesterday' }],
    ['a bad account', { ...rule, account: '12345' }],
    ['two resources', { ...rule, resources: [...rule.resources, ...rule.resources] }],
    ['a scheduler source with a rule ARN', { ...scheduler, resources: rule.resources }],
    ['another detail-type', { ...rule, 'detail-type': 'EC2 Instance State-change Notification' }],
    ['a non-empty Scheduler detail', { ...scheduler, detail: '{"regions":["us-east-1"]}' }],
  ])('does not take an envelope with %s for a schedule', (_what, event) => {
    expect(rejection(event)).toMatch(/recognized by their whole envelope/);
  });

  it('rejects what is not an object, saying so', () => {
    expect(rejection([{ regions: ['us-east-1'] }])).toMatch(/must be a JSON object.*an array/);
    expect(rejection(42)).toMatch(/must be a JSON object.*number/);
  });
});

describe('classifyEvent: unknown fields', () => {
  it('names each unknown field JSON-quoted, with the fields there are', () => {
    // Act
    const message = rejection({ dryRun: true, 'dry run': true, '"': 1 });
    // Assess
    expect(message).toContain('unknown fields "dry run", "\\"" (the fields are');
    for (const field of Object.keys(OnDemandPayloadSchema.shape)) expect(message).toContain(field);
  });
});

describe('classifyEvent: on-demand lists are capped and de-duplicated', () => {
  it('de-duplicates regions, rules and accounts, keeping the first occurrence', () => {
    // Act
    const out = classifyEvent({
      regions: ['eu-west-1', 'us-east-1', 'eu-west-1'],
      rules: ['sg-*', 'sg-*'],
      accounts: ['111122223333', '111122223333', '444455556666'],
    });
    // Assess
    expect(out).toEqual({
      kind: 'on-demand',
      payload: {
        regions: ['eu-west-1', 'us-east-1'],
        rules: ['sg-*'],
        accounts: ['111122223333', '444455556666'],
      },
    });
  });

  it('refuses 200,000 copies of a region at once, naming the field and the cap', () => {
    // Prepare
    const started = performance.now();
    // Act
    const message = rejection({ regions: Array(200_000).fill('us-east-1') });
    // Assess
    expect(message).toMatch(`regions: at most ${LIST_CAPS.regions} regions (got 200000)`);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it.each([
    ['accounts', Array.from({ length: LIST_CAPS.accounts + 1 }, (_, i) => String(i).padStart(12, '0'))],
    ['rules', Array(LIST_CAPS.rules + 1).fill('sg-*')],
  ])('refuses more %s than the cap', (field, list) => {
    expect(rejection({ [field]: list })).toMatch(
      new RegExp(`^invalid payload: ${field}: at most \\d+ ${field}`),
    );
  });

  it('accepts exactly the cap', () => {
    const accounts = Array.from({ length: LIST_CAPS.accounts }, (_, i) => String(i).padStart(12, '0'));
    expect(classifyEvent({ accounts })).toMatchObject({
      payload: { accounts: { length: LIST_CAPS.accounts } },
    });
  });

  it.each([
    [{ regions: [] }, /regions: must name at least one/],
    [{ regions: 'everywhere' }, /regions: must be "all" or a list of regions/],
    [{ regions: 'all', rules: ['nope-*'] }, /rules\[0\]: "nope-\*" matches no rule/],
  ])('rejects %j naming the field', (payload, message) => {
    expect(rejection(payload)).toMatch(message);
  });
});
