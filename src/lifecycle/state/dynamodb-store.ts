/**
 * Finding state in DynamoDB. Partition key `scope` = `account#region`, sort key `fingerprint`; every
 * write is conditional on the version read (or on the item not existing), so two overlapping runs cannot
 * lose an update or tell the same change twice. Writes are batched: the puts issued in one tick go out as
 * TransactWriteItems of up to 100 conditional puts; a cancelled transaction reports, item by item, which
 * condition failed (a conflict: the caller re-reads and recomputes) and the rest are written again.
 * RESOLVED items carry `ttl` (epoch seconds).
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  paginateQuery,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { type DigestMeta, type Scope, StateError, type StateStore } from './store.ts';
import type { FindingState } from './transition.ts';

const META_KEY = { scope: { S: '#meta' }, fingerprint: { S: 'digest' } };

/** TransactWriteItems' limit. */
export const MAX_TRANSACTION_ITEMS = 100;

interface QueuedPut {
  item: Record<string, AttributeValue>;
  expectedVersion: number | undefined;
  resolve: (written: boolean) => void;
  reject: (err: unknown) => void;
}

function condition(expectedVersion: number | undefined) {
  return expectedVersion === undefined
    ? { ConditionExpression: 'attribute_not_exists(fingerprint)' }
    : {
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': { N: String(expectedVersion) } },
      };
}

/** Top-level attributes (queryable, readable in the console); the rest is one JSON `detail` attribute. */
const STRING_ATTRS = [
  'account',
  'region',
  'ruleId',
  'severity',
  'status',
  'firstSeen',
  'lastSeen',
  'lastNotified',
  'resolvedAt',
  'pending',
  'lastRunId',
] as const;

export function toItem(s: FindingState): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    scope: { S: `${s.account}#${s.region}` },
    fingerprint: { S: s.fingerprint },
    version: { N: String(s.version) },
    detail: {
      S: JSON.stringify({
        title: s.title,
        resource: s.resource,
        newReason: s.newReason,
        suppression: s.suppression,
        expiredSuppression: s.expiredSuppression,
      }),
    },
  };
  for (const k of STRING_ATTRS) {
    const v = s[k];
    if (v !== undefined) item[k] = { S: v };
  }
  if (s.suppression) item.suppressionReason = { S: s.suppression.reason };
  if (s.ttl !== undefined) item.ttl = { N: String(s.ttl) };
  return item;
}

export function fromItem(item: Record<string, AttributeValue>): FindingState {
  const str = (k: string) => item[k]?.S;
  const detail = JSON.parse(str('detail') ?? '{}') as Partial<FindingState>;
  const out: Record<string, unknown> = {
    fingerprint: str('fingerprint'),
    version: Number(item.version?.N ?? 0),
    title: detail.title ?? '',
    resource: detail.resource ?? { type: '', id: '', arn: '' },
  };
  for (const k of STRING_ATTRS) if (str(k) !== undefined) out[k] = str(k);
  for (const k of ['newReason', 'suppression', 'expiredSuppression'] as const)
    if (detail[k] !== undefined) out[k] = detail[k];
  if (item.ttl?.N !== undefined) out.ttl = Number(item.ttl.N);
  return out as unknown as FindingState;
}

