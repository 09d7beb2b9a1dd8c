/**
 * IP protocol normalization for security-group rules ("-1", "tcp", "udp", "icmp", "icmpv6", or a
 * number) and NACL entries ("-1" or a protocol number as a string).
 */

/** An IP protocol number 0..255, or 'all' (the API's -1). */
export type Protocol = number | 'all';

export const ICMP = 1;
export const TCP = 6;
export const UDP = 17;
export const ICMPV6 = 58;

const NAMES: Readonly<Record<string, Protocol>> = {
  '-1': 'all',
  all: 'all',
  tcp: TCP,
  udp: UDP,
  icmp: ICMP,
  icmpv6: ICMPV6,
};

function bad(x: unknown): never {
  throw new Error(
    `Invalid IP protocol ${JSON.stringify(x)}: expected -1, all, tcp, udp, icmp, icmpv6 or a protocol number 0-255`,
  );
}

/**
 * "-1" / -1 / "all" -> 'all'; "tcp" / "6" -> 6; "udp" / "17" -> 17; "icmp" / "1" -> 1;
 * "icmpv6" / "58" -> 58; any other number 0..255 (number or decimal string) -> that number.
 * Case-insensitive, surrounding whitespace ignored. Throws on anything else.
 */
export function normalizeProtocol(x: string | number): Protocol {
  if (typeof x === 'number') {
    if (x === -1) return 'all';
    if (Number.isInteger(x) && x >= 0 && x <= 255) return x;
    return bad(x);
  }
  if (typeof x !== 'string') return bad(x);
  const s = x.trim().toLowerCase();
  const named = NAMES[s];
  if (named !== undefined) return named;
  if (/^[0-9]{1,3}$/.test(s)) {
    const n = Number(s);
    if (n <= 255) return n;
  }
  return bad(x);
}

/** 'all' | 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'proto-N'. */
export function protocolName(p: Protocol): string {
  switch (p) {
    case 'all':
      return 'all';
    case TCP:
      return 'tcp';
    case UDP:
      return 'udp';
    case ICMP:
      return 'icmp';
    case ICMPV6:
      return 'icmpv6';
    default:
      return `proto-${p}`;
  }
}

/** Whether the protocol has ports (TCP and UDP only; 'all' is not a protocol with ports). */
export function hasPorts(p: Protocol): boolean {
  return p === TCP || p === UDP;
}

/** Whether the protocol carries ICMP type/code (ICMP and ICMPv6). */
export function isIcmp(p: Protocol): boolean {
  return p === ICMP || p === ICMPV6;
}

/**
 * Whether a rule/entry for `rule` matches a packet of protocol `packet`. A rule for 'all' matches any
 * packet; otherwise the numbers must be equal. A packet of protocol 'all' (i.e. "every protocol") is
 * matched only by an 'all' rule.
 */
export function protocolMatches(rule: Protocol, packet: Protocol): boolean {
  return rule === 'all' || rule === packet;
}
