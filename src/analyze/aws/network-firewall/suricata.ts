/**
 * AWS Network Firewall semantics, pure. Stateful rule headers: 5-tuple StatefulRules and Suricata RulesString lines, parsed to one spec, and
 * rule variables (HOME_NET, EXTERNAL_NET, IP sets, port sets) resolved to address and port sets.
 */
import type { RuleGroup, StatefulRule } from '../../../inventory/schema.ts';
import { AddrSet, PortSet } from '../../net/index.ts';

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
    return set ? AddrSet.tryFromCidrs(set) : undefined;
  }
  if (s.startsWith('@')) return undefined; // IP set reference (prefix list / resource group): not expanded
  return AddrSet.tryFromCidrs([s]);
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
