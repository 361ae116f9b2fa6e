/**
 * Valibot schemas for the scalar value types that recur across the config: durations,
 * secrets, URLs, label names and byte sizes. Each turns YAML text into the typed value.
 * @module
 */

import * as v from 'valibot';
import { Duration } from './duration.ts';
import { Secret } from './secret.ts';
import { ByteSize, parseSize } from './size.ts';
import { isValidUTF8Name } from '../model/names.ts';

/**
 * A Prometheus duration (`30s`, `1h30m`, `0`) → {@link Duration}. YAML's plain `0` arrives
 * as a number, so that one number is accepted too.
 */
export const durationSchema: v.GenericSchema<unknown, Duration> = v.pipe(
  v.union([v.string(), v.literal(0)], (issue) => `invalid duration ${describe(issue.input)}`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const text = String(dataset.value);
    try {
      return Duration.parse(text);
    } catch {
      addIssue({ message: `invalid duration ${JSON.stringify(text)}` });
      return NEVER;
    }
  }),
);

/**
 * A YAML scalar read into a string field. Go's YAML decoder turns plain scalars such as
 * `1234` or `true` into strings for string fields, so Prometheus configs rely on it.
 */
export const stringSchema: v.GenericSchema<unknown, string> = v.pipe(
  v.union(
    [v.string(), v.number(), v.boolean()],
    (issue) => `expected a string, got ${typeOf(issue.input)}`,
  ),
  v.transform((x) => String(x)),
);

/** A secret string (password, token) → {@link Secret}, so it never prints by accident. */
export const secretSchema: v.GenericSchema<unknown, Secret> = v.pipe(
  v.union(
    [v.string(), v.number(), v.boolean()],
    (issue) => `expected a string for a secret, got ${typeOf(issue.input)}`,
  ),
  v.transform((s) => new Secret(String(s))),
);

/**
 * An optional field that also accepts an explicit YAML null (`key:` with no value), which
 * Prometheus treats as unset; the output is `undefined` in both cases.
 */
export function opt<T extends v.GenericSchema>(schema: T) {
  return v.pipe(
    v.nullish(schema),
    v.transform((x: v.InferOutput<T> | null | undefined) => x ?? undefined),
  );
}

/**
 * An optional field with a default, used when the key is absent or null. The default is
 * given in input form (e.g. `'1m'` for a duration): valibot runs it through the schema.
 */
export function optDefault<T extends v.GenericSchema>(schema: T, value: v.InferInput<T>) {
  // Typed by its output: with a default the value is never null or undefined.
  return v.nullish(schema, value as never) as unknown as v.GenericSchema<
    v.InferInput<T> | null | undefined,
    v.InferOutput<T>
  >;
}

/**
 * A URL as Go's `url.Parse` accepts it: absolute or relative (scheme checks are left to the
 * fields that need them, as Prometheus does), without control characters or bad escapes.
 * The output is the text unchanged.
 */
export const urlSchema: v.GenericSchema<unknown, string> = v.pipe(
  v.string((issue) => `expected a URL string, got ${typeOf(issue.input)}`),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const why = urlProblem(dataset.value);
    if (why) addIssue({ message: `parse ${JSON.stringify(dataset.value)}: ${why}` });
  }),
);

/** Why Go's `url.Parse` would reject `text`, or `undefined` when it would accept it. */
export function urlProblem(text: string): string | undefined {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(text)) return 'net/url: invalid control character in URL';
  const bad = /%(?![0-9a-fA-F]{2})/.exec(text);
  if (bad) return `invalid URL escape ${JSON.stringify(text.slice(bad.index, bad.index + 3))}`;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(text);
  if (!scheme && /^[^/?#]*:/.test(text)) {
    return text.startsWith(':')
      ? 'missing protocol scheme'
      : 'first path segment in URL cannot contain colon';
  }
  if (scheme && text.startsWith(scheme[0] + '//')) {
    const authority = text.slice(scheme[0].length + 2).split(/[/?#]/, 1)[0];
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    const port = /^(?:\[[^\]]*\]|[^:]*)(:.*)?$/.exec(host)?.[1];
    if (port !== undefined && !/^:\d*$/.test(port)) {
      return `invalid port ${JSON.stringify(port)} after host`;
    }
  }
  return undefined;
}

/** A label name: any non-empty valid UTF-8 text, as Prometheus 3 allows by default. */
export const labelNameSchema: v.GenericSchema<unknown, string> = v.pipe(
  v.string((issue) => `expected a label name string, got ${typeOf(issue.input)}`),
  v.check(isValidUTF8Name, (issue) => `${JSON.stringify(issue.input)} is not a valid label name`),
);

/** A byte size (`512MB`, `1GiB`, `0`) → {@link ByteSize}, with Go `units`-style messages. */
export const sizeSchema: v.GenericSchema<unknown, ByteSize> = v.pipe(
  v.union([v.string(), v.number()], (issue) => `invalid size ${describe(issue.input)}`),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const text = String(dataset.value);
    const bytes = parseSize(text);
    if (bytes === undefined) {
      // Go's units parser reports a missing unit as an empty one: "unknown unit  in 100".
      const unit = /^\d+(?:\.\d+)?(.*)$/.exec(text)?.[1];
      addIssue({
        message: unit !== undefined
          ? `units: unknown unit ${unit} in ${text}`
          : `invalid size ${JSON.stringify(text)}`,
      });
      return NEVER;
    }
    return new ByteSize(bytes);
  }),
);

function describe(input: unknown): string {
  return typeof input === 'string' ? JSON.stringify(input) : `${typeOf(input)} ${String(input)}`;
}

function typeOf(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  return typeof input;
}
