/**
 * The runner: every selected rule over every scope (account + region) of an inventory.
 *
 * - A gap in a kind a rule needs makes the rule NOT_EVALUATED for that scope: we never report clean
 *   for what we did not see.
 * - A gap about one resource (a failed describe) makes the rule NOT_EVALUATED for that resource.
 * - An informational gap (a failed call whose data was read another way) makes nothing NOT_EVALUATED.
 * - A rule that throws becomes a finding about the rule, never a silent pass.
 * - With the `ml` scope, findings outside the network around ML are left out (ml-scope.ts).
 */
import { regionArn } from '../../inventory/arn.ts';
import type { CoverageGap, Inventory, RegionInventory, ResourceKind } from '../../inventory/schema.ts';
import { COMPUTE_PLACEMENT_KINDS, PLACEMENT_NEEDS } from '../aws/ml-placements.ts';
import { compareFindings, type Finding, fingerprintOf } from './finding.ts';
import { inMlScope, mlScopeVpcs, type ScopeMode } from './ml-scope.ts';
import { resourceOfKind } from './resources.ts';
import type { Draft, Rule } from './rule.ts';
import { ScopeIndex } from './scope-index.ts';

export interface RuleRun {
  rule: Rule<unknown>;
  /** Parsed options (defaults applied). */
  options: unknown;
}

function toFinding(rule: Rule<unknown>, scope: RegionInventory, draft: Draft): Finding {
  const meta = rule.meta;
  return {
    ruleId: meta.id,
    title: meta.title,
    severity: draft.severity ?? meta.severity,
    status: draft.status ?? 'FAIL',
    account: scope.account,
    region: scope.region,
    resource: draft.resource,
    message: draft.message,
    evidence: draft.evidence,
    remediation: draft.remediation ?? meta.remediation,
    references: [...meta.references],
    fingerprint: fingerprintOf({
      ruleId: meta.id,
      account: scope.account,
      region: scope.region,
      resourceId: draft.resource.id,
      key: draft.status === 'NOT_EVALUATED' ? `not-evaluated:${draft.key ?? ''}` : draft.key,
    }),
  };
}

function scopeResource(scope: RegionInventory) {
  return {
    type: 'AWS::Region',
    id: `${scope.account}/${scope.region}`,
    arn: regionArn(scope),
    name: scope.region,
  };
}

const PLACEMENT_KINDS = new Set<ResourceKind>(PLACEMENT_NEEDS);
const PARTIAL_KINDS = new Set<ResourceKind>(COMPUTE_PLACEMENT_KINDS);

/**
 * A compute kind that only adds placements could not be listed: the rule's findings on what was read
 * stand, and beside them it says NOT_EVALUATED for the scope (those resources, and the network around
 * them, were not seen).
 */
function unreadPlacementsDraft(scope: RegionInventory, gaps: readonly CoverageGap[]): Draft[] {
  if (gaps.length === 0) return [];
  const kinds = [...new Set(gaps.map((g) => g.kind))];
  return [
    {
      status: 'NOT_EVALUATED',
      key: 'ml-placements-unread',
      resource: scopeResource(scope),
      message: `Not evaluated in full in ${scope.account} ${scope.region}: could not read ${kinds.join(', ')} (${gapText(gaps)}), so findings about those ML resources and the network they use may be missing.`,
      evidence: { missingKinds: kinds, gaps },
      remediation:
        'Grant the read-only actions listed in the coverage gaps (or fix what blocked them) and run again.',
    },
  ];
}

/** Categories whose findings name the ML resource itself: a failed describe is that resource's NOT_EVALUATED. */
const ABOUT_ML_RESOURCES = new Set<string>(['sagemaker', 'reachability']);

/**
 * An ML resource that could not be described sits somewhere unknown in the network: a rule that judges
 * the network around ML resources (a VPC, a subnet, a group, an endpoint, a firewall) cannot clear what
 * that resource uses, so beside its findings it says NOT_EVALUATED for the scope.
 */
function unplacedDraft(rule: Rule<unknown>, scope: RegionInventory, needed: readonly CoverageGap[]): Draft[] {
  if (ABOUT_ML_RESOURCES.has(rule.meta.category)) return [];
  const unplaced = needed.filter((g) => g.resourceId !== undefined && PLACEMENT_KINDS.has(g.kind));
  if (unplaced.length === 0) return [];
  const ids = [...new Set(unplaced.map((g) => g.resourceId!))];
  return [
    {
      status: 'NOT_EVALUATED',
      key: 'ml-placement-unknown',
      resource: scopeResource(scope),
      message: `Not evaluated in full in ${scope.account} ${scope.region}: where ${ids.join(', ')} ${ids.length === 1 ? 'sits' : 'sit'} in the network is unknown (${gapText(unplaced)}), so findings about the VPCs, subnets and security groups ${ids.length === 1 ? 'it uses' : 'they use'} may be missing.`,
      evidence: { undescribed: ids, gaps: unplaced },
      remediation: 'Grant the read-only action named in the gap (or fix what blocked it) and run again.',
    },
  ];
}

