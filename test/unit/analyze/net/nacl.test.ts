import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddrSet } from '../../../../src/analyze/net/addr-set.ts';
import { FlowSet, icmpCoord, ruleSpace } from '../../../../src/analyze/net/flow.ts';
import {
  admitsAllFrom,
  evaluateNacl,
  naclSpace,
  orderedNaclEntries,
  shadowedEntries,
} from '../../../../src/analyze/net/nacl.ts';
import type { NetworkAclEntry } from '../../../../src/inventory/schema.ts';
import { cidrModel, type Family, inCidr, randomPoint, v4Cidr, v6Cidr } from './arbitraries.ts';

interface EntryOpts {
  egress?: boolean;
  ports?: [number, number];
  icmp?: [number, number];
}

function entry(
  ruleNumber: number,
  ruleAction: 'allow' | 'deny',
  protocol: string,
  cidr: string,
  opts: EntryOpts = {},
): NetworkAclEntry {
  return {
    ruleNumber,
    egress: opts.egress ?? false,
    protocol,
    ruleAction,
    ...(cidr.includes(':') ? { ipv6CidrBlock: cidr } : { cidrBlock: cidr }),
    ...(opts.ports ? { portRange: { from: opts.ports[0], to: opts.ports[1] } } : {}),
    ...(opts.icmp ? { icmpTypeCode: { type: opts.icmp[0], code: opts.icmp[1] } } : {}),
  };
}

const W4 = AddrSet.fromCidr('0.0.0.0/0');
const W6 = AddrSet.fromCidr('::/0');
const ALL = AddrSet.all();
const STAR4 = entry(32767, 'deny', '-1', '0.0.0.0/0');
const STAR4_OUT = entry(32767, 'deny', '-1', '0.0.0.0/0', { egress: true });

function decided(r: ReturnType<typeof evaluateNacl>) {
  return r.decidedBy.map((d) => `${d.ruleNumber} ${d.action} ${d.addrs.toString()}`);
}

