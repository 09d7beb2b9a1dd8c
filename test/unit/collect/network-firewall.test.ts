import { Readable } from 'node:stream';
import {
  DescribeFirewallCommand,
  DescribeFirewallPolicyCommand,
  type DescribeFirewallResponse,
  DescribeLoggingConfigurationCommand,
  DescribeRuleGroupCommand,
  ListFirewallPoliciesCommand,
  ListFirewallsCommand,
  NetworkFirewallClient,
  type NetworkFirewallClientConfig,
} from '@aws-sdk/client-network-firewall';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CollectOptions } from '../../../src/collect/common.ts';
import { collectNetworkFirewall } from '../../../src/collect/network-firewall.ts';
import { RegionInventorySchema } from '../../../src/inventory/schema.ts';
import { hashTagValue } from '../../../src/inventory/tags.ts';
import {
  ACCOUNT,
  accessDenied,
  clientConfig as kitClientConfig,
  testContext,
  throttled,
  unparseable,
} from './kit.ts';

const TAG_SECRET = 'SENTINEL-nfw-tag-value-41d2';

const arn = (type: string, name: string) => `arn:aws:network-firewall:us-east-1:${ACCOUNT}:${type}/${name}`;
const FW_A = arn('firewall', 'fw-a');
const FW_B = arn('firewall', 'fw-b');
const POLICY = arn('firewall-policy', 'egress');
const STATELESS_GROUP = arn('stateless-rulegroup', 'drop-smb');
const DOMAIN_GROUP = arn('stateful-rulegroup', 'allow-domains');
const SURICATA_GROUP = arn('stateful-rulegroup', 'suricata');
const STANDARD_GROUP = arn('stateful-rulegroup', 'standard');

const clientConfig: NetworkFirewallClientConfig = kitClientConfig();

// The stub is on this instance only, so the retry test below can use a client of its own.
const nfw = new NetworkFirewallClient(clientConfig);
const nfwMock = mockClient(nfw);

function makeContext(options: Partial<CollectOptions> = {}) {
  return testContext({ now: () => new Date('2026-11-22T00:00:00Z'), ...options });
}

function firewallAnswer(name: string, policyArn = POLICY): DescribeFirewallResponse {
  return {
    UpdateToken: 'tok',
    Firewall: {
      FirewallName: name,
      FirewallArn: arn('firewall', name),
      FirewallId: `id-${name}`,
      FirewallPolicyArn: policyArn,
      VpcId: 'vpc-1',
      SubnetMappings: [{ SubnetId: 'subnet-fw-b', IPAddressType: 'IPV4' }, { SubnetId: 'subnet-fw-a' }],
      DeleteProtection: true,
      SubnetChangeProtection: false,
      FirewallPolicyChangeProtection: true,
      Description: 'egress inspection',
      Tags: [{ Key: 'team', Value: TAG_SECRET }],
    },
    FirewallStatus: {
      Status: 'READY',
      ConfigurationSyncStateSummary: 'IN_SYNC',
      SyncStates: {
        'us-east-1b': { Attachment: { SubnetId: 'subnet-fw-b', EndpointId: 'vpce-b', Status: 'READY' } },
        'us-east-1a': { Attachment: { SubnetId: 'subnet-fw-a', EndpointId: 'vpce-a', Status: 'READY' } },
      },
    },
  };
}

const policyAnswer = {
  UpdateToken: 'tok',
  FirewallPolicyResponse: {
    FirewallPolicyName: 'egress',
    FirewallPolicyArn: POLICY,
    FirewallPolicyId: 'pid',
    Tags: [{ Key: 'owner', Value: 'netsec' }],
  },
  FirewallPolicy: {
    StatelessDefaultActions: ['aws:forward_to_sfe'],
    StatelessFragmentDefaultActions: ['aws:drop'],
    StatelessRuleGroupReferences: [{ ResourceArn: STATELESS_GROUP, Priority: 10 }],
    StatefulRuleGroupReferences: [
      { ResourceArn: DOMAIN_GROUP, Priority: 1 },
      { ResourceArn: SURICATA_GROUP, Priority: 2, Override: { Action: 'DROP_TO_ALERT' as const } },
      { ResourceArn: STANDARD_GROUP, Priority: 3 },
    ],
    StatefulDefaultActions: ['aws:drop_established'],
    StatefulEngineOptions: { RuleOrder: 'STRICT_ORDER' as const, StreamExceptionPolicy: 'DROP' as const },
    PolicyVariables: { RuleVariables: { HOME_NET: { Definition: ['10.0.0.0/16', '10.1.0.0/16'] } } },
  },
};

