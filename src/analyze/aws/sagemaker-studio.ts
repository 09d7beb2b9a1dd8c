/**
 * What a SageMaker Studio domain in VpcOnly mode needs from the security groups on its apps' ENIs
 * (AWS, "Connect Studio notebooks in a VPC to external resources"): inbound and outbound rules that
 * allow NFS over TCP 2049 between the apps and the domain's EFS volume, and TCP traffic within the
 * security group, at least ports 8192-65535 (JupyterServer to KernelGateway apps).
 *
 * Pure: security-group rules and subnets in, the unmet requirements (exact missing ports) out.
 */
import type { SageMakerDomain, SecurityGroup, SecurityGroupRule, Subnet } from '../../inventory/schema.ts';
import { AddrSet, FlowSet, PortSet, TCP } from '../net/index.ts';
import { type Peer, peerOf, ruleEvidence, spaceOf } from './security-groups.ts';

export type StudioDirection = 'inbound' | 'outbound';

export interface StudioRequirement {
  id: 'nfs-inbound' | 'nfs-outbound' | 'apps-inbound' | 'apps-outbound';
  direction: StudioDirection;
  ports: PortSet;
  /** NFS rules may name the domain's EFS side (SageMaker's inbound-NFS group) as the peer. */
  nfs: boolean;
}

export const NFS_PORTS = PortSet.of(2049);
export const STUDIO_APP_PORTS = PortSet.range(8192, 65535);

export const STUDIO_REQUIREMENTS: readonly StudioRequirement[] = [
  { id: 'nfs-inbound', direction: 'inbound', ports: NFS_PORTS, nfs: true },
  { id: 'nfs-outbound', direction: 'outbound', ports: NFS_PORTS, nfs: true },
  { id: 'apps-inbound', direction: 'inbound', ports: STUDIO_APP_PORTS, nfs: false },
  { id: 'apps-outbound', direction: 'outbound', ports: STUDIO_APP_PORTS, nfs: false },
];

/** The groups SageMaker creates for a domain's home EFS volume (named by domain id). */
export function managedNfsGroupNames(domainId: string): { outbound: string; inbound: string } {
  return {
    outbound: `security-group-for-outbound-nfs-${domainId}`,
    inbound: `security-group-for-inbound-nfs-${domainId}`,
  };
}

export interface StudioGroupSetInput {
  domain: SageMakerDomain;
  /** The configured groups (DefaultUserSettings, DefaultSpaceSettings or a profile's UserSettings). */
  groupIds: readonly string[];
  securityGroups: ReadonlyMap<string, SecurityGroup>;
  prefixLists: Parameters<typeof peerOf>[1];
  subnets: ReadonlyMap<string, Subnet>;
  /** SageMaker's outbound-NFS group of the domain: on every app ENI alongside the configured groups. */
  managedOutbound?: SecurityGroup | undefined;
  /** SageMaker's inbound-NFS group of the domain: on the EFS mount targets. */
  managedInbound?: SecurityGroup | undefined;
}

export interface RequirementResult {
  requirement: StudioRequirement;
  missing: PortSet;
  /** The rules that allow part of the required ports to a qualifying peer. */
  rules: (ReturnType<typeof ruleEvidence> & { groupId: string })[];
}

export interface StudioGroupSetCheck {
  /** Configured groups that are not in the inventory (they do not exist in this region). */
  missingGroupIds: string[];
  /** SageMaker-managed groups whose rules were counted. */
  managedGroupIds: string[];
  /** The addresses the apps' ENIs can have: the domain subnets' CIDRs. */
  appAddresses: string[];
  unknownSubnetIds: string[];
  results: RequirementResult[];
  unmet: RequirementResult[];
}

/** The IPv4 CIDRs of the domain's subnets (IPv6 for an IPv6-only subnet); all IPv4 when a subnet is unknown. */
function appAddresses(
  domain: SageMakerDomain,
  subnets: ReadonlyMap<string, Subnet>,
): { addrs: AddrSet; unknown: string[] } {
  const cidrs: string[] = [];
  const unknown: string[] = [];
  for (const id of domain.subnetIds) {
    const s = subnets.get(id);
    if (!s) unknown.push(id);
    else if (s.cidrBlock) cidrs.push(s.cidrBlock);
    else cidrs.push(...s.ipv6CidrBlocks);
  }
  // Without every subnet's CIDR (or any subnet at all) only a rule open to all IPv4 provably covers the apps.
  if (unknown.length > 0 || cidrs.length === 0) return { addrs: AddrSet.allV4(), unknown };
  return { addrs: AddrSet.fromCidrs(cidrs), unknown };
}