describe('evaluateNacl', () => {
  it('first match wins: deny 100 tcp 22, then allow 200 all', () => {
    const entries = [
      entry(200, 'allow', '-1', '0.0.0.0/0'),
      entry(100, 'deny', '6', '0.0.0.0/0', { ports: [22, 22] }),
      STAR4,
    ];
    const ssh = evaluateNacl(entries, 'ingress', { protocol: 6, port: 22, addrs: W4 });
    expect(ssh.allowed.isEmpty()).toBe(true);
    expect(ssh.denied.equals(W4)).toBe(true);
    expect(decided(ssh)).toEqual(['100 deny 0.0.0.0/0']);
    const http = evaluateNacl(entries, 'ingress', { protocol: 6, port: 80, addrs: W4 });
    expect(http.allowed.equals(W4)).toBe(true);
    expect(http.denied.isEmpty()).toBe(true);
    expect(decided(http)).toEqual(['200 allow 0.0.0.0/0']);
    // udp 22 is not matched by the tcp deny
    expect(evaluateNacl(entries, 'ingress', { protocol: 17, port: 22, addrs: W4 }).allowed.equals(W4)).toBe(
      true,
    );
  });

  it('a lower-numbered allow beats a higher-numbered deny', () => {
    const entries = [
      entry(200, 'deny', '6', '0.0.0.0/0', { ports: [22, 22] }),
      entry(100, 'allow', '6', '0.0.0.0/0', { ports: [22, 22] }),
    ];
    const r = evaluateNacl(entries, 'ingress', { protocol: 6, port: 22, addrs: W4 });
    expect(r.allowed.equals(W4)).toBe(true);
    expect(decided(r)).toEqual(['100 allow 0.0.0.0/0']);
  });

  it('implicit deny applies whether or not the * entry is returned', () => {
    const entries = [entry(100, 'allow', '6', '0.0.0.0/0', { ports: [443, 443] })];
    for (const es of [entries, [...entries, STAR4]]) {
      const r = evaluateNacl(es, 'ingress', { protocol: 6, port: 22, addrs: W4 });
      expect(r.allowed.isEmpty()).toBe(true);
      expect(decided(r)).toEqual(['* deny 0.0.0.0/0']);
    }
    // Even a (hypothetical) allow at 32767 is ignored.
    const r = evaluateNacl([entry(32767, 'allow', '-1', '0.0.0.0/0')], 'ingress', {
      protocol: 6,
      port: 22,
      addrs: W4,
    });
    expect(r.allowed.isEmpty()).toBe(true);
    // An empty NACL denies everything.
    expect(evaluateNacl([], 'egress', { protocol: 50, addrs: ALL }).denied.equals(ALL)).toBe(true);
  });

  it('partial addresses: deny 1.2.3.0/24 at 50, allow 0.0.0.0/0 at 100', () => {
    const entries = [entry(100, 'allow', '-1', '0.0.0.0/0'), entry(50, 'deny', '-1', '1.2.3.0/24'), STAR4];
    const r = evaluateNacl(entries, 'ingress', { protocol: 6, port: 80, addrs: W4 });
    const blocked = AddrSet.fromCidr('1.2.3.0/24');
    expect(r.allowed.equals(W4.subtract(blocked))).toBe(true);
    expect(r.denied.equals(blocked)).toBe(true);
    expect(r.decidedBy.map((d) => [d.ruleNumber, d.action])).toEqual([
      [50, 'deny'],
      [100, 'allow'],
    ]);
    expect(r.decidedBy[1]?.addrs.equals(W4.subtract(blocked))).toBe(true);
    // A query that does not touch 1.2.3.0/24 is decided by 100 alone.
    const q = evaluateNacl(entries, 'ingress', {
      protocol: 6,
      port: 80,
      addrs: AddrSet.fromCidr('8.8.8.0/24'),
    });
    expect(decided(q)).toEqual(['100 allow 8.8.8.0/24']);
  });

  it('protocol -1 vs 6 vs 17', () => {
    const entries = [
      entry(100, 'allow', '17', '0.0.0.0/0', { ports: [53, 53] }),
      entry(110, 'deny', '6', '0.0.0.0/0', { ports: [0, 65535] }),
      entry(120, 'allow', '-1', '0.0.0.0/0'),
    ];
    const at = (protocol: number, port?: number) =>
      evaluateNacl(entries, 'ingress', {
        protocol,
        ...(port === undefined ? {} : { port }),
        addrs: W4,
      }).decidedBy.map((d) => d.ruleNumber);
    expect(at(17, 53)).toEqual([100]);
    expect(at(6, 53)).toEqual([110]);
    expect(at(17, 54)).toEqual([120]);
    expect(at(1)).toEqual([120]);
    expect(at(50)).toEqual([120]);
  });

  it('a tcp/udp entry without portRange matches every port', () => {
    const entries = [entry(100, 'allow', '6', '0.0.0.0/0')];
    for (const port of [0, 22, 65535]) {
      expect(evaluateNacl(entries, 'ingress', { protocol: 6, port, addrs: W4 }).allowed.equals(W4)).toBe(
        true,
      );
    }
    expect(evaluateNacl(entries, 'ingress', { protocol: 17, port: 22, addrs: W4 }).allowed.isEmpty()).toBe(
      true,
    );
  });

  it('icmp type/code: exact with a port coordinate, any type without one', () => {
    const entries = [entry(100, 'allow', '1', '0.0.0.0/0', { icmp: [8, -1] })];
    const q = (port?: number) =>
      evaluateNacl(entries, 'ingress', { protocol: 1, ...(port === undefined ? {} : { port }), addrs: W4 })
        .allowed;
    expect(q(icmpCoord(8, 0)).equals(W4)).toBe(true);
    expect(q(icmpCoord(0, 0)).isEmpty()).toBe(true);
    expect(q().equals(W4)).toBe(true);
  });

  it('IPv6 entries', () => {
    const v4only = [entry(100, 'allow', '-1', '0.0.0.0/0'), STAR4];
    const r = evaluateNacl(v4only, 'ingress', { protocol: 6, port: 443, addrs: ALL });
    expect(r.allowed.equals(W4)).toBe(true);
    expect(r.denied.equals(W6)).toBe(true);
    expect(decided(r)).toEqual(['100 allow 0.0.0.0/0', '* deny ::/0']);
    const dual = [
      ...v4only,
      entry(101, 'allow', '-1', '::/0'),
      entry(90, 'deny', '6', '2001:db8::/32', { ports: [443, 443] }),
    ];
    const d = evaluateNacl(dual, 'ingress', { protocol: 6, port: 443, addrs: ALL });
    expect(d.denied.toString()).toBe('2001:db8::/32');
    expect(d.allowed.equals(ALL.subtract(AddrSet.fromCidr('2001:db8::/32')))).toBe(true);
  });

  it('egress evaluation ignores ingress entries (and vice versa)', () => {
    const entries = [
      entry(100, 'allow', '-1', '0.0.0.0/0'),
      entry(100, 'deny', '-1', '0.0.0.0/0', { egress: true }),
    ];
    expect(evaluateNacl(entries, 'ingress', { protocol: 6, port: 443, addrs: W4 }).allowed.equals(W4)).toBe(
      true,
    );
    const out = evaluateNacl(entries, 'egress', { protocol: 6, port: 443, addrs: W4 });
    expect(out.allowed.isEmpty()).toBe(true);
    expect(decided(out)).toEqual(['100 deny 0.0.0.0/0']);
    expect(
      evaluateNacl([entries[0] as NetworkAclEntry], 'egress', { protocol: 6, port: 443, addrs: W4 })
        .decidedBy[0]?.ruleNumber,
    ).toBe('*');
    expect(orderedNaclEntries(entries, 'egress')).toHaveLength(1);
  });

  it('rejects bad queries and bad entries with clear errors', () => {
    expect(() => evaluateNacl([], 'ingress', { protocol: 6, addrs: W4 })).toThrow(/needs a port/);
    expect(() => evaluateNacl([], 'ingress', { protocol: 300, port: 1, addrs: W4 })).toThrow(/300/);
    expect(() => evaluateNacl([], 'ingress', { protocol: 6, port: 70000, addrs: W4 })).toThrow(/70000/);
    expect(() => evaluateNacl([], 'sideways' as 'ingress', { protocol: 6, port: 1, addrs: W4 })).toThrow(
      /sideways/,
    );
    const bad = [entry(100, 'allow', 'tcpx', '0.0.0.0/0')];
    expect(() => evaluateNacl(bad, 'ingress', { protocol: 6, port: 1, addrs: W4 })).toThrow(
      /entry 100: Invalid IP protocol "tcpx"/,
    );
    const badCidr = [entry(100, 'allow', '-1', '0.0.0.0/40')];
    expect(() => evaluateNacl(badCidr, 'ingress', { protocol: 6, port: 1, addrs: W4 })).toThrow(
      /entry 100.*0\.0\.0\.0\/40/,
    );
  });
});

