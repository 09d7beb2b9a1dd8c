/**
 * Property-based fuzzing of the snapshot parser (fast-check, bounded runs): it never crashes, it never
 * accepts a value AWS could not return, and what it accepts the analyzer can read (no rule error).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeProtocol, parseCidr } from '../../../src/analyze/net/index.ts';
import { analyzeInventory } from '../../../src/audit.ts';
import { parseAuditConfig } from '../../../src/config.ts';
import { parseSnapshot, SnapshotError } from '../../../src/inventory/snapshot.ts';

const demo = JSON.parse(readFileSync('events/demo-snapshot.json', 'utf8'));
const RUNS = { numRuns: 150, seed: 12 };

// biome-ignore lint/suspicious/noExplicitAny: a JSON document edited in place
type Json = any;

/** Every path to a leaf or node of the demo, as key lists. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (prefix.length > 0) out.push(prefix);
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      paths(v, [...prefix, Array.isArray(value) ? Number(k) : k], out);
    }
  }
  return out;
}
const DEMO_PATHS = paths(demo);

function setAt(root: Json, path: (string | number)[], value: unknown): Json {
  const copy = structuredClone(root);
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

/** parseSnapshot's outcome: the inventory, or the SnapshotError; anything else is a crash. */
function outcome(value: unknown): { ok: true } | { ok: false; message: string } {
  try {
    parseSnapshot(value);
    return { ok: true };
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    return { ok: false, message: err.message };
  }
}

function netReadsCidr(s: string, family: 4 | 6): boolean {
  try {
    return s.includes('/') && parseCidr(s).family === family;
  } catch {
    return false;
  }
}

/** CIDR-like text: mostly near misses of valid CIDRs. */
const cidrText = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 40 })).map(([a, p]) => `${a}/${p}`),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 140 })).map(([a, p]) => `${a}/${p}`),
  fc
    .tuple(
      fc.array(fc.integer({ min: -5, max: 300 }), { minLength: 3, maxLength: 5 }),
      fc.integer({ min: -3, max: 140 }),
    )
    .map(([octets, prefix]) => `${octets.join('.')}/${prefix}`),
  fc
    .tuple(
      fc.array(
        fc.oneof(
          fc.constant(''),
          fc.string({ unit: fc.constantFrom(...'0123456789abcdefg'), maxLength: 5 }),
          fc.constant('1.2.3.4'),
        ),
        { minLength: 1, maxLength: 10 },
      ),
      fc.integer({ min: -1, max: 200 }),
    )
    .map(([groups, prefix]) => `${groups.join(':')}/${prefix}`),
  fc.string({ maxLength: 20 }),
);

describe('snapshot parser fuzzing', () => {
  it('never crashes: any JSON value at any path is accepted or refused with a SnapshotError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DEMO_PATHS), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
        outcome(setAt(demo, path, value));
      }),
      RUNS,
    );
  });

  it('accepts a CIDR only when the net algebra reads it, in the field family', () => {
    fc.assert(
      fc.property(cidrText, fc.constantFrom(4 as const, 6 as const), (text, family) => {
        // Prepare
        const rule = { egress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22 };
        const field = family === 4 ? 'cidrIpv4' : 'cidrIpv6';
        const snap = setAt(demo, ['regions', 0, 'securityGroups', 0, 'rules', 0], { ...rule, [field]: text });
        // Act
        const result = outcome(snap);
        // Assess
        if (result.ok) expect(netReadsCidr(text, family)).toBe(true);
        else expect(result.message).toContain(`securityGroups[0].rules[0].${field}`);
      }),
      RUNS,
    );
  });

  it('accepts a tcp port pair only when both are 0-65535 with from <= to, or both -1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -70000, max: 70000 }),
        fc.integer({ min: -70000, max: 70000 }),
        (from, to) => {
          // Prepare
          const rule = {
            egress: false,
            ipProtocol: 'tcp',
            fromPort: from,
            toPort: to,
            cidrIpv4: '0.0.0.0/0',
          };
          const snap = setAt(demo, ['regions', 0, 'securityGroups', 0, 'rules', 0], rule);
          // Act
          const result = outcome(snap);
          // Assess
          const possible = (from === -1 && to === -1) || (from >= 0 && from <= to && to <= 65535);
          expect(result.ok).toBe(possible);
        },
      ),
      RUNS,
    );
  });

  it('accepts a protocol only when the analyzer reads it, and never a number above 255', () => {
    const protocol = fc.oneof(fc.integer({ min: -300, max: 1000 }).map(String), fc.string({ maxLength: 7 }));
    fc.assert(
      fc.property(protocol, (p) => {
        // Prepare
        const snap = setAt(demo, ['regions', 0, 'networkAcls', 0, 'entries', 0, 'protocol'], p);
        // Act
        const result = outcome(snap);
        // Assess
        if (result.ok) expect(() => normalizeProtocol(p)).not.toThrow();
        if (/^[0-9]+$/.test(p) && Number(p) > 255) expect(result.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('accepts a NACL rule number only in 1-32766 for an entry one can create', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 70000 }), (n) => {
        // Prepare
        const snap = setAt(demo, ['regions', 0, 'networkAcls', 0, 'entries', 0, 'ruleNumber'], n);
        // Act
        const result = outcome(snap);
        // Assess
        const taken = demo.regions[0].networkAcls[0].entries.some(
          (e: Json, i: number) => i > 0 && !e.egress && e.ruleNumber === n,
        );
        expect(result.ok).toBe(n >= 1 && n <= 32766 && !taken);
      }),
      RUNS,
    );
  });

  it('accepts an account only as 12 digits and a region only as a region name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 14 }), fc.string({ maxLength: 16 }), (account, region) => {
        // Prepare
        const snap = structuredClone(demo);
        snap.regions[0].account = account;
        snap.regions[0].region = region;
        // Act
        const result = outcome(snap);
        // Assess
        if (!/^[0-9]{12}$/.test(account)) expect(result.ok).toBe(false);
        if (!/^[a-z]{2,4}(-[a-z]+)+-[1-9][0-9]?$/.test(region)) expect(result.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it('what it accepts in a security-group rule the rules can read: no rule error', () => {
    const rule = fc.record({
      egress: fc.boolean(),
      ipProtocol: fc.constantFrom('-1', 'tcp', 'udp', 'icmp', 'icmpv6', '6', '17', '50'),
      fromPort: fc.integer({ min: -1, max: 65535 }),
      toPort: fc.integer({ min: -1, max: 65535 }),
      cidrIpv4: fc.ipV4().chain((a) => fc.integer({ min: 0, max: 32 }).map((p) => `${a}/${p}`)),
    });
    const config = parseAuditConfig({});
    fc.assert(
      fc.property(rule, (r) => {
        // Prepare
        const snap = setAt(demo, ['regions', 1, 'securityGroups', 0, 'rules', 0], r);
        const parsed = outcome(snap);
        fc.pre(parsed.ok);
        // Act
        const result = analyzeInventory(parseSnapshot(snap), config);
        // Assess
        const errors = result.findings.filter((f) => 'error' in (f.evidence as object));
        expect(errors.map((f) => f.message)).toEqual([]);
      }),
      { numRuns: 15, seed: 12 },
    );
  });
});
