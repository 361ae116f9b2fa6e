/**
 * Shared settings of the property-based tests: a fixed seed, so that a failure reproduces, and
 * a run count that `npm run fuzz` raises through `BEACON_FUZZ_RUNS`.
 * @module
 */
import process from 'node:process';
import fc from 'fast-check';

/** Runs per property: small in `npm test`, large in `npm run fuzz`. */
export const RUNS = Number(process.env.BEACON_FUZZ_RUNS ?? 200);

/** The seed every property starts from; override with `BEACON_FUZZ_SEED` to explore. */
export const SEED = Number(process.env.BEACON_FUZZ_SEED ?? 20261125);

/** fast-check parameters for a property with `scale` times the default cost per run. */
export function params(scale = 1): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: Math.max(1, Math.round(RUNS / scale)), endOnFailure: false };
}

/**
 * Calls `f` and rethrows anything that is not one of `allowed`: the property that "every
 * rejection is a clean error". Returns the caught allowed error, if any.
 */
export function onlyThrows(
  f: () => unknown,
  ...allowed: (abstract new (...args: never[]) => Error)[]
): Error | undefined {
  try {
    f();
  } catch (e) {
    if (allowed.some((c) => e instanceof c)) return e as Error;
    throw e;
  }
  return undefined;
}

/** Async {@link onlyThrows}. */
export async function onlyRejects(
  f: () => Promise<unknown>,
  ...allowed: (abstract new (...args: never[]) => Error)[]
): Promise<Error | undefined> {
  try {
    await f();
  } catch (e) {
    if (allowed.some((c) => e instanceof c)) return e as Error;
    throw e;
  }
  return undefined;
}

/** Applies random small edits (insert, delete, replace, duplicate) to `text`. */
export function mutatedText(base: string, alphabet: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(
    fc.constantFrom('insert', 'delete', 'replace', 'dup'),
    fc.nat(),
    fc.nat({ max: 8 }),
    alphabet,
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let s = base;
    for (const [op, at, n, chunk] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      if (op === 'insert') s = s.slice(0, i) + chunk + s.slice(i);
      else if (op === 'delete') s = s.slice(0, i) + s.slice(i + n);
      else if (op === 'replace') s = s.slice(0, i) + chunk + s.slice(i + chunk.length);
      else s = s.slice(0, i) + s.slice(i, i + n * 4) + s.slice(i);
    }
    return s;
  });
}

/** Random edits of a byte array: flip, insert, delete, truncate. */
export function mutatedBytes(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.tuple(
    fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate'),
    fc.nat(),
    fc.integer({ min: 0, max: 255 }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let b = Array.from(base);
    for (const [op, at, v] of edits) {
      const i = b.length === 0 ? 0 : at % b.length;
      if (op === 'flip' && b.length) b[i] ^= 1 << (v & 7);
      else if (op === 'set' && b.length) b[i] = v;
      else if (op === 'insert') b.splice(i, 0, v);
      else if (op === 'delete') b.splice(i, 1 + (v & 3));
      else b = b.slice(0, i);
    }
    return new Uint8Array(b);
  });
}
