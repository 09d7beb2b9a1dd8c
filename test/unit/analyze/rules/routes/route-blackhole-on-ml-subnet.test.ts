import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/routes/route-blackhole-on-ml-subnet.ts';
import type { RegionInventory, RouteTable } from '../../../../../src/inventory/schema.ts';
import { failed, ids, run, scope } from '../../../../fixtures/inventory.ts';
import { kindGap, route, routeTable, subnet, trainingJob } from '../../../../fixtures/network.ts';

const withTables = (tables: RouteTable[], extra: Partial<RegionInventory> = {}) =>
  scope({
    subnets: [
      subnet('subnet-ml'),
      subnet('subnet-ml2'),
      subnet('subnet-web'),
      subnet('subnet-other', 'vpc-2'),
    ],
    trainingJobs: [trainingJob('train-1', ['subnet-ml', 'subnet-ml2'])],
    routeTables: tables,
    ...extra,
  });

const okMain = routeTable('rtb-main', [route('0.0.0.0/0', 'nat-1')], { main: true });

describe('route-blackhole-on-ml-subnet', () => {
  describe('non-compliant', () => {
    it.each<[string, RouteTable[], string]>([
      [
        'a deleted NAT gateway in the explicit table',
        [
          okMain,
          routeTable('rtb-ml', [route('0.0.0.0/0', 'nat-gone', 'blackhole')], { subnets: ['subnet-ml'] }),
        ],
        'rtb-ml',
      ],
      [
        'a deleted endpoint in the main table used implicitly',
        [routeTable('rtb-main', [route('pl-63a5400a', 'vpce-gone', 'blackhole')], { main: true })],
        'rtb-main',
      ],
      [
        'a deleted peering, IPv6',
        [
          okMain,
          routeTable('rtb-ml', [route('2600:1f18::/40', 'pcx-gone', 'blackhole')], {
            subnets: ['subnet-ml'],
          }),
        ],
        'rtb-ml',
      ],
    ])('fails for %s', (_, tables, tableId) => {
      // Act
      const findings = run(rule, withTables(tables));
      // Assess
      expect(ids(findings)).toEqual([tableId]);
      expect(findings[0]).toMatchObject({ severity: 'MEDIUM', resource: { type: 'AWS::EC2::RouteTable' } });
    });

    it('names the destination, the dead target and the ML subnets, once per route', () => {
      // Prepare
      const table = routeTable(
        'rtb-ml',
        [route('0.0.0.0/0', 'nat-gone', 'blackhole'), route('10.9.0.0/16', 'tgw-gone', 'blackhole')],
        { subnets: ['subnet-ml', 'subnet-ml2'] },
      );
      // Act
      const findings = failed(run(rule, withTables([okMain, table])));
      // Assess
      expect(findings).toHaveLength(2);
      expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(2);
      const nat = findings.find(
        (f) => (f.evidence.route as { destination: string }).destination === '0.0.0.0/0',
      );
      expect(nat?.message).toBe(
        'Route table rtb-ml used by ML subnets subnet-ml, subnet-ml2 (training job train-1) has a blackhole route: traffic to 0.0.0.0/0 goes to NAT gateway nat-gone, which no longer exists, and is silently dropped.',
      );
      expect(nat?.evidence.mlSubnets).toEqual([
        { subnetId: 'subnet-ml', explicit: true },
        { subnetId: 'subnet-ml2', explicit: true },
      ]);
    });

    it('calls a dead Network Firewall endpoint by its name', () => {
      const s = withTables(
        [
          okMain,
          routeTable('rtb-ml', [route('0.0.0.0/0', 'vpce-fw', 'blackhole')], { subnets: ['subnet-ml'] }),
        ],
        {
          firewalls: [
            {
              firewallName: 'fw',
              firewallArn: 'arn:aws:network-firewall:us-east-1:111122223333:firewall/fw',
              vpcId: 'vpc-1',
              subnetMappings: [],
              firewallPolicyArn: 'arn:p',
              deleteProtection: true,
              subnetChangeProtection: true,
              firewallPolicyChangeProtection: true,
              endpoints: [{ availabilityZone: 'us-east-1a', endpointId: 'vpce-fw' }],
            },
          ],
        },
      );
      expect(run(rule, s)[0]?.message).toContain('Network Firewall endpoint vpce-fw');
    });
  });

  describe('compliant', () => {
    it.each<[string, RouteTable[]]>([
      [
        'only active routes',
        [okMain, routeTable('rtb-ml', [route('0.0.0.0/0', 'nat-1')], { subnets: ['subnet-ml'] })],
      ],
      [
        'a blackhole route in a table only a non-ML subnet uses',
        [
          okMain,
          routeTable('rtb-web', [route('0.0.0.0/0', 'nat-gone', 'blackhole')], { subnets: ['subnet-web'] }),
        ],
      ],
      [
        "a blackhole route in another VPC's main table",
        [
          okMain,
          routeTable('rtb-main2', [route('0.0.0.0/0', 'nat-gone', 'blackhole')], {
            vpcId: 'vpc-2',
            main: true,
          }),
        ],
      ],
    ])('passes for %s', (_, tables) => {
      expect(ids(run(rule, withTables(tables)))).toEqual([]);
    });
  });

  it.each([
    ['routeTables', 'DescribeRouteTables'],
    ['processingJobs', 'ListProcessingJobs'],
  ] as const)('is NOT_EVALUATED for the scope when %s could not be read', (kind, operation) => {
    const s = withTables(
      [routeTable('rtb-main', [route('0.0.0.0/0', 'nat-gone', 'blackhole')], { main: true })],
      {
        gaps: [kindGap(kind, operation)],
      },
    );
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });
});
