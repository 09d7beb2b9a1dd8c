/** The routes rules, in catalogue order. A new rule file in this folder gets its line here. */
import type { Rule } from '../../engine/rule.ts';
import routeBlackholeOnMlSubnet from './route-blackhole-on-ml-subnet.ts';
import routePeeringTooBroad from './route-peering-too-broad.ts';
import subnetMlAutoPublicIp from './subnet-ml-auto-public-ip.ts';
import subnetMlPublic from './subnet-ml-public.ts';
import vpcMlFlowLogsDisabled from './vpc-ml-flow-logs-disabled.ts';

export const rules = [
  subnetMlPublic,
  subnetMlAutoPublicIp,
  routeBlackholeOnMlSubnet,
  routePeeringTooBroad,
  vpcMlFlowLogsDisabled,
] as Rule<unknown>[];
