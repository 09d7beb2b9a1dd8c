import { z } from 'zod';
import type { Firewall, FirewallPolicy, RuleGroup } from '../../../inventory/schema.ts';
import {
  type DomainListProtocol,
  domainListProtocols,
  isAllowlist,
} from '../../aws/network-firewall/domain-lists.ts';
import {
  describeEgress,
  EGRESS_PROBES,
  type EgressAnalysis,
  type EgressContext,
  egressAnalysis,
  flowSetHas,
  INTERNET,
} from '../../aws/network-firewall/egress-model.ts';
import { defaultHomeNet, ownHomeNet, policyHomeNet } from '../../aws/network-firewall/home-net.ts';
import {
  describeStatefulDefault,
  statefulDefault,
  statelessDefault,
} from '../../aws/network-firewall/policy-order.ts';
import { arnName, type GroupRef, type NfwIndex, nfwIndex } from '../../aws/network-firewall/resolution.ts';
import { unreadPolicyDrafts } from '../../aws/network-firewall/unread.ts';
import type { FindingResource } from '../../engine/finding.ts';
import { firewallPolicyResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';
import { AddrSet, FlowSet, ICMP, ICMPV6, PortSet, TCP, UDP } from '../../net/index.ts';

const MAX_EFFECTS = 20;

/** HOME_NET of the policy (variable, else the union of its firewalls' VPC CIDRs) and the allowlists' sources. */
function homeContext(
  idx: NfwIndex,
  policy: FirewallPolicy,
  firewalls: readonly Firewall[],
  allowlists: readonly RuleGroup[],
): EgressContext & { evidence: Record<string, unknown> } {
  let home: AddrSet | undefined;
  let reason: string | undefined;
  let policyLevel: Record<string, unknown>;
  const variable = policyHomeNet(policy);
  if (variable) {
    home = variable.addrs;
    reason = variable.unknownReason;
    policyLevel = { source: 'policy', cidrs: variable.cidrs };
  } else if (firewalls.length === 0) {
    reason =
      'no firewall in the inventory uses the policy, so the VPC whose CIDRs are the default is unknown';
    policyLevel = { source: 'vpc-default', cidrs: null };
  } else {
    const defaults = firewalls.map((f) => defaultHomeNet(f.vpcId ? idx.vpcs.get(f.vpcId) : undefined, f));
    const unknown = defaults.find((d) => !d.addrs);
    if (unknown) reason = unknown.unknownReason;
    else home = defaults.reduce((acc, d) => acc.union(d.addrs as AddrSet), AddrSet.empty());
    policyLevel = { source: 'vpc-default', cidrs: unknown ? null : defaults.flatMap((d) => d.cidrs ?? []) };
  }
  let sources: AddrSet | undefined = AddrSet.empty();
  const perList: Record<string, unknown>[] = [];
  for (const g of allowlists) {
    const own = ownHomeNet(g);
    const set = own ? own.addrs : home;
    perList.push({
      group: g.ruleGroupName,
      source: own ? 'rule-group' : policyLevel.source,
      cidrs: own?.cidrs ?? policyLevel.cidrs,
    });
    sources = sources && set ? sources.union(set) : undefined;
  }
  return {
    ...(home ? { home } : {}),
    ...(sources && !sources.isEmpty() ? { sources } : {}),
    ...(reason ? { homeUnknownReason: reason } : {}),
    evidence: { policyHomeNet: policyLevel, allowlists: perList },
  };
}

const WEB_PORTS = FlowSet.box(TCP, PortSet.of(80, 443), INTERNET);

/** The protocols judged: those a NAT gateway forwards (other IP protocols such as GRE never leave by one). */
const JUDGED = FlowSet.unionAll(
  [TCP, UDP, ICMP, ICMPV6].map((p) => FlowSet.box(p, PortSet.all(), AddrSet.all())),
);

export default defineRule({
  meta: {
    id: 'nfw-allowlist-protocol-gap',
    title: 'Domain allowlist leaves other protocols open',
    severity: 'HIGH',
    category: 'network-firewall',
    rationale:
      'A domain ALLOWLIST only denies traffic of the protocols it targets (TLS SNI for HTTPS, Host for HTTP). Everything else (SSH, DNS to outside resolvers, QUIC, plain TCP on any port, ICMP tunnels) falls through to the policy default: under DEFAULT_ACTION_ORDER, or STRICT_ORDER without a drop default, it passes. An ML environment that believes its egress is limited to a few domains can then exfiltrate data or pull code over any other protocol.',
    remediation:
      'Use STRICT_ORDER with the stateful default action aws:drop_established (or aws:drop_strict with explicit passes for handshakes), so whatever the allowlist does not pass is dropped; or add layer-4 drop rules for the other protocols. Resolve DNS through the Route 53 Resolver (with DNS Firewall) rather than outside resolvers.',
    references: [],
    docs: `Applies to each firewall policy whose stateful rule groups include a domain list with \`GeneratedRulesType\` \`ALLOWLIST\` (the policy's egress control). It fails when traffic from HOME_NET to the internet of a protocol the allowlist does not judge can leave. The model (network-firewall/egress-model.ts \`egressAnalysis\`, layer 4: protocol x destination port x destination):

- **Stateless engine** (full packets): stateless rules in priority order, then the default action. \`aws:pass\` traffic skips the stateful engine entirely (the allowlist included); \`aws:drop\` closes it. A stateless drop is credited only when its sources cover HOME_NET and it has no source-port or TCP-flag condition.
- **Stateful engine**: \`DEFAULT_ACTION_ORDER\` has no default action, so traffic no rule drops passes. \`STRICT_ORDER\` drops it when \`StatefulDefaultActions\` holds \`aws:drop_strict\`, \`aws:drop_established\`, \`aws:drop_established_app_layer\` or \`aws:drop_established_app_layer_to_server\` (each stops the payload of an unmatched flow of any protocol; the \`*_established\` ones let connection set-up packets through); the \`aws:alert_*\` actions only log.
- **Explicit rules** (5-tuple and Suricata) count when they are layer-4 (\`ip\`, \`tcp\`, \`udp\`, \`icmp\`) and their options do not narrow the match (msg, sid, rev, classtype, priority, metadata, reference, and \`flow\` with established / to_server / from_client / stateless only). A drop or reject is credited only when its source covers HOME_NET (\`any\`, \`$HOME_NET\`, or CIDRs that cover it), its source port is any, and its destination and ports resolve (variables of the group, \`$EXTERNAL_NET\` = !HOME_NET); in a group with override \`DROP_TO_ALERT\` it only alerts. Under DEFAULT_ACTION_ORDER a layer-4 pass beats any drop; under STRICT_ORDER the first rule in order decides.
- HOME_NET: the allowlist group's own variable, else the policy variable, else the CIDRs of the VPCs of the firewalls using the policy; unknown (transit-gateway firewall, VPC not read) is taken as private space.

Judged protocols: TCP, UDP, ICMP and ICMPv6 (a NAT gateway forwards nothing else, so GRE or ESP never leaves by one).

Severity is lowered to MEDIUM when the only traffic that passes is TCP to ports 80 and 443 (non-HTTP/TLS protocols on web ports, e.g. SSH over 443) and the allowlist targets both HTTP_HOST and TLS_SNI. The message names example traffic that passes (SSH tcp/22, DNS udp/53, QUIC udp/443, plain HTTP when HTTP_HOST is not targeted, ...).

Does not fail: STRICT_ORDER with a drop default action; DEFAULT_ACTION_ORDER with credited drop rules covering every other protocol and port; a policy without a domain ALLOWLIST (a Suricata \`tls.sni\` allowlist is not recognised as one).

Cannot see: application-layer pass rules (\`pass ssh ...\`) are deliberate and not modelled; rules with content or other narrowing options are not credited (a false positive is possible when they do close the gap); fragments (see nfw-stateless-fragment-default-pass); whether ML traffic actually crosses this firewall (see nfw-not-in-ml-egress-path and reach-ml-egress-unfiltered-protocol).

Not evaluated: the policy, when it or any of its rule groups could not be read.`,
    // vpcs: HOME_NET defaults to the CIDRs of the firewall's VPC.
    needs: ['firewalls', 'firewallPolicies', 'ruleGroups', 'vpcs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const idx = nfwIndex(scope);
    const drafts: Draft[] = unreadPolicyDrafts(scope);
    for (const policy of scope.firewallPolicies) {
      const resolved = idx.resolve(policy);
      const allowlistRefs = resolved.stateful.filter((r) => isAllowlist(r.group));
      const missingStateful = resolved.stateful.filter((r) => !r.group).map((r) => r.arn);
      const missing = resolved.missingGroupArns;
      if (allowlistRefs.length === 0 && missingStateful.length === 0) continue;
      const firewalls = idx.firewallsByPolicy.get(policy.firewallPolicyArn) ?? [];
      const resource = firewallPolicyResource(policy);
      if (missing.length > 0) {
        drafts.push({
          status: 'NOT_EVALUATED',
          key: 'groups-unread',
          resource,
          message: `Not evaluated for firewall policy ${policy.firewallPolicyName}: rule group ${missing.map(arnName).join(', ')} could not be read, so what its rules pass or drop is unknown.`,
          evidence: { missingRuleGroups: missing, firewalls: firewalls.map((f) => f.firewallName) },
          remediation: 'Collect again with network-firewall:DescribeRuleGroup allowed.',
        });
        continue;
      }
      const allowlists = allowlistRefs.map((r) => r.group as RuleGroup);
      const targetTypes = [
        ...new Set(allowlists.flatMap((g) => g.rulesSourceList?.targetTypes ?? [])),
      ].sort();
      const protocols = domainListProtocols(targetTypes);
      const home = homeContext(idx, policy, firewalls, allowlists);
      const analysis = egressAnalysis(resolved, home);
      const passes = analysis.passes.intersect(JUDGED);
      if (passes.isEmpty()) continue;

      drafts.push(
        gapDraft({
          policy,
          resource,
          firewalls,
          allowlistRefs,
          allowlists,
          targetTypes,
          protocols,
          home,
          analysis,
          passes,
        }),
      );
    }
    return drafts;
  },
});

interface GapContext {
  policy: FirewallPolicy;
  resource: FindingResource;
  firewalls: readonly Firewall[];
  allowlistRefs: readonly GroupRef[];
  allowlists: readonly RuleGroup[];
  targetTypes: readonly string[];
  protocols: readonly DomainListProtocol[];
  home: ReturnType<typeof homeContext>;
  analysis: EgressAnalysis;
  /** What passes, within the judged traffic: not empty. */
  passes: FlowSet;
}

/** The finding for a policy whose allowlist lets other protocols pass: examples, severity, evidence. */
function gapDraft({
  policy,
  resource,
  firewalls,
  allowlistRefs,
  allowlists,
  targetTypes,
  protocols,
  home,
  analysis,
  passes,
}: GapContext): Draft {
  const has = (protocol: number, port: number | undefined) => flowSetHas(passes, protocol, port);
  const examples: string[] = [];
  if (!protocols.includes('http') && has(TCP, 80))
    examples.push('plain HTTP tcp/80 (the list has no HTTP_HOST)');
  if (!protocols.includes('tls') && has(TCP, 443)) examples.push('HTTPS tcp/443 (the list has no TLS_SNI)');
  for (const p of EGRESS_PROBES) if (has(p.protocol, p.port)) examples.push(p.label);
  if (examples.length === 0) examples.push(describeEgress(passes));

  const stateless = statelessDefault(policy, 'full');
  const stateful = statefulDefault(policy);
  const bypass = stateless.standard === 'aws:pass';
  const alertOnly = allowlistRefs
    .filter((r) => r.override === 'DROP_TO_ALERT')
    .map((r) => r.group?.ruleGroupName);
  const webOnly =
    protocols.includes('http') && protocols.includes('tls') && WEB_PORTS.contains(passes) && !bypass;
  const listNames = allowlists.map((g) => g.ruleGroupName).join(', ');
  const fwText = firewalls.length
    ? `; used by firewall ${firewalls.map((f) => f.firewallName).join(', ')}`
    : '';
  const remediation =
    stateful.order === 'DEFAULT_ACTION_ORDER'
      ? `Move ${policy.firewallPolicyName} to STRICT_ORDER with stateful default action aws:drop_established (recreate ${listNames} with StatefulRuleOptions RuleOrder STRICT_ORDER), so traffic the allowlist does not pass is dropped${bypass ? ', and set its stateless default action to aws:forward_to_sfe' : ''}; resolve DNS through the Route 53 Resolver rather than outside resolvers.`
      : `Add aws:drop_established (or aws:drop_strict) to the StatefulDefaultActions of ${policy.firewallPolicyName}${bypass ? ' and set its stateless default action to aws:forward_to_sfe' : ''}, so traffic the allowlist does not pass is dropped; resolve DNS through the Route 53 Resolver rather than outside resolvers.`;
  return {
    resource,
    ...(webOnly ? { severity: 'MEDIUM' as const } : {}),
    message: `Firewall policy ${policy.firewallPolicyName} (${describeStatefulDefault(stateful)}) filters egress with domain ALLOWLIST ${listNames} for ${targetTypes.join(' and ')}, but traffic of other protocols passes: ${examples.slice(0, 3).join(', ')}${bypass ? ' (its stateless default action aws:pass sends unmatched traffic, allowlisted protocols included, past the stateful engine)' : ''}${fwText}.`,
    evidence: {
      ruleOrder: stateful.order,
      statefulDefaultActions: policy.statefulDefaultActions,
      statelessDefaultActions: policy.statelessDefaultActions,
      statelessBypass: bypass,
      allowlists: allowlists.map((g) => ({
        group: g.ruleGroupName,
        targetTypes: g.rulesSourceList?.targetTypes ?? [],
        entries: g.rulesSourceList?.targets.length ?? 0,
      })),
      allowlistsAlertOnly: alertOnly,
      examples,
      passingTraffic: describeEgress(passes),
      passingStateless: describeEgress(analysis.statelessPass.intersect(JUDGED)),
      ruleEffects: analysis.effects.slice(0, MAX_EFFECTS).map((e) => ({
        group: e.group,
        rule: e.rule,
        action: e.action,
        decides: describeEgress(e.flows),
      })),
      homeNet: home.evidence,
      notes: analysis.notes,
      firewalls: firewalls.map((f) => f.firewallName),
      ...(webOnly
        ? {
            severityReason:
              'only TCP to ports 80 and 443 passes unjudged (non-HTTP/TLS protocols on web ports), and the allowlist targets both HTTP_HOST and TLS_SNI',
          }
        : {}),
    },
    remediation,
  };
}
