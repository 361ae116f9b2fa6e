/**
 * Prometheus-style template expansion: parse (cached), bind the builtin and Prometheus
 * functions, execute, and report failures as Prometheus words them.
 * @module
 */
import { Labels } from '../model/labels.ts';
import { BUILTINS } from './builtins.ts';
import { TemplateError } from './errors.ts';
import { execute, type FuncMap, type TemplateFunc } from './exec.ts';
import { parse, type ParsedTemplate, parseError } from './parser.ts';
import { contextFuncs, type QueryFunc, STATIC_FUNCS } from './prometheus.ts';
import { GO_TYPE } from './values.ts';

/** A template function: typed (Go-like argument checks) or a plain JS function (variadic). */
export type UserFunc = TemplateFunc | ((...args: never[]) => unknown);

/** Options of {@link expandTemplate}. */
export interface ExpandOptions {
  /** Template name for error messages; Prometheus uses `__alert_<alertname>`. Default `template`. */
  readonly name?: string;
  /** Extra functions; they override builtin and Prometheus functions of the same name. */
  readonly funcs?: Readonly<Record<string, UserFunc>>;
  /** Backs the `query` function. */
  readonly query?: QueryFunc;
  /** What `externalURL` returns; `pathPrefix` derives from it. */
  readonly externalURL?: string;
  /** Overrides the path derived from `externalURL`. */
  readonly pathPrefix?: string;
  /** Evaluation time (ms since epoch or Date) for `query` and `now`; defaults to the clock. */
  readonly now?: number | Date;
  /** `zero` (Prometheus's default: missing keys print `<no value>`) or `error`. */
  readonly missingKey?: 'zero' | 'error';
}

/** Options of {@link parseTemplate}. */
export interface ParseTemplateOptions {
  /** Extra function names that the text may call, beyond builtin and Prometheus functions. */
  readonly funcs?: Readonly<Record<string, UserFunc>>;
}

const BASE_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map([...BUILTINS, ...STATIC_FUNCS]);
const PROMETHEUS_NAMES = new Set([
  ...STATIC_FUNCS.keys(),
  ...contextFuncs({ timeMs: 0, externalURL: '', pathPrefix: '' }).keys(),
]);

const CACHE_LIMIT = 1000;
const cache = new Map<string, ParsedTemplate>();

function cachedParse(text: string, name: string): ParsedTemplate {
  const key = name + '\u0000' + text;
  let p = cache.get(key);
  if (p) return p;
  p = parse(text, name);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, p);
  return p;
}

function checkFunctions(p: ParsedTemplate, has: (name: string) => boolean) {
  for (const f of p.functions) {
    if (!has(f.name)) throw parseError(p.name, p.text, f.pos, `function "${f.name}" not defined`);
  }
}

/**
 * Parses a template (with `define`s) and checks that every function it calls exists.
 * Results are cached by text and name.
 * @throws {TemplateError} with Go's message, e.g. `template: x:1: unclosed action`.
 */
export function parseTemplate(
  text: string,
  name: string,
  opts: ParseTemplateOptions = {},
): ParsedTemplate {
  const p = cachedParse(text, name);
  const extra = opts.funcs ?? {};
  checkFunctions(p, (n) => BUILTINS.has(n) || PROMETHEUS_NAMES.has(n) || Object.hasOwn(extra, n));
  return p;
}

function toTemplateFunc(f: UserFunc): TemplateFunc {
  return typeof f === 'function' ? { params: [], variadic: 'any', fn: f } : f;
}

