import { z } from 'zod';
import { mlListLabel } from '../../aws/ml-placements.ts';
import { subnetResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';
import { pathEngine } from '../../paths/engine.ts';
import { namedPath } from '../../paths/names.ts';
import { REACH_NEEDS } from '../../paths/needs.ts';
import { portsOf, portsText } from '../../paths/words.ts';

export default defineRule({
  meta: {
    id: 'nfw-not-in-ml-egress-path',
    title: 'A network firewall exists in the VPC, but an ML subnet’s internet path bypasses it',
    severity: 'HIGH',
    category: 'network-firewall',
    rationale:
      'A firewall only inspects what is routed through its endpoints. When an ML subnet’s default route goes to a NAT gateway or internet gateway whose own route skips the firewall endpoint, the firewall’s allowlist, logging and IPS do nothing for the ML workloads it was deployed to protect.',
    remediation:
      'Route the ML subnet (or the NAT gateway subnet it uses) to the firewall endpoint of its AZ, and the firewall subnet to the internet gateway; add the IGW edge route back through the endpoint.',
    references: [],
    docs: `For each VPC that holds a Network Firewall (in the VPC itself) and ML placements, runs the path engine outwards from each ML subnet and fails once per subnet and exit when a path reaches the internet without crossing any firewall endpoint (an endpoint id from the firewall's sync states). The message names the exit, the route hops and the ports.

Does not fail: VPCs without a firewall (reach-ml-egress-uninspected covers them); paths to transit gateways or appliances; SageMaker's own internet access (not routed through the VPC).`,
    needs: REACH_NEEDS,
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const engine = pathEngine(index);
    const drafts: Draft[] = [];
    for (const [subnetId, placements] of index.mlBySubnet()) {
      const subnet = index.subnets().get(subnetId);
      if (!subnet) continue;
      const firewalls = engine.firewallVpcs.get(subnet.vpcId);
      if (!firewalls?.length) continue;
      const seen = new Set<string>();
      for (const p of placements) {
        for (const e of engine.reach(p).egress) {
          if (e.subnetId !== subnetId || e.exit !== 'internet' || e.firewalls.length > 0) continue;
          if (seen.has(e.exitId)) continue;
          seen.add(e.exitId);
          drafts.push({
            resource: subnetResource(scope, subnet),
            key: e.exitId,
            message: `ML subnet ${subnetId} (${mlListLabel(placements)}) reaches the internet through ${e.natted ? 'a NAT gateway and ' : ''}${e.exitId} on ${portsText(portsOf(e.flows))} without crossing firewall ${firewalls.map((f) => f.firewallName).join(', ')} deployed in ${subnet.vpcId}.`,
            evidence: {
              vpcId: subnet.vpcId,
              firewalls: firewalls.map((f) => f.firewallArn),
              exit: e.exitId,
              ...namedPath(index, e.hops),
            },
          });
        }
      }
    }
    return drafts;
  },
});
