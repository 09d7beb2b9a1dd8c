import { z } from 'zod';
import { aclPlace, describeNaclEntry, entriesByRule, guardsLabel } from '../../aws/nacls.ts';
import { networkAclResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';
import { listLabel } from '../../engine/words.ts';
import { type NaclDirection, shadowedEntries } from '../../net/index.ts';

const DIRECTIONS: readonly NaclDirection[] = ['ingress', 'egress'];

export default defineRule({
  meta: {
    id: 'nacl-shadowed-rule',
    title: 'Network ACL entry can never match: lower-numbered entries decide all its traffic',
    severity: 'MEDIUM',
    category: 'network-acls',
    rationale:
      'Network ACL entries are evaluated in rule-number order and the first match wins. An entry whose traffic is entirely decided by lower-numbered entries never takes effect. A shadowed deny is the dangerous case: it looks like a block (of SSH, of a known-bad range) in every review, yet blocks nothing. A shadowed allow is dead configuration that misleads the next change.',
    remediation:
      'Renumber the entry below the entries it should override (a lower rule number), or delete it if it is not needed.',
    references: [],
    docs: `For each ACL and each direction, walks the entries in ascending rule number (the \`*\` / 32767 entry is ignored; the implicit deny is not an entry) and computes, over every protocol, port, ICMP type/code and address, what each entry still decides. An entry that decides nothing, because the lower-numbered entries already decide every packet it covers, is shadowed. One finding per shadowed entry (inbound and outbound entries are separate findings), naming the entries that cover it.

Severity: **MEDIUM** when the shadowed entry is a deny (it blocks nothing), **LOW** when it is an allow (it admits nothing, or repeats what is already allowed). The evidence says which of the covering entries have the opposite action.

Does not fail: an entry that still decides part of its traffic (partly covered: say a deny of TCP 0-1024 after an allow of TCP 22); an entry with no CIDR (it matches nothing and is not reported). Evaluated for every ACL, associated or not.`,
    needs: ['networkAcls'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const drafts: Draft[] = [];
    for (const acl of scope.networkAcls) {
      for (const direction of DIRECTIONS) {
        const shadowed = shadowedEntries(acl.entries, direction);
        if (shadowed.length === 0) continue;
        const byRule = entriesByRule(acl.entries, direction);
        for (const s of shadowed) {
          const deny = s.action === 'deny';
          const allOpposed = s.opposedBy.length === s.coveredBy.length;
          const noOpposed = s.opposedBy.length === 0;
          const effect = deny
            ? noOpposed
              ? 'the traffic it would deny is already denied, so it has no effect'
              : 'so the deny blocks nothing it was written for'
            : allOpposed
              ? 'so the allow admits nothing'
              : noOpposed
                ? 'the traffic it would allow is already allowed, so it is redundant'
                : 'so the allow has no effect';
          const covering = s.coveredBy.map((n) => describeNaclEntry(byRule.get(n)));
          drafts.push({
            resource: networkAclResource(scope, acl),
            key: `${direction}:${s.ruleNumber}`,
            severity: deny ? 'MEDIUM' : 'LOW',
            message: `Network ACL ${acl.networkAclId} (${aclPlace(acl)}) ${describeNaclEntry(s.entry)} never matches: lower-numbered ${listLabel(covering, 3)} already decide${covering.length === 1 ? 's' : ''} all of its traffic, ${effect}; ${guardsLabel(acl)}.`,
            evidence: {
              vpcId: acl.vpcId,
              isDefault: acl.isDefault,
              associatedSubnetIds: acl.associatedSubnetIds,
              direction,
              shadowedEntry: s.entry,
              coveredBy: s.coveredBy.map((n) => ({
                ruleNumber: n,
                entry: describeNaclEntry(byRule.get(n)),
                opposite: s.opposedBy.includes(n),
              })),
              severityReason: deny
                ? 'MEDIUM: a shadowed deny looks like a block in every review but blocks nothing.'
                : 'LOW: a shadowed allow changes nothing today; it is dead configuration.',
            },
            remediation: deny
              ? `Give ${describeNaclEntry(s.entry)} a rule number below ${s.coveredBy[0]} (the first entry that decides its traffic), or delete it if the block is no longer wanted.`
              : `Delete ${describeNaclEntry(s.entry)}, or renumber it below ${s.coveredBy[0]} if it was meant to take effect first.`,
          });
        }
      }
    }
    return drafts;
  },
});
