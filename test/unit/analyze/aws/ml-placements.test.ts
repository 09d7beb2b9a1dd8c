import { describe, expect, it } from 'vitest';
import { ScopeIndex } from '../../../../src/analyze/engine/scope-index.ts';
import { scope } from '../../../fixtures/inventory.ts';

const subnet = (subnetId: string, vpcId: string) => ({
  subnetId,
  vpcId,
  ipv6CidrBlocks: [],
  mapPublicIpOnLaunch: false,
  assignIpv6AddressOnCreation: false,
  defaultForAz: false,
});

describe('ML placements', () => {
  it('takes each ML resource’s subnets, groups and VPC from its configuration', () => {
    // Prepare
    const s = scope({
      subnets: [subnet('subnet-a', 'vpc-1'), subnet('subnet-b', 'vpc-1')],
      sagemakerDomains: [
        {
          domainId: 'd-1',
          appNetworkAccessType: 'VpcOnly',
          vpcId: 'vpc-1',
          subnetIds: ['subnet-a'],
          defaultUserSecurityGroups: ['sg-u'],
          defaultSpaceSecurityGroups: ['sg-s', 'sg-u'],
        },
      ],
      sagemakerUserProfiles: [
        { domainId: 'd-1', userProfileName: 'inherits' },
        { domainId: 'd-1', userProfileName: 'own', securityGroups: ['sg-own'] },
      ],
      notebookInstances: [
        {
          notebookInstanceName: 'nb-vpc',
          subnetId: 'subnet-b',
          securityGroups: ['sg-nb'],
          directInternetAccess: 'Disabled',
        },
        { notebookInstanceName: 'nb-direct', securityGroups: [] },
      ],
      trainingJobs: [
        {
          trainingJobName: 'job-iso',
          enableNetworkIsolation: true,
          enableInterContainerTrafficEncryption: false,
          instanceCount: 2,
          vpcConfig: { subnets: ['subnet-b'], securityGroupIds: ['sg-t'] },
          imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/train:1',
        },
        {
          trainingJobName: 'job-open',
          enableNetworkIsolation: false,
          enableInterContainerTrafficEncryption: false,
          instanceCount: 1,
        },
      ],
      models: [{ modelName: 'm-1', enableNetworkIsolation: false, imageUris: ['public.ecr.aws/x/y:1'] }],
    });
    const index = new ScopeIndex(s);
    // Act
    const placements = index.mlPlacements();
    // Assess
    const view = placements.map((p) => [
      p.kind,
      p.resource.id,
      p.vpcId,
      p.subnetIds,
      p.securityGroupIds,
      p.networkIsolation,
      p.sagemakerManagedInternet,
      p.usesEcr,
    ]);
    expect(view).toEqual([
      ['domain', 'd-1', 'vpc-1', ['subnet-a'], ['sg-u', 'sg-s'], false, false, false],
      ['userProfile', 'd-1/own', 'vpc-1', ['subnet-a'], ['sg-own'], false, false, false],
      ['notebook', 'nb-vpc', 'vpc-1', ['subnet-b'], ['sg-nb'], false, false, false],
      ['notebook', 'nb-direct', undefined, [], [], false, true, false],
      ['trainingJob', 'job-iso', 'vpc-1', ['subnet-b'], ['sg-t'], true, false, true],
      ['trainingJob', 'job-open', undefined, [], [], false, true, false],
      ['model', 'm-1', undefined, [], [], false, true, false],
    ]);
    expect(
      index
        .mlBySubnet()
        .get('subnet-b')
        ?.map((p) => p.resource.id),
    ).toEqual(['nb-vpc', 'job-iso']);
    expect(
      index
        .mlByGroup()
        .get('sg-u')
        ?.map((p) => p.resource.id),
    ).toEqual(['d-1']);
    // A user profile sits in its domain's subnets: the by-VPC and by-subnet views leave it to the domain.
    expect(index.mlByVpc().get('vpc-1')).toHaveLength(3);
    expect([...index.mlByVpc().values()].flat().some((p) => p.kind === 'userProfile')).toBe(false);
    expect([...index.mlBySubnet().values()].flat().some((p) => p.kind === 'userProfile')).toBe(false);
  });
});
