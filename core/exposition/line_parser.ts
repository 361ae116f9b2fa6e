/**
 * State and scanning shared by the text and OpenMetrics parsers: series text, label offsets,
 * on-demand label and exemplar building. Scans character codes in a typed array (the raw bytes
 * when the body is ASCII, which is ~3x faster than `charCodeAt`) by integer offsets so a sample allocates nothing until an accessor asks for a string.
 * @module
 */
import { Labels, METRIC_NAME } from '../model/labels.ts';
import { ParseError } from './parse_error.ts';
import type { Codes } from './parse_number.ts';
import type {
  EntryKind,
  Exemplar,
  ExpositionFormat,
  ExpositionParser,
  MetricType,
} from './types.ts';

// Decoding yields a fresh string that does not share the body's memory.
const keyDecoder = new TextDecoder();

// Per label in an offsets array: name start/end, value start/end, flags.
const STRIDE = 5;
const NAME_ESCAPED = 1;
const VALUE_ESCAPED = 2;

/** Base class of the two format parsers; not exported from the folder. */
export abstract class LineParser implements ExpositionParser {
  abstract readonly format: ExpositionFormat;
  protected readonly src: string;
  /** Codes of `src` at the same offsets: the body's bytes when it is ASCII. */
  protected readonly codes: Codes;
  /** Start of the next unread line. */
  protected pos = 0;
  protected nextLine = 1;
  protected lineStart = 0;
  protected lineEnd = 0;
  /** Whitespace may surround tokens (text format). */
  protected ws = false;
  /** `{a="b",}` is accepted. */
  protected trailingComma = true;

  line = 0;
  value = 0;
  timestamp: number | undefined = undefined;

  protected seriesStart = 0;
  protected seriesEnd = 0;
  protected nameStart = -1;
  protected nameEnd = -1;
  protected nameEscaped = false;
  protected lbl: number[] = [];
  protected nLbl = 0;
  #name: string | undefined = undefined;

  protected hasExemplar = false;
  protected exLbl: number[] = [];
  protected nExLbl = 0;
  protected exValue = 0;
  protected exTs: number | undefined = undefined;

  protected metaStart = 0;
  protected metaEnd = 0;
  protected metaEscaped = false;
  protected textStart = 0;
  protected textEnd = 0;
  protected mtype: MetricType = 'unknown';
  // Set by scanQuoted: whether the last quoted string held a backslash.
  private lastEscaped = false;

  constructor(src: string, codes: Codes) {
    this.src = src;
    this.codes = codes;
  }

  abstract next(): EntryKind;

  seriesText(): string {
    return this.src.slice(this.seriesStart, this.seriesEnd);
  }

  seriesKey(): string {
    const a = this.seriesStart;
    const b = this.seriesEnd;
    const cs = this.codes;
    if (cs instanceof Uint8Array) return keyDecoder.decode(cs.subarray(a, b));
    let out = '';
    for (let i = a; i < b; i += 4096) {
      out += String.fromCharCode.apply(null, Array.from(cs.subarray(i, Math.min(b, i + 4096))));
    }
    return out;
  }

  metricName(): string {
    if (this.#name === undefined) {
      this.#name = this.nameEscaped
        ? unescapeValue(this.src, this.nameStart, this.nameEnd)
        : this.src.slice(this.nameStart, this.nameEnd);
    }
    return this.#name;
  }

  labels(): Labels {
    const flat = this.buildFlat(this.lbl, this.nLbl, this.metricName());
    return Labels.fromSortedFlat(flat);
  }

  exemplar(): Exemplar | undefined {
    if (!this.hasExemplar) return undefined;
    const labels = Labels.fromSortedFlat(this.buildFlat(this.exLbl, this.nExLbl, undefined));
    return this.exTs === undefined
      ? { labels, value: this.exValue }
      : { labels, value: this.exValue, timestamp: this.exTs };
  }

  metaName(): string {
    return this.metaEscaped
      ? unescapeValue(this.src, this.metaStart, this.metaEnd)
      : this.src.slice(this.metaStart, this.metaEnd);
  }

  abstract helpText(): string;

  metricType(): MetricType {
    return this.mtype;
  }

  unitText(): string {
    return this.src.slice(this.textStart, this.textEnd);
  }

  commentText(): string {
    return this.src.slice(this.textStart, this.textEnd);
  }

  /** Forgets the previous sample's lazily built values. */
  protected resetSeries(): void {
    this.#name = undefined;
    this.nameStart = -1;
    this.nLbl = 0;
    this.hasExemplar = false;
    this.timestamp = undefined;
  }

  protected fail(reason: string): never {
    throw new ParseError(this.line, reason);
  }

