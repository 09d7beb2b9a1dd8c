import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AddrSet,
  isPublicCidr,
  isWorldCidr,
  isWorldSet,
  PUBLIC_V4,
  RESERVED_V4_CIDRS,
} from '../../../../src/analyze/net/addr-set.ts';
import { v4Cidr, v6Cidr } from './arbitraries.ts';

describe('isWorldCidr (docs/rules.md "world")', () => {
  it.each([
    ['0.0.0.0/0', true],
    ['0.0.0.0/1', true],
    ['128.0.0.0/1', true],
    ['8.0.0.0/7', true],
    ['11.0.0.0/8', true], // a public /8: exactly 2^24 public addresses
    ['52.0.0.0/8', true],
    ['11.0.0.1/8', true], // host bits set: normalized
    ['10.0.0.0/8', false],
    ['52.0.0.0/12', false], // wide but not world
    ['1.2.3.0/24', false],
    ['100.0.0.0/8', false], // 2^24 - 2^22 public (100.64.0.0/10 is reserved)
    ['224.0.0.0/3', false], // multicast + reserved only
    ['192.0.0.0/8', false], // loses 192.0.0.0/24, 192.0.2.0/24, 192.88.99.0/24, 192.168.0.0/16
    ['255.255.255.255/32', false],
    ['::/0', true],
    ['::/1', true],
    ['2000::/3', true],
    ['2600::/16', true],
    ['2600:1f18::/32', false],
    ['2600::/17', false],
    ['fc00::/7', false],
    ['4000::/2', false], // not global unicast
    ['8000::/1', false],
    ['::/2', true], // 0000::/2 holds 2000::/3
    ['::/3', false], // 0000::/3 does not
  ])('%s -> %s', (cidr, world) => {
    expect(isWorldCidr(cidr)).toBe(world);
  });

  it('throws on malformed input rather than answering "not world"', () => {
    expect(() => isWorldCidr('0.0.0.0/33')).toThrow(/0\.0\.0\.0\/33/);
    expect(() => isWorldCidr('world')).toThrow(/"world"/);
  });

  it('agrees with isWorldSet on single CIDRs of both families', () => {
    fc.assert(
      fc.property(fc.oneof(v4Cidr, v6Cidr), (c) => {
        expect(isWorldCidr(c)).toBe(isWorldSet(AddrSet.fromCidr(c)));
      }),
      { numRuns: 500 },
    );
  });
});

describe('isWorldSet / counts', () => {
  it('0.0.0.0/1 + 128.0.0.0/1 is world', () => {
    expect(isWorldSet(AddrSet.fromCidrs(['0.0.0.0/1', '128.0.0.0/1']))).toBe(true);
  });

  it('100.0.0.0/8 minus 100.64.0.0/10 is not world', () => {
    const s = AddrSet.fromCidr('100.0.0.0/8').subtract(AddrSet.fromCidr('100.64.0.0/10'));
    expect(s.publicV4Count()).toBe(2 ** 24 - 2 ** 22);
    expect(isWorldSet(s)).toBe(false);
  });

  it('many smaller public blocks add up to world', () => {
    const s = AddrSet.fromCidrs(['52.0.0.0/9', '54.0.0.0/9']);
    expect(s.publicV4Count()).toBe(2 ** 24);
    expect(isWorldSet(s)).toBe(true);
    expect(isWorldSet(AddrSet.fromCidrs(['52.0.0.0/9', '54.0.0.0/10']))).toBe(false);
  });

  it('the reserved IPv4 list is exactly the one of docs/rules.md', () => {
    expect([...RESERVED_V4_CIDRS]).toEqual([
      '0.0.0.0/8',
      '10.0.0.0/8',
      '100.64.0.0/10',
      '127.0.0.0/8',
      '169.254.0.0/16',
      '172.16.0.0/12',
      '192.0.0.0/24',
      '192.0.2.0/24',
      '192.88.99.0/24',
      '192.168.0.0/16',
      '198.18.0.0/15',
      '198.51.100.0/24',
      '203.0.113.0/24',
      '224.0.0.0/4',
      '240.0.0.0/4',
    ]);
    // Each range is non-public, and the address just outside it is public unless another range holds it.
    const ranges = RESERVED_V4_CIDRS.map((c) => AddrSet.fromCidr(c));
    for (const s of ranges) {
      expect(s.publicV4Count()).toBe(0);
      const [[first, last]] = s.ranges4() as [[number, number]];
      for (const n of [first - 1, last + 1]) {
        if (n < 0 || n >= 2 ** 32) continue;
        const reserved = ranges.some((r) => r.containsV4(n));
        expect(AddrSet.fromRange4(n, n).publicV4Count()).toBe(reserved ? 0 : 1);
      }
    }
    expect(AddrSet.fromCidr('198.19.255.255/32').publicV4Count()).toBe(0);
    expect(AddrSet.fromCidr('198.20.0.0/32').publicV4Count()).toBe(1);
  });

  it('public IPv4 space is 2^32 minus the reserved ranges', () => {
    const reserved = AddrSet.fromCidrs(RESERVED_V4_CIDRS);
    expect(PUBLIC_V4.size4()).toBe(2 ** 32 - reserved.size4());
    expect(AddrSet.all().publicV4Count()).toBe(PUBLIC_V4.size4());
    expect(AddrSet.fromCidr('255.255.255.255/32').publicV4Count()).toBe(0);
    expect(AddrSet.fromCidr('8.8.8.8/32').publicV4Count()).toBe(1);
    expect(AddrSet.fromCidr('10.0.0.0/8').publicV4Count()).toBe(0);
  });

  it('global unicast IPv6 count', () => {
    expect(AddrSet.all().globalV6Count()).toBe(1n << 125n);
    expect(AddrSet.fromCidr('fc00::/7').globalV6Count()).toBe(0n);
    expect(AddrSet.fromCidr('2600::/16').globalV6Count()).toBe(1n << 112n);
    expect(isWorldSet(AddrSet.fromCidr('2600::/16'))).toBe(true);
    // Two /17s in different /16s: a /16's worth of global unicast in total.
    expect(isWorldSet(AddrSet.fromCidrs(['2600::/17', '2a00::/17']))).toBe(true);
    expect(isWorldSet(AddrSet.fromCidr('2600::/17'))).toBe(false);
    expect(isWorldSet(AddrSet.fromCidr('::/2').subtract(AddrSet.fromCidr('2000::/3')))).toBe(false);
    expect(isWorldSet(AddrSet.empty())).toBe(false);
  });
});

describe('isPublicCidr', () => {
  it.each([
    ['0.0.0.0/0', true],
    ['10.0.0.0/8', false],
    ['10.0.0.0/7', true], // 11.0.0.0/8 is public
    ['172.16.0.0/12', false],
    ['192.168.1.0/24', false],
    ['100.64.0.0/10', false],
    ['52.1.2.3/32', true],
    ['224.0.0.0/3', false],
    ['::/0', true],
    ['2600:1f18::/32', true],
    ['fc00::/7', false],
    ['fe80::/10', false],
    ['::1/128', false],
  ])('%s -> %s', (cidr, pub) => {
    expect(isPublicCidr(cidr)).toBe(pub);
  });
});
