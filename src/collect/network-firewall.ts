/**
 * AWS Network Firewall collector: firewalls (with their endpoints and logging), the firewall
 * policies they use, and the rule groups those policies reference.
 *
 * The three kinds are read one after another (a policy is found through its firewall, a rule group
 * through its policy), each a spec over the generic task (task.ts) with bounded describe concurrency. Policies and rule groups that
 * no firewall uses are not read: they filter no traffic. Log destinations (bucket names, log group
 * names) are not kept, only their types. Tags come with each Describe* answer: keys kept, values
 * only as hashes (hashTags).
 */
import {
  DescribeFirewallCommand,
  DescribeFirewallPolicyCommand,
  type DescribeFirewallPolicyResponse,
  type DescribeFirewallResponse,
  DescribeLoggingConfigurationCommand,
  type DescribeLoggingConfigurationResponse,
  DescribeRuleGroupCommand,
  type DescribeRuleGroupResponse,
  type IPSet,
  type NetworkFirewallClient,
  type PortRange,
  type PortSet,
  paginateListFirewalls,
  type StatefulRule as SdkStatefulRule,
  type StatelessRule as SdkStatelessRule,
} from '@aws-sdk/client-network-firewall';
import type {
  Firewall,
  FirewallLogging,
  FirewallPolicy,
  RuleGroup,
  StatefulRule,
  StatelessRule,
} from '../inventory/schema.ts';
import {
  type CollectContext,
  compact,
  dependencyGap,
  hashTags,
  keep,
  limited,
  required,
  siteFor,
} from './common.ts';
import { type KindSpec, listing, runKind } from './task.ts';

const SERVICE = 'network-firewall';

const site = siteFor(SERVICE);

/** Collect firewalls, then their policies, then the policies' rule groups. Failures become gaps. */
export async function collectNetworkFirewall(ctx: CollectContext, nfw: NetworkFirewallClient): Promise<void> {
  const firewalls = await runKind(ctx, firewallsSpec(ctx, nfw));
  const policies = await runKind(ctx, {
    kind: 'firewallPolicies',
    service: SERVICE,
    source: async () => ({
      refs: [...new Set(firewalls.items.map((f) => f.firewallPolicyArn))],
      complete: true,
    }),
    describe: {
      operation: 'DescribeFirewallPolicy',
      id: (arn) => arn,
      read: async (arn) =>
        toPolicy(arn, await nfw.send(new DescribeFirewallPolicyCommand({ FirewallPolicyArn: arn }))),
      failed: (arn) =>
        dependencyGap(
          ctx,
          site('DescribeRuleGroup', 'ruleGroups', arn),
          `firewall policy ${arn} could not be described, so its rule groups were not read`,
        ),
    },
  });
  await runKind(ctx, {
    kind: 'ruleGroups',
    service: SERVICE,
    source: async () => ({
      refs: [
        ...new Set(
          policies.items.flatMap((p) => [
            ...p.statelessRuleGroupReferences.map((ref) => ref.resourceArn),
            ...p.statefulRuleGroupReferences.map((ref) => ref.resourceArn),
          ]),
        ),
      ],
      complete: true,
    }),
    describe: {
      operation: 'DescribeRuleGroup',
      id: (arn) => arn,
      read: async (arn) =>
        toRuleGroup(arn, await nfw.send(new DescribeRuleGroupCommand({ RuleGroupArn: arn }))),
    },
  });
}

// ---------------------------------------------------------------- firewalls and logging

interface ListedFirewall {
  arn?: string;
  name?: string;
}

function firewallsSpec(
  ctx: CollectContext,
  nfw: NetworkFirewallClient,
): KindSpec<'firewalls', ListedFirewall> {
  return {
    kind: 'firewalls',
    service: SERVICE,
    // moto answers ListFirewalls with a lower-case `nextToken` the SDK drops: there it reads one page.
    source: [
      listing('ListFirewalls', paginateListFirewalls({ client: nfw, stopOnSameToken: true }, {}), (page) =>
        (page.Firewalls ?? []).map((f) =>
          f.FirewallArn || f.FirewallName ? compact({ arn: f.FirewallArn, name: f.FirewallName }) : undefined,
        ),
      ),
    ],
    listed: async ({ complete }) => {
      if (complete) return;
      const message =
        'the firewalls could not all be listed, so the policies and rule groups they use were not all read';
      await dependencyGap(ctx, site('DescribeFirewallPolicy', 'firewallPolicies'), message);
      await dependencyGap(ctx, site('DescribeRuleGroup', 'ruleGroups'), message);
    },
    describe: {
      operation: 'DescribeFirewall',
      id: ({ arn, name }) => arn ?? name ?? '',
      read: async ({ arn, name }) =>
        toFirewall(
          { arn, name },
          await nfw.send(new DescribeFirewallCommand(arn ? { FirewallArn: arn } : { FirewallName: name })),
        ),
      failed: async ({ arn, name }) => {
        const id = arn ?? name ?? '';
        const message = `firewall ${id} could not be described, so its policy and rule groups were not read`;
        await dependencyGap(ctx, site('DescribeFirewallPolicy', 'firewallPolicies', id), message);
        await dependencyGap(ctx, site('DescribeRuleGroup', 'ruleGroups', id), message);
      },
      described: async (firewall) => {
        const logging = await limited(
          ctx,
          site('DescribeLoggingConfiguration', 'firewallLogging', firewall.firewallArn),
          async () =>
            toLogging(
              await nfw.send(new DescribeLoggingConfigurationCommand({ FirewallArn: firewall.firewallArn })),
            ),
        );
        if (logging) firewall.logging = logging;
      },
    },
  };
}

