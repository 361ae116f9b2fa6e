/**
 * `info(v [, selector])` (experimental): adds the data labels of matching info series
 * (`target_info` unless the selector names others) to each series of `v`, joining on the
 * identifying labels `instance` and `job` at each step.
 * @module
 */
import { Labels, Matcher, matchLabels } from '../../../core/model/mod.ts';
import type { Call, Expr, VectorSelector } from '../parser/mod.ts';
import { execError } from './errors.ts';
import { type Evaluator, mergeByLabels } from './evaluator.ts';
import { labelsKey } from './label_keys.ts';
import { emptySeries, seriesArray, type StepSeries, type Value } from './values.ts';

const IDENTIFYING = ['instance', 'job'];

/**
 * Gives `info()` its info-series selector before the series are fetched: `target_info` when
 * none is written or the written one names no metric.
 */
export function prepareInfoCall(e: Call): void {
  const name = Matcher.create('=', '__name__', 'target_info');
  if (e.args.length === 1) {
    const sel: VectorSelector = {
      type: 'VectorSelector',
      name: '',
      matchers: [name],
      offset: 0,
      at: undefined,
      anchored: false,
      smoothed: false,
      posRange: e.posRange,
    };
    e.args.push(sel);
    return;
  }
  const sel = unwrap(e.args[1]);
  if (sel.type === 'VectorSelector' && !sel.matchers.some((m) => m.name === '__name__')) {
    sel.matchers = [...sel.matchers, name];
  }
}

function unwrap(e: Expr): Expr {
  while (e.type === 'ParenExpr') e = e.expr;
  return e;
}

/** Evaluates `info()`. */
export function evalInfo(ev: Evaluator, e: Call): Value {
  const sel = unwrap(e.args[1]);
  if (sel.type !== 'VectorSelector') throw execError('info(): expected a series selector');
  const nameMatchers = sel.matchers.filter((m) => m.name === '__name__');
  const dataMatchers = sel.matchers.filter((m) => m.name !== '__name__');
  const dataNames = new Set(dataMatchers.map((m) => m.name));
  const requireMatch = dataMatchers.some((m) => !m.matchesEmpty);
  const infos = seriesArray(ev.evalVectorSelector(sel, false));
  const byIdentity = new Map<string, StepSeries[]>();
  for (const s of infos) {
    const key = IDENTIFYING.map((n) => s.labels.get(n)).join('\xff');
    const list = byIdentity.get(key);
    if (list) list.push(s);
    else byIdentity.set(key, [s]);
  }
  const out: StepSeries[] = [];
  const byKey = new Map<string, StepSeries>();
  const emit = (labels: Labels, base: StepSeries, i: number) => {
    const key = labelsKey(labels);
    let o = byKey.get(key);
    if (o === undefined) {
      o = emptySeries(labels, ev.steps, base.dropName);
      byKey.set(key, o);
      out.push(o);
    }
    if (o.has[i] === 1) throw execError('vector cannot contain metrics with the same labelset');
    o.has[i] = 1;
    o.vals[i] = base.vals[i];
  };
  for (const base of ev.evalVector(e.args[0]).series) {
    const isInfo = base.labels.has('__name__') &&
      matchLabels(nameMatchers, Labels.from({ __name__: base.labels.get('__name__') }));
    const key = IDENTIFYING.map((n) => base.labels.get(n)).join('\xff');
    const candidates = isInfo ? [] : byIdentity.get(key) ?? [];
    for (let i = 0; i < ev.steps; i++) {
      if (base.has[i] === 0) continue;
      if (isInfo) {
        emit(base.labels, base, i);
        continue;
      }
      let matched = false;
      const b = base.labels.builder();
      for (const info of candidates) {
        if (info.has[i] === 0) continue;
        matched = true;
        info.labels.forEach((n, v) => {
          if (n === '__name__' || IDENTIFYING.includes(n) || base.labels.has(n)) return;
          if (dataNames.size > 0 && !dataNames.has(n)) return;
          b.set(n, v);
        });
      }
      if (!matched && requireMatch) continue;
      emit(b.labels(), base, i);
    }
  }
  return { kind: 'vector', series: mergeByLabels(out) };
}
