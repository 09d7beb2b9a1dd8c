/**
 * AWS Network Firewall semantics, pure: what a firewall's policy does with traffic. Shared by the
 * network-firewall rules and the reachability engine.
 *
 * - Resolution: a firewall -> its policy -> its stateless and stateful rule groups (what was not read).
 * - Stateless engine: standard actions (aws:pass / aws:drop / aws:forward_to_sfe) of the default actions
 *   for full and fragmented packets; custom actions ride along and never decide.
 * - Stateful engine: rule order (DEFAULT_ACTION_ORDER: pass, then drop, then reject, then alert, and no
 *   default action, so unmatched traffic passes; STRICT_ORDER: groups by priority, rules as written, then
 *   the default actions aws:drop_strict / aws:drop_established / aws:drop_established_app_layer /
 *   aws:drop_established_app_layer_to_server or the aws:alert_* counterparts).
 * - HOME_NET: the rule group's own variable, else the policy variable, else the CIDRs of the VPC the
 *   firewall is deployed in ("Policy variables affect all rule groups that don't already define
 *   HOME_NET"; "If you don't override HOME_NET ..., Network Firewall by default uses the CIDR of your
 *   inspection VPC"). EXTERNAL_NET is the negation of HOME_NET.
 * - Domain lists: `.example.com` matches example.com and every subdomain, `example.com` only itself; an
 *   ALLOWLIST denies only traffic of the protocols it targets (TLS_SNI: TLS/HTTPS, HTTP_HOST: HTTP).
 * - Suricata rule headers (5-tuple StatefulRules and RulesString), and an L4 egress model over FlowSet:
 *   which protocol x destination port x destination traffic from HOME_NET the firewall lets out without
 *   any rule that could stop it (see egressAnalysis for what is modelled and what is not).
 */
import type {
  CoverageGap,
  Firewall,
  FirewallPolicy,
  RegionInventory,
  ResourceKind,
  RuleGroup,
  StatefulRule,
  StatelessRule,
  Vpc,
} from '../../../inventory/schema.ts';
import { resourceOfKind } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import {
  AddrSet,
  FlowSet,
  GLOBAL_V6,
  ICMP,
  ICMPV6,
  PortSet,
  PUBLIC_V4,
  protocolName,
  TCP,
  UDP,
} from '../../net/index.ts';

// ================================================================== stateless engine

export const STATELESS_STANDARD_ACTIONS = ['aws:pass', 'aws:drop', 'aws:forward_to_sfe'] as const;
export type StatelessStandardAction = (typeof STATELESS_STANDARD_ACTIONS)[number];

const STANDARD = new Set<string>(STATELESS_STANDARD_ACTIONS);

/** The standard action of a stateless action list (a custom action never decides); undefined if none. */
export function statelessStandardAction(actions: readonly string[]): StatelessStandardAction | undefined {
  return actions.find((a): a is StatelessStandardAction => STANDARD.has(a));
}

export type PacketKind = 'full' | 'fragment';

export interface StatelessDefault {
  /** The actions as configured. */
  actions: string[];
  /** The standard action that decides; undefined when the policy names none (not valid in AWS). */
  standard: StatelessStandardAction | undefined;
  /** Custom actions (metrics dimensions): they never change the verdict. */
  custom: string[];
}

/** The stateless default action for full or fragmented packets. */
export function statelessDefault(policy: FirewallPolicy, kind: PacketKind): StatelessDefault {
  const actions = kind === 'full' ? policy.statelessDefaultActions : policy.statelessFragmentDefaultActions;
  return {
    actions: [...actions],
    standard: statelessStandardAction(actions),
    custom: actions.filter((a) => !STANDARD.has(a)),
  };
}

// ================================================================== stateful engine: order and defaults

export const RULE_ORDERS = ['DEFAULT_ACTION_ORDER', 'STRICT_ORDER'] as const;
export type RuleOrder = (typeof RULE_ORDERS)[number];

/** The policy's stateful rule order; DEFAULT_ACTION_ORDER when absent (the API's default). */
export function policyRuleOrder(policy: FirewallPolicy): RuleOrder {
  return policy.ruleOrder === 'STRICT_ORDER' ? 'STRICT_ORDER' : 'DEFAULT_ACTION_ORDER';
}

/**
 * The stateful drop default actions (STRICT_ORDER only) and which packets of an unmatched flow each
 * drops. Every one of them stops the payload of an unmatched egress flow of any protocol: aws:drop_strict
 * drops every packet; the *_established ones let the packets that set a connection up through (so that
 * application-layer rules can see it) and drop the rest; the *_app_layer ones wait for application-layer
 * protocol detection first; the *_to_server ones drop only the client-to-server direction.
 */
export const STATEFUL_DROP_DEFAULTS = {
  'aws:drop_strict': 'every packet that matches no rule',
  'aws:drop_established': 'packets of established connections that match no rule (handshakes pass)',
  'aws:drop_established_app_layer':
    'packets of established connections that match no rule, after application-layer protocol detection',
  'aws:drop_established_app_layer_to_server':
    'client-to-server packets of established connections that match no rule, after application-layer protocol detection',
} as const satisfies Record<string, string>;
export type StatefulDropDefault = keyof typeof STATEFUL_DROP_DEFAULTS;

export const STATEFUL_ALERT_DEFAULTS = [
  'aws:alert_strict',
  'aws:alert_established',
  'aws:alert_established_app_layer',
  'aws:alert_established_app_layer_to_server',
] as const;

