/**
 * IPv4 / IPv6 addresses and CIDRs: parsing, normalization and formatting.
 *
 * IPv4 addresses are numbers in 0..2^32-1 (never bitwise-negated: JS bitwise operators are 32-bit
 * signed, so this module uses arithmetic), IPv6 addresses are bigints in 0..2^128-1.
 *
 * Parsing is strict about syntax (a malformed value throws an Error that quotes it) and lenient about
 * meaning: a CIDR with host bits set (10.0.0.1/8) is normalized to its network (10.0.0.0/8), and a bare
 * address is read as a host CIDR (/32 or /128). Leading zeros in IPv4 octets are rejected (they are
 * ambiguous: some parsers read them as octal).
 */

export const V4_SIZE = 2 ** 32;
export const V6_SIZE = 1n << 128n;
const V6_MAX = V6_SIZE - 1n;

export interface Cidr4 {
  readonly family: 4;
  /** The network address (host bits cleared). */
  readonly addr: number;
  readonly prefix: number;
}
export interface Cidr6 {
  readonly family: 6;
  readonly addr: bigint;
  readonly prefix: number;
}
export type Cidr = Cidr4 | Cidr6;

export type IpAddress =
  | { readonly family: 4; readonly value: number }
  | { readonly family: 6; readonly value: bigint };

