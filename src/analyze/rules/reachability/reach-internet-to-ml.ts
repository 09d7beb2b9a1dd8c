import { z } from 'zod';
import { mlEvidence, mlLabel } from '../../aws/ml-placements.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';
import { FlowSet } from '../../net/index.ts';
import { pathEngine } from '../../paths/engine.ts';
import { namedPath } from '../../paths/names.ts';
import { REACH_NEEDS } from '../../paths/needs.ts';
import { portsOf, portsText } from '../../paths/words.ts';

export default defineRule({
  meta: {
    id: 'reach-internet-to-ml',
    title: 'ML resource reachable from the internet',
    severity: 'CRITICAL',
    category: 'reachability',
    rationale:
      'A notebook, Studio app, job or model container that the internet can open connections to exposes Jupyter, TensorBoard, model servers and the credentials of its execution role to anyone who finds the address. Each control alone (a security group, a NACL, a public subnet) looks harmless; the path through all of them is what matters.',
    remediation:
      'Remove the public address (no EIP, subnet auto-assign off), move the resource to a private subnet behind a NAT gateway, and drop the security-group and NACL entries that admit internet sources; reach notebooks through SageMaker presigned URLs or a VPN instead.',
    references: [],
    docs: `Runs the path engine from the internet to each ML placement (one ENI per configured subnet, with the configured security groups). A path exists on a protocol and port when: an internet gateway is attached to the VPC; the ENI has a public IPv4 address (its own public IP / EIP, or the subnet auto-assigns one) or a global IPv6 address (the subnet has an IPv6 CIDR and assigns addresses, or the ENI has one); the IGW's edge route table (if any) sends the subnet's addresses somewhere that passes (a Network Firewall endpoint whose policy passes unsolicited inbound traffic, judged by its defaults); the subnet's route table sends the reply back to that IGW (directly or through a firewall endpoint); the subnet's NACL admits the traffic in and the reply out on the ephemeral range (1024-65535); and any of the security groups admits the source. Fails once per resource, naming the ports, the entry gateway and every hop.

Does not fail: resources with network isolation; a notebook or Studio domain whose only internet path is SageMaker's own network (not reachable inbound); a private address behind a NAT gateway; an egress-only internet gateway (outbound only).

Cannot see: ports that a security group opens to another group (internet sources never belong to a group); Network Firewall stateful rules that explicitly pass inbound traffic in strict order (the default action decides).`,
    needs: REACH_NEEDS,
    options: z.object({}).strict(),
  },
  evaluate({ index }) {
    const engine = pathEngine(index);
    const drafts: Draft[] = [];
    for (const p of index.mlPlacements()) {
      const r = engine.reach(p);
      if (r.ingress.length === 0) continue;
      const flows = FlowSet.unionAll(r.ingress.map((i) => i.flows));
      const ports = portsOf(flows);
      const entries = [...new Set(r.ingress.map((i) => `${i.entry} into ${i.subnetId}`))];
      drafts.push({
        resource: p.resource,
        message: `${mlLabel(p)} is reachable from the internet on ${portsText(ports)}, entering through ${entries.join(' and ')}${r.ingress.some((i) => i.firewalls.length) ? '' : ' with no firewall in the path'}.`,
        evidence: {
          ...mlEvidence(p),
          ports,
          paths: r.ingress.map((i) => ({
            subnetId: i.subnetId,
            entry: i.entry,
            ports: portsOf(i.flows),
            firewalls: i.firewalls,
            ...namedPath(index, i.hops),
          })),
        },
      });
    }
    return drafts;
  },
});
