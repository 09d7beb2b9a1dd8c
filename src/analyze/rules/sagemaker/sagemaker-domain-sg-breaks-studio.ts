import { z } from 'zod';
import type { CoverageGap, SageMakerDomain, SecurityGroup } from '../../../inventory/schema.ts';
import {
  checkStudioGroupSet,
  describeMissing,
  managedNfsGroupNames,
  type StudioGroupSetCheck,
} from '../../aws/sagemaker-studio.ts';
import type { FindingResource } from '../../engine/finding.ts';
import { domainResource, resourceOfKind, userProfileResource } from '../../engine/resources.ts';
import type { Draft } from '../../engine/rule.ts';
import { defineRule } from '../../engine/rule.ts';

const ID = 'sagemaker-domain-sg-breaks-studio';

/** Where a checked set of groups comes from. */
type Source = 'DefaultUserSettings' | 'DefaultSpaceSettings' | 'UserSettings';

const SCOPE_OF: Record<Source, string> = {
  DefaultUserSettings: 'private spaces of user profiles without their own groups',
  DefaultSpaceSettings: 'shared spaces',
  UserSettings: "the profile's private spaces",
};

function domainLabel(d: SageMakerDomain): string {
  return `${d.domainId}${d.domainName ? ` (${d.domainName})` : ''}`;
}

function consequences(check: StudioGroupSetCheck): string {
  const nfs = check.unmet.some((r) => r.requirement.nfs);
  const apps = check.unmet.some((r) => !r.requirement.nfs);
  const parts = [
    ...(nfs ? ['cannot mount the home EFS volume'] : []),
    ...(apps ? ['JupyterServer cannot reach the KernelGateway apps'] : []),
  ];
  return parts.join(' and ');
}

/** The API calls that close exactly what is missing, as self-references on the first configured group. */
function remediationFor(groupIds: readonly string[], sources: readonly Source[], check: StudioGroupSetCheck) {
  const target = groupIds.find((g) => !check.missingGroupIds.includes(g)) ?? groupIds[0] ?? 'the group';
  const calls = check.unmet.map((r) => {
    const api =
      r.requirement.direction === 'inbound'
        ? 'AuthorizeSecurityGroupIngress'
        : 'AuthorizeSecurityGroupEgress';
    const [from, to] = r.requirement.ports.ranges()[0] ?? [0, 0];
    return `${api} on ${target} with IpProtocol tcp, FromPort ${from}, ToPort ${to}, UserIdGroupPairs [{GroupId: ${target}}]`;
  });
  const missing = check.missingGroupIds.length
    ? ` Replace ${check.missingGroupIds.join(', ')} (not found in this region) in ${sources.join(' / ')}.SecurityGroups.`
    : '';
  return `${calls.join('; ')} (a self-referencing rule; one rule with IpProtocol -1 referencing the group covers all four requirements).${missing} AWS recommends a distinct group per user profile that admits only itself, rather than one domain-wide self-referencing group.`;
}

function failDraft(
  resource: FindingResource,
  subject: string,
  domain: SageMakerDomain,
  groupIds: readonly string[],
  sources: readonly Source[],
  check: StudioGroupSetCheck,
  key: string | undefined,
): Draft {
  const missingGroups = check.missingGroupIds.length
    ? ` (${check.missingGroupIds.join(', ')} does not exist)`
    : '';
  const scopeText = sources.map((s) => SCOPE_OF[s]).join(' and ');
  return {
    resource,
    ...(key ? { key } : {}),
    message: `${subject} security groups ${groupIds.join(', ')}${missingGroups} do not allow ${check.unmet.map(describeMissing).join(', ')} within the set: Studio apps of ${scopeText} in ${domain.subnetIds.join(', ') || 'the domain subnets'} ${consequences(check)}.`,
    evidence: {
      domainId: domain.domainId,
      appNetworkAccessType: domain.appNetworkAccessType ?? null,
      vpcId: domain.vpcId ?? null,
      subnetIds: domain.subnetIds,
      settings: sources,
      securityGroupIds: groupIds,
      missingGroupIds: check.missingGroupIds,
      sagemakerManagedGroupIds: check.managedGroupIds,
      appAddresses: check.appAddresses,
      unknownSubnetIds: check.unknownSubnetIds,
      missing: check.unmet.map((r) => ({
        requirement: r.requirement.id,
        direction: r.requirement.direction,
        protocol: 'tcp',
        ports: r.missing.toString(),
      })),
      requirements: check.results.map((r) => ({
        requirement: r.requirement.id,
        direction: r.requirement.direction,
        requiredPorts: r.requirement.ports.toString(),
        missingPorts: r.missing.isEmpty() ? null : r.missing.toString(),
        rules: r.rules,
      })),
    },
    remediation: remediationFor(groupIds, sources, check),
  };
}

