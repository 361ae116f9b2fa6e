/**
 * The predefined functions of Go's text/template: and, or, not, len, index, slice, print,
 * printf, println, html, js, urlquery, eq, ne, lt, le, gt, ge, call.
 * @module
 */
import { fail, type TemplateFunc } from './exec.ts';
import { isPrint, sprint, sprintf, sprintln, sprintValue } from './format.ts';
import { isNil, kindOf, mapGet, mapSize, truth, typeName, utf8Length } from './values.ts';

type Basic = 'bool' | 'int' | 'float' | 'string';

function basicKind(v: unknown): Basic | undefined {
  const k = kindOf(v);
  return k === 'bool' || k === 'int' || k === 'float' || k === 'string' ? k : undefined;
}

const BAD_COMPARISON = 'incompatible types for comparison';
const BAD_COMPARISON_TYPE = 'invalid type for comparison';

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) fail('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let t = false;
    if (k1 !== k2) {
      if (!isNil(a) && !isNil(b)) fail(BAD_COMPARISON);
    } else if (k1 !== undefined) {
      t = a === b;
    } else if (isNil(a) || isNil(b)) {
      t = isNil(a) === isNil(b);
    } else {
      const ka = kindOf(a);
      if (ka === 'slice' || ka === 'map' || ka === 'func') {
        fail(`non-comparable type ${sprintValue(a)}: ${typeName(a)}`);
      }
      t = a === b;
    }
    if (t) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === undefined || k2 === undefined) fail(BAD_COMPARISON_TYPE);
  if (k1 !== k2) fail(BAD_COMPARISON);
  if (k1 === 'bool') fail(BAD_COMPARISON_TYPE);
  return (a as number) < (b as number);
}

function indexArg(idx: unknown, cap: number): number {
  if (isNil(idx)) fail('cannot index slice/array with nil');
  if (typeof idx !== 'bigint') fail(`cannot index slice/array with type ${typeName(idx)}`);
  if (idx < 0n || idx > BigInt(cap)) fail(`index out of range: ${idx}`);
  return Number(idx);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) fail('index of untyped nil');
  for (const idx of indexes) {
    if (isNil(item)) fail('index of untyped nil');
    switch (kindOf(item)) {
      case 'slice': {
        const arr = item as unknown[];
        const i = indexArg(idx, arr.length);
        if (i === arr.length) fail(`index out of range: ${i}`);
        item = arr[i];
        break;
      }
      case 'string': {
        const bytes = encoder.encode(item as string);
        const i = indexArg(idx, bytes.length);
        if (i === bytes.length) fail(`index out of range: ${i}`);
        item = BigInt(bytes[i]);
        break;
      }
      case 'map':
        if (isNil(idx)) fail('value is nil; should be of type string');
        if (typeof idx !== 'string') fail(`value has type ${typeName(idx)}; should be string`);
        item = mapGet(item as object, idx);
        break;
      default:
        fail(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...indexes: unknown[]): unknown {
  if (isNil(item)) fail('slice of untyped nil');
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  const k = kindOf(item);
  if (k !== 'string' && k !== 'slice') fail(`can't slice item of type ${typeName(item)}`);
  if (k === 'string' && indexes.length === 3) fail('cannot 3-index slice a string');
  const bytes = k === 'string' ? encoder.encode(item as string) : undefined;
  const len = bytes ? bytes.length : (item as unknown[]).length;
  const idx = [0, len];
  indexes.forEach((x, i) => (idx[i] = indexArg(x, len)));
  if (idx[0] > idx[1]) fail(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) fail(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes) return decoder.decode(bytes.subarray(idx[0], idx[1]));
  return (item as unknown[]).slice(idx[0], idx[1]);
}

function len(v: unknown): bigint {
  if (isNil(v)) fail('len of nil pointer');
  switch (kindOf(v)) {
    case 'string':
      return BigInt(utf8Length(v as string));
    case 'slice':
      return BigInt((v as unknown[]).length);
    case 'map':
      return BigInt(mapSize(v as object));
  }
  fail(`len of type ${typeName(v)}`);
}

function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

const HTML_ESCAPES: Record<string, string> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

/** Go's `template.HTMLEscapeString`. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => HTML_ESCAPES[c]);
}

/** Go's `template.JSEscapeString`. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        continue;
      case "'":
        out += "\\'";
        continue;
      case '"':
        out += '\\"';
        continue;
      case '<':
        out += '\\u003C';
        continue;
      case '>':
        out += '\\u003E';
        continue;
      case '&':
        out += '\\u0026';
        continue;
      case '=':
        out += '\\u003D';
        continue;
    }
    if (cp < 0x80 ? cp >= 0x20 && cp < 0x7f : isPrint(cp)) out += ch;
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else {
      // Go writes the code point as \uXXXX of its rune value only below U+10000; above it
      // emits the UTF-16 pair in the same form, which is what JS's own escape gives.
      for (let i = 0; i < ch.length; i++) {
        out += '\\u' + ch.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
      }
    }
  }
  return out;
}

/** Go's `url.QueryEscape`: unreserved bytes stay, space becomes `+`, the rest `%XX`. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of encoder.encode(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (isNil(fn)) fail('call of nil');
  if (typeof fn !== 'function') fail(`non-function of type ${typeName(fn)}`);
  return (fn as (...a: unknown[]) => unknown)(...args);
}

const f = (
  params: TemplateFunc['params'],
  fn: TemplateFunc['fn'],
  variadic?: TemplateFunc['variadic'],
): TemplateFunc => ({ params, fn, variadic });

/** The builtin functions of text/template by name. */
export const BUILTINS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  // and/or are evaluated by the executor itself so that they short-circuit.
  ['and', f(['value'], (a: unknown) => a, 'value')],
  ['or', f(['value'], (a: unknown) => a, 'value')],
  ['not', f(['value'], (a: unknown) => !truth(a))],
  ['len', f(['value'], len)],
  ['index', f(['value'], index, 'value')],
  ['slice', f(['value'], slice, 'value')],
  ['print', f([], (...a: unknown[]) => sprint(a), 'any')],
  ['printf', f(['string'], (s: string, ...a: unknown[]) => sprintf(s, a), 'any')],
  ['println', f([], (...a: unknown[]) => sprintln(a), 'any')],
  ['html', f([], (...a: unknown[]) => htmlEscape(evalArgs(a)), 'any')],
  ['js', f([], (...a: unknown[]) => jsEscape(evalArgs(a)), 'any')],
  ['urlquery', f([], (...a: unknown[]) => queryEscape(evalArgs(a)), 'any')],
  ['eq', f(['value'], eq, 'value')],
  ['ne', f(['value', 'value'], (a: unknown, b: unknown) => !eq(a, b))],
  ['lt', f(['value', 'value'], lt)],
  ['le', f(['value', 'value'], (a: unknown, b: unknown) => lt(a, b) || eq(a, b))],
  ['gt', f(['value', 'value'], (a: unknown, b: unknown) => !(lt(a, b) || eq(a, b)))],
  ['ge', f(['value', 'value'], (a: unknown, b: unknown) => !lt(a, b))],
  ['call', f(['value'], call, 'value')],
]);
