import { z } from 'zod';
import type { SecurityGroupRule } from '../../../inventory/schema.ts';
import { describeRule, type Peer, peerAddrs, peerOf, ruleEvidence } from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';
import { AddrSet, normalizeProtocol, type PortSet, type Protocol, portDimension } from '../../net/index.ts';

/**
 * A rule's space is one box, protocol × port coordinates × addresses (net/flow.ts ruleSpace), so one rule
 * covers another exactly when it does on each coordinate: no flow sets need to be built.
 */
interface Entry {
  index: number;
  rule: SecurityGroupRule;
  peer: Peer;
  /** Rules are comparable only within one class: addresses, or one referenced group / opaque prefix list. */
  comparable: string;
  protocol: Protocol;
  ports: PortSet;
  addrs: AddrSet;
}

/** The comparable form of a rule, or undefined for one that cannot be compared (no peer, empty, malformed). */
function entryOf(index: number, rule: SecurityGroupRule, peer: Peer | undefined): Entry | undefined {
  if (!peer) return undefined;
  try {
    const addrs = peerAddrs(peer);
    const comparable =
      addrs !== undefined
        ? 'addresses'
        : peer.kind === 'securityGroup'
          ? `group:${peer.groupId}`
          : `prefix-list:${peer.kind === 'cidr' ? peer.cidr : peer.prefixListId}`;
    // A group reference or an opaque prefix list stands for one unknown set: compare it only with itself.
    const set = addrs ?? AddrSet.all();
    if (set.isEmpty()) return undefined;
    const protocol = normalizeProtocol(rule.ipProtocol);
    const ports = portDimension(protocol, rule.fromPort, rule.toPort);
    return { index, rule, peer, comparable, protocol, ports, addrs: set };
  } catch {
    return undefined;
  }
}

/** b's space ⊇ a's space (both boxes, neither empty). */
function covers(b: Entry, a: Entry): boolean {
  return (
    (b.protocol === 'all' || b.protocol === a.protocol) &&
    b.ports.contains(a.ports) &&
    b.addrs.contains(a.addrs)
  );
}

/** For each rule of one direction, the rules that cover it (ties between identical rules: the earlier one covers). */
function coverers(entries: readonly Entry[]): Map<Entry, Entry[]> {
  const byClass = new Map<string, Entry[]>();
  for (const e of entries) {
    const list = byClass.get(e.comparable);
    if (list) list.push(e);
    else byClass.set(e.comparable, [e]);
  }
  const out = new Map<Entry, Entry[]>();
  for (const list of byClass.values()) {
    if (list.length < 2) continue;
    for (const a of list) {
      for (const b of list) {
        if (a === b || !covers(b, a)) continue;
        // Identical rules cover each other: only the later one is redundant.
        if (b.index > a.index && covers(a, b)) continue;
        const found = out.get(a);
        if (found) found.push(b);
        else out.set(a, [b]);
      }
    }
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'sg-redundant-rule',
    title: 'Security group rule is fully covered by another rule of the same group',
    severity: 'LOW',
    category: 'security-groups',
    rationale:
      'A rule that another rule of the same group already covers changes nothing, but reviewers read it as a deliberate, narrow grant: removing the broad rule later leaves access nobody meant to keep, and the duplicates eat into the 60-rule quota.',
    remediation:
      'Delete the redundant rule, or, if the narrow rule is the intent, narrow or delete the broad rule that covers it.',
    references: [],
    docs: `Fails for each security group with a rule whose whole space (protocol × ports, or ICMP type/code, × peer addresses) is inside the space of **one other** rule of the same group and direction. Spaces are compared exactly (FlowSet): protocol \`-1\` covers every protocol, TCP 0-65535 covers TCP 443, \`10.0.0.0/8\` covers \`10.1.0.0/16\`, a customer-managed prefix list stands for its entries (so it can cover a CIDR or be covered by one).

Two references to the same security group (or to the same AWS-managed prefix list, whose entries we do not read) are comparable; a group reference is never compared with a CIDR, since we cannot know the members' addresses. When two rules are identical, only the later one is reported. Each redundant rule is named with a rule that covers it and that is not itself redundant.

Does not fail: rules that only overlap (TCP 80-443 and TCP 443-8443); a rule covered only by the union of several others; the same space in the other direction; a CIDR rule and a group-reference rule.`,
    needs: ['securityGroups', 'prefixLists'],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const prefixLists = index.prefixLists();
    return scope.securityGroups.flatMap((sg) => {
      if (sg.rules.length < 2) return [];
      const entries = sg.rules.flatMap((rule, i) => {
        const e = entryOf(i, rule, peerOf(rule, prefixLists));
        return e ? [e] : [];
      });
      const pairs: Array<{ redundant: Entry; by: Entry; identical: boolean }> = [];
      for (const egress of [false, true]) {
        const covered = coverers(entries.filter((e) => e.rule.egress === egress));
        for (const [a, bs] of covered) {
          const by = bs.find((b) => !covered.has(b)) ?? (bs[0] as Entry);
          pairs.push({
            redundant: a,
            by,
            identical: covers(by, a) && covers(a, by),
          });
        }
      }
      if (pairs.length === 0) return [];
      pairs.sort((x, y) => x.redundant.index - y.redundant.index);
      const dir = (e: Entry) => (e.rule.egress ? 'outbound' : 'inbound');
      const parts = pairs.map(
        (p) =>
          `${dir(p.redundant)} ${describeRule(p.redundant.rule, p.redundant.peer, undefined, scope.account)} is ${p.identical ? 'identical to' : 'covered by'} ${describeRule(p.by.rule, p.by.peer, undefined, scope.account)}`,
      );
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Security group ${sg.groupId} (${sg.groupName}) has ${pairs.length === 1 ? 'a redundant rule' : `${pairs.length} redundant rules`}: ${parts.join('; ')}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            redundant: pairs.map((p) => ({
              rule: ruleEvidence(p.redundant.rule, p.redundant.peer),
              coveredBy: ruleEvidence(p.by.rule, p.by.peer),
              identical: p.identical,
            })),
          },
        },
      ];
    });
  },
});
