/**
 * The collected tags of the resource a finding names, for tags suppressions. Resources are found the
 * way findings name them (analyze/resources.ts): by ARN, else by type and id, within the finding's
 * account and region. A resource whose tags were not read, or that the inventory does not hold, has
 * none to give (undefined): a tags suppression never matches it, so what cannot be checked is alerted.
 */
import type { Finding, FindingResource } from '../../analyze/engine/finding.ts';
import { resourceOf } from '../../analyze/engine/resources.ts';
import { type Inventory, RESOURCE_ARRAY_KEYS } from '../../inventory/schema.ts';
import type { HashedTags } from '../../inventory/tags.ts';

/** The collected tags of a finding's resource; undefined when they were not read. */
export type TagLookup = (f: Pick<Finding, 'account' | 'region' | 'resource'>) => HashedTags | undefined;

/** For a run without an inventory: no tags are known, so no tags suppression matches. */
export const NO_TAGS: TagLookup = () => undefined;

const byArn = (account: string, region: string, arn: string) => `${account}\0${region}\0arn\0${arn}`;
const byId = (account: string, region: string, r: Pick<FindingResource, 'type' | 'id'>) =>
  `${account}\0${region}\0${r.type}\0${r.id}`;

function buildIndex(inventory: Pick<Inventory, 'regions'>): Map<string, HashedTags> {
  const index = new Map<string, HashedTags>();
  for (const scope of inventory.regions) {
    for (const kind of RESOURCE_ARRAY_KEYS) {
      for (const item of scope[kind] ?? []) {
        if (item.tags === undefined) continue;
        // Named the way a finding names it (the kind table's type, id and ARN).
        const resource = resourceOf(scope, kind, item);
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
