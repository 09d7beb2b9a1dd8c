import { describe, expect, it } from 'vitest';
import {
  exposureLine,
  type ResourceExposure,
  scopeExposure,
} from '../../../../src/analyze/paths/exposure.ts';
import type { RegionInventory, VpcEndpoint } from '../../../../src/inventory/schema.ts';
import { entry, nacl } from '../../../fixtures/inventory.ts';
import { route } from '../../../fixtures/network.ts';
import {
  edgeRouteMissing,
  natBypassesFirewall,
  PUBLIC,
  publicNotebook,
  REF,
  referenceArchitecture,
  smallVpc,
  strictDropEstablished,
} from '../../../fixtures/reachability.ts';

const ALL = [{ protocol: 'all', ports: 'all' }];
const DOMAINS = ['.kaggle.com', '.amazonaws.com'];
/** The allowlist filters HTTP on tcp/80 and TLS on tcp/443; what else uses those ports passes (action order) or drops (strict). */
const filtered = (otherTrafficOnPort: 'pass' | 'drop') => [
  { appProtocol: 'http', protocol: 'tcp', ports: '80', domains: DOMAINS, otherTrafficOnPort },
  { appProtocol: 'tls', protocol: 'tcp', ports: '443', domains: DOMAINS, otherTrafficOnPort },
];
/** Everything but the domain-filtered ports. */
const ALL_BUT_WEB = [
  { protocol: 'all', ports: 'all', except: ['tcp'] },
  { protocol: 'tcp', ports: '0-79, 81-442, 444-65535' },
];

/** Outbound tcp/443 to the world: the ML group of many cases. */
const TCP443_OUT = [{ egress: true, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }];

/** A gateway endpoint associated with the route table that routes to `routedBy` (default: itself). */
function gatewayOn(
  s: RegionInventory,
  id: string,
  service: string,
  policyDocument?: string,
  routedBy = id,
): VpcEndpoint {
  const rt = s.routeTables.find((t) => t.routes.some((r) => r.target.id === routedBy));
  return {
    vpcEndpointId: id,
    vpcId: 'vpc-1',
    serviceName: `com.amazonaws.us-east-1.${service}`,
    vpcEndpointType: 'Gateway',
    state: 'available',
    subnetIds: [],
    groupIds: [],
    privateDnsEnabled: false,
    routeTableIds: rt ? [rt.routeTableId] : [],
    networkInterfaceIds: [],
    ...(policyDocument ? { policyDocument } : {}),
  };
}

/** The exposure of one resource without hop texts, steps and the names beside their ids (asserted separately). */
function brief(e: ResourceExposure | undefined) {
  if (!e) return undefined;
  return {
    id: e.resource.id,
    mode: e.mode,
    inbound: e.inbound.fromInternet,
    inboundEntries: e.inbound.paths.map((p) => p.entry),
    outbound: e.outbound.toInternet,
    inspection: e.outbound.inspection,
    allowedDomains: e.outbound.allowedDomains,
    paths: e.outbound.paths.map(({ hops: _hops, steps: _steps, names: _names, ...rest }) => rest),
    awsApis: e.awsApis,
    blocked: e.blocked.map((b) => ({ reason: b.reason, ports: b.ports })),
  };
}

const exposureOf = (scope: RegionInventory, id: string) =>
  brief(scopeExposure(scope).find((e) => e.resource.id === id));

