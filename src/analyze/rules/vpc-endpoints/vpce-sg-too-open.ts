import { z } from 'zod';
import type { SecurityGroupRule } from '../../../inventory/schema.ts';
import {
  describeSpace,
  type Peer,
  peerOf,
  ruleEvidence,
  spaceOf,
  worldCidrsOf,
} from '../../aws/security-groups.ts';
import { endpointService, isEndpointType, isLiveEndpoint } from '../../aws/vpc-endpoints.ts';
import { vpcEndpointResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { listText } from '../../engine/words.ts';
import { AddrSet, tryParseCidr } from '../../net/index.ts';

interface Offence {
  groupId: string;
  rule: SecurityGroupRule;
  peer: Peer | undefined;
  reason: 'world' | 'all-protocols-from-vpc';
  text: string;
}

/** The CIDRs a peer stands for (a CIDR, or a customer-managed prefix list's entries). */
function peerCidrList(peer: Peer | undefined): string[] {
  if (!peer) return [];
  if (peer.kind === 'cidr') return [peer.cidr];
  if (peer.kind === 'prefixList') return peer.cidrs;
  return [];
}

function peerText(peer: Peer | undefined, cidrs: readonly string[]): string {
  if (peer?.kind === 'prefixList') return `prefix list ${peer.prefixListId} (${cidrs.join(', ')})`;
  return cidrs.join(', ');
}

export default defineRule({
  meta: {
    id: 'vpce-sg-too-open',
    title: "Interface endpoint's security group admits the internet or all traffic from the whole VPC",
    severity: 'MEDIUM',
    category: 'vpc-endpoints',
    rationale:
      'An interface endpoint only needs HTTPS (TCP 443) from the workloads that call the service. A group that admits the internet, or every protocol from the whole VPC, lets any compromised host in the VPC (or beyond, through peering, VPN or a public address) use the endpoint and probe its network interfaces, and hides the intended callers behind a blanket rule.',
    remediation:
      "Replace the endpoint's inbound rules with TCP 443 from the security groups of the ML resources that use it (or from their subnets' CIDRs).",
    references: [],
    docs: `Fails for each live **interface** endpoint (state available, pending, pendingAcceptance, or absent) with a security group whose **inbound** rules either:
- admit **world** (docs/rules.md: 0.0.0.0/0, ::/0, 0.0.0.0/1 + 128.0.0.0/1, a /16 of global IPv6, also through a customer-managed prefix list's entries) on **any** protocol or port, even 443; or
- admit **all protocols** (\`-1\`) from CIDRs (direct or prefix-list entries, combined across the group's rules) that **contain a whole CIDR block of the endpoint's VPC** (IPv4 or IPv6), e.g. all traffic from the VPC's 10.0.0.0/16, or from 10.0.0.0/8.

One finding per endpoint, naming each offending group and rule.

Does not fail: TCP 443 from the VPC CIDR or from 10.0.0.0/8; TCP 443 from a security group; all traffic from a security-group reference (including the group itself); all traffic from one subnet's CIDR (narrower than the VPC); egress rules.

Cannot see: a group that is not in the inventory (listed in the evidence as unknown), AWS-managed prefix lists (never world), and the VPC's CIDRs when the VPC is not in the inventory (then only the world check applies). TCP 0-65535 from the VPC CIDR is not "all protocols" and does not fail here.`,
    needs: ['vpcEndpoints', 'securityGroups', 'prefixLists', 'vpcs'],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const groups = index.securityGroups();
    const prefixLists = index.prefixLists();
    const vpcs = index.vpcs();
    return scope.vpcEndpoints.flatMap((e) => {
      if (!isEndpointType(e, 'Interface') || !isLiveEndpoint(e)) return [];
      const vpc = vpcs.get(e.vpcId);
      const vpcBlocks = (vpc ? [...vpc.cidrBlocks, ...vpc.ipv6CidrBlocks] : []).filter(
        (c) => tryParseCidr(c) !== undefined,
      );
      const offences: Offence[] = [];
      const unknownGroups: string[] = [];
      for (const groupId of e.groupIds) {
        const sg = groups.get(groupId);
        if (!sg) {
          unknownGroups.push(groupId);
          continue;
        }
        const allProtocol: { rule: SecurityGroupRule; peer: Peer | undefined; cidrs: string[] }[] = [];
        for (const rule of sg.rules) {
          if (rule.egress) continue;
          const peer = peerOf(rule, prefixLists);
          const space = spaceOf(rule);
          const world = worldCidrsOf(peer);
          if (world.length > 0) {
            offences.push({
              groupId,
              rule,
              peer,
              reason: 'world',
              text: `${describeSpace(space)} from ${peerText(peer, world)} in ${groupId}${rule.ruleId ? ` [${rule.ruleId}]` : ''}`,
            });
            continue;
          }
          if (space.protocol === 'all') {
            const cidrs = peerCidrList(peer).filter((c) => tryParseCidr(c) !== undefined);
            if (cidrs.length) allProtocol.push({ rule, peer, cidrs });
          }
        }
        if (allProtocol.length === 0 || vpcBlocks.length === 0) continue;
        const admitted = AddrSet.fromCidrs(allProtocol.flatMap((a) => a.cidrs));
        const covered = vpcBlocks.filter((b) => admitted.contains(AddrSet.fromCidr(b)));
        if (covered.length === 0) continue;
        const blocks = AddrSet.fromCidrs(covered);
        for (const a of allProtocol) {
          if (!AddrSet.fromCidrs(a.cidrs).overlaps(blocks)) continue;
          offences.push({
            groupId,
            rule: a.rule,
            peer: a.peer,
            reason: 'all-protocols-from-vpc',
            text: `all traffic from ${peerText(a.peer, a.cidrs)} (covers VPC CIDR ${covered.join(', ')}) in ${groupId}${a.rule.ruleId ? ` [${a.rule.ruleId}]` : ''}`,
          });
        }
      }
      if (offences.length === 0) return [];
      const service = endpointService(e.serviceName, scope.region);
      const groupIds = [...new Set(offences.map((o) => o.groupId))];
      return [
        {
          resource: vpcEndpointResource(scope, e),
          message: `Interface endpoint ${e.vpcEndpointId} (${service}) in ${e.vpcId} has security group${groupIds.length > 1 ? 's' : ''} ${listText(groupIds, groupIds.length)} admitting ${listText(
            offences.map((o) => o.text),
            offences.length,
          )}, rather than TCP 443 from the resources that use it.`,
          evidence: {
            vpcId: e.vpcId,
            serviceName: e.serviceName,
            vpcCidrBlocks: vpcBlocks,
            groups: groupIds.map((g) => ({
              groupId: g,
              rules: offences
                .filter((o) => o.groupId === g)
                .map((o) => ({ ...ruleEvidence(o.rule, o.peer), reason: o.reason })),
            })),
            unknownGroups,
          },
          remediation: `In ${listText(groupIds, groupIds.length)}, remove ${offences.length > 1 ? 'these inbound rules' : 'this inbound rule'} and admit only TCP 443 from the security groups of the workloads that call ${service} through ${e.vpcEndpointId}.`,
        },
      ];
    });
  },
});
