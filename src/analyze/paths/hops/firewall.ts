/**
 * The Network Firewall hop. A route target that is one of a firewall's sync-state endpoints is judged
 * by its policy (aws/network-firewall egressAnalysis: stateless then stateful, rule order
 * and default actions); a domain ALLOWLIST filters HTTP (taken as tcp/80) and TLS (tcp/443) to its
 * domains and no other protocol. What passes walks on from the endpoint's subnet.
 */
import type { Firewall, FirewallPolicy, RegionInventory, Vpc } from '../../../inventory/schema.ts';
import {
  domainListProtocols,
  isAllowlist,
  unmatchedVerdict,
} from '../../aws/network-firewall/domain-lists.ts';
import { type EgressAnalysis, egressAnalysis, INTERNET } from '../../aws/network-firewall/egress-model.ts';
import { defaultHomeNet, effectiveHomeNet, policyHomeNet } from '../../aws/network-firewall/home-net.ts';
import { arnName, nfwIndex, type ResolvedPolicy } from '../../aws/network-firewall/resolution.ts';
import type { AddrSet } from '../../net/index.ts';
import { FlowSet, PortSet, TCP } from '../../net/index.ts';
import { ALL_INTERNET } from '../filters.ts';
import type { DomainFilter, FirewallJudgement, Hop } from '../types.ts';
import { crossInto, type FirewallEndpoint, type PathContext, type RouteStep, sourceAddrs } from '../walk.ts';
import { describeFlows } from '../words.ts';
import { leave } from './exit.ts';

/** A firewall endpoint: judged on the traffic from the walk's source, then on from its subnet. */
export function toFirewallEndpoint(ctx: PathContext, step: RouteStep, fw: FirewallEndpoint): void {
  const { state, target, flows } = step;
  const j = ctx.judge(fw.firewall, target.id, sourceAddrs(ctx, state));
  const fwHop: Hop = {
    kind: 'firewall',
    id: target.id,
    text: `firewall ${fw.firewall.firewallName} endpoint ${target.id}: policy ${j.policyName ?? '(not read)'}${j.order ? ` (${j.order === 'STRICT_ORDER' ? 'strict order' : 'action order'})` : ''} passes ${describeFlows(j.l4Passes)}${j.domainFilters.length ? `; ${j.domainFilters.map((d) => `${d.appProtocol} only to ${d.domains.join(', ')}`).join('; ')}` : ''}; unmatched: ${j.unmatched.other.by}`,
  };
  if (!fw.subnetId) {
    // The sync state names no subnet: the walk cannot continue past the firewall, so the
    // traffic it passes leaves the model here (never silently dropped).
    const judged = { ...state, firewalls: [...state.firewalls, j] };
    leave(
      ctx,
      step,
      'appliance',
      flows.intersect(j.passes),
      {
        ...fwHop,
        text: `${fwHop.text}; then leaves the modelled network via ${target.id} (the endpoint's subnet is unknown, so what follows is not followed)`,
      },
      judged,
    );
    return;
  }
  crossInto(ctx, step, {
    subnetId: fw.subnetId,
    what: 'firewall subnet',
    hop: fwHop,
    flows,
    passes: j.passes,
    after: { firewalls: [...state.firewalls, j] },
  });
}

/** The firewall policy's verdict on traffic from `sources` (PathEngine.judge memoizes it). */
export function judgeFirewall(
  scope: RegionInventory,
  firewall: Firewall,
  endpointId: string,
  sources: AddrSet,
): FirewallJudgement {
  const nfw = nfwIndex(scope);
  const policy = nfw.policies.get(firewall.firewallPolicyArn);
  if (!policy) return unreadJudgement(firewall, endpointId);
  const resolved = nfw.resolve(policy);
  const vpc = firewall.vpcId ? nfw.vpcs.get(firewall.vpcId) : undefined;
  const home = (policyHomeNet(policy) ?? defaultHomeNet(vpc, firewall)).addrs;
  const a: EgressAnalysis = egressAnalysis(resolved, { ...(home ? { home } : {}), sources });
  const unmatched: FirewallJudgement['unmatched'] = {
    http: unmatchedVerdict(resolved, 'http'),
    tls: unmatchedVerdict(resolved, 'tls'),
    other: unmatchedVerdict(resolved, 'other'),
  };
  const { domainFilters, passes } = allowlists(resolved, vpc, firewall, sources, unmatched, a.passes);
  return {
    firewallName: firewall.firewallName,
    firewallArn: firewall.firewallArn,
    endpointId,
    policyName: policy.firewallPolicyName,
    order: resolved.order,
    l4Passes: a.passes,
    statelessPass: a.statelessPass,
    statelessPassedBy: statelessPassers(a, policy),
    domainFilters,
    unmatched,
    passes,
    notes: a.notes,
  };
}

