import { z } from 'zod';
import { nfwIndex } from '../../aws/network-firewall/resolution.ts';
import { firewallResource } from '../../engine/resources.ts';
import { type Draft, defineRule } from '../../engine/rule.ts';

export default defineRule({
  meta: {
    id: 'nfw-logging-disabled',
    title: 'Network Firewall does not log alerts',
    severity: 'MEDIUM',
    category: 'network-firewall',
    rationale:
      'Without an ALERT log destination, what the firewall drops or alerts on leaves no record: blocked exfiltration attempts, domain-allowlist denials and rule hits around ML workloads cannot be investigated or alarmed on. FLOW logs add the record of what was allowed through.',
    remediation:
      'Add an ALERT log destination (CloudWatch Logs, S3 or Kinesis Data Firehose) to the firewall with UpdateLoggingConfiguration, and a FLOW destination for a record of allowed traffic.',
    references: ['FSBP NetworkFirewall.2'],
    docs: `Fails for each firewall whose logging configuration has no destination of log type \`ALERT\`. The evidence says which of ALERT and FLOW are missing (and lists the destinations' types; their names are not collected).

Does not fail: a firewall with an ALERT destination and no FLOW destination (FLOW logs are advised, not required by this rule); the TLS log type is not required.

Not evaluated: a firewall whose logging configuration could not be read (a coverage gap on \`firewallLogging\`).

Cannot see: whether the destination still exists or accepts the logs (a deleted log group or bucket), nor log retention.`,
    needs: ['firewalls', 'firewallLogging'],
    options: z.object({}).strict(),
  },
  evaluate({ scope }) {
    const idx = nfwIndex(scope);
    const drafts: Draft[] = [];
    for (const fw of scope.firewalls) {
      const resource = firewallResource(fw);
      if (!fw.logging) {
        // A failed DescribeLoggingConfiguration is reported by the runner from its gap.
        if (idx.gapFor('firewallLogging', fw.firewallArn) || idx.gapFor('firewallLogging', fw.firewallName))
          continue;
        drafts.push({
          status: 'NOT_EVALUATED',
          key: 'logging-unread',
          resource,
          message: `Not evaluated for firewall ${fw.firewallName}: its logging configuration is not in the inventory.`,
          evidence: { firewallArn: fw.firewallArn },
          remediation: 'Collect again with network-firewall:DescribeLoggingConfiguration allowed.',
        });
        continue;
      }
      const types = new Set(fw.logging.destinations.map((d) => d.logType.toUpperCase()));
      if (types.has('ALERT')) continue;
      const missing = types.has('FLOW') ? ['ALERT'] : ['ALERT', 'FLOW'];
      const what =
        fw.logging.destinations.length === 0
          ? 'has no log destination at all (neither ALERT nor FLOW)'
          : `logs only ${[...types].sort().join(' and ')} (to ${[...new Set(fw.logging.destinations.map((d) => d.logDestinationType))].join(', ')}), no ALERT${types.has('FLOW') ? '' : ' nor FLOW'}`;
      drafts.push({
        resource,
        message: `Firewall ${fw.firewallName}${fw.vpcId ? ` in ${fw.vpcId}` : ''} ${what}: what it drops or alerts on is not recorded.`,
        evidence: {
          vpcId: fw.vpcId ?? null,
          alertLogging: false,
          flowLogging: types.has('FLOW'),
          missing,
          destinations: fw.logging.destinations,
        },
        remediation: `Add an ALERT log destination to ${fw.firewallName} (UpdateLoggingConfiguration: LogType ALERT to CloudWatch Logs, S3 or Kinesis Data Firehose)${types.has('FLOW') ? '' : ', and a FLOW destination for a record of allowed traffic'}.`,
      });
    }
    return drafts;
  },
});
