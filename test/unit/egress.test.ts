import { describe, expect, it } from 'vitest';
import {
  awsServiceName,
  endpointService,
  internetEgress,
  isLiveEndpoint,
  subnetInternetEgress,
} from '../../src/analyze/egress.ts';
import { ScopeIndex } from '../../src/analyze/scope-index.ts';
import type { RegionInventory, Route } from '../../src/inventory/schema.ts';
import {
  endpoint,
  notebook,
  privateVpc,
  route,
  routeTable,
  subnet,
  trainingJob,
  vpc,
} from '../fixtures/endpoints.ts';
import { scope } from '../fixtures/inventory.ts';

/** The egress of the only ML placement of a scope. */
function egressOf(fill: Partial<RegionInventory>) {
  const index = new ScopeIndex(scope(fill));
  const [placement, ...rest] = index.mlPlacements();
  expect(rest).toHaveLength(0);
  return internetEgress(placement!, index);
}

const jobIn = (subnets: string[], extra = {}) => ({ trainingJobs: [trainingJob('train-1', subnets, extra)] });

describe('internetEgress', () => {
  describe('has egress', () => {
    it.each<[string, Route, string]>([
      ['an internet gateway', route('0.0.0.0/0', 'internetGateway', 'igw-1'), 'internet gateway igw-1'],
      ['a NAT gateway', route('0.0.0.0/0', 'natGateway', 'nat-1'), 'NAT gateway nat-1'],
      [
        'an egress-only internet gateway (IPv6)',
        route('::/0', 'egressOnlyInternetGateway', 'eigw-1'),
        'egress-only internet gateway eigw-1',
      ],
      ['a transit gateway', route('0.0.0.0/0', 'transitGateway', 'tgw-1'), 'transit gateway tgw-1'],
      ['a peering connection', route('0.0.0.0/0', 'vpcPeeringConnection', 'pcx-1'), 'pcx-1'],
      ['an appliance ENI', route('0.0.0.0/0', 'networkInterface', 'eni-1'), 'eni-1'],
      ['an appliance instance', route('0.0.0.0/0', 'instance', 'i-1'), 'i-1'],
      ['a virtual private gateway', route('0.0.0.0/0', 'virtualPrivateGateway', 'vgw-1'), 'vgw-1'],
      ['an unidentified target', route('0.0.0.0/0', 'unknown', 'odb-1'), 'unidentified target odb-1'],
      [
        'an endpoint not in the inventory (a Network Firewall endpoint)',
        route('0.0.0.0/0', 'vpcEndpoint', 'vpce-fw'),
        'vpce-fw',
      ],
      [
        'world halves 0.0.0.0/1 and 128.0.0.0/1',
        route('128.0.0.0/1', 'natGateway', 'nat-1'),
        'NAT gateway nat-1 (128.0.0.0/1',
      ],
    ])('through %s', (_, r, via) => {
      // Act
      const egress = egressOf({ ...privateVpc({ a: [r] }), ...jobIn(['subnet-a']) });
      // Assess
      expect(egress.has).toBe(true);
      expect(egress.via).toContain(via);
      expect(egress.via).toContain('rtb-a of subnet-a');
    });

    it('through a Gateway Load Balancer endpoint of the inventory', () => {
      const egress = egressOf({
        ...privateVpc({ a: [route('0.0.0.0/0', 'vpcEndpoint', 'vpce-gwlb')] }),
        vpcEndpoints: [
          endpoint('vpce-gwlb', 'com.amazonaws.vpce.us-east-1.vpce-svc-1', 'GatewayLoadBalancer'),
        ],
        ...jobIn(['subnet-a']),
      });
      expect(egress).toMatchObject({
        has: true,
        via: expect.stringContaining('GatewayLoadBalancer endpoint'),
      });
    });

    it('through a customer-managed prefix list holding 0.0.0.0/0', () => {
      const egress = egressOf({
        ...privateVpc({ a: [route('pl-world', 'natGateway', 'nat-1')] }),
        prefixLists: [{ prefixListId: 'pl-world', awsManaged: false, entries: [{ cidr: '0.0.0.0/0' }] }],
        ...jobIn(['subnet-a']),
      });
      expect(egress.has).toBe(true);
    });

    it("through the subnet's own VPC's main table when it has no explicit association", () => {
      const egress = egressOf({
        ...privateVpc({ main: [route('0.0.0.0/0', 'natGateway', 'nat-1')] }),
        ...jobIn(['subnet-b']),
      });
      expect(egress).toMatchObject({ has: true, via: expect.stringContaining('rtb-main of subnet-b') });
      expect(egress.evidence.subnets[0]).toMatchObject({
        routeTableId: 'rtb-main',
        explicitAssociation: false,
      });
    });

    it('when any one of its subnets has egress', () => {
      const egress = egressOf({
        ...privateVpc({ main: [route('0.0.0.0/0', 'natGateway', 'nat-1')] }),
        ...jobIn(['subnet-a', 'subnet-b']),
      });
      expect(egress.has).toBe(true);
    });

    it("with SageMaker's own internet access (notebook DirectInternetAccess Enabled)", () => {
      const egress = egressOf({
        ...privateVpc(),
        notebookInstances: [notebook('nb-1', 'subnet-a', { directInternetAccess: 'Enabled' })],
      });
      expect(egress).toMatchObject({ has: true, evidence: { sagemakerManagedInternet: true } });
      expect(egress.via).toContain("SageMaker's own internet access");
    });

    it('when the route table of a subnet is unknown (never claims what it cannot see)', () => {
      const egress = egressOf({ ...privateVpc(), ...jobIn(['subnet-gone']) });
      expect(egress.has).toBe(true);
      expect(egress.evidence.subnets[0]).toMatchObject({ routeTableId: null, assumed: expect.any(String) });
    });

    it('for an isolated job whose subnet has egress: SageMaker moves its S3 data through the VPC', () => {
      const egress = egressOf({
        ...privateVpc({ a: [route('0.0.0.0/0', 'natGateway', 'nat-1')] }),
        ...jobIn(['subnet-a'], { enableNetworkIsolation: true }),
      });
      expect(egress.has).toBe(true);
    });
  });

  describe('has no egress', () => {
    it.each<[string, Route[]]>([
      ['no default route', []],
      ['only a blackhole default route', [route('0.0.0.0/0', 'natGateway', 'nat-deleted', 'blackhole')]],
      ['an S3 gateway endpoint route', [route('pl-s3', 'vpcEndpoint', 'vpce-s3')]],
      ['a route to a narrow public range', [route('52.0.0.0/12', 'natGateway', 'nat-1')]],
      ['a route to 10.0.0.0/8 over a transit gateway', [route('10.0.0.0/8', 'transitGateway', 'tgw-1')]],
      ['an AWS-managed prefix list to a NAT gateway', [route('pl-aws', 'natGateway', 'nat-1')]],
    ])('with %s', (_, routes) => {
      // Act
      const egress = egressOf({
        ...privateVpc({ a: routes }),
        vpcEndpoints: [endpoint('vpce-s3', 's3', 'Gateway', { routeTableIds: ['rtb-a'] })],
        prefixLists: [
          { prefixListId: 'pl-s3', ownerId: 'AWS', awsManaged: true },
          { prefixListId: 'pl-aws', ownerId: 'AWS', awsManaged: true },
        ],
        ...jobIn(['subnet-a']),
      });
      // Assess
      expect(egress.has).toBe(false);
      expect(egress.via).toContain('rtb-a');
    });

    it('says when default routes are blackholes', () => {
      const egress = egressOf({
        ...privateVpc({ a: [route('0.0.0.0/0', 'natGateway', 'nat-deleted', 'blackhole')] }),
        ...jobIn(['subnet-a']),
      });
      expect(egress.via).toBe('only blackhole default routes (0.0.0.0/0 to nat-deleted) in rtb-a');
      expect(egress.evidence.subnets[0]?.blackholes).toHaveLength(1);
    });

    it("never uses another VPC's main table", () => {
      // Prepare: vpc-1's main table has a NAT route; subnet-x of vpc-2 falls back to vpc-2's main table.
      const fill: Partial<RegionInventory> = {
        vpcs: [vpc(), vpc('vpc-2', ['10.2.0.0/16'])],
        subnets: [subnet('subnet-x', 'vpc-2')],
        routeTables: [
          routeTable('rtb-main', { main: true, routes: [route('0.0.0.0/0', 'natGateway', 'nat-1')] }),
          routeTable('rtb-main-2', { vpcId: 'vpc-2', main: true }),
        ],
        ...jobIn(['subnet-x']),
      };
      // Act
      const egress = egressOf(fill);
      // Assess
      expect(egress).toMatchObject({ has: false, via: 'no default route in rtb-main-2' });
    });

    it('for an isolated job in a private subnet (the S3 data path has no internet either)', () => {
      const egress = egressOf({ ...privateVpc(), ...jobIn(['subnet-a'], { enableNetworkIsolation: true }) });
      expect(egress.has).toBe(false);
    });
  });
});

