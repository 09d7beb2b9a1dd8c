import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddrSet } from '../../../../src/analyze/net/addr-set.ts';
import { normalizeCidr, parseCidr } from '../../../../src/analyze/net/ip.ts';
import { boundaryPoints, cidrListArb, cidrModel, type Family, inAny, randomPoint } from './arbitraries.ts';

function has(s: AddrSet, [f, x]: [Family, bigint]): boolean {
  return f === 4 ? s.containsV4(Number(x)) : s.containsV6(x);
}

const FAMILIES: Array<[string, Family[]]> = [
  ['IPv4', [4]],
  ['IPv6', [6]],
  ['mixed IPv4 + IPv6', [4, 6]],
];

describe.each(FAMILIES)('AddrSet algebra (%s)', (_name, families) => {
  const setArb = cidrListArb(families).map((cidrs) => ({
    cidrs,
    set: AddrSet.fromCidrs(cidrs),
    model: cidrs.map(cidrModel),
  }));
  const probesArb = fc.array(randomPoint, { maxLength: 20 });

  it('membership of union / intersect / subtract / complement agrees with a per-address check', () => {
    fc.assert(
      fc.property(setArb, setArb, probesArb, (a, b, random) => {
        const u = a.set.union(b.set);
        const i = a.set.intersect(b.set);
        const d = a.set.subtract(b.set);
        const c = a.set.complement();
        const probes = [...boundaryPoints([...a.model, ...b.model]), ...random];
        for (const p of probes) {
          const ina = inAny(a.model, p[0], p[1]);
          const inb = inAny(b.model, p[0], p[1]);
          expect(has(a.set, p)).toBe(ina);
          expect(has(u, p)).toBe(ina || inb);
          expect(has(i, p)).toBe(ina && inb);
          expect(has(d, p)).toBe(ina && !inb);
          expect(has(c, p)).toBe(!ina);
        }
      }),
    );
  });

  it('union and intersect are commutative and associative', () => {
    fc.assert(
      fc.property(setArb, setArb, setArb, ({ set: a }, { set: b }, { set: c }) => {
        expect(a.union(b).equals(b.union(a))).toBe(true);
        expect(a.intersect(b).equals(b.intersect(a))).toBe(true);
        expect(
          a
            .union(b)
            .union(c)
            .equals(a.union(b.union(c))),
        ).toBe(true);
        expect(
          a
            .intersect(b)
            .intersect(c)
            .equals(a.intersect(b.intersect(c))),
        ).toBe(true);
        // distributivity
        expect(a.intersect(b.union(c)).equals(a.intersect(b).union(a.intersect(c)))).toBe(true);
        expect(a.union(b.intersect(c)).equals(a.union(b).intersect(a.union(c)))).toBe(true);
      }),
    );
  });

  it('A∖B ∩ B = ∅ and (A∖B) ∪ (A∩B) = A', () => {
    fc.assert(
      fc.property(setArb, setArb, ({ set: a }, { set: b }) => {
        expect(a.subtract(b).intersect(b).isEmpty()).toBe(true);
        expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
        expect(a.subtract(a).isEmpty()).toBe(true);
        expect(a.union(a).equals(a)).toBe(true);
        expect(a.intersect(a).equals(a)).toBe(true);
        expect(a.union(AddrSet.empty()).equals(a)).toBe(true);
        expect(a.intersect(AddrSet.all()).equals(a)).toBe(true);
        expect(a.complement().complement().equals(a)).toBe(true);
      }),
    );
  });

  it('De Morgan within a universe', () => {
    fc.assert(
      fc.property(setArb, setArb, setArb, ({ set: u }, { set: a }, { set: b }) => {
        expect(u.subtract(a.union(b)).equals(u.subtract(a).intersect(u.subtract(b)))).toBe(true);
        expect(u.subtract(a.intersect(b)).equals(u.subtract(a).union(u.subtract(b)))).toBe(true);
      }),
    );
  });

  it('contains and overlaps are consistent with intersect and subtract', () => {
    fc.assert(
      fc.property(setArb, setArb, ({ set: a }, { set: b }) => {
        const c = a.contains(b);
        expect(c).toBe(a.intersect(b).equals(b));
        expect(c).toBe(b.subtract(a).isEmpty());
        expect(a.union(b).contains(a)).toBe(true);
        expect(a.contains(a.intersect(b))).toBe(true);
        expect(a.contains(AddrSet.empty())).toBe(true);
        expect(a.overlaps(b)).toBe(!a.intersect(b).isEmpty());
        expect(a.equals(b)).toBe(a.contains(b) && b.contains(a));
      }),
    );
  });

  it('toCidrs() round-trips to an equal set, with normalized, disjoint, unmergeable CIDRs', () => {
    fc.assert(
      fc.property(setArb, setArb, ({ set: a }, { set: b }) => {
        const s = a.subtract(b).union(b.subtract(a)); // fragmented sets
        const cidrs = s.toCidrs();
        expect(AddrSet.fromCidrs(cidrs).equals(s)).toBe(true);
        for (const c of cidrs) expect(normalizeCidr(c)).toBe(c);
        // Ascending and disjoint; two sibling blocks (same prefix, same parent) would have merged.
        for (let i = 0; i + 1 < cidrs.length; i++) {
          const x = parseCidr(cidrs[i] as string);
          const y = parseCidr(cidrs[i + 1] as string);
          const xs = AddrSet.fromParsedCidr(x);
          const ys = AddrSet.fromParsedCidr(y);
          expect(xs.overlaps(ys)).toBe(false);
          if (x.family === y.family) {
            expect(BigInt(x.addr) < BigInt(y.addr)).toBe(true);
            if (x.prefix === y.prefix && x.prefix > 0) {
              const parent = AddrSet.fromParsedCidr({ ...x, prefix: x.prefix - 1 } as typeof x);
              expect(parent.contains(ys)).toBe(false);
            }
          } else {
            expect(x.family).toBe(4);
          }
        }
      }),
    );
  });

  it('size is additive for disjoint sets', () => {
    fc.assert(
      fc.property(setArb, setArb, ({ set: a }, { set: b }) => {
        const d = a.subtract(b);
        const i = a.intersect(b);
        expect(a.size4()).toBe(d.size4() + i.size4());
        expect(a.size6()).toBe(d.size6() + i.size6());
        const u = a.union(b);
        expect(u.size4()).toBe(a.size4() + b.size4() - i.size4());
        expect(u.size6()).toBe(a.size6() + b.size6() - i.size6());
        expect(a.size4() + a.complement().size4()).toBe(2 ** 32);
        expect(a.size6() + a.complement().size6()).toBe(1n << 128n);
      }),
    );
  });

  it('fromCidrs equals the union of fromCidr', () => {
    fc.assert(
      fc.property(setArb, ({ cidrs, set }) => {
        const folded = cidrs.reduce((acc, c) => acc.union(AddrSet.fromCidr(c)), AddrSet.empty());
        expect(folded.equals(set)).toBe(true);
        expect(AddrSet.unionAll(cidrs.map((c) => AddrSet.fromCidr(c))).equals(set)).toBe(true);
      }),
    );
  });
});