describe('admitsAllFrom', () => {
  const defaultV4 = [entry(100, 'allow', '-1', '0.0.0.0/0'), STAR4];
  const defaultDual = [...defaultV4, entry(101, 'allow', '-1', '::/0')];

  it('the default NACL admits everything, per family', () => {
    expect(admitsAllFrom(defaultV4, 'ingress', W4)).toBe(true);
    expect(admitsAllFrom(defaultV4, 'ingress', ALL)).toBe(false);
    expect(admitsAllFrom(defaultV4, 'ingress', W6)).toBe(false);
    expect(admitsAllFrom(defaultDual, 'ingress', ALL)).toBe(true);
    expect(admitsAllFrom(defaultDual, 'egress', ALL)).toBe(false);
  });

  it('one deny anywhere in the space makes it false for the addresses it covers', () => {
    const es = [entry(90, 'deny', '6', '1.2.3.4/32', { ports: [22, 22] }), ...defaultV4];
    expect(admitsAllFrom(es, 'ingress', W4)).toBe(false);
    expect(admitsAllFrom(es, 'ingress', AddrSet.fromCidr('10.0.0.0/8'))).toBe(true);
    const icmp = [entry(90, 'deny', '1', '0.0.0.0/0', { icmp: [13, -1] }), ...defaultV4];
    expect(admitsAllFrom(icmp, 'ingress', W4)).toBe(false);
  });

  it('allowing tcp, udp and icmp is not "all traffic"', () => {
    const es = [
      entry(100, 'allow', '6', '0.0.0.0/0'),
      entry(110, 'allow', '17', '0.0.0.0/0'),
      entry(120, 'allow', '1', '0.0.0.0/0', { icmp: [-1, -1] }),
    ];
    expect(admitsAllFrom(es, 'ingress', W4)).toBe(false);
    expect(
      admitsAllFrom(
        [...es, entry(130, 'allow', '-1', '0.0.0.0/1'), entry(140, 'allow', '-1', '128.0.0.0/1')],
        'ingress',
        W4,
      ),
    ).toBe(true);
  });

  it('is vacuously true for no addresses', () => {
    expect(admitsAllFrom([], 'ingress', AddrSet.empty())).toBe(true);
  });
});

