import { z } from 'zod';
import { mlEvidence, mlLabel } from '../../aws/ml-placements.ts';
import { EGRESS_PROBES, flowSetHas } from '../../aws/network-firewall/egress-model.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';
import { listLabel } from '../../engine/words.ts';
import { FlowSet } from '../../net/index.ts';
import { pathEngine } from '../../paths/engine.ts';
import { outboundPath } from '../../paths/exposure.ts';
import { namedPath } from '../../paths/names.ts';
import { REACH_NEEDS } from '../../paths/needs.ts';
import { portsOf, portsText } from '../../paths/words.ts';

export default defineRule({
  meta: {
    id: 'reach-ml-egress-unfiltered-protocol',
    title: 'ML egress crosses a firewall, but some protocols pass it unfiltered or uninspected',
    severity: 'HIGH',
    category: 'reachability',
    rationale:
      'A domain ALLOWLIST only judges the protocols it targets (HTTP Host, TLS SNI). On a real path from an ML resource, SSH, DNS to outside resolvers, QUIC or plain TCP fall through to the default behaviour, which passes them in action order: the firewall is there, but exfiltration goes around its filter.',
    remediation:
      'Use STRICT_ORDER with the default action aws:drop_established (or aws:drop_strict) so that only what the allowlist or explicit pass rules admit leaves; or add explicit drop rules for the other protocols; and narrow the security groups’ egress.',
    references: [],
    docs: `Runs the path engine outwards from each ML placement and fails for every internet path that crosses a Network Firewall endpoint but on which some traffic passes with no rule able to stop it (network-firewall/egress-model.ts egressAnalysis: stateless rules and defaults, then layer-4 stateful rules and the stateful default, in the policy's rule order), other than HTTP and TLS under a domain ALLOWLIST (which only pass to listed domains). The traffic is what the security groups, NACLs (both ways) and routes let reach the firewall. The message names the unfiltered protocols and ports and examples (SSH tcp/22, DNS udp/53, QUIC udp/443, non-TLS TCP on 443).

**Passed by the stateless engine.** Traffic a stateless rule with aws:pass, or the policy's stateless default aws:pass, lets through skips the stateful engine, the domain allowlist included (AWS Network Firewall, "Stateless default actions": aws:pass passes the packet without stateful inspection). A path whose traffic is all passed that way fails here, "crosses firewall F to igw-… uninspected", naming the stateless rule or default that passed it (the route does cross the firewall: no routing bypass, so reach-ml-egress-uninspected does not report it); where only part is, the message says which ports and what passed them.

Does not fail: paths with no firewall (reach-ml-egress-uninspected); a policy whose defaults drop what no rule passes.`,
    needs: REACH_NEEDS,
    options: z.object({}).strict(),
  },
  evaluate({ index }) {
    const engine = pathEngine(index);
    const drafts: Draft[] = [];
    for (const p of index.mlPlacements()) {
      for (const e of engine.reach(p).egress) {
        if (e.exit !== 'internet') continue;
        if (e.firewalls.length === 0) continue;
        const x = outboundPath(e);
        let unfiltered = e.flows;
        let stateless = FlowSet.empty();
        for (const fw of e.firewalls) {
          unfiltered = unfiltered.intersect(fw.l4Passes);
          stateless = stateless.union(e.flows.intersect(fw.statelessPass));
        }
        if (unfiltered.isEmpty() || (x.inspected && x.unfiltered.length === 0)) continue;
        const examples = EGRESS_PROBES.filter((pr) => flowSetHas(unfiltered, pr.protocol, pr.port)).map(
          (pr) => pr.label,
        );
        const names = x.firewalls.join(', ');
        const passedBy = [...new Set(e.firewalls.flatMap((f) => f.statelessPassedBy))];
        const statelessEvidence = stateless.isEmpty()
          ? {}
          : { passedByStatelessEngine: portsOf(stateless), statelessPassedBy: passedBy };
        if (!x.inspected) {
          // Everything on the path is passed by the stateless engine: it crosses the firewall uninspected.
          drafts.push({
            resource: p.resource,
            key: `${e.subnetId}|${e.exitId}`,
            message: `${mlLabel(p)} egress from ${e.subnetId} crosses firewall ${names} to ${e.exitId} uninspected: its stateless engine passes ${portsText(x.ports)} (${listLabel(passedBy, 3)}) without the stateful rules seeing it${examples.length ? `: e.g. ${examples.join(', ')}` : ''}.`,
            evidence: {
              ...mlEvidence(p),
              subnetId: e.subnetId,
              firewalls: x.firewalls,
              unfiltered: x.unfiltered,
              ...statelessEvidence,
              examples,
              ...namedPath(index, e.hops),
            },
            remediation:
              'Forward the traffic to the stateful engine: set the policy’s stateless default actions to aws:forward_to_sfe and change stateless pass rules for internet-bound traffic to aws:forward_to_sfe, so the stateful rules (and the domain allowlist) judge it.',
          });
          continue;
        }
        const otherOnPorts = x.domainFiltered
          .filter((d) => d.otherTrafficOnPort === 'pass')
          .map((d) => d.ports);
        drafts.push({
          resource: p.resource,
          key: `${e.subnetId}|${e.exitId}`,
          message: `${mlLabel(p)} egress from ${e.subnetId} crosses firewall ${names} to ${e.exitId}, but ${portsText(x.unfiltered)} passes unfiltered${x.domainFiltered.length ? ` (only ${x.domainFiltered.map((d) => `${d.appProtocol} tcp/${d.ports}`).join(' and ')} is limited to listed domains${otherOnPorts.length ? `; other protocols on tcp/${otherOnPorts.join(', ')} pass too` : ''})` : ''}${stateless.isEmpty() ? '' : `, ${portsText(portsOf(stateless))} of it passed by the stateless engine (${listLabel(passedBy, 3)}) uninspected`}${examples.length ? `: e.g. ${examples.join(', ')}` : ''}.`,
          evidence: {
            ...mlEvidence(p),
            subnetId: e.subnetId,
            firewalls: x.firewalls,
            unfiltered: x.unfiltered,
            domainFiltered: x.domainFiltered,
            ...statelessEvidence,
            examples,
            verdicts: e.firewalls.map((f) => ({
              firewall: f.firewallName,
              order: f.order,
              unmatched: f.unmatched,
            })),
            ...namedPath(index, e.hops),
          },
        });
      }
    }
    return drafts;
  },
});