  /** Quotes a piece of the current line for an error message. */
  protected excerpt(start: number, end: number): string {
    const s = this.src.slice(start, Math.min(end, start + 60));
    return JSON.stringify(s);
  }

  /** Scans an unquoted metric name from `i`; returns its end (== i when there is none). */
  protected scanMetricName(i: number): number {
    const cs = this.codes;
    const end = this.lineEnd;
    if (i < end && isNameStart(cs[i], true)) {
      i++;
      while (i < end && isNameChar(cs[i], true)) i++;
    }
    return i;
  }

  /**
   * Scans a metric name, legacy or quoted, for a metadata line; sets the meta range and
   * returns the position after it.
   */
  protected scanMetaName(i: number, keyword: string): number {
    if (i < this.lineEnd && this.codes[i] === 34) {
      const close = this.scanQuoted(i + 1);
      if (close === i + 1) this.fail(`empty quoted metric name after ${keyword}`);
      this.metaStart = i + 1;
      this.metaEnd = close;
      this.metaEscaped = this.lastEscaped;
      return close + 1;
    }
    const e = this.scanMetricName(i);
    if (e === i) this.fail(`expected metric name after ${keyword}`);
    this.metaStart = i;
    this.metaEnd = e;
    this.metaEscaped = false;
    return e;
  }

  /**
   * Scans the series part of a sample line (`name`, `name{…}` or `{"name", …}`) from `i`,
   * recording offsets; returns the position after it.
   */
  protected scanSeries(i: number): number {
    const cs = this.codes;
    this.seriesStart = i;
    if (cs[i] === 123 /* { */) {
      i = this.scanLabels(i, false);
      if (this.nameStart < 0) this.fail('metric name missing in label set');
    } else {
      const e = this.scanMetricName(i);
      if (e === i) this.fail(`expected metric name, got ${this.excerpt(i, this.lineEnd)}`);
      this.nameStart = i;
      this.nameEnd = e;
      this.nameEscaped = false;
      i = e;
      if (this.ws) {
        const j = skipBlanks(cs, i, this.lineEnd);
        if (cs[j] === 123) i = j;
      }
      if (i < this.lineEnd && cs[i] === 123) i = this.scanLabels(i, false);
    }
    this.seriesEnd = i;
    return i;
  }

  /** Scans `{…}` at `i` into the series or exemplar offsets; returns the position after `}`. */
  protected scanLabels(i: number, exemplar: boolean): number {
    const cs = this.codes;
    const end = this.lineEnd;
    const ws = this.ws;
    const out = exemplar ? this.exLbl : this.lbl;
    let n = 0;
    let afterComma = false;
    i++;
    for (;;) {
      if (ws) i = skipBlanks(cs, i, end);
      if (i >= end) this.fail('unexpected end of line inside label set');
      let c = cs[i];
      if (c === 125 /* } */) {
        if (afterComma && !this.trailingComma) this.fail('trailing comma in label set');
        break;
      }
      let ns: number;
      let ne: number;
      let flags = 0;
      if (c === 34 /* " */) {
        ns = i + 1;
        ne = this.scanQuoted(ns);
        if (ne === ns) this.fail('empty quoted name in label set');
        if (this.lastEscaped) flags = NAME_ESCAPED;
        i = ne + 1;
        if (ws) i = skipBlanks(cs, i, end);
        c = i < end ? cs[i] : -1;
        if (c === 44 /* , */ || c === 125) {
          // A lone quoted string is the metric name (Prometheus 3 UTF-8 names).
          if (exemplar) this.fail('expected label name in exemplar');
          if (this.nameStart >= 0) this.fail('metric name given twice');
          this.nameStart = ns;
          this.nameEnd = ne;
          this.nameEscaped = flags !== 0;
          if (c === 44) {
            i++;
            afterComma = true;
          } else afterComma = false;
          continue;
        }
      } else {
        if (!isNameStart(c, false)) {
          this.fail(`expected label name, got ${this.excerpt(i, end)}`);
        }
        ns = i++;
        while (i < end && isNameChar(cs[i], false)) i++;
        ne = i;
        if (ws) i = skipBlanks(cs, i, end);
      }
      if (i >= end || cs[i] !== 61 /* = */) {
        this.fail(`expected "=" after label name ${this.excerpt(ns, ne)}`);
      }
      i++;
      if (ws) i = skipBlanks(cs, i, end);
      if (i >= end || cs[i] !== 34) {
        this.fail(`expected quoted label value for ${this.excerpt(ns, ne)}`);
      }
      const vs = i + 1;
      const ve = this.scanQuoted(vs);
      if (this.lastEscaped) flags |= VALUE_ESCAPED;
      out[n] = ns;
      out[n + 1] = ne;
      out[n + 2] = vs;
      out[n + 3] = ve;
      out[n + 4] = flags;
      n += STRIDE;
      i = ve + 1;
      if (ws) i = skipBlanks(cs, i, end);
      c = i < end ? cs[i] : -1;
      if (c === 44) {
        i++;
        afterComma = true;
      } else if (c === 125) {
        afterComma = false;
      } else {
        this.fail('expected "," or "}" after label value');
      }
    }
    if (exemplar) this.nExLbl = n;
    else this.nLbl = n;
    return i + 1;
  }

