/**
 * Does an ML placement have an internet egress path? The path engine's answer (paths/engine.ts), for the
 * rules that need a yes or no (vpce-ml-missing-endpoints): a path out on **tcp/443** (the port every AWS
 * API call uses) from any of its configured subnets, through its security groups, NACLs (both
 * directions, ephemeral return), routes (longest prefix, blackholes), NAT gateways, firewalls and
 * internet gateways (a public IPv4 address, or IPv6 over an internet or egress-only gateway).
 *
 * Conservative: never claim "no egress" that the inventory cannot prove. So these count as egress:
 * SageMaker's own internet access (notebook DirectInternetAccess, Studio PublicInternetOnly, a job or
 * model without VpcConfig); a path that leaves for a network the engine does not model (transit
 * gateway, VPN, an appliance or an unknown endpoint; not peering, which carries no internet traffic);
 * a subnet whose route table is unknown;
 * and a placement whose security groups are not all in the inventory when the known ones give no path.
 *
 * Network isolation does not change the answer: the container has no network, but SageMaker moves an
 * isolated job's S3 data and artifacts through the VPC's subnets and groups (CreateTrainingJob
 * EnableNetworkIsolation), so the ENI paths are what matters; callers decide what an isolated
 * placement needs.
 */
import type { ResourceKind } from '../../inventory/schema.ts';
import type { MlPlacement } from '../aws/ml-placements.ts';
import type { ScopeIndex } from '../engine/scope-index.ts';
import { AddrSet, FlowSet, PortSet, TCP } from '../net/index.ts';
import { pathEngine } from './engine.ts';
import { pathNames } from './names.ts';
import type { BlockedPath, EgressPath, Hop } from './types.ts';
import { type PortsEntry, portsOf, portsText } from './words.ts';

/**
 * Inventory kinds whose data decides whether a placement has egress: routes, targets and security
 * groups (whose absence would hide a path), and NACLs, firewalls, their policies and rule groups (what
 * was not read of those is taken to pass, which would hide a block, and so a placement with no egress).
 */
export const EGRESS_NEEDS = [
  'networkAcls',
  'firewalls',
  'firewallPolicies',
  'ruleGroups',
  'subnets',
  'routeTables',
  'prefixLists',
  'vpcEndpoints',
  'natGateways',
  'internetGateways',
  'securityGroups',
  'networkInterfaces',
] as const satisfies readonly ResourceKind[];

const TCP_443 = FlowSet.box(TCP, PortSet.of(443), AddrSet.all());

export interface EgressPathSummary {
  subnetId: string;
  exit: EgressPath['exit'];
  exitId: string;
  /** What leaves on the path (any destination). */
  ports: PortsEntry[];
  hops: string[];
  /** id -> Name of the resources the hops name, when any has one (paths/names.ts). */
  names?: Record<string, string>;
}

export interface BlockedSummary {
  subnetId: string;
  reason: BlockedPath['reason'];
  at: string;
  ports: PortsEntry[];
  hops: string[];
}

export interface InternetEgress {
  has: boolean;
  /** One phrase: "tcp/443 from subnet-a via nat-1, igw-1 to the internet", "no route to the internet in rtb-a". */
  via: string;
  evidence: {
    sagemakerManagedInternet: boolean;
    /** Effective route table of each configured subnet (null: unknown). */
    routeTables: { subnetId: string; routeTableId: string | null }[];
    /** The tcp/443 paths out (empty when `has` is false or assumed). */
    paths: EgressPathSummary[];
    /** Paths that would carry tcp/443 but are blocked, and where. */
    blocked: BlockedSummary[];
    /** Why egress is assumed without a path being seen. */
    assumed?: string;
  };
}

const VIA_KINDS = new Set<Hop['kind']>(['nat', 'firewall', 'igw', 'eigw', 'appliance', 'other-network']);

/** "tcp/443 from subnet-a via nat-1, vpce-fw to internet gateway igw-1, then the internet". */
function pathVia(e: EgressPath): string {
  const last = e.hops[e.hops.length - 1];
  if (e.exit === 'sagemaker' || !last) return `tcp/443 ${last?.text ?? "through SageMaker's own network"}`;
  const mid = [
    ...new Set(
      e.hops
        .slice(0, -1)
        .filter((h) => VIA_KINDS.has(h.kind))
        .map((h) => h.id),
    ),
  ];
  const from = `tcp/443 from ${e.subnetId}${mid.length ? ` via ${mid.join(', ')}` : ''}`;
  // An exit the engine does not follow is no proven internet: its hop says where it leaves the model.
  return last.text.startsWith('leaves ') ? `${from}, which ${last.text}` : `${from} to ${last.text}`;
}

