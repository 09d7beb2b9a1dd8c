/** Field shapes every kind's schema shares: strings, lists, and the hashed tags. */
import { z } from 'zod';
import { TAG_VALUE_HASH } from '../tags.ts';

export const str = z.string();
export const optStr = z.string().optional();
export const strList = z.array(z.string());

/**
 * A resource's tags: key as AWS gives it -> `sha256:<hex>` of the value (never the value itself).
 * Absent when the tags were not read (older snapshots, a failed ListTags); `{}` when read and none.
 */
export const TagsSchema = z
  .record(
    z.string().min(1),
    z
      .string()
      .regex(TAG_VALUE_HASH, { error: 'must be a tag-value hash (sha256:<64 hex>), never the value' }),
  )
  .describe(
    'Tag key -> "sha256:<hex>" of the value (never the value). Absent when the tags were not read; {} when read and none.',
  );
export const tags = TagsSchema.optional();
