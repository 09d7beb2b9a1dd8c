/**
 * Tags in the inventory. A tag's key is kept as AWS gives it; its value never is: tag values can hold
 * secrets, so the inventory keeps a one-way hash of each value, enough to test "is this tag's value
 * `ml`?" (a tags suppression) and nothing more.
 *
 * The hash is SHA-256 over a fixed domain-separation prefix and the value, written `sha256:<64 hex>`.
 * It hides a value that is hard to guess (a token, a password); a short, guessable value (`prod`,
 * `ml`) can be found by hashing candidates, as with any unkeyed hash.
 */
import { createHash } from 'node:crypto';
import type { Inventory } from './schema.ts';

/** Prefixed to every value before hashing, so these hashes are of no use anywhere else. */
export const TAG_VALUE_DOMAIN = 'ml-network-audit/tag-value\0';

/** The shape of a hashed tag value: what the inventory schema accepts, and nothing else. */
export const TAG_VALUE_HASH = /^sha256:[0-9a-f]{64}$/;

/** The hash the inventory keeps for a tag value (and a tags suppression compares against). */
export function hashTagValue(value: string): string {
  return `sha256:${createHash('sha256').update(TAG_VALUE_DOMAIN, 'utf8').update(value, 'utf8').digest('hex')}`;
}

/** Tag key -> hashed value; absent on a resource whose tags were not read. */
export type HashedTags = Record<string, string>;

/**
 * The inventory with every readable Name dropped (`--hash-names`, HASH_NAMES): what is left of a Name is
 * its hash in `tags`, like every other tag value. A new inventory; the one given is not modified.
 */
export function withoutNameTags(inventory: Inventory): Inventory {
  return {
    ...inventory,
    regions: inventory.regions.map((scope) => {
      const copy: Record<string, unknown> = { ...scope };
      for (const [key, value] of Object.entries(scope)) {
        if (
          !Array.isArray(value) ||
          !value.some((item) => item && typeof item === 'object' && 'nameTag' in item)
        )
          continue;
        copy[key] = value.map((item) => {
          if (!item || typeof item !== 'object' || !('nameTag' in item)) return item;
          const { nameTag: _dropped, ...rest } = item as { nameTag?: string };
          return rest;
        });
      }
      return copy as typeof scope;
    }),
  };
}
