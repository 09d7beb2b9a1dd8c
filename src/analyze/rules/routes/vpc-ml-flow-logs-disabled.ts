import { z } from 'zod';
import type { FlowLog } from '../../../inventory/schema.ts';
import { pushTo } from '../../../util/multimap.ts';
import { mlEvidence, mlListLabel, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import { resourceOfKind, vpcResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';
import { listLabel } from '../../engine/words.ts';

const TRAFFIC_TYPES = ['ALL', 'ACCEPT', 'REJECT'] as const;

const Options = z
  .object({
    /** Flow logs of these traffic types count (e.g. ["ALL", "REJECT"] to insist on rejected traffic). */
    trafficTypes: z
      .array(z.enum(TRAFFIC_TYPES))
      .min(1)
      .default([...TRAFFIC_TYPES]),
  })
  .strict();

function flowLogEvidence(f: FlowLog) {
  return {
    flowLogId: f.flowLogId,
    resourceId: f.resourceId,
    trafficType: f.trafficType ?? null,
    flowLogStatus: f.flowLogStatus ?? null,
    logDestinationType: f.logDestinationType ?? null,
  };
}

export default defineRule({
  meta: {
    id: 'vpc-ml-flow-logs-disabled',
    title: 'VPC holding ML resources has no VPC flow log',
    severity: 'MEDIUM',
    category: 'routes',
    rationale:
      'VPC flow logs are the record of which addresses a workload talked to. Without them, an exfiltration from a notebook or a training job, or a scan of an inference endpoint, leaves no network trace to investigate or alert on.',
    remediation:
      'Create a flow log for the VPC (aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL, to CloudWatch Logs or S3).',
    references: ['FSBP EC2.6'],
    docs: `For each VPC holding an ML placement (a Studio domain, notebook instance, training or processing job or model placed in it), fails when no flow log has the **VPC itself** as its resource, with status ACTIVE (or no status reported) and a traffic type in option \`trafficTypes\` (default: any of ALL, ACCEPT, REJECT; FSBP EC2.6 checks REJECT, so \`["ALL", "REJECT"]\` matches it exactly).

Flow logs on some of the VPC's subnets or network interfaces only are partial coverage (other subnets and new interfaces are not logged): the VPC still fails, and the evidence and message list them.

Does not fail: a VPC without ML resources (FSBP EC2.6 covers every VPC; this audit is about ML workloads); a VPC whose placement is known only from a job whose VPC no longer exists in the inventory.

Cannot see: whether the logs are delivered (DeliverLogsStatus) or retained.`,
    // subnets: a job, model or notebook is in a VPC through its subnets.
    needs: ['flowLogs', 'subnets', ...PLACEMENT_NEEDS],
    // networkInterfaces: only to name the flow logs on the VPC's interfaces as partial coverage;
    // vpcs: a placement in a VPC no longer there is stale and does not fail, but only when the VPCs
    // were read (unread, the VPC still fails).
    optionalReads: ['networkInterfaces', 'vpcs'],
    options: Options,
  },
  evaluate({ scope, index, options }) {
    const counting = new Set<string>(options.trafficTypes);
    const byResource = new Map<string, FlowLog[]>();
    for (const f of scope.flowLogs) pushTo(byResource, f.resourceId, f);
    const subnets = index.subnets();
    const enis = index.networkInterfaces();
    // Flow logs on a subnet or an interface, by VPC: partial coverage.
    const partialByVpc = new Map<string, FlowLog[]>();
    for (const f of scope.flowLogs) {
      const vpcId = subnets.get(f.resourceId)?.vpcId ?? enis.get(f.resourceId)?.vpcId;
      if (vpcId) pushTo(partialByVpc, vpcId, f);
    }
    const vpcs = index.vpcs();
    const vpcsRead = !scope.gaps.some((g) => g.kind === 'vpcs' && g.resourceId === undefined);
    const drafts: Draft[] = [];
    for (const [vpcId, placements] of index.mlByVpc()) {
      const vpc = vpcs.get(vpcId);
      if (!vpc && vpcsRead) continue; // the VPC is gone: a stale job's placement
      const own = byResource.get(vpcId) ?? [];
      const effective = own.filter(
        (f) =>
          (f.flowLogStatus === undefined || f.flowLogStatus === 'ACTIVE') &&
          (f.trafficType === undefined || counting.has(f.trafficType)),
      );
      if (effective.length > 0) continue;
      const partial = partialByVpc.get(vpcId) ?? [];
      const ignored = own.length
        ? ` (${own.length === 1 ? 'its flow log' : 'its flow logs'} ${listLabel(own.map((f) => `${f.flowLogId} (${[f.trafficType, f.flowLogStatus].filter(Boolean).join(', ')})`))} ${own.length === 1 ? 'does' : 'do'} not count)`
        : '';
      const partialText = partial.length
        ? `; only ${listLabel(partial.map((f) => `${f.resourceId} (${f.flowLogId})`))} ${partial.length === 1 ? 'has a flow log' : 'have flow logs'}, which is partial coverage`
        : '';
      drafts.push({
        resource: vpc ? vpcResource(scope, vpc) : resourceOfKind(scope, 'vpcs', vpcId),
        message: `VPC ${vpcId} holds ML resources (${mlListLabel(placements)}) but has no VPC flow log${ignored}${partialText}.`,
        evidence: {
          mlResources: placements.map(mlEvidence),
          vpcFlowLogs: own.map(flowLogEvidence),
          partialFlowLogs: partial.map(flowLogEvidence),
          countingTrafficTypes: options.trafficTypes,
        },
        remediation: `Run aws ec2 create-flow-logs --resource-type VPC --resource-ids ${vpcId} --traffic-type ALL with a CloudWatch Logs or S3 destination.`,
      });
    }
    return drafts;
  },
});
