import { z } from 'zod';
import { mlEvidence, mlListLabel, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import { subnetResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'subnet-ml-auto-public-ip',
    title: 'Subnet holding ML resources assigns public IP addresses on launch',
    severity: 'MEDIUM',
    category: 'routes',
    rationale:
      'A subnet that maps a public IPv4 address (or assigns a globally routable IPv6 address) to every interface launched in it gives instances in it an internet-facing address by default. For subnets that hold notebooks, training or inference, one route change or one security-group mistake then exposes them directly.',
    remediation:
      'Turn off auto-assignment on the subnet (aws ec2 modify-subnet-attribute --no-map-public-ip-on-launch, and --no-assign-ipv6-address-on-creation), and give public addresses explicitly only to the resources that must have one, outside the ML subnets.',
    references: ['FSBP EC2.15'],
    docs: `Fails for each subnet that holds an ML placement (a Studio domain, notebook instance, training or processing job or model whose configuration names the subnet) and has \`MapPublicIpOnLaunch\` true (FSBP EC2.15) or \`AssignIpv6AddressOnCreation\` true (IPv6 addresses in a VPC are globally unique and routable). One finding per subnet; the message says which attribute is on.

Does not fail: a subnet with both attributes off, whatever its route table (subnet-ml-public judges the routes); a subnet with auto-assignment on that holds no ML resource (FSBP EC2.15 reports it; this audit is about ML workloads).

Cannot see: addresses assigned explicitly (Elastic IPs, \`AssociatePublicIpAddress\` at launch); a subnet the placement names that is not in the inventory.`,
    needs: ['subnets', ...PLACEMENT_NEEDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const subnets = index.subnets();
    const drafts: Draft[] = [];
    for (const [subnetId, placements] of index.mlBySubnet()) {
      const subnet = subnets.get(subnetId);
      if (!subnet || !(subnet.mapPublicIpOnLaunch || subnet.assignIpv6AddressOnCreation)) continue;
      const what = [
        ...(subnet.mapPublicIpOnLaunch ? ['a public IPv4 address (MapPublicIpOnLaunch)'] : []),
        ...(subnet.assignIpv6AddressOnCreation ? ['an IPv6 address (AssignIpv6AddressOnCreation)'] : []),
      ].join(' and ');
      const fixes = [
        ...(subnet.mapPublicIpOnLaunch ? ['--no-map-public-ip-on-launch'] : []),
        ...(subnet.assignIpv6AddressOnCreation ? ['--no-assign-ipv6-address-on-creation'] : []),
      ];
      drafts.push({
        resource: subnetResource(scope, subnet),
        message: `Subnet ${subnetId} (${subnet.vpcId}) holds ML resources (${mlListLabel(placements)}) and assigns ${what} to every network interface launched in it.`,
        evidence: {
          vpcId: subnet.vpcId,
          mapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
          assignIpv6AddressOnCreation: subnet.assignIpv6AddressOnCreation,
          defaultForAz: subnet.defaultForAz,
          mlResources: placements.map(mlEvidence),
        },
        remediation: `Run aws ec2 modify-subnet-attribute --subnet-id ${subnetId} ${fixes.join(' ')} (one attribute per call), and give public addresses explicitly only where they are needed, outside the ML subnets.`,
      });
    }
    return drafts;
  },
});
