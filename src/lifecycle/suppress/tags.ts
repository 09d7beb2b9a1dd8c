/**
 * The collected tags of the resource a finding names, for tags suppressions. Resources are found the
 * way findings name them (analyze/resources.ts): by ARN, else by type and id, within the finding's
 * account and region. A resource whose tags were not read, or that the inventory does not hold, has
 * none to give (undefined): a tags suppression never matches it, so what cannot be checked is alerted.
 */
import type { Finding, FindingResource } from '../../analyze/engine/finding.ts';
import {
  domainResource,
  endpointConfigResource,
  endpointResource,
  firewallPolicyResource,
  firewallResource,
  modelResource,
  networkAclResource,
  notebookResource,
  processingJobResource,
  resourceOfKind,
  routeTableResource,
  ruleGroupResource,
  securityGroupResource,
  subnetResource,
  trainingJobResource,
  userProfileResource,
  vpcEndpointResource,
  vpcResource,
} from '../../analyze/engine/resources.ts';
import type { Inventory, RegionInventory, ResourceArrays } from '../../inventory/schema.ts';
import type { HashedTags } from '../../inventory/tags.ts';

/** The collected tags of a finding's resource; undefined when they were not read. */
export type TagLookup = (f: Pick<Finding, 'account' | 'region' | 'resource'>) => HashedTags | undefined;

/** For a run without an inventory: no tags are known, so no tags suppression matches. */
export const NO_TAGS: TagLookup = () => undefined;

/** How a finding would name each item of each kind. */
const NAMES: {
  [K in keyof ResourceArrays]: (scope: RegionInventory, item: ResourceArrays[K][number]) => FindingResource;
} = {
  vpcs: vpcResource,
  subnets: subnetResource,
  routeTables: routeTableResource,
  internetGateways: (s, g) => resourceOfKind(s, 'internetGateways', g.internetGatewayId),
  egressOnlyInternetGateways: (s, g) =>
    resourceOfKind(s, 'egressOnlyInternetGateways', g.egressOnlyInternetGatewayId),
  natGateways: (s, g) => resourceOfKind(s, 'natGateways', g.natGatewayId),
  securityGroups: securityGroupResource,
  networkAcls: networkAclResource,
  networkInterfaces: (s, n) => resourceOfKind(s, 'networkInterfaces', n.networkInterfaceId),
  vpcEndpoints: vpcEndpointResource,
  prefixLists: (s, p) => resourceOfKind(s, 'prefixLists', p.prefixListId),
  flowLogs: (s, f) => resourceOfKind(s, 'flowLogs', f.flowLogId),
  vpcPeeringConnections: (s, p) => resourceOfKind(s, 'vpcPeeringConnections', p.vpcPeeringConnectionId),
  sagemakerDomains: domainResource,
  sagemakerUserProfiles: userProfileResource,
  sagemakerSpaces: (s, sp) => {
    const named = resourceOfKind(s, 'sagemakerSpaces', `${sp.domainId}/${sp.spaceName}`);
    return sp.spaceArn ? { ...named, arn: sp.spaceArn } : named;
  },
  notebookInstances: notebookResource,
  endpoints: endpointResource,
  endpointConfigs: endpointConfigResource,
  models: modelResource,
  trainingJobs: trainingJobResource,
  processingJobs: processingJobResource,
  firewalls: (_s, f) => firewallResource(f),
  firewallPolicies: (_s, p) => firewallPolicyResource(p),
  ruleGroups: (_s, g) => ruleGroupResource(g),
};

const byArn = (account: string, region: string, arn: string) => `${account}\0${region}\0arn\0${arn}`;
const byId = (account: string, region: string, r: Pick<FindingResource, 'type' | 'id'>) =>
  `${account}\0${region}\0${r.type}\0${r.id}`;

function buildIndex(inventory: Pick<Inventory, 'regions'>): Map<string, HashedTags> {
  const index = new Map<string, HashedTags>();
  for (const scope of inventory.regions) {
    for (const kind of Object.keys(NAMES) as (keyof ResourceArrays)[]) {
      const name = NAMES[kind] as (scope: RegionInventory, item: { tags?: HashedTags }) => FindingResource;
      for (const item of (scope[kind] ?? []) as { tags?: HashedTags }[]) {
        if (item.tags === undefined) continue;
        const resource = name(scope, item);
        index.set(byArn(scope.account, scope.region, resource.arn), item.tags);
        index.set(byId(scope.account, scope.region, resource), item.tags);
      }
    }
  }
  return index;
}

/** The lookup over one inventory's collected tags. The index is built on first use (only tags suppressions ask). */
export function inventoryTags(inventory: Pick<Inventory, 'regions'>): TagLookup {
  let index: Map<string, HashedTags> | undefined;
  return (f) => {
    index ??= buildIndex(inventory);
    return (
      index.get(byArn(f.account, f.region, f.resource.arn)) ??
      index.get(byId(f.account, f.region, f.resource))
    );
  };
}
