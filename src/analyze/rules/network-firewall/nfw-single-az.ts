import { z } from 'zod';
import { firewallResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'nfw-single-az',
    title: 'Network Firewall endpoints are in a single Availability Zone',
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'Route tables send traffic to a firewall endpoint by id. With every endpoint in one Availability Zone, an outage of that zone stops all inspected traffic (ML egress included), and subnets in other zones cross zones to reach it. A firewall should have an endpoint in each zone that holds workloads it protects.',
    remediation:
      'Map the firewall to a subnet in each Availability Zone used by the workloads it protects (AssociateSubnets, one firewall subnet per zone), and route each zone through its own zone-local endpoint.',
    references: ['FSBP NetworkFirewall.1'],
    docs: `Fails for each firewall whose endpoints all sit in one Availability Zone. The zones come from the firewall's per-zone sync states (its endpoints); when those are empty (as moto reports them, or while a firewall is being provisioned), from the Availability Zones of its subnet mappings' subnets.

Does not fail: a firewall with endpoints in two or more zones, whatever the zones of the workloads (routing each zone to its own endpoint is not checked here).

Not evaluated: a firewall with no endpoints whose mapped subnets are not all in the inventory, or one that reports neither endpoints nor subnet mappings.`,
    needs: ['firewalls', 'subnets'],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const drafts: Draft[] = [];
    for (const fw of scope.firewalls) {
      const resource = firewallResource(fw);
      let source: 'endpoints' | 'subnetMappings' = 'endpoints';
      let zones = [...new Set(fw.endpoints.map((e) => e.availabilityZone))];
      const unknownSubnets: string[] = [];
      if (zones.length === 0) {
        source = 'subnetMappings';
        const found = new Set<string>();
        for (const m of fw.subnetMappings) {
          const az = index.subnets().get(m.subnetId)?.availabilityZone;
          if (az) found.add(az);
          else unknownSubnets.push(m.subnetId);
        }
        zones = [...found];
      }
      zones.sort();
      if (zones.length >= 2) continue;
      if (zones.length === 0 || unknownSubnets.length > 0) {
        drafts.push({
          status: 'NOT_EVALUATED',
          key: 'zones-unknown',
          resource,
          message:
            fw.subnetMappings.length === 0
              ? `Not evaluated for firewall ${fw.firewallName}: it reports neither endpoints nor subnet mappings.`
              : `Not evaluated for firewall ${fw.firewallName}: it reports no endpoints and the Availability Zone of subnet ${unknownSubnets.join(', ')} is not in the inventory.`,
          evidence: { knownZones: zones, unknownSubnets, subnetMappings: fw.subnetMappings },
          remediation: 'Collect again once the firewall is provisioned, with ec2:DescribeSubnets allowed.',
        });
        continue;
      }
      const zone = zones[0] as string;
      drafts.push({
        resource,
        message: `Firewall ${fw.firewallName}${fw.vpcId ? ` in ${fw.vpcId}` : ''} has endpoints only in ${zone}${source === 'subnetMappings' ? ` (from its subnet mapping ${fw.subnetMappings.map((m) => m.subnetId).join(', ')})` : ''}: an outage of that zone stops all traffic routed through it.`,
        evidence: {
          vpcId: fw.vpcId ?? null,
          availabilityZones: zones,
          source,
          endpoints: fw.endpoints,
          subnetMappings: fw.subnetMappings,
        },
        remediation: `Associate ${fw.firewallName} with a firewall subnet in at least one more Availability Zone than ${zone} (one per zone that holds protected workloads), and route each zone's subnets to their zone-local endpoint.`,
      });
    }
    return drafts;
  },
});
