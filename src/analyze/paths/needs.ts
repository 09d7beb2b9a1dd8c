/** Shared by the reachability rules: what they read, and how paths read in evidence and messages. */
import type { ResourceKind } from '../../inventory/schema.ts';
import { PLACEMENT_NEEDS } from '../aws/ml-placements.ts';
import type { PortsEntry } from './engine.ts';

/** Every inventory kind the path engine reads. */
export const REACH_NEEDS = [
  'vpcs',
  'subnets',
  'routeTables',
  'internetGateways',
  'egressOnlyInternetGateways',
  'natGateways',
  'securityGroups',
  'networkAcls',
  'networkInterfaces',
  'vpcEndpoints',
  'prefixLists',
  'firewalls',
  'firewallPolicies',
  'ruleGroups',
  'sagemakerUserProfiles',
  ...PLACEMENT_NEEDS,
] as const satisfies readonly ResourceKind[];

/** "tcp 22, 8888; udp 53" / "all traffic". */
export function portsText(entries: readonly PortsEntry[]): string {
  if (entries.length === 0) return 'nothing';
  return entries
    .map((e) =>
      e.protocol === 'all'
        ? `all traffic${e.except ? ` (other than ${e.except.join(', ')})` : ''}`
        : e.ports === 'all'
          ? e.protocol
          : e.ports === '0-65535'
            ? `${e.protocol} (all ports)`
            : `${e.protocol} ${e.ports}`,
    )
    .join('; ');
}
