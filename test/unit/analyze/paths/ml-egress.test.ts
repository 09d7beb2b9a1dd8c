import { describe, expect, it } from 'vitest';
import { ScopeIndex } from '../../../../src/analyze/engine/scope-index.ts';
import { internetEgress } from '../../../../src/analyze/paths/ml-egress.ts';
import type { RegionInventory, Route } from '../../../../src/inventory/schema.ts';
import {
  endpoint,
  mlGroup,
  notebook,
  privateVpc,
  route,
  routeTable,
  subnet,
  trainingJob,
  vpc,
} from '../../../fixtures/endpoints.ts';
import { entry, nacl, scope } from '../../../fixtures/inventory.ts';

/** The egress of the only ML placement of a scope. */
function egressOf(fill: Partial<RegionInventory>) {
  const index = new ScopeIndex(scope(fill));
  const [placement, ...rest] = index.mlPlacements();
  expect(rest).toHaveLength(0);
  return internetEgress(placement!, index);
}

const jobIn = (subnets: string[], extra = {}) => ({ trainingJobs: [trainingJob('train-1', subnets, extra)] });
const natRoute = route('0.0.0.0/0', 'natGateway', 'nat-1');

/** subnet-a with IPv6 (assigned on create) in a VPC with an IPv6 block. */
function ipv6Vpc(routes: Route[]): Partial<RegionInventory> {
  const base = privateVpc({ a: routes });
  return {
    ...base,
    vpcs: [vpc('vpc-1', ['10.0.0.0/16'], { ipv6CidrBlocks: ['2600:1f18:1::/56'] })],
    subnets: [
      subnet('subnet-a', 'vpc-1', 'us-east-1a', {
        cidrBlock: '10.0.1.0/24',
        ipv6CidrBlocks: ['2600:1f18:1:1::/64'],
        assignIpv6AddressOnCreation: true,
      }),
    ],
    egressOnlyInternetGateways: [{ egressOnlyInternetGatewayId: 'eigw-1', attachedVpcIds: ['vpc-1'] }],
  };
}

