/**
 * The small facts about VPC endpoints the rules and the path engine share: which service an endpoint
 * serves, whether it is live, its type. Endpoint policies are endpoint-policy.ts.
 */
import type { RegionInventory, VpcEndpoint } from '../../inventory/schema.ts';
import type { ScopeIndex } from '../engine/scope-index.ts';

/** Endpoint states that carry (or will carry) traffic, lower-cased. */
export const LIVE_ENDPOINT_STATES = ['available', 'pendingacceptance', 'pending'] as const;

/** Whether an endpoint is in a live state. An absent state counts as live (we cannot prove it dead). */
export function isLiveEndpoint(
  e: Pick<VpcEndpoint, 'state'>,
  states: readonly string[] = LIVE_ENDPOINT_STATES,
): boolean {
  if (e.state === undefined) return true;
  const s = e.state.toLowerCase();
  return states.some((x) => x.toLowerCase() === s);
}

/**
 * The service an endpoint serves, without its region prefix: `com.amazonaws.us-east-1.sagemaker.api`
 * and `cn.com.amazonaws.cn-north-1.sagemaker.api` give `sagemaker.api`;
 * `aws.sagemaker.us-east-1.notebook` gives `aws.sagemaker.notebook`. A `-fips` suffix is dropped (the
 * FIPS endpoint serves the same API). Anything else (an endpoint service of another account) is
 * returned whole.
 */
export function endpointService(serviceName: string, region: string): string {
  for (const prefix of [`com.amazonaws.${region}.`, `cn.com.amazonaws.${region}.`]) {
    if (!serviceName.startsWith(prefix)) continue;
    const key = serviceName.slice(prefix.length);
    return key.endsWith('-fips') ? key.slice(0, -'-fips'.length) : key;
  }
  const sagemaker = `aws.sagemaker.${region}.`;
  if (serviceName.startsWith(sagemaker)) return `aws.sagemaker.${serviceName.slice(sagemaker.length)}`;
  return serviceName;
}

/** The AWS service name of a service key in a scope: `com.amazonaws.us-east-1.sts`. */
export function awsServiceName(
  scope: Pick<RegionInventory, 'partition' | 'region'>,
  service: string,
): string {
  if (service.startsWith('aws.sagemaker.'))
    return `aws.sagemaker.${scope.region}.${service.slice('aws.sagemaker.'.length)}`;
  const prefix = scope.partition === 'aws-cn' ? 'cn.com.amazonaws' : 'com.amazonaws';
  return `${prefix}.${scope.region}.${service}`;
}

/** Endpoint type comparisons are case-insensitive (the API says Interface, Gateway, ...). */
export function isEndpointType(e: Pick<VpcEndpoint, 'vpcEndpointType'>, type: string): boolean {
  return e.vpcEndpointType.toLowerCase() === type.toLowerCase();
}

const endpointMaps = new WeakMap<ScopeIndex, Map<string, VpcEndpoint>>();

/** The scope's VPC endpoints by id (memoized per index). */
export function endpointsById(index: ScopeIndex): Map<string, VpcEndpoint> {
  let map = endpointMaps.get(index);
  if (!map) {
    map = new Map(index.scope.vpcEndpoints.map((e) => [e.vpcEndpointId, e]));
    endpointMaps.set(index, map);
  }
  return map;
}
