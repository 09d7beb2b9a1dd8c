/**
 * AWS SDK v3 clients for one region, all configured the same way: the SDK's standard credential and
 * endpoint chain (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...), adaptive retries, and request
 * timeouts so a hung connection cannot stall a run.
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';

export interface ClientOptions {
  /** Total attempts per call, including the first (adaptive retry mode). */
  maxAttempts: number;
  /** Per-request socket timeout, ms. */
  requestTimeoutMs: number;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = { maxAttempts: 6, requestTimeoutMs: 30_000 };

export interface RegionClients {
  ec2: EC2Client;
  sagemaker: SageMakerClient;
  networkFirewall: NetworkFirewallClient;
}

export function sdkConfig(region: string, options: ClientOptions = DEFAULT_CLIENT_OPTIONS) {
  return {
    region,
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts,
    requestHandler: { requestTimeout: options.requestTimeoutMs, connectionTimeout: 5_000 },
  } as const;
}

export function createRegionClients(
  region: string,
  options: ClientOptions = DEFAULT_CLIENT_OPTIONS,
): RegionClients {
  const config = sdkConfig(region, options);
  return {
    ec2: new EC2Client(config),
    sagemaker: new SageMakerClient(config),
    networkFirewall: new NetworkFirewallClient(config),
  };
}

export function destroyRegionClients(clients: RegionClients): void {
  clients.ec2.destroy();
  clients.sagemaker.destroy();
  clients.networkFirewall.destroy();
}
