/** The vpc-endpoints rules, in catalogue order. A new rule file in this folder gets its line here. */
import type { Rule } from '../../engine/rule.ts';
import vpceMlMissingEndpoints from './vpce-ml-missing-endpoints.ts';
import vpcePolicyFullAccess from './vpce-policy-full-access.ts';
import vpcePrivateDnsDisabled from './vpce-private-dns-disabled.ts';
import vpceS3GatewayNotRouted from './vpce-s3-gateway-not-routed.ts';
import vpceSgTooOpen from './vpce-sg-too-open.ts';
import vpceSingleAz from './vpce-single-az.ts';

export const rules = [
  vpceMlMissingEndpoints,
  vpceS3GatewayNotRouted,
  vpcePolicyFullAccess,
  vpceSgTooOpen,
  vpcePrivateDnsDisabled,
  vpceSingleAz,
] as Rule<unknown>[];
