/**
 * The paths of one ML resource, step by step, for `explain`: every way in from the internet with the
 * controls that decide it (the entry gateway, the route back, the NACL's inbound rule numbers, the
 * security-group rules that admit internet sources) and its return leg (the NACL's outbound rule
 * numbers on the ephemeral ports, the route, the gateway); every way out, hop by hop; what is blocked and
 * where; the private paths to AWS APIs. Names stand beside ids. Pure: the inventory in, words out.
 */
import type { Inventory, RegionInventory, SecurityGroup } from '../../inventory/schema.ts';
import type { MlPlacement } from '../aws/ml-placements.ts';
import { describeNaclEntry, entriesByRule } from '../aws/nacls.ts';
import { INTERNET } from '../aws/network-firewall/egress-model.ts';
import { describeRule, peerAddrs, peerOf } from '../aws/security-groups.ts';
import { ScopeIndex } from '../engine/scope-index.ts';
import { AddrSet, EPHEMERAL, FlowSet, naclSpace, TCP, UDP } from '../net/index.ts';
import { pathEngine } from './engine.ts';
import { safeRuleSpace } from './filters.ts';
import { namedHops } from './names.ts';
import type { ApiAccess, Hop, IngressPath, PlacementReach } from './types.ts';
import { describeFlows } from './words.ts';

/** One step of a traced path: the resource it crosses (id, name) and what happens there. */
export interface TraceStep {
  id: string;
  name?: string;
  text: string;
}

export interface InboundTrace {
  entry: string;
  subnetId: string;
  /** What the internet can open on this path. */
  flows: string;
  forward: TraceStep[];
  /** The reply, from the resource back to the internet. */
  back: TraceStep[];
}

export interface OutboundTrace {
  exit: string;
  exitId: string;
  flows: string;
  firewalls: string[];
  hops: TraceStep[];
  asymmetry?: string;
}

export interface ResourceTrace {
  account: string;
  region: string;
  placement: MlPlacement;
  mode: PlacementReach['mode'];
  inbound: InboundTrace[];
  outbound: OutboundTrace[];
  blocked: { subnetId: string; reason: string; at: string; flows: string }[];
  apis: ApiAccess[];
  notes: string[];
}

/** The placement of an ML resource named by id, name or ARN, with its scope; undefined when none. */
export function findPlacement(
  inventory: Inventory,
  target: string,
): { scope: RegionInventory; placement: MlPlacement } | undefined {
  for (const scope of inventory.regions) {
    for (const placement of ScopeIndex.of(scope).mlPlacements()) {
      const r = placement.resource;
      if (r.id === target || r.arn === target || r.name === target) return { scope, placement };
    }
  }
  return undefined;
}

function step(index: ScopeIndex, id: string, text: string): TraceStep {
  const name = index.resourceNames().get(id);
  return { id, ...(name !== undefined && name !== id ? { name } : {}), text };
}

function fromHop(h: Hop): TraceStep {
  return { id: h.id, ...(h.name !== undefined ? { name: h.name } : {}), text: h.text };
}

/** The rules of `groups` that admit `flows` from internet sources, in words with their rule ids. */
function admittingRules(index: ScopeIndex, groups: readonly SecurityGroup[], flows: FlowSet): TraceStep[] {
  const pls = index.prefixLists();
  const steps: TraceStep[] = [];
  for (const g of groups) {
    const admits: string[] = [];
    for (const rule of g.rules) {
      if (rule.egress) continue;
      const peer = peerOf(rule, pls);
      const addrs = peerAddrs(peer)?.intersect(INTERNET);
      if (!addrs || addrs.isEmpty()) continue;
      const ruleFlows = safeRuleSpace(rule.ipProtocol, rule.fromPort, rule.toPort, addrs);
      if (ruleFlows.intersect(flows).isEmpty()) continue;
      admits.push(describeRule(rule, peer, undefined, index.scope.account));
    }
    if (admits.length) steps.push(step(index, g.groupId, `security group admits ${admits.join('; ')}`));
  }
  return steps;
}

/** "inbound rule 100 (allow tcp 22 from 0.0.0.0/0)" for each entry that allowed part of `within`. */
function naclRules(index: ScopeIndex, subnetId: string, direction: 'ingress' | 'egress', within: FlowSet) {
  const acl = index.naclBySubnet().get(subnetId);
  if (!acl) return undefined;
  const byRule = entriesByRule(acl.entries, direction);
  const decided = naclSpace(acl.entries, direction, within).decidedBy.filter((d) => d.action === 'allow');
  const words = decided.map((d) => (d.ruleNumber === '*' ? '' : describeNaclEntry(byRule.get(d.ruleNumber))));
  return { aclId: acl.networkAclId, words: words.filter(Boolean) };
}