describe('naclSpace', () => {
  it('computes the admitted space of the whole NACL', () => {
    const es = [
      entry(100, 'deny', '6', '0.0.0.0/0', { ports: [22, 22] }),
      entry(200, 'allow', '-1', '0.0.0.0/0'),
      STAR4,
    ];
    const r = naclSpace(es, 'ingress');
    expect(r.allowed.equals(FlowSet.all(W4).subtract(ruleSpace('tcp', 22, 22, W4)))).toBe(true);
    expect(r.decidedBy.map((d) => d.ruleNumber)).toEqual([100, 200, '*']);
    expect(r.allowed.union(r.denied).equals(FlowSet.all())).toBe(true);
  });
});

describe('shadowedEntries', () => {
  it('allow 100 all 0.0.0.0/0 shadows deny 200 tcp 22 0.0.0.0/0', () => {
    const es = [
      entry(100, 'allow', '-1', '0.0.0.0/0'),
      entry(200, 'deny', '6', '0.0.0.0/0', { ports: [22, 22] }),
      STAR4,
    ];
    const s = shadowedEntries(es, 'ingress');
    expect(s.map((x) => [x.ruleNumber, x.action, x.coveredBy, x.opposedBy])).toEqual([
      [200, 'deny', [100], [100]],
    ]);
    expect(s[0]?.entry).toBe(es[1]);
  });

  it('a partially covered entry is not shadowed', () => {
    const es = [
      entry(100, 'allow', '-1', '10.0.0.0/8'),
      entry(200, 'deny', '6', '0.0.0.0/0', { ports: [22, 22] }),
    ];
    expect(shadowedEntries(es, 'ingress')).toEqual([]);
    const ports = [
      entry(100, 'allow', '6', '0.0.0.0/0', { ports: [0, 1000] }),
      entry(200, 'deny', '6', '0.0.0.0/0', { ports: [22, 2000] }),
    ];
    expect(shadowedEntries(ports, 'ingress')).toEqual([]);
    const fam = [entry(100, 'allow', '-1', '0.0.0.0/0'), entry(200, 'deny', '-1', '::/0')];
    expect(shadowedEntries(fam, 'ingress')).toEqual([]);
  });

  it('an entry covered jointly by several entries names each of them', () => {
    const es = [
      entry(100, 'allow', '6', '0.0.0.0/0', { ports: [0, 1000] }),
      entry(110, 'deny', '6', '0.0.0.0/0', { ports: [1001, 65535] }),
      entry(200, 'deny', '6', '0.0.0.0/0', { ports: [22, 2000] }),
    ];
    expect(shadowedEntries(es, 'ingress').map((x) => [x.ruleNumber, x.coveredBy, x.opposedBy])).toEqual([
      [200, [100, 110], [100]],
    ]);
  });

  it('coveredBy names only entries that decide part of the shadowed space', () => {
    const es = [
      entry(100, 'deny', '6', '0.0.0.0/0', { ports: [22, 22] }),
      entry(110, 'allow', '-1', '0.0.0.0/0'),
      entry(120, 'deny', '6', '10.0.0.0/8', { ports: [22, 22] }),
      entry(130, 'allow', '6', '10.0.0.0/8', { ports: [80, 80] }),
    ];
    expect(shadowedEntries(es, 'ingress').map((x) => [x.ruleNumber, x.coveredBy, x.opposedBy])).toEqual([
      [120, [100], []],
      [130, [110], []],
    ]);
  });

  it('ICMP types are told apart', () => {
    const es = [
      entry(100, 'allow', '1', '0.0.0.0/0', { icmp: [8, -1] }),
      entry(200, 'deny', '1', '0.0.0.0/0', { icmp: [0, -1] }),
    ];
    expect(shadowedEntries(es, 'ingress')).toEqual([]);
    const all = [
      entry(100, 'allow', '1', '0.0.0.0/0', { icmp: [-1, -1] }),
      entry(200, 'deny', '1', '0.0.0.0/0', { icmp: [0, 3] }),
    ];
    expect(shadowedEntries(all, 'ingress').map((x) => x.ruleNumber)).toEqual([200]);
  });

  it('ignores the other direction and the * entry', () => {
    const es = [
      entry(100, 'allow', '-1', '0.0.0.0/0'),
      STAR4,
      STAR4_OUT,
      entry(200, 'deny', '-1', '0.0.0.0/0', { egress: true }),
    ];
    expect(shadowedEntries(es, 'ingress')).toEqual([]);
    expect(shadowedEntries(es, 'egress')).toEqual([]);
  });
});

