/**
 * Prometheus text format 0.0.4 parser (with Prometheus 3's quoted UTF-8 names).
 * @module
 */
import { LineParser, skipBlanks, unescapeHelp } from './line_parser.ts';
import { parseFloatAt, parseIntAt } from './parse_number.ts';
import type { Codes } from './parse_number.ts';
import type { EntryKind, MetricType } from './types.ts';

const TYPES: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
  ['counter', 'counter'],
  ['gauge', 'gauge'],
  ['histogram', 'histogram'],
  ['summary', 'summary'],
  ['untyped', 'unknown'],
]);

/**
 * Pull parser for the text format 0.0.4: blank lines and `#` comments are allowed, tokens
 * may be separated by spaces or tabs, timestamps are integer milliseconds, no `# EOF`.
 */
export class TextParser extends LineParser {
  readonly format = 'text' as const;

  /** Creates a parser over the decoded body. */
  constructor(src: string, codes: Codes) {
    super(src, codes);
    this.ws = true;
  }

  next(): EntryKind {
    const s = this.src;
    const cs = this.codes;
    for (;;) {
      const start = this.pos;
      if (start >= s.length) return 'eof';
      this.line = this.nextLine++;
      let end = s.indexOf('\n', start);
      if (end === -1) end = s.length;
      this.lineStart = start;
      this.lineEnd = end;
      this.pos = end + 1;
      this.resetSeries();
      const i = skipBlanks(cs, start, end);
      if (i === end) continue;
      if (cs[i] === 35) return this.#hashLine(i + 1, end);
      return this.#sampleLine(i, end);
    }
  }

  helpText(): string {
    return unescapeHelp(this.src, this.textStart, this.textEnd);
  }

  #hashLine(i: number, end: number): EntryKind {
    const s = this.src;
    const cs = this.codes;
    const j = skipBlanks(cs, i, end);
    let kind: EntryKind = 'comment';
    if (j > i && j + 4 < end && (cs[j + 4] === 32 || cs[j + 4] === 9)) {
      if (s.startsWith('HELP', j)) kind = 'help';
      else if (s.startsWith('TYPE', j)) kind = 'type';
    }
    if (kind === 'comment') {
      this.textStart = i;
      this.textEnd = end;
      return kind;
    }
    const keyword = kind.toUpperCase();
    const afterName = this.scanMetaName(skipBlanks(cs, j + 4, end), keyword);
    const t = skipBlanks(cs, afterName, end);
    if (t === afterName && t < end) {
      this.fail(`expected whitespace after the metric name in ${keyword}`);
    }
    this.textStart = t;
    this.textEnd = end;
    if (kind === 'type') {
      let e = t;
      while (e < end && cs[e] !== 32 && cs[e] !== 9) e++;
      const word = s.slice(t, e);
      const type = TYPES.get(word);
      if (type === undefined) this.fail(`invalid metric type ${JSON.stringify(word)}`);
      if (skipBlanks(cs, e, end) !== end) this.fail('unexpected text after metric type');
      this.mtype = type;
      this.textEnd = e;
    }
    return kind;
  }

  #sampleLine(i: number, end: number): EntryKind {
    const cs = this.codes;
    i = this.scanSeries(i);
    const vs = skipBlanks(cs, i, end);
    if (vs === i || vs === end) {
      this.fail(`expected whitespace and a value after ${this.excerpt(this.seriesStart, i)}`);
    }
    i = vs;
    while (i < end && cs[i] !== 32 && cs[i] !== 9) i++;
    const v = parseFloatAt(cs, vs, i);
    if (v === undefined) this.fail(`invalid value ${this.excerpt(vs, i)}`);
    this.value = v;
    const ts = skipBlanks(cs, i, end);
    if (ts === end) return 'series';
    i = ts;
    while (i < end && cs[i] !== 32 && cs[i] !== 9) i++;
    const t = parseIntAt(cs, ts, i);
    if (t === undefined) this.fail(`invalid timestamp ${this.excerpt(ts, i)}`);
    this.timestamp = t;
    if (skipBlanks(cs, i, end) !== end) this.fail('unexpected text after timestamp');
    return 'series';
  }
}
