/**
 * String keys for label sets and matching signatures; exact (no hash collisions), since a
 * wrong match would be a wrong answer.
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';

const SEP = '\xff';

/** A key identifying a whole label set. */
export function labelsKey(labels: Labels): string {
  return labels.flat.join(SEP);
}

/**
 * A key of the values of `names` (`on`/`by`), or of every label except `names` and the metric
 * name (`ignoring`/`without`).
 */
export function signature(labels: Labels, names: readonly string[], on: boolean): string {
  const flat = labels.flat;
  let key = '';
  if (on) {
    for (const n of names) key += labels.get(n) + SEP;
    return key;
  }
  for (let i = 0; i < flat.length; i += 2) {
    const n = flat[i];
    if (n === '__name__' || names.includes(n)) continue;
    key += n + SEP + flat[i + 1] + SEP;
  }
  return key;
}