export function isStatefulDropDefault(action: string): action is StatefulDropDefault {
  return Object.hasOwn(STATEFUL_DROP_DEFAULTS, action);
}

export interface StatefulDefault {
  order: RuleOrder;
  /** The drop default action in force, if any (STRICT_ORDER only). */
  drop: StatefulDropDefault | undefined;
  /** Alert default actions (log only: the traffic still passes). */
  alerts: string[];
  /** What the stateful engine does with a flow that no rule decides. */
  unmatched: 'pass' | 'drop';
  /** Default actions configured but without effect (any under DEFAULT_ACTION_ORDER). */
  ignored: string[];
}

/** What happens to traffic that no stateful rule decides. */
export function statefulDefault(policy: FirewallPolicy): StatefulDefault {
  const order = policyRuleOrder(policy);
  const actions = policy.statefulDefaultActions;
  if (order === 'DEFAULT_ACTION_ORDER') {
    return { order, drop: undefined, alerts: [], unmatched: 'pass', ignored: [...actions] };
  }
  const drop = actions.find(isStatefulDropDefault);
  return {
    order,
    drop,
    alerts: actions.filter((a) => (STATEFUL_ALERT_DEFAULTS as readonly string[]).includes(a)),
    unmatched: drop ? 'drop' : 'pass',
    ignored: actions.filter(
      (a) => !isStatefulDropDefault(a) && !(STATEFUL_ALERT_DEFAULTS as readonly string[]).includes(a),
    ),
  };
}

/** "DEFAULT_ACTION_ORDER (no default action: unmatched traffic passes)" and the like. */
export function describeStatefulDefault(d: StatefulDefault): string {
  if (d.order === 'DEFAULT_ACTION_ORDER')
    return 'DEFAULT_ACTION_ORDER (no default action: unmatched traffic passes)';
  if (d.drop) return `STRICT_ORDER with default action ${d.drop}`;
  return `STRICT_ORDER without a drop default action${d.alerts.length ? ` (only ${d.alerts.join(', ')})` : ''}: unmatched traffic passes`;
}

