import { z } from 'zod';
import { describeRule, peerCidrs, peerOf, ruleEvidence } from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { AddrSet, isIpv6Cidr, isPublicCidr, isWorldCidr, prefixLength } from '../../net/index.ts';

const Options = z
  .object({
    /** An IPv4 CIDR fails when its prefix is shorter than this (default /24). */
    minPrefixV4: z.number().int().min(1).max(32).default(24),
    /** An IPv6 CIDR fails when its prefix is shorter than this (default /48, a single site). */
    minPrefixV6: z.number().int().min(1).max(128).default(48),
  })
  .strict();

export default defineRule({
  meta: {
    id: 'sg-wide-public-cidr-ingress',
    title: 'Security group admits a wide public address range that is not the whole internet',
    severity: 'MEDIUM',
    category: 'security-groups',
    rationale:
      'A public range wider than a /24 (for example a /12 of a cloud provider or an ISP) is almost never one organization: it admits thousands to millions of hosts that anyone can rent or reach, yet slips past checks that only look for 0.0.0.0/0. It usually began as a typo or an over-generous "partner" range.',
    remediation:
      'Replace the range with the exact CIDRs of the partner or office (a /32 per host or a /24 at most), kept in a customer-managed prefix list, or with a security-group reference for traffic from inside AWS.',
    references: [],
    docs: `Fails for each security group with an **inbound** rule whose source CIDR (direct, or an entry of a customer-managed prefix list) holds public addresses, is wider than the threshold and is **not** world:

- IPv4: prefix shorter than /24 (option \`minPrefixV4\`) and at least one public (non-RFC1918, non-reserved) address, e.g. \`52.0.0.0/12\`, \`172.0.0.0/8\` (it mixes public space with 172.16.0.0/12);
- IPv6: prefix shorter than /48 (option \`minPrefixV6\`; a /48 is the smallest prefix routed on the internet, as a /24 is for IPv4) overlapping global unicast \`2000::/3\`, e.g. \`2600:1f18::/32\`.

World ranges (\`0.0.0.0/0\`, \`0.0.0.0/1\`, \`::/0\`, ...) do not fail here: the sg-world-ingress-* rules report them. Every protocol and port counts.

Does not fail: \`203.0.113.0/24\` or narrower; private or reserved space however wide (\`10.0.0.0/8\`, \`100.64.0.0/10\`, \`fc00::/7\`); world; security-group references; AWS-managed prefix lists (AWS's own ranges); outbound rules.`,
    needs: ['securityGroups', 'prefixLists'],
    options: Options,
  },
  evaluate({ scope, index, options }) {
    const prefixLists = index.prefixLists();
    const memo = new Map<string, boolean>();
    const isWide = (cidr: string) => {
      let wide = memo.get(cidr);
      if (wide === undefined) {
        wide =
          prefixLength(cidr) < (isIpv6Cidr(cidr) ? options.minPrefixV6 : options.minPrefixV4) &&
          isPublicCidr(cidr) &&
          !isWorldCidr(cidr);
        memo.set(cidr, wide);
      }
      return wide;
    };
    return scope.securityGroups.flatMap((sg) => {
      const offending = sg.rules.flatMap((rule) => {
        if (rule.egress) return [];
        const peer = peerOf(rule, prefixLists);
        if (peer?.kind === 'prefixList' && peer.awsManaged) return [];
        const wide = peerCidrs(peer).filter(isWide);
        return wide.length ? [{ rule, peer, wide }] : [];
      });
      if (offending.length === 0) return [];
      const cidrs = [...new Set(offending.flatMap((o) => o.wide))];
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Security group ${sg.groupId} (${sg.groupName}) admits wide public range${cidrs.length > 1 ? 's' : ''} ${cidrs.join(', ')}: ${offending.map((o) => describeRule(o.rule, o.peer, o.wide)).join('; ')}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            cidrs,
            rules: offending.map((o) => ({
              ...ruleEvidence(o.rule, o.peer),
              wideCidrs: o.wide.map((cidr) => {
                const set = AddrSet.fromCidr(cidr);
                return {
                  cidr,
                  prefixLength: prefixLength(cidr),
                  ...(isIpv6Cidr(cidr)
                    ? { family: 'IPv6' }
                    : { family: 'IPv4', publicAddresses: set.publicV4Count() }),
                };
              }),
            })),
          },
        },
      ];
    });
  },
});
