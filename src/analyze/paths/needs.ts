/** Shared by the reachability rules: what they read. */
import type { ResourceKind } from '../../inventory/schema.ts';
import { PLACEMENT_NEEDS } from '../aws/ml-placements.ts';

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
