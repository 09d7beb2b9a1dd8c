/**
 * Rule selection: which rules a run takes (ids or globs) and each one's options, parsed by the rule's
 * own schema. The config (config.ts) only carries the raw patterns and options; what they mean is the
 * engine's business.
 */
import { z } from 'zod';
import { formatZodError } from '../../util/zod-error.ts';
import { RULES } from './registry.ts';
import { ruleMatcher } from './rule.ts';
import type { RuleRun } from './run.ts';

/** A pattern or an option that selects nothing or does not parse; the message names the field. */
export class RuleSelectionError extends Error {
  override readonly name = 'RuleSelectionError';
}

/** A rule id or glob that matches at least one rule. */
export const RuleIdPatternSchema = z
  .string()
  .regex(/^[a-z0-9*?-]+$/, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a rule id or glob (letters, digits, -, * and ?)`,
  })
  .refine((p) => RULES.some((r) => ruleMatcher([p])(r.meta.id)), {
    error: (issue) => `${JSON.stringify(issue.input)} matches no rule (see \`ml-network-audit rules\`)`,
  });

export interface RuleSelection {
  /** Rule ids or globs. */
  rules: readonly string[];
  /** Rule ids or globs left out of `rules` (--exclude-rules). */
  excludeRules?: readonly string[] | undefined;
  /** Options per rule id; each is validated by the rule's own schema. */
  ruleOptions: Readonly<Record<string, unknown>>;
}

/** The selected rules with their parsed options. Throws RuleSelectionError naming the rule and option. */
export function resolveRuleRuns(selection: RuleSelection): RuleRun[] {
  for (const id of Object.keys(selection.ruleOptions)) {
    if (!RULES.some((r) => r.meta.id === id))
      throw new RuleSelectionError(`ruleOptions.${id}: no rule has this id`);
  }
  const selected = ruleMatcher(selection.rules);
  const excluded = ruleMatcher(selection.excludeRules ?? []);
  const chosen = RULES.filter((r) => selected(r.meta.id) && !excluded(r.meta.id));
  if (chosen.length === 0)
    throw new RuleSelectionError(
      `excludeRules: leaves no rule to run (rules ${selection.rules.join(',')} minus ${(selection.excludeRules ?? []).join(',')})`,
    );
  return chosen.map((rule) => {
    const raw = selection.ruleOptions[rule.meta.id] ?? {};
    if (!rule.meta.options) return { rule, options: raw };
    const parsed = rule.meta.options.safeParse(raw);
    if (!parsed.success)
      throw new RuleSelectionError(formatZodError(parsed.error, `ruleOptions.${rule.meta.id}`));
    return { rule, options: parsed.data };
  });
}