describe('reachability: the seeds reference architecture', () => {
  it('finds tcp/443 and tcp/80 filtered to the listed domains, every other protocol passing, no inbound path', () => {
    // Act
    const exposure = exposureOf(referenceArchitecture(), REF.domain);
    // Assess
    expect(exposure).toEqual({
      id: REF.domain,
      mode: 'vpc',
      inbound: [],
      inboundEntries: [],
      outbound: ALL,
      inspection: 'all',
      allowedDomains: ['.amazonaws.com', '.kaggle.com'],
      paths: [
        {
          subnetId: REF.studioSubnet,
          exit: 'internet',
          exitId: REF.igw,
          ports: ALL,
          inspected: true,
          firewalls: [REF.firewall],
          domainFiltered: filtered('pass'),
          unfiltered: ALL_BUT_WEB,
        },
      ],
      awsApis: {
        private: ['s3'],
        viaInternet: true,
        endpoints: [
          {
            service: 's3',
            endpointId: 'vpce-0s3gateway000001',
            type: 'Gateway',
            privateDns: true,
            policy: 'full',
            policySummary: 'no policy: AWS default, full access',
          },
        ],
      },
      blocked: [],
    });
  });

  it('explains the path hop by hop: ENI, NAT, firewall endpoint and policy, IGW', async () => {
    // Act
    const [exposure] = scopeExposure(referenceArchitecture());
    // Assess
    expect(exposure?.outbound.paths[0]?.hops).toEqual([
      `ENI (sg-0studio0000000001) in ${REF.studioSubnet}, no public IPv4`,
      'security groups sg-0studio0000000001 allow out: all traffic',
      `in ${REF.studioSubnet} route 0.0.0.0/0 to ${REF.nat} (rtb-0studio00000000001)`,
      `NAT gateway ${REF.nat} in ${REF.natSubnet} rewrites the source to 198.51.100.20`,
      `in ${REF.natSubnet} route 0.0.0.0/0 to ${REF.firewallEndpoint} (rtb-0nat0000000000001)`,
      `firewall ${REF.firewall} endpoint ${REF.firewallEndpoint}: policy ${REF.policy} (action order) passes all traffic; tls only to .kaggle.com, .amazonaws.com; http only to .kaggle.com, .amazonaws.com; unmatched: DEFAULT_ACTION_ORDER (no default action: unmatched traffic passes)`,
      `in ${REF.firewallSubnet} route 0.0.0.0/0 to ${REF.igw} (rtb-0firewall00000001)`,
      `internet gateway ${REF.igw}, then the internet`,
    ]);
    expect(exposure?.outbound.paths[0]?.names).toEqual({ 'sg-0studio0000000001': 'sagemaker-studio' });
    await expect(JSON.stringify(scopeExposure(referenceArchitecture()), null, 2)).toMatchFileSnapshot(
      '__snapshots__/reference-architecture.exposure.json',
    );
  });

  it('finds the firewall bypassed when the NAT subnet routes straight to the IGW', () => {
    // Act
    const exposure = exposureOf(natBypassesFirewall(), REF.domain);
    // Assess
    expect(exposure?.inspection).toBe('none');
    expect(exposure?.outbound).toEqual(ALL);
    expect(exposure?.paths).toEqual([
      {
        subnetId: REF.studioSubnet,
        exit: 'internet',
        exitId: REF.igw,
        ports: ALL,
        inspected: false,
        firewalls: [],
        domainFiltered: [],
        unfiltered: ALL,
        asymmetricReturn: `return traffic for ${REF.natSubnet} crosses firewall ${REF.firewall} that the outbound path does not`,
      },
    ]);
  });

  it('finds the return path asymmetric when the IGW edge route is missing', () => {
    // Act
    const exposure = exposureOf(edgeRouteMissing(), REF.domain);
    // Assess
    expect(exposure?.inspection).toBe('all');
    expect(exposure?.paths[0]?.asymmetricReturn).toBe(
      `${REF.igw} has no edge route table: return traffic for ${REF.natSubnet} bypasses firewall ${REF.firewall}`,
    );
  });

  it('closes the protocol gap with strict order and aws:drop_established: only http/tls to the domains leave', () => {
    // Act
    const exposure = exposureOf(strictDropEstablished(), REF.domain);
    // Assess
    expect(exposure?.outbound).toEqual([{ protocol: 'tcp', ports: '80, 443' }]);
    expect(exposure?.paths).toEqual([
      {
        subnetId: REF.studioSubnet,
        exit: 'internet',
        exitId: REF.igw,
        ports: [{ protocol: 'tcp', ports: '80, 443' }],
        inspected: true,
        firewalls: [REF.firewall],
        domainFiltered: filtered('drop'),
        unfiltered: [],
      },
    ]);
  });

  it('finds a notebook in a public subnet with a public IP reachable on tcp/8888 and egress uninspected', () => {
    // Act
    const exposure = exposureOf(publicNotebook(), PUBLIC.notebook);
    // Assess
    expect(exposure).toEqual({
      id: PUBLIC.notebook,
      mode: 'vpc',
      inbound: [{ protocol: 'tcp', ports: '8888' }],
      inboundEntries: [REF.igw],
      outbound: ALL,
      inspection: 'none',
      allowedDomains: [],
      paths: [
        {
          subnetId: PUBLIC.subnet,
          exit: 'internet',
          exitId: REF.igw,
          ports: ALL,
          inspected: false,
          firewalls: [],
          domainFiltered: [],
          unfiltered: ALL,
        },
      ],
      awsApis: { private: [], viaInternet: true, endpoints: [] },
      blocked: [],
    });
  });
});

