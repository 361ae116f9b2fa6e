/**
 * The parsed YAML of one config file: its plain-JS value, plus a way back from a key path to
 * the line and column it came from, so that every error can name its place.
 * @module
 */

import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type ScalarTag,
  type Tags,
  visit,
} from 'yaml';
import { ConfigError, type ConfigPath } from './errors.ts';
export { goQuote } from '../model/matcher.ts';

/** A 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** One loaded YAML file: the value, its document and the position lookup. */
export interface ConfigSource {
  /** File name as given to the parser (used in error messages). */
  readonly file: string;
  /** The raw YAML text. */
  readonly text: string;
  /** The whole file as plain JS (maps → objects, sequences → arrays, `!!binary` → string). */
  readonly value: unknown;
  /** Errors found while reading the YAML itself (syntax, duplicate keys, bad `!!binary`). */
  readonly errors: ConfigError[];
  /** Whether the YAML could not be read at all (syntax errors); duplicate keys are not fatal. */
  readonly fatal: boolean;
  /**
   * Where the value at `path` starts (or, with `key`, where its key starts). A path that
   * does not exist resolves to its nearest existing ancestor.
   */
  positionOf(path: ConfigPath, key?: boolean): Position;
}

// Go reports bad base64 itself; the yaml package's Buffer-based decoder silently skips junk.
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const strictBinary: ScalarTag = {
  identify: (value) => value instanceof Uint8Array,
  default: false,
  tag: 'tag:yaml.org,2002:binary',
  resolve(src, onError) {
    const clean = src.replace(/\s+/g, '');
    if (!BASE64_RE.test(clean)) {
      onError('!!binary value contains invalid base64 data');
      return '';
    }
    const raw = atob(clean);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  },
};

/**
 * Decodes bytes as UTF-8; each byte of an invalid sequence becomes the lone surrogate
 * U+DC80+byte (Python's "surrogateescape"), so that the string stays invalid — as the Go
 * string would be — and {@link goQuote} can print it as `\xff`.
 */
export function decodeBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let out = '';
    for (const b of bytes) {
      out += b < 0x80 ? String.fromCharCode(b) : String.fromCharCode(0xdc00 + b);
    }
    return out;
  }
}

