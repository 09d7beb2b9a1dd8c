/** Shared by the reachability rules: what they read. */
import type { ResourceKind } from '../../inventory/schema.ts';
import { ML_PLACEMENT_KINDS } from '../aws/routes.ts';

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
  ...ML_PLACEMENT_KINDS,
] as const satisfies readonly ResourceKind[];
