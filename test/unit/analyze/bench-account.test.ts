import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { benchInventory } from '../../../bench/account.ts';
import { analyzeInventory } from '../../../src/audit.ts';
import { parseAuditConfig } from '../../../src/config.ts';

/**
 * The benchmark's account at 1x (bench/account.ts: 5,000 groups, 50,000 rules, 2,000 ML placements, 20
 * firewalls) pins the analyzer's output: a speed-up must leave every finding and the exposure section
 * byte for byte as they were. The digest was taken before the analyzer was optimized (commit 5fd4b89),
 * then moved once on purpose: issue #12 retitled reach-ml-egress-unfiltered-protocol ("... unfiltered or
 * uninspected"), the only difference on this account (241 findings' titles; no finding, message,
 * evidence or exposure entry changed). Moved again by issue #13: each exposure path (in, out, blocked)
 * gained `steps`, its hops as { kind, id } nodes for the HTML report's diagrams (no finding changed).
 * Then paths carry the names of the resources
 * their hops name (a `name` on a hop, `names` on a path; here the security groups' group names). With
 * those two fields dropped, the output hashes to the digest before (7c9e5344…, with the steps).
 */
const DIGEST_BEFORE_NAMES = '7c9e5344df8abf21eca54128e9c032b73fca2f0f054143f8162950d27ef4cb7d';
const DIGEST_1X = '5bd29ba3e6c548ec54342cc46c893527e337920d54b38ca367d0c61d4f0340ff';

describe('bench account at 1x', () => {
  it('yields the same findings and exposure, byte for byte', () => {
    // Prepare
    const inventory = benchInventory(1);

    // Act
    const result = analyzeInventory(inventory, parseAuditConfig({ scope: 'account' }));
    const json = JSON.stringify({ findings: result.findings, exposure: result.exposure });

    // Assess
    expect(result.findings).toHaveLength(19332);
    expect(result.exposure).toHaveLength(2000);
    expect(createHash('sha256').update(json).digest('hex')).toBe(DIGEST_1X);
    const withoutNames = JSON.stringify(JSON.parse(json), function (key, value) {
      const hop = typeof this === 'object' && this !== null && 'kind' in this && 'text' in this;
      return key === 'names' || (key === 'name' && hop) ? undefined : value;
    });
    expect(createHash('sha256').update(withoutNames).digest('hex')).toBe(DIGEST_BEFORE_NAMES);
  }, 60_000);
});