function stubHappyPath() {
  nfwMock.on(ListFirewallsCommand).resolves({
    Firewalls: [{ FirewallName: 'fw-a', FirewallArn: FW_A }],
  });
  nfwMock.on(DescribeFirewallCommand).resolves(firewallAnswer('fw-a'));
  nfwMock.on(DescribeLoggingConfigurationCommand).resolves({
    FirewallArn: FW_A,
    LoggingConfiguration: {
      LogDestinationConfigs: [
        {
          LogType: 'ALERT',
          LogDestinationType: 'CloudWatchLogs',
          LogDestination: { logGroup: 'secret-log-group' },
        },
        { LogType: 'FLOW', LogDestinationType: 'S3', LogDestination: { bucketName: 'secret-bucket' } },
      ],
    },
  });
  nfwMock.on(DescribeFirewallPolicyCommand).resolves(policyAnswer);
  nfwMock.on(DescribeRuleGroupCommand, { RuleGroupArn: STATELESS_GROUP }).resolves({
    UpdateToken: 'tok',
    RuleGroupResponse: {
      RuleGroupArn: STATELESS_GROUP,
      RuleGroupName: 'drop-smb',
      RuleGroupId: 'g1',
      Type: 'STATELESS',
      Capacity: 100,
    },
    RuleGroup: {
      RulesSource: {
        StatelessRulesAndCustomActions: {
          StatelessRules: [
            {
              Priority: 5,
              RuleDefinition: {
                Actions: ['aws:drop', 'metric'],
                MatchAttributes: {
                  Sources: [{ AddressDefinition: '0.0.0.0/0' }],
                  Destinations: [{ AddressDefinition: '10.0.0.0/16' }],
                  SourcePorts: [{ FromPort: 0, ToPort: 65535 }],
                  DestinationPorts: [{ FromPort: 445, ToPort: 445 }],
                  Protocols: [6],
                  TCPFlags: [{ Flags: ['SYN'], Masks: ['SYN', 'ACK'] }, { Flags: ['FIN'] }],
                },
              },
            },
          ],
          CustomActions: [
            {
              ActionName: 'metric',
              ActionDefinition: { PublishMetricAction: { Dimensions: [{ Value: 'smb' }] } },
            },
          ],
        },
      },
    },
  });
  nfwMock.on(DescribeRuleGroupCommand, { RuleGroupArn: DOMAIN_GROUP }).resolves({
    UpdateToken: 'tok',
    RuleGroupResponse: {
      RuleGroupArn: DOMAIN_GROUP,
      RuleGroupName: 'allow-domains',
      RuleGroupId: 'g2',
      Type: 'STATEFUL',
      Capacity: 50,
      Tags: [
        { Key: 'team', Value: 'ml' },
        { Key: 'cost-center', Value: '' },
      ],
    },
    RuleGroup: {
      RuleVariables: { IPSets: { HOME_NET: { Definition: ['10.0.0.0/16'] } } },
      StatefulRuleOptions: { RuleOrder: 'STRICT_ORDER' },
      RulesSource: {
        RulesSourceList: {
          Targets: ['.amazonaws.com', 'pypi.org'],
          TargetTypes: ['TLS_SNI', 'HTTP_HOST'],
          GeneratedRulesType: 'ALLOWLIST',
        },
      },
    },
  });
  nfwMock.on(DescribeRuleGroupCommand, { RuleGroupArn: SURICATA_GROUP }).resolves({
    UpdateToken: 'tok',
    RuleGroupResponse: {
      RuleGroupArn: SURICATA_GROUP,
      RuleGroupName: 'suricata',
      RuleGroupId: 'g3',
      Type: 'STATEFUL',
    },
    RuleGroup: {
      RuleVariables: { PortSets: { SSH: { Definition: ['22'] } } },
      RulesSource: { RulesString: 'drop tcp $HOME_NET any -> $EXTERNAL_NET $SSH (msg:"ssh out"; sid:1;)' },
    },
  });
  nfwMock.on(DescribeRuleGroupCommand, { RuleGroupArn: STANDARD_GROUP }).resolves({
    UpdateToken: 'tok',
    RuleGroupResponse: {
      RuleGroupArn: STANDARD_GROUP,
      RuleGroupName: 'standard',
      RuleGroupId: 'g4',
      Type: 'STATEFUL',
    },
    RuleGroup: {
      RulesSource: {
        StatefulRules: [
          {
            Action: 'PASS',
            Header: {
              Protocol: 'TCP',
              Source: '$HOME_NET',
              SourcePort: 'ANY',
              Direction: 'FORWARD',
              Destination: 'ANY',
              DestinationPort: '443',
            },
            RuleOptions: [{ Keyword: 'sid', Settings: ['100'] }, { Keyword: 'flow' }],
          },
        ],
      },
    },
  });
}

