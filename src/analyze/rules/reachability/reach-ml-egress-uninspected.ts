import { z } from 'zod';
import { mlEvidence, mlLabel } from '../../aws/ml-placements.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';
import { pathEngine } from '../../paths/engine.ts';
import { outboundPath } from '../../paths/exposure.ts';
import { namedPath } from '../../paths/names.ts';
import { REACH_NEEDS } from '../../paths/needs.ts';
import { portsText } from '../../paths/words.ts';

export default defineRule({
  meta: {
    id: 'reach-ml-egress-uninspected',
    title: 'ML resource reaches the internet without crossing a network firewall',
    severity: 'HIGH',
    category: 'reachability',
    rationale:
      'Training data, model weights and credentials leave through egress. An ML resource whose traffic reaches the internet without a firewall in the path can send anything anywhere: no domain filtering, no inspection, no alert log.',
    remediation:
      'Send the ML subnets’ internet-bound traffic through an AWS Network Firewall endpoint (subnet -> NAT -> firewall -> IGW, with the IGW edge route back through the firewall), disable notebook DirectInternetAccess, and use VpcOnly for Studio domains.',
    references: [],
    docs: `Runs the path engine outwards from each ML placement and fails for every path that reaches the internet with no Network Firewall endpoint on it: a direct internet-gateway route (with a public IPv4, or global IPv6 through an IGW or egress-only IGW), a NAT gateway whose subnet routes straight to the IGW, a notebook with DirectInternetAccess Enabled, a Studio domain in PublicInternetOnly, a job or model without VpcConfig (SageMaker's own network). The message names the exit and the ports (after security groups, NACLs both ways and routes).

Does not fail: a path through a firewall endpoint, whether its policy inspects the traffic or its stateless engine passes it uninspected (a stateless pass rule or the stateless default aws:pass): the route does cross the firewall, and reach-ml-egress-unfiltered-protocol reports what passes it and which stateless rule or default passed it; resources with network isolation; traffic to a transit gateway, VPN or unknown appliance (it leaves the modelled VPC; inspection there is not visible); internet-bound traffic routed to a VPC peering connection (dropped: no edge-to-edge routing).`,
    needs: REACH_NEEDS,
    options: z.object({}).strict(),
  },
  evaluate({ index }) {
    const engine = pathEngine(index);
    const drafts: Draft[] = [];
    for (const p of index.mlPlacements()) {
      const r = engine.reach(p);
      for (const e of r.egress) {
        if (e.exit !== 'internet' && e.exit !== 'sagemaker') continue;
        // A path through a firewall endpoint is no routing bypass, even when the firewall's stateless
        // engine passes the traffic uninspected: reach-ml-egress-unfiltered-protocol names what passed it.
        if (e.firewalls.length > 0) continue;
        const x = outboundPath(e);
        const via =
          e.exit === 'sagemaker' ? "SageMaker's own network" : `${e.natted ? 'NAT and ' : ''}${e.exitId}`;
        drafts.push({
          resource: p.resource,
          key: `${e.subnetId}|${e.exitId}`,
          message: `${mlLabel(p)} reaches the internet on ${portsText(x.ports)} ${e.subnetId ? `from ${e.subnetId} ` : ''}through ${via} without crossing a network firewall.`,
          evidence: {
            ...mlEvidence(p),
            subnetId: e.subnetId || null,
            exit: e.exitId,
            ports: x.ports,
            ...namedPath(index, e.hops),
          },
        });
      }
    }
    return drafts;
  },
});
