import { z } from 'zod';
import { mlEvidence, mlLabel } from '../../aws/ml-placements.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';
import { AddrSet, FlowSet, PortSet, TCP } from '../../net/index.ts';
import { pathEngine } from '../../paths/engine.ts';
import { REACH_NEEDS } from '../../paths/needs.ts';
import { apiUsable } from '../../paths/types.ts';

const TCP_443 = FlowSet.box(TCP, PortSet.of(443), AddrSet.all());

export default defineRule({
  meta: {
    id: 'reach-ml-no-aws-api-path',
    title: 'ML resource can reach neither the internet nor VPC endpoints for the AWS APIs it needs',
    severity: 'MEDIUM',
    category: 'reachability',
    rationale:
      'Training and processing jobs, models and Studio call the SageMaker API, S3, STS and CloudWatch Logs. With no internet path and no VPC endpoint for one of them, jobs hang and fail, Studio apps do not start, and logs are lost.',
    remediation:
      'Create the missing VPC endpoints (interface endpoints for sagemaker.api, sts and logs with private DNS, a gateway or interface endpoint for s3), with security groups that admit tcp/443 from the ML groups, and let the ML groups reach them on tcp/443.',
    references: [],
    docs: `For each ML placement in a VPC (not isolated, not using SageMaker's own internet), fails when the path engine finds no path on tcp/443 out of its subnets to the internet or to a network it cannot see (transit gateway, VPN, appliance; a peering connection carries no internet traffic), and one of sagemaker.api, s3, sts, logs is not reachable privately: an interface endpoint in the VPC whose security groups admit tcp/443 from the placement's subnet or groups and that the placement's groups may reach on tcp/443, or a gateway endpoint associated with the subnet's route table that the groups may reach (prefix-list or world rule). The message names the missing services.

An endpoint whose **policy allows nothing** (no Allow statement, or an unconditional Deny of every action) is no path: the evidence lists it under deniedByEndpointPolicy. A restricted policy counts as a path (which actions the workload needs is not known).

Cannot see: NACLs between the placement and an interface endpoint (not evaluated); whether a restricted endpoint policy allows the particular calls the workload makes.`,
    needs: REACH_NEEDS,
    options: z.object({}).strict(),
  },
  evaluate({ index }) {
    const engine = pathEngine(index);
    const drafts: Draft[] = [];
    for (const p of index.mlPlacements()) {
      if (p.networkIsolation || p.sagemakerManagedInternet || p.subnetIds.length === 0) continue;
      const r = engine.reach(p);
      if (r.egress.some((e) => !e.flows.intersect(TCP_443).isEmpty())) continue;
      const have = new Set(r.awsApis.filter(apiUsable).map((a) => a.service));
      const missing = ['sagemaker.api', 's3', 'sts', 'logs'].filter((s) => !have.has(s));
      if (missing.length === 0) continue;
      drafts.push({
        resource: p.resource,
        message: `${mlLabel(p)} has no tcp/443 path to the internet from ${p.subnetIds.join(', ')} and cannot reach ${missing.join(', ')} through a VPC endpoint: calls to those APIs fail.`,
        evidence: {
          ...mlEvidence(p),
          missing,
          reachablePrivately: r.awsApis.filter(apiUsable),
          deniedByEndpointPolicy: r.awsApis.filter((a) => !apiUsable(a)),
          blocked: r.blocked.map((b) => ({ subnetId: b.subnetId, reason: b.reason, at: b.blockedAt.text })),
        },
      });
    }
    return drafts;
  },
});
