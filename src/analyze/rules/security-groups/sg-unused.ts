import { z } from 'zod';
import type { RegionInventory, ResourceKind } from '../../../inventory/schema.ts';
import { computePlacementDrafts } from '../../aws/ml-compute-placements.ts';
import { COMPUTE_PLACEMENT_KINDS } from '../../aws/ml-placements.ts';
import { isVpcDefaultGroup } from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

/** Kinds whose resources can name a security group; a gap in one leaves "unused" unproven. */
const REFERENCE_KINDS = [
  'networkInterfaces',
  'vpcEndpoints',
  'sagemakerDomains',
  'sagemakerUserProfiles',
  'sagemakerSpaces',
  'notebookInstances',
  'trainingJobs',
  'processingJobs',
  'models',
  'endpointConfigs',
  'endpoints',
  ...COMPUTE_PLACEMENT_KINDS,
] as const satisfies readonly ResourceKind[];

const NOT_SEEN =
  'Lambda functions and ECS services without a current network interface, launch templates and launch configurations, CloudFormation templates, Batch, EMR, Glue and DMS configurations, and references from security groups in other accounts (peered or shared VPCs)';

/** Every group id that a network interface, another group's rule, an endpoint or a SageMaker config names. */
function usedGroups(scope: RegionInventory): Set<string> {
  const used = new Set<string>();
  const add = (groupId: string | undefined, _by: string) => {
    if (groupId) used.add(groupId);
  };
  for (const eni of scope.networkInterfaces) for (const g of eni.groupIds) add(g, eni.networkInterfaceId);
  for (const sg of scope.securityGroups) {
    for (const r of sg.rules) {
      const ref = r.referencedGroup?.groupId;
      if (ref && ref !== sg.groupId) add(ref, sg.groupId);
    }
  }
  for (const e of scope.vpcEndpoints) for (const g of e.groupIds) add(g, e.vpcEndpointId);
  for (const d of scope.sagemakerDomains) {
    for (const g of [...d.defaultUserSecurityGroups, ...d.defaultSpaceSecurityGroups]) add(g, d.domainId);
    add(d.securityGroupIdForDomainBoundary, d.domainId);
  }
  for (const p of scope.sagemakerUserProfiles)
    for (const g of p.securityGroups ?? []) add(g, `${p.domainId}/${p.userProfileName}`);
  for (const s of scope.sagemakerSpaces)
    for (const g of s.securityGroups ?? []) add(g, `${s.domainId}/${s.spaceName}`);
  for (const n of scope.notebookInstances) for (const g of n.securityGroups) add(g, n.notebookInstanceName);
  for (const j of scope.trainingJobs)
    for (const g of j.vpcConfig?.securityGroupIds ?? []) add(g, j.trainingJobName);
  for (const j of scope.processingJobs)
    for (const g of j.vpcConfig?.securityGroupIds ?? []) add(g, j.processingJobName);
  for (const m of scope.models) for (const g of m.vpcConfig?.securityGroupIds ?? []) add(g, m.modelName);
  for (const c of scope.endpointConfigs)
    for (const g of c.vpcConfig?.securityGroupIds ?? []) add(g, c.endpointConfigName);
  // Tuning jobs, HyperPod clusters, monitoring, compilation, AutoML and Bedrock jobs.
  for (const p of computePlacementDrafts(scope)) for (const g of p.securityGroupIds) add(g, p.resource.id);
  return used;
}

