import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EPHEMERAL, PortSet } from '../../../../src/analyze/net/ports.ts';
import { portRangeArb } from './arbitraries.ts';

type Ranges = Array<[number, number]>;
const inModel = (rs: Ranges, p: number) => rs.some(([a, b]) => a <= p && p <= b);

const setArb = fc
  .array(portRangeArb, { maxLength: 6 })
  .map((ranges) => ({ ranges, set: PortSet.fromRanges(ranges) }));

function probes(...lists: Ranges[]): number[] {
  const out = new Set<number>([0, 1, 65534, 65535]);
  for (const rs of lists)
    for (const [a, b] of rs) for (const p of [a - 1, a, b, b + 1]) if (p >= 0 && p <= 65535) out.add(p);
  return [...out];
}

describe('PortSet algebra', () => {
  it('membership agrees with a per-port check', () => {
    fc.assert(
      fc.property(
        setArb,
        setArb,
        fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 10 }),
        (a, b, rnd) => {
          const u = a.set.union(b.set);
          const i = a.set.intersect(b.set);
          const d = a.set.subtract(b.set);
          const c = a.set.complement();
          for (const p of [...probes(a.ranges, b.ranges), ...rnd]) {
            const ina = inModel(a.ranges, p);
            const inb = inModel(b.ranges, p);
            expect(a.set.containsPort(p)).toBe(ina);
            expect(u.containsPort(p)).toBe(ina || inb);
            expect(i.containsPort(p)).toBe(ina && inb);
            expect(d.containsPort(p)).toBe(ina && !inb);
            expect(c.containsPort(p)).toBe(!ina);
          }
        },
      ),
    );
  });

  it('laws: commutativity, associativity, A∖B ∩ B = ∅, (A∖B) ∪ (A∩B) = A, De Morgan', () => {
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
        expect(a.subtract(b).intersect(b).isEmpty()).toBe(true);
        expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
        // De Morgan within universe c
        expect(c.subtract(a.union(b)).equals(c.subtract(a).intersect(c.subtract(b)))).toBe(true);
        expect(c.subtract(a.intersect(b)).equals(c.subtract(a).union(c.subtract(b)))).toBe(true);
      }),
    );
  });

  it('contains / size / ranges are consistent', () => {
    fc.assert(
      fc.property(setArb, setArb, ({ set: a }, { set: b }) => {
        expect(a.contains(b)).toBe(b.subtract(a).isEmpty());
        expect(a.contains(b)).toBe(a.intersect(b).equals(b));
        expect(a.size()).toBe(a.subtract(b).size() + a.intersect(b).size());
        expect(a.size() + a.complement().size()).toBe(65536);
        expect(PortSet.fromRanges(a.ranges()).equals(a)).toBe(true);
        expect(a.isAll()).toBe(a.size() === 65536);
        expect(a.isEmpty()).toBe(a.size() === 0);
      }),
    );
  });
});

describe('PortSet basics', () => {
  it('formats', () => {
    expect(
      PortSet.fromRanges([
        [80, 90],
        [22, 22],
        [443, 443],
      ]).toString(),
    ).toBe('22, 80-90, 443');
    expect(PortSet.of(22, 23, 24).toString()).toBe('22-24');
    expect(PortSet.all().toString()).toBe('0-65535');
    expect(PortSet.empty().toString()).toBe('(none)');
    expect(EPHEMERAL.toString()).toBe('1024-65535');
    expect(EPHEMERAL.size()).toBe(64512);
  });

  it('all / range / isAll', () => {
    expect(PortSet.range(0, 65535).isAll()).toBe(true);
    expect(PortSet.range(0, 1023).union(EPHEMERAL).isAll()).toBe(true);
    expect(PortSet.range(1, 65535).isAll()).toBe(false);
    expect(PortSet.range(22, 22).containsPort(22)).toBe(true);
    expect(PortSet.range(22, 22).containsPort(23)).toBe(false);
    expect(PortSet.range(22, 22).min()).toBe(22);
    expect(PortSet.empty().min()).toBeUndefined();
  });

  it('rejects invalid ranges', () => {
    expect(() => PortSet.range(10, 5)).toThrow(/10-5/);
    expect(() => PortSet.range(-1, 5)).toThrow(/-1/);
    expect(() => PortSet.range(0, 65536)).toThrow(/65536/);
    expect(() => PortSet.of(1.5)).toThrow();
  });
});
