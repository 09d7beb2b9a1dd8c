/**
 * The one task every kind is collected by: list (paginated, every page under `pages`), optionally
 * describe each listed reference (under the region's describe concurrency, each call under `guard`),
 * read what the answers lack (tags, entries), and add the items to the region's inventory.
 *
 * A kind is a `KindSpec`: where its references come from, how one is described and mapped, and what
 * is read afterwards. Every failed call becomes a coverage gap, naming the kind (and the resource, for
 * a describe), and never stops the other kinds.
 */
import type { ResourceArrayKind } from '../inventory/kinds.ts';
import type { ResourceArrays } from '../inventory/schema.ts';
import { type CallSite, type CollectContext, collectKind, keep, limited, pages } from './common.ts';

/** One item of a kind, as the inventory holds it. */
export type ItemOf<K extends ResourceArrayKind> = ResourceArrays[K][number];

/** One paginated list call and what each page yields (undefined entries are skipped). */
export interface Listing<R> {
  operation: string;
  /** The resource the listing is under, named in its gap (a domain's profiles). */
  resourceId?: string;
  pages: AsyncIterable<unknown>;
  refs: (page: never) => readonly (R | undefined)[];
}

/** A listing, typed by its page. */
export function listing<P, R>(
  operation: string,
  pages: AsyncIterable<P>,
  refs: (page: P) => readonly (R | undefined)[],
  resourceId?: string,
): Listing<R> {
  return { operation, pages, refs: refs as (page: never) => readonly (R | undefined)[], resourceId };
}

/** The references a kind's listings found, and whether every page of every listing was read. */
export interface Listed<R> {
  refs: R[];
  complete: boolean;
}

/** Describe one reference: the call and the mapper. A throw is a gap naming `id(ref)`. */
export interface Describe<R, T> {
  operation: string;
  id: (ref: R) => string;
  read: (ref: R) => Promise<T>;
  /** After a failed describe (its gap is recorded), e.g. the gaps of what is reached through it. */
  failed?: (ref: R) => Promise<void>;
  /** After a successful describe, outside the concurrency slot (it may make calls of its own). */
  described?: (item: T) => Promise<void>;
}

export interface KindSpec<K extends ResourceArrayKind, R> {
  kind: K;
  service: string;
  /** Where the references come from: listings read in order, or a source of the spec's own. */
  source: Listing<R>[] | (() => Promise<Listed<R>>);
  /** After the listing, before any describe (e.g. the gaps of what cannot all be reached). */
  listed?: (found: Listed<R>) => Promise<void>;
  /** How each reference becomes an item; without it, the listed references are the items. */
  describe?: Describe<R, ItemOf<K>>;
  /** Read what the answers lack (tags, entries) before the items join the inventory. */
  complete?: (items: ItemOf<K>[]) => Promise<void>;
}

/** What a kind's collection found: its references (listed or given) and its items. */
export interface KindResult<K extends ResourceArrayKind, R> extends Listed<R> {
  items: ItemOf<K>[];
}

/**
 * Read the listings side by side; the references keep the listings' order. References of pages read
 * before a failure are kept (and handed to `onPage` as each page arrives).
 */
export async function readListings<R>(
  ctx: CollectContext,
  service: string,
  kind: ResourceArrayKind,
  listings: readonly Listing<R>[],
  onPage?: (refs: R[]) => void,
): Promise<Listed<R>> {
  const read = await Promise.all(
    listings.map(async (l) => {
      const site: CallSite = l.resourceId
        ? { service, operation: l.operation, kind, resourceId: l.resourceId }
        : { service, operation: l.operation, kind };
      const refs: R[] = [];
      const complete = await pages(ctx, site, l.pages, (page) => {
        const found = keep([...l.refs(page as never)]);
        refs.push(...found);
        onPage?.(found);
      });
      return { refs, complete };
    }),
  );
  return { refs: read.flatMap((r) => r.refs), complete: read.every((r) => r.complete) };
}

async function describeAll<K extends ResourceArrayKind, R>(
  ctx: CollectContext,
  spec: KindSpec<K, R>,
  describe: Describe<R, ItemOf<K>>,
  refs: readonly R[],
): Promise<ItemOf<K>[]> {
  const items = await Promise.all(
    refs.map(async (ref) => {
      const site = { service: spec.service, operation: describe.operation, kind: spec.kind };
      const id = describe.id(ref);
      const item = await limited(ctx, id ? { ...site, resourceId: id } : site, () => describe.read(ref));
      if (item === undefined) await describe.failed?.(ref);
      else await describe.described?.(item);
      return item;
    }),
  );
  return keep(items);
}

/**
 * Collect one kind into `ctx.inventory`, reported to progress with its count (the references found,
 * or the items when nothing is described).
 */
export async function runKind<K extends ResourceArrayKind, R>(
  ctx: CollectContext,
  spec: KindSpec<K, R>,
): Promise<KindResult<K, R>> {
  const into = ctx.inventory[spec.kind] as ItemOf<K>[];
  // Listed items that need nothing more join the inventory page by page, as they are read (so a
  // mapper that throws half-way leaves what was read before it).
  const perPage = !spec.describe && !spec.complete && typeof spec.source !== 'function';
  let result: KindResult<K, R> = { refs: [], complete: true, items: [] };
  await collectKind(ctx, spec.kind, async () => {
    const found =
      typeof spec.source === 'function'
        ? await spec.source()
        : await readListings(
            ctx,
            spec.service,
            spec.kind,
            spec.source,
            perPage ? (refs) => into.push(...(refs as unknown as ItemOf<K>[])) : undefined,
          );
    await spec.listed?.(found);
    const items = spec.describe
      ? await describeAll(ctx, spec, spec.describe, found.refs)
      : (found.refs as unknown as ItemOf<K>[]);
    await spec.complete?.(items);
    if (!perPage) into.push(...items);
    result = { ...found, items };
    return spec.describe ? found.refs.length : items.length;
  });
  return result;
}
