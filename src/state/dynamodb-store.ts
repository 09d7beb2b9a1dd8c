/**
 * Finding state in DynamoDB. Partition key `scope` = `account#region`, sort key `fingerprint`; every
 * write is a PutItem conditional on the version read (or on the item not existing), so two overlapping
 * runs cannot lose an update or tell the same change twice. RESOLVED items carry `ttl` (epoch seconds).
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { type DigestMeta, type Scope, StateError, type StateStore } from './store.ts';
import type { FindingState } from './transition.ts';

const META_KEY = { scope: { S: '#meta' }, fingerprint: { S: 'digest' } };

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
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.call(() =>
          this.client.send(
            new QueryCommand({
              TableName: this.table,
              KeyConditionExpression: '#scope = :scope',
              ExpressionAttributeNames: { '#scope': 'scope' },
              ExpressionAttributeValues: { ':scope': { S: scope } },
              ConsistentRead: true,
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          ),
        );
        for (const item of page.Items ?? []) out.push(fromItem(item));
        start = page.LastEvaluatedKey;
      } while (start);
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

  async put(next: FindingState, expectedVersion: number | undefined): Promise<boolean> {
    return this.conditionalPut(toItem(next), expectedVersion);
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
          new PutItemCommand({
            TableName: this.table,
            Item: item,
            ...(expectedVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(fingerprint)' }
              : {
                  ConditionExpression: 'version = :v',
                  ExpressionAttributeValues: { ':v': { N: String(expectedVersion) } },
                }),
          }),
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
