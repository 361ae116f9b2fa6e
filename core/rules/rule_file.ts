/**
 * Reading one rule file: YAML → groups of recording and alerting rules, validated as
 * Prometheus's rule-file loader validates them, with every error naming file, line, column
 * and key path (`rules.yml:7:15: groups[0].rules[0].expr: 1:7: parse error: …`).
 * @module
 */

import { parseAllDocuments } from 'yaml';
import {
  ConfigError,
  type ConfigPath,
  type ConfigSource,
  Duration,
  type Position,
  readYaml,
} from '../config/mod.ts';
import {
  isLegacyLabelName,
  isLegacyMetricName,
  isValidUTF8Name,
  METRIC_NAME,
} from '../model/mod.ts';
import { ALERT_TEMPLATE_PREFIX as ALERT_TEMPLATE_PRELUDE, parseTemplate } from '../template/mod.ts';
import type {
  AlertingRuleSpec,
  RecordingRuleSpec,
  RuleFileOptions,
  RuleGroupSpec,
  RuleSpec,
} from './rule_file_types.ts';

/** What {@link parseRuleFile} found in one file. */
export interface ParsedRuleFile {
  /** The file name, as given. */
  readonly file: string;
  /** The groups that were read; meaningful only when `errors` is empty. */
  readonly groups: RuleGroupSpec[];
  /** Every problem found, in document order. */
  readonly errors: ConfigError[];
  /** Things that load but are probably mistakes (they do not fail a check). */
  readonly warnings: ConfigError[];
}

const FILE_KEYS = new Set(['groups']);
const GROUP_KEYS = new Set(['name', 'interval', 'query_offset', 'limit', 'rules', 'labels']);
const RULE_KEYS = new Set([
  'record',
  'alert',
  'expr',
  'for',
  'keep_firing_for',
  'labels',
  'annotations',
]);

type Rec = Record<string, unknown>;

/**
 * Parses and validates the text of a rule file. Never throws: problems land in `errors`
 * (YAML syntax, types, unknown keys, bad names, expressions that do not parse, templates
 * that do not parse, duplicate group names).
 */
export function parseRuleFile(text: string, file: string, opts: RuleFileOptions): ParsedRuleFile {
  const warnings: ConfigError[] = [];
  let source = readYaml(text, file);
  const cut = source.fatal ? secondDocumentStart(text) : undefined;
  if (cut !== undefined) {
    // Prometheus reads the first document of a multi-document file and warns about the rest.
    source = readYaml(text.slice(0, cut), file);
    const p = source.positionOf([]);
    warnings.push(
      new ConfigError(
        file,
        p.line,
        p.column,
        [],
        'multiple document YAML rule files are not supported, only the first document is processed',
      ),
    );
  }
  const errors: ConfigError[] = [...source.errors];
  const groups: RuleGroupSpec[] = [];
  const out = { file, groups, errors, warnings };
  if (source.fatal) return out;
  const v = new Validator(source, opts, errors, warnings);
  const root = source.value;
  if (root === null || root === undefined) return out;
  if (!isMap(root)) {
    v.error([], `cannot unmarshal ${kindOf(root)} into the rule file (expected a mapping)`);
    return out;
  }
  v.unknownKeys(root, [], FILE_KEYS, 'rulefmt.RuleGroups');
  const list = root.groups;
  if (list === null || list === undefined) return out;
  if (!Array.isArray(list)) {
    v.error(['groups'], `expected a list of groups, got ${kindOf(list)}`);
    return out;
  }
  const seen = new Set<string>();
  list.forEach((g, j) => {
    const group = v.group(g, ['groups', j]);
    if (!group) return;
    if (group.name === '') v.error(['groups', j], 'Groupname must not be empty');
    else if (seen.has(group.name)) {
      v.error(
        ['groups', j, 'name'],
        `groupname: ${quote(group.name)} is repeated in the same file`,
      );
    }
    seen.add(group.name);
    groups.push(group);
  });
  return out;
}

class Validator {
  private readonly checkTemplate;
  private readonly legacy: boolean;

  constructor(
    readonly source: ConfigSource,
    readonly opts: RuleFileOptions,
    readonly errors: ConfigError[],
    readonly warnings: ConfigError[],
  ) {
    this.checkTemplate = opts.checkTemplate === false
      ? undefined
      : opts.checkTemplate ?? templateParses;
    this.legacy = opts.nameValidation === 'legacy';
  }

