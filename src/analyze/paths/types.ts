/**
 * What the path engine answers: the paths into and out of an ML placement, hop by hop, over flows
 * (protocol × port × remote address). The rules, the exposure section and the ML egress answer read these.
 */
import type { SecurityGroup } from '../../inventory/schema.ts';
import type { PolicyAccess } from '../aws/endpoint-policy.ts';
import type { MlPlacement } from '../aws/ml-placements.ts';
import type { RuleOrder } from '../aws/network-firewall/policy-order.ts';
import type { AddrSet, FlowSet } from '../net/index.ts';

export type HopKind =
  | 'eni'
  | 'sg'
  | 'nacl'
  | 'route'
  | 'nat'
  | 'firewall'
  | 'igw'
  | 'eigw'
  | 'edge-route'
  | 'internet'
  | 'sagemaker'
  | 'appliance'
  | 'other-network';

export interface Hop {
  kind: HopKind;
  id: string;
  text: string;
  /** The Name of the resource `id` names (paths/names.ts), when it has one. */
  name?: string;
}

export interface DomainFilter {
  appProtocol: 'http' | 'tls';
  /** Port the filtered traffic is taken on (80 for HTTP, 443 for TLS). */
  port: number;
  group: string;
  domains: string[];
}

export interface FirewallJudgement {
  firewallName: string;
  firewallArn: string;
  endpointId: string;
  policyName: string | undefined;
  order: RuleOrder | undefined;
  /** Layer-4 traffic that passes with no rule able to stop it (stateless pass included). */
  l4Passes: FlowSet;
  /** Passed by the stateless engine without stateful inspection. */
  statelessPass: FlowSet;
  /**
   * What passed it: "stateless group G rule priority N (aws:pass)", "the stateless default action
   * aws:pass of policy P". Empty when the stateless engine passes nothing.
   */
  statelessPassedBy: string[];
  /** HTTP/TLS traffic that passes only to listed domains. */
  domainFilters: DomainFilter[];
  /** What happens to traffic matching no rule, by application protocol. */
  unmatched: Record<'http' | 'tls' | 'other', { verdict: 'pass' | 'drop'; by: string }>;
  /** Everything that may pass: l4Passes ∪ the domain-filtered ports. */
  passes: FlowSet;
  notes: string[];
}

export type ExitKind = 'internet' | 'sagemaker' | 'appliance' | 'other';

export interface EgressPath {
  subnetId: string;
  exit: ExitKind;
  /** igw-/eigw- id, tgw id, appliance id, 'sagemaker'. */
  exitId: string;
  hops: Hop[];
  /** What leaves on this path: protocol × port × destination. */
  flows: FlowSet;
  /** Destinations routed to the exit (before filters). */
  routed: AddrSet;
  firewalls: FirewallJudgement[];
  /** Firewalls the return traffic crosses (IGW edge route, NAT subnet route back). */
  returnFirewalls: string[];
  natted: boolean;
  /** The hop where the return path differs from the forward path, when it does. */
  asymmetry?: string;
}

export interface BlockedPath {
  subnetId: string;
  hops: Hop[];
  /** The hop that blocks, in words. */
  blockedAt: Hop;
  reason:
    | 'blackhole'
    | 'nacl-return'
    | 'no-public-ip'
    | 'nat-unavailable'
    | 'egress-only'
    | 'no-route-table'
    | 'peering-no-transit'
    | 'nacl-inbound';
  flows: FlowSet;
}

export interface IngressPath {
  subnetId: string;
  entry: string;
  hops: Hop[];
  /** What the internet can open: protocol × port × source. */
  flows: FlowSet;
  firewalls: string[];
}

export interface ApiAccess {
  service: string;
  endpointId: string;
  type: 'Interface' | 'Gateway';
  privateDns: boolean;
  /** What the endpoint's policy lets through (aws/endpoint-policy.ts); deny-all means the path is useless. */
  policy: PolicyAccess;
  policySummary: string;
}

/** Whether a private API path carries traffic: an endpoint whose policy allows nothing is no path. */
export function apiUsable(a: Pick<ApiAccess, 'policy'>): boolean {
  return a.policy !== 'deny-all';
}

export interface PlacementReach {
  placement: MlPlacement;
  mode: 'vpc' | 'isolated' | 'sagemaker-only';
  egress: EgressPath[];
  blocked: BlockedPath[];
  ingress: IngressPath[];
  awsApis: ApiAccess[];
  notes: string[];
}

/** The paths out of a placement's ENIs, before SageMaker's own modes are applied (PathEngine.eniPaths). */
export interface EniPaths {
  groups: SecurityGroup[];
  /** Configured groups that are not in the inventory (their rules are unknown). */
  missingGroups: string[];
  sgIn: FlowSet;
  sgLabel: string;
  egress: EgressPath[];
  blocked: BlockedPath[];
  perSubnet: { subnetId: string; pub4: boolean; v6: boolean; eniHop: Hop; walk: SubnetWalk }[];
}

/** The internet egress of one subnet, before any security group (PathEngine.subnetEgress). */
export interface SubnetWalk {
  egress: EgressPath[];
  blocked: BlockedPath[];
}
