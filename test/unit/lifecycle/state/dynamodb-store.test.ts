import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbStateStore, toItem } from '../../../../src/lifecycle/state/dynamodb-store.ts';
import type { FindingState } from '../../../../src/lifecycle/state/transition.ts';

const ddbMock = mockClient(DynamoDBClient);
const client = new DynamoDBClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  maxAttempts: 1,
});

function state(fingerprint: string, version: number): FindingState {
  return {
    fingerprint,
    version,
    account: '111122223333',
    region: 'us-east-1',
    ruleId: 'sg-world-ingress-admin-port',
    severity: 'HIGH',
    status: 'NEW',
    firstSeen: '2026-11-22T00:00:00.000Z',
    lastSeen: '2026-11-22T00:00:00.000Z',
    lastRunId: 'run-1',
    title: 't',
    resource: { type: 'AWS::EC2::SecurityGroup', id: fingerprint, arn: `arn:${fingerprint}` },
  } as unknown as FindingState;
}

describe('DynamoDbStateStore batching', () => {
  beforeEach(() => {
    ddbMock.reset();
  });

  it('sends the puts of one tick as one transaction of conditional puts', async () => {
    // Prepare
    ddbMock.on(TransactWriteItemsCommand).resolves({});
    const store = new DynamoDbStateStore(client, 'state');
    // Act
    const results = await Promise.all([store.put(state('a', 1), undefined), store.put(state('b', 3), 2)]);
    // Assess
    expect(results).toEqual([true, true]);
    expect(ddbMock).toHaveReceivedCommandTimes(TransactWriteItemsCommand, 1);
    expect(ddbMock).toHaveReceivedCommandTimes(PutItemCommand, 0);
    const items = ddbMock.commandCalls(TransactWriteItemsCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Put?.ConditionExpression)).toEqual([
      'attribute_not_exists(fingerprint)',
      'version = :v',
    ]);
    expect(items[1]?.Put?.ExpressionAttributeValues).toEqual({ ':v': { N: '2' } });
  });

  it('reports a failed condition as a conflict for that item only, and writes the rest again', async () => {
    // Prepare
    ddbMock.on(TransactWriteItemsCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
      }),
    );
    ddbMock.on(PutItemCommand).resolves({});
    const store = new DynamoDbStateStore(client, 'state');
    // Act
    const results = await Promise.all([store.put(state('a', 1), undefined), store.put(state('b', 3), 2)]);
    // Assess
    expect(results).toEqual([true, false]);
    expect(ddbMock).toHaveReceivedCommandTimes(PutItemCommand, 1);
  });

  it('after a transaction that failed otherwise, recognises its own put that landed rather than calling it a conflict', async () => {
    // Prepare
    const mine = state('a', 2);
    ddbMock
      .on(TransactWriteItemsCommand)
      .rejects(Object.assign(new Error('Internal'), { name: 'InternalServerError' }));
    ddbMock
      .on(PutItemCommand)
      .rejects(Object.assign(new Error('failed'), { name: 'ConditionalCheckFailedException' }));
    ddbMock.on(GetItemCommand).resolves({ Item: toItem(mine) });
    const store = new DynamoDbStateStore(client, 'state');
    // Act
    const results = await Promise.all([store.put(mine, 1), store.put(state('b', 5), 4)]);
    // Assess: a landed, b genuinely conflicts (the stored item is not ours)
    expect(results[0]).toBe(true);
    expect(results[1]).toBe(false);
  });
});
