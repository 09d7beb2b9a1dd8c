import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/sagemaker/sagemaker-domain-sg-breaks-studio.ts';
import type { PrefixList, SecurityGroup } from '../../../../../src/inventory/schema.ts';
import { failed, ids, run, scope, sg } from '../../../../fixtures/inventory.ts';
import {
  DEFAULT_EGRESS,
  domain,
  gap,
  rule as r,
  subnet,
  userProfile,
} from '../../../../fixtures/sagemaker.ts';

const SUBNETS = [subnet('subnet-a', '10.0.1.0/24'), subnet('subnet-b', '10.0.2.0/24')];
const STUDIO = 'sg-studio';

/** A VpcOnly domain in subnet-a and subnet-b whose DefaultUserSettings carry `groups`. */
function studio(
  groups: SecurityGroup[],
  extra: Parameters<typeof domain>[1] = {},
  prefixLists: PrefixList[] = [],
) {
  return scope({
    subnets: SUBNETS,
    securityGroups: groups,
    prefixLists,
    sagemakerDomains: [
      domain('d-1', {
        subnetIds: ['subnet-a', 'subnet-b'],
        defaultUserSecurityGroups: groups.slice(0, 2).map((g) => g.groupId),
        ...extra,
      }),
    ],
  });
}

const selfAll = (id = STUDIO, egress = [DEFAULT_EGRESS]) => sg(id, [r('in', '-1', id), ...egress]);
const missingOf = (f: { evidence: Record<string, unknown> } | undefined) =>
  ((f?.evidence.missing ?? []) as { requirement: string; ports: string }[]).map(
    (m) => `${m.requirement} ${m.ports}`,
  );

