import { describe, expect, it } from 'vitest';
import {
  parseSuppressions,
  SuppressionError,
  suppressionMatcher,
} from '../../../src/suppress/suppressions.ts';
import { finding } from '../../fixtures/audit-result.ts';

const f = finding(7, 'HIGH');
const now = new Date('2026-11-22T06:00:00Z');

describe('suppression matching', () => {
  it.each([
    [
      'the rule glob and resource id',
      `- rule: "sg-world-*"\n  resource: ${f.resource.id}\n  reason: ok`,
      true,
    ],
    [
      'an ARN glob',
      '- rule: "*"\n  resource: "arn:aws:ec2:us-east-1:111122223333:security-group/*"\n  reason: ok',
      true,
    ],
    [
      'account and region',
      '- rule: "sg-*"\n  account: "111122223333"\n  region: us-east-1\n  reason: ok',
      true,
    ],
    ['another account', '- rule: "sg-*"\n  account: "999999999999"\n  reason: ok', false],
    ['another region glob', '- rule: "sg-*"\n  region: "eu-*"\n  reason: ok', false],
    ['another resource', '- rule: "sg-*"\n  resource: sg-other\n  reason: ok', false],
    ['another rule', '- rule: "nacl-*"\n  reason: ok', false],
    ['JSON', `{"suppressions":[{"rule":"sg-*","resource":"${f.resource.id}","reason":"ok"}]}`, true],
  ])('matches on %s: %s', (_name, text, expected) => {
    // Act
    const decision = suppressionMatcher(parseSuppressions(text, 'test'), now)(f);
    // Assess
    expect(decision.suppression !== undefined).toBe(expected);
  });

  it('stops applying at the start of its expiry day (UTC) and then reports the expired one', () => {
    // Prepare
    const list = parseSuppressions('- rule: "sg-*"\n  reason: accepted\n  expires: 2026-12-01', 'test');
    // Act
    const before = suppressionMatcher(list, new Date('2026-11-30T23:59:59Z'))(f);
    const after = suppressionMatcher(list, new Date('2026-12-01T00:00:00Z'))(f);
    // Assess
    expect(before).toEqual({
      suppression: { id: '#1 sg-*', reason: 'accepted', expires: '2026-12-01T00:00:00.000Z' },
    });
    expect(after).toEqual({
      expired: { id: '#1 sg-*', reason: 'accepted', expires: '2026-12-01T00:00:00.000Z' },
    });
  });

  it('prefers a suppression in force over an expired one that also matches', () => {
    // Prepare
    const list = parseSuppressions(
      '- rule: "sg-*"\n  reason: old\n  expires: 2020-01-01\n- rule: "sg-*"\n  reason: renewed\n  expires: 2027-01-01',
      'test',
    );
    // Act
    const decision = suppressionMatcher(list, now)(f);
    // Assess
    expect(decision.suppression?.reason).toBe('renewed');
  });

  it('names every bad entry at once, and never returns a partial list', () => {
    // Act + Assess
    expect(() =>
      parseSuppressions(
        '- rule: "sg-*"\n  reason: ok\n- rule: "x y"\n  reason: ok\n- reason: no rule',
        's.yaml',
      ),
    ).toThrow(
      new SuppressionError(
        [
          'suppressions s.yaml are invalid:',
          '  suppressions[1] (rule "x y"): rule: "x y" is not a rule id or glob',
          '  suppressions[2]: rule: Invalid input: expected string, received undefined',
        ].join('\n'),
      ),
    );
  });

  it('accepts an empty document as no suppressions', () => {
    expect(parseSuppressions('', 'empty')).toEqual([]);
  });
});