/** NOT_EVALUATED drafts for the profile part of VpcOnly domains whose user profiles could not be read. */
function profileGapDrafts(
  scope: Parameters<typeof domainResource>[0],
  gaps: readonly CoverageGap[],
  vpcOnly: ReadonlyMap<string, SageMakerDomain>,
): Draft[] {
  const drafts: Draft[] = [];
  const gapText = (g: CoverageGap) => `${g.service}:${g.operation} failed (${g.errorCode})`;
  for (const gap of gaps) {
    if (gap.kind !== 'sagemakerUserProfiles') continue;
    const domains =
      gap.resourceId === undefined
        ? [...vpcOnly.values()]
        : [vpcOnly.get(gap.resourceId.split('/')[0] ?? '')].filter((d): d is SageMakerDomain => !!d);
    for (const d of domains) {
      const oneProfile = gap.resourceId?.includes('/') ? gap.resourceId : undefined;
      drafts.push({
        status: 'NOT_EVALUATED',
        resource: oneProfile
          ? resourceOfKind(scope, 'sagemakerUserProfiles', oneProfile)
          : domainResource(scope, d),
        key: oneProfile ? `userProfile:${oneProfile}` : 'userProfiles',
        message: oneProfile
          ? `User profile ${oneProfile} of Studio domain ${domainLabel(d)} was not checked: ${gapText(gap)}, so its own security groups are unknown.`
          : `User profiles of Studio domain ${domainLabel(d)} were not checked: ${gapText(gap)}, so security groups set on profiles are unknown (the domain's default groups were checked).`,
        evidence: { domainId: d.domainId, gap },
        remediation:
          'Grant sagemaker:ListUserProfiles and sagemaker:DescribeUserProfile (or fix what blocked them) and run again.',
      });
    }
  }
  return drafts;
}