  error(path: ConfigPath, message: string, atKey = false): void {
    this.errors.push(this.at(path, message, atKey));
  }

  warn(path: ConfigPath, message: string, atKey = false): void {
    this.warnings.push(this.at(path, message, atKey));
  }

  private at(path: ConfigPath, message: string, atKey: boolean): ConfigError {
    const p: Position = this.source.positionOf(path, atKey);
    return new ConfigError(this.source.file, p.line, p.column, path, message);
  }

  position(path: ConfigPath): Position {
    return this.source.positionOf(path);
  }

  unknownKeys(node: Rec, path: ConfigPath, known: Set<string>, type: string): void {
    if (this.opts.ignoreUnknownFields) return;
    for (const key of Object.keys(node)) {
      if (!known.has(key)) {
        this.error([...path, key], `field ${key} not found in type ${type}`, true);
      }
    }
  }

  /** A string field; YAML numbers and booleans count as their text, as in Go. */
  string(node: Rec, path: ConfigPath, key: string): string {
    const x = node[key];
    if (x === null || x === undefined) return '';
    if (typeof x === 'string') return x;
    if (typeof x === 'number' || typeof x === 'boolean') return String(x);
    this.error([...path, key], `expected a string, got ${kindOf(x)}`);
    return '';
  }

  duration(node: Rec, path: ConfigPath, key: string): Duration | undefined {
    const x = node[key];
    if (x === null || x === undefined) return undefined;
    if (typeof x !== 'string' && typeof x !== 'number') {
      this.error([...path, key], `expected a duration, got ${kindOf(x)}`);
      return undefined;
    }
    try {
      return Duration.parse(String(x));
    } catch (e) {
      this.error([...path, key], (e as Error).message);
      return undefined;
    }
  }

  int(node: Rec, path: ConfigPath, key: string): number {
    const x = node[key];
    if (x === null || x === undefined) return 0;
    if (typeof x !== 'number' || !Number.isSafeInteger(x)) {
      this.error([...path, key], `cannot unmarshal ${kindOf(x)} into an integer`);
      return 0;
    }
    return x;
  }

  /** A string → string mapping (labels, annotations). */
  stringMap(node: Rec, path: ConfigPath, key: string): Record<string, string> {
    const x = node[key];
    const out: Record<string, string> = {};
    if (x === null || x === undefined) return out;
    if (!isMap(x)) {
      this.error([...path, key], `expected a mapping, got ${kindOf(x)}`);
      return out;
    }
    for (const k of Object.keys(x)) {
      // defineProperty so that a `__proto__` key stays a plain entry.
      const value = this.string(x, [...path, key], k);
      Object.defineProperty(out, k, { value, enumerable: true, writable: true });
    }
    return out;
  }

  labels(labels: Record<string, string>, path: ConfigPath): void {
    for (const [name, value] of Object.entries(labels)) {
      if (!this.labelNameOK(name) || name === METRIC_NAME) {
        this.error([...path, name], `invalid label name: ${name}`, true);
      }
      if (!isValidUTF8Name(value) && value !== '') {
        this.error([...path, name], `invalid label value: ${value}`);
      }
    }
  }

  labelNameOK(name: string): boolean {
    return this.legacy ? isLegacyLabelName(name) : isValidUTF8Name(name);
  }

  metricNameOK(name: string): boolean {
    return this.legacy ? isLegacyMetricName(name) : isValidUTF8Name(name);
  }

  group(g: unknown, path: ConfigPath): RuleGroupSpec | undefined {
    if (!isMap(g)) {
      this.error(path, `expected a mapping for a rule group, got ${kindOf(g)}`);
      return undefined;
    }
    this.unknownKeys(g, path, GROUP_KEYS, 'rulefmt.RuleGroup');
    const name = this.string(g, path, 'name');
    const interval = this.duration(g, path, 'interval');
    const query_offset = this.duration(g, path, 'query_offset');
    const limit = this.int(g, path, 'limit');
    const labels = this.stringMap(g, path, 'labels');
    this.labels(labels, [...path, 'labels']);
    const rules: RuleSpec[] = [];
    const list = g.rules;
    if (list !== null && list !== undefined && !Array.isArray(list)) {
      this.error([...path, 'rules'], `expected a list of rules, got ${kindOf(list)}`);
    } else {
      (list ?? []).forEach((r: unknown, i: number) => {
        const rule = this.rule(r, [...path, 'rules', i]);
        if (rule) rules.push(rule);
      });
    }
    return {
      file: this.source.file,
      name,
      interval: interval && interval.ms !== 0 ? interval : undefined,
      query_offset,
      limit,
      labels,
      rules,
      position: this.position(path),
    };
  }

