/**
 * What every collector test shares: a collection context, client configs that retry without waiting,
 * AWS-shaped errors (access denied, throttling, a 500, an unparseable answer), paged answers, and a
 * middleware that throttles a command once inside the SDK's own retry loop.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@aws-sdk/types';
import {
  type CollectContext,
  type CollectOptions,
  createContext,
  type ProgressEvent,
} from '../../../src/collect/common.ts';
import { emptyRegionInventory } from '../../../src/inventory/schema.ts';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'x', secretAccessKey: 'y' };

export interface TestContextOptions extends Partial<CollectOptions> {
  account?: string;
  region?: string;
  /** Epoch ms of the time budget's end; undefined for none. */
  deadline?: number;
  progress?: (event: ProgressEvent) => void;
}

/** A context over an empty region inventory: 30-day job window, 1000 jobs, 4 describes at once. */
export function testContext(options: TestContextOptions = {}): CollectContext {
  const { account = ACCOUNT, region = REGION, deadline, progress, ...collect } = options;
  return createContext(
    emptyRegionInventory(account, region),
    { jobWindowDays: 30, maxJobsPerKind: 1000, describeConcurrency: 4, now: () => new Date(), ...collect },
    deadline,
    progress,
  );
}

/**
 * Retries as the SDK's strategies do (throttling, transient and server errors, up to `maxAttempts`
 * attempts) but without waiting between attempts, so a retry test takes no backoff time.
 */
export function zeroDelayRetries(maxAttempts: number): RetryStrategyV2 {
  const token = (count: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => 0 });
  return {
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: RetryToken, info: RetryErrorInfo) => {
      const next = previous.getRetryCount() + 1;
      if (info.errorType === 'CLIENT_ERROR' || next >= maxAttempts) throw new Error('no more retries');
      return token(next);
    },
    recordSuccess: () => undefined,
  };
}

/** A client config for tests: fake credentials, three attempts, retried without waiting. */
export function clientConfig(region = REGION) {
  return {
    region,
    maxAttempts: 3,
    retryMode: 'adaptive',
    retryStrategy: zeroDelayRetries(3),
    credentials: CREDENTIALS,
  } as const;
}

/** An error as the SDK throws it for an AWS error answer. */
export function awsError(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    ...extra,
  });
}

export const accessDenied = () =>
  awsError('AccessDeniedException', 'User is not authorized to perform this action');
export const throttled = () =>
  awsError('ThrottlingException', 'Rate exceeded', { $retryable: { throttling: true } });
export const internalError = () =>
  awsError('InternalFailure', 'We encountered an internal error. Please try again.', {
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });
export const unparseable = () => new SyntaxError('Unexpected token < in JSON at position 0');

/**
 * Answer a command with `outputs` as successive pages: the first call (no token) gets page 1 with
 * NextToken "page-2", a call with that token gets page 2, and so on. A token the collector should
 * not have sent fails the call, so a pagination bug shows up as a gap instead of an endless loop.
 */
export function pagedAnswers<T extends object>(outputs: T[]): (input: { NextToken?: string }) => T {
  return (input) => {
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken.replace('page-', '')) - 1;
    const page = outputs[index];
    if (!page) throw new Error(`unexpected NextToken ${String(input.NextToken)}`);
    return index < outputs.length - 1 ? { ...page, NextToken: `page-${index + 2}` } : page;
  };
}

/** The part of an SDK client's middleware stack these helpers use (every client has it). */
interface MiddlewareStackLike {
  add: (
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: 'initialize' | 'deserialize'; name: string; priority: 'high' },
  ) => void;
}

interface MiddlewareClient {
  middlewareStack: unknown;
}

/** The middleware stack of any SDK client (bench/collect-cost.ts counts calls through it too). */
export function stackOf(client: MiddlewareClient): MiddlewareStackLike {
  return client.middlewareStack as MiddlewareStackLike;
}

/**
 * Answer every command from the deserialize step (inside the SDK's retry loop) with `answer`, so the
 * client's own middleware (retries, signing) runs and nothing is sent anywhere. A throw from `answer`
 * is the call's error. Returns the attempts seen per command ("DescribeVpcsCommand").
 */
export function answerWithoutNetwork(
  client: MiddlewareClient,
  answer: (command: string, attempt: number) => object,
): Map<string, number> {
  const attempts = new Map<string, number>();
  stackOf(client).add(
    (_next, context) => async () => {
      const command = String(context.commandName);
      const attempt = (attempts.get(command) ?? 0) + 1;
      attempts.set(command, attempt);
      return {
        response: { statusCode: 200, headers: {} },
        output: { ...answer(command, attempt), $metadata: {} },
      };
    },
    { step: 'deserialize', name: 'answerWithoutNetwork', priority: 'high' },
  );
  return attempts;
}

/**
 * Throttle the first attempt of `commandName` (e.g. "DescribeVpcsCommand") from inside the SDK's
 * retry loop (the deserialize step), as AWS would answer; later attempts go on down the stack (add it
 * before `answerWithoutNetwork`, which then answers them). Returns the attempts seen per command.
 */
export function throttleOnce(client: MiddlewareClient, commandName: string): Map<string, number> {
  const attempts = new Map<string, number>();
  stackOf(client).add(
    (next, context) => async (args) => {
      const command = String(context.commandName);
      const attempt = (attempts.get(command) ?? 0) + 1;
      attempts.set(command, attempt);
      if (command === commandName && attempt === 1) {
        throw Object.assign(new Error('Rate exceeded'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
          $retryable: { throttling: true },
        });
      }
      return next(args);
    },
    { step: 'deserialize', name: 'throttleOnce', priority: 'high' },
  );
  return attempts;
}