// ================================================================== resolution

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
  const policies = new Map(scope.firewallPolicies.map((p) => [p.firewallPolicyArn, p]));
  const groups = new Map(scope.ruleGroups.map((g) => [g.ruleGroupArn, g]));
  const vpcs = new Map(scope.vpcs.map((v) => [v.vpcId, v]));
  const firewallsByPolicy = new Map<string, Firewall[]>();
  for (const f of scope.firewalls) push(firewallsByPolicy, f.firewallPolicyArn, f);
  const policiesByGroup = new Map<string, FirewallPolicy[]>();
  for (const p of scope.firewallPolicies) {
    const arns = new Set([
      ...p.statelessRuleGroupReferences.map((r) => r.resourceArn),
      ...p.statefulRuleGroupReferences.map((r) => r.resourceArn),
    ]);
    for (const a of arns) push(policiesByGroup, a, p);
  }
  const gaps = new Map<string, CoverageGap>();
  for (const g of scope.gaps) if (g.resourceId !== undefined) gaps.set(`${g.kind}|${g.resourceId}`, g);
  const resolved = new Map<FirewallPolicy, ResolvedPolicy>();
  const index: NfwIndex = {
    policies,
    groups,
    vpcs,
    firewallsByPolicy,
    policiesByGroup,
    resolve(policy) {
      let r = resolved.get(policy);
      if (!r) {
        r = resolvePolicy(policy, groups);
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

// ================================================================== HOME_NET

export type HomeNetSource = 'rule-group' | 'policy' | 'vpc-default';

export interface HomeNet {
  source: HomeNetSource;
  /** The CIDRs as defined (for the default: the VPC's CIDR blocks); undefined when they cannot be known. */
  cidrs: string[] | undefined;
  /** The addresses; undefined when unknown or malformed (then `unknownReason` says why). */
  addrs: AddrSet | undefined;
  unknownReason?: string;
}

function safeAddrs(cidrs: readonly string[]): AddrSet | undefined {
  try {
    return AddrSet.fromCidrs(cidrs);
  } catch {
    return undefined;
  }
}

function homeNetOf(source: HomeNetSource, cidrs: string[] | undefined, unknownReason?: string): HomeNet {
  if (cidrs === undefined)
    return { source, cidrs, addrs: undefined, unknownReason: unknownReason ?? 'unknown' };
  const addrs = safeAddrs(cidrs);
  return addrs
    ? { source, cidrs, addrs }
    : { source, cidrs, addrs: undefined, unknownReason: `malformed CIDR in ${cidrs.join(', ')}` };
}

/** The HOME_NET a group defines itself, if it does (as an IP set, or a reference we cannot expand). */
export function ownHomeNet(group: RuleGroup): HomeNet | undefined {
  const own = group.ipSets.HOME_NET;
  if (own && own.length > 0) return homeNetOf('rule-group', [...own]);
  const ref = group.ipSetReferences?.HOME_NET;
  if (ref)
    return homeNetOf(
      'rule-group',
      undefined,
      `HOME_NET is an IP set reference (${ref}) that is not expanded`,
    );
  return undefined;
}

/** The policy-level HOME_NET (policy variable), if set. */
export function policyHomeNet(policy: FirewallPolicy): HomeNet | undefined {
  const vars = policy.ruleVariables.HOME_NET;
  return vars && vars.length > 0 ? homeNetOf('policy', [...vars]) : undefined;
}

/** The default HOME_NET: the CIDRs of the VPC the firewall is deployed in. */
export function defaultHomeNet(vpc: Vpc | undefined, firewall?: Firewall): HomeNet {
  if (!vpc) {
    const why = firewall?.transitGatewayId
      ? `firewall ${firewall.firewallName} is attached to transit gateway ${firewall.transitGatewayId} and has no VPC of its own`
      : `the firewall's VPC${firewall?.vpcId ? ` ${firewall.vpcId}` : ''} is not in the inventory`;
    return homeNetOf('vpc-default', undefined, why);
  }
  return homeNetOf('vpc-default', [...vpc.cidrBlocks, ...vpc.ipv6CidrBlocks]);
}

/**
 * The HOME_NET a stateful group's rules see in a firewall: the group's own variable, else the policy
 * variable, else the CIDRs of the firewall's VPC.
 */
export function effectiveHomeNet(
  group: RuleGroup | undefined,
  policy: FirewallPolicy | undefined,
  vpc: Vpc | undefined,
  firewall?: Firewall,
): HomeNet {
  return (group && ownHomeNet(group)) ?? (policy && policyHomeNet(policy)) ?? defaultHomeNet(vpc, firewall);
}

const HOME_VARS = /\$(HOME_NET|EXTERNAL_NET)\b/;

/** Whether a stateful group's rules depend on HOME_NET (a domain list always does; EXTERNAL_NET is !HOME_NET). */
export function usesHomeNet(group: RuleGroup): boolean {
  if (group.rulesSourceList) return true;
  if (group.statefulRules?.some((r) => HOME_VARS.test(r.source) || HOME_VARS.test(r.destination)))
    return true;
  return group.rulesString !== undefined && HOME_VARS.test(group.rulesString);
}

// ================================================================== domain lists

/** Lower case, without a trailing dot. */
export function normalizeDomain(name: string): string {
  const s = name.trim().toLowerCase();
  return s.endsWith('.') && s.length > 1 ? s.slice(0, -1) : s;
}

/**
 * Whether a domain-list entry matches a host name: `.example.com` matches example.com and every
 * subdomain of it; `example.com` matches only example.com. Case-insensitive.
 */
export function domainMatches(entry: string, host: string): boolean {
  const e = normalizeDomain(entry);
  const h = normalizeDomain(host);
  if (e.startsWith('.')) {
    const base = e.slice(1);
    return base === '' || h === base || h.endsWith(e);
  }
  return h === e;
}

function labels(name: string): string[] {
  return normalizeDomain(name).replace(/^\./, '').split('.').filter(Boolean);
}

/**
 * How much of a namespace a domain-list entry opens, against a listed pattern (`*` in a pattern is any
 * one label):
 * - a pattern with a leading dot (`.s3.amazonaws.com`, `.s3.*.amazonaws.com`) stands for every host under
 *   it; a pattern without one (`s3.amazonaws.com`) for that one host;
 * - a wildcard entry (`.example.com`) opens the pattern when its name is the pattern's or a parent of it:
 *   'equal' or 'broader';
 * - an exact entry (`example.com`) opens only a one-host pattern equal to it ('equal'), never a namespace.
 * Undefined when the entry does not open the pattern.
 */
export function entryOpens(entry: string, pattern: string): 'equal' | 'broader' | undefined {
  return domainNameOpens(parseDomainName(entry), parseDomainName(pattern));
}

/** A domain-list entry or pattern, parsed once (for many comparisons). */
export interface DomainName {
  /** Normalized text. */
  text: string;
  /** Leading dot: the name and every name under it. */
  wildcard: boolean;
  labels: string[];
}

export function parseDomainName(name: string): DomainName {
  const text = normalizeDomain(name);
  return { text, wildcard: text.startsWith('.'), labels: labels(text) };
}

/** entryOpens on parsed names. */
export function domainNameOpens(entry: DomainName, pattern: DomainName): 'equal' | 'broader' | undefined {
  const el = entry.labels;
  const pl = pattern.labels;
  const matches = (offset: number) => el.every((l, i) => pl[offset + i] === '*' || pl[offset + i] === l);
  if (!entry.wildcard) {
    return !pattern.wildcard && el.length === pl.length && matches(0) ? 'equal' : undefined;
  }
  const offset = pl.length - el.length;
  if (offset < 0 || !matches(offset)) return undefined;
  return offset === 0 ? 'equal' : 'broader';
}

export const TARGET_TYPE_PROTOCOLS = { TLS_SNI: 'tls', HTTP_HOST: 'http' } as const;
export type DomainListProtocol = (typeof TARGET_TYPE_PROTOCOLS)[keyof typeof TARGET_TYPE_PROTOCOLS];

/** The application protocols a domain list inspects (TLS_SNI: TLS/HTTPS; HTTP_HOST: HTTP). */
export function domainListProtocols(targetTypes: readonly string[]): DomainListProtocol[] {
  const out: DomainListProtocol[] = [];
  for (const t of targetTypes) {
    const p = TARGET_TYPE_PROTOCOLS[t as keyof typeof TARGET_TYPE_PROTOCOLS];
    if (p && !out.includes(p)) out.push(p);
  }
  return out.sort();
}

export function isAllowlist(group: RuleGroup | undefined): boolean {
  return group?.rulesSourceList?.generatedRulesType === 'ALLOWLIST';
}

/**
 * What the firewall does with traffic that matches no explicit rule, by application protocol
 * ('http', 'tls', or 'other' for everything else), for traffic from HOME_NET. Explicit rules are not
 * considered (see egressAnalysis for those): this is the fall-through behaviour the policy's defaults and
 * its domain ALLOWLISTs give.
 */
export function unmatchedVerdict(
  resolved: ResolvedPolicy,
  protocol: DomainListProtocol | 'other',
): { verdict: 'pass' | 'drop'; by: string } {
  const stateless = statelessDefault(resolved.policy, 'full').standard;
  if (stateless === 'aws:pass')
    return { verdict: 'pass', by: 'stateless default action aws:pass (no stateful inspection)' };
  if (stateless === 'aws:drop') return { verdict: 'drop', by: 'stateless default action aws:drop' };
  if (protocol !== 'other') {
    const list = resolved.stateful.find(
      (r) =>
        isAllowlist(r.group) &&
        r.override !== 'DROP_TO_ALERT' &&
        domainListProtocols(r.group?.rulesSourceList?.targetTypes ?? []).includes(protocol),
    );
    if (list?.group) return { verdict: 'drop', by: `domain ALLOWLIST ${list.group.ruleGroupName}` };
  }
  const d = statefulDefault(resolved.policy);
  return d.unmatched === 'drop'
    ? { verdict: 'drop', by: `stateful default action ${d.drop}` }
    : { verdict: 'pass', by: describeStatefulDefault(d) };
}

// ================================================================== stateful rule headers

/** One stateful rule's header and options, from a 5-tuple StatefulRule or a Suricata rule line. */
export interface StatefulRuleSpec {
  /** pass | drop | reject | alert (Suricata's rejectsrc/rejectdst/rejectboth count as reject). */
  action: string;
  /** Lower case: ip, tcp, udp, icmp, or an application protocol (tls, http, dns, ssh, ...). */
  protocol: string;
  source: string;
  sourcePort: string;
  /** '->' or '<>'. */
  direction: string;
  destination: string;
  destinationPort: string;
  options: { keyword: string; value: string }[];
  /** The rule as text, for evidence. */
  text: string;
}

/** Split on top-level whitespace, keeping bracketed lists ([a, b]) whole. */
function splitHeader(header: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of header) {
    if (c === '[') depth++;
    if (c === ']') depth = Math.max(0, depth - 1);
    if (/\s/.test(c) && depth === 0) {
      if (cur) out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

/** Split Suricata options on `;`, honouring quotes and backslash escapes. */
function splitOptions(body: string): { keyword: string; value: string }[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '\\' && i + 1 < body.length) {
      cur += c + body[i + 1];
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf(':');
      return i < 0
        ? { keyword: p.toLowerCase(), value: '' }
        : { keyword: p.slice(0, i).trim().toLowerCase(), value: p.slice(i + 1).trim() };
    });
}

/** One Suricata rule line; undefined when it is not a rule we can read. */
export function parseSuricataRule(line: string): StatefulRuleSpec | undefined {
  const text = line.trim();
  if (!text || text.startsWith('#')) return undefined;
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']') depth--;
    else if (text[i] === '(' && depth === 0) {
      open = i;
      break;
    }
  }
  const header = splitHeader(open < 0 ? text : text.slice(0, open));
  if (header.length !== 7) return undefined;
  const [action, protocol, source, sourcePort, direction, destination, destinationPort] = header as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (direction !== '->' && direction !== '<>') return undefined;
  const close = text.lastIndexOf(')');
  const options = open < 0 ? [] : splitOptions(text.slice(open + 1, close > open ? close : undefined));
  const a = action.toLowerCase();
  return {
    action: a.startsWith('reject') ? 'reject' : a,
    protocol: protocol.toLowerCase(),
    source,
    sourcePort,
    direction,
    destination,
    destinationPort,
    options,
    text,
  };
}

/** The rules of a RulesString: one per line (a trailing backslash continues a line); comments skipped. */
export function parseSuricataRules(rulesString: string): { rules: StatefulRuleSpec[]; unparsed: string[] } {
  const rules: StatefulRuleSpec[] = [];
  const unparsed: string[] = [];
  const lines = rulesString.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  for (const line of lines) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const rule = parseSuricataRule(t);
    if (rule) rules.push(rule);
    else unparsed.push(t);
  }
  return { rules, unparsed };
}

