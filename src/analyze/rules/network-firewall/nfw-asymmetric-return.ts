import { z } from 'zod';
import { mlListLabel } from '../../aws/ml-placements.ts';
import { firewallResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';
import { pathEngine } from '../../paths/engine.ts';
import { namedPath } from '../../paths/names.ts';
import { REACH_NEEDS } from '../../paths/needs.ts';
import { portsOf, portsText } from '../../paths/words.ts';

export default defineRule({
  meta: {
    id: 'nfw-asymmetric-return',
    title: 'Return traffic from the internet does not come back through the firewall',
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'Network Firewall’s stateful engine must see both directions of a flow. When the internet gateway’s edge route table does not send the replies for the inspected subnets back to the firewall endpoint, replies bypass it: the stateful engine drops or misses the flow, and connections break or go unlogged.',
    remediation:
      'Associate a route table with the internet gateway (edge association) that routes each inspected subnet’s CIDR (the NAT subnet’s, with a NAT gateway) to the firewall endpoint in its AZ.',
    references: [],
    docs: `Runs the path engine outwards from each ML placement; for every internet path that crosses a firewall endpoint, computes the return path: the IGW's edge route table looked up for the address the internet sees behind the IGW (the NAT gateway's private IP, else the source subnet), and the NAT subnet's route table looked up for the source subnet. Fails once per firewall and exit when the return path skips a firewall the forward path crossed (no edge table, or an edge route to elsewhere). The message names the gateway, the edge table and the subnet.`,
    needs: REACH_NEEDS,
    options: z.object({}).strict(),
  },
  evaluate({ index }) {
    const engine = pathEngine(index);
    const drafts: Draft[] = [];
    const seen = new Map<string, { draft: Draft; placements: Set<string> }>();
    for (const p of index.mlPlacements()) {
      for (const e of engine.reach(p).egress) {
        if (!e.asymmetry) continue;
        const fw = e.firewalls[0];
        if (!fw) continue;
        const key = `${fw.firewallArn}|${e.exitId}|${e.asymmetry}`;
        const known = seen.get(key);
        if (known) {
          known.placements.add(p.resource.id);
          continue;
        }
        const f = index.scope.firewalls.find((x) => x.firewallArn === fw.firewallArn);
        if (!f) continue;
        const draft: Draft = {
          resource: firewallResource(f),
          // The asymmetry names the host subnet and the tables: stable whichever placement comes first.
          key: `${e.exitId}|${e.asymmetry}`,
          message: `Return traffic from ${e.exitId} for ${portsText(portsOf(e.flows))} that ${mlListLabel([p])} sends from ${e.subnetId} out through firewall ${fw.firewallName} is asymmetric: ${e.asymmetry}.`,
          evidence: {
            exit: e.exitId,
            forwardFirewalls: e.firewalls.map((x) => x.firewallName),
            returnFirewalls: e.returnFirewalls,
            ports: portsOf(e.flows),
            ...namedPath(index, e.hops),
          },
        };
        seen.set(key, { draft, placements: new Set([p.resource.id]) });
        drafts.push(draft);
      }
    }
    for (const { draft, placements } of seen.values()) draft.evidence.mlResources = [...placements].sort();
    return drafts;
  },
});