// ------------------------------------------------------------------ model-based: AWS first-match per packet

const protoArb = fc.constantFrom('-1', '6', '17', '1', '50');
const entryArb = fc
  .record({
    egress: fc.boolean(),
    action: fc.constantFrom<'allow' | 'deny'>('allow', 'deny'),
    protocol: protoArb,
    cidr: fc.oneof(v4Cidr, v6Cidr),
    ports: fc.option(
      fc
        .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 10 }))
        .map(([a, n]) => [a, a + n] as [number, number]),
    ),
    icmp: fc.option(fc.tuple(fc.integer({ min: -1, max: 3 }), fc.integer({ min: -1, max: 2 }))),
  })
  .map((r) => ({ ...r, icmp: r.icmp && r.icmp[0] === -1 ? ([-1, -1] as [number, number]) : r.icmp }));

const naclArb = fc
  .uniqueArray(fc.tuple(fc.integer({ min: 1, max: 300 }), entryArb), {
    selector: ([n, e]) => `${n}/${e.egress}`,
    maxLength: 8,
  })
  .map((xs) =>
    xs.map(([n, r]) =>
      entry(n, r.action, r.protocol, r.cidr, {
        egress: r.egress,
        ...((r.protocol === '6' || r.protocol === '17') && r.ports ? { ports: r.ports } : {}),
        ...(r.protocol === '1' && r.icmp ? { icmp: r.icmp } : {}),
      }),
    ),
  );

const packetArb = fc
  .tuple(
    fc.constantFrom(6, 17, 1, 50, 99),
    fc.integer({ min: 0, max: 45 }),
    fc.integer({ min: 0, max: 4 }),
    fc.integer({ min: 0, max: 3 }),
    randomPoint,
  )
  .map(([protocol, port, type, code, pt]) => ({
    protocol,
    port: protocol === 1 ? icmpCoord(type, code) : protocol === 6 || protocol === 17 ? port : undefined,
    pt,
  }));