describe('sagemaker-domain-sg-breaks-studio', () => {
  describe('non-compliant', () => {
    it.each<[string, SecurityGroup[], string[]]>([
      [
        'a group with only the default egress rule',
        [sg(STUDIO, [DEFAULT_EGRESS])],
        ['nfs-inbound 2049', 'apps-inbound 8192-65535'],
      ],
      [
        'self-referencing 8192-65535 in, no NFS in',
        [sg(STUDIO, [r('in', 'tcp', STUDIO, [8192, 65535]), DEFAULT_EGRESS])],
        ['nfs-inbound 2049'],
      ],
      [
        'self-referencing all traffic in, egress restricted to 443',
        [selfAll(STUDIO, [r('out', 'tcp', '0.0.0.0/0', [443, 443])])],
        ['nfs-outbound 2049', 'apps-outbound 8192-65535'],
      ],
      [
        'a partial app range (8192-9999) in',
        [
          sg(STUDIO, [
            r('in', 'tcp', STUDIO, [2049, 2049]),
            r('in', 'tcp', STUDIO, [8192, 9999]),
            DEFAULT_EGRESS,
          ]),
        ],
        ['apps-inbound 10000-65535'],
      ],
      [
        'all traffic in from a CIDR that covers only one of the two subnets',
        [sg(STUDIO, [r('in', '-1', '10.0.1.0/24'), DEFAULT_EGRESS])],
        ['nfs-inbound 2049', 'apps-inbound 8192-65535'],
      ],
      [
        'all traffic in from a group outside the set',
        [sg(STUDIO, [r('in', '-1', 'sg-other'), DEFAULT_EGRESS])],
        ['nfs-inbound 2049', 'apps-inbound 8192-65535'],
      ],
      [
        'UDP instead of TCP, self-referencing',
        [sg(STUDIO, [r('in', 'udp', STUDIO), DEFAULT_EGRESS])],
        ['nfs-inbound 2049', 'apps-inbound 8192-65535'],
      ],
      [
        'no rules at all (no egress either)',
        [sg(STUDIO, [])],
        ['nfs-inbound 2049', 'nfs-outbound 2049', 'apps-inbound 8192-65535', 'apps-outbound 8192-65535'],
      ],
    ])('fails for %s, naming exactly what is missing', (_, groups, missing) => {
      // Act
      const findings = run(rule, studio(groups));
      // Assess
      expect(ids(findings)).toEqual(['d-1']);
      expect(findings[0]).toMatchObject({
        severity: 'MEDIUM',
        resource: { type: 'AWS::SageMaker::Domain', id: 'd-1' },
        evidence: { settings: ['DefaultUserSettings'], securityGroupIds: [STUDIO] },
      });
      expect(missingOf(findings[0])).toEqual(missing);
    });

    it('says in one sentence which groups, which ports, where and what breaks', () => {
      const [finding] = run(rule, studio([sg(STUDIO, [DEFAULT_EGRESS])]));
      expect(finding?.message).toBe(
        'Studio domain d-1 (d-1-name): the DefaultUserSettings security groups sg-studio do not allow inbound TCP 2049 (NFS), inbound TCP 8192-65535 within the set: Studio apps of private spaces of user profiles without their own groups in subnet-a, subnet-b cannot mount the home EFS volume and JupyterServer cannot reach the KernelGateway apps.',
      );
      expect(finding?.remediation).toContain(
        'AuthorizeSecurityGroupIngress on sg-studio with IpProtocol tcp, FromPort 2049, ToPort 2049, UserIdGroupPairs [{GroupId: sg-studio}]',
      );
      expect(finding?.remediation).toContain('FromPort 8192, ToPort 65535');
    });

    it('names a configured group that does not exist', () => {
      // Prepare
      const s = studio([selfAll()], { defaultUserSecurityGroups: [STUDIO, 'sg-gone'] });
      s.sagemakerDomains[0]!.defaultUserSecurityGroups = ['sg-gone'];
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toContain('sg-gone (sg-gone does not exist)');
      expect(finding?.evidence.missingGroupIds).toEqual(['sg-gone']);
    });

    it('checks DefaultSpaceSettings (shared spaces) as its own set, keyed apart from DefaultUserSettings', () => {
      // Prepare
      const s = studio([selfAll(), sg('sg-shared', [DEFAULT_EGRESS])], {
        defaultUserSecurityGroups: [STUDIO],
        defaultSpaceSecurityGroups: ['sg-shared'],
      });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(findings).toHaveLength(1);
      expect(findings[0]?.evidence).toMatchObject({
        settings: ['DefaultSpaceSettings'],
        securityGroupIds: ['sg-shared'],
      });
      expect(findings[0]?.message).toContain('Studio apps of shared spaces');
    });

    it('checks identical user and space groups once', () => {
      const s = studio([sg(STUDIO, [DEFAULT_EGRESS])], {
        defaultUserSecurityGroups: [STUDIO],
        defaultSpaceSecurityGroups: [STUDIO],
      });
      const findings = run(rule, s);
      expect(findings).toHaveLength(1);
      expect(findings[0]?.evidence.settings).toEqual(['DefaultUserSettings', 'DefaultSpaceSettings']);
    });

    it('reports a user profile whose own groups are broken on the profile', () => {
      // Prepare
      const s = studio([selfAll(), sg('sg-alice', [DEFAULT_EGRESS])], {
        defaultUserSecurityGroups: [STUDIO],
      });
      s.sagemakerUserProfiles = [userProfile('d-1', 'alice', ['sg-alice']), userProfile('d-1', 'bob')];
      // Act
      const findings = run(rule, s);
      // Assess
      expect(findings.map((f) => [f.resource.type, f.resource.id])).toEqual([
        ['AWS::SageMaker::UserProfile', 'd-1/alice'],
      ]);
      expect(findings[0]?.message).toContain(
        'User profile alice of Studio domain d-1 (d-1-name): its UserSettings security groups sg-alice',
      );
    });
  });

  describe('compliant', () => {
    it.each<[string, SecurityGroup[], PrefixList[]?]>([
      ['a self-referencing all-traffic rule with the default egress', [selfAll()]],
      [
        'self-referencing TCP 2049 and 8192-65535 in and out, nothing else',
        [
          sg(STUDIO, [
            r('in', 'tcp', STUDIO, [2049, 2049]),
            r('in', 'tcp', STUDIO, [8192, 65535]),
            r('out', 'tcp', STUDIO, [2049, 2049]),
            r('out', 'tcp', STUDIO, [8192, 65535]),
          ]),
        ],
      ],
      [
        'all traffic from the VPC CIDR, which covers both subnets',
        [sg(STUDIO, [r('in', '-1', '10.0.0.0/16'), DEFAULT_EGRESS])],
      ],
      [
        'one CIDR rule per subnet, adding up',
        [sg(STUDIO, [r('in', '-1', '10.0.1.0/24'), r('in', '-1', '10.0.2.0/24'), DEFAULT_EGRESS])],
      ],
      [
        'the app range split across two rules',
        [
          sg(STUDIO, [
            r('in', 'tcp', STUDIO, [2049, 2049]),
            r('in', 'tcp', STUDIO, [8192, 30000]),
            r('in', 'tcp', STUDIO, [30001, 65535]),
            DEFAULT_EGRESS,
          ]),
        ],
      ],
      [
        'two groups of the set that reference each other',
        [
          sg(STUDIO, [r('in', 'tcp', 'sg-two', [2049, 2049]), DEFAULT_EGRESS]),
          sg('sg-two', [r('in', 'tcp', STUDIO, [8192, 65535])]),
        ],
      ],
      [
        'a customer-managed prefix list holding the VPC CIDR',
        [sg(STUDIO, [r('in', '-1', 'pl-vpc'), DEFAULT_EGRESS])],
        [{ prefixListId: 'pl-vpc', awsManaged: false, entries: [{ cidr: '10.0.0.0/16' }] }],
      ],
      [
        'all traffic from anywhere (too open for other rules, but Studio works)',
        [sg(STUDIO, [r('in', '-1', '0.0.0.0/0'), DEFAULT_EGRESS])],
      ],
    ])('passes for %s', (_, groups, prefixLists = []) => {
      expect(run(rule, studio(groups, {}, prefixLists))).toEqual([]);
    });

    it('counts SageMaker’s own NFS groups: outbound-NFS on the apps, inbound-NFS on the EFS mount targets', () => {
      // Prepare
      const s = studio([
        sg(STUDIO, [
          r('in', 'tcp', 'sg-efs', [2049, 2049]),
          r('in', 'tcp', STUDIO, [8192, 65535]),
          r('out', 'tcp', STUDIO, [8192, 65535]),
        ]),
      ]);
      s.securityGroups.push(
        sg('sg-nfs-out', [r('out', 'tcp', 'sg-efs', [2049, 2049])], {
          groupName: 'security-group-for-outbound-nfs-d-1',
        }),
        sg('sg-efs', [r('in', 'tcp', 'sg-nfs-out', [2049, 2049])], {
          groupName: 'security-group-for-inbound-nfs-d-1',
        }),
      );
      // Act + Assess
      expect(run(rule, s)).toEqual([]);
    });

    it.each([
      ['a PublicInternetOnly domain', { appNetworkAccessType: 'PublicInternetOnly' }],
      ['a domain without AppNetworkAccessType (PublicInternetOnly)', { appNetworkAccessType: undefined }],
      [
        'a VpcOnly domain with no default groups (profiles must carry their own)',
        { defaultUserSecurityGroups: [] },
      ],
    ])('does not check %s', (_, extra) => {
      const s = studio([sg(STUDIO, [])], extra);
      if ('appNetworkAccessType' in extra && !extra.appNetworkAccessType)
        delete s.sagemakerDomains[0]!.appNetworkAccessType;
      expect(run(rule, s)).toEqual([]);
    });

    it('does not check a profile that inherits the domain’s groups, nor a profile of a public domain', () => {
      const s = studio([selfAll(), sg('sg-bad', [])], { defaultUserSecurityGroups: [STUDIO] });
      s.sagemakerDomains.push(domain('d-pub', { appNetworkAccessType: 'PublicInternetOnly' }));
      s.sagemakerUserProfiles = [userProfile('d-1', 'inherits'), userProfile('d-pub', 'pub', ['sg-bad'])];
      expect(run(rule, s)).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('is NOT_EVALUATED for the scope when security groups could not be read', () => {
      const s = studio([sg(STUDIO, [])]);
      s.gaps = [{ ...gap('securityGroups', 'DescribeSecurityGroups'), service: 'ec2' }];
      expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
    });

    it('still checks the domain’s groups when its user profiles could not be listed, and reports the profile part NOT_EVALUATED', () => {
      // Prepare
      const s = studio([sg(STUDIO, [DEFAULT_EGRESS])]);
      s.sagemakerDomains.push(domain('d-pub', { appNetworkAccessType: 'PublicInternetOnly' }));
      s.gaps = [
        gap('sagemakerUserProfiles', 'ListUserProfiles', 'd-1'),
        gap('sagemakerUserProfiles', 'ListUserProfiles', 'd-pub'),
      ];
      // Act
      const findings = run(rule, s);
      // Assess
      expect(findings.map((f) => [f.status, f.resource.id, f.resource.type])).toEqual([
        ['FAIL', 'd-1', 'AWS::SageMaker::Domain'],
        ['NOT_EVALUATED', 'd-1', 'AWS::SageMaker::Domain'],
      ]);
      expect(findings[1]?.message).toContain(
        'User profiles of Studio domain d-1 (d-1-name) were not checked',
      );
      expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
    });

    it('reports one profile NOT_EVALUATED when its describe failed', () => {
      const s = studio([selfAll()]);
      s.gaps = [gap('sagemakerUserProfiles', 'DescribeUserProfile', 'd-1/carol')];
      const findings = run(rule, s);
      expect(failed(findings)).toEqual([]);
      expect(findings).toEqual([
        expect.objectContaining({
          status: 'NOT_EVALUATED',
          resource: expect.objectContaining({ type: 'AWS::SageMaker::UserProfile', id: 'd-1/carol' }),
        }),
      ]);
    });

    it('reports every VpcOnly domain’s profile part NOT_EVALUATED when profiles could not be read at all', () => {
      const s = studio([selfAll()]);
      s.gaps = [gap('sagemakerUserProfiles', 'ListUserProfiles')];
      expect(run(rule, s).map((f) => [f.status, f.resource.id])).toEqual([['NOT_EVALUATED', 'd-1']]);
    });
  });
});
