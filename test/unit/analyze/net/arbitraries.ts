/**
 * fast-check arbitraries and naive models shared by the net property tests.
 * The models compute membership per address with bigint shifts, independently of the interval code.
 */
import fc from 'fast-check';
import { formatIpv4, formatIpv6, parseCidr } from '../../../../src/analyze/net/ip.ts';

export type Family = 4 | 6;

/** A CIDR in bigint terms, for the naive model. */
export interface CidrModel {
  readonly family: Family;
  readonly net: bigint;
  readonly prefix: number;
}

export function bits(f: Family): number {
  return f === 4 ? 32 : 128;
}

export function cidrModel(cidr: string): CidrModel {
  const c = parseCidr(cidr);
  return { family: c.family, net: BigInt(c.addr), prefix: c.prefix };
}

export function inCidr(m: CidrModel, family: Family, x: bigint): boolean {
  if (m.family !== family) return false;
  const shift = BigInt(bits(family) - m.prefix);
  return x >> shift === m.net >> shift;
}

export function inAny(ms: readonly CidrModel[], family: Family, x: bigint): boolean {
  return ms.some((m) => inCidr(m, family, x));
}

const V4_DENSE_BASE = 0x0a000000; // 10.0.0.0
const V6_DENSE_BASE = 0x20010db8n << 96n; // 2001:db8::

/** IPv4 CIDRs: half anywhere (any prefix), half packed in 10.0.0.0/22 so that they overlap often. */
export const v4Cidr: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
    .map(([a, p]) => `${formatIpv4(a)}/${p}`),
  fc
    .tuple(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 22, max: 32 }))
    .map(([a, p]) => `${formatIpv4(V4_DENSE_BASE + a)}/${p}`),
);

/** IPv6 CIDRs: half anywhere, half packed in 2001:db8::/118. */
export const v6Cidr: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 0, max: 128 }))
    .map(([a, p]) => `${formatIpv6(a)}/${p}`),
  fc
    .tuple(fc.bigInt({ min: 0n, max: 1023n }), fc.integer({ min: 118, max: 128 }))
    .map(([a, p]) => `${formatIpv6(V6_DENSE_BASE + a)}/${p}`),
);

export function cidrArb(families: readonly Family[]): fc.Arbitrary<string> {
  if (families.length === 2) return fc.oneof(v4Cidr, v6Cidr);
  return families[0] === 4 ? v4Cidr : v6Cidr;
}

export function cidrListArb(families: readonly Family[], maxLength = 6): fc.Arbitrary<string[]> {
  return fc.array(cidrArb(families), { maxLength });
}

/** Points worth probing for a set of CIDRs: each range's first and last address and their neighbours. */
export function boundaryPoints(ms: readonly CidrModel[]): Array<[Family, bigint]> {
  const out: Array<[Family, bigint]> = [];
  for (const m of ms) {
    const b = bits(m.family);
    const max = (1n << BigInt(b)) - 1n;
    const size = 1n << BigInt(b - m.prefix);
    for (const x of [m.net - 1n, m.net, m.net + size - 1n, m.net + size]) {
      if (x >= 0n && x <= max) out.push([m.family, x]);
    }
  }
  return out;
}

export const randomPoint: fc.Arbitrary<[Family, bigint]> = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((x) => [4, BigInt(x)] as [Family, bigint]),
  fc.integer({ min: 0, max: 1100 }).map((x) => [4, BigInt(V4_DENSE_BASE + x)] as [Family, bigint]),
  fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((x) => [6, x] as [Family, bigint]),
  fc.bigInt({ min: 0n, max: 1100n }).map((x) => [6, V6_DENSE_BASE + x] as [Family, bigint]),
);

/** Port ranges (inclusive): half anywhere, half packed in 0..40 so that they overlap often. */
export const portRangeArb: fc.Arbitrary<[number, number]> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 }))
    .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]),
  fc
    .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 8 }))
    .map(([a, n]) => [a, a + n] as [number, number]),
);
