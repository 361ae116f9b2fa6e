/**
 * Set operations on postings: ascending, duplicate-free lists of series refs.
 * @module
 */

/** A sorted list of series refs. */
export type Postings = readonly number[];

/** Refs in both lists. Gallops through the longer list when sizes differ a lot. */
export function intersect(a: Postings, b: Postings): number[] {
  if (a.length > b.length) [a, b] = [b, a];
  const out: number[] = [];
  if (a.length === 0) return out;
  if (b.length > 32 * a.length) {
    let lo = 0;
    for (let i = 0; i < a.length; i++) {
      lo = lowerBound(b, a[i], lo);
      if (lo === b.length) break;
      if (b[lo] === a[i]) out.push(a[i]);
    }
    return out;
  }
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i], y = b[j];
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/** Refs in every list; smallest lists first so the result shrinks quickly. */
export function intersectAll(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  const sorted = [...lists].sort((x, y) => x.length - y.length);
  let acc: number[] = sorted[0].slice();
  for (let i = 1; i < sorted.length && acc.length > 0; i++) acc = intersect(acc, sorted[i]);
  return acc;
}

/** Refs in `a` but not in `b`. */
export function subtract(a: Postings, b: Postings): number[] {
  if (b.length === 0) return a.slice();
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    while (j < b.length && b[j] < x) j++;
    if (j === b.length || b[j] !== x) out.push(x);
  }
  return out;
}

/** Refs in any list. */
export function union(lists: readonly Postings[]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0].slice();
  if (lists.length === 2) return union2(lists[0], lists[1]);
  let n = 0;
  for (const l of lists) n += l.length;
  // Many lists (a regex over many values): one numeric sort beats a k-way merge in JS.
  const all = new Float64Array(n);
  let k = 0;
  for (const l of lists) for (let i = 0; i < l.length; i++) all[k++] = l[i];
  all.sort();
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || all[i] !== all[i - 1]) out.push(all[i]);
  return out;
}

function union2(a: Postings, b: Postings): number[] {
  const out: number[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i], y = b[j];
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) {
      out.push(x);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}

/** The first index `>= from` whose element is `>= x` (list length when none). */
export function lowerBound(list: Postings, x: number, from = 0): number {
  let lo = from, hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts `ref` into a sorted mutable list, keeping it sorted and free of duplicates. */
export function insertSorted(list: number[], ref: number): void {
  const n = list.length;
  if (n === 0 || list[n - 1] < ref) {
    list.push(ref);
    return;
  }
  const i = lowerBound(list, ref);
  if (list[i] !== ref) list.splice(i, 0, ref);
}

/** Removes `ref` from a sorted mutable list; returns whether it was there. */
export function removeSorted(list: number[], ref: number): boolean {
  const i = lowerBound(list, ref);
  if (i < list.length && list[i] === ref) {
    list.splice(i, 1);
    return true;
  }
  return false;
}
