import { z } from 'zod';
import type { NetworkAclEntry } from '../../../inventory/schema.ts';
import {
  aclPlace,
  cidrLabel,
  describeDecider,
  describeNaclEntry,
  describeSpace,
  entriesByRule,
  spacePieces,
} from '../../aws/nacls.ts';
import { networkAclResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';
import { listLabel } from '../../engine/words.ts';
import {
  FlowSet,
  isWorldCidr,
  type NaclDirection,
  naclSpace,
  normalizeProtocol,
  PortSet,
  protocolName,
  TCP,
  UDP,
} from '../../net/index.ts';

const port = z.number().int().min(0).max(65535);

const Options = z
  .object({
    /** The clients' ephemeral port range that return traffic goes to (AWS advises 1024-65535). */
    ephemeralPorts: z
      .strictObject({ from: port, to: port })
      .refine((r) => r.from <= r.to, { message: 'from must not exceed to' })
      .default({ from: 1024, to: 65535 }),
  })
  .strict();

const OPPOSITE: Record<NaclDirection, NaclDirection> = { ingress: 'egress', egress: 'ingress' };
const WORD: Record<NaclDirection, string> = { ingress: 'inbound', egress: 'outbound' };

/**
 * A TCP/UDP entry for a range from 1024 or above up to 65535 is itself a return-traffic entry (the
 * ephemeral range of the other side's connections), not a service: it needs no return path of its own.
 */
function isReturnRangeEntry(entry: NetworkAclEntry): boolean {
  const p = normalizeProtocol(entry.protocol);
  return (
    (p === TCP || p === UDP) &&
    entry.portRange !== undefined &&
    entry.portRange.from >= 1024 &&
    entry.portRange.to === 65535
  );
}

/** The protocols whose return path an allow entry is judged on: its own if TCP or UDP, TCP for "all". */
function judgedProtocols(entry: NetworkAclEntry): number[] {
  const p = normalizeProtocol(entry.protocol);
  if (p === 'all') return [TCP];
  return p === TCP || p === UDP ? [p] : [];
}

function isWorldEntry(entry: NetworkAclEntry): boolean {
  const cidr = entry.cidrBlock ?? entry.ipv6CidrBlock;
  return cidr !== undefined && isWorldCidr(cidr);
}

export default defineRule({
  meta: {
    id: 'nacl-missing-return-path',
    title: 'Network ACL allows traffic one way but denies its return traffic',
    severity: 'MEDIUM',
    category: 'network-acls',
    rationale:
      'Network ACLs are stateless: the reply to an allowed connection is a separate packet, judged by the other direction’s entries, addressed to the client’s ephemeral port. When the other direction denies it, the connection hangs although every security group allows it: a SageMaker notebook cannot reach pip or the SageMaker API through the NAT gateway, an endpoint cannot answer its callers. It is the classic symptom of “allowed by the security group, blocked by the NACL”.',
    remediation:
      'Add an entry in the other direction that allows the protocol on the ephemeral range (1024-65535, as AWS advises) to or from the peers of the allowed traffic, numbered below any deny that would catch it.',
    references: [],
    docs: `Evaluated for ACLs associated with at least one subnet, with AWS's first-match semantics in both directions (implicit deny at the end). Two checks, each over the whole address set and the whole ephemeral range at once (not packet by packet):

- **Inbound service, no way back.** For each inbound allow entry, the part of TCP or UDP it effectively admits (what lower-numbered entries have not already decided) from peers C: the replies, outbound to C on the same protocol and the ephemeral range (option \`ephemeralPorts\`, default 1024-65535 as AWS advises), must all be allowed by the outbound entries.
- **Outbound to the internet, no way back.** For each outbound allow entry to a world CIDR (e.g. TCP 443 to \`0.0.0.0/0\`, through a NAT gateway or an internet gateway), the replies, inbound from those peers on the ephemeral range, must all be allowed by the inbound entries.

One finding per entry whose return traffic is not fully allowed; the message names the entry, the return traffic that is denied (protocol, ports, CIDRs) and the entries (or the implicit deny) that deny it.

Judged: entries for TCP or UDP, and entries for all protocols (\`-1\`), judged on TCP only: a blanket entry does not say UDP is in use, and demanding a UDP return range for it would flag most hand-written ACLs. Not judged: an entry for a TCP/UDP range that starts at 1024 or above and ends at 65535 (1024-65535, 32768-65535, ...): it is itself the return leg of the other direction's connections, not a service. Outbound allows to CIDRs that are not world (traffic inside the VPC, to on-premises or partner ranges) are not judged (rules.md limits the outbound check to world destinations).

Does not fail: the default ACL (all allowed both ways); inbound TCP 443 from \`0.0.0.0/0\` with outbound TCP 1024-65535 to \`0.0.0.0/0\`; outbound TCP 443 to \`0.0.0.0/0\` with inbound TCP 1024-65535 from \`0.0.0.0/0\`; an ACL associated with no subnet; ICMP and other protocols.

Cannot see: which ephemeral range the clients really use (Linux uses 32768-60999, Windows 49152-65535, NAT gateways 1024-65535): option \`ephemeralPorts\` narrows the range demanded; traffic within one subnet (NACLs do not filter it).`,
    needs: ['networkAcls'],
    options: Options,
  },
  evaluate({ scope, options }) {
    const ephemeral = PortSet.range(options.ephemeralPorts.from, options.ephemeralPorts.to);
    const drafts: Draft[] = [];
    for (const acl of scope.networkAcls) {
      if (acl.associatedSubnetIds.length === 0) continue;
      for (const direction of ['ingress', 'egress'] as const) {
        const other = OPPOSITE[direction];
        const evaluation = naclSpace(acl.entries, direction);
        const byRule = entriesByRule(acl.entries, direction);
        const otherByRule = entriesByRule(acl.entries, other);
        for (const d of evaluation.decidedBy) {
          if (d.action !== 'allow' || d.ruleNumber === '*') continue;
          const entry = byRule.get(d.ruleNumber);
          if (!entry || isReturnRangeEntry(entry)) continue;
          if (direction === 'egress' && !isWorldEntry(entry)) continue;
          const gaps = judgedProtocols(entry).flatMap((protocol) => {
            const peers = d.space.addrsForAnyPort(protocol);
            if (peers.isEmpty()) return [];
            const back = naclSpace(acl.entries, other, FlowSet.box(protocol, ephemeral, peers));
            if (back.denied.isEmpty()) return [];
            const deniedBy = back.decidedBy.filter((x) => x.action === 'deny').map((x) => x.ruleNumber);
            return [{ protocol, peers, missing: back.denied, deniedBy }];
          });
          if (gaps.length === 0) continue;
          const subnets = listLabel(acl.associatedSubnetIds);
          const consequence =
            direction === 'ingress'
              ? `replies to the connections it admits never leave ${subnets}`
              : `replies to the connections it allows never come back into ${subnets}`;
          const parts = gaps.map(
            (g) =>
              `${WORD[other]} ${describeSpace(g.missing, other)} is denied by ${listLabel(
                g.deniedBy.map((n) => describeDecider(n, otherByRule)),
                3,
              )}`,
          );
          const fixes = gaps.map((g) => {
            const firstDeny = g.deniedBy.find((n): n is number => n !== '*');
            return `an ${WORD[other]} allow of ${protocolName(g.protocol)} ${ephemeral.toString()} ${other === 'egress' ? 'to' : 'from'} ${cidrLabel(g.peers)}${firstDeny !== undefined ? ` numbered below rule ${firstDeny}` : ''}`;
          });
          drafts.push({
            resource: networkAclResource(scope, acl),
            key: `${direction}:${entry.ruleNumber}`,
            message: `Network ACL ${acl.networkAclId} (${aclPlace(acl)}) ${describeNaclEntry(entry)} has no return path: ${parts.join('; ')}, so ${consequence}.`,
            evidence: {
              vpcId: acl.vpcId,
              isDefault: acl.isDefault,
              associatedSubnetIds: acl.associatedSubnetIds,
              direction,
              entry,
              ephemeralPorts: options.ephemeralPorts,
              returnGaps: gaps.map((g) => ({
                protocol: protocolName(g.protocol),
                peers: g.peers.toCidrs().slice(0, 20),
                returnDirection: other,
                deniedReturn: spacePieces(g.missing),
                deniedBy: g.deniedBy.map((n) => ({ ruleNumber: n, entry: describeDecider(n, otherByRule) })),
              })),
            },
            remediation: `Add ${fixes.join(', and ')} to ${acl.networkAclId}.`,
          });
        }
      }
    }
    return drafts;
  },
});
