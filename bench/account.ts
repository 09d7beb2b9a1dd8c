/**
 * The synthetic account of the benchmark (bench/reach-scale.ts) and of the test that pins its findings
 * (test/unit/analyze/bench-account.test.ts): per 1x, 50 VPCs, 500 subnets, 5,000 security groups with
 * 50,000 rules, 500 NACLs, 2,000 ML placements and 20 firewalls with 200 domain-list entries; `scale`
 * multiplies every count. Deterministic: a seeded generator, the same account for the same scale.
 */
import type {
  Inventory,
  NetworkAclEntry,
  RegionInventory,
  RouteTable,
  SecurityGroupRule,
} from '../src/inventory/schema.ts';
import { emptyRegionInventory } from '../src/inventory/schema.ts';

function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

/** The account at `scale` (1 = the sizes above). */
export function syntheticScope(scale: number): RegionInventory {
  const r = rng(7);
  const int = (n: number) => Math.floor(r() * n);
  const s = emptyRegionInventory(ACCOUNT, REGION);
  const vpcs = 50 * scale;
  const fwEvery = 50 / 20; // 20 firewalls per 50 VPCs
  let fwCount = 0;
  for (let v = 0; v < vpcs; v++) {
    const vpcId = `vpc-${v}`;
    const base = `10.${v % 256}`;
    s.vpcs.push({ vpcId, isDefault: false, cidrBlocks: [`${base}.0.0/16`], ipv6CidrBlocks: [] });
    const igw = `igw-${v}`;
    s.internetGateways.push({ internetGatewayId: igw, attachedVpcIds: [vpcId] });
    const sub = (i: number) => `subnet-${v}-${i}`;
    for (let i = 0; i < 10; i++) {
      s.subnets.push({
        subnetId: sub(i),
        vpcId,
        availabilityZone: 'us-east-1a',
        cidrBlock: `${base}.${i}.0/24`,
        ipv6CidrBlocks: [],
        mapPublicIpOnLaunch: i === 9,
        assignIpv6AddressOnCreation: false,
        defaultForAz: false,
      });
    }
    const nat = `nat-${v}`;
    s.natGateways.push({
      natGatewayId: nat,
      vpcId,
      subnetId: sub(0),
      state: 'available',
      publicIps: [`198.51.${v % 256}.1`],
      privateIps: [`${base}.0.10`],
    });
    const hasFw = Math.floor(v / fwEvery) >= fwCount && fwCount < 20 * scale;
    const local = {
      destinationCidrBlock: `${base}.0.0/16`,
      target: { kind: 'local' as const, id: 'local' },
      state: 'active',
    };
    const rt = (id: string, routes: RouteTable['routes'], assoc: RouteTable['associations']): RouteTable => ({
      routeTableId: id,
      vpcId,
      routes: [local, ...routes],
      associations: assoc,
    });
    const fwEndpoint = `vpce-fw-${v}`;
    s.routeTables.push(rt(`rtb-main-${v}`, [], [{ main: true }]));
    s.routeTables.push(
      rt(
        `rtb-nat-${v}`,
        [
          {
            destinationCidrBlock: '0.0.0.0/0',
            target: hasFw ? { kind: 'vpcEndpoint', id: fwEndpoint } : { kind: 'internetGateway', id: igw },
            state: 'active',
          },
        ],
        [{ main: false, subnetId: sub(0) }],
      ),
    );
    s.routeTables.push(
      rt(
        `rtb-fw-${v}`,
        [
          {
            destinationCidrBlock: '0.0.0.0/0',
            target: { kind: 'internetGateway', id: igw },
            state: 'active',
          },
        ],
        [{ main: false, subnetId: sub(1) }],
      ),
    );
    s.routeTables.push(
      rt(
        `rtb-priv-${v}`,
        [
          { destinationCidrBlock: '0.0.0.0/0', target: { kind: 'natGateway', id: nat }, state: 'active' },
          {
            destinationPrefixListId: 'pl-63a5400a',
            target: { kind: 'vpcEndpoint', id: `vpce-s3-${v}` },
            state: 'active',
          },
        ],
        [2, 3, 4, 5, 6, 7].map((i) => ({ main: false, subnetId: sub(i) })),
      ),
    );
    s.routeTables.push(
      rt(
        `rtb-pub-${v}`,
        [
          {
            destinationCidrBlock: '0.0.0.0/0',
            target: { kind: 'internetGateway', id: igw },
            state: 'active',
          },
        ],
        [{ main: false, subnetId: sub(9) }],
      ),
    );
    if (hasFw) {
      s.routeTables.push(
        rt(
          `rtb-edge-${v}`,
          [
            {
              destinationCidrBlock: `${base}.0.0/24`,
              target: { kind: 'vpcEndpoint', id: fwEndpoint },
              state: 'active',
            },
          ],
          [{ main: false, gatewayId: igw }],
        ),
      );
      const name = `fw-${fwCount}`;
      const groupArn = `arn:aws:network-firewall:${REGION}:${ACCOUNT}:stateful-rulegroup/allow-${fwCount}`;
      const policyArn = `arn:aws:network-firewall:${REGION}:${ACCOUNT}:firewall-policy/p-${fwCount}`;
      s.ruleGroups.push({
        ruleGroupArn: groupArn,
        ruleGroupName: `allow-${fwCount}`,
        type: 'STATEFUL',
        ruleOrder: fwCount % 2 ? 'STRICT_ORDER' : 'DEFAULT_ACTION_ORDER',
        ipSets: {},
        portSets: {},
        rulesSourceList: {
          targets: Array.from({ length: 10 }, (_, i) => `.d${i}-${fwCount}.example.com`),
          targetTypes: ['HTTP_HOST', 'TLS_SNI'],
          generatedRulesType: 'ALLOWLIST',
        },
      });
      s.firewallPolicies.push({
        firewallPolicyArn: policyArn,
        firewallPolicyName: `p-${fwCount}`,
        statelessDefaultActions: ['aws:forward_to_sfe'],
        statelessFragmentDefaultActions: ['aws:forward_to_sfe'],
        statelessRuleGroupReferences: [],
        statefulRuleGroupReferences: [{ resourceArn: groupArn, ...(fwCount % 2 ? { priority: 10 } : {}) }],
        ...(fwCount % 2
          ? { ruleOrder: 'STRICT_ORDER', statefulDefaultActions: ['aws:drop_established'] }
          : { statefulDefaultActions: [] }),
        ruleVariables: {},
      });
      s.firewalls.push({
        firewallName: name,
        firewallArn: `arn:aws:network-firewall:${REGION}:${ACCOUNT}:firewall/${name}`,
        vpcId,
        subnetMappings: [{ subnetId: sub(1) }],
        firewallPolicyArn: policyArn,
        deleteProtection: true,
        subnetChangeProtection: true,
        firewallPolicyChangeProtection: true,
        endpoints: [
          { availabilityZone: 'us-east-1a', subnetId: sub(1), endpointId: fwEndpoint, status: 'READY' },
        ],
        logging: { destinations: [{ logType: 'ALERT', logDestinationType: 'CloudWatchLogs' }] },
      });
      fwCount++;
    }
    s.vpcEndpoints.push({
      vpcEndpointId: `vpce-s3-${v}`,
      vpcId,
      serviceName: `com.amazonaws.${REGION}.s3`,
      vpcEndpointType: 'Gateway',
      state: 'available',
      subnetIds: [],
      groupIds: [],
      privateDnsEnabled: false,
      routeTableIds: [`rtb-priv-${v}`],
      networkInterfaceIds: [],
    });
    // 100 groups x 10 rules per VPC.
    for (let g = 0; g < 100; g++) {
      const rules: SecurityGroupRule[] = [];
      for (let k = 0; k < 10; k++) {
        const port = [22, 80, 443, 8888, 6006, 5432, 1024 + int(60000)][int(7)] as number;
        const x = r();
        rules.push({
          egress: k >= 7,
          ipProtocol: x < 0.1 ? '-1' : x < 0.85 ? 'tcp' : 'udp',
          ...(x < 0.1 ? {} : { fromPort: port, toPort: port }),
          ...(r() < 0.2
            ? { cidrIpv4: '0.0.0.0/0' }
            : r() < 0.5
              ? { cidrIpv4: `${base}.${int(256)}.0/24` }
              : { cidrIpv4: `${1 + int(222)}.${int(256)}.${int(256)}.0/24` }),
        });
      }
      s.securityGroups.push({ groupId: `sg-${v}-${g}`, groupName: `g${g}`, vpcId, rules });
    }
    for (let i = 0; i < 10; i++) {
      const entries: NetworkAclEntry[] = [];
      for (let e = 0; e < 5; e++) {
        entries.push({
          ruleNumber: 100 + e * 10,
          egress: false,
          protocol: '6',
          ruleAction: e === 0 ? 'deny' : 'allow',
          cidrBlock: e === 0 ? `${1 + int(222)}.0.0.0/8` : '0.0.0.0/0',
          portRange: {
            from: [22, 443, 1024, 8888, 80][e] as number,
            to: [22, 443, 65535, 8888, 80][e] as number,
          },
        });
        entries.push({
          ruleNumber: 100 + e * 10,
          egress: true,
          protocol: e === 4 ? '-1' : '6',
          ruleAction: 'allow',
          cidrBlock: '0.0.0.0/0',
          ...(e === 4
            ? {}
            : {
                portRange: { from: [443, 80, 1024, 22][e] as number, to: [443, 80, 65535, 22][e] as number },
              }),
        });
      }
      s.networkAcls.push({
        networkAclId: `acl-${v}-${i}`,
        vpcId,
        isDefault: false,
        entries,
        associatedSubnetIds: [sub(i)],
      });
    }
    // 40 ML placements per VPC.
    for (let m = 0; m < 40; m++) {
      const subnetId = sub(2 + (m % 8));
      const groups = [`sg-${v}-${int(100)}`, `sg-${v}-${int(100)}`];
      const k = m % 4;
      if (k === 0)
        s.notebookInstances.push({
          notebookInstanceName: `nb-${v}-${m}`,
          directInternetAccess: m % 8 ? 'Disabled' : 'Enabled',
          subnetId,
          securityGroups: groups,
        });
      else if (k === 1)
        s.trainingJobs.push({
          trainingJobName: `tj-${v}-${m}`,
          vpcConfig: { subnets: [subnetId], securityGroupIds: groups },
          enableNetworkIsolation: m % 3 === 0,
          enableInterContainerTrafficEncryption: true,
          instanceCount: 2,
        });
      else if (k === 2)
        s.processingJobs.push({
          processingJobName: `pj-${v}-${m}`,
          vpcConfig: { subnets: [subnetId], securityGroupIds: groups },
          enableNetworkIsolation: false,
          enableInterContainerTrafficEncryption: true,
          instanceCount: 1,
        });
      else
        s.models.push({
          modelName: `m-${v}-${m}`,
          vpcConfig: { subnets: [subnetId], securityGroupIds: groups },
          enableNetworkIsolation: false,
          imageUris: [],
        });
    }
  }
  return s;
}

/** An inventory of one scope, as the collector would write it. */
export function inventoryOf(scope: RegionInventory): Inventory {
  return {
    schemaVersion: 1,
    tool: { name: 'ml-network-audit', version: 'bench' },
    collectedAt: '2026-01-01T00:00:00.000Z',
    bounds: {
      regions: [REGION],
      jobWindowDays: 30,
      jobsCreatedAfter: '2025-12-01T00:00:00.000Z',
      maxJobsPerKind: 100000,
      jobsTruncated: {},
      describeConcurrency: 8,
      stoppedEarly: false,
    },
    regions: [scope],
  };
}

/** The bench account at `scale` as an inventory. */
export function benchInventory(scale: number): Inventory {
  return inventoryOf(syntheticScope(scale));
}
