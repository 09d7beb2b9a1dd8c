/** The Network Firewall kinds' schemas: firewalls (with logging), their policies, their rule groups. */
import { z } from 'zod';
import { optStr, port, str, strList, tags } from './fields.ts';

export const FirewallEndpointSchema = z.strictObject({
  availabilityZone: str,
  subnetId: optStr,
  endpointId: optStr,
  status: optStr,
});

export const FirewallLoggingSchema = z.strictObject({
  destinations: z.array(
    z.strictObject({
      /** ALERT | FLOW | TLS */
      logType: str,
      /** S3 | CloudWatchLogs | KinesisDataFirehose */
      logDestinationType: str,
    }),
  ),
});

export const FirewallSchema = z.strictObject({
  firewallName: str,
  firewallArn: str,
  firewallId: optStr,
  /** Absent for a firewall attached to a transit gateway. */
  vpcId: optStr,
  transitGatewayId: optStr,
  subnetMappings: z.array(z.strictObject({ subnetId: str, ipAddressType: optStr })),
  firewallPolicyArn: str,
  deleteProtection: z.boolean(),
  subnetChangeProtection: z.boolean(),
  firewallPolicyChangeProtection: z.boolean(),
  /** Per-AZ endpoints from the firewall status' sync states. */
  endpoints: z.array(FirewallEndpointSchema),
  /** Absent when the logging configuration was not read (see coverage). */
  logging: FirewallLoggingSchema.optional(),
  tags,
});

/** A stateless rule's port range: 0-65535, from <= to. */
const portRange = z.strictObject({ from: port, to: port }).refine((r) => r.from <= r.to, {
  error: 'the port range is reversed: from is greater than to',
  path: ['from'],
});

export const StatelessRuleSchema = z.strictObject({
  priority: z.number().int(),
  actions: strList,
  sources: strList,
  destinations: strList,
  sourcePorts: z.array(portRange),
  destinationPorts: z.array(portRange),
  /** Protocol numbers; empty means all. */
  protocols: z.array(z.number().int().min(0).max(255)),
  tcpFlags: z.array(z.strictObject({ flags: strList, masks: strList })),
});

export const StatefulRuleSchema = z.strictObject({
  /** PASS | DROP | ALERT | REJECT */
  action: str,
  protocol: str,
  source: str,
  sourcePort: str,
  /** FORWARD | ANY */
  direction: str,
  destination: str,
  destinationPort: str,
  ruleOptions: z.array(z.strictObject({ keyword: str, settings: strList })),
});

export const RuleGroupSchema = z.strictObject({
  ruleGroupArn: str,
  ruleGroupName: str,
  /** STATELESS | STATEFUL */
  type: str,
  capacity: z.number().int().optional(),
  /** For stateful groups: DEFAULT_ACTION_ORDER | STRICT_ORDER */
  ruleOrder: optStr,
  ipSets: z.record(z.string(), strList),
  portSets: z.record(z.string(), strList),
  /** IP set references (ReferenceSets.IPSetReferences): variable name -> referenced ARN (a prefix list). */
  ipSetReferences: z.record(z.string(), str).optional(),
  rulesSourceList: z
    .strictObject({
      targets: strList,
      /** TLS_SNI | HTTP_HOST */
      targetTypes: strList,
      /** ALLOWLIST | DENYLIST | ALERTLIST | REJECTLIST */
      generatedRulesType: str,
    })
    .optional(),
  statefulRules: z.array(StatefulRuleSchema).optional(),
  /** Suricata-compatible rules, as written. */
  rulesString: optStr,
  statelessRules: z.array(StatelessRuleSchema).optional(),
  statelessCustomActionNames: strList.optional(),
  tags,
});

export const FirewallPolicySchema = z.strictObject({
  firewallPolicyArn: str,
  firewallPolicyName: str,
  statelessDefaultActions: strList,
  statelessFragmentDefaultActions: strList,
  statelessRuleGroupReferences: z.array(z.strictObject({ resourceArn: str, priority: z.number().int() })),
  statefulRuleGroupReferences: z.array(
    z.strictObject({ resourceArn: str, priority: z.number().int().optional(), override: optStr }),
  ),
  /** DEFAULT_ACTION_ORDER (the default when absent) | STRICT_ORDER */
  ruleOrder: optStr,
  streamExceptionPolicy: optStr,
  statefulDefaultActions: strList,
  /** Policy variables (HOME_NET override). */
  ruleVariables: z.record(z.string(), strList),
  tags,
});
