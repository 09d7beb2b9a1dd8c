/**
 * SageMaker tags: the Describe* answers carry none, so each resource read is asked for its tags
 * (ListTags, by the ARN the kind table names), whose keys are kept and whose values are kept only as
 * hashes (hashTags). A resource whose tags could not be read keeps no `tags` (a `tags` coverage gap
 * names its ARN), so nothing takes it for a resource without tags.
 */
import { paginateListTags, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { RESOURCE_TABLE, type ResourceArrayKind } from '../inventory/kinds.ts';
import type { HashedTags } from '../inventory/tags.ts';
import { type CollectContext, hashTags, pages, type SdkTag, siteFor } from './common.ts';
import type { ItemOf } from './task.ts';

const site = siteFor('sagemaker');

/** The largest page the SageMaker List* calls accept. */
export const PAGE_SIZE = 100;
export const PAGINATION = { pageSize: PAGE_SIZE, stopOnSameToken: true } as const;

/** Error codes that mean the role may not call ListTags at all (an IAM matter, not a resource's). */
const DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnauthorizedAccess)$/;

/** Scopes where ListTags was denied: asked no more, reported once. */
const tagsDenied = new WeakSet<CollectContext>();

/**
 * Read the tags of each item of `kind` (ListTags by its ARN, every page) under the describe
 * concurrency limit, and set them on it. An item whose tags could not all be read (a failed page, the
 * time budget) is left without `tags` and the gap names its ARN: a partial list would read as the
 * whole. An item without an ARN cannot be asked and stays without `tags` too.
 *
 * A denial (a role without sagemaker:ListTags, e.g. an older member role) is not the resource's
 * problem: the scope stops asking, and one gap without a resource id stands for every SageMaker
 * resource of the region, instead of one per resource.
 */
export function readTags<K extends ResourceArrayKind>(
  ctx: CollectContext,
  sm: SageMakerClient,
  kind: K,
): (items: ItemOf<K>[]) => Promise<void> {
  const arnField = RESOURCE_TABLE[kind].arn.apiField as string;
  return async (items) => {
    await Promise.all(
      items.map((item) => {
        const arn = (item as Record<string, unknown>)[arnField] as string | undefined;
        if (!arn) return undefined;
        return ctx.limit(async () => {
          if (tagsDenied.has(ctx)) return;
          const tags: SdkTag[] = [];
          const complete = await pages(
            ctx,
            site('ListTags', 'tags', arn),
            paginateListTags({ client: sm, ...PAGINATION }, { ResourceArn: arn }),
            (page) => {
              tags.push(...(page.Tags ?? []));
            },
          );
          if (complete) (item as { tags?: HashedTags }).tags = hashTags(tags);
          else foldDenial(ctx, arn);
        });
      }),
    );
  };
}

/** Replace a ListTags denial on one resource by the scope's single denial gap. */
function foldDenial(ctx: CollectContext, arn: string): void {
  const gaps = ctx.inventory.gaps;
  const i = gaps.findIndex(
    (g) => g.operation === 'ListTags' && g.resourceId === arn && DENIED.test(g.errorCode),
  );
  if (i < 0) return;
  const [gap] = gaps.splice(i, 1);
  if (tagsDenied.has(ctx) || !gap) return;
  tagsDenied.add(ctx);
  const { resourceId: _resourceId, ...rest } = gap;
  gaps.push({
    ...rest,
    message: `${gap.message} (ListTags denied: no SageMaker resource's tags were read in ${ctx.region}, so suppressions by tags match none of them)`,
  });
}
