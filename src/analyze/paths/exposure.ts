/**
 * The per-resource exposure summary (`audit --format json` -> `exposure`), from the path engine: for
 * each ML resource, what the internet can open to it, what it can reach on the internet (inspected by a
 * firewall or not, and which domains the firewall lets HTTP/TLS reach), and which AWS APIs it reaches
 * privately through VPC endpoints.
 */
import type { Inventory, RegionInventory } from '../../inventory/schema.ts';
import type { MlKind } from '../aws/ml-placements.ts';
import type { FindingResource } from '../engine/finding.ts';
import { ScopeIndex } from '../engine/scope-index.ts';
import { AddrSet, FlowSet, PortSet, TCP } from '../net/index.ts';
import { pathEngine } from './engine.ts';
import { pathNames } from './names.ts';
import { type ApiAccess, apiUsable, type EgressPath, type Hop, type PlacementReach } from './types.ts';
import { describeFlows, type PortsEntry, portsOf } from './words.ts';

export interface OutboundPathExposure {
  subnetId: string | null;
  exit: EgressPath['exit'];
  exitId: string;
  /** Every protocol / port that leaves on this path. */
  ports: PortsEntry[];
  /** A firewall sees the traffic (and does not pass it statelessly without inspection). */
  inspected: boolean;
  firewalls: string[];
  /**
   * HTTP / TLS traffic a domain ALLOWLIST limits to its domains. `otherTrafficOnPort` says what
   * happens to traffic on that port that is not HTTP / TLS (a domain list matches only its protocols,
   * so under action order it passes; a strict-order drop default drops it).
   */
  domainFiltered: {
    appProtocol: 'http' | 'tls';
    protocol: 'tcp';
    ports: string;
    domains: string[];
    otherTrafficOnPort: 'pass' | 'drop';
  }[];
  /** Traffic that leaves with no filter on where it goes: everything but the domain-filtered ports. */
  unfiltered: PortsEntry[];
  /** Set when return traffic does not retrace the forward path through the firewall. */
  asymmetricReturn?: string;
  hops: string[];
  /** The hops as nodes (same order as `hops`): what a path diagram draws. */
  steps: PathStep[];
  /** id -> Name of the resources the hops name, when any has one (paths/names.ts). */
  names?: Record<string, string>;
}

/** One hop of a path as a node: its kind and the id of what it crosses (`sg-a,sg-b` for several groups). */
export interface PathStep {
  kind: Hop['kind'];
  id: string;
}

function stepsOf(hops: readonly Hop[]): PathStep[] {
  return hops.map((h) => ({ kind: h.kind, id: h.id }));
}

export interface InboundPathExposure {
  subnetId: string;
  entry: string;
  ports: PortsEntry[];
  firewalls: string[];
  hops: string[];
  steps: PathStep[];
  /** id -> Name of the resources the hops name, when any has one (paths/names.ts). */
  names?: Record<string, string>;
}

export interface ResourceExposure {
  account: string;
  region: string;
  resource: FindingResource;
  kind: MlKind;
  /** vpc | isolated (no container network) | sagemaker-only (only SageMaker's own network). */
  mode: PlacementReach['mode'];
  inbound: { fromInternet: PortsEntry[]; summary: string; paths: InboundPathExposure[] };
  outbound: {
    /** What reaches the internet, proven: through an internet gateway or SageMaker's own network. */
    toInternet: PortsEntry[];
    /** What reaches the internet, then "leaves the modelled network via tgw-…" for each exit not followed. */
    summary: string;
    /** all | partial | none | n/a (no internet egress), over the internet paths. */
    inspection: 'all' | 'partial' | 'none' | 'n/a';
    /**
     * Exits the path engine does not follow (transit gateway, VPN gateway, appliance ENI or instance,
     * carrier / local gateway, Cloud WAN, an unknown vpce-): where the traffic goes from there, the
     * internet or a blackhole, is not known, so it is never counted as internet.
     */
    leavesModelledNetwork?: { exitId: string; ports: PortsEntry[]; summary: string }[];
    allowedDomains: string[];
    paths: OutboundPathExposure[];
  };
  awsApis: {
    /** Services reached through a VPC endpoint whose policy allows something. */
    private: string[];
    viaInternet: boolean;
    /** Each endpoint path, with what its policy lets through. */
    endpoints: ApiAccess[];
  };
  /** Paths that the configuration seems to intend but that a hop blocks. */
  blocked: { subnetId: string; reason: string; at: string; ports: PortsEntry[]; steps: PathStep[] }[];
  notes: string[];
}