function naiveFirstMatch(
  entries: NetworkAclEntry[],
  direction: 'ingress' | 'egress',
  protocol: number,
  port: number | undefined,
  [f, x]: [Family, bigint],
): { action: 'allow' | 'deny'; ruleNumber: number | '*' } {
  const sorted = entries
    .filter((e) => e.egress === (direction === 'egress'))
    .sort((a, b) => a.ruleNumber - b.ruleNumber);
  for (const e of sorted) {
    if (e.ruleNumber === 32767) continue;
    if (e.protocol !== '-1' && Number(e.protocol) !== protocol) continue;
    if (e.protocol !== '-1' && (protocol === 6 || protocol === 17) && e.portRange && port !== undefined) {
      if (port < e.portRange.from || port > e.portRange.to) continue;
    }
    if (e.protocol === '1' && e.icmpTypeCode && e.icmpTypeCode.type !== -1 && port !== undefined) {
      if (Math.floor(port / 256) !== e.icmpTypeCode.type) continue;
      if (e.icmpTypeCode.code !== -1 && port % 256 !== e.icmpTypeCode.code) continue;
    }
    const cidr = (e.cidrBlock ?? e.ipv6CidrBlock) as string;
    if (!inCidr(cidrModel(cidr), f, x)) continue;
    return { action: e.ruleAction, ruleNumber: e.ruleNumber };
  }
  return { action: 'deny', ruleNumber: '*' };
}

function pointSet([f, x]: [Family, bigint]): AddrSet {
  return f === 4 ? AddrSet.fromRange4(Number(x), Number(x)) : AddrSet.fromRange6(x, x);
}

describe('NACL evaluation agrees with a naive per-packet first match', () => {
  it('evaluateNacl, naclSpace and shadowedEntries', () => {
    fc.assert(
      fc.property(
        naclArb,
        fc.array(packetArb, { minLength: 10, maxLength: 30 }),
        fc.constantFrom<'ingress' | 'egress'>('ingress', 'egress'),
        (entries, packets, dir) => {
          const space = naclSpace(entries, dir);
          const shadowed = new Set(shadowedEntries(entries, dir).map((s) => s.ruleNumber));
          // Probe each entry's network address too, so that matches are common.
          const extra = entries.map((e) => {
            const m = cidrModel((e.cidrBlock ?? e.ipv6CidrBlock) as string);
            return { protocol: 6, port: 5 as number | undefined, pt: [m.family, m.net] as [Family, bigint] };
          });
          for (const { protocol, port, pt } of [...packets, ...extra]) {
            const want = naiveFirstMatch(entries, dir, protocol, port, pt);
            const r = evaluateNacl(entries, dir, {
              protocol,
              ...(port === undefined ? {} : { port }),
              addrs: pointSet(pt),
            });
            expect(r.allowed.isEmpty()).toBe(want.action === 'deny');
            expect(r.decidedBy.map((d) => d.ruleNumber)).toEqual([want.ruleNumber]);
            const viaSpace = space.allowed.addrsFor(protocol, port ?? 0);
            expect(viaSpace.contains(pointSet(pt))).toBe(want.action === 'allow');
            if (want.ruleNumber !== '*') expect(shadowed.has(want.ruleNumber)).toBe(false);
          }
          // Set-level partition invariants on a wide query.
          const q = evaluateNacl(entries, dir, { protocol: 6, port: 7, addrs: ALL });
          expect(q.allowed.union(q.denied).equals(ALL)).toBe(true);
          expect(q.allowed.overlaps(q.denied)).toBe(false);
          const parts = q.decidedBy.reduce((acc, d) => {
            expect(acc.overlaps(d.addrs)).toBe(false);
            return acc.union(d.addrs);
          }, AddrSet.empty());
          expect(parts.equals(ALL)).toBe(true);
          expect(q.allowed.equals(space.allowed.addrsFor(6, 7))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