function fromStatefulRule(r: StatefulRule): StatefulRuleSpec {
  const norm = (s: string) => (s.toUpperCase() === 'ANY' ? 'any' : s);
  const direction = r.direction.toUpperCase() === 'ANY' ? '<>' : '->';
  const options = r.ruleOptions.map((o) => ({
    keyword: o.keyword.toLowerCase(),
    value: o.settings.join(','),
  }));
  const spec = {
    action: r.action.toLowerCase(),
    protocol: r.protocol.toLowerCase(),
    source: norm(r.source),
    sourcePort: norm(r.sourcePort),
    direction,
    destination: norm(r.destination),
    destinationPort: norm(r.destinationPort),
    options,
  };
  const opts = options.map((o) => (o.value ? `${o.keyword}:${o.value};` : `${o.keyword};`)).join(' ');
  return {
    ...spec,
    text: `${spec.action} ${spec.protocol} ${spec.source} ${spec.sourcePort} ${direction} ${spec.destination} ${spec.destinationPort}${opts ? ` (${opts})` : ''}`,
  };
}

/** A stateful group's explicit rules, in the order written (a domain list has none: see domainListProtocols). */
export function statefulRuleSpecs(group: RuleGroup): { rules: StatefulRuleSpec[]; unparsed: string[] } {
  const rules = (group.statefulRules ?? []).map(fromStatefulRule);
  if (!group.rulesString) return { rules, unparsed: [] };
  const parsed = parseSuricataRules(group.rulesString);
  return { rules: [...rules, ...parsed.rules], unparsed: parsed.unparsed };
}

