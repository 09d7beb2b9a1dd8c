import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddrSet } from '../../../../src/analyze/net/addr-set.ts';
import {
  FlowSet,
  icmpCoord,
  icmpTypeCodeSet,
  portDimension,
  ruleSpace,
} from '../../../../src/analyze/net/flow.ts';
import { PortSet } from '../../../../src/analyze/net/ports.ts';
import type { Protocol } from '../../../../src/analyze/net/protocol.ts';
import { type CidrModel, cidrListArb, cidrModel, type Family, inAny, randomPoint } from './arbitraries.ts';

const WORLD = AddrSet.all();
const WORLD4 = AddrSet.fromCidr('0.0.0.0/0');

// ------------------------------------------------------------------ model-based properties

interface BoxModel {
  protocol: Protocol;
  ports: [number, number];
  cidrs: CidrModel[];
}

const boxArb: fc.Arbitrary<{ model: BoxModel; set: FlowSet }> = fc
  .tuple(
    fc.constantFrom<Protocol>('all', 6, 17, 1, 50),
    fc.oneof(
      fc.constant<[number, number]>([0, 65535]),
      fc
        .tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 10 }))
        .map(([a, n]) => [a, a + n] as [number, number]),
    ),
    cidrListArb([4, 6], 3),
  )
  .map(([protocol, ports, cidrs]) => ({
    model: { protocol, ports, cidrs: cidrs.map(cidrModel) },
    set: FlowSet.box(protocol, PortSet.range(ports[0], ports[1]), AddrSet.fromCidrs(cidrs)),
  }));

const flowArb = fc.array(boxArb, { maxLength: 4 }).map((boxes) => ({
  models: boxes.map((b) => b.model),
  set: boxes.reduce((acc, b) => acc.union(b.set), FlowSet.empty()),
  parts: boxes.map((b) => b.set),
}));

function inModel(ms: BoxModel[], protocol: number, port: number, [f, x]: [Family, bigint]): boolean {
  return ms.some(
    (m) =>
      (m.protocol === 'all' || m.protocol === protocol) &&
      m.ports[0] <= port &&
      port <= m.ports[1] &&
      inAny(m.cidrs, f, x),
  );
}

function has(s: AddrSet, [f, x]: [Family, bigint]): boolean {
  return f === 4 ? s.containsV4(Number(x)) : s.containsV6(x);
}

const probeArb = fc.array(
  fc.tuple(
    fc.constantFrom(6, 17, 1, 50, 99),
    fc.oneof(fc.integer({ min: 0, max: 45 }), fc.constantFrom(0, 65535, 1000)),
    randomPoint,
  ),
  { minLength: 5, maxLength: 30 },
);