describe('collectNetworkFirewall', () => {
  beforeEach(() => {
    nfwMock.reset();
  });

  it('normalizes a firewall with its endpoints, logging, policy, every kind of rule group and their tags', async () => {
    // Prepare
    stubHappyPath();
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
    expect(ctx.inventory.gaps).toEqual([]);
    expect(ctx.inventory.firewalls).toEqual([
      {
        firewallName: 'fw-a',
        firewallArn: FW_A,
        firewallId: 'id-fw-a',
        vpcId: 'vpc-1',
        subnetMappings: [{ subnetId: 'subnet-fw-b', ipAddressType: 'IPV4' }, { subnetId: 'subnet-fw-a' }],
        firewallPolicyArn: POLICY,
        deleteProtection: true,
        subnetChangeProtection: false,
        firewallPolicyChangeProtection: true,
        endpoints: [
          { availabilityZone: 'us-east-1a', subnetId: 'subnet-fw-a', endpointId: 'vpce-a', status: 'READY' },
          { availabilityZone: 'us-east-1b', subnetId: 'subnet-fw-b', endpointId: 'vpce-b', status: 'READY' },
        ],
        logging: {
          destinations: [
            { logType: 'ALERT', logDestinationType: 'CloudWatchLogs' },
            { logType: 'FLOW', logDestinationType: 'S3' },
          ],
        },
        tags: { team: hashTagValue(TAG_SECRET) },
      },
    ]);
    expect(ctx.inventory.firewallPolicies).toEqual([
      {
        firewallPolicyArn: POLICY,
        firewallPolicyName: 'egress',
        statelessDefaultActions: ['aws:forward_to_sfe'],
        statelessFragmentDefaultActions: ['aws:drop'],
        statelessRuleGroupReferences: [{ resourceArn: STATELESS_GROUP, priority: 10 }],
        statefulRuleGroupReferences: [
          { resourceArn: DOMAIN_GROUP, priority: 1 },
          { resourceArn: SURICATA_GROUP, priority: 2, override: 'DROP_TO_ALERT' },
          { resourceArn: STANDARD_GROUP, priority: 3 },
        ],
        ruleOrder: 'STRICT_ORDER',
        streamExceptionPolicy: 'DROP',
        statefulDefaultActions: ['aws:drop_established'],
        ruleVariables: { HOME_NET: ['10.0.0.0/16', '10.1.0.0/16'] },
        tags: { owner: hashTagValue('netsec') },
      },
    ]);
    expect(ctx.inventory.ruleGroups).toEqual([
      {
        ruleGroupArn: STATELESS_GROUP,
        ruleGroupName: 'drop-smb',
        type: 'STATELESS',
        capacity: 100,
        ipSets: {},
        portSets: {},
        statelessRules: [
          {
            priority: 5,
            actions: ['aws:drop', 'metric'],
            sources: ['0.0.0.0/0'],
            destinations: ['10.0.0.0/16'],
            sourcePorts: [{ from: 0, to: 65535 }],
            destinationPorts: [{ from: 445, to: 445 }],
            protocols: [6],
            tcpFlags: [
              { flags: ['SYN'], masks: ['SYN', 'ACK'] },
              { flags: ['FIN'], masks: [] },
            ],
          },
        ],
        statelessCustomActionNames: ['metric'],
        tags: {},
      },
      {
        ruleGroupArn: DOMAIN_GROUP,
        ruleGroupName: 'allow-domains',
        type: 'STATEFUL',
        capacity: 50,
        ruleOrder: 'STRICT_ORDER',
        ipSets: { HOME_NET: ['10.0.0.0/16'] },
        portSets: {},
        rulesSourceList: {
          targets: ['.amazonaws.com', 'pypi.org'],
          targetTypes: ['TLS_SNI', 'HTTP_HOST'],
          generatedRulesType: 'ALLOWLIST',
        },
        tags: { 'cost-center': hashTagValue(''), team: hashTagValue('ml') },
      },
      {
        ruleGroupArn: SURICATA_GROUP,
        ruleGroupName: 'suricata',
        type: 'STATEFUL',
        ipSets: {},
        portSets: { SSH: ['22'] },
        rulesString: 'drop tcp $HOME_NET any -> $EXTERNAL_NET $SSH (msg:"ssh out"; sid:1;)',
        tags: {},
      },
      {
        ruleGroupArn: STANDARD_GROUP,
        ruleGroupName: 'standard',
        type: 'STATEFUL',
        ipSets: {},
        portSets: {},
        statefulRules: [
          {
            action: 'PASS',
            protocol: 'TCP',
            source: '$HOME_NET',
            sourcePort: 'ANY',
            direction: 'FORWARD',
            destination: 'ANY',
            destinationPort: '443',
            ruleOptions: [
              { keyword: 'sid', settings: ['100'] },
              { keyword: 'flow', settings: [] },
            ],
          },
        ],
        tags: {},
      },
    ]);
    expect(JSON.stringify(ctx.inventory)).not.toMatch(/secret-(bucket|log-group)|egress inspection/);
    // Tag values are kept only as hashes.
    expect(JSON.stringify(ctx.inventory)).not.toContain(TAG_SECRET);
  });

  it('describes by ARN and reads only the policies firewalls use, each once', async () => {
    // Prepare
    stubHappyPath();
    nfwMock
      .on(ListFirewallsCommand)
      .resolvesOnce({ Firewalls: [{ FirewallName: 'fw-a', FirewallArn: FW_A }], NextToken: 'page-2' })
      .resolvesOnce({ Firewalls: [{ FirewallName: 'fw-b', FirewallArn: FW_B }] });
    nfwMock.on(DescribeFirewallCommand, { FirewallArn: FW_B }).resolves(firewallAnswer('fw-b'));
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(nfwMock).toHaveReceivedCommandTimes(ListFirewallsCommand, 2);
    expect(ctx.inventory.firewalls.map((f) => f.firewallName)).toEqual(['fw-a', 'fw-b']);
    expect(nfwMock).toHaveReceivedCommandWith(DescribeFirewallCommand, { FirewallArn: FW_A });
    expect(nfwMock).toHaveReceivedCommandWith(DescribeLoggingConfigurationCommand, { FirewallArn: FW_B });
    expect(nfwMock).toHaveReceivedCommandExactlyOnceWith(DescribeFirewallPolicyCommand, {
      FirewallPolicyArn: POLICY,
    });
    expect(nfwMock).toHaveReceivedCommandTimes(DescribeRuleGroupCommand, 4);
    expect(nfwMock).not.toHaveReceivedCommand(ListFirewallPoliciesCommand);
  });

  it('keeps the firewall and records a firewallPolicies gap naming the policy when it cannot be described', async () => {
    // Prepare: moto answers DescribeFirewallPolicy with an HTML page.
    stubHappyPath();
    nfwMock.on(DescribeFirewallPolicyCommand).rejects(unparseable());
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(ctx.inventory.firewalls).toHaveLength(1);
    expect(ctx.inventory.firewallPolicies).toEqual([]);
    expect(ctx.inventory.ruleGroups).toEqual([]);
    expect(ctx.inventory.gaps).toEqual([
      {
        service: 'network-firewall',
        operation: 'DescribeFirewallPolicy',
        kind: 'firewallPolicies',
        resourceId: POLICY,
        errorCode: 'UnparseableResponse',
        message: 'the service answered with something that is not a valid API response',
      },
      expect.objectContaining({
        kind: 'ruleGroups',
        resourceId: POLICY,
        errorCode: 'DependencyNotCollected',
      }),
    ]);
    expect(nfwMock).not.toHaveReceivedCommand(DescribeRuleGroupCommand);
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
  });

  it('leaves logging absent and records a firewallLogging gap when the logging configuration is denied', async () => {
    // Prepare
    stubHappyPath();
    nfwMock.on(DescribeLoggingConfigurationCommand).rejects(accessDenied());
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(ctx.inventory.firewalls[0]).toBeDefined();
    expect(ctx.inventory.firewalls[0]).not.toHaveProperty('logging');
    expect(ctx.inventory.gaps).toEqual([
      expect.objectContaining({
        operation: 'DescribeLoggingConfiguration',
        kind: 'firewallLogging',
        resourceId: FW_A,
        errorCode: 'AccessDeniedException',
      }),
    ]);
    expect(ctx.inventory.firewallPolicies).toHaveLength(1);
    expect(ctx.inventory.ruleGroups).toHaveLength(4);
  });

  it('records empty destinations for a firewall with no logging configured', async () => {
    // Prepare
    stubHappyPath();
    nfwMock.on(DescribeLoggingConfigurationCommand).resolves({ FirewallArn: FW_A });
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(ctx.inventory.firewalls[0]?.logging).toEqual({ destinations: [] });
  });

  it('records an access-denied ListFirewalls as a gap and the policies and rule groups as not collected', async () => {
    // Prepare
    nfwMock.on(ListFirewallsCommand).rejects(accessDenied());
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(ctx.inventory.firewalls).toEqual([]);
    expect(ctx.inventory.gaps.map((g) => [g.kind, g.operation, g.errorCode])).toEqual([
      ['firewalls', 'ListFirewalls', 'AccessDeniedException'],
      ['firewallPolicies', 'DescribeFirewallPolicy', 'DependencyNotCollected'],
      ['ruleGroups', 'DescribeRuleGroup', 'DependencyNotCollected'],
    ]);
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
  });

  it('leaves out a firewall that cannot be described and still collects the others', async () => {
    // Prepare
    stubHappyPath();
    nfwMock.on(ListFirewallsCommand).resolves({
      Firewalls: [
        { FirewallName: 'fw-a', FirewallArn: FW_A },
        { FirewallName: 'fw-b', FirewallArn: FW_B },
      ],
    });
    nfwMock.on(DescribeFirewallCommand, { FirewallArn: FW_B }).rejects(throttled());
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(ctx.inventory.firewalls.map((f) => f.firewallArn)).toEqual([FW_A]);
    expect(ctx.inventory.gaps.map((g) => [g.kind, g.resourceId, g.errorCode])).toEqual([
      ['firewalls', FW_B, 'ThrottlingException'],
      ['firewallPolicies', FW_B, 'DependencyNotCollected'],
      ['ruleGroups', FW_B, 'DependencyNotCollected'],
    ]);
    expect(nfwMock).not.toHaveReceivedCommandWith(DescribeLoggingConfigurationCommand, { FirewallArn: FW_B });
    expect(ctx.inventory.firewallPolicies).toHaveLength(1);
  });

  it('leaves out a rule group that cannot be described and records a gap naming it', async () => {
    // Prepare
    stubHappyPath();
    nfwMock.on(DescribeRuleGroupCommand, { RuleGroupArn: SURICATA_GROUP }).rejects(accessDenied());
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(ctx.inventory.ruleGroups.map((g) => g.ruleGroupName)).toEqual([
      'drop-smb',
      'allow-domains',
      'standard',
    ]);
    expect(ctx.inventory.gaps).toEqual([
      expect.objectContaining({
        operation: 'DescribeRuleGroup',
        kind: 'ruleGroups',
        resourceId: SURICATA_GROUP,
        errorCode: 'AccessDeniedException',
      }),
    ]);
  });

  it('keeps a transit-gateway firewall that has no VPC of its own', async () => {
    // Prepare
    stubHappyPath();
    const answer = firewallAnswer('fw-a');
    nfwMock.on(DescribeFirewallCommand).resolves({
      ...answer,
      Firewall: {
        ...answer.Firewall!,
        VpcId: undefined,
        SubnetMappings: undefined,
        TransitGatewayId: 'tgw-1',
      },
    });
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(ctx.inventory.firewalls[0]).toMatchObject({ transitGatewayId: 'tgw-1', subnetMappings: [] });
    expect(ctx.inventory.firewalls[0]?.vpcId).toBeUndefined();
    expect(() => RegionInventorySchema.parse(ctx.inventory)).not.toThrow();
  });

  it('keeps no more than describeConcurrency describe calls in flight', async () => {
    // Prepare
    stubHappyPath();
    const names = Array.from({ length: 10 }, (_, i) => `fw-${i}`);
    nfwMock
      .on(ListFirewallsCommand)
      .resolves({ Firewalls: names.map((n) => ({ FirewallName: n, FirewallArn: arn('firewall', n) })) });
    let inFlight = 0;
    let maxInFlight = 0;
    nfwMock.on(DescribeFirewallCommand).callsFake(async (input: { FirewallArn: string }) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight -= 1;
      return firewallAnswer(input.FirewallArn.split('/').pop() ?? '');
    });
    const ctx = makeContext({ describeConcurrency: 3 });

    // Act
    await collectNetworkFirewall(ctx, nfw);

    // Assess
    expect(ctx.inventory.firewalls).toHaveLength(10);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(nfwMock).toHaveReceivedCommandTimes(DescribeFirewallPolicyCommand, 1);
  });
});