describe('internetEgress (the path engine, on tcp/443)', () => {
  describe('has egress', () => {
    it('through a NAT gateway, then its subnet’s internet gateway: the via names each hop', () => {
      const egress = egressOf({ ...privateVpc({ a: [natRoute] }), ...jobIn(['subnet-a']) });
      expect(egress.has).toBe(true);
      expect(egress.via).toBe('tcp/443 from subnet-a via nat-1 to internet gateway igw-1, then the internet');
      expect(egress.evidence.paths[0]).toMatchObject({
        subnetId: 'subnet-a',
        exit: 'internet',
        exitId: 'igw-1',
      });
      expect(egress.evidence.paths[0]?.hops.join(' | ')).toContain('NAT gateway nat-1 in subnet-pub');
    });

    it('through an internet gateway when the subnet auto-assigns public IPv4 addresses', () => {
      const egress = egressOf({
        ...privateVpc({ a: [route('0.0.0.0/0', 'internetGateway', 'igw-1')] }, { publicSubnets: true }),
        ...jobIn(['subnet-a']),
      });
      expect(egress).toMatchObject({
        has: true,
        via: 'tcp/443 from subnet-a to internet gateway igw-1, then the internet',
      });
    });

    it('over IPv6 through an egress-only internet gateway', () => {
      const egress = egressOf({
        ...ipv6Vpc([route('::/0', 'egressOnlyInternetGateway', 'eigw-1')]),
        ...jobIn(['subnet-a']),
      });
      expect(egress.has).toBe(true);
      expect(egress.via).toContain('egress-only internet gateway eigw-1');
    });

    it.each<[string, Route, string]>([
      [
        'a transit gateway',
        route('0.0.0.0/0', 'transitGateway', 'tgw-1'),
        'which leaves the modelled network via transit gateway tgw-1 (not followed)',
      ],
      [
        'an appliance ENI',
        route('0.0.0.0/0', 'networkInterface', 'eni-1'),
        'leaves the modelled network via',
      ],
      ['an appliance instance', route('0.0.0.0/0', 'instance', 'i-1'), 'leaves the modelled network via'],
      ['a virtual private gateway', route('0.0.0.0/0', 'virtualPrivateGateway', 'vgw-1'), 'vgw-1'],
      ['an unidentified target', route('0.0.0.0/0', 'unknown', 'odb-1'), 'odb-1'],
      [
        'an endpoint in no inventory (e.g. a firewall endpoint whose firewall was not read)',
        route('0.0.0.0/0', 'vpcEndpoint', 'vpce-fw'),
        'leaves the modelled network via unknown appliance vpce-fw',
      ],
      ['a world half (128.0.0.0/1) to the NAT gateway', route('128.0.0.0/1', 'natGateway', 'nat-1'), 'igw-1'],
      ['a narrow public range to the NAT gateway', route('52.0.0.0/12', 'natGateway', 'nat-1'), 'igw-1'],
    ])('through %s (egress is not ruled out)', (_, r, via) => {
      const egress = egressOf({ ...privateVpc({ a: [r] }), ...jobIn(['subnet-a']) });
      expect(egress.has).toBe(true);
      expect(egress.via).toContain(via);
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
      const egress = egressOf({ ...privateVpc({ main: [natRoute] }), ...jobIn(['subnet-b']) });
      expect(egress).toMatchObject({ has: true, via: expect.stringContaining('from subnet-b via nat-1') });
      expect(egress.evidence.routeTables).toEqual([{ subnetId: 'subnet-b', routeTableId: 'rtb-main' }]);
    });

    it('when any one of its subnets has egress', () => {
      const egress = egressOf({ ...privateVpc({ main: [natRoute] }), ...jobIn(['subnet-a', 'subnet-b']) });
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
      expect(egress.evidence.assumed).toContain('route table of subnet-gone unknown');
    });

    it('when its security groups are not in the inventory and the known ones give no path', () => {
      const egress = egressOf({
        ...privateVpc({ a: [natRoute] }),
        securityGroups: [],
        ...jobIn(['subnet-a']),
      });
      expect(egress).toMatchObject({ has: true, evidence: { assumed: expect.stringContaining('sg-ml') } });
    });

    it('for an isolated job whose subnet has egress: SageMaker moves its S3 data through the VPC', () => {
      const egress = egressOf({
        ...privateVpc({ a: [natRoute] }),
        ...jobIn(['subnet-a'], { enableNetworkIsolation: true }),
      });
      expect(egress.has).toBe(true);
    });
  });

  describe('has no egress', () => {
    it.each<[string, Route[], string]>([
      ['no default route', [], 'no route to the internet in rtb-a'],
      [
        'only a blackhole default route',
        [route('0.0.0.0/0', 'natGateway', 'nat-deleted', 'blackhole')],
        'is a blackhole (target nat-deleted is gone)',
      ],
      [
        'an S3 gateway endpoint route',
        [route('pl-s3', 'vpcEndpoint', 'vpce-s3')],
        'no route to the internet',
      ],
      [
        'a route to 10.0.0.0/8 over a transit gateway (private space only)',
        [route('10.0.0.0/8', 'transitGateway', 'tgw-1')],
        'no route to the internet',
      ],
      [
        'an AWS-managed prefix list to a NAT gateway',
        [route('pl-aws', 'natGateway', 'nat-1')],
        'no route to the internet',
      ],
      [
        'a route to an internet gateway but no public IPv4 address',
        [route('0.0.0.0/0', 'internetGateway', 'igw-1')],
        'internet gateway igw-1 drops IPv4 from subnet-a: no public IPv4 address',
      ],
      [
        'a default route to a VPC peering connection (no edge-to-edge routing)',
        [route('0.0.0.0/0', 'vpcPeeringConnection', 'pcx-1')],
        'a VPC peering connection carries no traffic to the internet',
      ],
      [
        'an IPv4 default route to an egress-only internet gateway',
        [route('0.0.0.0/0', 'egressOnlyInternetGateway', 'eigw-1')],
        'egress-only internet gateway eigw-1 carries IPv6 only',
      ],
    ])('with %s', (_, routes, via) => {
      const egress = egressOf({
        ...privateVpc({ a: routes }),
        vpcEndpoints: [endpoint('vpce-s3', 's3', 'Gateway', { routeTableIds: ['rtb-a'] })],
        prefixLists: [
          { prefixListId: 'pl-s3', ownerId: 'AWS', awsManaged: true },
          { prefixListId: 'pl-aws', ownerId: 'AWS', awsManaged: true },
        ],
        ...jobIn(['subnet-a']),
      });
      expect(egress.has).toBe(false);
      expect(egress.via).toContain(via);
    });

    it('names the blocked hop in the evidence (a blackhole)', () => {
      const egress = egressOf({
        ...privateVpc({ a: [route('0.0.0.0/0', 'natGateway', 'nat-deleted', 'blackhole')] }),
        ...jobIn(['subnet-a']),
      });
      expect(egress.evidence.blocked).toEqual([
        expect.objectContaining({
          subnetId: 'subnet-a',
          reason: 'blackhole',
          at: expect.stringContaining('rtb-a'),
        }),
      ]);
      expect(egress.evidence.blocked[0]?.hops).toEqual([
        'ENI (sg-ml) in subnet-a, no public IPv4',
        'security groups sg-ml allow out: all traffic',
        'in subnet-a route 0.0.0.0/0 to nat-deleted (rtb-a) is a blackhole (target nat-deleted is gone)',
      ]);
    });

    it('when the NAT gateway is deleted', () => {
      const base = privateVpc({ a: [natRoute] });
      const egress = egressOf({
        ...base,
        natGateways: base.natGateways?.map((n) => ({ ...n, state: 'deleted' })),
        ...jobIn(['subnet-a']),
      });
      expect(egress).toMatchObject({ has: false, via: 'NAT gateway nat-1 is deleted' });
    });

    it('when the NAT gateway is private (no public IPv4 for the internet gateway)', () => {
      const base = privateVpc({ a: [natRoute] });
      const egress = egressOf({
        ...base,
        natGateways: base.natGateways?.map((n) => ({ ...n, connectivityType: 'private', publicIps: [] })),
        ...jobIn(['subnet-a']),
      });
      expect(egress.has).toBe(false);
      expect(egress.via).toContain('drops traffic from private NAT gateway nat-1');
    });

    it('when its security groups allow no outbound tcp/443 to the internet', () => {
      const egress = egressOf({
        ...privateVpc({ a: [natRoute] }),
        securityGroups: [
          {
            ...mlGroup(),
            rules: [
              { egress: true, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/16' },
              { egress: true, ipProtocol: 'tcp', fromPort: 80, toPort: 80, cidrIpv4: '0.0.0.0/0' },
            ],
          },
        ],
        ...jobIn(['subnet-a']),
      });
      expect(egress).toMatchObject({
        has: false,
        via: 'security groups sg-ml allow no tcp/443 to the internet',
      });
    });

    it('when the NACL allows no outbound tcp/443', () => {
      const egress = egressOf({
        ...privateVpc({ a: [natRoute] }),
        networkAcls: [
          nacl(
            'acl-a',
            [entry(100, 'allow', '6', '0.0.0.0/0', [80, 80], true), entry(100, 'allow', '-1', '0.0.0.0/0')],
            { associatedSubnetIds: ['subnet-a'] },
          ),
        ],
        ...jobIn(['subnet-a']),
      });
      expect(egress).toMatchObject({
        has: false,
        via: 'NACL acl-a of subnet-a allows no outbound tcp/443 to the internet',
      });
    });

    it('when the NACL blocks only the return traffic (ephemeral ports), naming the NACL', () => {
      const egress = egressOf({
        ...privateVpc({ a: [natRoute] }),
        networkAcls: [
          nacl(
            'acl-a',
            [
              entry(100, 'allow', '-1', '0.0.0.0/0', undefined, true),
              entry(100, 'allow', '6', '0.0.0.0/0', [22, 22]),
            ],
            { associatedSubnetIds: ['subnet-a'] },
          ),
        ],
        ...jobIn(['subnet-a']),
      });
      expect(egress.has).toBe(false);
      expect(egress.via).toContain('NACL acl-a blocks the return traffic');
      expect(egress.evidence.blocked[0]?.reason).toBe('nacl-return');
    });

    it("never uses another VPC's main table", () => {
      // Prepare: vpc-1's main table has a NAT route; subnet-x of vpc-2 falls back to vpc-2's main table.
      const fill: Partial<RegionInventory> = {
        ...privateVpc({ main: [natRoute] }),
        vpcs: [vpc(), vpc('vpc-2', ['10.2.0.0/16'])],
        subnets: [subnet('subnet-x', 'vpc-2', 'us-east-1a', { cidrBlock: '10.2.0.0/24' })],
        routeTables: [
          routeTable('rtb-main', { main: true, routes: [natRoute] }),
          routeTable('rtb-main-2', { vpcId: 'vpc-2', main: true }),
        ],
        securityGroups: [mlGroup('sg-ml', 'vpc-2')],
        ...jobIn(['subnet-x']),
      };
      expect(egressOf(fill)).toMatchObject({ has: false, via: 'no route to the internet in rtb-main-2' });
    });

    it('for an isolated job in a private subnet (the S3 data path has no internet either)', () => {
      const egress = egressOf({ ...privateVpc(), ...jobIn(['subnet-a'], { enableNetworkIsolation: true }) });
      expect(egress.has).toBe(false);
    });
  });
});
