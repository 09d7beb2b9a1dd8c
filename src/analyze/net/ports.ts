/**
 * PortSet: an immutable set of ports 0..65535 as canonical sorted, disjoint, non-adjacent ranges.
 * Ranges in the API are inclusive ([from, to]); internally they are half-open.
 *
 * The same 16-bit space also carries ICMP type/code pairs (see icmpTypeCodeSet in flow.ts).
 */
import { ivContains, ivEquals, ivHas, ivIntersect, ivNormalize, ivSubtract, ivUnion } from './intervals.ts';

export const MAX_PORT = 65535;

function checkPort(p: number, what: string): void {
  if (!Number.isInteger(p) || p < 0 || p > MAX_PORT) {
    throw new Error(`Invalid ${what} ${JSON.stringify(p)}: expected an integer 0-${MAX_PORT}`);
  }
}

export class PortSet {
  private readonly iv: readonly number[];

  private constructor(iv: readonly number[]) {
    this.iv = iv;
  }

  private static readonly EMPTY = new PortSet([]);
  private static readonly ALL = new PortSet([0, MAX_PORT + 1]);

  private static make(iv: readonly number[]): PortSet {
    if (iv.length === 0) return PortSet.EMPTY;
    if (iv.length === 2 && iv[0] === 0 && iv[1] === MAX_PORT + 1) return PortSet.ALL;
    return new PortSet(iv);
  }

  static empty(): PortSet {
    return PortSet.EMPTY;
  }

  static all(): PortSet {
    return PortSet.ALL;
  }

  /** Ports from..to inclusive. Throws unless 0 <= from <= to <= 65535. */
  static range(from: number, to: number): PortSet {
    checkPort(from, 'port');
    checkPort(to, 'port');
    if (from > to) throw new Error(`Invalid port range ${from}-${to}: from is greater than to`);
    return PortSet.make([from, to + 1]);
  }

  /** The given single ports. */
  static of(...ports: number[]): PortSet {
    return PortSet.fromRanges(ports.map((p) => [p, p] as const));
  }

  /** The union of inclusive [from, to] ranges (any order, may overlap). */
  static fromRanges(ranges: ReadonlyArray<readonly [number, number]>): PortSet {
    const pairs: Array<[number, number]> = [];
    for (const [from, to] of ranges) {
      checkPort(from, 'port');
      checkPort(to, 'port');
      if (from > to) throw new Error(`Invalid port range ${from}-${to}: from is greater than to`);
      pairs.push([from, to + 1]);
    }
    return PortSet.make(ivNormalize(pairs));
  }

  union(other: PortSet): PortSet {
    if (this === other) return this;
    return PortSet.make(ivUnion(this.iv, other.iv));
  }

  intersect(other: PortSet): PortSet {
    if (this === other) return this;
    return PortSet.make(ivIntersect(this.iv, other.iv));
  }

  subtract(other: PortSet): PortSet {
    if (this === other) return PortSet.EMPTY;
    return PortSet.make(ivSubtract(this.iv, other.iv));
  }

  complement(): PortSet {
    return PortSet.ALL.subtract(this);
  }

  /** other ⊆ this. */
  contains(other: PortSet): boolean {
    return ivContains(this.iv, other.iv);
  }

  containsPort(port: number): boolean {
    return ivHas(this.iv, port);
  }

  isAll(): boolean {
    return this === PortSet.ALL;
  }

  isEmpty(): boolean {
    return this.iv.length === 0;
  }

  equals(other: PortSet): boolean {
    return this === other || ivEquals(this.iv, other.iv);
  }

  /** Number of ports. */
  size(): number {
    let n = 0;
    for (let i = 0; i < this.iv.length; i += 2) n += (this.iv[i + 1] as number) - (this.iv[i] as number);
    return n;
  }

  /** Inclusive [from, to] ranges, ascending. */
  ranges(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.iv.length; i += 2)
      out.push([this.iv[i] as number, (this.iv[i + 1] as number) - 1]);
    return out;
  }

  /** Lowest port, or undefined when empty. */
  min(): number | undefined {
    return this.iv[0];
  }

  /** "22, 80-90, 443"; "(none)" when empty. */
  toString(): string {
    if (this.iv.length === 0) return '(none)';
    return this.ranges()
      .map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`))
      .join(', ');
  }
}

/** The ephemeral range AWS advises NACLs to allow for return traffic. */
export const EPHEMERAL: PortSet = PortSet.range(1024, MAX_PORT);