describe('FlowSet algebra', () => {
  it('membership of union / intersect / subtract agrees with a per-packet check', () => {
    fc.assert(
      fc.property(flowArb, flowArb, probeArb, (a, b, probes) => {
        const u = a.set.union(b.set);
        const i = a.set.intersect(b.set);
        const d = a.set.subtract(b.set);
        // Also probe the boundaries of the CIDRs involved.
        const extra = [...a.models, ...b.models].flatMap((m) =>
          m.cidrs.map((c) => [c.family, c.net] as [Family, bigint]),
        );
        const all = [...probes, ...extra.map((pt) => [6, 5, pt] as [number, number, [Family, bigint]])];
        for (const [proto, port, pt] of all) {
          const ina = inModel(a.models, proto, port, pt);
          const inb = inModel(b.models, proto, port, pt);
          expect(has(a.set.addrsFor(proto, port), pt)).toBe(ina);
          expect(has(u.addrsFor(proto, port), pt)).toBe(ina || inb);
          expect(has(i.addrsFor(proto, port), pt)).toBe(ina && inb);
          expect(has(d.addrsFor(proto, port), pt)).toBe(ina && !inb);
        }
      }),
    );
  });

  it('laws hold with canonical equality', () => {
    fc.assert(
      fc.property(flowArb, flowArb, flowArb, ({ set: a }, { set: b }, { set: c }) => {
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
        expect(c.subtract(a.union(b)).equals(c.subtract(a).intersect(c.subtract(b)))).toBe(true);
        expect(c.subtract(a.intersect(b)).equals(c.subtract(a).union(c.subtract(b)))).toBe(true);
        expect(a.contains(b)).toBe(a.intersect(b).equals(b));
        expect(a.union(b).contains(a)).toBe(true);
        expect(a.overlaps(b)).toBe(!a.intersect(b).isEmpty());
        expect(FlowSet.all().subtract(FlowSet.all().subtract(a)).equals(a)).toBe(true);
      }),
    );
  });

  it('unionAll equals a left fold of union', () => {
    fc.assert(
      fc.property(flowArb, ({ set, parts }) => {
        expect(FlowSet.unionAll(parts).equals(set)).toBe(true);
      }),
    );
  });

  it('boxes() describe the set exactly', () => {
    fc.assert(
      fc.property(flowArb, ({ set }) => {
        const rebuilt = set.boxes().reduce((acc, b) => {
          let box = FlowSet.box(b.protocol, b.ports, b.addrs);
          for (const e of b.except ?? []) box = box.subtract(FlowSet.box(e, PortSet.all(), AddrSet.all()));
          return acc.union(box);
        }, FlowSet.empty());
        expect(rebuilt.equals(set)).toBe(true);
      }),
    );
  });

  it('handles a set that lists every one of the 256 protocols', () => {
    const x = AddrSet.fromCidr('10.0.0.0/8');
    let s = FlowSet.empty();
    for (let p = 0; p < 256; p++) s = s.union(FlowSet.box(p, PortSet.all(), x));
    expect(s.equals(FlowSet.all(x))).toBe(true);
    let t = FlowSet.all(x);
    for (let p = 0; p < 256; p++) t = t.subtract(FlowSet.box(p, PortSet.all(), AddrSet.all()));
    expect(t.isEmpty()).toBe(true);
    // All protocols but one.
    let u = FlowSet.empty();
    for (let p = 1; p < 256; p++) u = u.union(FlowSet.box(p, PortSet.all(), x));
    expect(u.addrsFor(0, undefined).isEmpty()).toBe(true);
    expect(u.addrsFor(6, 80).equals(x)).toBe(true);
    expect(u.union(FlowSet.box(0, PortSet.all(), x)).equals(FlowSet.all(x))).toBe(true);
  });
});

// ------------------------------------------------------------------ ruleSpace