// ================================================================== rule variables -> sets

/** How a group's variables resolve: its IP and port sets plus HOME_NET (and EXTERNAL_NET = !HOME_NET). */
export interface RuleVariables {
  home: AddrSet | undefined;
  ipSets: Readonly<Record<string, readonly string[]>>;
  portSets: Readonly<Record<string, readonly string[]>>;
}

function splitList(s: string): string[] {
  const inner = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of inner) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** A Suricata address expression as a set; undefined when it cannot be resolved exactly. */
export function resolveAddress(expr: string, vars: RuleVariables, depth = 0): AddrSet | undefined {
  const s = expr.trim();
  if (depth > 8 || !s) return undefined;
  if (s.toLowerCase() === 'any') return AddrSet.all();
  if (s.startsWith('!')) {
    const inner = resolveAddress(s.slice(1), vars, depth + 1);
    return inner && AddrSet.all().subtract(inner);
  }
  if (s.startsWith('[')) {
    let include: AddrSet | undefined;
    let exclude = AddrSet.empty();
    for (const part of splitList(s)) {
      if (part.startsWith('!')) {
        const x = resolveAddress(part.slice(1), vars, depth + 1);
        if (!x) return undefined;
        exclude = exclude.union(x);
      } else {
        const x = resolveAddress(part, vars, depth + 1);
        if (!x) return undefined;
        include = (include ?? AddrSet.empty()).union(x);
      }
    }
    return (include ?? AddrSet.all()).subtract(exclude);
  }
  if (s === '$HOME_NET') return vars.home;
  if (s === '$EXTERNAL_NET') return vars.home && AddrSet.all().subtract(vars.home);
  if (s.startsWith('$')) {
    const set = vars.ipSets[s.slice(1)];
    return set ? safeAddrs(set) : undefined;
  }
  if (s.startsWith('@')) return undefined; // IP set reference (prefix list / resource group): not expanded
  return safeAddrs([s]);
}

/** A Suricata port expression as a set; undefined when it cannot be resolved exactly. */
export function resolvePorts(expr: string, vars: RuleVariables, depth = 0): PortSet | undefined {
  const s = expr.trim();
  if (depth > 8 || !s) return undefined;
  if (s.toLowerCase() === 'any') return PortSet.all();
  if (s.startsWith('!')) {
    const inner = resolvePorts(s.slice(1), vars, depth + 1);
    return inner?.complement();
  }
  if (s.startsWith('[') || s.includes(',')) {
    let include: PortSet | undefined;
    let exclude = PortSet.empty();
    for (const part of splitList(s)) {
      const neg = part.startsWith('!');
      const x = resolvePorts(neg ? part.slice(1) : part, vars, depth + 1);
      if (!x) return undefined;
      if (neg) exclude = exclude.union(x);
      else include = (include ?? PortSet.empty()).union(x);
    }
    return (include ?? PortSet.all()).subtract(exclude);
  }
  if (s.startsWith('$')) {
    const set = vars.portSets[s.slice(1)];
    if (!set) return undefined;
    let acc = PortSet.empty();
    for (const p of set) {
      const x = resolvePorts(p, vars, depth + 1);
      if (!x) return undefined;
      acc = acc.union(x);
    }
    return acc;
  }
  const m = /^(\d+)?(:)?(\d+)?$/.exec(s);
  if (!m || (!m[1] && !m[3])) return undefined;
  const from = m[1] ? Number(m[1]) : 0;
  const to = m[2] ? (m[3] ? Number(m[3]) : 65535) : from;
  if (from > 65535 || to > 65535 || from > to) return undefined;
  return PortSet.range(from, to);
}

// ================================================================== L4 egress model

/** Internet destinations: public IPv4 and global unicast IPv6. */
export const INTERNET: AddrSet = PUBLIC_V4.union(GLOBAL_V6);

/** Protocols a header protocol matches at layer 4; undefined for an application-layer protocol. */
function l4Protocols(protocol: string): ('all' | number)[] | undefined {
  switch (protocol) {
    case 'ip':
      return ['all'];
    case 'tcp':
    case 'tcp-pkt':
    case 'tcp-stream':
      return [TCP];
    case 'udp':
      return [UDP];
    case 'icmp':
      return [ICMP, ICMPV6];
    case 'icmpv6':
      return [ICMPV6];
    default:
      return undefined;
  }
}

/** Options that do not narrow which packets of a flow a rule matches. */
const NEUTRAL_OPTIONS = new Set([
  'msg',
  'sid',
  'rev',
  'gid',
  'classtype',
  'priority',
  'metadata',
  'reference',
  'target',
  'noalert',
]);
const EGRESS_FLOW_VALUES = new Set([
  'established',
  'not_established',
  'to_server',
  'from_client',
  'stateless',
]);

