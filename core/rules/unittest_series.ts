/**
 * The series notation of rule unit tests: a metric written as a selector with `=` matchers
 * only (`up{job="a"}`, `{__name__="x"}`, `{}`, or nothing), and the values notation that
 * expands `1+2x3`, `5x2`, `_`, `_x4` and `stale` into one value per step.
 * @module
 */
import { Labels, METRIC_NAME } from '../model/labels.ts';

/** One expanded value of a series: a float, a stale marker, or a step without a sample. */
export type SeriesValue =
  | { readonly kind: 'float'; readonly v: number }
  | { readonly kind: 'stale' }
  | { readonly kind: 'gap' };

/** A bad series or value notation; the message says what and where. */
export class SeriesNotationError extends Error {
  override name = 'SeriesNotationError';
}

/** Go's `strconv.ParseFloat` for the spellings that series values use. */
export function parseGoFloat(s: string): number {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (/nan/i.test(special[2])) return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (/^[+-]?0x[0-9a-f]+$/i.test(s)) {
    const n = parseInt(s.replace(/^[+-]?0x/i, ''), 16);
    return s.startsWith('-') ? -n : n;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    throw new SeriesNotationError(`invalid number ${JSON.stringify(s)}`);
  }
  return Number(s);
}

const IDENT_START = /[A-Za-z_:]/;
const IDENT = /[A-Za-z0-9_:]/;
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Reads the metric part of a series notation. */
class MetricReader {
  readonly #s: string;
  #i = 0;

  constructor(s: string) {
    this.#s = s;
  }

  #fail(what: string): never {
    throw new SeriesNotationError(`1:${this.#i + 1}: parse error: ${what}`);
  }

  #skipSpace(): void {
    while (this.#i < this.#s.length && /\s/.test(this.#s[this.#i])) this.#i++;
  }

  #ident(): string {
    const start = this.#i;
    if (!IDENT_START.test(this.#s[this.#i] ?? '')) this.#fail('expected a name');
    while (this.#i < this.#s.length && IDENT.test(this.#s[this.#i])) this.#i++;
    return this.#s.slice(start, this.#i);
  }

  #string(): string {
    const q = this.#s[this.#i++];
    let out = '';
    while (true) {
      if (this.#i >= this.#s.length) this.#fail('unterminated quoted string');
      const c = this.#s[this.#i++];
      if (c === q) return out;
      if (c !== '\\' || q === '`') {
        out += c;
        continue;
      }
      const e = this.#s[this.#i++] ?? '';
      if (e in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[e];
      else if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.#s.slice(this.#i, this.#i + len);
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.#fail('invalid escape sequence');
        this.#i += len;
        out += String.fromCodePoint(parseInt(hex, 16));
      } else if (/[0-7]/.test(e)) {
        const oct = e + this.#s.slice(this.#i, this.#i + 2);
        if (!/^[0-7]{3}$/.test(oct)) this.#fail('invalid escape sequence');
        this.#i += 2;
        out += String.fromCharCode(parseInt(oct, 8));
      } else this.#fail('invalid escape sequence');
    }
  }

  #name(): string {
    const c = this.#s[this.#i];
    return c === '"' || c === "'" || c === '`' ? this.#string() : this.#ident();
  }

  /** Reads the metric and returns it with the index where it ended. */
  read(): [Labels, number] {
    const rec: Record<string, string> = {};
    this.#skipSpace();
    let named = false;
    if (this.#i < this.#s.length && this.#s[this.#i] !== '{') {
      rec[METRIC_NAME] = this.#ident();
      named = true;
    }
    if (this.#s[this.#i] === '{') {
      this.#i++;
      while (true) {
        this.#skipSpace();
        if (this.#i >= this.#s.length) this.#fail('unexpected end of input inside braces');
        if (this.#s[this.#i] === '}') {
          this.#i++;
          break;
        }
        const quoted = /["'`]/.test(this.#s[this.#i]);
        const name = this.#name();
        this.#skipSpace();
        if (quoted && (this.#s[this.#i] === ',' || this.#s[this.#i] === '}')) {
          // A lone quoted string is the metric name (Prometheus 3's UTF-8 selector form).
          if (named) this.#fail('metric name must not be set twice');
          rec[METRIC_NAME] = name;
          named = true;
        } else {
          if (this.#s[this.#i] !== '=' || this.#s[this.#i + 1] === '~') {
            this.#fail(`unexpected character in label matching, expected "="`);
          }
          this.#i++;
          this.#skipSpace();
          if (!/["'`]/.test(this.#s[this.#i] ?? '')) this.#fail('expected a quoted label value');
          if (name in rec) this.#fail(`duplicate label name ${JSON.stringify(name)}`);
          rec[name] = this.#string();
        }
        this.#skipSpace();
        if (this.#s[this.#i] === ',') this.#i++;
        else if (this.#s[this.#i] !== '}') {
          this.#fail(
            this.#i >= this.#s.length
              ? 'unexpected end of input inside braces'
              : 'expected "," or "}" in label matching',
          );
        }
      }
    }
    return [Labels.from(rec), this.#i];
  }
}

/**
 * Parses a metric written as a series selector with `=` matchers only; the empty string is
 * the empty label set (what `exp_samples` without `labels` means).
 * @throws {SeriesNotationError} for anything else.
 */
export function parseMetric(text: string): Labels {
  const [labels, end] = new MetricReader(text).read();
  if (text.slice(end).trim() !== '') {
    throw new SeriesNotationError(`1:${end + 1}: parse error: unexpected text after the metric`);
  }
  return labels;
}

/** Parses `metric values…` (a promqltest `load` line) into labels and expanded values. */
export function parseSeriesDesc(text: string): { labels: Labels; values: SeriesValue[] } {
  const [labels, end] = new MetricReader(text).read();
  return { labels, values: expandValues(text.slice(end)) };
}

/** Expands the values notation. Native histograms (`{{…}}`) are not supported. */
export function expandValues(text: string): SeriesValue[] {
  const out: SeriesValue[] = [];
  for (const tok of text.split(/\s+/).filter((t) => t !== '')) {
    if (tok.includes('{{')) {
      throw new SeriesNotationError('native histogram values ({{…}}) are not supported');
    }
    if (tok === '_') out.push({ kind: 'gap' });
    else if (tok === 'stale') out.push({ kind: 'stale' });
    else out.push(...expandToken(tok));
  }
  return out;
}

function expandToken(tok: string): SeriesValue[] {
  const m = /^(.+)x(\d+)$/.exec(tok);
  if (!m) return [{ kind: 'float', v: parseGoFloat(tok) }];
  const body = m[1], times = Number(m[2]);
  if (body === '_') return Array.from({ length: times }, () => ({ kind: 'gap' as const }));
  if (body === 'stale') {
    throw new SeriesNotationError(`invalid value ${JSON.stringify(tok)}: stale cannot repeat`);
  }
  let split = -1;
  for (let k = 1; k < body.length; k++) {
    if ((body[k] === '+' || body[k] === '-') && !/[eE]/.test(body[k - 1])) {
      split = k;
      break;
    }
  }
  const start = parseGoFloat(split < 0 ? body : body.slice(0, split));
  const step = split < 0 ? 0 : parseGoFloat(body.slice(split + 1));
  const inc = body[split] === '-' ? -step : step;
  const out: SeriesValue[] = [];
  // Summed step by step, as Prometheus does, so the rounding matches.
  let v = start;
  for (let i = 0; i <= times; i++) {
    out.push({ kind: 'float', v });
    v += inc;
  }
  return out;
}
