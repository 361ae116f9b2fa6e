/**
 * OpenMetrics 1.0 text parser (with Prometheus 3's quoted UTF-8 names).
 * @module
 */
import { LineParser, unescapeValue } from './line_parser.ts';
import { parseFloatAt } from './parse_number.ts';
import type { Codes } from './parse_number.ts';
import type { EntryKind, MetricType } from './types.ts';

const TYPES: ReadonlySet<string> = new Set([
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
]);

/** Most code points an exemplar's label names and values may hold together. */
export const EXEMPLAR_MAX_LABEL_LENGTH = 128;

/**
 * Pull parser for OpenMetrics 1.0 text. Syntax is checked in both modes; `strict` adds the
 * specification's limits that Prometheus's scraper does not enforce (no trailing comma in a
 * label set, exemplar label length). Family-level rules live in `strict.ts`.
 */
export class OpenMetricsParser extends LineParser {
  readonly format = 'openmetrics' as const;
  #done = false;
  readonly #strict: boolean;

  /** Creates a parser over the decoded body. */
  constructor(src: string, codes: Codes, strict = false) {
    super(src, codes);
    this.#strict = strict;
    this.trailingComma = !strict;
  }

  next(): EntryKind {
    if (this.#done) return 'eof';
    const s = this.src;
    const cs = this.codes;
    const i = this.pos;
    this.line = this.nextLine++;
    if (i >= s.length) this.fail('data does not end with # EOF');
    let end = s.indexOf('\n', i);
    if (end === -1) end = s.length;
    this.lineStart = i;
    this.lineEnd = end;
    this.pos = end + 1;
    this.resetSeries();
    const c = cs[i];
    if (c === 35 /* # */) return this.#hashLine(i, end);
    if (i === end) this.fail('empty line');
    return this.#sampleLine(i, end);
  }

  helpText(): string {
    return unescapeValue(this.src, this.textStart, this.textEnd);
  }

  #hashLine(i: number, end: number): EntryKind {
    const s = this.src;
    const cs = this.codes;
    if (end - i === 5 && s.startsWith('# EOF', i)) {
      if (end + 1 < s.length) {
        this.line++;
        this.fail('unexpected data after # EOF');
      }
      this.#done = true;
      return 'eof';
    }
    let kind: EntryKind;
    if (s.startsWith('# HELP ', i)) kind = 'help';
    else if (s.startsWith('# TYPE ', i)) kind = 'type';
    else if (s.startsWith('# UNIT ', i)) kind = 'unit';
    else {return this.fail(
        `expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got ${this.excerpt(i, end)}`,
      );}
    const keyword = kind.toUpperCase();
    let j = this.scanMetaName(i + 7, keyword);
    if (j >= end || cs[j] !== 32) {
      this.fail(`expected a space and text after the metric name in ${keyword}`);
    }
    j++;
    this.textStart = j;
    this.textEnd = end;
    if (kind === 'type') {
      const t = s.slice(j, end);
      if (!TYPES.has(t)) this.fail(`invalid metric type ${JSON.stringify(t)}`);
      this.mtype = t as MetricType;
    } else if (kind === 'unit' && j < end) {
      const name = this.metaName();
      const unit = s.slice(j, end);
      if (!(name.length > unit.length + 1 && name.endsWith('_' + unit))) {
        this.fail(`unit ${JSON.stringify(unit)} is not a suffix of metric ${JSON.stringify(name)}`);
      }
    }
    return kind;
  }

  #sampleLine(i: number, end: number): EntryKind {
    const cs = this.codes;
    i = this.scanSeries(i);
    if (i >= end || cs[i] !== 32) {
      this.fail(`expected a space and a value after ${this.excerpt(this.seriesStart, i)}`);
    }
    const vs = ++i;
    while (i < end && cs[i] !== 32) i++;
    const v = parseFloatAt(cs, vs, i);
    if (v === undefined) this.fail(`invalid value ${this.excerpt(vs, i)}`);
    this.value = v;
    if (i === end) return 'series';
    i++;
    if (i < end && cs[i] === 35) return this.#exemplar(i, end);
    const ts = i;
    while (i < end && cs[i] !== 32) i++;
    this.timestamp = this.#timestamp(ts, i, 'timestamp');
    if (i === end) return 'series';
    i++;
    if (i < end && cs[i] === 35) return this.#exemplar(i, end);
    return this.fail(`expected an exemplar or the end of the line after the timestamp`);
  }

  #timestamp(a: number, b: number, what: string): number {
    const t = parseFloatAt(this.codes, a, b);
    if (t === undefined || t !== t || t === Infinity || t === -Infinity) {
      this.fail(`invalid ${what} ${this.excerpt(a, b)}`);
    }
    return Math.round(t * 1000);
  }

  #exemplar(i: number, end: number): EntryKind {
    const cs = this.codes;
    if (i + 2 >= end || cs[i + 1] !== 32 || cs[i + 2] !== 123) {
      this.fail('expected "# {" to open an exemplar');
    }
    const name = this.metricName();
    // What Prometheus's scraper allows; strict mode also checks the family type.
    if (!name.endsWith('_total') && !name.endsWith('_bucket')) {
      this.fail(`exemplar not allowed on sample ${JSON.stringify(name)}`);
    }
    i = this.scanLabels(i + 2, true);
    if (this.#strict && this.exemplarLabelLength() > EXEMPLAR_MAX_LABEL_LENGTH) {
      this.fail(`exemplar labels exceed ${EXEMPLAR_MAX_LABEL_LENGTH} characters`);
    }
    if (i >= end || cs[i] !== 32) this.fail('expected a space and a value after exemplar labels');
    const vs = ++i;
    while (i < end && cs[i] !== 32) i++;
    const v = parseFloatAt(cs, vs, i);
    if (v === undefined) this.fail(`invalid exemplar value ${this.excerpt(vs, i)}`);
    this.exValue = v;
    this.exTs = undefined;
    if (i < end) {
      const ts = ++i;
      while (i < end && cs[i] !== 32) i++;
      this.exTs = this.#timestamp(ts, i, 'exemplar timestamp');
      if (i < end) this.fail('unexpected text after exemplar timestamp');
    }
    this.hasExemplar = true;
    return 'series';
  }
}
