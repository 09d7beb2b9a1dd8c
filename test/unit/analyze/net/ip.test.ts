import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatCidr,
  formatIpv4,
  formatIpv6,
  isIpv6Cidr,
  normalizeCidr,
  parseCidr,
  parseIp,
  parseIpv4,
  parseIpv6,
  prefixLength,
  tryParseCidr,
} from '../../../../src/analyze/net/ip.ts';

describe('IPv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.0.0.1', 0x0a000001],
    ['255.255.255.255', 2 ** 32 - 1],
    ['128.0.0.0', 2 ** 31],
    [' 192.168.1.1 ', 0xc0a80101],
  ])('parses %s', (s, v) => {
    expect(parseIpv4(s)).toBe(v);
    expect(formatIpv4(v)).toBe(s.trim());
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.0',
    '1.2.3.-1',
    '01.2.3.4',
    '1.2.3.4a',
    'a.b.c.d',
    '1..2.3',
    '1.2.3.4/',
  ])('rejects %j naming the input', (s) => {
    expect(() => parseIpv4(s)).toThrow(
      new RegExp(`Invalid IPv4 address ${JSON.stringify(s).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
    );
  });

  it('round-trips every number', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => parseIpv4(formatIpv4(v)) === v));
  });

  it('formatIpv4 rejects out-of-range values', () => {
    expect(() => formatIpv4(-1)).toThrow();
    expect(() => formatIpv4(2 ** 32)).toThrow();
    expect(() => formatIpv4(1.5)).toThrow();
  });
});

describe('IPv6', () => {
  it.each([
    ['::', 0n, '::'],
    ['::1', 1n, '::1'],
    ['1::', 1n << 112n, '1::'],
    ['2001:db8::1', (0x20010db8n << 96n) | 1n, '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', (0x20010db8n << 96n) | 1n, '2001:db8::1'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', (1n << 128n) - 1n, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    // RFC 5952: a single zero group is not compressed; the longest run is; the first on a tie.
    ['2001:db8:0:1:1:1:1:1', 0x20010db8000000010001000100010001n, '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', 0x20010000000000010000000000000001n, '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', 0x20010db8000000000001000000000001n, '2001:db8::1:0:0:1'],
    ['1:2:3:4:5:6:7::', 0x00010002000300040005000600070000n, '1:2:3:4:5:6:7:0'],
    ['::2:3:4:5:6:7:8', 0x00000002000300040005000600070008n, '0:2:3:4:5:6:7:8'],
    // embedded IPv4
    ['::ffff:1.2.3.4', 0xffff01020304n, '::ffff:102:304'],
    ['64:ff9b::192.0.2.33', (0x0064ff9bn << 96n) | 0xc0000221n, '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:1.2.3.4', 0x00010002000300040005000601020304n, '1:2:3:4:5:6:102:304'],
  ])('parses %s', (s, v, formatted) => {
    expect(parseIpv6(s)).toBe(v);
    expect(formatIpv6(v)).toBe(formatted);
  });

  it.each([
    '',
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::',
    ':1::',
    '1::2:',
    'fe80::1%eth0',
    '::1.2.3',
    '::1.2.3.4:5',
    '1.2.3.4::',
  ])('rejects %j naming the input', (s) => {
    expect(() => parseIpv6(s)).toThrow(/Invalid IPv6 address/);
    expect(() => parseIpv6(s)).toThrow(JSON.stringify(s));
  });

  const groupArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }));
  const v6Arb = fc
    .array(groupArb, { minLength: 8, maxLength: 8 })
    .map((gs) => gs.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n));

  it('round-trips (format is canonical and parse inverts it)', () => {
    fc.assert(
      fc.property(v6Arb, (v) => {
        const s = formatIpv6(v);
        expect(parseIpv6(s)).toBe(v);
        expect(formatIpv6(parseIpv6(s.toUpperCase()))).toBe(s);
        expect(s.split('::').length).toBeLessThanOrEqual(2);
      }),
    );
  });
});

describe('CIDR', () => {
  it.each([
    ['10.0.0.0/8', 4, '10.0.0.0/8'],
    ['10.0.0.1/8', 4, '10.0.0.0/8'],
    ['10.1.2.3', 4, '10.1.2.3/32'],
    ['0.0.0.0/0', 4, '0.0.0.0/0'],
    ['255.255.255.255/0', 4, '0.0.0.0/0'],
    ['::/0', 6, '::/0'],
    ['2001:db8::1/32', 6, '2001:db8::/32'],
    ['2001:DB8::/32', 6, '2001:db8::/32'],
    ['::1', 6, '::1/128'],
    [' 10.0.0.0/16 ', 4, '10.0.0.0/16'],
  ])('parses %s', (s, family, normalized) => {
    const c = parseCidr(s);
    expect(c.family).toBe(family);
    expect(formatCidr(c)).toBe(normalized);
    expect(normalizeCidr(s)).toBe(normalized);
    expect(isIpv6Cidr(s)).toBe(family === 6);
    expect(prefixLength(s)).toBe(c.prefix);
  });

  it.each([
    '',
    '/8',
    '10.0.0.0/',
    '10.0.0.0/33',
    '10.0.0.0/-1',
    '10.0.0.0/8/8',
    '10.0.0.0/a',
    '::/129',
    'x/8',
    '10.0.0/8',
  ])('rejects %j naming the input', (s) => {
    expect(() => parseCidr(s)).toThrow(JSON.stringify(s));
    expect(tryParseCidr(s)).toBeUndefined();
  });

  it('parseIp picks the family', () => {
    expect(parseIp('10.0.0.1')).toEqual({ family: 4, value: 0x0a000001 });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(() => parseIp('nope')).toThrow(/"nope"/);
  });

  it('does not crash on non-string input', () => {
    expect(() => parseCidr(undefined as unknown as string)).toThrow(/Invalid CIDR/);
    expect(() => parseIpv4(42 as unknown as string)).toThrow(/Invalid IPv4 address/);
  });
});
