import { z } from 'zod';
import { type MlKind, PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import { describeRule, peerOf, ruleEvidence, spaceOf, worldCidrsOf } from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

const KIND_NAMES: Record<MlKind, string> = {
  domain: 'Studio domain',
  userProfile: 'user profile',
  notebook: 'notebook instance',
  trainingJob: 'training job',
  processingJob: 'processing job',
  model: 'model',
  tuningJob: 'tuning job',
  transformJob: 'transform job',
  hyperPodCluster: 'HyperPod cluster',
  monitoringJob: 'monitoring job',
  compilationJob: 'compilation job',
  autoMLJob: 'AutoML job',
  endpoint: 'endpoint',
  bedrockJob: 'Bedrock customization job',
};

export default defineRule({
  meta: {
    id: 'sg-ml-unrestricted-egress',
    title: 'Security group on an ML resource allows all outbound traffic to the internet',
    severity: 'LOW',
    category: 'security-groups',
    rationale:
      'Outbound rules are the last control between training data and the internet. An ML workload runs third-party code (pip packages, model weights, notebooks from colleagues); with all egress open, a compromised dependency can ship data anywhere over any protocol, and nothing records a narrower intent to compare against.',
    remediation:
      'Replace the all-traffic outbound rule with what the workload needs: TCP 443 to the VPC endpoints’ security group or prefix lists (S3, SageMaker, ECR, CloudWatch Logs, STS), TCP 2049 within the group for Studio’s EFS, and TCP 443 to a proxy or firewall for anything on the internet.',
    references: [],
    docs: `Fails for each security group named in the configuration of an ML resource (Studio domain default user/space groups, user profiles with their own groups, notebook instances, training and processing jobs, models) that has an **outbound** rule with protocol \`-1\` (all traffic) to world (\`0.0.0.0/0\`, \`::/0\`, or any world CIDR as defined in sg-world-ingress-all-ports, also through a customer-managed prefix list). AWS puts exactly such a rule on every new group, so this finds groups nobody tightened.

Resources whose containers have no network (jobs and models with EnableNetworkIsolation) do not count: a group used only by them does not fail.

Does not fail: all traffic to a private CIDR or to another security group; TCP 443 (or any single protocol or port range) to world; the same rule on a group no ML resource uses.

Cannot see: groups of endpoint configs' own VpcConfig and of Studio spaces (the ML placements do not include them yet); whether a NAT gateway or firewall actually gives the subnet an internet path (see the reachability rules).`,
    needs: ['securityGroups', 'prefixLists', 'sagemakerUserProfiles', ...PLACEMENT_NEEDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const prefixLists = index.prefixLists();
    const mlByGroup = index.mlByGroup();
    return scope.securityGroups.flatMap((sg) => {
      const ml = (mlByGroup.get(sg.groupId) ?? []).filter((p) => !p.networkIsolation);
      if (ml.length === 0) return [];
      const offending = sg.rules.flatMap((rule) => {
        if (!rule.egress || spaceOf(rule).protocol !== 'all') return [];
        const peer = peerOf(rule, prefixLists);
        const world = worldCidrsOf(peer);
        return world.length ? [{ rule, peer, world }] : [];
      });
      if (offending.length === 0) return [];
      const names = ml.map((p) => `${KIND_NAMES[p.kind]} ${p.resource.id}`);
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Security group ${sg.groupId} (${sg.groupName}), on ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more ML resources` : ''}, allows all outbound traffic to the internet: ${offending.map((o) => describeRule(o.rule, o.peer, o.world)).join('; ')}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            mlResources: ml.map((p) => ({ kind: p.kind, ...p.resource })),
            rules: offending.map((o) => ({ ...ruleEvidence(o.rule, o.peer), worldCidrs: o.world })),
          },
        },
      ];
    });
  },
});