  rule(r: unknown, path: ConfigPath): RuleSpec | undefined {
    if (!isMap(r)) {
      this.error(path, `expected a mapping for a rule, got ${kindOf(r)}`);
      return undefined;
    }
    this.unknownKeys(r, path, RULE_KEYS, 'rulefmt.Rule');
    const record = this.string(r, path, 'record');
    const alert = this.string(r, path, 'alert');
    const expr = this.string(r, path, 'expr');
    const forD = this.duration(r, path, 'for') ?? new Duration(0);
    const keep = this.duration(r, path, 'keep_firing_for') ?? new Duration(0);
    const labels = this.stringMap(r, path, 'labels');
    const annotations = this.stringMap(r, path, 'annotations');
    const position = this.position(path);

    if (record && alert) {
      this.error([...path, 'record'], "only one of 'record' and 'alert' must be set");
    } else if (!record && !alert) {
      this.error(path, "one of 'record' or 'alert' must be set");
    }
    if (!expr) this.error([...path, 'expr'], "field 'expr' must be set in rule");
    else {
      try {
        this.opts.parseExpr(expr);
      } catch (e) {
        this.error([...path, 'expr'], messageOf(e));
      }
    }
    if (record) {
      const at = [...path, 'record'];
      if (Object.keys(annotations).length > 0) {
        this.error(at, "invalid field 'annotations' in recording rule");
      }
      if (forD.ms !== 0) this.error(at, "invalid field 'for' in recording rule");
      if (keep.ms !== 0) this.error(at, "invalid field 'keep_firing_for' in recording rule");
      if (!this.metricNameOK(record)) this.error(at, `invalid recording rule name: ${record}`);
      if (record.includes('{') || record.includes('}')) {
        this.error(
          at,
          `braces present in the recording rule name; should it be in expr?: ${record}`,
        );
      }
    }
    this.labels(labels, [...path, 'labels']);
    for (const name of Object.keys(annotations)) {
      if (!this.labelNameOK(name)) {
        this.error([...path, 'annotations', name], `invalid annotation name: ${name}`, true);
      }
    }
    if (alert) {
      if (!isValidUTF8Name(alert)) this.error([...path, 'alert'], `invalid alert name: ${alert}`);
      if ('alertname' in labels) {
        this.warn(
          [...path, 'labels', 'alertname'],
          'the alertname label is always set to the alert name; this value is ignored',
          true,
        );
      }
      this.templates(alert, labels, [...path, 'labels'], 'label');
      this.templates(alert, annotations, [...path, 'annotations'], 'annotation');
    }

    if (record && !alert) {
      const spec: RecordingRuleSpec = { kind: 'recording', record, expr, labels, position };
      return spec;
    }
    const spec: AlertingRuleSpec = {
      kind: 'alerting',
      alert,
      expr,
      for: forD,
      keep_firing_for: keep,
      labels,
      annotations,
      position,
    };
    return spec;
  }

  templates(alert: string, map: Record<string, string>, path: ConfigPath, what: string): void {
    const check = this.checkTemplate;
    if (!check) return;
    for (const [key, text] of Object.entries(map)) {
      try {
        check(ALERT_TEMPLATE_PRELUDE + text, `__alert_${alert}`);
      } catch (e) {
        this.error([...path, key], `${what} ${quote(key)}: ${messageOf(e)}`);
      }
    }
  }
}

/** Where the second YAML document starts, when the text has more than one. */
function secondDocumentStart(text: string): number | undefined {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length < 2 || docs[0].errors.length) return undefined;
  return docs[1].range[0];
}

function isMap(x: unknown): x is Rec {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function kindOf(x: unknown): string {
  if (x === null || x === undefined) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'a mapping';
  if (typeof x === 'string') return `string ${quote(x)}`;
  return `${typeof x} ${String(x)}`;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

function messageOf(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) return String(e.message);
  return String(e);
}

/** The default template check: the template must parse as Go's text/template does. */
function templateParses(text: string, name: string): void {
  parseTemplate(text, name);
}