/** Go's `url.URL.Path` of an external URL: '' when it has no path. */
export function urlPath(externalURL: string): string {
  if (!externalURL) return '';
  try {
    const u = new URL(externalURL);
    if (u.pathname === '/' && !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\//i.test(externalURL)) return '';
    return decodeURIComponent(u.pathname);
  } catch {
    return '';
  }
}

function buildFuncs(opts: ExpandOptions): FuncMap {
  const now = opts.now instanceof Date ? opts.now.getTime() : opts.now ?? Date.now();
  const externalURL = opts.externalURL ?? '';
  // Only the few context-bound functions are created per expansion; the rest are shared.
  const top = contextFuncs({
    query: opts.query,
    timeMs: now,
    externalURL,
    pathPrefix: opts.pathPrefix ?? urlPath(externalURL),
  });
  for (const [k, v] of Object.entries(opts.funcs ?? {})) top.set(k, toTemplateFunc(v));
  return {
    get: (name: string) => top.get(name) ?? BASE_FUNCS.get(name),
    has: (name: string) => top.has(name) || BASE_FUNCS.has(name),
  };
}

function wrap(e: unknown, name: string): TemplateError {
  if (e instanceof TemplateError) {
    const what = e.phase === 'parse' ? 'parsing' : 'executing';
    return new TemplateError(`error ${what} template ${name}: ${e.message}`, e.phase);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new TemplateError(`panic expanding template ${name}: ${msg}`, 'exec');
}

/**
 * Expands `text` on `data` as Prometheus's template expander does. Synchronous when no function
 * returns a Promise (only `query` does by default), otherwise a Promise.
 * @throws {TemplateError} `error parsing template NAME: …` or `error executing template NAME: …`.
 */
export function expandTemplateSyncOrAsync(
  text: string,
  data: unknown,
  opts: ExpandOptions = {},
): string | Promise<string> {
  const name = opts.name ?? 'template';
  let parsed: ParsedTemplate;
  let funcs: FuncMap;
  try {
    parsed = cachedParse(text, name);
    funcs = buildFuncs(opts);
    checkFunctions(parsed, (n) => funcs.has(n));
  } catch (e) {
    throw wrap(e, name);
  }
  try {
    const r = execute(parsed, data, funcs, { missingKey: opts.missingKey });
    if (typeof r === 'string') return r;
    return r.catch((e) => {
      throw wrap(e, name);
    });
  } catch (e) {
    throw wrap(e, name);
  }
}

/**
 * Expands `text` on `data`; never rejects with anything but a {@link TemplateError}.
 */
export function expandTemplate(
  text: string,
  data: unknown,
  opts: ExpandOptions = {},
): Promise<string> {
  try {
    return Promise.resolve(expandTemplateSyncOrAsync(text, data, opts));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** What Prometheus puts in front of every alert label and annotation template. */
export const ALERT_TEMPLATE_PREFIX =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}' +
  '{{$externalURL := .ExternalURL}}{{$value := .Value}}';

/** The data of alert templates: `.Labels`, `.ExternalLabels`, `.ExternalURL`, `.Value`. */
export class AlertTemplateData {
  /** The alert's labels. */
  readonly Labels: Labels;
  /** The server's external labels. */
  readonly ExternalLabels: Labels;
  /** The server's external URL. */
  readonly ExternalURL: string;
  /** The sample value that made the alert. */
  readonly Value: number;
  constructor(labels: Labels, externalLabels: Labels, externalURL: string, value: number) {
    this.Labels = labels;
    this.ExternalLabels = externalLabels;
    this.ExternalURL = externalURL;
    this.Value = value;
  }
  get [GO_TYPE](): string {
    return 'struct { Labels map[string]string; ExternalLabels map[string]string; ' +
      'ExternalURL string; Value interface {} }';
  }
}

/** Builds Prometheus's alert template data from labels, external labels, URL and value. */
export function alertTemplateData(
  labels: Labels | Readonly<Record<string, string>>,
  externalLabels: Labels | Readonly<Record<string, string>>,
  externalURL: string,
  value: number,
): AlertTemplateData {
  const l = labels instanceof Labels ? labels : Labels.from(labels);
  const e = externalLabels instanceof Labels ? externalLabels : Labels.from(externalLabels);
  return new AlertTemplateData(l, e, externalURL, value);
}

/**
 * Expands an alerting rule's label or annotation template as Prometheus does: with
 * `$labels`, `$externalLabels`, `$externalURL` and `$value` defined first. Name it
 * `__alert_<alertname>` for Prometheus's error messages.
 */
export function expandAlertTemplate(
  text: string,
  data: AlertTemplateData,
  opts: ExpandOptions = {},
): Promise<string> {
  return expandTemplate(ALERT_TEMPLATE_PREFIX + text, data, {
    externalURL: data.ExternalURL,
    ...opts,
  });
}