/**
 * Whether a rule's options leave it matching every egress flow its header describes (`flow` only with
 * established / not_established / to_server / from_client / stateless). `forPass`: a pass rule limited to
 * not_established packets (handshakes) does not let a flow's payload through, so it does not count.
 */
function neutralOptions(rule: StatefulRuleSpec, forPass: boolean): boolean {
  return rule.options.every((o) => {
    if (NEUTRAL_OPTIONS.has(o.keyword)) return true;
    if (o.keyword !== 'flow') return false;
    const values = o.value.split(',').map((v) => v.trim().toLowerCase());
    if (forPass && values.includes('not_established')) return false;
    return values.every((v) => EGRESS_FLOW_VALUES.has(v));
  });
}

export interface EgressRuleEffect {
  /** Where the rule is: group name (or "stateless group X"). */
  group: string;
  rule: string;
  action: 'pass' | 'drop';
  /** What it decides of the traffic that reaches it (describe with describeEgress). */
  flows: FlowSet;
}

export interface EgressAnalysis {
  /** The egress traffic considered: from `sources` to the internet (minus the sources). */
  universe: FlowSet;
  /** The sources whose egress is judged (HOME_NET); an approximation when HOME_NET is unknown. */
  sources: AddrSet;
  /** Passed by the stateless engine without stateful inspection. */
  statelessPass: FlowSet;
  /** Forwarded to the stateful engine. */
  toStateful: FlowSet;
  /**
   * Of that, what no layer-4 stateful rule or default action drops: it passes unless an
   * application-layer rule (such as a domain list for HTTP/TLS) stops it.
   */
  statefulPass: FlowSet;
  /** statelessPass ∪ statefulPass. */
  passes: FlowSet;
  /** The stateless and stateful rules that decided part of the traffic. */
  effects: EgressRuleEffect[];
  /** Rules that could not be read or resolved, and approximations made. */
  notes: string[];
}

/** Non-global IPv6 plus reserved IPv4: what an unknown HOME_NET (a VPC's CIDRs) is assumed to lie in. */
const PRIVATE_APPROX: AddrSet = AddrSet.all().subtract(INTERNET);

function statelessRuleSpace(rule: StatelessRule, dests: AddrSet): FlowSet {
  const ports =
    rule.destinationPorts.length > 0
      ? PortSet.fromRanges(rule.destinationPorts.map((p) => [p.from, p.to] as const))
      : undefined;
  const protocols = rule.protocols.length > 0 ? rule.protocols : ports ? [TCP, UDP] : undefined;
  if (!protocols) return FlowSet.all(dests);
  return FlowSet.unionAll(
    protocols.map((p) => FlowSet.box(p, ports && (p === TCP || p === UDP) ? ports : PortSet.all(), dests)),
  );
}

export interface EgressContext {
  /**
   * HOME_NET of the groups that do not define their own: the policy variable, else the firewall VPC's
   * CIDRs. Undefined when unknown (a firewall on a transit gateway, a VPC not read).
   */
  home?: AddrSet;
  /** The sources whose egress is judged (default: `home`). */
  sources?: AddrSet;
  /** Why `home` is unknown, for the notes. */
  homeUnknownReason?: string;
}

/**
 * The L4 egress model of a policy: which traffic (protocol x destination port x destination) from
 * `home` (HOME_NET) to the internet leaves without meeting a rule that could stop it.
 *
 * Stateless engine (full packets): groups by priority, rules by priority, first match decides. A pass
 * or forward rule counts when its sources overlap HOME_NET (its source ports and TCP flags are ignored:
 * over-approximated); a drop rule counts only when its sources cover HOME_NET and it has no source-port
 * or TCP-flag condition. What no rule matches takes the default action.
 *
 * Stateful engine, on what was forwarded: only layer-4 rules (ip / tcp / udp / icmp) whose options do
 * not narrow the match (msg, sid, rev, classtype, priority, metadata, reference, flow with established /
 * to_server / ...) count; a drop counts when its source covers HOME_NET, its source port is any, and its
 * destination and destination ports resolve; a pass counts when its source overlaps HOME_NET.
 * DROP_TO_ALERT makes a group's drops alerts. DEFAULT_ACTION_ORDER: passes beat drops, and unmatched
 * traffic passes. STRICT_ORDER: groups by priority and rules as written, first decision wins, then the
 * default action. Application-layer rules (tls, http, dns, ...) and domain lists are not layer-4
 * decisions: what they judge is inside `statefulPass`.
 */
