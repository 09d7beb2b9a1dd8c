/**
 * The CLI's `explain` and `rules` commands past their flags: which finding, ML resource or rule a
 * user named, and its words (report/explain.ts). A name that matches nothing is a UsageError (exit 2).
 */
import type { Finding } from './analyze/engine/finding.ts';
import { RULES } from './analyze/engine/registry.ts';
import { resourceOf } from './analyze/engine/resources.ts';
import { findPlacement, traceResource } from './analyze/paths/trace.ts';
import { UsageError } from './cli-options.ts';
import { RESOURCE_TABLE, type ResourceArrayKind } from './inventory/kinds.ts';
import type { Inventory } from './inventory/schema.ts';
import {
  type ExplainOptions,
  explainFinding,
  explainFindings,
  explainResource,
  ruleDocumentation,
} from './report/explain.ts';
import type { AuditResult } from './result.ts';

/** A fingerprint, or at least 8 of its leading hex digits. */
const FINGERPRINT_PREFIX = /^[0-9a-f]{8,32}$/;

function byFingerprint(findings: readonly Finding[], target: string): Finding[] {
  if (!FINGERPRINT_PREFIX.test(target)) return [];
  return findings.filter((f) => f.fingerprint.startsWith(target));
}

/** Whether the inventory holds a resource with this id or ARN (one that has no finding). */
function inInventory(inventory: Inventory, target: string): boolean {
  for (const scope of inventory.regions) {
    for (const kind of Object.keys(RESOURCE_TABLE) as ResourceArrayKind[]) {
      for (const item of scope[kind]) {
        const r = resourceOf(scope, kind, item);
        if (r.id === target || r.arn === target) return true;
      }
    }
  }
  return false;
}

/** `explain <fingerprint | resource id | ARN>` over an analyzed inventory. */
export function explainText(
  target: string,
  result: AuditResult,
  inventory: Inventory,
  options: ExplainOptions,
): string {
  const name = target.trim();
  if (!name) throw new UsageError('explain: give a fingerprint, a resource id or an ARN');
  const matches = byFingerprint(result.findings, name.toLowerCase());
  if (matches.length > 1)
    throw new UsageError(`explain: ${name} starts ${matches.length} fingerprints; give more of it`);
  const [finding] = matches;
  if (finding) {
    const at = findPlacement(inventory, finding.resource.arn);
    return explainFinding(finding, at && traceResource(at.scope, at.placement), options);
  }
  const at = findPlacement(inventory, name);
  if (at) {
    const r = at.placement.resource;
    const about = result.findings.filter((f) => f.resource.arn === r.arn);
    return explainResource(traceResource(at.scope, at.placement), about, options);
  }
  const about = result.findings.filter((f) => f.resource.id === name || f.resource.arn === name);
  if (about.length) return explainFindings(about, options);
  if (inInventory(inventory, name))
    return `${name}: no findings (it is no ML resource, and no rule reported on it)\n`;
  throw new UsageError(
    `explain: ${JSON.stringify(name)} is no fingerprint of this run, no ML resource and no resource of the inventory (ids, names and ARNs of ML resources, ids and ARNs of the others)`,
  );
}

/** `rules [id]`: every rule in a line (or as JSON), or one rule's full documentation. */
export function rulesText(id: string | undefined, format: 'table' | 'json', options: ExplainOptions): string {
  const rules = id === undefined ? RULES : RULES.filter((r) => r.meta.id === id);
  if (rules.length === 0)
    throw new UsageError(`rules: no rule ${JSON.stringify(id)} (\`ml-network-audit rules\` lists them)`);
  const json = rules.map((r) => ({
    id: r.meta.id,
    title: r.meta.title,
    severity: r.meta.severity,
    category: r.meta.category,
    rationale: r.meta.rationale,
    remediation: r.meta.remediation,
    references: r.meta.references,
    needs: r.meta.needs,
    options: r.meta.options ? r.meta.options.parse({}) : {},
    docs: r.meta.docs,
  }));
  if (format === 'json') return `${JSON.stringify(id === undefined ? json : json[0], null, 2)}\n`;
  const [one] = rules;
  if (id !== undefined && one) return ruleDocumentation(one.meta, options);
  const width = Math.max(...RULES.map((r) => r.meta.id.length));
  return RULES.map((r) => `${r.meta.id.padEnd(width)}  ${r.meta.severity.padEnd(8)}  ${r.meta.title}\n`).join(
    '',
  );
}
