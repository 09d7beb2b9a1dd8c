/**
 * Suppressions: accepted findings, each with a reason and an optional expiry. One format (YAML or JSON,
 * YAML being a superset) for the CLI's `--suppressions FILE`, the Lambda's S3 object and its SSM
 * parameter. A malformed file is a SuppressionError naming the entry: the run fails, it never falls back
 * to suppressing nothing or everything.
 *
 * An entry may name its resources by tags (`tags: {team: ml}`): the finding's resource must carry every
 * one of them, with exactly that value. The inventory keeps only hashes of tag values, so a suppression's
 * values are hashed as soon as the file is read and never kept, logged or printed: a suppression is
 * shown by its tag keys alone. A resource whose tags were not read never matches a tags suppression.
 */
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { z } from 'zod';
import type { Finding } from '../../analyze/engine/finding.ts';
import { type HashedTags, hashTagValue } from '../../inventory/tags.ts';
import { formatZodError } from '../../util/zod-error.ts';
import type { SuppressionDecision } from '../state/engine.ts';
import type { SuppressionRef } from '../state/transition.ts';
import type { TagLookup } from './tags.ts';

export class SuppressionError extends Error {
  override readonly name = 'SuppressionError';
}

const GLOB = /^[A-Za-z0-9*?:/._#@+=,-]+$/;
const glob = (what: string) =>
  z
    .string()
    .min(1)
    .regex(GLOB, { error: (i) => `${JSON.stringify(i.input)} is not a ${what} or glob` });

/** `2027-03-01` (stops applying at the start of that day, UTC) or a full ISO date-time. */
const Expiry = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const text = v instanceof Date ? v.toISOString() : v.trim();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00.000Z` : text;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(text)} is not a date (YYYY-MM-DD) or ISO date-time`,
    });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

export const SuppressionEntrySchema = z.strictObject({
  /** Rule id or glob, e.g. `sg-world-ingress-*`. */
  rule: glob('rule id'),
  /** Account id or glob; default any. */
  account: glob('account id').optional(),
  /** Region or glob; default any. */
  region: glob('region').optional(),
  /** Resource id or ARN, or a glob over either; default any. */
  resource: glob('resource id or ARN').optional(),
  /**
   * Tags the resource must carry, key -> exact value (no globs). Errors name the key, never the value.
   */
  tags: z
    .record(
      z.string(),
      z.string({
        error: 'the value must be a string (quote a value YAML reads as a number, boolean or null)',
      }),
      { error: 'must be a map of tag key to value, e.g. {team: ml}' },
    )
    .superRefine((tags, ctx) => {
      const keys = Object.keys(tags);
      if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one tag' });
      if (keys.includes('')) ctx.addIssue({ code: 'custom', message: 'a tag key cannot be empty' });
    })
    .optional(),
  reason: z.string({ error: 'is required (say why this finding is accepted)' }).trim().min(1, {
    error: 'is required (say why this finding is accepted)',
  }),
  expires: Expiry.optional(),
});
export type SuppressionEntry = z.infer<typeof SuppressionEntrySchema>;

/**
 * The coverage-gap rule's id. A gap says the audit did not see something: a wide suppression
 * (`rule: "*"`, `audit-*`) written for findings must never hide it, or `--fail-on` could never fire on
 * a run that saw nothing. So a gap is suppressed only by an entry whose rule is exactly this id (and
 * whose other matchers match). test/unit/lifecycle/suppress checks that the registry has this rule.
 */
export const COVERAGE_GAP_RULE_ID = 'audit-coverage-gap';

/** Whether an entry's rule pattern may suppress a finding of `ruleId` (before its other matchers). */
function ruleMatches(pattern: string, rx: RegExp, ruleId: string): boolean {
  return ruleId === COVERAGE_GAP_RULE_ID ? pattern === COVERAGE_GAP_RULE_ID : rx.test(ruleId);
}

const FileSchema = z.union([z.array(z.unknown()), z.strictObject({ suppressions: z.array(z.unknown()) })]);

function globRegex(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
}

/**
 * A parsed suppression. Its tag values are gone: only their keys (for display) and, inside `matches`,
 * their hashes remain.
 */
export interface Suppression extends Omit<SuppressionEntry, 'tags'> {
  /** How digests, logs and state name it: number, rule, resource, tag keys (`#2 sg-* tags: team`). */
  id: string;
  /** The keys of the entry's tags, when it has any. */
  tagKeys?: string[];
  /** Whether it applies to a finding, given the collected tags of the finding's resource. */
  matches: (f: Finding, tagsOf: TagLookup) => boolean;
}

/** Every wanted tag is on the resource with the same value hash; tags not read never match. */
function tagsMatch(wanted: readonly (readonly [string, string])[], have: HashedTags | undefined): boolean {
  return have !== undefined && wanted.every(([key, hash]) => Object.hasOwn(have, key) && have[key] === hash);
}