describe('subnetInternetEgress', () => {
  it('lists every world route of the table', () => {
    const index = new ScopeIndex(
      scope(
        privateVpc({
          a: [
            route('0.0.0.0/0', 'natGateway', 'nat-1'),
            route('::/0', 'egressOnlyInternetGateway', 'eigw-1'),
          ],
        }),
      ),
    );
    expect(subnetInternetEgress('subnet-a', index).routes.map((r) => r.targetId)).toEqual([
      'nat-1',
      'eigw-1',
    ]);
  });
});

describe('endpoint facts', () => {
  it.each([
    ['com.amazonaws.us-east-1.sagemaker.api', 'sagemaker.api'],
    ['com.amazonaws.us-east-1.sts-fips', 'sts'],
    ['cn.com.amazonaws.us-east-1.logs', 'logs'],
    ['aws.sagemaker.us-east-1.notebook', 'aws.sagemaker.notebook'],
    ['com.amazonaws.us-west-2.s3', 'com.amazonaws.us-west-2.s3'],
    ['com.amazonaws.vpce.us-east-1.vpce-svc-1', 'com.amazonaws.vpce.us-east-1.vpce-svc-1'],
  ])('reads %s as %s', (name, key) => {
    expect(endpointService(name, 'us-east-1')).toBe(key);
  });

  it('names services per partition', () => {
    expect(awsServiceName({ partition: 'aws', region: 'us-east-1' }, 'sts')).toBe(
      'com.amazonaws.us-east-1.sts',
    );
    expect(awsServiceName({ partition: 'aws-cn', region: 'cn-north-1' }, 'sts')).toBe(
      'cn.com.amazonaws.cn-north-1.sts',
    );
  });

  it.each([
    ['available', true],
    ['pendingAcceptance', true],
    ['Pending', true],
    [undefined, true],
    ['deleted', false],
    ['rejected', false],
    ['failed', false],
  ])('state %s is live: %s', (state, live) => {
    expect(isLiveEndpoint(state === undefined ? {} : { state })).toBe(live);
  });
});