describe('ruleSpace', () => {
  it('tcp 22 from 0.0.0.0/0', () => {
    const s = ruleSpace('tcp', 22, 22, WORLD4);
    expect(s.addrsFor(6, 22).equals(WORLD4)).toBe(true);
    expect(s.addrsFor(6, 23).isEmpty()).toBe(true);
    expect(s.addrsFor(17, 22).isEmpty()).toBe(true);
    expect(s.addrsFor(6, undefined).isEmpty()).toBe(true);
    expect(s.addrsForAnyPort(6).equals(WORLD4)).toBe(true);
    expect(s.portsFor(6, WORLD4).toString()).toBe('22');
    expect(s.toString()).toBe('tcp 22 from 0.0.0.0/0');
  });

  it('all traffic from 10.0.0.0/16', () => {
    const x = AddrSet.fromCidr('10.0.0.0/16');
    for (const p of ['-1', -1, 'all']) {
      const s = ruleSpace(p, undefined, undefined, x);
      expect(s.equals(FlowSet.all(x))).toBe(true);
      expect(s.addrsFor(50, undefined).equals(x)).toBe(true);
      expect(s.addrsFor(6, 443).equals(x)).toBe(true);
      expect(s.addrsFor(6, undefined).equals(x)).toBe(true);
      expect(s.toString()).toBe('all from 10.0.0.0/16');
    }
    // -1 with ports given (the API sends -1/-1 or nothing): ports do not apply.
    expect(ruleSpace('-1', 0, 0, x).equals(FlowSet.all(x))).toBe(true);
  });

  it('tcp/udp port forms', () => {
    const all = ruleSpace('tcp', undefined, undefined, WORLD);
    expect(ruleSpace('6', -1, -1, WORLD).equals(all)).toBe(true);
    expect(ruleSpace('tcp', 0, 65535, WORLD).equals(all)).toBe(true);
    expect(ruleSpace(6, 0, 65535, WORLD).addrsFor(6, undefined).equals(WORLD)).toBe(true);
    expect(ruleSpace('udp', 53, 53, WORLD).addrsFor(17, 53).equals(WORLD)).toBe(true);
    expect(() => ruleSpace('tcp', 80, undefined, WORLD)).toThrow(/80-\(absent\)/);
    expect(() => ruleSpace('tcp', 90, 80, WORLD)).toThrow(/90-80/);
    expect(() => ruleSpace('tcp', 0, 70000, WORLD)).toThrow(/70000/);
    expect(() => ruleSpace('bogus', 0, 0, WORLD)).toThrow(/"bogus"/);
  });

  it('icmp type/code (SG encoding: fromPort = type, toPort = code)', () => {
    const echo = ruleSpace('icmp', 8, -1, WORLD);
    expect(echo.addrsFor(1, icmpCoord(8, 0)).equals(WORLD)).toBe(true);
    expect(echo.addrsFor(1, icmpCoord(8, 255)).equals(WORLD)).toBe(true);
    expect(echo.addrsFor(1, icmpCoord(0, 0)).isEmpty()).toBe(true);
    expect(echo.addrsFor(1, undefined).isEmpty()).toBe(true);
    expect(echo.addrsForAnyPort(1).equals(WORLD)).toBe(true);
    expect(echo.addrsFor(58, icmpCoord(8, 0)).isEmpty()).toBe(true);
    expect(echo.toString()).toBe('icmp type 8 from 0.0.0.0/0, ::/0');
    const fragNeeded = ruleSpace('icmp', 3, 4, WORLD);
    expect(fragNeeded.addrsFor(1, icmpCoord(3, 4)).equals(WORLD)).toBe(true);
    expect(fragNeeded.addrsFor(1, icmpCoord(3, 3)).isEmpty()).toBe(true);
    expect(fragNeeded.toString()).toBe('icmp type 3 code 4 from 0.0.0.0/0, ::/0');
    const anyIcmp = ruleSpace('icmpv6', -1, -1, WORLD);
    expect(anyIcmp.addrsFor(58, undefined).equals(WORLD)).toBe(true);
    expect(ruleSpace('58', undefined, undefined, WORLD).equals(anyIcmp)).toBe(true);
    expect(icmpTypeCodeSet(undefined, undefined).isAll()).toBe(true);
    expect(() => icmpCoord(256, 0)).toThrow(/256/);
  });

  it('other protocols have no ports', () => {
    const x = AddrSet.fromCidr('10.0.0.0/8');
    const s = ruleSpace('50', 0, 0, x);
    expect(s.addrsFor(50, undefined).equals(x)).toBe(true);
    expect(s.addrsFor(50, 12345).equals(x)).toBe(true);
    expect(s.toString()).toBe('proto-50 from 10.0.0.0/8');
    expect(portDimension(47, 5, 6).isAll()).toBe(true);
  });

  it('an empty address set gives an empty space', () => {
    expect(ruleSpace('tcp', 22, 22, AddrSet.empty()).isEmpty()).toBe(true);
    expect(FlowSet.empty().toString()).toBe('(none)');
  });

  it('combines rules: all minus tcp 22 from world', () => {
    const s = FlowSet.all(WORLD).subtract(ruleSpace('tcp', 22, 22, WORLD));
    expect(s.addrsFor(6, 22).isEmpty()).toBe(true);
    expect(s.addrsFor(6, 21).equals(WORLD)).toBe(true);
    expect(s.addrsFor(17, 22).equals(WORLD)).toBe(true);
    expect(s.addrs().equals(WORLD)).toBe(true);
    expect(s.toString()).toBe(
      'all (except tcp) from 0.0.0.0/0, ::/0; tcp 0-21, 23-65535 from 0.0.0.0/0, ::/0',
    );
  });

  it('portsFor: the ports on which every given address is in the set', () => {
    const ten = AddrSet.fromCidr('10.0.0.0/8');
    const s = ruleSpace('tcp', 22, 22, ten).union(ruleSpace('tcp', 80, 80, WORLD4));
    expect(s.portsFor(6, WORLD4).toString()).toBe('80');
    expect(s.portsFor(6, AddrSet.fromCidr('10.1.0.0/16')).toString()).toBe('22, 80');
    expect(s.portsFor(17, ten).isEmpty()).toBe(true);
  });

  it('validates protocol numbers in projections', () => {
    expect(() => FlowSet.all().addrsFor(256, 1)).toThrow(/256/);
    expect(() => FlowSet.all().addrsFor(6, 65536)).toThrow(/65536/);
    expect(() => FlowSet.box(300, PortSet.all(), WORLD)).toThrow(/300/);
  });
});
