import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/routes/subnet-ml-auto-public-ip.ts';
import type { RegionInventory, Subnet } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import { kindGap, notebook, subnet, trainingJob } from '../../../../fixtures/network.ts';

const withSubnet = (s: Subnet, extra: Partial<RegionInventory> = {}) =>
  scope({
    subnets: [s],
    trainingJobs: [trainingJob('train-1', ['subnet-ml'])],
    ...extra,
  });

describe('subnet-ml-auto-public-ip', () => {
  describe('non-compliant', () => {
    it.each<[string, Partial<Subnet>, string]>([
      ['MapPublicIpOnLaunch', { mapPublicIpOnLaunch: true }, 'a public IPv4 address (MapPublicIpOnLaunch)'],
      [
        'AssignIpv6AddressOnCreation',
        { assignIpv6AddressOnCreation: true },
        'an IPv6 address (AssignIpv6AddressOnCreation)',
      ],
      [
        'both',
        { mapPublicIpOnLaunch: true, assignIpv6AddressOnCreation: true },
        'a public IPv4 address (MapPublicIpOnLaunch) and an IPv6 address (AssignIpv6AddressOnCreation)',
      ],
    ])('fails for an ML subnet with %s', (_, attrs, what) => {
      // Act
      const findings = run(rule, withSubnet(subnet('subnet-ml', 'vpc-1', attrs)));
      // Assess
      expect(ids(findings)).toEqual(['subnet-ml']);
      expect(findings[0]).toMatchObject({ severity: 'MEDIUM', references: ['FSBP EC2.15'] });
      expect(findings[0]?.message).toBe(
        `Subnet subnet-ml (vpc-1) holds ML resources (training job train-1) and assigns ${what} to every network interface launched in it.`,
      );
    });

    it('lists every ML resource of the subnet in the evidence', () => {
      const s = withSubnet(subnet('subnet-ml', 'vpc-1', { mapPublicIpOnLaunch: true }), {
        notebookInstances: [notebook('nb-1', 'subnet-ml')],
      });
      const [finding] = run(rule, s);
      expect(finding?.evidence.mlResources).toEqual([
        expect.objectContaining({ kind: 'notebook', id: 'nb-1' }),
        expect.objectContaining({ kind: 'trainingJob', id: 'train-1' }),
      ]);
      expect(finding?.remediation).toContain('--no-map-public-ip-on-launch');
    });
  });

  describe('compliant', () => {
    it.each<[string, Subnet, Partial<RegionInventory>]>([
      ['an ML subnet with both attributes off', subnet('subnet-ml'), {}],
      [
        'a subnet with auto-assignment that holds no ML resource',
        subnet('subnet-web', 'vpc-1', { mapPublicIpOnLaunch: true }),
        {},
      ],
      [
        'a subnet with auto-assignment named only by a notebook outside any VPC',
        subnet('subnet-web', 'vpc-1', { mapPublicIpOnLaunch: true }),
        { notebookInstances: [notebook('nb-direct')] },
      ],
    ])('passes for %s', (_, s, extra) => {
      expect(ids(run(rule, withSubnet(s, extra)))).toEqual([]);
    });
  });

  it.each([
    ['subnets', 'DescribeSubnets'],
    ['trainingJobs', 'ListTrainingJobs'],
    ['sagemakerDomains', 'ListDomains'],
  ] as const)('is NOT_EVALUATED for the scope when %s could not be read', (kind, operation) => {
    const s = withSubnet(subnet('subnet-ml', 'vpc-1', { mapPublicIpOnLaunch: true }), {
      gaps: [kindGap(kind, operation)],
    });
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