export function egressAnalysis(resolved: ResolvedPolicy, context: EgressContext = {}): EgressAnalysis {
  const notes: string[] = [];
  const effects: EgressRuleEffect[] = [];
  const policyHome = context.home && !context.home.isEmpty() ? context.home : undefined;
  let sources = context.sources && !context.sources.isEmpty() ? context.sources : policyHome;
  if (!sources) {
    sources = PRIVATE_APPROX;
    notes.push(
      `HOME_NET is unknown${context.homeUnknownReason ? ` (${context.homeUnknownReason})` : ''}: it is taken to be private address space, and $HOME_NET in a rule is credited only where it stands for the same unknown set`,
    );
  }
  const internet = INTERNET.subtract(sources);
  const universe = FlowSet.all(internet);
  const coversSources = (set: AddrSet | undefined) => set?.contains(sources) === true;
  const overlapsSources = (set: AddrSet | undefined) => set === undefined || set.overlaps(sources);

  // ---------------------------------------------------------------- stateless engine
  let remaining = universe;
  let statelessPass = FlowSet.empty();
  let toStateful = FlowSet.empty();
  for (const ref of resolved.stateless) {
    if (!ref.group) {
      notes.push(`stateless group ${arnName(ref.arn)} was not read`);
      continue;
    }
    const rules = [...(ref.group.statelessRules ?? [])].sort((a, b) => a.priority - b.priority);
    for (const rule of rules) {
      if (remaining.isEmpty()) break;
      const action = statelessStandardAction(rule.actions);
      if (!action) continue;
      const src = rule.sources.length > 0 ? safeAddrs(rule.sources) : AddrSet.all();
      const dst = rule.destinations.length > 0 ? safeAddrs(rule.destinations) : AddrSet.all();
      if (action === 'aws:drop') {
        if (!coversSources(src) || !dst || rule.sourcePorts.length > 0 || rule.tcpFlags.length > 0) continue;
      } else if (!overlapsSources(src)) continue;
      const m = remaining.intersect(statelessRuleSpace(rule, dst ?? AddrSet.all()));
      if (m.isEmpty()) continue;
      remaining = remaining.subtract(m);
      if (action === 'aws:pass') statelessPass = statelessPass.union(m);
      if (action === 'aws:forward_to_sfe') toStateful = toStateful.union(m);
      effects.push({
        group: `stateless group ${ref.group.ruleGroupName}`,
        rule: `priority ${rule.priority} ${rule.actions.join(' ')}`,
        action: action === 'aws:drop' ? 'drop' : 'pass',
        flows: m,
      });
    }
  }
  const statelessDefaultAction = statelessDefault(resolved.policy, 'full').standard ?? 'aws:forward_to_sfe';
  if (statelessDefaultAction === 'aws:pass') statelessPass = statelessPass.union(remaining);
  else if (statelessDefaultAction === 'aws:forward_to_sfe') toStateful = toStateful.union(remaining);

  // ---------------------------------------------------------------- stateful engine
  const d = statefulDefault(resolved.policy);
  let undecided = toStateful;
  let passed = FlowSet.empty();
  const actionOrderPasses: FlowSet[] = [];
  const actionOrderDrops: FlowSet[] = [];
  for (const ref of resolved.stateful) {
    const g = ref.group;
    if (!g) {
      notes.push(`stateful group ${arnName(ref.arn)} was not read`);
      continue;
    }
    const own = ownHomeNet(g);
    // Without a HOME_NET of its own, the group's $HOME_NET is the policy's: when that is unknown, it is
    // the very set judged (sources), whatever it is.
    const vars: RuleVariables = {
      home: own ? own.addrs : (policyHome ?? (context.sources ? undefined : sources)),
      ipSets: g.ipSets,
      portSets: g.portSets,
    };
    const specs = statefulRuleSpecs(g);
    for (const u of specs.unparsed) notes.push(`${g.ruleGroupName}: rule not understood, ignored: ${u}`);
    for (const rule of specs.rules) {
      const protocols = l4Protocols(rule.protocol);
      if (!protocols) continue;
      const isPass = rule.action === 'pass';
      const isDrop = (rule.action === 'drop' || rule.action === 'reject') && ref.override !== 'DROP_TO_ALERT';
      if (!isPass && !isDrop) continue;
      if (!neutralOptions(rule, isPass)) continue;
      const ends: [string, string][] = [[rule.source, rule.destination]];
      if (rule.direction === '<>') ends.push([rule.destination, rule.source]);
      let space = FlowSet.empty();
      const ports = resolvePorts(rule.destinationPort, vars);
      const srcPortsAll = resolvePorts(rule.sourcePort, vars)?.isAll() ?? false;
      for (const [from, to] of ends) {
        const src = resolveAddress(from, vars);
        const dst = resolveAddress(to, vars);
        if (isDrop && (!coversSources(src) || !dst || !ports || !srcPortsAll)) continue;
        if (isPass && !overlapsSources(src)) continue;
        const dests = dst ?? AddrSet.all();
        const dports = ports ?? PortSet.all();
        for (const p of protocols) {
          space = space.union(FlowSet.box(p, p === TCP || p === UDP ? dports : PortSet.all(), dests));
        }
      }
      if (space.isEmpty()) continue;
      const effect = (decided: FlowSet) => {
        if (!decided.isEmpty())
          effects.push({
            group: g.ruleGroupName,
            rule: rule.text,
            action: isPass ? 'pass' : 'drop',
            flows: decided,
          });
      };
      if (d.order === 'STRICT_ORDER') {
        const m = undecided.intersect(space);
        if (m.isEmpty()) continue;
        undecided = undecided.subtract(m);
        if (isPass) passed = passed.union(m);
        effect(m);
      } else if (isPass) {
        actionOrderPasses.push(space);
        effect(toStateful.intersect(space));
      } else {
        actionOrderDrops.push(space);
        effect(toStateful.intersect(space));
      }
    }
  }
  let statefulPass: FlowSet;
  if (d.order === 'STRICT_ORDER') {
    statefulPass = d.unmatched === 'drop' ? passed : passed.union(undecided);
  } else {
    // Pass rules are applied before drop rules; what neither decides passes (no default action).
    const passes = FlowSet.unionAll(actionOrderPasses);
    const drops = FlowSet.unionAll(actionOrderDrops).subtract(passes);
    statefulPass = toStateful.subtract(drops);
  }
  return {
    universe,
    sources,
    statelessPass,
    toStateful,
    statefulPass,
    passes: statelessPass.union(statefulPass),
    effects,
    notes,
  };
}

