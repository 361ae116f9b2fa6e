/**
 * Strict mode: the family-level rules of OpenMetrics 1.0 (and the text format's grouping
 * rules) layered over a format parser. Used by `check metrics`, not by the scrape path.
 * @module
 */
import type { Labels } from '../model/labels.ts';
import { METRIC_NAME } from '../model/labels.ts';
import { ParseError } from './parse_error.ts';
import { parseCanonicalNumber, parseFloatString } from './parse_number.ts';
import type {
  EntryKind,
  Exemplar,
  ExpositionFormat,
  ExpositionParser,
  MetricType,
} from './types.ts';

/** A problem found by `checkMetrics`, with its 1-based line. */
export interface Problem {
  /** 1-based line number. */
  line: number;
  /** What is wrong. */
  message: string;
}

// Sample-name suffixes each family type owns.
const OM_SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [''],
  unknown: [''],
};
const TEXT_SUFFIXES: Record<MetricType, readonly string[]> = {
  ...OM_SUFFIXES,
  counter: [''],
  histogram: ['_bucket', '_count', '_sum'],
  summary: ['', '_count', '_sum'],
};

interface Family {
  name: string;
  type: MetricType;
  line: number;
  help: boolean;
  typed: boolean;
  unit: boolean;
  samples: boolean;
  /** Group keys (labels without le/quantile/state) already seen. */
  groups: Set<string>;
}

interface Point {
  key: string;
  line: number;
  samples: number;
  hasTs: boolean;
  lastTs: number;
  lastLe: number;
  lastBucket: number;
  hasInf: boolean;
  infValue: number;
  negBucket: boolean;
  hasCount: boolean;
  count: number;
  hasSum: boolean;
  sum: number;
}

/**
 * Wraps a format parser and throws `ParseError` at the first entry that breaks a rule of
 * the format's specification. Also gathers lint-style warnings (missing HELP, counter
 * naming), which never fail parsing.
 */
export class StrictParser implements ExpositionParser {
  readonly #p: ExpositionParser;
  readonly #om: boolean;
  readonly #suffixes: Record<MetricType, readonly string[]>;
  readonly #used = new Set<string>();
  #family: Family | undefined = undefined;
  #point: Point | undefined = undefined;
  /** Lint findings so far: advice, not errors. */
  readonly warnings: Problem[] = [];

  /** Wraps `inner`, which should itself be created in strict mode. */
  constructor(inner: ExpositionParser) {
    this.#p = inner;
    this.#om = inner.format === 'openmetrics';
    this.#suffixes = this.#om ? OM_SUFFIXES : TEXT_SUFFIXES;
  }

  get format(): ExpositionFormat {
    return this.#p.format;
  }
  get line(): number {
    return this.#p.line;
  }
  get value(): number {
    return this.#p.value;
  }
  get timestamp(): number | undefined {
    return this.#p.timestamp;
  }
  seriesText(): string {
    return this.#p.seriesText();
  }
  seriesKey(): string {
    return this.#p.seriesKey();
  }
  metricName(): string {
    return this.#p.metricName();
  }
  labels(): Labels {
    return this.#p.labels();
  }
  exemplar(): Exemplar | undefined {
    return this.#p.exemplar();
  }
  metaName(): string {
    return this.#p.metaName();
  }
  helpText(): string {
    return this.#p.helpText();
  }
  metricType(): MetricType {
    return this.#p.metricType();
  }
  unitText(): string {
    return this.#p.unitText();
  }
  commentText(): string {
    return this.#p.commentText();
  }

  next(): EntryKind {
    const kind = this.#p.next();
    switch (kind) {
      case 'series':
        this.#sample();
        break;
      case 'help':
      case 'type':
      case 'unit':
        this.#meta(kind);
        break;
      case 'eof':
        this.#endFamily();
        break;
    }
    return kind;
  }