export default defineRule({
  meta: {
    id: ID,
    title: 'Studio domain security groups block the traffic Studio needs in VPC-only mode',
    severity: 'MEDIUM',
    category: 'sagemaker',
    rationale:
      'In VpcOnly mode the security groups you give Studio are the only ones on its apps’ network interfaces (besides the NFS group SageMaker adds). AWS requires them to allow NFS (TCP 2049) to the domain’s EFS home volume and TCP 8192-65535 between apps: without them JupyterLab, Code Editor and kernels hang at start or fail, and users work around it with broader rules or by switching the domain to PublicInternetOnly.',
    remediation:
      'On the groups named in DefaultUserSettings.SecurityGroups, DefaultSpaceSettings.SecurityGroups or the user profile’s UserSettings.SecurityGroups, add a self-referencing inbound and outbound rule for TCP 2049 and TCP 8192-65535 (or one self-referencing rule for all traffic).',
    references: [],
    docs: `Only domains whose \`AppNetworkAccessType\` is \`VpcOnly\` are checked (PublicInternetOnly, or absent, is sagemaker-domain-public-internet's finding).

AWS's requirement ("Connect Studio notebooks in a VPC to external resources"): security groups with inbound **and** outbound rules that allow NFS over TCP 2049 between the apps and the domain's EFS volume, and TCP traffic within the security group on at least ports 8192-65535. So four requirements are checked, and the finding names exactly the ports each one lacks: inbound TCP 2049, outbound TCP 2049, inbound TCP 8192-65535, outbound TCP 8192-65535.

Which groups are one set (all of them sit on every app ENI of that set, and their rules add up):
- the domain's \`DefaultUserSettings.SecurityGroups\` (private spaces of profiles that set no groups of their own), finding on the domain with key \`DefaultUserSettings\`;
- the domain's \`DefaultSpaceSettings.SecurityGroups\` (shared spaces; AWS applies each of the two settings only to its own kind of space), key \`DefaultSpaceSettings\`; when both lists hold the same groups they are checked once, key \`DefaultUserSettings+DefaultSpaceSettings\`;
- each user profile's own \`UserSettings.SecurityGroups\`, finding on the user profile.
An empty list is not checked: in VpcOnly mode the API requires groups on DefaultUserSettings or on each profile (there is no fallback to the VPC's default group), and a profile without groups inherits the domain's.

A rule counts toward a requirement when its peer is a member of the set: a group of the set (a self-reference, or a reference to another group of the same set), SageMaker's \`security-group-for-outbound-nfs-<domain-id>\` (SageMaker adds it to every app ENI, so its rules are counted too), for NFS also SageMaker's \`security-group-for-inbound-nfs-<domain-id>\` (the EFS mount targets' group), or CIDRs and customer-managed prefix-list entries that together cover every address of the domain's subnets (so \`0.0.0.0/0\`, the default egress rule, counts; a /24 that misses one subnet does not). A rule with protocol \`-1\` covers every port; a TCP range counts for the part of the required ports it covers, and ranges add up across rules and groups.

Does not fail: a set with a self-referencing all-traffic rule plus the default egress rule; a PublicInternetOnly domain; a profile that inherits the domain's groups.

Cannot see: the app ENIs themselves (the check is on configuration); groups of a custom EFS or FSx file system attached to the domain; network ACLs on the subnets (see the nacl-* rules). A configured group that does not exist in the region counts as no rules and is named in the message. When a domain subnet is unknown, only a rule open to all IPv4 covers the apps' addresses. User profiles are read per domain: when they could not be read (moto does not implement ListUserProfiles), the domain's default groups are still checked and the profile part is reported NOT_EVALUATED for that domain.`,
    needs: ['sagemakerDomains', 'securityGroups', 'prefixLists', 'subnets'],
    // Profiles that could not be read: the rule says NOT_EVALUATED for their domain (profileGapDrafts).
    optionalReads: ['sagemakerUserProfiles'],
    options: z.object({}).strict(),
  },
  evaluate({ scope, index }) {
    const vpcOnly = new Map(
      scope.sagemakerDomains.filter((d) => d.appNetworkAccessType === 'VpcOnly').map((d) => [d.domainId, d]),
    );
    if (vpcOnly.size === 0) return [];
    const securityGroups = index.securityGroups();
    const prefixLists = index.prefixLists();
    const subnets = index.subnets();
    const byName = new Map<string, SecurityGroup[]>();
    for (const g of scope.securityGroups) {
      const list = byName.get(g.groupName);
      if (list) list.push(g);
      else byName.set(g.groupName, [g]);
    }
    const managed = (domain: SageMakerDomain, name: string) =>
      (byName.get(name) ?? []).find((g) => !domain.vpcId || !g.vpcId || g.vpcId === domain.vpcId);

    const check = (domain: SageMakerDomain, groupIds: readonly string[]) => {
      const names = managedNfsGroupNames(domain.domainId);
      return checkStudioGroupSet({
        domain,
        groupIds,
        securityGroups,
        prefixLists,
        subnets,
        managedOutbound: managed(domain, names.outbound),
        managedInbound: managed(domain, names.inbound),
      });
    };

    const drafts: Draft[] = [];
    for (const domain of vpcOnly.values()) {
      const sets = new Map<string, { groupIds: string[]; sources: Source[] }>();
      for (const [source, groups] of [
        ['DefaultUserSettings', domain.defaultUserSecurityGroups],
        ['DefaultSpaceSettings', domain.defaultSpaceSecurityGroups],
      ] as const) {
        if (groups.length === 0) continue;
        const groupIds = [...new Set(groups)];
        const id = [...groupIds].sort().join(',');
        const existing = sets.get(id);
        if (existing) existing.sources.push(source);
        else sets.set(id, { groupIds, sources: [source] });
      }
      for (const { groupIds, sources } of sets.values()) {
        const result = check(domain, groupIds);
        if (result.unmet.length === 0) continue;
        drafts.push(
          failDraft(
            domainResource(scope, domain),
            `Studio domain ${domainLabel(domain)}: the ${sources.join(' and ')}`,
            domain,
            groupIds,
            sources,
            result,
            sources.join('+'),
          ),
        );
      }
    }

    for (const profile of scope.sagemakerUserProfiles) {
      const domain = vpcOnly.get(profile.domainId);
      if (!domain || !profile.securityGroups?.length) continue;
      const groupIds = [...new Set(profile.securityGroups)];
      const result = check(domain, groupIds);
      if (result.unmet.length === 0) continue;
      drafts.push(
        failDraft(
          userProfileResource(scope, profile),
          `User profile ${profile.userProfileName} of Studio domain ${domainLabel(domain)}: its UserSettings`,
          domain,
          groupIds,
          ['UserSettings'],
          result,
          undefined,
        ),
      );
    }

    drafts.push(...profileGapDrafts(scope, scope.gaps, vpcOnly));
    return drafts;
  },
});
