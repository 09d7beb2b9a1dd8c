/** Shared by the reachability rules: what they read. */
import { RESOURCE_TABLE } from '../../inventory/kinds.ts';
import { RESOURCE_ARRAY_KEYS, type ResourceKind } from '../../inventory/schema.ts';

/** Every inventory kind the path engine reads: the kind table's `reach` rows, in table order. */
export const REACH_NEEDS: readonly ResourceKind[] = RESOURCE_ARRAY_KEYS.filter(
  (k) => RESOURCE_TABLE[k].reach,
);
