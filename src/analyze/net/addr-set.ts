/**
 * AddrSet: an immutable set of IPv4 and IPv6 addresses, kept as canonical sorted, disjoint,
 * non-adjacent half-open interval lists (IPv4 as numbers, IPv6 as bigints). Every operation is exact
 * and linear in the number of intervals.
 *
 * Also the "world" definition of docs/rules.md: see publicV4Count, globalV6Count, isWorldCidr and
 * isWorldSet.
 */

import {
  ivContains,
  ivEquals,
  ivHas,
  ivIntersect,
  ivNormalize,
  ivOverlaps,
  ivSubtract,
  ivUnion,
} from './intervals.ts';
import {
  type Cidr,
  cidr4Range,
  cidr6Range,
  formatIpv4,
  formatIpv6,
  parseCidr,
  parseIp,
  V4_SIZE,
  V6_SIZE,
} from './ip.ts';

const ALL4: readonly number[] = Object.freeze([0, V4_SIZE]);
const ALL6: readonly bigint[] = Object.freeze([0n, V6_SIZE]);
const NONE4: readonly number[] = Object.freeze([]);
const NONE6: readonly bigint[] = Object.freeze([]);

export class AddrSet {
  /** Flat half-open IPv4 intervals [lo0, hi0, lo1, hi1, ...] (canonical). */
  private readonly v4: readonly number[];
  /** Flat half-open IPv6 intervals (canonical). */
  private readonly v6: readonly bigint[];

  private constructor(v4: readonly number[], v6: readonly bigint[]) {
    this.v4 = v4;
    this.v6 = v6;
  }

  private static readonly EMPTY = new AddrSet(NONE4, NONE6);
  private static readonly ALL = new AddrSet(ALL4, ALL6);
  private static readonly ALL_V4 = new AddrSet(ALL4, NONE6);
  private static readonly ALL_V6 = new AddrSet(NONE4, ALL6);

  static empty(): AddrSet {
    return AddrSet.EMPTY;
  }

  /** Every IPv4 and every IPv6 address. */
  static all(): AddrSet {
    return AddrSet.ALL;
  }

  static allV4(): AddrSet {
    return AddrSet.ALL_V4;
  }

  static allV6(): AddrSet {
    return AddrSet.ALL_V6;
  }

  private static make(v4: readonly number[], v6: readonly bigint[]): AddrSet {
    if (v4.length === 0 && v6.length === 0) return AddrSet.EMPTY;
    return new AddrSet(v4, v6);
  }

  /** From a parsed CIDR (host bits, if any, are cleared). */
  static fromParsedCidr(c: Cidr): AddrSet {
    if (c.family === 4) {
      if (!Number.isInteger(c.prefix) || c.prefix < 0 || c.prefix > 32)
        throw new Error(`Invalid IPv4 prefix ${c.prefix}`);
      const size = 2 ** (32 - c.prefix);
      const lo = c.addr - (c.addr % size);
      return AddrSet.make([lo, lo + size], NONE6);
    }
    if (!Number.isInteger(c.prefix) || c.prefix < 0 || c.prefix > 128)
      throw new Error(`Invalid IPv6 prefix ${c.prefix}`);
    const host = BigInt(128 - c.prefix);
    const lo = (c.addr >> host) << host;
    return AddrSet.make(NONE4, [lo, lo + (1n << host)]);
  }

  /** One CIDR (IPv4 or IPv6; host bits are cleared; a bare address is a host). Throws on malformed input. */
  static fromCidr(cidr: string): AddrSet {
    return AddrSet.fromParsedCidr(parseCidr(cidr));
  }

  /** The union of CIDRs of either family. Throws on the first malformed one. */
  static fromCidrs(cidrs: Iterable<string>): AddrSet {
    const r4: Array<[number, number]> = [];
    const r6: Array<[bigint, bigint]> = [];
    for (const s of cidrs) {
      const c = parseCidr(s);
      if (c.family === 4) r4.push(cidr4Range(c));
      else r6.push(cidr6Range(c));
    }
    return AddrSet.make(ivNormalize(r4), ivNormalize(r6));
  }

  /** The union of CIDRs, or undefined when one of them does not parse (a value read from a policy). */
  static tryFromCidrs(cidrs: Iterable<string>): AddrSet | undefined {
    try {
      return AddrSet.fromCidrs(cidrs);
    } catch {
      return undefined;
    }
  }

  /** A single address. */
  static fromIp(ip: string): AddrSet {
    const a = parseIp(ip);
    return a.family === 4
      ? AddrSet.make([a.value, a.value + 1], NONE6)
      : AddrSet.make(NONE4, [a.value, a.value + 1n]);
  }

