import { z } from 'zod';
import type { ResourceKind } from '../../../inventory/schema.ts';
import { PLACEMENT_NEEDS } from '../../aws/ml-placements.ts';
import { describeRule, isVpcDefaultGroup, peerOf, ruleEvidence } from '../../aws/security-groups.ts';
import { securityGroupResource } from '../../engine/resources.ts';
import { defineRule } from '../../engine/rule.ts';

/** Kinds behind the ML placements the evidence names (informative only: the verdict does not need them). */
const ML_KINDS: readonly ResourceKind[] = ['sagemakerUserProfiles', ...PLACEMENT_NEEDS];

const MAX_LISTED = 20;

export default defineRule({
  meta: {
    id: 'sg-default-has-rules',
    title: "VPC's default security group has inbound or outbound rules",
    severity: 'HIGH',
    category: 'security-groups',
    rationale:
      'Anything launched without an explicit security group (a notebook, a training job or an instance created in a hurry) lands in the VPC default group. With its out-of-the-box rules it talks freely to every other member and to the internet, so one compromised resource reaches all of them; a default group with no rules makes every resource declare the access it needs.',
    remediation:
      'Move resources that use the default group to purpose-built groups, then remove every inbound and outbound rule from the default group (it cannot be deleted). Keep it empty, e.g. with AWS Config remediation or AWS Firewall Manager.',
    references: ['CIS 5.5', 'FSBP EC2.2'],
    docs: `Fails for each VPC's default security group (the group named \`default\` that AWS creates with every VPC) that has **any** inbound or outbound rule, including the rules AWS puts there (all traffic from the group itself, all traffic out to \`0.0.0.0/0\` and \`::/0\`).

The evidence says whether the group is attached to anything: the network interfaces that carry it (from the collected ENIs) and the ML resources whose configuration names it (domains, user profiles, notebooks, training and processing jobs, models). An unattached default group still fails: the next resource launched without a group gets its rules.

Does not fail: a default group with no rules; a non-default group (even one named after a default, in another VPC); a group with rules that only happens to be used by everything.

Cannot see: resources that name the group without an ENI right now (launch templates, Lambda functions scaled to zero). When a SageMaker list could not be read, the evidence says the ML usage is incomplete.`,
    needs: ['securityGroups', 'networkInterfaces'],
    optionalReads: ['prefixLists', ...ML_KINDS],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const prefixLists = index.prefixLists();
    const mlGaps = [...new Set(scope.gaps.filter((g) => ML_KINDS.includes(g.kind)).map((g) => g.kind))];
    return scope.securityGroups.flatMap((sg) => {
      if (!isVpcDefaultGroup(sg) || sg.rules.length === 0) return [];
      const enis = index.enisByGroup().get(sg.groupId) ?? [];
      const ml = (index.mlByGroup().get(sg.groupId) ?? []).map((p) => p.resource);
      const inbound = sg.rules.filter((r) => !r.egress);
      const outbound = sg.rules.filter((r) => r.egress);
      const rules = sg.rules.map((r) => ({ rule: r, peer: peerOf(r, prefixLists) }));
      const count = (n: number, what: string) => `${n} ${what} rule${n === 1 ? '' : 's'}`;
      const attached =
        enis.length === 0 && ml.length === 0
          ? 'it is attached to no network interface and no ML resource'
          : [
              enis.length ? `it is on ${enis.length} network interface${enis.length === 1 ? '' : 's'}` : '',
              ml.length
                ? `${enis.length ? '' : 'it is '}used by ML resource${ml.length === 1 ? '' : 's'} ${ml.map((r) => r.id).join(', ')}`
                : '',
            ]
              .filter(Boolean)
              .join(' and ');
      return [
        {
          resource: securityGroupResource(scope, sg),
          message: `Default security group ${sg.groupId} (${sg.groupName}) of ${sg.vpcId} has ${count(inbound.length, 'inbound')} and ${count(outbound.length, 'outbound')} (${rules
            .slice(0, 4)
            .map((r) => describeRule(r.rule, r.peer, undefined, scope.account))
            .join('; ')}${rules.length > 4 ? '; ...' : ''}); ${attached}.`,
          evidence: {
            vpcId: sg.vpcId ?? null,
            inboundRules: inbound.length,
            outboundRules: outbound.length,
            rules: rules.slice(0, MAX_LISTED).map((r) => ruleEvidence(r.rule, r.peer)),
            ...(rules.length > MAX_LISTED ? { rulesNotListed: rules.length - MAX_LISTED } : {}),
            attached: enis.length > 0 || ml.length > 0,
            networkInterfaces: enis.slice(0, MAX_LISTED).map((e) => ({
              networkInterfaceId: e.networkInterfaceId,
              ...(e.interfaceType ? { interfaceType: e.interfaceType } : {}),
              ...(e.attachedInstanceId ? { attachedInstanceId: e.attachedInstanceId } : {}),
              ...(e.description ? { description: e.description } : {}),
            })),
            networkInterfaceCount: enis.length,
            mlResources: ml,
            ...(mlGaps.length ? { mlUsageIncomplete: mlGaps } : {}),
          },
        },
      ];
    });
  },
});