function fail(kind: string, input: string, why: string): never {
  throw new Error(`Invalid ${kind} ${JSON.stringify(input)}: ${why}`);
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Fast path: a well-formed dotted quad, or -1 (the slow path then explains what is wrong). */
function parseV4Fast(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0) return -1;
      v = v * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return -1; // leading zero
      octet = octet * 10 + (c - 48);
      if (octet > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + octet;
}

function parseV4Core(s: string, kind: string, input: string): number {
  const fast = parseV4Fast(s);
  if (fast >= 0) return fast;
  const parts = s.split('.');
  if (parts.length !== 4) fail(kind, input, 'an IPv4 address has four dot-separated octets');
  let v = 0;
  for (const p of parts) {
    if (!OCTET.test(p))
      fail(kind, input, `octet ${JSON.stringify(p)} is not a decimal 0-255 without leading zeros`);
    const n = Number(p);
    if (n > 255) fail(kind, input, `octet ${p} is greater than 255`);
    v = v * 256 + n;
  }
  return v;
}

/** Parses dotted-quad IPv4 ("10.0.0.1") to a number in 0..2^32-1. */
export function parseIpv4(input: string): number {
  if (typeof input !== 'string') fail('IPv4 address', String(input), 'not a string');
  return parseV4Core(input.trim(), 'IPv4 address', input);
}

const HEXGROUP = /^[0-9a-f]{1,4}$/;

function parseV6Core(s0: string, kind: string, input: string): bigint {
  const s = s0.toLowerCase();
  if (s.length === 0) fail(kind, input, 'empty');
  if (s.includes('%')) fail(kind, input, 'zone identifiers (%...) are not supported');
  const halves = s.split('::');
  if (halves.length > 2) fail(kind, input, '"::" may appear only once');
  const compressed = halves.length === 2;
  const head = halves[0] === '' ? [] : (halves[0] as string).split(':');
  const tail = compressed ? (halves[1] === '' ? [] : (halves[1] as string).split(':')) : [];
  const groups: number[] = [];
  const headVals: number[] = [];
  const tailVals: number[] = [];
  const all = [...head.map((g) => ({ g, into: headVals })), ...tail.map((g) => ({ g, into: tailVals }))];
  all.forEach(({ g, into }, idx) => {
    if (g.includes('.')) {
      // Only as the very last part: after "::" if there is one, never before it.
      if (idx !== all.length - 1 || (compressed && into !== tailVals)) {
        fail(kind, input, 'an embedded IPv4 address may only be the last part');
      }
      const v4 = parseV4Core(g, kind, input);
      into.push(Math.floor(v4 / 65536), v4 % 65536);
      return;
    }
    if (!HEXGROUP.test(g)) fail(kind, input, `group ${JSON.stringify(g)} is not 1-4 hex digits`);
    into.push(Number.parseInt(g, 16));
  });
  const explicit = headVals.length + tailVals.length;
  if (compressed) {
    if (explicit > 7) fail(kind, input, 'too many groups for "::" to stand for at least one');
    groups.push(...headVals, ...new Array<number>(8 - explicit).fill(0), ...tailVals);
  } else {
    if (explicit !== 8) fail(kind, input, `expected 8 groups, found ${explicit}`);
    groups.push(...headVals);
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** Parses an IPv6 address (with "::" compression and an optional trailing embedded IPv4) to a bigint. */
export function parseIpv6(input: string): bigint {
  if (typeof input !== 'string') fail('IPv6 address', String(input), 'not a string');
  return parseV6Core(input.trim(), 'IPv6 address', input);
}

/** Parses either family. */
export function parseIp(input: string): IpAddress {
  if (typeof input !== 'string') fail('IP address', String(input), 'not a string');
  const s = input.trim();
  return s.includes(':')
    ? { family: 6, value: parseV6Core(s, 'IP address', input) }
    : { family: 4, value: parseV4Core(s, 'IP address', input) };
}

export function formatIpv4(v: number): string {
  if (!Number.isInteger(v) || v < 0 || v >= V4_SIZE) throw new Error(`Invalid IPv4 value ${v}`);
  return `${Math.floor(v / 16777216)}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run (first on a tie) of >= 2 zero groups as "::". */
export function formatIpv6(v: bigint): string {
  if (v < 0n || v > V6_MAX) throw new Error(`Invalid IPv6 value ${v}`);
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(':');
  if (bestLen < 2) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

export function formatIp(a: IpAddress): string {
  return a.family === 4 ? formatIpv4(a.value) : formatIpv6(a.value);
}

/**
 * Parses "a.b.c.d/n" or "x::y/n". Host bits are cleared. A bare address (no "/") is a host CIDR.
 */
export function parseCidr(input: string): Cidr {
  if (typeof input !== 'string') fail('CIDR', String(input), 'not a string');
  const s = input.trim();
  const slash = s.indexOf('/');
  if (slash !== s.lastIndexOf('/')) fail('CIDR', input, 'more than one "/"');
  const addrText = slash < 0 ? s : s.slice(0, slash);
  const v6 = addrText.includes(':');
  const max = v6 ? 128 : 32;
  let prefix = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(p)) fail('CIDR', input, `prefix length ${JSON.stringify(p)} is not a number`);
    prefix = Number(p);
    if (prefix > max) fail('CIDR', input, `prefix length ${prefix} exceeds ${max}`);
  }
  if (v6) {
    const a = parseV6Core(addrText, 'CIDR', input);
    const hostBits = BigInt(128 - prefix);
    return { family: 6, addr: (a >> hostBits) << hostBits, prefix };
  }
  const a = parseV4Core(addrText, 'CIDR', input);
  const size = 2 ** (32 - prefix);
  return { family: 4, addr: a - (a % size), prefix };
}

/** Like parseCidr, but returns undefined instead of throwing. */
export function tryParseCidr(input: string): Cidr | undefined {
  try {
    return parseCidr(input);
  } catch {
    return undefined;
  }
}

export function formatCidr(c: Cidr): string {
  return c.family === 4 ? `${formatIpv4(c.addr)}/${c.prefix}` : `${formatIpv6(c.addr)}/${c.prefix}`;
}

/** Canonical text of a CIDR: host bits cleared, RFC 5952 for IPv6 ("10.0.0.1/8" -> "10.0.0.0/8"). */
export function normalizeCidr(input: string): string {
  return formatCidr(parseCidr(input));
}

/** Half-open range [lo, hi) of an IPv4 CIDR. */
export function cidr4Range(c: Cidr4): [number, number] {
  return [c.addr, c.addr + 2 ** (32 - c.prefix)];
}

/** Half-open range [lo, hi) of an IPv6 CIDR. */
export function cidr6Range(c: Cidr6): [bigint, bigint] {
  return [c.addr, c.addr + (1n << BigInt(128 - c.prefix))];
}

/** Prefix length of a CIDR string (throws on malformed input). */
export function prefixLength(cidr: string): number {
  return parseCidr(cidr).prefix;
}

/** Whether a CIDR string is IPv6 (throws on malformed input). */
export function isIpv6Cidr(cidr: string): boolean {
  return parseCidr(cidr).family === 6;
}
