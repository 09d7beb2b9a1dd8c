/**
 * The fault suite's proxy (test/faults/proxy.ts) against moto, through the real SDK clients: every
 * fault kind reaches the SDK as AWS would send it, in each protocol the collectors speak (ec2Query,
 * awsQuery, awsJson 1.1 and 1.0), and what is not faulted is forwarded and recorded.
 */
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListFirewallsCommand, NetworkFirewallClient } from '@aws-sdk/client-network-firewall';
import { ListDomainsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { FaultKind } from '../faults/protocol.ts';
import { type FaultProxy, startFaultProxy } from '../faults/proxy.ts';

const moto = inject('motoEndpoint');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
let proxy: FaultProxy | undefined;

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const config = (endpoint: string) => ({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });

/** One call per protocol, by the operation key the proxy faults. */
const CALLS: Record<string, (endpoint: string, signal?: AbortSignal) => Promise<unknown>> = {
  'ec2:DescribeVpcs': (e, abortSignal) =>
    new EC2Client(config(e)).send(new DescribeVpcsCommand({}), { abortSignal }),
  'sts:GetCallerIdentity': (e, abortSignal) =>
    new STSClient(config(e)).send(new GetCallerIdentityCommand({}), { abortSignal }),
  'sagemaker:ListDomains': (e, abortSignal) =>
    new SageMakerClient(config(e)).send(new ListDomainsCommand({}), { abortSignal }),
  'network-firewall:ListFirewalls': (e, abortSignal) =>
    new NetworkFirewallClient(config(e)).send(new ListFirewallsCommand({}), { abortSignal }),
};

async function faultedCall(operation: string, kind: FaultKind): Promise<unknown> {
  proxy = await startFaultProxy(moto, { operation, kind });
  const call = CALLS[operation]!;
  return call(proxy.endpoint, kind === 'hang' ? AbortSignal.timeout(500) : undefined).then(
    () => 'answered',
    (err: unknown) => err,
  );
}

const EXPECTED: Record<string, Record<'access-denied' | 'throttling' | 'http-500', string>> = {
  'ec2:DescribeVpcs': {
    'access-denied': 'UnauthorizedOperation',
    throttling: 'RequestLimitExceeded',
    'http-500': 'InternalError',
  },
  'sts:GetCallerIdentity': {
    'access-denied': 'AccessDenied',
    throttling: 'Throttling',
    'http-500': 'InternalFailure',
  },
  'sagemaker:ListDomains': {
    'access-denied': 'AccessDeniedException',
    throttling: 'ThrottlingException',
    'http-500': 'InternalFailure',
  },
  'network-firewall:ListFirewalls': {
    'access-denied': 'AccessDeniedException',
    throttling: 'ThrottlingException',
    'http-500': 'InternalFailure',
  },
};

describe('the fault proxy, through the real SDK', () => {
  for (const [operation, codes] of Object.entries(EXPECTED)) {
    it(`answers ${operation} with each AWS error as the SDK names it`, async () => {
      for (const [kind, code] of Object.entries(codes)) {
        const err = await faultedCall(operation, kind as FaultKind);
        expect(err, `${operation} × ${kind}`).toMatchObject({ name: code });
        expect(proxy?.faulted()).toBe(1);
        await proxy?.close();
        proxy = undefined;
      }
    });

    it(`cuts the body of ${operation}'s 200 so the SDK cannot read it, and holds a hung call until the client gives up`, async () => {
      const truncated = await faultedCall(operation, 'truncated-200');
      expect(truncated).toBeInstanceOf(Error);
      await proxy?.close();
      const hung = await faultedCall(operation, 'hang');
      expect(hung).toMatchObject({ name: 'AbortError' });
    });
  }

  it('forwards what is not faulted to moto and records every operation it saw', async () => {
    proxy = await startFaultProxy(moto, { operation: 'ec2:DescribeSubnets', kind: 'access-denied' });
    const answer = await new EC2Client(config(proxy.endpoint)).send(new DescribeVpcsCommand({}));
    await new STSClient(config(proxy.endpoint)).send(new GetCallerIdentityCommand({}));
    expect(answer.Vpcs).toBeDefined();
    expect(proxy.faulted()).toBe(0);
    expect([...proxy.calls.entries()]).toEqual([
      ['ec2:DescribeVpcs', 1],
      ['sts:GetCallerIdentity', 1],
    ]);
  });
});