  /** Finds the closing quote of a string whose content starts at `i`. */
  protected scanQuoted(i: number): number {
    const end = this.lineEnd;
    const cs = this.codes;
    let escaped = false;
    for (; i < end; i++) {
      const c = cs[i];
      if (c === 34) {
        this.lastEscaped = escaped;
        return i;
      }
      if (c === 92 /* \ */) {
        escaped = true;
        i++;
      }
    }
    return this.fail('unterminated quoted string');
  }

  /** Code points in an exemplar's label names and values (OpenMetrics limits it to 128). */
  protected exemplarLabelLength(): number {
    let total = 0;
    for (let j = 0; j < this.nExLbl; j += STRIDE) {
      const f = this.exLbl[j + 4];
      total += codePoints(this.piece(this.exLbl[j], this.exLbl[j + 1], (f & NAME_ESCAPED) !== 0));
      total += codePoints(
        this.piece(this.exLbl[j + 2], this.exLbl[j + 3], (f & VALUE_ESCAPED) !== 0),
      );
    }
    return total;
  }

  private piece(a: number, b: number, escaped: boolean): string {
    return escaped ? unescapeValue(this.src, a, b) : this.src.slice(a, b);
  }

  /** Builds a sorted flat label array from offsets; rejects duplicates, drops empty values. */
  private buildFlat(offs: number[], n: number, name: string | undefined): string[] {
    const flat: string[] = [];
    if (name !== undefined) flat.push(METRIC_NAME, name);
    for (let j = 0; j < n; j += STRIDE) {
      const f = offs[j + 4];
      const ln = this.piece(offs[j], offs[j + 1], (f & NAME_ESCAPED) !== 0);
      const lv = this.piece(offs[j + 2], offs[j + 3], (f & VALUE_ESCAPED) !== 0);
      // Insertion sort: expositions are usually sorted already, so this is one compare.
      let k = flat.length;
      flat.push(ln, lv);
      while (k > 0 && flat[k - 2] > ln) {
        flat[k] = flat[k - 2];
        flat[k + 1] = flat[k - 1];
        k -= 2;
      }
      if (k > 0 && flat[k - 2] === ln) this.fail(`duplicate label name ${JSON.stringify(ln)}`);
      flat[k] = ln;
      flat[k + 1] = lv;
    }
    for (let k = 1; k < flat.length; k += 2) {
      if (flat[k] === '') return dropEmpty(flat);
    }
    return flat;
  }
}

function dropEmpty(flat: string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < flat.length; k += 2) {
    if (flat[k + 1] !== '') out.push(flat[k], flat[k + 1]);
  }
  return out;
}

function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

/** Whether `c` may start a legacy metric (`colon`) or label name. */
export function isNameStart(c: number, colon: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (colon && c === 58);
}

/** Whether `c` may continue a legacy metric (`colon`) or label name. */
export function isNameChar(c: number, colon: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57) ||
    (colon && c === 58);
}

/** Skips spaces and tabs. */
export function skipBlanks(s: Codes, i: number, end: number): number {
  while (i < end) {
    const c = s[i];
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/**
 * Undoes label-value escaping: `\\`, `\"` and `\n`; any other escape keeps its backslash,
 * as Prometheus does.
 */
export function unescapeValue(s: string, start: number, end: number): string {
  let out = '';
  let from = start;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) !== 92 || i + 1 >= end) continue;
    const c = s.charCodeAt(i + 1);
    const rep = c === 92 ? '\\' : c === 34 ? '"' : c === 110 ? '\n' : undefined;
    if (rep !== undefined) {
      out += s.slice(from, i) + rep;
      from = i + 2;
    }
    i++;
  }
  return out + s.slice(from, end);
}

/** Undoes text-format HELP escaping: only `\\` and `\n`. */
export function unescapeHelp(s: string, start: number, end: number): string {
  let out = '';
  let from = start;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) !== 92 || i + 1 >= end) continue;
    const c = s.charCodeAt(i + 1);
    if (c === 92 || c === 110) {
      out += s.slice(from, i) + (c === 92 ? '\\' : '\n');
      from = i + 2;
    }
    i++;
  }
  return out + s.slice(from, end);
}
