/**
 * Interval-list algebra shared by AddrSet (IPv4 as numbers, IPv6 as bigints) and PortSet (numbers).
 *
 * A list is flat: [lo0, hi0, lo1, hi1, ...], each interval HALF-OPEN [lo, hi), and CANONICAL:
 * lo < hi, sorted, pairwise disjoint and non-adjacent (hi_i < lo_{i+1}). Canonical lists make equality
 * a plain element-wise comparison. Every function here takes canonical lists and returns one; all are
 * linear in the total length. Internal module: not re-exported by index.ts.
 */

export type Bound = number | bigint;
export type Intervals<T extends Bound> = readonly T[];

/** A ∪ B. */
export function ivUnion<T extends Bound>(a: Intervals<T>, b: Intervals<T>): T[] {
  if (a.length === 0) return b.slice();
  if (b.length === 0) return a.slice();
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let lo: T;
    let hi: T;
    if (j >= b.length || (i < a.length && (a[i] as T) <= (b[j] as T))) {
      lo = a[i] as T;
      hi = a[i + 1] as T;
      i += 2;
    } else {
      lo = b[j] as T;
      hi = b[j + 1] as T;
      j += 2;
    }
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as T)) {
      if (hi > (out[n - 1] as T)) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}

/** A ∩ B. */
export function ivIntersect<T extends Bound>(a: Intervals<T>, b: Intervals<T>): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const alo = a[i] as T;
    const ahi = a[i + 1] as T;
    const blo = b[j] as T;
    const bhi = b[j + 1] as T;
    // Math.max/min do not accept bigints.
    const lo = alo > blo ? alo : blo;
    const hi = ahi < bhi ? ahi : bhi;
    if (lo < hi) out.push(lo, hi);
    if (ahi < bhi) i += 2;
    else j += 2;
  }
  return out;
}

/** A ∖ B. */
export function ivSubtract<T extends Bound>(a: Intervals<T>, b: Intervals<T>): T[] {
  if (a.length === 0 || b.length === 0) return a.slice();
  const out: T[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    const hi = a[i + 1] as T;
    let cur = a[i] as T;
    // Skip the B intervals that end before this A interval starts (they cannot affect later ones either).
    while (j < b.length && (b[j + 1] as T) <= cur) j += 2;
    let k = j;
    while (k < b.length && (b[k] as T) < hi) {
      const blo = b[k] as T;
      const bhi = b[k + 1] as T;
      if (blo > cur) out.push(cur, blo);
      if (bhi > cur) cur = bhi;
      if (cur >= hi) break;
      k += 2;
    }
    if (cur < hi) out.push(cur, hi);
  }
  return out;
}

/** B ⊆ A. */
export function ivContains<T extends Bound>(a: Intervals<T>, b: Intervals<T>): boolean {
  let i = 0;
  for (let j = 0; j < b.length; j += 2) {
    const blo = b[j] as T;
    const bhi = b[j + 1] as T;
    while (i < a.length && (a[i + 1] as T) <= blo) i += 2;
    if (i >= a.length) return false;
    if ((a[i] as T) > blo || (a[i + 1] as T) < bhi) return false;
  }
  return true;
}

/** A ∩ B ≠ ∅. */
export function ivOverlaps<T extends Bound>(a: Intervals<T>, b: Intervals<T>): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ahi = a[i + 1] as T;
    const bhi = b[j + 1] as T;
    if ((a[i] as T) < bhi && (b[j] as T) < ahi) return true;
    if (ahi < bhi) i += 2;
    else j += 2;
  }
  return false;
}

export function ivEquals<T extends Bound>(a: Intervals<T>, b: Intervals<T>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether x lies in one of the intervals (binary search). */
export function ivHas<T extends Bound>(a: Intervals<T>, x: T): boolean {
  let lo = 0;
  let hi = a.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = a[2 * mid] as T;
    const e = a[2 * mid + 1] as T;
    if (x < s) hi = mid - 1;
    else if (x >= e) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * Canonicalize arbitrary half-open intervals given as [lo, hi) pairs (any order, overlapping,
 * adjacent or empty pairs allowed).
 */
export function ivNormalize<T extends Bound>(pairs: ReadonlyArray<readonly [T, T]>): T[] {
  const live = pairs.filter(([lo, hi]) => lo < hi);
  live.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const out: T[] = [];
  for (const [lo, hi] of live) {
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as T)) {
      if (hi > (out[n - 1] as T)) out[n - 1] = hi;
    } else {
      out.push(lo, hi);
    }
  }
  return out;
}
