/**
 * The audit scope: which findings a run reports.
 *
 * - `ml` (the default): this tool audits the network around ML. A finding is reported when its
 *   resource is an ML resource, or sits in a VPC that holds an ML placement (every placement kind of
 *   analyze/aws/ml-placements.ts), or on such a VPC's paths: the VPCs peered with it (one hop: AWS
 *   peering is not transitive), and the firewalls, endpoints, gateways, route tables, NACLs, groups
 *   and flow logs of all of those, with the firewall policies and rule groups those firewalls use.
 *   Transit-gateway hubs join through `hubVpcs` (below).
 * - `account`: every finding, account-wide hygiene included (default security groups and NACLs,
 *   flow logs, unused groups in VPCs without ML).
 *
 * Never drop what was not proven out of scope: where a scope's ML placements could not be read in full
 * (a coverage gap in a placement kind, or a placement whose VPC is unknown), every VPC of that scope
 * stays in; where a scope's peering connections could not be read while ML exists anywhere in the
 * inventory, every VPC of that scope stays in; a resource that cannot be tied to a VPC (a group
 * without a VPC, a firewall attached to a transit gateway, a resource not in the inventory, a type
 * this table does not know) stays in. Coverage-gap findings always stay. Applied by the runner
 * (run.ts) to every rule's findings, never by a rule.
 */
import type {
  Inventory,
  RegionInventory,
  ResourceKind,
  VpcPeeringConnection,
} from '../../inventory/schema.ts';
import { PLACEMENT_NEEDS } from '../aws/ml-placements.ts';
import type { Finding } from './finding.ts';
import { ScopeIndex } from './scope-index.ts';

export const SCOPE_MODES = ['ml', 'account'] as const;
export type ScopeMode = (typeof SCOPE_MODES)[number];

/** The VPCs of one region scope in the ML scope, or `all` where that could not be proven. */
type ScopeVpcs = ReadonlySet<string> | 'all';

/** Peering connections in these states carry no traffic and never will without a new request. */
const DEAD_PEERING = new Set(['deleted', 'deleting', 'rejected', 'failed', 'expired']);

const vpcKey = (account: string, region: string, vpcId: string) => `${account}/${region}/${vpcId}`;

/** Kinds whose gap leaves ML placements (or their VPCs) unknown: subnets tie jobs and notebooks to a VPC. */
const PLACEMENT_KINDS = new Set<ResourceKind>([...PLACEMENT_NEEDS, 'subnets']);

/** The ML placements of a scope could not all be read, or one of them could not be tied to its VPC. */
function placementsUnproven(scope: RegionInventory): boolean {
  if (scope.gaps.some((g) => !g.informational && PLACEMENT_KINDS.has(g.kind))) return true;
  return ScopeIndex.of(scope)
    .mlPlacements()
    .some((p) => p.subnetIds.length > 0 && p.vpcId === undefined);
}

function mlVpcKeys(scope: RegionInventory): string[] {
  const keys: string[] = [];
  for (const p of ScopeIndex.of(scope).mlPlacements())
    if (p.vpcId) keys.push(vpcKey(scope.account, scope.region, p.vpcId));
  return keys;
}

function peeringSides(scope: RegionInventory, pc: VpcPeeringConnection): [string, string] | undefined {
  const side = (s: VpcPeeringConnection['requesterVpc']) =>
    s.vpcId ? vpcKey(s.ownerId ?? scope.account, s.region ?? scope.region, s.vpcId) : undefined;
  const a = side(pc.requesterVpc);
  const b = side(pc.accepterVpc);
  return a && b ? [a, b] : undefined;
}

/** The VPCs peered with an ML VPC, seen from either side's scope (a connection is listed on both). */
function peeredVpcs(inventory: Inventory, ml: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const scope of inventory.regions) {
    for (const pc of scope.vpcPeeringConnections) {
      if (DEAD_PEERING.has(pc.status ?? '')) continue;
      const sides = peeringSides(scope, pc);
      if (!sides) continue;
      if (ml.has(sides[0])) out.push(sides[1]);
      if (ml.has(sides[1])) out.push(sides[0]);
    }
  }
  return out;
}

/**
 * The hook for transit-gateway hubs (issue #15): the VPCs on an ML VPC's path through a transit
 * gateway (an inspection or egress VPC attached to the route tables an ML VPC's attachment
 * propagates to or is associated with). The inventory does not hold transit gateways yet, so none.
 */
function hubVpcs(_inventory: Inventory, _ml: ReadonlySet<string>): string[] {
  return [];
}

/** The VPCs in the ML scope, per region scope. */
export function mlScopeVpcs(inventory: Inventory): Map<RegionInventory, ScopeVpcs> {
  const ml = new Set(inventory.regions.flatMap(mlVpcKeys));
  const unproven = new Set(inventory.regions.filter(placementsUnproven));
  const mlAnywhere = ml.size > 0 || unproven.size > 0;
  const inScope = new Set([...ml, ...peeredVpcs(inventory, ml), ...hubVpcs(inventory, ml)]);
  const out = new Map<RegionInventory, ScopeVpcs>();
  for (const scope of inventory.regions) {
    const peeringUnread =
      mlAnywhere && scope.gaps.some((g) => !g.informational && g.kind === 'vpcPeeringConnections');
    if (unproven.has(scope) || peeringUnread) {
      out.set(scope, 'all');
      continue;
    }
    const prefix = `${scope.account}/${scope.region}/`;
    out.set(
      scope,
      new Set([...inScope].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length))),
    );
  }
  return out;
}

