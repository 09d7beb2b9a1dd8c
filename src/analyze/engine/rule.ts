/**
 * The rule framework: one rule per file under rules/<domain>/<id>.ts, metadata beside a pure
 * `evaluate`. Rules see one region's inventory (plus a shared index) and return drafts; the runner
 * turns drafts into findings, so the finding shape, fingerprints and coverage handling live in one place.
 */
import type { z } from 'zod';
import type { RegionInventory, ResourceKind } from '../../inventory/schema.ts';
import type { FindingResource, Severity, Status } from './finding.ts';
import type { ScopeIndex } from './scope-index.ts';

export const CATEGORIES = [
  'security-groups',
  'network-acls',
  'routes',
  'vpc-endpoints',
  'sagemaker',
  'network-firewall',
  'reachability',
  'coverage',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface RuleMeta<O = unknown> {
  /** Stable id; equals the file name. Tests, suppressions, metrics and dashboards key on it. */
  id: string;
  title: string;
  /** Default severity; a draft may raise or lower it when its evidence says why. */
  severity: Severity;
  category: Category;
  /** Why it matters. */
  rationale: string;
  /** What to change, in general; a draft may give a more specific one. */
  remediation: string;
  /** Peer controls, e.g. "CIS 5.3", "FSBP EC2.13". Empty when the rule goes beyond the peers. */
  references: string[];
  /** Exact semantics: what fails, what does not, and what the rule cannot see. Markdown. */
  docs: string;
  /**
   * Inventory kinds the rule reads whose data can change its verdict. A gap in any of them makes the
   * rule NOT_EVALUATED for the scope.
   */
  needs: readonly ResourceKind[];
  /**
   * Kinds the rule also reads but does not need: only for the wording or evidence of a finding it
   * makes anyway, or with its own NOT_EVALUATED draft when they could not be read (the docs say which).
   * A gap in one of them never hides a failure (test/unit/analyze/engine/needs.test.ts checks both).
   */
  optionalReads?: readonly ResourceKind[];
  /** Options with defaults (parse({}) gives the defaults). */
  options?: z.ZodType<O>;
}

export interface Draft {
  resource: FindingResource;
  /** One specific sentence: names ports, CIDRs, rule numbers, related resources. */
  message: string;
  evidence: Record<string, unknown>;
  /** Overrides the rule's default severity; say why in the evidence. */
  severity?: Severity;
  /** Defaults to FAIL. */
  status?: Status;
  remediation?: string;
  /** Distinguishes two problems of one rule on one resource, for the fingerprint. */
  key?: string;
}

export interface RuleContext<O = unknown> {
  scope: RegionInventory;
  index: ScopeIndex;
  options: O;
}

export interface Rule<O = unknown> {
  meta: RuleMeta<O>;
  evaluate(ctx: RuleContext<O>): Draft[];
}

/** Identity with types: keeps each rule file's options typed. */
export function defineRule<O>(rule: Rule<O>): Rule<O> {
  return rule;
}

/** Rule-id glob (`sagemaker-*`, `sg-world-?ngress*`) to a matcher. */
export function ruleMatcher(patterns: readonly string[]): (id: string) => boolean {
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ),
  );
  return (id) => regexes.some((r) => r.test(id));
}