describe('collectNetworkFirewall with the real SDK retry middleware', () => {
  it('retries a throttled DescribeFirewallPolicy and records no gap when the retry succeeds', async () => {
    // Prepare: an in-process request handler (no network). aws-sdk-client-mock replaces send() and so
    // bypasses the retry middleware; this exercises the client's own adaptive retries.
    const calls: string[] = [];
    let throttledOnce = false;
    const answers: Record<string, unknown> = {
      ListFirewalls: { Firewalls: [{ FirewallName: 'fw-a', FirewallArn: FW_A }] },
      DescribeFirewall: firewallAnswer('fw-a'),
      DescribeLoggingConfiguration: { FirewallArn: FW_A },
      DescribeFirewallPolicy: {
        ...policyAnswer,
        FirewallPolicy: {
          ...policyAnswer.FirewallPolicy,
          StatelessRuleGroupReferences: [],
          StatefulRuleGroupReferences: [],
        },
      },
    };
    const requestHandler = {
      handle: async (request: { headers: Record<string, string> }) => {
        const operation = (request.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
        calls.push(operation);
        let status = 200;
        let body = answers[operation] ?? {};
        if (operation === 'DescribeFirewallPolicy' && !throttledOnce) {
          throttledOnce = true;
          status = 400;
          body = { __type: 'ThrottlingException', message: 'Rate exceeded' };
        }
        return {
          response: {
            statusCode: status,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    };
    const client = new NetworkFirewallClient({ ...clientConfig, requestHandler });
    const ctx = makeContext();

    // Act
    await collectNetworkFirewall(ctx, client);

    // Assess
    expect(calls.filter((c) => c === 'DescribeFirewallPolicy')).toHaveLength(2);
    expect(ctx.inventory.gaps).toEqual([]);
    expect(ctx.inventory.firewalls).toHaveLength(1);
    expect(ctx.inventory.firewallPolicies).toHaveLength(1);
    client.destroy();
  }, 15_000);
});