function toLogging(answer: DescribeLoggingConfigurationResponse): FirewallLogging {
  return {
    destinations: (answer.LoggingConfiguration?.LogDestinationConfigs ?? []).map((d) => ({
      logType: required(d.LogType, 'LogDestinationConfigs[].LogType'),
      logDestinationType: required(d.LogDestinationType, 'LogDestinationConfigs[].LogDestinationType'),
    })),
  };
}

function ipSetReferences(
  refs: Record<string, { ReferenceArn?: string | undefined }> | undefined,
): Record<string, string> | undefined {
  if (!refs) return undefined;
  const out: Record<string, string> = {};
  for (const [name, ref] of Object.entries(refs)) if (ref.ReferenceArn) out[name] = ref.ReferenceArn;
  return Object.keys(out).length ? out : undefined;
}

function toFirewall(listed: { arn?: string; name?: string }, answer: DescribeFirewallResponse): Firewall {
  const f = required(answer.Firewall, 'Firewall');
  const syncStates = answer.FirewallStatus?.SyncStates ?? {};
  return compact({
    firewallName: required(f.FirewallName ?? listed.name, 'Firewall.FirewallName'),
    firewallArn: required(f.FirewallArn ?? listed.arn, 'Firewall.FirewallArn'),
    firewallId: f.FirewallId,
    // A firewall attached to a transit gateway has no VPC of its own.
    vpcId: f.VpcId,
    transitGatewayId: f.TransitGatewayId,
    subnetMappings: (f.SubnetMappings ?? []).map((m) =>
      compact({
        subnetId: required(m.SubnetId, 'SubnetMappings[].SubnetId'),
        ipAddressType: m.IPAddressType,
      }),
    ),
    firewallPolicyArn: required(f.FirewallPolicyArn, 'Firewall.FirewallPolicyArn'),
    deleteProtection: f.DeleteProtection ?? false,
    subnetChangeProtection: f.SubnetChangeProtection ?? false,
    firewallPolicyChangeProtection: f.FirewallPolicyChangeProtection ?? false,
    endpoints: Object.keys(syncStates)
      .sort()
      .map((availabilityZone) => {
        const attachment = syncStates[availabilityZone]?.Attachment;
        return compact({
          availabilityZone,
          subnetId: attachment?.SubnetId,
          endpointId: attachment?.EndpointId,
          status: attachment?.Status,
        });
      }),
    tags: hashTags(f.Tags),
  });
}

// ---------------------------------------------------------------- firewall policies

function definitions(sets: Record<string, IPSet | PortSet> | undefined): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(sets ?? {}).map(([name, set]) => [name, [...(set.Definition ?? [])]]),
  );
}

function toPolicy(arn: string, answer: DescribeFirewallPolicyResponse): FirewallPolicy {
  const meta = answer.FirewallPolicyResponse;
  const p = required(answer.FirewallPolicy, 'FirewallPolicy');
  return compact({
    firewallPolicyArn: meta?.FirewallPolicyArn ?? arn,
    firewallPolicyName: required(meta?.FirewallPolicyName, 'FirewallPolicyResponse.FirewallPolicyName'),
    statelessDefaultActions: [...(p.StatelessDefaultActions ?? [])],
    statelessFragmentDefaultActions: [...(p.StatelessFragmentDefaultActions ?? [])],
    statelessRuleGroupReferences: (p.StatelessRuleGroupReferences ?? []).map((r) => ({
      resourceArn: required(r.ResourceArn, 'StatelessRuleGroupReferences[].ResourceArn'),
      priority: required(r.Priority, 'StatelessRuleGroupReferences[].Priority'),
    })),
    statefulRuleGroupReferences: (p.StatefulRuleGroupReferences ?? []).map((r) =>
      compact({
        resourceArn: required(r.ResourceArn, 'StatefulRuleGroupReferences[].ResourceArn'),
        priority: r.Priority,
        override: r.Override?.Action,
      }),
    ),
    ruleOrder: p.StatefulEngineOptions?.RuleOrder,
    streamExceptionPolicy: p.StatefulEngineOptions?.StreamExceptionPolicy,
    statefulDefaultActions: [...(p.StatefulDefaultActions ?? [])],
    ruleVariables: definitions(p.PolicyVariables?.RuleVariables),
    tags: hashTags(meta?.Tags),
  });
}