  /** IPv4 addresses first..last inclusive (numbers 0..2^32-1). */
  static fromRange4(first: number, last: number): AddrSet {
    if (!Number.isInteger(first) || !Number.isInteger(last) || first < 0 || last >= V4_SIZE || first > last) {
      throw new Error(`Invalid IPv4 range ${first}..${last}`);
    }
    return AddrSet.make([first, last + 1], NONE6);
  }

  /** IPv6 addresses first..last inclusive. */
  static fromRange6(first: bigint, last: bigint): AddrSet {
    if (first < 0n || last >= V6_SIZE || first > last)
      throw new Error(`Invalid IPv6 range ${first}..${last}`);
    return AddrSet.make(NONE4, [first, last + 1n]);
  }

  union(other: AddrSet): AddrSet {
    if (this === other || other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return AddrSet.make(ivUnion(this.v4, other.v4), ivUnion(this.v6, other.v6));
  }

  /** The union of many sets, merged pairwise as a balanced tree. */
  static unionAll(sets: Iterable<AddrSet>): AddrSet {
    let level = [...sets];
    if (level.length === 0) return AddrSet.EMPTY;
    while (level.length > 1) {
      const next: AddrSet[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const a = level[i] as AddrSet;
        const b = level[i + 1];
        next.push(b === undefined ? a : a.union(b));
      }
      level = next;
    }
    return level[0] as AddrSet;
  }

  intersect(other: AddrSet): AddrSet {
    if (this === other) return this;
    if (this.isEmpty() || other.isEmpty()) return AddrSet.EMPTY;
    return AddrSet.make(ivIntersect(this.v4, other.v4), ivIntersect(this.v6, other.v6));
  }

  subtract(other: AddrSet): AddrSet {
    if (this === other) return AddrSet.EMPTY;
    if (this.isEmpty() || other.isEmpty()) return this;
    return AddrSet.make(ivSubtract(this.v4, other.v4), ivSubtract(this.v6, other.v6));
  }

  /** Complement within all addresses of both families. */
  complement(): AddrSet {
    return AddrSet.ALL.subtract(this);
  }

  /** Only the IPv4 part. */
  v4Only(): AddrSet {
    return AddrSet.make(this.v4, NONE6);
  }

  /** Only the IPv6 part. */
  v6Only(): AddrSet {
    return AddrSet.make(NONE4, this.v6);
  }

  isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  hasV4(): boolean {
    return this.v4.length > 0;
  }

  hasV6(): boolean {
    return this.v6.length > 0;
  }

  /** other ⊆ this. */
  contains(other: AddrSet): boolean {
    return ivContains(this.v4, other.v4) && ivContains(this.v6, other.v6);
  }

  /** this ∩ other ≠ ∅. */
  overlaps(other: AddrSet): boolean {
    return ivOverlaps(this.v4, other.v4) || ivOverlaps(this.v6, other.v6);
  }

  /** Whether one address (text, either family) is in the set. Throws on a malformed address. */
  containsIp(ip: string): boolean {
    const a = parseIp(ip);
    return a.family === 4 ? ivHas(this.v4, a.value) : ivHas(this.v6, a.value);
  }

  containsV4(v: number): boolean {
    return ivHas(this.v4, v);
  }

  containsV6(v: bigint): boolean {
    return ivHas(this.v6, v);
  }

  equals(other: AddrSet): boolean {
    return this === other || (ivEquals(this.v4, other.v4) && ivEquals(this.v6, other.v6));
  }

  /** Number of IPv4 addresses (exact: at most 2^32). */
  size4(): number {
    let n = 0;
    for (let i = 0; i < this.v4.length; i += 2) n += (this.v4[i + 1] as number) - (this.v4[i] as number);
    return n;
  }

  /** Number of IPv6 addresses. */
  size6(): bigint {
    let n = 0n;
    for (let i = 0; i < this.v6.length; i += 2) n += (this.v6[i + 1] as bigint) - (this.v6[i] as bigint);
    return n;
  }

  /** IPv4 ranges as inclusive [first, last] pairs. */
  ranges4(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.v4.length; i += 2)
      out.push([this.v4[i] as number, (this.v4[i + 1] as number) - 1]);
    return out;
  }

  /** IPv6 ranges as inclusive [first, last] pairs. */
  ranges6(): Array<[bigint, bigint]> {
    const out: Array<[bigint, bigint]> = [];
    for (let i = 0; i < this.v6.length; i += 2)
      out.push([this.v6[i] as bigint, (this.v6[i + 1] as bigint) - 1n]);
    return out;
  }