/**
 * The VPCs a finding's resource belongs to: a list (it is in scope when any is), `keep` when it is
 * in scope whatever the VPCs (ML resources, what cannot be tied to a VPC), or `region` for what
 * serves the whole region (prefix lists, the scope itself).
 */
type Belongs = readonly string[] | 'keep' | 'region';

function vpcsOf(scope: RegionInventory, finding: Finding, vpcs: ReadonlySet<string>): Belongs {
  const { type, id, arn } = finding.resource;
  const index = ScopeIndex.of(scope);
  const one = (vpcId: string | undefined): Belongs => (vpcId ? [vpcId] : 'keep');
  switch (type) {
    case 'AWS::EC2::VPC':
      return [id];
    case 'AWS::EC2::Subnet':
      return one(index.subnets().get(id)?.vpcId);
    case 'AWS::EC2::SecurityGroup':
      return one(index.securityGroups().get(id)?.vpcId);
    case 'AWS::EC2::NetworkInterface':
      return one(index.networkInterfaces().get(id)?.vpcId);
    case 'AWS::EC2::NetworkAcl':
      return one(scope.networkAcls.find((a) => a.networkAclId === id)?.vpcId);
    case 'AWS::EC2::RouteTable':
      return one(scope.routeTables.find((r) => r.routeTableId === id)?.vpcId);
    case 'AWS::EC2::NatGateway':
      return one(scope.natGateways.find((n) => n.natGatewayId === id)?.vpcId);
    case 'AWS::EC2::VPCEndpoint':
      return one(scope.vpcEndpoints.find((e) => e.vpcEndpointId === id)?.vpcId);
    case 'AWS::EC2::InternetGateway': {
      const igw = scope.internetGateways.find((g) => g.internetGatewayId === id);
      return igw ? igw.attachedVpcIds : 'keep';
    }
    case 'AWS::EC2::EgressOnlyInternetGateway': {
      const eigw = scope.egressOnlyInternetGateways.find((g) => g.egressOnlyInternetGatewayId === id);
      return eigw ? eigw.attachedVpcIds : 'keep';
    }
    case 'AWS::EC2::FlowLog': {
      const target = scope.flowLogs.find((l) => l.flowLogId === id)?.resourceId;
      if (!target) return 'keep';
      return one(
        target.startsWith('vpc-')
          ? target
          : (index.subnets().get(target)?.vpcId ?? index.networkInterfaces().get(target)?.vpcId),
      );
    }
    case 'AWS::EC2::VPCPeeringConnection': {
      const pc = scope.vpcPeeringConnections.find((p) => p.vpcPeeringConnectionId === id);
      if (!pc) return 'keep';
      return [pc.requesterVpc.vpcId, pc.accepterVpc.vpcId].filter((v): v is string => v !== undefined);
    }
    case 'AWS::EC2::PrefixList':
    case 'AWS::Region':
      return 'region';
    case 'AWS::NetworkFirewall::Firewall': {
      const fw = scope.firewalls.find((f) => f.firewallArn === arn || f.firewallName === id);
      return fw ? one(fw.vpcId) : 'keep';
    }
    case 'AWS::NetworkFirewall::FirewallPolicy':
    case 'AWS::NetworkFirewall::RuleGroup':
      return firewallUse(scope, finding, vpcs);
    default:
      // SageMaker resources are ML themselves; an unknown type is never dropped.
      return 'keep';
  }
}

/** A policy or rule group is in scope when a firewall in scope (or one not tied to a VPC) uses it. */
function firewallUse(scope: RegionInventory, finding: Finding, vpcs: ReadonlySet<string>): Belongs {
  const { arn, type } = finding.resource;
  const firewalls = scope.firewalls.filter((f) => !f.vpcId || vpcs.has(f.vpcId));
  const policyArns = new Set(firewalls.map((f) => f.firewallPolicyArn));
  if (type === 'AWS::NetworkFirewall::FirewallPolicy') return policyArns.has(arn) ? 'keep' : [];
  const used = scope.firewallPolicies
    .filter((p) => policyArns.has(p.firewallPolicyArn))
    .some((p) =>
      [...p.statelessRuleGroupReferences, ...p.statefulRuleGroupReferences].some(
        (r) => r.resourceArn === arn,
      ),
    );
  return used ? 'keep' : [];
}

/** A region scope holds something in the ML scope: an ML resource, or a VPC in scope. */
function regionInScope(scope: RegionInventory, vpcs: ReadonlySet<string>): boolean {
  return vpcs.size > 0 || ScopeIndex.of(scope).mlPlacements().length > 0;
}

/** Whether a finding of this scope is in the ML scope. */
export function inMlScope(scope: RegionInventory, vpcs: ScopeVpcs, finding: Finding): boolean {
  if (vpcs === 'all' || finding.ruleId === 'audit-coverage-gap') return true;
  const belongs = vpcsOf(scope, finding, vpcs);
  if (belongs === 'keep') return true;
  if (belongs === 'region') return regionInScope(scope, vpcs);
  return belongs.some((v) => vpcs.has(v));
}
