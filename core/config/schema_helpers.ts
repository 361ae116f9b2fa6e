/**
 * Small valibot building blocks shared by the config schemas: strict mappings that report
 * every unknown key, "empty or null" list items, YAML-friendly scalars.
 * @module
 */

import * as v from 'valibot';
import { stringSchema } from './schema_types.ts';

/** A list item or section that must not be empty/null, with Prometheus's wording. */
export function nonNull<S extends v.GenericSchema>(
  schema: S,
  message: string,
): v.SchemaWithPipe<
  readonly [v.CustomSchema<unknown, v.ErrorMessage<v.CustomIssue> | undefined>, S]
> {
  return v.pipe(v.custom<unknown>((x) => x !== null && x !== undefined, message), schema);
}

/**
 * Like `v.strictObject`, but it reports every unknown key (valibot stops at the first) with
 * Go's wording, `field foo not found in type scrape_config`.
 */
export function strict<E extends v.ObjectEntries>(
  typeName: string,
  entries: E,
): v.ObjectSchema<E, v.ErrorMessage<v.ObjectIssue>> {
  const base = v.object(
    entries,
    (issue) => `expected a mapping for ${typeName}, got ${kindOf(issue.input)}`,
  );
  const run = base['~run'];
  return {
    ...base,
    '~run'(dataset, config) {
      const input = dataset.value;
      const out = run.call(base, dataset, config);
      if (input && typeof input === 'object' && !Array.isArray(input)) {
        for (const key of Object.keys(input)) {
          if (Object.prototype.hasOwnProperty.call(entries, key)) continue;
          const issue: v.BaseIssue<unknown> = {
            kind: 'schema',
            type: 'strict_object',
            input: key,
            expected: 'never',
            received: JSON.stringify(key),
            message: `field ${key} not found in type ${typeName}`,
            path: [{
              type: 'object',
              origin: 'key',
              input: input as Record<string, unknown>,
              key,
              value: (input as Record<string, unknown>)[key],
            }],
          };
          out.typed = false;
          (out.issues ??= [] as unknown as typeof out.issues)!.push(issue as never);
        }
      }
      return out;
    },
  } as v.ObjectSchema<E, v.ErrorMessage<v.ObjectIssue>>;
}

/** A string; YAML numbers and booleans are taken as their text, as Go's decoder does. */
export const str: v.GenericSchema<unknown, string> = stringSchema;

// YAML 1.1 booleans, which Go's yaml.v2 (and so Prometheus) still accepts: `yes`, `off`, ….
const YAML11_BOOLS: Record<string, boolean> = {};
for (const w of ['y', 'yes', 'on', 'true']) for (const f of forms(w)) YAML11_BOOLS[f] = true;
for (const w of ['n', 'no', 'off', 'false']) for (const f of forms(w)) YAML11_BOOLS[f] = false;

function forms(w: string): string[] {
  return [w, w[0].toUpperCase() + w.slice(1), w.toUpperCase()];
}

/** A boolean; YAML 1.1 spellings (`yes`, `no`, `on`, `off`) are accepted as Prometheus does. */
export const bool: v.GenericSchema<unknown, boolean> = v.pipe(
  v.union(
    [v.boolean(), v.picklist(Object.keys(YAML11_BOOLS) as [string, ...string[]])],
    (issue) => `expected a boolean, got ${kindOf(issue.input)}`,
  ),
  v.transform((b) => (typeof b === 'boolean' ? b : YAML11_BOOLS[b])),
);

/** A non-negative integer (Go `uint`). */
export const uint = v.pipe(
  v.number((issue) => `expected a non-negative integer, got ${kindOf(issue.input)}`),
  v.check(
    (n) => Number.isSafeInteger(n) && n >= 0,
    (issue) => `cannot unmarshal ${String(issue.input)} into an unsigned integer`,
  ),
);

/** An integer (Go `int`). */
export const int = v.pipe(
  v.number((issue) => `expected an integer, got ${kindOf(issue.input)}`),
  v.check(
    (n: number) => Number.isSafeInteger(n),
    (issue) => `cannot unmarshal ${String(issue.input)} into an integer`,
  ),
);

/** A float. */
export const float = v.number((issue) => `expected a number, got ${kindOf(issue.input)}`);

/** A list of strings. */
export const strList = v.array(str, (issue) => `expected a list, got ${kindOf(issue.input)}`);

/** A string → string mapping. */
export const strMap = v.record(
  v.string(),
  str,
  (issue) => `expected a mapping, got ${kindOf(issue.input)}`,
);

/** Describes a value's YAML kind for messages. */
export function kindOf(input: unknown): string {
  if (input === null || input === undefined) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `string ${JSON.stringify(input)}`;
  return `${typeof input} ${String(input)}`;
}