/** Why one subnet has no tcp/443 path, in words. */
function whyNot(index: ScopeIndex, subnetId: string, p: MlPlacement): string {
  const engine = pathEngine(index);
  const enis = engine.eniPaths(p);
  const sub = enis.perSubnet.find((s) => s.subnetId === subnetId);
  const table = index.effectiveRouteTable(subnetId)?.table.routeTableId ?? '?';
  const blocked = enis.blocked.filter(
    (b) => b.subnetId === subnetId && !b.flows.intersect(TCP_443).isEmpty(),
  );
  if (blocked.length) return [...new Set(blocked.map((b) => b.blockedAt.text))].join('; ');
  const walk443 = (sub?.walk.egress ?? []).some((e) => !e.flows.intersect(TCP_443).isEmpty());
  if (walk443) return `security groups ${enis.sgLabel} allow no tcp/443 to the internet`;
  const nacl = engine.naclFilters(subnetId);
  if (nacl.acl && nacl.outFwd.intersect(TCP_443).isEmpty())
    return `NACL ${nacl.acl.networkAclId} of ${subnetId} allows no outbound tcp/443 to the internet`;
  const other = (sub?.walk.egress ?? []).filter((e) => !e.flows.isEmpty());
  if (other.length)
    return `only ${[...new Set(other.map((e) => portsText(portsOf(e.flows))))].join('; ')} leave ${subnetId}: no tcp/443`;
  return `no route to the internet in ${table}`;
}

/**
 * internetEgress(placement, index).has without its evidence: the rules that report only placements
 * without egress ask this first, so no words are built for the many that have it.
 */
export function hasInternetEgress(placement: MlPlacement, index: ScopeIndex): boolean {
  if (placement.sagemakerManagedInternet || placement.subnetIds.length === 0) return true;
  const enis = pathEngine(index).eniPaths(placement);
  if (enis.egress.some((e) => !e.flows.intersect(TCP_443).isEmpty())) return true;
  if (placement.subnetIds.some((subnetId) => index.effectiveRouteTable(subnetId) === undefined)) return true;
  return enis.missingGroups.length > 0;
}

/** Whether an ML placement can reach the internet on tcp/443, and how (or why not). */
export function internetEgress(placement: MlPlacement, index: ScopeIndex): InternetEgress {
  const routeTables = placement.subnetIds.map((subnetId) => ({
    subnetId,
    routeTableId: index.effectiveRouteTable(subnetId)?.table.routeTableId ?? null,
  }));
  const evidence: InternetEgress['evidence'] = {
    sagemakerManagedInternet: placement.sagemakerManagedInternet,
    routeTables,
    paths: [],
    blocked: [],
  };
  if (placement.sagemakerManagedInternet) {
    return { has: true, via: "SageMaker's own internet access (outside the VPC)", evidence };
  }
  if (placement.subnetIds.length === 0) {
    return { has: true, via: "no subnets in its configuration: SageMaker's own network", evidence };
  }
  const enis = pathEngine(index).eniPaths(placement);
  const paths = enis.egress.filter((e) => !e.flows.intersect(TCP_443).isEmpty());
  evidence.paths = paths.map((e) => ({
    subnetId: e.subnetId,
    exit: e.exit,
    exitId: e.exitId,
    ports: portsOf(e.flows),
    hops: e.hops.map((h) => h.text),
    ...pathNames(
      index,
      e.hops.map((h) => h.text),
    ),
  }));
  evidence.blocked = enis.blocked
    .filter((b) => !b.flows.intersect(TCP_443).isEmpty())
    .map((b) => ({
      subnetId: b.subnetId,
      reason: b.reason,
      at: b.blockedAt.text,
      ports: portsOf(b.flows),
      hops: b.hops.map((h) => h.text),
    }));
  const [first] = paths;
  if (first) return { has: true, via: pathVia(first), evidence };

  const unknown = routeTables.find((t) => t.routeTableId === null);
  if (unknown) {
    evidence.assumed = `route table of ${unknown.subnetId} unknown (subnet not in the inventory, or no main table): egress cannot be ruled out`;
    return { has: true, via: evidence.assumed, evidence };
  }
  if (enis.missingGroups.length) {
    evidence.assumed = `security groups ${enis.missingGroups.join(', ')} are not in the inventory: egress cannot be ruled out`;
    return { has: true, via: evidence.assumed, evidence };
  }
  const reasons = [...new Set(placement.subnetIds.map((s) => whyNot(index, s, placement)))];
  return { has: false, via: reasons.join('; '), evidence };
}
