import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortOn, sdkConfig } from '../../../src/collect/clients.ts';
import { type HungServer, startHungServer } from '../../fixtures/hung-server.ts';
import { CREDENTIALS } from './kit.ts';

// abortOn and sdkConfig are the same for every client; SQS is one no unit test mocks, so these calls
// really reach the socket (the collectors' clients are mocked on their prototypes in this worker).
let server: HungServer;

function client(options: { requestTimeoutMs: number; maxAttempts?: number }): SQSClient {
  return new SQSClient({
    ...sdkConfig('us-east-1', { maxAttempts: options.maxAttempts ?? 1, ...options }),
    endpoint: server.endpoint,
    credentials: CREDENTIALS,
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

beforeAll(async () => {
  server = await startHungServer();
});
afterAll(async () => {
  await server.close();
});

describe('the clients of a collection', () => {
  it('abort a call in flight when the budget signal fires, and close its socket', async () => {
    // Prepare
    const controller = new AbortController();
    const sqs = abortOn(client({ requestTimeoutMs: 60_000, maxAttempts: 3 }), controller.signal);
    const accepted = server.accepted();
    const call = sqs.send(new ListQueuesCommand({}));
    await until(() => server.accepted() > accepted, 5_000);
    const started = Date.now();
    // Act
    controller.abort(new Error('budget'));
    const err = await call.catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await until(() => server.open() === 0, 2_000)).toBe(true);
    sqs.destroy();
  });

  it("merge a call's own signal with the budget's: either one aborts the call", async () => {
    // Prepare
    const budget = new AbortController();
    const own = new AbortController();
    const sqs = abortOn(client({ requestTimeoutMs: 60_000 }), budget.signal);
    const call = sqs.send(new ListQueuesCommand({}), { abortSignal: own.signal });
    // Act
    setTimeout(() => own.abort(), 100);
    const err = await call.catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(budget.signal.aborted).toBe(false);
    sqs.destroy();
  });

  it('end a request that gets no answer within the request timeout (the SDK only warns by default)', async () => {
    // Prepare
    const sqs = client({ requestTimeoutMs: 300 });
    const started = Date.now();
    // Act
    const err = await sqs.send(new ListQueuesCommand({})).catch((e: unknown) => e);
    // Assess
    expect(err).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(3_000);
    sqs.destroy();
  });

  it('leave a client without a budget signal as it was', () => {
    // Prepare
    const sqs = client({ requestTimeoutMs: 1_000 });
    const send = sqs.send;
    // Act
    const same = abortOn(sqs, undefined);
    // Assess
    expect(same).toBe(sqs);
    expect(same.send).toBe(send);
    sqs.destroy();
  });
});