  #fail(reason: string, line = this.#p.line): never {
    throw new ParseError(line, reason);
  }

  #startFamily(name: string): Family {
    this.#endFamily();
    if (this.#used.has(name)) {
      this.#fail(
        `metric family ${JSON.stringify(name)} is not contiguous or clashes with an earlier family`,
      );
    }
    this.#used.add(name);
    const f: Family = {
      name,
      type: 'unknown',
      line: this.#p.line,
      help: false,
      typed: false,
      unit: false,
      samples: false,
      groups: new Set(),
    };
    this.#family = f;
    return f;
  }

  #endFamily(): void {
    this.#endPoint();
    const f = this.#family;
    if (f === undefined) return;
    this.#family = undefined;
    if (!f.help) this.warnings.push({ line: f.line, message: `${f.name}: no help text` });
    if (!this.#om && f.type === 'counter' && !f.name.endsWith('_total')) {
      this.warnings.push({
        line: f.line,
        message: `${f.name}: counter metrics should have "_total" suffix`,
      });
    }
    if (/[A-Z]/.test(f.name)) {
      this.warnings.push({
        line: f.line,
        message: `${f.name}: metric names should be written in 'snake_case' not 'camelCase'`,
      });
    }
  }

  #meta(kind: 'help' | 'type' | 'unit'): void {
    const p = this.#p;
    const name = p.metaName();
    const keyword = kind.toUpperCase();
    let f = this.#family;
    if (f !== undefined && f.name === name) {
      if (f.samples) this.#fail(`${keyword} for ${JSON.stringify(name)} after its samples`);
      const seen = kind === 'help' ? f.help : kind === 'type' ? f.typed : f.unit;
      if (seen) this.#fail(`second ${keyword} line for ${JSON.stringify(name)}`);
    } else {
      f = this.#startFamily(name);
    }
    if (kind === 'help') f.help = true;
    else if (kind === 'unit') {
      f.unit = true;
      if (f.type === 'info' || f.type === 'stateset') {
        this.#fail(`UNIT is not allowed on ${f.type} ${JSON.stringify(name)}`);
      }
    } else {
      f.typed = true;
      f.type = p.metricType();
      if (f.unit && (f.type === 'info' || f.type === 'stateset')) {
        this.#fail(`UNIT is not allowed on ${f.type} ${JSON.stringify(name)}`);
      }
      for (const s of this.#suffixes[f.type]) {
        if (s === '') continue;
        if (this.#used.has(name + s)) {
          this.#fail(
            `${f.type} ${JSON.stringify(name)} clashes with family ${JSON.stringify(name + s)}`,
          );
        }
        this.#used.add(name + s);
      }
    }
  }

  /** Which of the current family's suffixes `name` carries, or undefined when not its own. */
  #suffixOf(name: string): string | undefined {
    const f = this.#family;
    if (f === undefined || !name.startsWith(f.name)) return undefined;
    const rest = name.slice(f.name.length);
    return this.#suffixes[f.type].includes(rest) ? rest : undefined;
  }

  #sample(): void {
    const p = this.#p;
    const name = p.metricName();
    let suffix = this.#suffixOf(name);
    if (suffix === undefined) {
      this.#startFamily(name);
      suffix = '';
    }
    const f = this.#family!;
    f.samples = true;
    const labels = p.labels();
    const v = p.value;
    const type = f.type;
    let special = '';
    let le = NaN;
    if ((type === 'histogram' || type === 'gaugehistogram') && suffix === '_bucket') {
      special = 'le';
      le = this.#boundLabel(labels, 'le');
      if (this.#om && !(v >= 0)) this.#fail('bucket values must be non-negative numbers');
    } else if (type === 'summary' && suffix === '') {
      special = 'quantile';
      const q = this.#boundLabel(labels, 'quantile');
      if (this.#om && !(q >= 0 && q <= 1)) this.#fail('quantile must be between 0 and 1');
      if (this.#om && v < 0) this.#fail('quantile values must not be negative');
    } else if (type === 'stateset') {
      special = f.name;
      if (!labels.has(f.name)) {
        this.#fail(`stateset sample needs a label ${JSON.stringify(f.name)}`);
      }
      if (v !== 0 && v !== 1) this.#fail('stateset values must be 0 or 1');
    }
    if (!this.#om) return;
    if (type === 'info' && v !== 1) this.#fail('info values must be 1');
    if (
      (suffix === '_total' || suffix === '_count' || suffix === '_gcount') && !(v >= 0)
    ) this.#fail(`${name} must be a non-negative number`);
    if (suffix === '_sum' && !(v >= 0)) this.#fail(`${name} must be a non-negative number`);
    if (suffix === '_gsum' && v !== v) this.#fail(`${name} must not be NaN`);
    this.#checkExemplar(type, suffix);
    this.#pointSample(f, labels, special, suffix, le, v);
  }

  #boundLabel(labels: Labels, label: string): number {
    const s = labels.get(label);
    if (s === '') this.#fail(`sample is missing its ${JSON.stringify(label)} label`);
    const v = this.#om ? parseCanonicalNumber(s) : parseFloatString(s);
    if (v === undefined || v !== v) {
      this.#fail(`invalid ${JSON.stringify(label)} label value ${JSON.stringify(s)}`);
    }
    return v;
  }

  #checkExemplar(type: MetricType, suffix: string): void {
    if (this.#p.exemplar() === undefined) return;
    const ok = (type === 'counter' && suffix === '_total') ||
      ((type === 'histogram' || type === 'gaugehistogram') && suffix === '_bucket');
    if (!ok) {
      this.#fail('exemplars are only allowed on counter _total and histogram _bucket samples');
    }
  }

  #pointSample(
    f: Family,
    labels: Labels,
    special: string,
    suffix: string,
    le: number,
    v: number,
  ): void {
    let key = '';
    const flat = labels.flat;
    for (let i = 0; i < flat.length; i += 2) {
      if (flat[i] !== METRIC_NAME && flat[i] !== special) {
        key += flat[i] + '\xff' + flat[i + 1] + '\xff';
      }
    }
    let pt = this.#point;
    if (pt === undefined || pt.key !== key) {
      this.#endPoint();
      if (f.groups.has(key)) {
        this.#fail(`samples of ${f.name} with the same labels are not grouped together`);
      }
      f.groups.add(key);
      pt = {
        key,
        line: this.#p.line,
        samples: 0,
        hasTs: false,
        lastTs: 0,
        lastLe: -Infinity,
        lastBucket: 0,
        hasInf: false,
        infValue: 0,
        negBucket: false,
        hasCount: false,
        count: 0,
        hasSum: false,
        sum: 0,
      };
      this.#point = pt;
    }
    const ts = this.#p.timestamp;
    if (pt.samples === 0) pt.hasTs = ts !== undefined;
    else if (pt.hasTs !== (ts !== undefined)) {
      this.#fail('samples of one metric point mix timestamps and none');
    }
    if (ts !== undefined) {
      if (pt.samples > 0 && ts < pt.lastTs) this.#fail('timestamps must not go backwards');
      pt.lastTs = ts;
    }
    pt.samples++;
    if (f.type !== 'histogram' && f.type !== 'gaugehistogram') return;
    if (suffix === '_bucket') {
      if (pt.hasInf || (pt.lastLe !== -Infinity && !(le > pt.lastLe))) {
        this.#fail('buckets must be in increasing order of "le"');
      }
      if (v < pt.lastBucket) this.#fail('bucket counts must not decrease as "le" grows');
      pt.lastLe = le;
      pt.lastBucket = v;
      if (le < 0) pt.negBucket = true;
      if (le === Infinity) {
        pt.hasInf = true;
        pt.infValue = v;
      }
    } else if (suffix === '_count' || suffix === '_gcount') {
      pt.hasCount = true;
      pt.count = v;
    } else if (suffix === '_sum' || suffix === '_gsum') {
      pt.hasSum = true;
      pt.sum = v;
    }
  }

  #endPoint(): void {
    const pt = this.#point;
    const f = this.#family;
    this.#point = undefined;
    if (pt === undefined || f === undefined) return;
    if (f.type !== 'histogram' && f.type !== 'gaugehistogram') return;
    const g = f.type === 'gaugehistogram' ? 'g' : '';
    if (!pt.hasInf) this.#fail(`${f.type} ${f.name} has no +Inf bucket`, pt.line);
    if (pt.hasSum !== pt.hasCount) {
      this.#fail(`${f.type} ${f.name} must have both _${g}sum and _${g}count or neither`, pt.line);
    }
    if (pt.hasCount && pt.count !== pt.infValue) {
      this.#fail(`${f.name}_${g}count must equal the +Inf bucket`, pt.line);
    }
    if (f.type === 'histogram' && pt.negBucket && pt.hasSum) {
      this.#fail(`histogram ${f.name} with negative buckets must not have _sum`, pt.line);
    }
    if (f.type === 'gaugehistogram' && pt.hasSum && pt.sum < 0 && !pt.negBucket) {
      this.#fail(`${f.name}_gsum is negative but there are no negative buckets`, pt.line);
    }
  }
}
