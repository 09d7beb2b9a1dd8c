import { describe, expect, it } from 'vitest';
import { RULES } from '../../../../src/analyze/engine/registry.ts';
import { hashTagValue } from '../../../../src/inventory/tags.ts';
import {
  COVERAGE_GAP_RULE_ID,
  parseSuppressions,
  type Suppression,
  SuppressionError,
  suppressionMatcher,
  unmatchedSuppressionWarnings,
} from '../../../../src/lifecycle/suppress/suppressions.ts';
import { NO_TAGS, type TagLookup } from '../../../../src/lifecycle/suppress/tags.ts';
import { finding } from '../../../fixtures/audit-result.ts';

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
    const decision = suppressionMatcher(parseSuppressions(text, 'test'), now, NO_TAGS)(f);
    // Assess
    expect(decision.suppression !== undefined).toBe(expected);
  });

  it('stops applying at the start of its expiry day (UTC) and then reports the expired one', () => {
    // Prepare
    const list = parseSuppressions('- rule: "sg-*"\n  reason: accepted\n  expires: 2026-12-01', 'test');
    // Act
    const before = suppressionMatcher(list, new Date('2026-11-30T23:59:59Z'), NO_TAGS)(f);
    const after = suppressionMatcher(list, new Date('2026-12-01T00:00:00Z'), NO_TAGS)(f);
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
    const decision = suppressionMatcher(list, now, NO_TAGS)(f);
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

const SECRET = 'SENTINEL-suppression-tag-value-5e0b';
const other = finding(8, 'HIGH');

/** The collected tags of f's resource, by ARN; any other resource's tags were not read. */
function tagsOfF(tags: Record<string, string> | undefined): TagLookup {
  const hashed = tags && Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, hashTagValue(v)]));
  return (x) => (x.resource.arn === f.resource.arn ? hashed : undefined);
}

function decide(text: string, tagsOf: TagLookup, target = f) {
  return suppressionMatcher(parseSuppressions(text, 'test'), now, tagsOf)(target);
}

describe('suppressions by tags', () => {
  const collected = { team: 'ml', env: 'prod', owner: SECRET };

  it.each([
    ['every tag with its exact value', '{team: ml, env: prod}', collected, true],
    ['a secret value, compared by hash', `{owner: "${SECRET}"}`, collected, true],
    ['a wrong value', '{team: data}', collected, false],
    ['a value in another case (exact, no globs)', '{team: ML}', collected, false],
    ['a glob as value (taken literally)', '{team: "*"}', collected, false],
    ['one of two tags wrong', '{team: ml, env: dev}', collected, false],
    ['a missing key', '{cost-center: "1234"}', collected, false],
    ['a resource read without tags ({})', '{team: ml}', {}, false],
    ['a resource whose tags were not read', '{team: ml}', undefined, false],
  ])('%s: %s', (_name, tags, have, expected) => {
    // Act
    const decision = decide(`- rule: "sg-*"\n  tags: ${tags}\n  reason: ok`, tagsOfF(have));
    // Assess
    expect(decision.suppression !== undefined).toBe(expected);
  });

  it.each([
    ['both match', f.resource.id, f, true],
    ['the tags match but not the resource', 'sg-elsewhere', f, false],
    ['the resource matches but its tags were not read', other.resource.id, other, false],
  ])('with resource and tags, needs both: %s', (_name, resource, target, expected) => {
    // Act
    const decision = decide(
      `- rule: "sg-*"\n  resource: ${resource}\n  tags: {team: ml}\n  reason: ok`,
      tagsOfF(collected),
      target,
    );
    // Assess
    expect(decision.suppression !== undefined).toBe(expected);
  });

  it('does not look tags up for an entry without tags', () => {
    // Prepare
    const tagsOf: TagLookup = () => {
      throw new Error('looked up');
    };
    // Act + Assess
    expect(decide('- rule: "sg-*"\n  reason: ok', tagsOf).suppression).toBeDefined();
  });

  it('keeps only the keys: the id names them, the values are nowhere in what parsing returns', () => {
    // Act
    const [s] = parseSuppressions(
      `- rule: "sg-*"\n  resource: "sg-*"\n  tags: {team: ml, owner: "${SECRET}"}\n  reason: ok`,
      'test',
    );
    const decision = suppressionMatcher([s!], now, tagsOfF(collected))(f);
    // Assess
    expect(s?.id).toBe('#1 sg-* sg-* tags: team,owner');
    expect(s?.tagKeys).toEqual(['team', 'owner']);
    expect(s).not.toHaveProperty('tags');
    expect(JSON.stringify(s)).not.toContain(SECRET);
    expect(decision).toEqual({ suppression: { id: '#1 sg-* sg-* tags: team,owner', reason: 'ok' } });
  });

  it.each([
    ['a list', 'tags: [team, ml]', 'tags: must be a map of tag key to value, e.g. {team: ml}'],
    ['a string', `tags: "team=${SECRET}"`, 'tags: must be a map of tag key to value, e.g. {team: ml}'],
    ['an empty map', 'tags: {}', 'tags: must name at least one tag'],
    ['an empty key', 'tags: {"": ml}', 'tags: a tag key cannot be empty'],
    [
      'a number',
      'tags: {cost-center: 4711}',
      'tags.cost-center: the value must be a string (quote a value YAML reads as a number, boolean or null)',
    ],
    ['a null', 'tags: {team: }', 'tags.team: the value must be a string'],
    ['a nested map', `tags: {team: {name: "${SECRET}"}}`, 'tags.team: the value must be a string'],
  ])('rejects tags that are %s, naming the entry and the key but never a value', (_name, line, message) => {
    // Act
    let error: Error | undefined;
    try {
      parseSuppressions(`- rule: "sg-*"\n  reason: ok\n- rule: "nacl-*"\n  ${line}\n  reason: ok`, 's.yaml');
    } catch (err) {
      error = err as Error;
    }
    // Assess
    expect(error).toBeInstanceOf(SuppressionError);
    expect(error?.message).toContain(`suppressions[1] (rule "nacl-*"): ${message}`);
    expect(error?.message).not.toContain(SECRET);
    expect(error?.message).not.toContain('4711');
  });

  it('quotes no line of a file that is not YAML (it may hold a tag value)', () => {
    // Act + Assess
    expect(() =>
      parseSuppressions(`- rule: "sg-*"\n  tags: {owner: "${SECRET}\n  reason: ok\n`, 's.yaml'),
    ).toThrow(/^suppressions s\.yaml: not YAML or JSON: [^\n]*line \d+, column \d+$/);
    try {
      parseSuppressions(`- rule: "sg-*"\n  tags: {owner: "${SECRET}\n  reason: ok\n`, 's.yaml');
    } catch (err) {
      expect((err as Error).message).not.toContain(SECRET);
      expect((err as Error).cause).toBeUndefined();
    }
  });
});

