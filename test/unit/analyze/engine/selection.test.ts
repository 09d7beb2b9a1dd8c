import { describe, expect, it } from 'vitest';
import {
  RuleIdPatternSchema,
  RuleSelectionError,
  resolveRuleRuns,
} from '../../../../src/analyze/engine/selection.ts';

describe('rule selection', () => {
  it('takes the rules a glob matches, with each rule option parsed (defaults applied)', () => {
    // Act
    const runs = resolveRuleRuns({
      rules: ['sg-world-ingress-admin-*'],
      ruleOptions: { 'sg-world-ingress-admin-port': { ports: [2222] } },
    });
    // Assess
    expect(runs.map((r) => r.rule.meta.id)).toEqual(['sg-world-ingress-admin-port']);
    expect(runs[0]?.options).toMatchObject({ ports: [2222] });
  });

  it('names the field of an option for no rule, or an option value the rule rejects', () => {
    // Act + Assess
    expect(() => resolveRuleRuns({ rules: ['*'], ruleOptions: { 'no-such-rule': {} } })).toThrow(
      new RuleSelectionError('ruleOptions.no-such-rule: no rule has this id'),
    );
    expect(() =>
      resolveRuleRuns({ rules: ['*'], ruleOptions: { 'sg-world-ingress-admin-port': { ports: 'ssh' } } }),
    ).toThrow(/^ruleOptions\.sg-world-ingress-admin-port\.ports/);
  });

  it('accepts a pattern only when it matches a rule', () => {
    // Act + Assess
    expect(RuleIdPatternSchema.safeParse('sagemaker-*').success).toBe(true);
    expect(RuleIdPatternSchema.safeParse('no-such-rule').error?.issues[0]?.message).toContain(
      'matches no rule',
    );
    expect(RuleIdPatternSchema.safeParse('SG_*').error?.issues[0]?.message).toContain(
      'is not a rule id or glob',
    );
  });
});