export default defineRule({
  meta: {
    id: 'sg-unused',
    title: 'Security group is not used by anything the audit can see',
    severity: 'LOW',
    category: 'security-groups',
    rationale:
      'Unused groups pile up with permissive rules nobody reviews; the next engineer attaches one because its name looks right and inherits access meant for something long gone. Removing them keeps the rule set small enough to audit.',
    remediation:
      'Confirm nothing the audit cannot see uses the group (launch templates, Lambda functions, ECS services, other accounts’ references: `aws ec2 describe-security-group-references`), then delete it.',
    references: [],
    docs: `Fails for each security group that is, in this account and region:

- on no network interface (every ENI collected: instances, SageMaker, load balancers, RDS, EFS mount targets, Lambda and endpoint ENIs);
- referenced by no **other** security group's rule, inbound **or** outbound (a group referenced only in another group's egress rules is used); a group referencing only itself does not count;
- named by no VPC endpoint and no SageMaker configuration: Studio domains (default user and space groups, the domain boundary group), user profiles, spaces, notebook instances, training and processing jobs (those in the collection window), models, endpoint configs.

Never fails for a VPC's \`default\` group (it cannot be deleted; see sg-default-has-rules). When one of those resources could not be read (a gap about a single resource), a would-be finding is NOT_EVALUATED rather than FAIL: an unread profile or ENI could be the one that uses the group. Studio user profiles and spaces live in their domain's VPC, so an unread one leaves only the groups of that VPC unproven (all groups when the domain itself is unknown).

Cannot see: ${NOT_SEEN}. The evidence lists what was checked.`,
    needs: ['securityGroups', ...REFERENCE_KINDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const used = usedGroups(scope);
    const refKinds = new Set<ResourceKind>(REFERENCE_KINDS);
    const domainVpc = new Map(scope.sagemakerDomains.map((d) => [d.domainId, d.vpcId]));
    // Each unread resource, with the only VPC whose groups it could use (undefined: any VPC).
    const unread = scope.gaps
      .filter((g) => refKinds.has(g.kind) && g.resourceId !== undefined)
      .map((gap) => ({
        gap,
        vpcId:
          gap.kind === 'sagemakerUserProfiles' || gap.kind === 'sagemakerSpaces'
            ? domainVpc.get((gap.resourceId as string).split('/')[0] as string)
            : undefined,
      }));
    const ruleCount = scope.securityGroups.reduce((n, g) => n + g.rules.length, 0);
    const checked = {
      networkInterfaces: scope.networkInterfaces.length,
      securityGroups: scope.securityGroups.length,
      securityGroupRules: ruleCount,
      vpcEndpoints: scope.vpcEndpoints.length,
      sagemakerDomains: scope.sagemakerDomains.length,
      sagemakerUserProfiles: scope.sagemakerUserProfiles.length,
      sagemakerSpaces: scope.sagemakerSpaces.length,
      notebookInstances: scope.notebookInstances.length,
      trainingJobs: scope.trainingJobs.length,
      processingJobs: scope.processingJobs.length,
      models: scope.models.length,
      endpointConfigs: scope.endpointConfigs.length,
    };
    return scope.securityGroups.flatMap((sg): Draft[] => {
      if (isVpcDefaultGroup(sg) || used.has(sg.groupId)) return [];
      const resource = securityGroupResource(scope, sg);
      const where = sg.vpcId ? ` in ${sg.vpcId}` : '';
      const unproven = unread.filter((u) => u.vpcId === undefined || u.vpcId === sg.vpcId).map((u) => u.gap);
      if (unproven.length > 0) {
        return [
          {
            resource,
            status: 'NOT_EVALUATED',
            key: 'unread-references',
            message: `Security group ${sg.groupId} (${sg.groupName})${where} looks unused, but ${unproven.map((g) => `${g.kind} ${g.resourceId}`).join(', ')} could not be read and may use it.`,
            evidence: { vpcId: sg.vpcId ?? null, checked, unread: unproven },
          },
        ];
      }
      return [
        {
          resource,
          message: `Security group ${sg.groupId} (${sg.groupName})${where} is on no network interface, referenced by no other security group, and named by no VPC endpoint or SageMaker configuration.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            rules: sg.rules.length,
            selfReferencing: sg.rules.some((r) => r.referencedGroup?.groupId === sg.groupId),
            checked,
            notSeen: NOT_SEEN,
          },
        },
      ];
    });
  },
});