/** The stateless rules and the default that passed traffic without stateful inspection. */
function statelessPassers(a: EgressAnalysis, policy: FirewallPolicy): string[] {
  if (a.statelessPass.isEmpty()) return [];
  const rules = a.effects.filter((e) => e.action === 'pass' && e.group.startsWith('stateless group'));
  const byRules = FlowSet.unionAll(rules.map((e) => e.flows));
  const out = rules.map((e) => `${e.group} rule ${e.rule}`);
  if (!a.statelessPass.subtract(byRules).isEmpty()) {
    out.push(`the stateless default action aws:pass of policy ${policy.firewallPolicyName}`);
  }
  return out;
}

/** A policy that was not read: everything is assumed to pass. */
function unreadJudgement(firewall: Firewall, endpointId: string): FirewallJudgement {
  return {
    firewallName: firewall.firewallName,
    firewallArn: firewall.firewallArn,
    endpointId,
    policyName: undefined,
    order: undefined,
    l4Passes: ALL_INTERNET,
    statelessPass: FlowSet.empty(),
    statelessPassedBy: [],
    domainFilters: [],
    unmatched: {
      http: { verdict: 'pass', by: 'policy not read' },
      tls: { verdict: 'pass', by: 'policy not read' },
      other: { verdict: 'pass', by: 'policy not read' },
    },
    passes: ALL_INTERNET,
    notes: [`policy ${arnName(firewall.firewallPolicyArn)} was not read: everything is assumed to pass`],
  };
}

/**
 * HTTP and TLS that a domain ALLOWLIST drops unless listed: the allowlists covering `sources` become
 * domain filters, and their port passes (to the listed domains). Where no allowlist applies, `unmatched`
 * is rewritten to say what happens instead (aws:drop_strict, or sources outside the lists' HOME_NET).
 */
function allowlists(
  resolved: ResolvedPolicy,
  vpc: Vpc | undefined,
  firewall: Firewall,
  sources: AddrSet,
  unmatched: FirewallJudgement['unmatched'],
  l4Passes: FlowSet,
): { domainFilters: DomainFilter[]; passes: FlowSet } {
  const policy = resolved.policy;
  const domainFilters: DomainFilter[] = [];
  let passes = l4Passes;
  for (const appProtocol of ['tls', 'http'] as const) {
    const v = unmatched[appProtocol];
    if (v.verdict !== 'drop' || !v.by.startsWith('domain ALLOWLIST')) continue;
    const port = appProtocol === 'tls' ? 443 : 80;
    if (resolved.order === 'STRICT_ORDER' && policy.statefulDefaultActions.includes('aws:drop_strict')) {
      // aws:drop_strict drops the TCP handshake before any SNI or Host is seen: without a rule that
      // passes the TCP flow (already in l4Passes if there is one), the listed domains are dropped too.
      unmatched[appProtocol] = {
        verdict: 'drop',
        by: `aws:drop_strict drops the TCP handshake before the domain ALLOWLIST sees the ${appProtocol === 'tls' ? 'TLS SNI' : 'HTTP Host'} (no rule passes the TCP flow)`,
      };
      continue;
    }
    const outside: string[] = [];
    for (const ref of resolved.stateful) {
      const g = ref.group;
      if (!g || !isAllowlist(g) || ref.override === 'DROP_TO_ALERT') continue;
      if (!domainListProtocols(g.rulesSourceList?.targetTypes ?? []).includes(appProtocol)) continue;
      // A domain list matches traffic from its HOME_NET only: sources outside it are not filtered.
      const groupHome = effectiveHomeNet(g, policy, vpc, firewall);
      if (groupHome.addrs && !groupHome.addrs.contains(sources)) {
        outside.push(`${g.ruleGroupName} (HOME_NET ${groupHome.cidrs?.join(', ') ?? '?'})`);
        continue;
      }
      domainFilters.push({
        appProtocol,
        port,
        group: g.ruleGroupName,
        domains: [...(g.rulesSourceList?.targets ?? [])],
      });
    }
    if (!domainFilters.some((d) => d.appProtocol === appProtocol)) {
      // No allowlist covers these sources: their HTTP/TLS meets the default behaviour.
      unmatched[appProtocol] = {
        verdict: unmatched.other.verdict,
        by: `${unmatched.other.by}; the domain ALLOWLIST ${outside.join(', ')} does not cover the sources`,
      };
      continue;
    }
    passes = passes.union(FlowSet.box(TCP, PortSet.of(port), INTERNET.subtract(sources)));
  }
  return { domainFilters, passes };
}