function peerAddrs(peer: Peer | undefined): AddrSet | undefined {
  if (peer?.kind === 'cidr') return AddrSet.fromCidr(peer.cidr);
  if (peer?.kind === 'prefixList' && !peer.awsManaged) return AddrSet.fromCidrs(peer.cidrs);
  return undefined;
}

/**
 * Check one set of groups (the groups every app ENI of that set carries) against the four
 * requirements. A rule counts when its peer is one of the app groups (configured or SageMaker's
 * outbound-NFS group), for NFS also SageMaker's inbound-NFS group, or a CIDR / customer-managed
 * prefix list that, together with the direction's other such rules, covers every address of the
 * domain's subnets (0.0.0.0/0 does). A rule with protocol -1 counts for every port.
 */
export function checkStudioGroupSet(input: StudioGroupSetInput): StudioGroupSetCheck {
  const configured = [...new Set(input.groupIds)];
  const found = configured.flatMap((id) => {
    const g = input.securityGroups.get(id);
    return g ? [g] : [];
  });
  const missingGroupIds = configured.filter((id) => !input.securityGroups.has(id));
  const onEni = input.managedOutbound ? [...found, input.managedOutbound] : found;
  const members = new Set([...configured, ...(input.managedOutbound ? [input.managedOutbound.groupId] : [])]);
  const efsSide = input.managedInbound?.groupId;
  const { addrs: apps, unknown } = appAddresses(input.domain, input.subnets);

  const results = STUDIO_REQUIREMENTS.map((requirement): RequirementResult => {
    const egress = requirement.direction === 'outbound';
    let byGroup = PortSet.empty();
    let byAddress = FlowSet.empty();
    const contributing: { rule: SecurityGroupRule; peer: Peer | undefined; groupId: string }[] = [];
    for (const group of onEni) {
      for (const rule of group.rules) {
        if (rule.egress !== egress) continue;
        const space = spaceOf(rule);
        if ((space.protocol !== 'all' && space.protocol !== TCP) || !space.ports) continue;
        const ports = space.ports.intersect(requirement.ports);
        if (ports.isEmpty()) continue;
        const peer = peerOf(rule, input.prefixLists);
        if (peer?.kind === 'securityGroup') {
          const qualifies = members.has(peer.groupId) || (requirement.nfs && peer.groupId === efsSide);
          if (!qualifies) continue;
          byGroup = byGroup.union(ports);
          contributing.push({ rule, peer, groupId: group.groupId });
          continue;
        }
        const addrs = peerAddrs(peer);
        if (!addrs?.overlaps(apps)) continue;
        byAddress = byAddress.union(FlowSet.box(TCP, ports, addrs));
        contributing.push({ rule, peer, groupId: group.groupId });
      }
    }
    const covered = byGroup.union(byAddress.portsFor(TCP, apps));
    return {
      requirement,
      missing: requirement.ports.subtract(covered),
      rules: contributing.map((c) => ({ groupId: c.groupId, ...ruleEvidence(c.rule, c.peer) })),
    };
  });

  return {
    missingGroupIds,
    managedGroupIds: [input.managedOutbound?.groupId, input.managedInbound?.groupId].filter(
      (id): id is string => id !== undefined,
    ),
    appAddresses: apps.toCidrs(),
    unknownSubnetIds: unknown,
    results,
    unmet: results.filter((r) => !r.missing.isEmpty()),
  };
}

/** "inbound TCP 2049 (NFS)", "outbound TCP 8192-9999, 10001-65535". */
export function describeMissing(r: RequirementResult): string {
  const ports = r.missing.toString();
  return `${r.requirement.direction} TCP ${ports}${r.requirement.nfs ? ' (NFS)' : ''}`;
}