describe('coverage gaps are suppressed only by name', () => {
  const gap = finding(8, 'HIGH', { ruleId: COVERAGE_GAP_RULE_ID });

  it('is a rule of the registry', () => {
    expect(RULES.map((r) => r.meta.id)).toContain(COVERAGE_GAP_RULE_ID);
  });

  it.each([
    ['"*"', '- rule: "*"\n  reason: accept everything'],
    ['"audit-*"', '- rule: "audit-*"\n  reason: glob'],
    ['"audit-coverage-gap?"', '- rule: "audit-coverage-ga?"\n  reason: glob'],
    ['"*" with the resource', `- rule: "*"\n  resource: ${gap.resource.id}\n  reason: ok`],
  ])('a glob rule %s never suppresses a gap, but still suppresses other findings', (_name, text) => {
    // Prepare
    const match = suppressionMatcher(parseSuppressions(text, 'test'), now, NO_TAGS);
    // Act + Assess
    expect(match(gap).suppression).toBeUndefined();
    if (!text.includes('audit-') && !text.includes('resource')) expect(match(f).suppression).toBeDefined();
  });

  it('a suppression naming audit-coverage-gap exactly suppresses the gap, with its other matchers', () => {
    // Prepare
    const text = `- rule: audit-coverage-gap\n  resource: ${gap.resource.id}\n  reason: known\n- rule: audit-coverage-gap\n  region: eu-west-1\n  reason: other region`;
    const [named, otherRegion] = parseSuppressions(text, 'test');
    // Act + Assess
    expect(suppressionMatcher([named as Suppression], now, NO_TAGS)(gap).suppression?.id).toMatch(/^#1 /);
    expect(suppressionMatcher([otherRegion as Suppression], now, NO_TAGS)(gap).suppression).toBeUndefined();
  });
});

describe('suppressions that match no rule', () => {
  const ids = RULES.map((r) => r.meta.id);

  it('are named, each with its entry number and rule', () => {
    // Prepare
    const list = parseSuppressions(
      '- rule: "sg-*"\n  reason: ok\n- rule: sg-world-ingres-admin-port\n  reason: typo\n- rule: "audit-*"\n  reason: glob that can only reach gaps\n- rule: audit-coverage-gap\n  reason: named',
      'test',
    );
    // Act
    const warnings = unmatchedSuppressionWarnings(list, ids);
    // Assess
    expect(warnings).toEqual([
      'warning: suppression #2 sg-world-ingres-admin-port matches no rule (rule "sg-world-ingres-admin-port"): it suppresses nothing',
      'warning: suppression #3 audit-* matches no rule (rule "audit-*"): it suppresses nothing',
    ]);
  });
});
