/**
 * AWS Network Firewall semantics, pure. The L4 egress model over FlowSet: which protocol x destination port x destination traffic from
 * HOME_NET the firewall lets out without any rule that could stop it (see egressAnalysis for what is
 * modelled and what is not).
 */
import type { StatelessRule } from '../../../inventory/schema.ts';
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
import { ownHomeNet } from './home-net.ts';
import { statefulDefault, statelessDefault, statelessStandardAction } from './policy-order.ts';
import { arnName, type ResolvedPolicy } from './resolution.ts';
import {
  type RuleVariables,
  resolveAddress,
  resolvePorts,
  type StatefulRuleSpec,
  statefulRuleSpecs,
} from './suricata.ts';

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
  const universe = FlowSet.all(INTERNET.subtract(sources));
  const judged: Judged = {
    sources,
    // Without a HOME_NET of its own, a group's $HOME_NET is the policy's: when that is unknown, it is
    // the very set judged (sources), whatever it is.
    groupHome: policyHome ?? (context.sources ? undefined : sources),
    effects,
    notes,
  };
  const { statelessPass, toStateful } = statelessEngine(resolved, universe, judged);
  const statefulPass = statefulEngine(resolved, toStateful, judged);
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

/** What one analysis judges, and where each engine records its effects and notes. */
interface Judged {
  sources: AddrSet;
  /** $HOME_NET for groups that do not define their own; undefined when it cannot be credited. */
  groupHome: AddrSet | undefined;
  effects: EgressRuleEffect[];
  notes: string[];
}

const coversSources = (j: Judged, set: AddrSet | undefined) => set?.contains(j.sources) === true;
const overlapsSources = (j: Judged, set: AddrSet | undefined) => set === undefined || set.overlaps(j.sources);

/** Stateless engine on full packets: groups by priority, rules by priority, first match, then the default. */
function statelessEngine(
  resolved: ResolvedPolicy,
  universe: FlowSet,
  j: Judged,
): { statelessPass: FlowSet; toStateful: FlowSet } {
  let remaining = universe;
  let statelessPass = FlowSet.empty();
  let toStateful = FlowSet.empty();
  for (const ref of resolved.stateless) {
    if (!ref.group) {
      j.notes.push(`stateless group ${arnName(ref.arn)} was not read`);
      continue;
    }
    const rules = [...(ref.group.statelessRules ?? [])].sort((a, b) => a.priority - b.priority);
    for (const rule of rules) {
      if (remaining.isEmpty()) break;
      const action = statelessStandardAction(rule.actions);
      if (!action) continue;
      const src = rule.sources.length > 0 ? AddrSet.tryFromCidrs(rule.sources) : AddrSet.all();
      const dst = rule.destinations.length > 0 ? AddrSet.tryFromCidrs(rule.destinations) : AddrSet.all();
      if (action === 'aws:drop') {
        if (!coversSources(j, src) || !dst || rule.sourcePorts.length > 0 || rule.tcpFlags.length > 0)
          continue;
      } else if (!overlapsSources(j, src)) continue;
      const m = remaining.intersect(statelessRuleSpace(rule, dst ?? AddrSet.all()));
      if (m.isEmpty()) continue;
      remaining = remaining.subtract(m);
      if (action === 'aws:pass') statelessPass = statelessPass.union(m);
      if (action === 'aws:forward_to_sfe') toStateful = toStateful.union(m);
      j.effects.push({
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
  return { statelessPass, toStateful };
}

/** A layer-4 stateful rule that decides: its action and the flows it matches (empty when it cannot count). */
function statefulRuleSpace(rule: StatefulRuleSpec, vars: RuleVariables, isPass: boolean, j: Judged): FlowSet {
  const protocols = l4Protocols(rule.protocol);
  if (!protocols || !neutralOptions(rule, isPass)) return FlowSet.empty();
  const ends: [string, string][] = [[rule.source, rule.destination]];
  if (rule.direction === '<>') ends.push([rule.destination, rule.source]);
  let space = FlowSet.empty();
  const ports = resolvePorts(rule.destinationPort, vars);
  const srcPortsAll = resolvePorts(rule.sourcePort, vars)?.isAll() ?? false;
  for (const [from, to] of ends) {
    const src = resolveAddress(from, vars);
    const dst = resolveAddress(to, vars);
    if (!isPass && (!coversSources(j, src) || !dst || !ports || !srcPortsAll)) continue;
    if (isPass && !overlapsSources(j, src)) continue;
    const dests = dst ?? AddrSet.all();
    const dports = ports ?? PortSet.all();
    for (const p of protocols) {
      space = space.union(FlowSet.box(p, p === TCP || p === UDP ? dports : PortSet.all(), dests));
    }
  }
  return space;
}

/** Stateful engine on what was forwarded: what no layer-4 rule or default action drops. */
function statefulEngine(resolved: ResolvedPolicy, toStateful: FlowSet, j: Judged): FlowSet {
  const d = statefulDefault(resolved.policy);
  let undecided = toStateful;
  let passed = FlowSet.empty();
  const actionOrderPasses: FlowSet[] = [];
  const actionOrderDrops: FlowSet[] = [];
  for (const ref of resolved.stateful) {
    const g = ref.group;
    if (!g) {
      j.notes.push(`stateful group ${arnName(ref.arn)} was not read`);
      continue;
    }
    const own = ownHomeNet(g);
    const vars: RuleVariables = {
      home: own ? own.addrs : j.groupHome,
      ipSets: g.ipSets,
      portSets: g.portSets,
    };
    const specs = statefulRuleSpecs(g);
    for (const u of specs.unparsed) j.notes.push(`${g.ruleGroupName}: rule not understood, ignored: ${u}`);
    for (const rule of specs.rules) {
      const isPass = rule.action === 'pass';
      const isDrop = (rule.action === 'drop' || rule.action === 'reject') && ref.override !== 'DROP_TO_ALERT';
      if (!isPass && !isDrop) continue;
      const space = statefulRuleSpace(rule, vars, isPass, j);
      if (space.isEmpty()) continue;
      const effect = (decided: FlowSet) => {
        if (!decided.isEmpty())
          j.effects.push({
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
      } else {
        (isPass ? actionOrderPasses : actionOrderDrops).push(space);
        effect(toStateful.intersect(space));
      }
    }
  }
  if (d.order === 'STRICT_ORDER') return d.unmatched === 'drop' ? passed : passed.union(undecided);
  // Pass rules are applied before drop rules; what neither decides passes (no default action).
  const passes = FlowSet.unionAll(actionOrderPasses);
  const drops = FlowSet.unionAll(actionOrderDrops).subtract(passes);
  return toStateful.subtract(drops);
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
