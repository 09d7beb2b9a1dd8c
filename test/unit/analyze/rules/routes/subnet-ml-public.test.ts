import { describe, expect, it } from 'vitest';
import rule from '../../../../../src/analyze/rules/routes/subnet-ml-public.ts';
import type { RegionInventory, RouteTable } from '../../../../../src/inventory/schema.ts';
import { ids, run, scope } from '../../../../fixtures/inventory.ts';
import {
  kindGap,
  notebook,
  route,
  routeTable,
  subnet,
  trainingJob,
  vpc,
} from '../../../../fixtures/network.ts';

/** subnet-ml in vpc-1 holding a notebook, with the given route tables. */
const withTables = (tables: RouteTable[], extra: Partial<RegionInventory> = {}) =>
  scope({
    vpcs: [vpc('vpc-1'), vpc('vpc-2', ['10.2.0.0/16'])],
    subnets: [subnet('subnet-ml'), subnet('subnet-web')],
    notebookInstances: [notebook('nb-1', 'subnet-ml')],
    routeTables: tables,
    ...extra,
  });

const privateMain = routeTable('rtb-main', [route('0.0.0.0/0', 'nat-1')], { main: true });

describe('subnet-ml-public', () => {
  describe('non-compliant', () => {
    it.each<[string, RouteTable[], Partial<RegionInventory>?]>([
      [
        'an explicit table with 0.0.0.0/0 to an internet gateway',
        [privateMain, routeTable('rtb-pub', [route('0.0.0.0/0', 'igw-1')], { subnets: ['subnet-ml'] })],
      ],
      [
        'no explicit association and the VPC main table has the IGW default route',
        [routeTable('rtb-main', [route('0.0.0.0/0', 'igw-1')], { main: true })],
      ],
      [
        '::/0 to an internet gateway',
        [privateMain, routeTable('rtb-pub', [route('::/0', 'igw-1')], { subnets: ['subnet-ml'] })],
      ],
      [
        'two halves of the internet to an internet gateway',
        [
          privateMain,
          routeTable('rtb-pub', [route('0.0.0.0/1', 'igw-1'), route('128.0.0.0/1', 'igw-1')], {
            subnets: ['subnet-ml'],
          }),
        ],
      ],
      [
        'a customer-managed prefix list holding 0.0.0.0/0 to an internet gateway',
        [privateMain, routeTable('rtb-pub', [route('pl-world', 'igw-1')], { subnets: ['subnet-ml'] })],
        {
          prefixLists: [
            { prefixListId: 'pl-world', awsManaged: false, ownerId: '1', entries: [{ cidr: '0.0.0.0/0' }] },
          ],
        },
      ],
    ])('fails for %s', (_, tables, extra) => {
      // Act
      const findings = run(rule, withTables(tables, extra));
      // Assess
      expect(ids(findings)).toEqual(['subnet-ml']);
      expect(findings[0]?.severity).toBe('HIGH');
    });

    it('names the table, how it applies, the route and the ML resources', () => {
      // Prepare
      const s = withTables([routeTable('rtb-main', [route('0.0.0.0/0', 'igw-1')], { main: true })], {
        trainingJobs: [trainingJob('train-1', ['subnet-ml'])],
      });
      // Act
      const [finding] = run(rule, s);
      // Assess
      expect(finding?.message).toBe(
        'Subnet subnet-ml (vpc-1) holds ML resources (notebook instance nb-1, training job train-1), and its route table rtb-main (the main route table of vpc-1) sends 0.0.0.0/0 to internet gateway igw-1: the ML resources sit in a public subnet.',
      );
      expect(finding?.evidence).toMatchObject({
        routeTableId: 'rtb-main',
        association: 'main',
        internetGatewayRoutes: [
          { destination: '0.0.0.0/0', targetKind: 'internetGateway', targetId: 'igw-1' },
        ],
        mlResources: [
          { kind: 'notebook', id: 'nb-1' },
          { kind: 'trainingJob', id: 'train-1' },
        ],
      });
      expect(finding?.remediation).toContain('associate subnet-ml with a private route table');
    });
  });

  describe('compliant', () => {
    it.each<[string, RouteTable[]]>([
      [
        'a default route to a NAT gateway',
        [routeTable('rtb-priv', [route('0.0.0.0/0', 'nat-1')], { subnets: ['subnet-ml'] })],
      ],
      [
        'a default route to a firewall endpoint (vpce-)',
        [routeTable('rtb-fw', [route('0.0.0.0/0', 'vpce-fw1')], { subnets: ['subnet-ml'] })],
      ],
      [
        'a blackholed internet gateway route',
        [routeTable('rtb-dead', [route('0.0.0.0/0', 'igw-gone', 'blackhole')], { subnets: ['subnet-ml'] })],
      ],
      [
        '::/0 to an egress-only internet gateway',
        [
          routeTable('rtb-v6', [route('::/0', 'eigw-1'), route('0.0.0.0/0', 'nat-1')], {
            subnets: ['subnet-ml'],
          }),
        ],
      ],
      [
        'an internet gateway route for a narrow partner range only',
        [routeTable('rtb-partner', [route('198.51.100.0/24', 'igw-1')], { subnets: ['subnet-ml'] })],
      ],
      [
        'a public subnet that holds no ML resource',
        [privateMain, routeTable('rtb-pub', [route('0.0.0.0/0', 'igw-1')], { subnets: ['subnet-web'] })],
      ],
      [
        "no explicit association: the subnet's own VPC main table is private, another VPC's main table is public",
        [
          privateMain,
          routeTable('rtb-other-main', [route('0.0.0.0/0', 'igw-2')], { vpcId: 'vpc-2', main: true }),
        ],
      ],
    ])('passes for %s', (_, tables) => {
      expect(ids(run(rule, withTables(tables)))).toEqual([]);
    });

    it('passes when the ML subnet is not in the inventory (it cannot be judged)', () => {
      const s = withTables([routeTable('rtb-main', [route('0.0.0.0/0', 'igw-1')], { main: true })], {
        notebookInstances: [notebook('nb-ghost', 'subnet-gone')],
      });
      expect(ids(run(rule, s))).toEqual([]);
    });
  });

  it.each([
    ['routeTables', 'DescribeRouteTables'],
    ['subnets', 'DescribeSubnets'],
    ['trainingJobs', 'ListTrainingJobs'],
    ['notebookInstances', 'ListNotebookInstances'],
  ] as const)('is NOT_EVALUATED for the scope when %s could not be read', (kind, operation) => {
    const s = withTables([routeTable('rtb-main', [route('0.0.0.0/0', 'igw-1')], { main: true })], {
      gaps: [kindGap(kind, operation)],
    });
    expect(run(rule, s)).toEqual([expect.objectContaining({ status: 'NOT_EVALUATED' })]);
  });

  it('still evaluates when only Studio user profiles could not be read (they add no subnet)', () => {
    const s = withTables([routeTable('rtb-main', [route('0.0.0.0/0', 'igw-1')], { main: true })], {
      gaps: [kindGap('sagemakerUserProfiles', 'ListUserProfiles')],
    });
    expect(ids(run(rule, s))).toEqual(['subnet-ml']);
  });
});