describe('reachability: the path engine', () => {
  it('names a blackholed default route as the blocked hop and finds no egress', () => {
    // Prepare
    const s = smallVpc({ routes: [route('0.0.0.0/0', 'nat-gone', 'blackhole')] });
    // Act
    const e = exposureOf(s, 'nb-1');
    // Assess
    expect(e?.outbound).toEqual([]);
    expect(e?.inspection).toBe('n/a');
    expect(e?.blocked).toEqual([{ reason: 'blackhole', ports: ALL }]);
  });

  it('uses the longest prefix: a /1 to a blackhole beats 0.0.0.0/0 to the NAT for half the internet', () => {
    // Prepare
    const s = smallVpc({
      routes: [route('0.0.0.0/0', 'nat-1'), route('128.0.0.0/1', 'nat-gone', 'blackhole')],
    });
    // Act
    const [e] = scopeExposure(s);
    // Assess
    expect(e?.outbound.paths).toHaveLength(1);
    expect(e?.blocked.map((b) => b.reason)).toEqual(['blackhole']);
  });

  it('names the NACL when it blocks only the return traffic of tcp/443 egress', () => {
    // Prepare
    const s = smallVpc({
      routes: [route('0.0.0.0/0', 'nat-1')],
      sgRules: TCP443_OUT,
      fill: {
        networkAcls: [
          nacl('acl-1', [
            entry(100, 'allow', '6', '0.0.0.0/0', [443, 443], true),
            entry(100, 'allow', '6', '10.0.0.0/8', [1024, 65535]),
          ]),
        ],
      },
    });
    // Act
    const e = exposureOf(s, 'nb-1');
    // Assess
    expect(e?.outbound).toEqual([]);
    expect(e?.blocked).toEqual([{ reason: 'nacl-return', ports: [{ protocol: 'tcp', ports: '443' }] }]);
  });

  it('drops IPv4 at the internet gateway without a public address, and lets global IPv6 through', () => {
    // Prepare
    const s = smallVpc({
      routes: [route('0.0.0.0/0', 'igw-1'), route('::/0', 'igw-1')],
      subnet: { ipv6CidrBlocks: ['2600:1f18::/64'], assignIpv6AddressOnCreation: true },
      sgRules: [
        { egress: true, ipProtocol: '-1', cidrIpv6: '::/0' },
        { egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
      ],
    });
    // Act
    const [e] = scopeExposure(s);
    // Assess
    expect(e?.blocked.map((b) => b.reason)).toEqual(['no-public-ip']);
    expect(e?.outbound.paths).toHaveLength(1);
    expect(e?.outbound.paths[0]?.exitId).toBe('igw-1');
  });

  it('carries only outbound IPv6 through an egress-only internet gateway and admits nothing inbound', () => {
    // Prepare
    const s = smallVpc({
      routes: [route('::/0', 'eigw-1'), route('0.0.0.0/0', 'nat-1')],
      subnet: { ipv6CidrBlocks: ['2600:1f18::/64'], assignIpv6AddressOnCreation: true },
      sgRules: [
        { egress: true, ipProtocol: '-1', cidrIpv6: '::/0' },
        { egress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '::/0' },
      ],
    });
    // Act
    const e = exposureOf(s, 'nb-1');
    // Assess
    expect(e?.inbound).toEqual([]);
    expect(e?.paths.map((p) => p.exitId)).toEqual(['eigw-1']);
  });

  it('drops internet-bound traffic routed to a VPC peering connection and names the route (no edge-to-edge routing)', () => {
    // Prepare
    const s = smallVpc({ routes: [route('0.0.0.0/0', 'pcx-1')] });
    // Act
    const [e] = scopeExposure(s);
    // Assess
    expect(e?.outbound.paths).toEqual([]);
    expect(e?.blocked).toEqual([
      expect.objectContaining({
        reason: 'peering-no-transit',
        at: expect.stringContaining('route 0.0.0.0/0 to pcx-1'),
      }),
    ]);
  });

  it('treats a transit gateway as an exit to a network not modelled (egress not ruled out)', () => {
    // Prepare
    const s = smallVpc({ routes: [route('0.0.0.0/0', 'tgw-1')] });
    // Act
    const e = exposureOf(s, 'nb-1');
    // Assess
    expect(e?.paths.map((p) => [p.exit, p.exitId, p.inspected])).toEqual([['other', 'tgw-1', false]]);
  });

  it('treats a vpce- target that is no known endpoint as an unknown appliance exit', () => {
    // Prepare
    const s = smallVpc({ routes: [route('0.0.0.0/0', 'vpce-0unknown')] });
    // Act
    const e = exposureOf(s, 'nb-1');
    // Assess
    expect(e?.paths.map((p) => [p.exit, p.exitId, p.inspected])).toEqual([
      ['appliance', 'vpce-0unknown', false],
    ]);
  });

  it('gives a DirectInternetAccess notebook egress through SageMaker whatever its subnet, and an isolated job none', () => {
    // Prepare
    const s = smallVpc({
      routes: [],
      notebook: { directInternetAccess: 'Enabled' },
      fill: {
        trainingJobs: [
          {
            trainingJobName: 'train-1',
            vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-nb'] },
            enableNetworkIsolation: true,
            enableInterContainerTrafficEncryption: false,
            instanceCount: 1,
          },
        ],
      },
    });
    // Act
    const nb = exposureOf(s, 'nb-1');
    const job = exposureOf(s, 'train-1');
    // Assess
    expect(nb?.paths.map((p) => [p.exit, p.inspected])).toEqual([['sagemaker', false]]);
    expect(job?.mode).toBe('isolated');
    expect(job?.outbound).toEqual([]);
  });

  it('passes nothing through a private NAT gateway to the internet gateway', () => {
    // Prepare
    const s = smallVpc({ routes: [route('0.0.0.0/0', 'nat-1')] });
    const nat = s.natGateways[0];
    if (nat) nat.connectivityType = 'private';
    // Act
    const e = exposureOf(s, 'nb-1');
    // Assess
    expect(e?.outbound).toEqual([]);
    expect(e?.blocked.map((b) => b.reason)).toEqual(['no-public-ip']);
  });

  it('carries each private API path with its endpoint policy, and leaves out an endpoint whose policy allows nothing', () => {
    // Prepare: an S3 gateway endpoint on the notebook's table (AWS default policy) and an STS one
    // whose policy has no Allow statement.
    const s = smallVpc({
      routes: [route('pl-s3', 'vpce-s3')],
      sgRules: TCP443_OUT,
    });
    s.vpcEndpoints.push(
      gatewayOn(s, 'vpce-s3', 's3'),
      gatewayOn(s, 'vpce-ddb', 'dynamodb', '{"Statement":[]}', 'vpce-s3'),
    );
    // Act
    const [e] = scopeExposure(s);
    // Assess
    expect(e?.awsApis.private).toEqual(['s3']);
    expect(e?.awsApis.endpoints.map((a) => [a.service, a.policy, a.policySummary])).toEqual([
      ['dynamodb', 'deny-all', 'no Allow statement: nothing passes'],
      ['s3', 'full', 'no policy: AWS default, full access'],
    ]);
    expect(e && exposureLine(e)).toContain('private APIs: s3 [full]');
  });

  it('does not credit an S3 gateway endpoint to groups whose tcp/443 reaches only private space', () => {
    // Prepare
    const s = smallVpc({
      routes: [route('pl-s3', 'vpce-s3')],
      sgRules: [{ egress: true, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.2.0.0/16' }],
    });
    s.vpcEndpoints.push(gatewayOn(s, 'vpce-s3', 's3'));
    // Act
    const [e] = scopeExposure(s);
    // Assess
    expect(e?.awsApis.private).toEqual([]);
  });

  describe("the NAT subnet's NACL on its private leg", () => {
    const natAcl = (...entries: ReturnType<typeof entry>[]) =>
      nacl('acl-nat', entries, { associatedSubnetIds: ['subnet-nat'] });

    it('blocks and names the NACL when its inbound rules admit only return ports, not tcp/443 from the ML subnet', () => {
      // Prepare: inbound only 1024-65535 (a common "return traffic" rule), outbound all.
      const s = smallVpc({
        routes: [route('0.0.0.0/0', 'nat-1')],
        sgRules: TCP443_OUT,
        fill: {
          networkAcls: [
            natAcl(
              entry(100, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
              entry(100, 'allow', '-1', '0.0.0.0/0', undefined, true),
            ),
          ],
        },
      });
      // Act
      const [e] = scopeExposure(s);
      // Assess
      expect(e?.outbound.paths).toEqual([]);
      expect(e?.blocked).toEqual([
        expect.objectContaining({
          reason: 'nacl-inbound',
          ports: [{ protocol: 'tcp', ports: '443' }],
          at: expect.stringMatching(
            /^NACL acl-nat of NAT subnet subnet-nat does not admit .*tcp 0-1023 from subnet-1 \(inbound rules\)$/,
          ),
        }),
      ]);
    });

    it('blocks the return when its outbound rules do not reach the ML subnet on ephemeral ports', () => {
      // Prepare: inbound all; outbound only to the internet side (deny 10.0.0.0/16 first).
      const s = smallVpc({
        routes: [route('0.0.0.0/0', 'nat-1')],
        sgRules: TCP443_OUT,
        fill: {
          networkAcls: [
            natAcl(
              entry(100, 'allow', '-1', '0.0.0.0/0'),
              entry(90, 'deny', '-1', '10.0.0.0/16', undefined, true),
              entry(100, 'allow', '-1', '0.0.0.0/0', undefined, true),
            ),
          ],
        },
      });
      // Act
      const [e] = scopeExposure(s);
      // Assess
      expect(e?.outbound.paths).toEqual([]);
      expect(e?.blocked.map((b) => b.reason)).toEqual(['nacl-return']);
    });

    it('lets tcp/443 through a NACL that admits it from the VPC and returns ephemeral ports to it', () => {
      // Prepare
      const s = smallVpc({
        routes: [route('0.0.0.0/0', 'nat-1')],
        sgRules: TCP443_OUT,
        fill: {
          networkAcls: [
            natAcl(
              entry(100, 'allow', '6', '10.0.0.0/16', [443, 443]),
              entry(110, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
              entry(100, 'allow', '6', '0.0.0.0/0', [443, 443], true),
              entry(110, 'allow', '6', '10.0.0.0/16', [1024, 65535], true),
            ),
          ],
        },
      });
      // Act
      const [e] = scopeExposure(s);
      // Assess
      expect(e?.outbound.toInternet).toEqual([{ protocol: 'tcp', ports: '443' }]);
      expect(e?.blocked).toEqual([]);
    });
  });

  describe("a job's public address comes from its own ENI only", () => {
    const eni = (extra: object) => ({
      networkInterfaceId: 'eni-x',
      subnetId: 'subnet-1',
      vpcId: 'vpc-1',
      groupIds: ['sg-nb'],
      publicIp: '203.0.113.7',
      ipv6Addresses: [],
      requesterManaged: false,
      ...extra,
    });
    const jobIn = (enis: object[]) =>
      smallVpc({
        routes: [route('0.0.0.0/0', 'igw-1')],
        sgRules: [
          { egress: true, ipProtocol: '-1', cidrIpv4: '0.0.0.0/0' },
          { egress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' },
        ],
        fill: {
          notebookInstances: [],
          trainingJobs: [
            {
              trainingJobName: 'train-1',
              vpcConfig: { subnets: ['subnet-1'], securityGroupIds: ['sg-nb'] },
              enableNetworkIsolation: false,
              enableInterContainerTrafficEncryption: false,
              instanceCount: 1,
            },
          ],
          networkInterfaces: enis as never,
        },
      });

    it('is reachable on tcp/22 when a SageMaker (requester-managed) ENI with its groups has a public IP', () => {
      const e = exposureOf(jobIn([eni({ requesterManaged: true, requesterId: 'sagemaker' })]), 'train-1');
      expect(e?.inbound).toEqual([{ protocol: 'tcp', ports: '22' }]);
    });

    it.each([
      ['an EC2 instance that shares the group', { attachedInstanceId: 'i-1' }],
      [
        'a requester-managed ENI with other groups',
        { requesterManaged: true, groupIds: ['sg-nb', 'sg-other'] },
      ],
    ])('is not public because of %s', (_, extra) => {
      const e = exposureOf(jobIn([eni(extra)]), 'train-1');
      expect(e?.inbound).toEqual([]);
      expect(e?.blocked.map((b) => b.reason)).toEqual(['no-public-ip']);
    });
  });

  describe('a domain allowlist whose HOME_NET does not cover the NAT gateway', () => {
    const misHomed = (strict: boolean) => {
      const s = strict ? strictDropEstablished() : referenceArchitecture();
      for (const p of s.firewallPolicies) p.ruleVariables = { HOME_NET: ['10.99.0.0/16'] };
      return s;
    };

    it('filters nothing under action order: every protocol and port passes', () => {
      const e = exposureOf(misHomed(false), REF.domain);
      expect(e?.allowedDomains).toEqual([]);
      expect(e?.paths.map((p) => [p.domainFiltered, p.unfiltered])).toEqual([[[], ALL]]);
    });

    it('lets nothing out under strict order with aws:drop_established (the allowlist never passes it)', () => {
      const e = exposureOf(misHomed(true), REF.domain);
      expect(e?.outbound).toEqual([]);
    });
  });

  it('lets nothing out under strict order with aws:drop_strict and no rule passing the TCP handshake', () => {
    // Prepare: the strict variant, but drop_strict instead of drop_established.
    const s = strictDropEstablished();
    for (const p of s.firewallPolicies) p.statefulDefaultActions = ['aws:drop_strict'];
    // Act
    const e = exposureOf(s, REF.domain);
    // Assess
    expect(e?.outbound).toEqual([]);
    expect(e?.allowedDomains).toEqual([]);
  });

  it('names the NACL rule numbers that let the traffic out in the hops', () => {
    // Prepare
    const s = smallVpc({
      routes: [route('0.0.0.0/0', 'nat-1')],
      sgRules: TCP443_OUT,
      fill: {
        networkAcls: [
          nacl('acl-1', [
            entry(100, 'allow', '6', '0.0.0.0/0', [443, 443], true),
            entry(120, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
          ]),
        ],
      },
    });
    // Act
    const [e] = scopeExposure(s);
    // Assess
    expect(e?.outbound.paths[0]?.hops).toContain('NACL acl-1 of subnet-1 rule 100 allows out: tcp 443');
  });

  it('keeps traffic passed by a firewall endpoint whose subnet is unknown as an appliance exit, not a silent drop', () => {
    // Prepare
    const s = referenceArchitecture();
    for (const f of s.firewalls) f.endpoints = f.endpoints.map(({ subnetId: _s, ...rest }) => rest);
    // Act
    const e = exposureOf(s, REF.domain);
    // Assess
    expect(e?.paths.map((p) => [p.exit, p.exitId, p.inspected])).toEqual([
      ['appliance', REF.firewallEndpoint, true],
    ]);
  });
});
