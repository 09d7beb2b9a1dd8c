/**
 * AWS Network Firewall semantics, pure. HOME_NET: the rule group's own variable, else the policy variable, else the CIDRs of the VPC the
 * firewall is deployed in ("Policy variables affect all rule groups that don't already define
 * HOME_NET"; "If you don't override HOME_NET ..., Network Firewall by default uses the CIDR of your
 * inspection VPC"). EXTERNAL_NET is the negation of HOME_NET.
 */
import type { Firewall, FirewallPolicy, RuleGroup, Vpc } from '../../../inventory/schema.ts';
import { AddrSet } from '../../net/index.ts';

export type HomeNetSource = 'rule-group' | 'policy' | 'vpc-default';

export interface HomeNet {
  source: HomeNetSource;
  /** The CIDRs as defined (for the default: the VPC's CIDR blocks); undefined when they cannot be known. */
  cidrs: string[] | undefined;
  /** The addresses; undefined when unknown or malformed (then `unknownReason` says why). */
  addrs: AddrSet | undefined;
  unknownReason?: string;
}

function homeNetOf(source: HomeNetSource, cidrs: string[] | undefined, unknownReason?: string): HomeNet {
  if (cidrs === undefined)
    return { source, cidrs, addrs: undefined, unknownReason: unknownReason ?? 'unknown' };
  const addrs = AddrSet.tryFromCidrs(cidrs);
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
