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

/**
 * The clients whose ephemeral ports return traffic goes to, with the ranges AWS's VPC user guide
 * gives (Network ACLs, "Ephemeral ports"): many Linux kernels use 32768-61000 (the kernel's default
 * ip_local_port_range is 32768-60999), Windows Server 2008 and later 49152-65535, NAT gateways,
 * Elastic Load Balancing and Lambda 1024-65535.
 */
export const CLIENT_RANGES = {
  'nat-elb-lambda': { label: 'NAT gateways, load balancers and Lambda', from: 1024, to: 65535 },
  linux: { label: 'Linux', from: 32768, to: 60999 },
  windows: { label: 'Windows', from: 49152, to: 65535 },
} as const;
type Client = keyof typeof CLIENT_RANGES;
const CLIENTS = Object.keys(CLIENT_RANGES) as Client[];

/**
 * How many ports of a client's range may be denied before its return traffic counts as blocked. AWS
 * advises denying known-malicious ports inside the ephemeral range (deny entries before the wide
 * allow); 16 ports are at most 0.1% of the smallest range (Windows, 16,384 ports), so about one
 * connection in a thousand picks a denied port, which is the price of that advice, not a broken path.
 */
export const DEFAULT_MAX_DENIED_PORTS = 16;

const Options = z
  .object({
    /** The client classes whose ephemeral ranges are judged (default: all). */
    clients: z
      .array(z.enum(CLIENTS as [Client, ...Client[]]))
      .min(1)
      .default([...CLIENTS]),
    /** One ephemeral range to judge instead of the client classes' (e.g. your own clients'). */
    ephemeralPorts: z
      .strictObject({ from: port, to: port })
      .refine((r) => r.from <= r.to, { message: 'from must not exceed to' })
      .optional(),
    /** At most this many denied ports in a client's range are individual denies, not a finding. */
    maxDeniedPorts: z.number().int().min(0).max(65535).default(DEFAULT_MAX_DENIED_PORTS),
  })
  .strict();

interface ClientRange {
  name: string;
  label: string;
  ports: PortSet;
}

function judgedRanges(options: z.infer<typeof Options>): ClientRange[] {
  if (options.ephemeralPorts) {
    const { from, to } = options.ephemeralPorts;
    return [{ name: 'ephemeralPorts', label: 'the configured clients', ports: PortSet.range(from, to) }];
  }
  return options.clients.map((c) => ({
    name: c,
    label: CLIENT_RANGES[c].label,
    ports: PortSet.range(CLIENT_RANGES[c].from, CLIENT_RANGES[c].to),
  }));
}

const OPPOSITE: Record<NaclDirection, NaclDirection> = { ingress: 'egress', egress: 'ingress' };
const WORD: Record<NaclDirection, string> = { ingress: 'inbound', egress: 'outbound' };

/**
 * A TCP/UDP entry for a range from 1024 or above up to 65535 (or up to the top of the Linux range,
 * 60999 / 61000) is itself a return-traffic entry (the ephemeral range of the other side's
 * connections), not a service: it needs no return path of its own.
 */
