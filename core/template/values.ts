/**
 * The Go value model templates see: JS values standing in for Go's reflect kinds.
 * `undefined` is Go's invalid value ("<no value>"), `null` is nil, `bigint` is int, `number` is
 * float64, arrays are slices, plain objects and `Map`s are `map[string]interface{}`, `Labels`
 * are `map[string]string`, and class instances are structs (missing fields are errors).
 * @module
 */
import { Labels } from '../model/labels.ts';

/** Tags a value with the Go type name used in messages (`%T`, "can't evaluate field"). */
export const GO_TYPE: unique symbol = Symbol('goType');

/** The broad Go kind of a template value. */
export type Kind =
  | 'invalid'
  | 'nil'
  | 'bool'
  | 'int'
  | 'float'
  | 'string'
  | 'slice'
  | 'map'
  | 'struct'
  | 'func';

/** The Go kind of `v`. */
export function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'undefined':
      return 'invalid';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'float';
    case 'string':
      return 'string';
    case 'function':
      return 'func';
  }
  if (v === null) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof Labels || v instanceof Map) return 'map';
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null ? 'map' : 'struct';
}

/** Go's type name for `v`, as `%T` and error messages print it. */
export function typeName(v: unknown): string {
  if (v !== null && typeof v === 'object') {
    const tagged = (v as { [GO_TYPE]?: string })[GO_TYPE];
    if (typeof tagged === 'string') return tagged;
  }
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return '<nil>';
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float64';
    case 'string':
      return 'string';
    case 'slice':
      return '[]interface {}';
    case 'map':
      return v instanceof Labels ? 'map[string]string' : 'map[string]interface {}';
    case 'func':
      return 'func(...interface {}) interface {}';
    default:
      return (v as object).constructor?.name ?? 'struct';
  }
}

/** Go's notion of truth for `if`, `with`, `and`, `or`, `not`. */
export function truth(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid':
    case 'nil':
      return false;
    case 'bool':
      return v as boolean;
    case 'int':
      return (v as bigint) !== 0n;
    case 'float':
      return (v as number) !== 0;
    case 'string':
      return (v as string).length > 0;
    case 'slice':
      return (v as unknown[]).length > 0;
    case 'map':
      return mapSize(v as object) > 0;
    default:
      return true;
  }
}

/** The number of entries of a map value. */
export function mapSize(m: object): number {
  if (m instanceof Labels) return m.size;
  if (m instanceof Map) return m.size;
  return Object.keys(m).length;
}

/** The keys of a map value, sorted as Go's fmt and range sort them. */
export function mapKeys(m: object): string[] {
  if (m instanceof Labels) return m.names();
  const keys = m instanceof Map ? [...m.keys()].map(String) : Object.keys(m);
  return keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Looks `key` up in a map value. A missing key gives the element type's zero value as
 * Prometheus's `missingkey=zero` does: `''` for label sets, the invalid value otherwise.
 */
export function mapGet(m: object, key: string): unknown {
  if (m instanceof Labels) return m.get(key);
  if (m instanceof Map) return m.get(key);
  return Object.hasOwn(m, key) ? (m as Record<string, unknown>)[key] : undefined;
}

/** Whether `v` can be nil in Go (maps, slices, pointers, interfaces, funcs). */
export function isNil(v: unknown): boolean {
  return v === null || v === undefined;
}

/** The UTF-8 byte length of `s`, which is what Go's `len` counts. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