describe('AddrSet basics', () => {
  it('empty and all', () => {
    expect(AddrSet.empty().isEmpty()).toBe(true);
    expect(AddrSet.empty().toString()).toBe('(none)');
    expect(AddrSet.all().toCidrs()).toEqual(['0.0.0.0/0', '::/0']);
    expect(AddrSet.all().size4()).toBe(2 ** 32);
    expect(AddrSet.all().size6()).toBe(1n << 128n);
    expect(AddrSet.allV4().hasV6()).toBe(false);
    expect(AddrSet.allV6().hasV4()).toBe(false);
  });

  it('normalizes host bits and reads bare addresses as hosts', () => {
    expect(AddrSet.fromCidr('10.0.0.1/8').toString()).toBe('10.0.0.0/8');
    expect(AddrSet.fromCidr('10.1.2.3').toString()).toBe('10.1.2.3/32');
    expect(AddrSet.fromCidr('2001:db8::1/32').toString()).toBe('2001:db8::/32');
  });

  it('produces a minimal CIDR cover', () => {
    expect(AddrSet.fromCidrs(['10.0.0.0/24', '10.0.1.0/24']).toCidrs()).toEqual(['10.0.0.0/23']);
    expect(AddrSet.fromCidrs(['0.0.0.0/1', '128.0.0.0/1']).toCidrs()).toEqual(['0.0.0.0/0']);
    expect(AddrSet.fromCidr('0.0.0.0/0').subtract(AddrSet.fromCidr('10.0.0.0/8')).toCidrs()).toEqual([
      '0.0.0.0/5',
      '8.0.0.0/7',
      '11.0.0.0/8',
      '12.0.0.0/6',
      '16.0.0.0/4',
      '32.0.0.0/3',
      '64.0.0.0/2',
      '128.0.0.0/1',
    ]);
    expect(AddrSet.fromRange4(1, 6).toCidrs()).toEqual([
      '0.0.0.1/32',
      '0.0.0.2/31',
      '0.0.0.4/31',
      '0.0.0.6/32',
    ]);
    expect(AddrSet.fromCidr('::/0').subtract(AddrSet.fromCidr('::/1')).toString()).toBe('8000::/1');
    expect(AddrSet.fromRange6(1n, 2n).toCidrs()).toEqual(['::1/128', '::2/128']);
    expect(
      AddrSet.fromCidrs(['255.255.255.255/32', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128']).toCidrs(),
    ).toEqual(['255.255.255.255/32', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128']);
  });

  it('containsIp and family projections', () => {
    const s = AddrSet.fromCidrs(['10.0.0.0/8', '2001:db8::/32']);
    expect(s.containsIp('10.255.255.255')).toBe(true);
    expect(s.containsIp('11.0.0.0')).toBe(false);
    expect(s.containsIp('2001:db8:ffff::1')).toBe(true);
    expect(s.containsIp('2001:db9::')).toBe(false);
    expect(s.v4Only().toString()).toBe('10.0.0.0/8');
    expect(s.v6Only().toString()).toBe('2001:db8::/32');
    expect(s.intervalCount()).toBe(2);
    expect(s.ranges4()).toEqual([[0x0a000000, 0x0affffff]]);
  });

  it('rejects malformed CIDRs with an error naming the input', () => {
    expect(() => AddrSet.fromCidr('10.0.0/8')).toThrow(/"10\.0\.0\/8"/);
    expect(() => AddrSet.fromCidrs(['10.0.0.0/8', 'nope'])).toThrow(/"nope"/);
    expect(() => AddrSet.fromRange4(5, 4)).toThrow();
  });
});