/** Reads `text` as YAML; never throws — YAML errors land in `errors` with positions. */
export function readYaml(text: string, file: string): ConfigSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    uniqueKeys: false,
    merge: true,
    prettyErrors: false,
    customTags: (tags: Tags) => [
      ...tags.filter((t) => typeof t === 'string' ? t !== 'binary' : t.tag !== strictBinary.tag),
      strictBinary,
    ],
  });
  const pos = (offset: number): Position => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const errors: ConfigError[] = [];
  const fatal = doc.errors.length > 0;
  for (const e of doc.errors) {
    const p = pos(e.pos[0]);
    errors.push(new ConfigError(file, p.line, p.column, [], cleanYamlMessage(e.message)));
  }

  // Node of each path, recorded while converting, so positions need no second walk.
  const nodes = new Map<string, { node: Node; key?: Node }>();
  // Aliases expand into copies: without a budget, nested anchors (a "billion laughs" document)
  // take minutes and end in a RangeError. Like Go's yaml.v2, refuse a document whose aliases
  // expand to far more nodes than it holds.
  let plainNodes = 0, aliasedNodes = 0, inAlias = 0, excessive = false;
  // The yaml package's `Alias.resolve` walks the document from the top on every call, so a
  // config with thousands of aliases took seconds; one walk finds every alias's anchor (the
  // latest one before it, as `resolve` does).
  const aliasTargets = new Map<unknown, unknown>();
  if (!fatal) {
    const anchors = new Map<string, unknown>();
    visit(doc, {
      Node(_key, n) {
        if (isAlias(n)) aliasTargets.set(n, anchors.get(n.source));
        else if (n.anchor) anchors.set(n.anchor, n);
      },
    });
  }
  const toJS = (node: unknown, path: ConfigPath, depth: number): unknown => {
    if (depth > 200 || excessive) return null;
    if (inAlias === 0) plainNodes++;
    else if (
      ++aliasedNodes > MAX_ALIASED_NODES ||
      (aliasedNodes > FREE_ALIASED_NODES && aliasedNodes > ALIAS_RATIO * plainNodes)
    ) {
      excessive = true;
      const range = (node as Node | null)?.range;
      const p = range ? pos(range[0]) : { line: 1, column: 1 };
      errors.push(
        new ConfigError(file, p.line, p.column, [], 'yaml: document contains excessive aliasing'),
      );
      return null;
    }
    if (isAlias(node)) {
      inAlias++;
      try {
        const target = aliasTargets.has(node) ? aliasTargets.get(node) : node.resolve(doc);
        return toJS(target, path, depth + 1);
      } finally {
        inAlias--;
      }
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const seen = new Set<string>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const rawKey = isScalar(keyNode) ? keyNode.value : keyNode ? String(keyNode) : '';
        if (
          typeof rawKey === 'symbol' ||
          (rawKey === '<<' && isScalar(keyNode) && !keyNode.type?.startsWith('QUOTE'))
        ) {
          // Merge key: earlier explicit keys win, as in YAML 1.1.
          const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
          for (const src of sources) {
            const merged = toJS(src, path, depth + 1);
            if (merged && typeof merged === 'object' && !Array.isArray(merged)) {
              for (const [k, val] of Object.entries(merged)) if (!(k in out)) define(out, k, val);
            }
          }
          continue;
        }
        const key = rawKey instanceof Uint8Array ? decodeBytes(rawKey) : String(rawKey ?? '');
        const childPath = [...path, key];
        if (seen.has(key) && keyNode?.range) {
          const p = pos(keyNode.range[0]);
          errors.push(
            new ConfigError(
              file,
              p.line,
              p.column,
              childPath,
              `field ${key} already set in this mapping`,
            ),
          );
          continue;
        }
        seen.add(key);
        const valueNode = pair.value as Node | null;
        nodes.set(pathKey(childPath), { node: valueNode ?? keyNode!, key: keyNode ?? undefined });
        define(out, key, toJS(valueNode, childPath, depth + 1));
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, i) => {
        const childPath = [...path, i];
        if (item) nodes.set(pathKey(childPath), { node: item as Node });
        return toJS(item, childPath, depth + 1);
      });
    }
    if (isScalar(node)) {
      const value = node.value;
      if (value instanceof Uint8Array) return decodeBytes(value);
      return value === undefined ? null : value;
    }
    return null;
  };
  if (doc.contents) nodes.set(pathKey([]), { node: doc.contents as Node });
  const value = fatal ? null : toJS(doc.contents, [], 0);

  return {
    file,
    text,
    value,
    errors,
    fatal,
    positionOf(path: ConfigPath, key = false): Position {
      for (let n = path.length; n >= 0; n--) {
        const hit = nodes.get(pathKey(path.slice(0, n)));
        if (!hit) continue;
        const node = key && n === path.length && hit.key ? hit.key : hit.node;
        if (node?.range) return pos(node.range[0]);
      }
      return { line: 1, column: 1 };
    },
  };
}

/** Nodes that aliases may expand to in any document. */
const FREE_ALIASED_NODES = 100_000;
/** Beyond the free amount, expansions may be at most this many times the document's own nodes. */
const ALIAS_RATIO = 10;
/** The hard cap on alias expansions, however large the document. */
const MAX_ALIASED_NODES = 2_000_000;

function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty so that a `__proto__` key is data, not a prototype change.
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function pathKey(path: ConfigPath): string {
  return JSON.stringify(path);
}

function cleanYamlMessage(message: string): string {
  // The yaml package appends "at line L, column C" and a code excerpt; we print our own.
  return `yaml: ${message.replace(/ at line \d+, column \d+[\s\S]*$/, '').trim()}`;
}
