import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/vpc-endpoints/vpce-single-az.ts';
import type { RegionInventory, VpcEndpoint } from '../../../../../src/inventory/schema.ts';
import {
  domain,
  endpoint,
  gap,
  notebook,
  privateVpc,
  subnet,
  trainingJob,
} from '../../../../fixtures/endpoints.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';

const base = privateVpc();
/** subnet-a (1a), subnet-b (1b), subnet-a2 (1a), subnet-x (no AZ in the inventory). */
const subnets = [
  ...(base.subnets ?? []),
  subnet('subnet-a2', 'vpc-1', 'us-east-1a'),
  subnet('subnet-x', 'vpc-1', null),
];
const sts = (subnetIds: string[], extra: Partial<VpcEndpoint> = {}) =>
  endpoint('vpce-sts', 'sts', 'Interface', { subnetIds, ...extra });

function withMl(fill: Partial<RegionInventory>): RegionInventory {
  return scope({
    ...base,
    subnets,
    trainingJobs: [trainingJob('train-1', ['subnet-a', 'subnet-b'])],
    ...fill,
  });
}

describe('vpce-single-az', () => {
  describe('non-compliant', () => {
    it('fails for an interface endpoint in one AZ, naming the AZs of the ML subnets', () => {
      // Act
      const findings = run(rule, withMl({ vpcEndpoints: [sts(['subnet-a'])] }));
      // Assess
      expect(ids(findings)).toEqual(['vpce-sts']);
      expect(findings[0]).toMatchObject({
        severity: 'LOW',
        resource: { type: 'AWS::EC2::VPCEndpoint' },
        message:
          'Interface endpoint vpce-sts (sts) in vpc-1 has subnets in us-east-1a only, while training job train-1 uses the VPC from us-east-1a and us-east-1b: an outage of us-east-1a cuts them off from sts.',
        evidence: { availabilityZone: 'us-east-1a', mlAvailabilityZones: ['us-east-1a', 'us-east-1b'] },
      });
      expect(findings[0]?.remediation).toContain('Add a subnet in us-east-1b to vpce-sts');
    });

    it.each<[string, Partial<RegionInventory>]>([
      ['two subnets of the same AZ', { vpcEndpoints: [sts(['subnet-a', 'subnet-a2'])] }],
      [
        'ML resources all in the same single AZ',
        { vpcEndpoints: [sts(['subnet-a'])], trainingJobs: [trainingJob('t', ['subnet-a'])] },
      ],
      [
        'a VpcOnly Studio domain',
        {
          vpcEndpoints: [sts(['subnet-b'])],
          trainingJobs: [],
          sagemakerDomains: [domain('d-1', ['subnet-a'])],
        },
      ],
      [
        'an AZ known only by id',
        {
          vpcEndpoints: [sts(['subnet-z'])],
          subnets: [...subnets, subnet('subnet-z', 'vpc-1', null, { availabilityZoneId: 'use1-az1' })],
        },
      ],
    ])('fails for %s', (_, fill) => {
      expect(ids(run(rule, withMl(fill)))).toEqual(['vpce-sts']);
    });
  });

  describe('compliant', () => {
    it.each<[string, Partial<RegionInventory>]>([
      ['an endpoint in two AZs', { vpcEndpoints: [sts(['subnet-a', 'subnet-b'])] }],
      [
        'an endpoint with a subnet missing from the inventory (no guessing)',
        { vpcEndpoints: [sts(['subnet-a', 'subnet-gone'])] },
      ],
      ['an endpoint with a subnet of unknown AZ (no guessing)', { vpcEndpoints: [sts(['subnet-x'])] }],
      ['a gateway endpoint', { vpcEndpoints: [endpoint('vpce-s3', 's3', 'Gateway')] }],
      ['a deleted endpoint', { vpcEndpoints: [sts(['subnet-a'], { state: 'deleted' })] }],
      [
        'an endpoint in a VPC without ML resources',
        { vpcEndpoints: [sts(['subnet-a'], { vpcId: 'vpc-2' })] },
      ],
      [
        'a VPC whose only ML resource has direct internet access',
        {
          vpcEndpoints: [sts(['subnet-a'])],
          trainingJobs: [],
          notebookInstances: [notebook('nb', 'subnet-a', { directInternetAccess: 'Enabled' })],
        },
      ],
    ])('passes for %s', (_, fill) => {
      expect(ids(run(rule, withMl(fill)))).toEqual([]);
    });
  });

  it('is NOT_EVALUATED for the scope when subnets could not be read', () => {
    const findings = run(rule, withMl({ vpcEndpoints: [sts(['subnet-a'])], gaps: [gap('subnets')] }));
    expect(findings.map((f) => [f.status, f.resource.type])).toEqual([['NOT_EVALUATED', 'AWS::Region']]);
  });
});