function gapText(gaps: readonly CoverageGap[]): string {
  return gaps.map((g) => `${g.service}:${g.operation} (${g.errorCode})`).join(', ');
}

function evaluateInScope(run: RuleRun, scope: RegionInventory, index: ScopeIndex): Finding[] {
  const { rule } = run;
  const needs = new Set<ResourceKind>(rule.meta.needs);
  // An informational note (the data was read another way) leaves nothing unseen.
  const needed = scope.gaps.filter((g) => needs.has(g.kind) && !g.informational);
  const kindGaps = needed.filter((g) => g.resourceId === undefined && !PARTIAL_KINDS.has(g.kind));
  const partialGaps = needed.filter((g) => g.resourceId === undefined && PARTIAL_KINDS.has(g.kind));
  if (kindGaps.length > 0) {
    const kinds = [...new Set(kindGaps.map((g) => g.kind))];
    return [
      toFinding(rule, scope, {
        status: 'NOT_EVALUATED',
        resource: scopeResource(scope),
        message: `Not evaluated in ${scope.account} ${scope.region}: could not read ${kinds.join(', ')} (${gapText(kindGaps)}).`,
        evidence: { missingKinds: kinds, gaps: kindGaps },
        remediation:
          'Grant the read-only actions listed in the coverage gaps (or fix what blocked them) and run again.',
      }),
    ];
  }

  const findings: Finding[] = [];
  try {
    for (const draft of rule.evaluate({ scope, index, options: run.options })) {
      findings.push(toFinding(rule, scope, draft));
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [
      toFinding(rule, scope, {
        status: 'NOT_EVALUATED',
        key: 'rule-error',
        resource: scopeResource(scope),
        message: `Rule ${rule.meta.id} failed in ${scope.account} ${scope.region} and could not be evaluated: ${message}`,
        evidence: { error: message },
        remediation:
          'This is a defect in ml-network-audit; please report it with the snapshot (collect --output).',
      }),
    ];
  }

  // One NOT_EVALUATED per resource, however many of its calls failed (a policy and its rule groups).
  const byResource = new Map<string, { resource: ReturnType<typeof resourceOfKind>; gaps: CoverageGap[] }>();
  for (const gap of needed) {
    if (gap.resourceId === undefined) continue;
    const resource = resourceOfKind(scope, gap.kind, gap.resourceId);
    const entry = byResource.get(resource.arn);
    if (entry) entry.gaps.push(gap);
    else byResource.set(resource.arn, { resource, gaps: [gap] });
  }
  for (const { resource, gaps } of byResource.values()) {
    const first = gaps[0]!;
    findings.push(
      toFinding(rule, scope, {
        status: 'NOT_EVALUATED',
        key: resource.arn,
        resource,
        message: `Not evaluated for ${first.resourceId}: ${gapText(gaps)} failed.`,
        evidence: gaps.length === 1 ? { gap: first } : { gaps },
        remediation: 'Grant the read-only action named in the gap (or fix what blocked it) and run again.',
      }),
    );
  }
  for (const draft of unplacedDraft(rule, scope, needed)) findings.push(toFinding(rule, scope, draft));
  for (const draft of unreadPlacementsDraft(scope, partialGaps)) findings.push(toFinding(rule, scope, draft));
  return findings;
}

/**
 * Run rules over every scope of the inventory; findings come back sorted worst first. `mode` `ml`
 * leaves out the findings outside the network around ML, and counts them in `outOfScope`.
 */
export function auditRules(
  inventory: Inventory,
  runs: readonly RuleRun[],
  mode: ScopeMode,
): { findings: Finding[]; outOfScope: number } {
  const findings: Finding[] = [];
  const vpcs = mode === 'ml' ? mlScopeVpcs(inventory) : undefined;
  let outOfScope = 0;
  for (const scope of inventory.regions) {
    const index = ScopeIndex.of(scope);
    const inScope = vpcs?.get(scope);
    for (const run of runs) {
      for (const f of evaluateInScope(run, scope, index)) {
        if (inScope === undefined || inMlScope(scope, inScope, f)) findings.push(f);
        else outOfScope++;
      }
    }
  }
  return { findings: findings.sort(compareFindings), outOfScope };
}

/** Every finding of the selected rules, account-wide (the `account` scope). */
export function runRules(inventory: Inventory, runs: readonly RuleRun[]): Finding[] {
  return auditRules(inventory, runs, 'account').findings;
}