export class DynamoDbStateStore implements StateStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async load(scopes: readonly Scope[]): Promise<FindingState[]> {
    const out: FindingState[] = [];
    for (const scope of scopes) {
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.table,
          KeyConditionExpression: '#scope = :scope',
          ExpressionAttributeNames: { '#scope': 'scope' },
          ExpressionAttributeValues: { ':scope': { S: scope } },
          ConsistentRead: true,
        },
      );
      await this.call(async () => {
        for await (const page of pages) for (const item of page.Items ?? []) out.push(fromItem(item));
      });
    }
    return out;
  }

  async get(key: { account: string; region: string; fingerprint: string }) {
    const out = await this.call(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.table,
          Key: { scope: { S: `${key.account}#${key.region}` }, fingerprint: { S: key.fingerprint } },
          ConsistentRead: true,
        }),
      ),
    );
    return out.Item ? fromItem(out.Item) : undefined;
  }

  private queue: QueuedPut[] = [];
  private scheduled = false;

  /** Queued, and sent with the other puts of this tick in one conditional transaction. */
  put(next: FindingState, expectedVersion: number | undefined): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item: toItem(next), expectedVersion, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.drain();
        });
      }
    });
  }

  private async drain(): Promise<void> {
    const batches: QueuedPut[][] = [];
    while (this.queue.length) batches.push(this.queue.splice(0, MAX_TRANSACTION_ITEMS));
    await Promise.all(batches.map((b) => this.writeBatch(b)));
  }

  private async writeBatch(batch: QueuedPut[]): Promise<void> {
    if (batch.length === 1) {
      const [one] = batch as [QueuedPut];
      await this.conditionalPut(one.item, one.expectedVersion).then(one.resolve, one.reject);
      return;
    }
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: batch.map((p) => ({
            Put: { TableName: this.table, Item: p.item, ...condition(p.expectedVersion) },
          })),
        }),
      );
      for (const p of batch) p.resolve(true);
    } catch (err) {
      const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      const cancelled =
        (err as Error).name === 'TransactionCanceledException' && reasons?.length === batch.length;
      // Item by item: a failed condition is a conflict; everything else is written again on its own
      // (a transaction that failed in some other way, e.g. throttling or a conflict between concurrent
      // transactions, is retried put by put, recognising a put of ours that did land).
      await Promise.all(
        batch.map((p, i) =>
          cancelled && reasons?.[i]?.Code === 'ConditionalCheckFailed'
            ? p.resolve(false)
            : this.putOrRecognise(p).then(p.resolve, p.reject),
        ),
      );
    }
  }

  /** A conditional put; on a failed condition, true when the stored item is exactly this write (it landed). */
  private async putOrRecognise(p: QueuedPut): Promise<boolean> {
    if (await this.conditionalPut(p.item, p.expectedVersion)) return true;
    const stored = await this.call(() =>
      this.client.send(
        new GetItemCommand({
          TableName: this.table,
          Key: { scope: p.item.scope as AttributeValue, fingerprint: p.item.fingerprint as AttributeValue },
          ConsistentRead: true,
        }),
      ),
    );
    return (
      stored.Item?.version?.N === p.item.version?.N &&
      stored.Item?.lastRunId?.S !== undefined &&
      stored.Item?.lastRunId?.S === p.item.lastRunId?.S
    );
  }

  async getMeta(): Promise<DigestMeta | undefined> {
    const out = await this.call(() =>
      this.client.send(new GetItemCommand({ TableName: this.table, Key: META_KEY, ConsistentRead: true })),
    );
    if (!out.Item) return undefined;
    return {
      version: Number(out.Item.version?.N ?? 0),
      ...(out.Item.lastReminderAt?.S ? { lastReminderAt: out.Item.lastReminderAt.S } : {}),
      ...(out.Item.lastDigestAt?.S ? { lastDigestAt: out.Item.lastDigestAt.S } : {}),
    };
  }

  async putMeta(next: DigestMeta, expectedVersion: number | undefined): Promise<boolean> {
    const item: Record<string, AttributeValue> = { ...META_KEY, version: { N: String(next.version) } };
    if (next.lastReminderAt) item.lastReminderAt = { S: next.lastReminderAt };
    if (next.lastDigestAt) item.lastDigestAt = { S: next.lastDigestAt };
    return this.conditionalPut(item, expectedVersion);
  }

  async flush(): Promise<void> {}

  private async conditionalPut(
    item: Record<string, AttributeValue>,
    expectedVersion: number | undefined,
  ): Promise<boolean> {
    try {
      await this.call(() =>
        this.client.send(
          new PutItemCommand({ TableName: this.table, Item: item, ...condition(expectedVersion) }),
        ),
      );
      return true;
    } catch (err) {
      if (
        err instanceof ConditionalCheckFailedException ||
        (err as Error).name === 'ConditionalCheckFailedException'
      )
        return false;
      throw err;
    }
  }

  /** Any failure but a condition check is a StateError naming the table: the run fails loudly. */
  private async call<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') throw err;
      throw new StateError(`state table ${this.table}: ${(err as Error).name}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
}
