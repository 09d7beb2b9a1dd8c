import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/security-groups/sg-unused.ts';
import type { RegionInventory } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope, sg } from '../../../../fixtures/inventory.ts';
import {
  domain,
  egress,
  eni,
  fromGroup,
  gap,
  interfaceEndpoint,
  notebook,
  tcpFrom,
  trainingJob,
} from '../../../../fixtures/security-groups.ts';

const target = sg('sg-target', [tcpFrom('10.0.0.0/8', 443)], { groupName: 'target' });

describe('sg-unused', () => {
  describe('non-compliant', () => {
    it.each<[string, Partial<RegionInventory>]>([
      ['a group nothing names', {}],
      [
        'a group that only references itself',
        { securityGroups: [sg('sg-target', [fromGroup('sg-target')])] },
      ],
      ['a group whose only ENI carries other groups', { networkInterfaces: [eni('eni-1', ['sg-other'])] }],
      [
        'a group that references others but is referenced by none',
        {
          securityGroups: [sg('sg-target', [fromGroup('sg-other')]), sg('sg-other', [])],
          networkInterfaces: [eni('eni-1', ['sg-other'])],
        },
      ],
    ])('fails for %s', (_, fill) => {
      // Act
      const findings = run(rule, scope({ securityGroups: [target], ...fill }));
      // Assess
      expect(ids(findings)).toEqual(['sg-target']);
      expect(findings[0]?.severity).toBe('LOW');
    });

    it('names the group and lists what was checked and what cannot be seen', () => {
      // Prepare
      const s = scope({
        securityGroups: [target, sg('sg-used', [])],
        networkInterfaces: [eni('eni-1', ['sg-used']), eni('eni-2', ['sg-used'])],
      });
      // Act
      const [finding, ...rest] = run(rule, s);
      // Assess
      expect(rest).toHaveLength(0);
      expect(finding?.message).toBe(
        'Security group sg-target (target) in vpc-1 is on no network interface, referenced by no other security group, and named by no VPC endpoint or SageMaker configuration.',
      );
      expect(finding?.evidence).toMatchObject({
        checked: {
          networkInterfaces: 2,
          securityGroups: 2,
          securityGroupRules: 1,
          vpcEndpoints: 0,
          trainingJobs: 0,
        },
        notSeen: expect.stringContaining('launch templates'),
      });
      expect(finding?.evidence).toMatchObject({ notSeen: expect.stringContaining('Lambda functions') });
    });
  });

  describe('compliant', () => {
    it.each<[string, Partial<RegionInventory>]>([
      ['on a network interface', { networkInterfaces: [eni('eni-1', ['sg-web', 'sg-target'])] }],
      [
        'referenced by another group’s inbound rule',
        {
          securityGroups: [target, sg('sg-db', [fromGroup('sg-target')])],
          networkInterfaces: [eni('eni-db', ['sg-db'])],
        },
      ],
      [
        'referenced only by another group’s outbound rule',
        {
          securityGroups: [
            target,
            sg('sg-app', [
              fromGroup('sg-target', { egress: true, ipProtocol: 'tcp', fromPort: 443, toPort: 443 }),
            ]),
          ],
          networkInterfaces: [eni('eni-app', ['sg-app'])],
        },
      ],
      ['named by an interface endpoint', { vpcEndpoints: [interfaceEndpoint('vpce-1', ['sg-target'])] }],
      [
        'a domain’s default user group',
        { sagemakerDomains: [domain('d-1', { defaultUserSecurityGroups: ['sg-target'] })] },
      ],
      [
        'a domain’s default space group',
        { sagemakerDomains: [domain('d-1', { defaultSpaceSecurityGroups: ['sg-target'] })] },
      ],
      [
        'a domain’s boundary group',
        { sagemakerDomains: [domain('d-1', { securityGroupIdForDomainBoundary: 'sg-target' })] },
      ],
      [
        'a user profile',
        {
          sagemakerUserProfiles: [{ domainId: 'd-1', userProfileName: 'ana', securityGroups: ['sg-target'] }],
        },
      ],
      [
        'a space',
        { sagemakerSpaces: [{ domainId: 'd-1', spaceName: 'shared', securityGroups: ['sg-target'] }] },
      ],
      ['a notebook instance', { notebookInstances: [notebook('nb-1', ['sg-target'])] }],
      ['a training job', { trainingJobs: [trainingJob('train-1', ['sg-target'])] }],
      [
        'a processing job',
        {
          processingJobs: [
            {
              processingJobName: 'proc-1',
              vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-target'] },
              enableNetworkIsolation: false,
              enableInterContainerTrafficEncryption: false,
              instanceCount: 1,
            },
          ],
        },
      ],
      [
        'a model',
        {
          models: [
            {
              modelName: 'm-1',
              vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-target'] },
              enableNetworkIsolation: true,
              imageUris: [],
            },
          ],
        },
      ],
      [
        'an endpoint config',
        {
          endpointConfigs: [
            {
              endpointConfigName: 'ec-1',
              vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-target'] },
              productionVariants: [],
            },
          ],
        },
      ],
    ])('passes for a group %s', (_, fill) => {
      const s = scope({ securityGroups: [target], ...fill });
      expect(ids(run(rule, s))).toEqual([]);
    });

    it('passes for a VPC default group nothing uses (it cannot be deleted)', () => {
      const s = scope({
        securityGroups: [
          sg('sg-def', [egress({ ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' })], { groupName: 'default' }),
        ],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  describe('coverage', () => {
    it('says NOT_EVALUATED, never unused, when network interfaces could not be read', () => {
      const findings = run(rule, scope({ securityGroups: [target], gaps: [gap('networkInterfaces')] }));
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({
        status: 'NOT_EVALUATED',
        evidence: { missingKinds: ['networkInterfaces'] },
      });
    });

    it.each(['vpcEndpoints', 'sagemakerUserProfiles', 'endpointConfigs'] as const)(
      'says NOT_EVALUATED when %s could not be read',
      (kind) => {
        const findings = run(rule, scope({ securityGroups: [target], gaps: [gap(kind)] }));
        expect(findings.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
      },
    );

    it('does not call a group unused when one user profile could not be read', () => {
      // Prepare
      const s = scope({ securityGroups: [target], gaps: [gap('sagemakerUserProfiles', 'd-1/ana')] });
      // Act
      const findings = run(rule, s);
      // Assess
      expect(ids(findings)).toEqual([]);
      const onGroup = findings.find((f) => f.resource.id === 'sg-target');
      expect(onGroup).toMatchObject({ status: 'NOT_EVALUATED' });
      expect(onGroup?.message).toContain('sagemakerUserProfiles d-1/ana could not be read');
    });

    it('still reports a group of another VPC than the domain whose profiles could not be read', () => {
      // Prepare
      const s = scope({
        securityGroups: [target, sg('sg-elsewhere', [], { vpcId: 'vpc-2' })],
        sagemakerDomains: [domain('d-1', { vpcId: 'vpc-1' })],
        gaps: [gap('sagemakerUserProfiles', 'd-1'), gap('sagemakerSpaces', 'd-1')],
      });
      // Act
      const findings = run(rule, s).filter((f) => f.resource.type === 'AWS::EC2::SecurityGroup');
      // Assess
      expect(ids(findings)).toEqual(['sg-elsewhere']);
      expect(findings.find((f) => f.resource.id === 'sg-target')?.status).toBe('NOT_EVALUATED');
    });
  });
});
