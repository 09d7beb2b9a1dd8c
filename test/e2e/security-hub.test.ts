/**
 * The Security Hub sink against moto's securityhub: the demo's findings imported in batches per region,
 * the same Ids on a second import (idempotent), and a resolved finding archived.
 */
import {
  type AwsSecurityFinding,
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { analyzeInventory } from '../../src/audit.ts';
import { parseAuditConfig } from '../../src/config.ts';
import { readSnapshot } from '../../src/inventory/snapshot.ts';
import { asffId } from '../../src/report/formats/asff.ts';
import { publishToSecurityHub } from '../../src/report/security-hub.ts';
import { clientConfig, MOTO_ACCOUNT, resetMoto } from './seed.ts';

const endpoint = inject('motoEndpoint');
const clients = new Map<string, SecurityHubClient>();
const clientFor = (region: string) => {
  const client = clients.get(region) ?? new SecurityHubClient(clientConfig(endpoint, region));
  clients.set(region, client);
  return client;
};

async function findingsIn(region: string): Promise<AwsSecurityFinding[]> {
  const out: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await clientFor(region).send(new GetFindingsCommand({ MaxResults: 100, NextToken }));
    out.push(...(page.Findings ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

describe('Security Hub sink against moto', () => {
  let result: ReturnType<typeof analyzeInventory>;

  beforeAll(async () => {
    await resetMoto(endpoint);
    result = analyzeInventory(await readSnapshot('events/demo-snapshot.json'), parseAuditConfig({}));
    for (const region of new Set(result.findings.map((f) => f.region)))
      await clientFor(region).send(new EnableSecurityHubCommand({}));
  });

  it('imports every FAIL finding once per region, and a second import keeps the same Ids', async () => {
    // Prepare
    const failed = result.findings.filter((f) => f.status === 'FAIL');
    const regions = [...new Set(failed.map((f) => f.region))];

    // Act
    const first = await publishToSecurityHub(clientFor, result, [], MOTO_ACCOUNT);
    const second = await publishToSecurityHub(clientFor, result, [], MOTO_ACCOUNT);

    // Assess
    expect(first).toMatchObject({ imported: failed.length, failed: 0 });
    expect(second).toMatchObject({ imported: failed.length, failed: 0 });
    for (const region of regions) {
      const stored = await findingsIn(region);
      const expected = failed.filter((f) => f.region === region).map((f) => asffId(f.fingerprint));
      expect(stored.map((f) => f.Id).sort()).toEqual([...new Set(expected)].sort());
      expect(stored[0]).toMatchObject({ SchemaVersion: '2018-10-08', RecordState: 'ACTIVE' });
    }
  });

  it('archives a finding the run resolved (RecordState ARCHIVED, Workflow RESOLVED)', async () => {
    // Prepare
    const gone = result.findings.find((f) => f.status === 'FAIL');
    if (!gone) throw new Error('the demo has a FAIL finding');
    const rest = { ...result, findings: result.findings.filter((f) => f !== gone) };

    // Act
    const outcome = await publishToSecurityHub(clientFor, rest, [gone], MOTO_ACCOUNT);

    // Assess
    expect(outcome).toMatchObject({ archived: 1, failed: 0 });
    const stored = (await findingsIn(gone.region)).find((f) => f.Id === asffId(gone.fingerprint));
    expect(stored?.RecordState).toBe('ARCHIVED');
    expect(stored?.Workflow?.Status).toBe('RESOLVED');
  });
});