/** The subnet's routes that send replies to the entry gateway. */
function routesTo(index: ScopeIndex, subnetId: string, target: string): TraceStep | undefined {
  const eff = index.effectiveRouteTable(subnetId);
  if (!eff) return undefined;
  const dests = eff.table.routes
    .filter((r) => r.target.id === target)
    .map((r) => r.destinationCidrBlock ?? r.destinationIpv6CidrBlock ?? r.destinationPrefixListId ?? '?');
  const via = dests.length ? `route ${dests.join(', ')} to ${target}` : `no direct route to ${target}`;
  return step(
    index,
    eff.table.routeTableId,
    `${eff.explicit ? 'route table' : 'main route table'} of ${subnetId}: ${via}`,
  );
}

function inboundTrace(
  index: ScopeIndex,
  p: MlPlacement,
  path: IngressPath,
  groups: SecurityGroup[],
): InboundTrace {
  const { subnetId, entry, flows } = path;
  const forward: TraceStep[] = [{ id: 'internet', text: `the internet, on ${describeFlows(flows)}` }];
  forward.push(step(index, entry, `internet gateway ${entry}`));
  for (const h of path.hops) if (h.kind === 'edge-route' || h.kind === 'firewall') forward.push(fromHop(h));
  const route = routesTo(index, subnetId, entry);
  if (route) forward.push(route);
  const inRules = naclRules(index, subnetId, 'ingress', flows);
  forward.push(
    inRules
      ? step(
          index,
          inRules.aclId,
          `network ACL admits it by ${inRules.words.join('; ') || 'no numbered rule'}`,
        )
      : step(index, subnetId, 'no network ACL in the inventory for the subnet: the default ACL admits all'),
  );
  forward.push(...admittingRules(index, groups, flows));
  const eni = path.hops.find((h) => h.kind === 'eni');
  forward.push({
    id: p.resource.id,
    ...(p.resource.name !== undefined && p.resource.name !== p.resource.id ? { name: p.resource.name } : {}),
    text: `${p.kind} ${p.resource.name ?? p.resource.id}${eni ? `: ${eni.text}` : ''}`,
  });

  // The reply: the groups are stateful; the NACL is not, so its outbound rules must pass the client's
  // ephemeral ports (TCP/UDP) back to the internet.
  const back: TraceStep[] = [
    { id: p.resource.id, text: `the reply leaves ${p.kind} ${p.resource.name ?? p.resource.id}` },
    { id: 'security groups', text: 'security groups: stateful, the reply to an admitted connection passes' },
  ];
  const reply = FlowSet.box(TCP, EPHEMERAL, INTERNET).union(FlowSet.box(UDP, EPHEMERAL, INTERNET));
  const outRules = naclRules(index, subnetId, 'egress', reply.intersect(FlowSet.all(sourcesOf(flows))));
  back.push(
    outRules
      ? step(
          index,
          outRules.aclId,
          `network ACL lets the reply out by ${outRules.words.join('; ') || 'no numbered rule'} (ephemeral ports 1024-65535)`,
        )
      : step(index, subnetId, 'no network ACL in the inventory: the default ACL lets the reply out'),
  );
  if (route) back.push(route);
  back.push(step(index, entry, `internet gateway ${entry}, then the internet`));
  return { entry, subnetId, flows: describeFlows(flows), forward, back };
}

/** The remote addresses of a flow set, whatever the protocol and port. */
function sourcesOf(flows: FlowSet): AddrSet {
  return AddrSet.unionAll(flows.boxes().map((b) => b.addrs));
}

/** Every path into and out of one ML resource, step by step. */
export function traceResource(scope: RegionInventory, placement: MlPlacement): ResourceTrace {
  const index = ScopeIndex.of(scope);
  const engine = pathEngine(index);
  const reach = engine.reach(placement);
  const { groups } = engine.groupsOf(placement);
  return {
    account: scope.account,
    region: scope.region,
    placement,
    mode: reach.mode,
    inbound: reach.ingress.map((i) => inboundTrace(index, placement, i, groups)),
    outbound: reach.egress.map((e) => ({
      exit: e.exit,
      exitId: e.exitId,
      flows: describeFlows(e.flows),
      firewalls: e.firewalls.map((f) => f.firewallName),
      hops: namedHops(index, e.hops).map(fromHop),
      ...(e.asymmetry ? { asymmetry: e.asymmetry } : {}),
    })),
    blocked: reach.blocked.map((b) => ({
      subnetId: b.subnetId,
      reason: b.reason,
      at: b.blockedAt.text,
      flows: describeFlows(b.flows),
    })),
    apis: reach.awsApis,
    notes: reach.notes,
  };
}