// ---------------------------------------------------------------- rule groups

function ports(ranges: PortRange[] | undefined): { from: number; to: number }[] {
  return (ranges ?? []).map((r) => ({
    from: required(r.FromPort, 'PortRange.FromPort'),
    to: required(r.ToPort, 'PortRange.ToPort'),
  }));
}

function toStatefulRule(r: SdkStatefulRule): StatefulRule {
  const h = required(r.Header, 'StatefulRules[].Header');
  return {
    action: required(r.Action, 'StatefulRules[].Action'),
    protocol: required(h.Protocol, 'Header.Protocol'),
    source: required(h.Source, 'Header.Source'),
    sourcePort: required(h.SourcePort, 'Header.SourcePort'),
    direction: required(h.Direction, 'Header.Direction'),
    destination: required(h.Destination, 'Header.Destination'),
    destinationPort: required(h.DestinationPort, 'Header.DestinationPort'),
    ruleOptions: (r.RuleOptions ?? []).map((o) => ({
      keyword: required(o.Keyword, 'RuleOptions[].Keyword'),
      settings: [...(o.Settings ?? [])],
    })),
  };
}

function toStatelessRule(r: SdkStatelessRule): StatelessRule {
  const def = required(r.RuleDefinition, 'StatelessRules[].RuleDefinition');
  const match = def.MatchAttributes;
  return {
    priority: required(r.Priority, 'StatelessRules[].Priority'),
    actions: [...(def.Actions ?? [])],
    sources: keep((match?.Sources ?? []).map((a) => a.AddressDefinition)),
    destinations: keep((match?.Destinations ?? []).map((a) => a.AddressDefinition)),
    sourcePorts: ports(match?.SourcePorts),
    destinationPorts: ports(match?.DestinationPorts),
    protocols: [...(match?.Protocols ?? [])],
    tcpFlags: (match?.TCPFlags ?? []).map((f) => ({
      flags: [...(f.Flags ?? [])],
      masks: [...(f.Masks ?? [])],
    })),
  };
}

function toRuleGroup(arn: string, answer: DescribeRuleGroupResponse): RuleGroup {
  const meta = answer.RuleGroupResponse;
  const groupArn = meta?.RuleGroupArn ?? arn;
  const source = answer.RuleGroup?.RulesSource;
  const stateless = source?.StatelessRulesAndCustomActions;
  const list = source?.RulesSourceList;
  return compact({
    ruleGroupArn: groupArn,
    ruleGroupName: required(meta?.RuleGroupName, 'RuleGroupResponse.RuleGroupName'),
    // Type is always set by AWS; the ARN says it too (".../stateless-rulegroup/..." or ".../stateful-rulegroup/...").
    type: meta?.Type ?? (groupArn.includes(':stateless-rulegroup/') ? 'STATELESS' : 'STATEFUL'),
    capacity: meta?.Capacity,
    ruleOrder: answer.RuleGroup?.StatefulRuleOptions?.RuleOrder,
    ipSets: definitions(answer.RuleGroup?.RuleVariables?.IPSets),
    portSets: definitions(answer.RuleGroup?.RuleVariables?.PortSets),
    ipSetReferences: ipSetReferences(answer.RuleGroup?.ReferenceSets?.IPSetReferences),
    rulesSourceList: list
      ? {
          targets: [...(list.Targets ?? [])],
          targetTypes: [...(list.TargetTypes ?? [])],
          generatedRulesType: required(list.GeneratedRulesType, 'RulesSourceList.GeneratedRulesType'),
        }
      : undefined,
    statefulRules: source?.StatefulRules?.map(toStatefulRule),
    rulesString: source?.RulesString,
    statelessRules: stateless ? (stateless.StatelessRules ?? []).map(toStatelessRule) : undefined,
    statelessCustomActionNames: stateless
      ? keep((stateless.CustomActions ?? []).map((a) => a.ActionName))
      : undefined,
    tags: hashTags(meta?.Tags),
  });
}