/**
 * A YAML error's reason and position, never its snippet: the snippet quotes the file, which may hold
 * tag values.
 */
function yamlProblem(err: unknown): string {
  const { reason, mark } = err as { reason?: string; mark?: { line: number; column: number } };
  if (reason === undefined) return (String((err as Error).message).split('\n')[0] ?? '').replace(/:$/, '');
  return mark ? `${reason} at line ${mark.line + 1}, column ${mark.column + 1}` : reason;
}

/** Parse and validate a suppressions document; `source` names it in errors. */
export function parseSuppressions(text: string, source: string): Suppression[] {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? [] : loadYaml(text, { schema: CORE_SCHEMA });
  } catch (err) {
    // No `cause`: the YAML error quotes the offending line, which may hold a tag value.
    throw new SuppressionError(`suppressions ${source}: not YAML or JSON: ${yamlProblem(err)}`);
  }
  const file = FileSchema.safeParse(doc ?? []);
  if (!file.success) {
    throw new SuppressionError(
      `suppressions ${source}: expected a list of entries, or {"suppressions": [...]}`,
    );
  }
  const entries = Array.isArray(file.data) ? file.data : file.data.suppressions;
  const problems: string[] = [];
  const out: Suppression[] = [];
  entries.forEach((raw, i) => {
    const rule = (raw as { rule?: unknown } | null)?.rule;
    const name = `suppressions[${i}]${typeof rule === 'string' ? ` (rule ${JSON.stringify(rule)})` : ''}`;
    const parsed = SuppressionEntrySchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(
        ...formatZodError(parsed.error)
          .split('\n')
          .map((l) => `${name}: ${l}`),
      );
      return;
    }
    const { tags, ...e } = parsed.data;
    const rx = {
      rule: globRegex(e.rule),
      account: globRegex(e.account ?? '*'),
      region: globRegex(e.region ?? '*'),
      resource: globRegex(e.resource ?? '*'),
    };
    // The values are hashed here and dropped: nothing downstream ever holds them.
    const wanted = tags
      ? Object.entries(tags).map(([key, value]) => [key, hashTagValue(value)] as const)
      : [];
    const tagKeys = wanted.map(([key]) => key);
    out.push({
      ...e,
      id: `#${i + 1} ${e.rule}${e.resource ? ` ${e.resource}` : ''}${tagKeys.length ? ` tags: ${tagKeys.join(',')}` : ''}`,
      ...(tagKeys.length ? { tagKeys } : {}),
      matches: (f, tagsOf) =>
        ruleMatches(e.rule, rx.rule, f.ruleId) &&
        rx.account.test(f.account) &&
        rx.region.test(f.region) &&
        (rx.resource.test(f.resource.id) || rx.resource.test(f.resource.arn)) &&
        (wanted.length === 0 || tagsMatch(wanted, tagsOf(f))),
    });
  });
  if (problems.length) {
    throw new SuppressionError(
      `suppressions ${source} are invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  return out;
}

/**
 * The suppressions whose rule id or glob matches none of `ruleIds` (the registry's): a typo that would
 * silently suppress nothing. The entries name them in a warning; the run goes on.
 */
export function unmatchedSuppressions(
  suppressions: readonly Suppression[],
  ruleIds: readonly string[],
): Suppression[] {
  return suppressions.filter((s) => {
    const rx = globRegex(s.rule);
    return !ruleIds.some((id) => ruleMatches(s.rule, rx, id));
  });
}

/** One warning line per suppression that matches no rule. */
export function unmatchedSuppressionWarnings(
  suppressions: readonly Suppression[],
  ruleIds: readonly string[],
): string[] {
  return unmatchedSuppressions(suppressions, ruleIds).map(
    (s) =>
      `warning: suppression ${s.id} matches no rule (rule ${JSON.stringify(s.rule)}): it suppresses nothing`,
  );
}

function ref(s: Suppression): SuppressionRef {
  return { id: s.id, reason: s.reason, ...(s.expires ? { expires: s.expires } : {}) };
}

/**
 * The decision for one finding at `now`: the first suppression in force, else an expired one that
 * matched. `tagsOf` gives the collected tags of a finding's resource (from the run's inventory; NO_TAGS
 * when there is none, and then no tags suppression matches).
 */
export function suppressionMatcher(
  suppressions: readonly Suppression[],
  now: Date,
  tagsOf: TagLookup,
): (f: Finding) => SuppressionDecision {
  return (f) => {
    let expired: Suppression | undefined;
    for (const s of suppressions) {
      if (!s.matches(f, tagsOf)) continue;
      if (s.expires === undefined || Date.parse(s.expires) > now.getTime()) return { suppression: ref(s) };
      expired ??= s;
    }
    return expired ? { expired: ref(expired) } : {};
  };
}