  /** Number of intervals (both families): a measure of fragmentation. */
  intervalCount(): number {
    return (this.v4.length + this.v6.length) / 2;
  }

  /**
   * The minimal list of CIDRs whose union is exactly this set (IPv4 first, each family ascending).
   * Each interval is split greedily into maximal aligned blocks, which is optimal per interval, and
   * intervals are non-adjacent, so no two blocks from different intervals could merge.
   */
  toCidrs(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.v4.length; i += 2) {
      let lo = this.v4[i] as number;
      const hi = this.v4[i + 1] as number;
      while (lo < hi) {
        let size = 1;
        let bits = 0;
        while (bits < 32 && lo % (size * 2) === 0 && lo + size * 2 <= hi) {
          size *= 2;
          bits++;
        }
        out.push(`${formatIpv4(lo)}/${32 - bits}`);
        lo += size;
      }
    }
    for (let i = 0; i < this.v6.length; i += 2) {
      let lo = this.v6[i] as bigint;
      const hi = this.v6[i + 1] as bigint;
      while (lo < hi) {
        // Largest aligned block: limited by the lowest set bit of lo and by the room left before hi.
        let bits = 0;
        while (bits < 128 && ((lo >> BigInt(bits)) & 1n) === 0n && lo + (1n << BigInt(bits + 1)) <= hi)
          bits++;
        out.push(`${formatIpv6(lo)}/${128 - bits}`);
        lo += 1n << BigInt(bits);
      }
    }
    return out;
  }

  /** "10.0.0.0/8, 2001:db8::/32", or "(none)" for the empty set. */
  toString(): string {
    return this.isEmpty() ? '(none)' : this.toCidrs().join(', ');
  }

  // ------------------------------------------------------------------ world

  /** How many addresses of the set are public IPv4 (outside RESERVED_V4_CIDRS). */
  publicV4Count(): number {
    return this.intersect(PUBLIC_V4).size4();
  }

  /** How many addresses of the set are IPv6 global unicast (inside 2000::/3). */
  globalV6Count(): bigint {
    return this.intersect(GLOBAL_V6).size6();
  }
}

/** IPv4 ranges that are not public internet space (docs/rules.md "world"). 255.255.255.255 is inside 240/4. */
export const RESERVED_V4_CIDRS: readonly string[] = Object.freeze([
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

/** IPv6 global unicast space. */
export const GLOBAL_UNICAST_V6_CIDR = '2000::/3';

export const RESERVED_V4: AddrSet = AddrSet.fromCidrs(RESERVED_V4_CIDRS);
export const PUBLIC_V4: AddrSet = AddrSet.allV4().subtract(RESERVED_V4);
export const GLOBAL_V6: AddrSet = AddrSet.fromCidr(GLOBAL_UNICAST_V6_CIDR);

/** A set or a CIDR is "world" from 2^24 public IPv4 addresses (a /8's worth). */
export const WORLD_V4_THRESHOLD = 2 ** 24;
/** ... or from 2^112 global unicast IPv6 addresses (a /16's worth). */
export const WORLD_V6_THRESHOLD = 1n << 112n;

/**
 * docs/rules.md "world": an IPv4 CIDR holding at least 2^24 public addresses; an IPv6 CIDR of prefix
 * length <= 16 that overlaps global unicast 2000::/3. Throws on a malformed CIDR (a silent "not world"
 * would be a false negative).
 */
export function isWorldCidr(cidr: string): boolean {
  const c = parseCidr(cidr);
  if (c.family === 4) return AddrSet.fromParsedCidr(c).publicV4Count() >= WORLD_V4_THRESHOLD;
  return c.prefix <= 16 && AddrSet.fromParsedCidr(c).overlaps(GLOBAL_V6);
}

/**
 * World for a combined set (several rules, a NACL-admitted set): at least 2^24 public IPv4 addresses,
 * or at least 2^112 global unicast IPv6 addresses. For a single CIDR this agrees with isWorldCidr.
 */
export function isWorldSet(set: AddrSet): boolean {
  return set.publicV4Count() >= WORLD_V4_THRESHOLD || set.globalV6Count() >= WORLD_V6_THRESHOLD;
}

/**
 * Whether a CIDR reaches outside reserved space: IPv4 holding at least one public address, IPv6
 * overlapping global unicast 2000::/3. Throws on a malformed CIDR.
 */
export function isPublicCidr(cidr: string): boolean {
  const s = AddrSet.fromCidr(cidr);
  return s.overlaps(PUBLIC_V4) || s.overlaps(GLOBAL_V6);
}