const TCP_80 = FlowSet.box(TCP, PortSet.of(80), AddrSet.all());
const TCP_443 = FlowSet.box(TCP, PortSet.of(443), AddrSet.all());

export function outboundPath(e: EgressPath, index?: ScopeIndex): OutboundPathExposure {
  let unfiltered = e.flows;
  let statelessOnly = FlowSet.empty();
  const domainFiltered: OutboundPathExposure['domainFiltered'] = [];
  for (const fw of e.firewalls) {
    unfiltered = unfiltered.intersect(fw.l4Passes);
    statelessOnly = statelessOnly.union(e.flows.intersect(fw.statelessPass));
    for (const d of fw.domainFilters) {
      const port = d.appProtocol === 'tls' ? TCP_443 : TCP_80;
      const on = e.flows.intersect(port);
      if (on.isEmpty()) continue;
      unfiltered = unfiltered.subtract(port);
      const existing = domainFiltered.find((x) => x.appProtocol === d.appProtocol);
      if (existing) existing.domains = [...new Set([...existing.domains, ...d.domains])];
      else
        domainFiltered.push({
          appProtocol: d.appProtocol,
          protocol: 'tcp',
          ports: String(d.port),
          domains: [...d.domains],
          otherTrafficOnPort: fw.unmatched.other.verdict,
        });
    }
  }
  const inspected = e.firewalls.length > 0 && !e.flows.subtract(statelessOnly).isEmpty();
  return {
    subnetId: e.subnetId || null,
    exit: e.exit,
    exitId: e.exitId,
    ports: portsOf(e.flows),
    inspected,
    firewalls: e.firewalls.map((f) => f.firewallName),
    domainFiltered: domainFiltered.sort((a, b) => a.appProtocol.localeCompare(b.appProtocol)),
    unfiltered: portsOf(unfiltered),
    ...(e.asymmetry ? { asymmetricReturn: e.asymmetry } : {}),
    hops: e.hops.map((h) => h.text),
    steps: stepsOf(e.hops),
    ...(index
      ? pathNames(
          index,
          e.hops.map((h) => h.text),
        )
      : {}),
  };
}

