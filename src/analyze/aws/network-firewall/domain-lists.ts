/**
 * AWS Network Firewall semantics, pure. Domain lists: `.example.com` matches example.com and every subdomain, `example.com` only itself; an
 * ALLOWLIST denies only traffic of the protocols it targets (TLS_SNI: TLS/HTTPS, HTTP_HOST: HTTP); what
 * unmatched traffic meets.
 */
import type { RuleGroup } from '../../../inventory/schema.ts';
import { describeStatefulDefault, statefulDefault, statelessDefault } from './policy-order.ts';
import type { ResolvedPolicy } from './resolution.ts';

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
