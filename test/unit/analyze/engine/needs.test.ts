/**
 * A rule's `needs` is what makes it NOT_EVALUATED when a kind could not be read: a kind a rule reads but
 * does not name is a false clean waiting for its coverage gap. Every rule runs here on inventories whose
 * reads are recorded, and may read only the kinds it names: in `needs`, or in `optionalReads` when the
 * kind only words a finding (or the rule reports its gap itself), which is checked by reading the scope
 * again without that kind, as a failed collection would leave it: no failure may vanish without a
 * NOT_EVALUATED.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../../src/analyze/engine/registry.ts';
import { runRules } from '../../../../src/analyze/engine/run.ts';
import { ScopeIndex } from '../../../../src/analyze/engine/scope-index.ts';
import {
  type Inventory,
  RESOURCE_ARRAY_KEYS,
  type RegionInventory,
  type ResourceKind,
} from '../../../../src/inventory/schema.ts';
import { parseSnapshot } from '../../../../src/inventory/snapshot.ts';
import { referenceArchitecture } from '../../../fixtures/reachability.ts';

const KINDS = new Set<string>(RESOURCE_ARRAY_KEYS);

/** The scope, behind a proxy that records which resource kinds are read. */
function recording(scope: RegionInventory): { scope: RegionInventory; read: Set<ResourceKind> } {
  const read = new Set<ResourceKind>();
  const proxy = new Proxy(scope, {
    get(target, key, receiver) {
      if (typeof key === 'string' && KINDS.has(key)) read.add(key as ResourceKind);
      return Reflect.get(target, key, receiver);
    },
  });
  return { scope: proxy, read };
}

/** The scope as a collection that could not read `kind` leaves it: none of it, and a gap. */
function withoutKind(scope: RegionInventory, kind: ResourceKind): RegionInventory {
  return {
    ...scope,
    [kind]: [],
    gaps: [
      ...scope.gaps,
      { service: 'test', operation: 'Describe', kind, errorCode: 'AccessDenied', message: 'denied' },
    ],
  };
}

const demo = parseSnapshot(JSON.parse(readFileSync('events/demo-snapshot.json', 'utf8')));
const SCOPES: [string, RegionInventory][] = [
  ...demo.regions.map((s): [string, RegionInventory] => [`demo ${s.region}`, s]),
  ['reference architecture', referenceArchitecture()],
];

function run(rule: (typeof RULES)[number], scope: RegionInventory) {
  const inventory: Inventory = { ...demo, regions: [scope] };
  return runRules(inventory, [{ rule, options: rule.meta.options?.parse({}) ?? {} }]);
}

describe('rule needs', () => {
  describe.each(RULES.map((r) => [r.meta.id, r] as const))('%s', (_id, rule) => {
    it.each(SCOPES)('reads only the kinds it needs or names as optional (%s)', (_name, base) => {
      // Prepare
      const { scope, read } = recording(base);
      const options = rule.meta.options?.parse({}) ?? {};
      const named = new Set([...rule.meta.needs, ...(rule.meta.optionalReads ?? [])]);
      // Act
      [...rule.evaluate({ scope, index: new ScopeIndex(scope), options })];
      // Assess
      const unnamed = [...read].filter((k) => !named.has(k));
      expect(unnamed, `${rule.meta.id} reads kinds its needs does not name`).toEqual([]);
    });

    it.each(
      SCOPES.flatMap(([name, scope]) =>
        (rule.meta.optionalReads ?? []).map((kind): [string, string, RegionInventory] => [kind, name, scope]),
      ),
    )('hides no failure when its optional read %s could not be read (%s)', (kind, _name, scope) => {
      // Prepare
      const full = run(rule, scope).filter((f) => f.status === 'FAIL');
      // Act
      const gapped = run(rule, withoutKind(scope, kind as ResourceKind));
      // Assess
      const still = new Set(gapped.filter((f) => f.status === 'FAIL').map((f) => f.fingerprint));
      const vanished = full.filter((f) => !still.has(f.fingerprint)).map((f) => f.message);
      if (!gapped.some((f) => f.status === 'NOT_EVALUATED')) expect(vanished).toEqual([]);
    });
  });

  it('names no kind both as needed and as optional', () => {
    // Act
    const both = RULES.flatMap((r) =>
      (r.meta.optionalReads ?? []).filter((k) => r.meta.needs.includes(k)).map((k) => `${r.meta.id}: ${k}`),
    );
    // Assess
    expect(both).toEqual([]);
  });

  it('records reads, so a rule reading an unnamed kind would fail', () => {
    // Prepare
    const { scope, read } = recording(referenceArchitecture());
    // Act
    new ScopeIndex(scope).subnets();
    // Assess
    expect([...read]).toEqual(['subnets']);
  });

  it('says NOT_EVALUATED for a VPC holding ML resources when DescribeSubnets failed (vpc-ml-flow-logs-disabled)', () => {
    // Prepare
    const rule = RULES.find((r) => r.meta.id === 'vpc-ml-flow-logs-disabled')!;
    const [, scope] = SCOPES.find(([, s]) => run(rule, s).some((f) => f.status === 'FAIL'))!;
    // Act
    const findings = run(rule, withoutKind(scope, 'subnets'));
    // Assess
    expect(rule.meta.needs).toContain('subnets');
    expect(findings.map((f) => f.status)).toEqual(['NOT_EVALUATED']);
    expect(findings[0]?.message).toMatch(/could not read subnets/);
  });
});