/**
 * A pass space in words: "tcp 22, 443 to the internet; udp to 203.0.113.0/24". Destinations are named only
 * where they are narrower than `universe` (default: the internet).
 */
export function describeEgress(set: FlowSet, universe: AddrSet = INTERNET, maxCidrs = 4): string {
  if (set.isEmpty()) return '(none)';
  return set
    .boxes()
    .map((b) => {
      let p = protocolName(b.protocol);
      if (b.except) p += ` (except ${b.except.map((e) => protocolName(e)).join(', ')})`;
      const ports =
        b.ports.isAll() || (b.protocol !== TCP && b.protocol !== UDP) ? '' : ` ${b.ports.toString()}`;
      const list = (set: AddrSet) => {
        const cidrs = set.toCidrs();
        return `${cidrs.slice(0, maxCidrs).join(', ')}${cidrs.length > maxCidrs ? ` and ${cidrs.length - maxCidrs} more` : ''}`;
      };
      const missing = universe.subtract(b.addrs);
      let dest = 'to the internet';
      if (!missing.isEmpty()) {
        const inside = b.addrs.intersect(universe);
        dest =
          missing.intervalCount() < inside.intervalCount()
            ? `to the internet except ${list(missing)}`
            : `to ${list(b.addrs)}`;
      }
      return `${p}${ports} ${dest}`;
    })
    .join('; ');
}

/** Example traffic to name in findings, checked against a pass space. */
export const EGRESS_PROBES = [
  { id: 'ssh', label: 'SSH tcp/22', protocol: TCP, port: 22 as number | undefined },
  { id: 'dns', label: 'DNS udp/53 to outside resolvers', protocol: UDP, port: 53 },
  { id: 'quic', label: 'QUIC/HTTP3 udp/443 (no TLS SNI inspection)', protocol: UDP, port: 443 },
  { id: 'tcp-443', label: 'non-TLS TCP on tcp/443 (e.g. SSH over 443)', protocol: TCP, port: 443 },
  { id: 'tcp-any', label: 'plain TCP to other ports (e.g. tcp/8080)', protocol: TCP, port: 8080 },
  { id: 'icmp', label: 'ICMP (tunnels)', protocol: ICMP, port: undefined },
] as const;

/** Whether any traffic of the protocol (and port, or any port) is in the set. */
export function flowSetHas(set: FlowSet, protocol: number, port: number | undefined): boolean {
  return !(port === undefined ? set.addrsForAnyPort(protocol) : set.addrsFor(protocol, port)).isEmpty();
}

// ================================================================== what could not be read

export interface UnreadPolicy {
  arn: string;
  /** Firewalls that use it. */
  firewalls: Firewall[];
  /** The coverage gap that explains it; undefined when the inventory holds none (the rule must say so). */
  gap: CoverageGap | undefined;
}

/** Policies that firewalls use but that are not in the inventory. */
export function unreadPolicies(scope: RegionInventory): UnreadPolicy[] {
  const idx = nfwIndex(scope);
  const out: UnreadPolicy[] = [];
  for (const [arn, firewalls] of idx.firewallsByPolicy) {
    if (idx.policies.has(arn)) continue;
    out.push({ arn, firewalls, gap: idx.gapFor('firewallPolicies', arn) });
  }
  return out;
}

export interface UnreadGroup {
  arn: string;
  kind: 'stateless' | 'stateful';
  /** Policies that reference it. */
  policies: FirewallPolicy[];
  /** The coverage gap that explains it (about the group, or about its policy); undefined when none. */
  gap: CoverageGap | undefined;
}

/** Rule groups that policies reference but that are not in the inventory. */
export function unreadGroups(scope: RegionInventory): UnreadGroup[] {
  const idx = nfwIndex(scope);
  const out: UnreadGroup[] = [];
  for (const [arn, policies] of idx.policiesByGroup) {
    if (idx.groups.has(arn)) continue;
    const stateless = policies.some((p) => p.statelessRuleGroupReferences.some((r) => r.resourceArn === arn));
    const gap =
      idx.gapFor('ruleGroups', arn) ??
      policies.map((p) => idx.gapFor('ruleGroups', p.firewallPolicyArn)).find((g) => g !== undefined);
    out.push({ arn, kind: stateless ? 'stateless' : 'stateful', policies, gap });
  }
  return out;
}

/**
 * NOT_EVALUATED drafts for policies that firewalls use but the inventory lacks with no coverage gap to
 * say so (a gap is reported by the runner itself): a policy-level rule must never read as clean for them.
 */
export function unreadPolicyDrafts(scope: RegionInventory): Draft[] {
  return unreadPolicies(scope)
    .filter((u) => u.gap === undefined)
    .map((u) => ({
      status: 'NOT_EVALUATED' as const,
      key: 'policy-unread',
      resource: resourceOfKind(scope, 'firewallPolicies', u.arn),
      message: `Not evaluated for firewall policy ${arnName(u.arn)}: it is not in the inventory (used by firewall ${u.firewalls.map((f) => f.firewallName).join(', ')}).`,
      evidence: { firewallPolicyArn: u.arn, firewalls: u.firewalls.map((f) => f.firewallArn) },
      remediation: 'Collect again with network-firewall:DescribeFirewallPolicy allowed.',
    }));
}
