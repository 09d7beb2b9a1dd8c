/**
 * AWS SDK v3 clients for one region, all configured the same way: the SDK's standard credential and
 * endpoint chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...), adaptive retries, request timeouts
 * that really end a hung request, and, under a time budget, a signal that aborts every call still in
 * flight when the budget ends (the request, and any retry wait), so no socket outlives the run.
 */

import type { BedrockClient } from '@aws-sdk/client-bedrock';
import { EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { AwsCredentialIdentity } from '@aws-sdk/types';

export interface ClientOptions {
  /** Total attempts per call, including the first (adaptive retry mode). */
  maxAttempts: number;
  /** Per-request timeout, ms: a request without a complete answer by then fails (and may be retried). */
  requestTimeoutMs: number;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = { maxAttempts: 6, requestTimeoutMs: 30_000 };

export interface RegionClients {
  ec2: EC2Client;
  sagemaker: SageMakerClient;
  networkFirewall: NetworkFirewallClient;
  /** Amazon Bedrock, whose SDK is loaded on first use only (it serves one kind). */
  bedrock: LazyClient<BedrockClient>;
}

/** A client created, and its SDK loaded, on first `get()`; `destroy()` ends it if it was created. */
export interface LazyClient<C> {
  get(): Promise<C>;
  destroy(): void;
}

export function lazyClient<C extends { destroy(): void }>(create: () => Promise<C>): LazyClient<C> {
  let client: Promise<C> | undefined;
  return {
    get: () => {
      client ??= create();
      return client;
    },
    destroy: () => {
      client?.then((c) => c.destroy()).catch(() => undefined);
    },
  };
}

/** What a region's clients are bound to beyond the standard chain. */
export interface ClientBinding {
  /** Credentials other than the standard chain's (an assumed role). */
  credentials?: () => Promise<AwsCredentialIdentity>;
  /** Aborts every call of the clients when it fires (the end of the time budget). */
  signal?: AbortSignal | undefined;
}

export function sdkConfig(region: string, options: ClientOptions = DEFAULT_CLIENT_OPTIONS) {
  return {
    region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts,
    // Without throwOnRequestTimeout the SDK's node handler only logs a warning when requestTimeout
    // passes and keeps waiting: a server that accepts and never answers would hold the call for ever.
    requestHandler: {
      requestTimeout: options.requestTimeoutMs,
      connectionTimeout: 5_000,
      throwOnRequestTimeout: true,
    },
  } as const;
}

interface Sends {
  send(command: unknown, options?: unknown): Promise<unknown>;
}

/**
 * Every call the client sends from now on carries `signal` (merged with a signal of its own, if the
 * call has one). The SDK then destroys the in-flight request, and cuts short a retry wait, when the
 * signal fires: paginators send through the same method, so their pages are bound too.
 */
export function abortOn<C extends object>(client: C, signal: AbortSignal | undefined): C {
  if (!signal) return client;
  const target = client as unknown as Sends;
  const send = target.send.bind(client);
  const bound = (command: unknown, options?: unknown) => {
    // A callback-style call is passed through as it is; collectors only use promises.
    if (typeof options === 'function')
      return (send as (...args: unknown[]) => Promise<unknown>)(command, options);
    const own = (options as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    const abortSignal = own ? AbortSignal.any([own, signal]) : signal;
    return send(command, { ...(options as object | undefined), abortSignal });
  };
  Object.defineProperty(client, 'send', { value: bound, configurable: true, writable: true });
  return client;
}

export function createRegionClients(
  region: string,
  options: ClientOptions = DEFAULT_CLIENT_OPTIONS,
  binding: ClientBinding = {},
): RegionClients {
  const config = {
    ...sdkConfig(region, options),
    ...(binding.credentials ? { credentials: binding.credentials } : {}),
  };
  return {
    ec2: abortOn(new EC2Client(config), binding.signal),
    sagemaker: abortOn(new SageMakerClient(config), binding.signal),
    networkFirewall: abortOn(new NetworkFirewallClient(config), binding.signal),
    bedrock: lazyClient(async () => {
      const { BedrockClient } = (await import('./bedrock-sdk.ts')).bedrockSdk;
      return abortOn(new BedrockClient(config), binding.signal);
    }),
  };
}

export function destroyRegionClients(clients: RegionClients): void {
  clients.ec2.destroy();
  clients.sagemaker.destroy();
  clients.networkFirewall.destroy();
  clients.bedrock.destroy();
}