/** The exposure of every ML resource of one scope. */
export function scopeExposure(
  scope: RegionInventory,
  index: ScopeIndex = ScopeIndex.of(scope),
): ResourceExposure[] {
  const engine = pathEngine(index);
  const out: ResourceExposure[] = [];
  for (const p of index.mlPlacements()) {
    const r = engine.reach(p);
    const inFlows = FlowSet.unionAll(r.ingress.map((i) => i.flows));
    const internet = r.egress.filter((e) => e.exit === 'internet' || e.exit === 'sagemaker');
    const outFlows = FlowSet.unionAll(internet.map((e) => e.flows));
    const paths = r.egress.map((e) => outboundPath(e, index));
    const internetPaths = paths.filter((x) => x.exit === 'internet' || x.exit === 'sagemaker');
    const inspectedCount = internetPaths.filter((x) => x.inspected).length;
    const inspection =
      internetPaths.length === 0
        ? 'n/a'
        : inspectedCount === internetPaths.length
          ? 'all'
          : inspectedCount
            ? 'partial'
            : 'none';
    const unfollowed = new Map<string, FlowSet>();
    for (const e of r.egress) {
      if (e.exit === 'internet' || e.exit === 'sagemaker') continue;
      unfollowed.set(e.exitId, (unfollowed.get(e.exitId) ?? FlowSet.empty()).union(e.flows));
    }
    const leaves = [...unfollowed].map(([exitId, flows]) => ({ exitId, flows }));
    const summary = [
      ...(outFlows.isEmpty() && leaves.length > 0
        ? []
        : [outFlows.isEmpty() ? 'none' : describeFlows(outFlows)]),
      ...leaves.map((l) => `leaves the modelled network via ${l.exitId}: ${describeFlows(l.flows)}`),
    ].join('; ');
    const domains = [...new Set(paths.flatMap((x) => x.domainFiltered.flatMap((d) => d.domains)))].sort();
    out.push({
      account: scope.account,
      region: scope.region,
      resource: p.resource,
      kind: p.kind,
      mode: r.mode,
      inbound: {
        fromInternet: portsOf(inFlows),
        summary: inFlows.isEmpty() ? 'none' : describeFlows(inFlows),
        paths: r.ingress.map((i) => ({
          subnetId: i.subnetId,
          entry: i.entry,
          ports: portsOf(i.flows),
          firewalls: i.firewalls,
          hops: i.hops.map((h) => h.text),
          steps: stepsOf(i.hops),
          ...pathNames(
            index,
            i.hops.map((h) => h.text),
          ),
        })),
      },
      outbound: {
        toInternet: portsOf(outFlows),
        summary,
        inspection,
        ...(leaves.length
          ? {
              leavesModelledNetwork: leaves.map((l) => ({
                exitId: l.exitId,
                ports: portsOf(l.flows),
                summary: describeFlows(l.flows),
              })),
            }
          : {}),
        allowedDomains: domains,
        paths,
      },
      awsApis: {
        private: [...new Set(r.awsApis.filter(apiUsable).map((a) => a.service))],
        viaInternet: !outFlows.intersect(TCP_443).isEmpty(),
        endpoints: r.awsApis.map((a) => ({ ...a })),
      },
      blocked: r.blocked.map((b) => ({
        subnetId: b.subnetId,
        reason: b.reason,
        at: b.blockedAt.text,
        ports: portsOf(b.flows),
        steps: stepsOf(b.hops),
      })),
      notes: r.notes,
    });
  }
  return out;
}

/** The exposure of every ML resource of an inventory. */
export function inventoryExposure(inventory: Inventory): ResourceExposure[] {
  return inventory.regions.flatMap((s) => scopeExposure(s));
}

const LEAVES = '; leaves the modelled network via ';

/** One line: "notebook nb-1 · in: tcp 8888 · out: all traffic (uninspected) · private APIs: s3 [full], sts [bounded]". */
export function exposureLine(e: ResourceExposure): string {
  const inbound = e.inbound.summary === 'none' ? 'in: none' : `in: ${e.inbound.summary}`;
  const inspection =
    e.outbound.inspection === 'all'
      ? 'inspected'
      : e.outbound.inspection === 'partial'
        ? 'partly inspected'
        : e.outbound.inspection === 'none'
          ? 'uninspected'
          : '';
  const domains = e.outbound.allowedDomains.length ? `, domains ${e.outbound.allowedDomains.join(' ')}` : '';
  const detail = `${inspection}${domains}`.replace(/^, /, '');
  const leaves = (e.outbound.leavesModelledNetwork ?? []).map(
    (l) => `leaves the modelled network via ${l.exitId}: ${l.summary}`,
  );
  const internet =
    e.outbound.toInternet.length === 0
      ? leaves.length
        ? []
        : ['none']
      : [`${e.outbound.summary.split(LEAVES)[0]}${detail ? ` (${detail})` : ''}`];
  const outbound = `out: ${[...internet, ...leaves].join('; ')}`;
  const policies = new Map<string, Set<string>>();
  for (const a of e.awsApis.endpoints ?? []) {
    if (!apiUsable(a)) continue;
    const set = policies.get(a.service) ?? new Set();
    set.add(a.policy);
    policies.set(a.service, set);
  }
  const apiText = e.awsApis.private.map((s) => {
    const p = policies.get(s);
    return p?.size ? `${s} [${[...p].join('/')}]` : s;
  });
  const apis = `private APIs: ${apiText.join(', ') || 'none'}`;
  return `${e.kind} ${e.resource.name ?? e.resource.id}${e.mode === 'isolated' ? ' (network isolation)' : ''} · ${inbound} · ${outbound} · ${apis}`;
}
