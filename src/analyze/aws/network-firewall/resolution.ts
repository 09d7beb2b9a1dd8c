/**
 * AWS Network Firewall semantics, pure. Resolution: a firewall -> its policy -> its stateless and stateful rule groups, indexed per scope
 * (and what was not read).
 */
import type {
  CoverageGap,
  Firewall,
  FirewallPolicy,
  RegionInventory,
  ResourceKind,
  RuleGroup,
  Vpc,
} from '../../../inventory/schema.ts';
import { policyRuleOrder, type RuleOrder } from './policy-order.ts';

export interface GroupRef {
  arn: string;
  /** The reference's priority (stateless always; stateful under STRICT_ORDER). */
  priority: number | undefined;
  /** DROP_TO_ALERT: the group's drop and reject rules only alert. */
  override: string | undefined;
  /** Undefined when the group is not in the inventory (not read). */
  group: RuleGroup | undefined;
}

export interface ResolvedPolicy {
  policy: FirewallPolicy;
  order: RuleOrder;
  /** Stateless groups by priority, lowest first (the order the stateless engine applies them). */
  stateless: GroupRef[];
  /** Stateful groups: by priority under STRICT_ORDER; as referenced otherwise (order has no effect there). */
  stateful: GroupRef[];
  /** Referenced groups that are not in the inventory. */
  missingGroupArns: string[];
}

const byPriority = (a: { priority: number | undefined }, b: { priority: number | undefined }) =>
  (a.priority ?? Number.MAX_SAFE_INTEGER) - (b.priority ?? Number.MAX_SAFE_INTEGER);

/** A policy with its rule groups looked up. */
export function resolvePolicy(
  policy: FirewallPolicy,
  groups: ReadonlyMap<string, RuleGroup>,
): ResolvedPolicy {
  const order = policyRuleOrder(policy);
  const stateless = policy.statelessRuleGroupReferences
    .map((r) => ({
      arn: r.resourceArn,
      priority: r.priority,
      override: undefined,
      group: groups.get(r.resourceArn),
    }))
    .sort(byPriority);
  const statefulRefs = policy.statefulRuleGroupReferences.map((r) => ({
    arn: r.resourceArn,
    priority: r.priority,
    override: r.override,
    group: groups.get(r.resourceArn),
  }));
  const stateful = order === 'STRICT_ORDER' ? [...statefulRefs].sort(byPriority) : statefulRefs;
  const missingGroupArns = [
    ...new Set([...stateless, ...stateful].filter((r) => !r.group).map((r) => r.arn)),
  ];
  return { policy, order, stateless, stateful, missingGroupArns };
}

/** Lookups over one scope's Network Firewall inventory. Use nfwIndex(scope): built once per scope. */
export interface NfwIndex {
  policies: ReadonlyMap<string, FirewallPolicy>;
  groups: ReadonlyMap<string, RuleGroup>;
  vpcs: ReadonlyMap<string, Vpc>;
  /** Firewalls using each policy (by policy ARN). */
  firewallsByPolicy: ReadonlyMap<string, Firewall[]>;
  /** Policies referencing each rule group (by group ARN). */
  policiesByGroup: ReadonlyMap<string, FirewallPolicy[]>;
  /** The policy resolved with its groups (memoized). */
  resolve(policy: FirewallPolicy): ResolvedPolicy;
  /** A coverage gap of this kind about this resource (a failed describe), if any. */
  gapFor(kind: ResourceKind, resourceId: string): CoverageGap | undefined;
}

const INDEXES = new WeakMap<RegionInventory, NfwIndex>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function nfwIndex(scope: RegionInventory): NfwIndex {
  const cached = INDEXES.get(scope);
  if (cached) return cached;
  // Each map is built on first use, so a rule reads only the kinds it looks up (and names in its needs).
  const once = <T>(build: () => T): (() => T) => {
    let value: T | undefined;
    return () => {
      value ??= build();
      return value;
    };
  };
  const policies = once(() => new Map(scope.firewallPolicies.map((p) => [p.firewallPolicyArn, p])));
  const groups = once(() => new Map(scope.ruleGroups.map((g) => [g.ruleGroupArn, g])));
  const vpcs = once(() => new Map(scope.vpcs.map((v) => [v.vpcId, v])));
  const firewallsByPolicy = once(() => {
    const map = new Map<string, Firewall[]>();
    for (const f of scope.firewalls) push(map, f.firewallPolicyArn, f);
    return map;
  });
  const policiesByGroup = once(() => {
    const map = new Map<string, FirewallPolicy[]>();
    for (const p of scope.firewallPolicies) {
      const arns = new Set([
        ...p.statelessRuleGroupReferences.map((r) => r.resourceArn),
        ...p.statefulRuleGroupReferences.map((r) => r.resourceArn),
      ]);
      for (const a of arns) push(map, a, p);
    }
    return map;
  });
  const gaps = new Map<string, CoverageGap>();
  for (const g of scope.gaps) if (g.resourceId !== undefined) gaps.set(`${g.kind}|${g.resourceId}`, g);
  const resolved = new Map<FirewallPolicy, ResolvedPolicy>();
  const index: NfwIndex = {
    get policies() {
      return policies();
    },
    get groups() {
      return groups();
    },
    get vpcs() {
      return vpcs();
    },
    get firewallsByPolicy() {
      return firewallsByPolicy();
    },
    get policiesByGroup() {
      return policiesByGroup();
    },
    resolve(policy) {
      let r = resolved.get(policy);
      if (!r) {
        r = resolvePolicy(policy, groups());
        resolved.set(policy, r);
      }
      return r;
    },
    gapFor: (kind, resourceId) => gaps.get(`${kind}|${resourceId}`),
  };
  INDEXES.set(scope, index);
  return index;
}

/** The last path element of an ARN ("arn:...:firewall-policy/egress" -> "egress"). */
export function arnName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}