function isReturnRangeEntry(entry: NetworkAclEntry): boolean {
  const p = normalizeProtocol(entry.protocol);
  return (
    (p === TCP || p === UDP) &&
    entry.portRange !== undefined &&
    entry.portRange.from >= 1024 &&
    [60999, 61000, 65535].includes(entry.portRange.to)
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

- **Inbound service, no way back.** For each inbound allow entry, the part of TCP or UDP it effectively admits (what lower-numbered entries have not already decided) from peers C: the replies go outbound to C on the same protocol, to the clients' ephemeral ports.
- **Outbound to the internet, no way back.** For each outbound allow entry to a world CIDR (e.g. TCP 443 to \`0.0.0.0/0\`, through a NAT gateway or an internet gateway), the replies come inbound from those peers, to the ephemeral ports of the clients in the subnet.

**What fails** is judged from the clients that use the ephemeral range, as the AWS VPC user guide gives them ([Ephemeral ports](https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html)): Linux 32768-60999 (AWS: "many Linux kernels (including the Amazon Linux kernel) use ports 32768-61000"; the kernel's default is 32768-60999), Windows Server 2008 and later 49152-65535, NAT gateways, Elastic Load Balancing and Lambda 1024-65535 (option \`clients\`, default all three; option \`ephemeralPorts\` judges one range of your own instead). A port of a client's range is denied when the return traffic to it is denied for any of the peers. The entry fails when, for some judged client, **more than 16 ports** of its range are denied (option \`maxDeniedPorts\`): its replies are blocked for that client. Up to 16 denied ports are individual denies, which the same page advises ("you can also add rules to the ACL to deny traffic on any malicious ports within that range. Ensure that you place the deny rules earlier in the table than the allow rules"): 16 ports are at most 0.1% of the smallest range (Windows, 16,384 ports), so about one connection in a thousand picks a denied port, the price of that advice rather than a broken path.

One finding per entry whose return traffic is blocked; the message names the entry, the return traffic that is denied in the blocked clients' ranges (protocol, ports, CIDRs), the entries (or the implicit deny) that deny it, and the clients when not all judged clients are blocked.

Judged: entries for TCP or UDP, and entries for all protocols (\`-1\`), judged on TCP only: a blanket entry does not say UDP is in use, and demanding a UDP return range for it would flag most hand-written ACLs. Not judged: an entry for a TCP/UDP range that starts at 1024 or above and ends at 65535, or at 60999 / 61000 (the top of the Linux range) (1024-65535, 32768-65535, 32768-60999, ...): it is itself the return leg of the other direction's connections, not a service. Outbound allows to CIDRs that are not world (traffic inside the VPC, to on-premises or partner ranges) are not judged (rules.md limits the outbound check to world destinations).

Does not fail: the default ACL (all allowed both ways); inbound TCP 443 from \`0.0.0.0/0\` with outbound TCP 1024-65535 to \`0.0.0.0/0\`; outbound TCP 443 to \`0.0.0.0/0\` with inbound TCP 1024-65535 from \`0.0.0.0/0\`; an ACL that denies inbound TCP and UDP 22 and 3389 from \`0.0.0.0/0\` and then allows all (AWS's advice); with \`clients: ["linux"]\`, an ACL whose return allow is 32768-65535; an ACL associated with no subnet; ICMP and other protocols.

Cannot see: which clients really sit behind the ACL (a subnet of Linux instances only can set \`clients\`); traffic within one subnet (NACLs do not filter it). A peer CIDR denied on every port (a blocklisted network) counts as blocked return traffic for that peer.`,
    needs: ['networkAcls'],
    options: Options,
  },
  evaluate({ scope, options }) {
    const ranges = judgedRanges(options);
    const ephemeral = ranges.reduce((acc, r) => acc.union(r.ports), PortSet.empty());
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
            // A port is denied when the return traffic to it is denied for any of the peers.
            const deniedPorts = ephemeral.subtract(back.allowed.portsFor(protocol, peers));
            const blocked = ranges.filter(
              (r) => r.ports.intersect(deniedPorts).size() > options.maxDeniedPorts,
            );
            if (blocked.length === 0) return [];
            const blockedPorts = blocked.reduce((acc, r) => acc.union(r.ports), PortSet.empty());
            const missing = back.denied.intersect(FlowSet.box(protocol, blockedPorts, peers));
            const deniedBy = back.decidedBy
              .filter((x) => x.action === 'deny' && x.space.overlaps(missing))
              .map((x) => x.ruleNumber);
            return [{ protocol, peers, missing, deniedBy, blocked, blockedPorts }];
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
              )}${g.blocked.length < ranges.length ? ` (the ephemeral ports of ${listLabel(g.blocked.map((r) => r.label))})` : ''}`,
          );
          const fixes = gaps.map((g) => {
            const firstDeny = g.deniedBy.find((n): n is number => n !== '*');
            return `an ${WORD[other]} allow of ${protocolName(g.protocol)} ${g.blockedPorts.toString()} ${other === 'egress' ? 'to' : 'from'} ${cidrLabel(g.peers)}${firstDeny !== undefined ? ` numbered below rule ${firstDeny}` : ''}`;
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
              ephemeralRanges: ranges.map((r) => ({ client: r.name, ports: r.ports.toString() })),
              maxDeniedPorts: options.maxDeniedPorts,
              returnGaps: gaps.map((g) => ({
                protocol: protocolName(g.protocol),
                peers: g.peers.toCidrs().slice(0, 20),
                returnDirection: other,
                deniedReturn: spacePieces(g.missing),
                deniedBy: g.deniedBy.map((n) => ({ ruleNumber: n, entry: describeDecider(n, otherByRule) })),
                blockedFor: g.blocked.map((r) => r.name),
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
