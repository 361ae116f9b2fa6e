/**
 * Binary operators: scalar/scalar, vector/scalar and vector/vector with Prometheus's vector
 * matching (`on`/`ignoring`, `group_left`/`group_right`, `bool`, set operators).
 * @module
 */
import { Labels } from '../../../core/model/mod.ts';
import type { BinaryExpr, BinaryOp, VectorMatching } from '../parser/mod.ts';
import { execError } from './errors.ts';
import type { Evaluator } from './evaluator.ts';
import { labelsKey, signature } from './label_keys.ts';
import {
  emptySeries,
  mapSeries,
  seriesArray,
  type StepSeries,
  type Value,
  type VectorValue,
} from './values.ts';

const COMPARISON = new Set<BinaryOp>(['==', '!=', '<', '<=', '>', '>=']);

/** Whether `op` compares (filters) rather than computes. */
export function isComparison(op: BinaryOp): boolean {
  return COMPARISON.has(op);
}

/** Go's `math.Pow` where it differs from `Math.pow` (1^NaN, (-1)^±Inf). */
function pow(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** Applies an arithmetic operator. */
export function arith(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return pow(a, b);
    case 'atan2':
      return Math.atan2(a, b);
    default:
      throw execError(`operator "${op}" not allowed for float operations`);
  }
}

/** Applies a comparison operator. */
export function compare(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      throw execError(`operator "${op}" not allowed for float comparisons`);
  }
}

/** Evaluates a binary expression. */
export function evalBinary(ev: Evaluator, e: BinaryExpr): Value {
  const lhs = ev.eval(e.lhs);
  const rhs = ev.eval(e.rhs);
  const cmp = isComparison(e.op);
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    const out = new Float64Array(ev.steps);
    for (let i = 0; i < out.length; i++) {
      out[i] = cmp
        ? (compare(e.op, lhs.vals[i], rhs.vals[i]) ? 1 : 0)
        : arith(e.op, lhs.vals[i], rhs.vals[i]);
    }
    return { kind: 'scalar', vals: out };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') {
    return vectorScalar(e, lhs, rhs.vals, false);
  }
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') {
    return vectorScalar(e, rhs, lhs.vals, true);
  }
  if (lhs.kind !== 'vector' || rhs.kind !== 'vector') {
    throw execError(`binary operator "${e.op}" between ${lhs.kind} and ${rhs.kind}`);
  }
  const matching: VectorMatching = e.matching ??
    { card: 'one-to-one', on: false, labels: [], include: [], fillValues: {} };
  const l = seriesArray(lhs), r = seriesArray(rhs);
  switch (e.op) {
    case 'and':
      return setAnd(l, r, matching, false);
    case 'unless':
      return setAnd(l, r, matching, true);
    case 'or':
      return setOr(l, r, matching);
    default:
      return vectorVector(ev, e, l, r, matching);
  }
}

function vectorScalar(e: BinaryExpr, vec: VectorValue, sc: Float64Array, swap: boolean): Value {
  const cmp = isComparison(e.op);
  const drop = e.returnBool || !cmp;
  return mapSeries(vec, (s) => {
    let any = false;
    for (let i = 0; i < s.has.length; i++) {
      if (s.has[i] === 0) continue;
      const x = s.vals[i];
      const a = swap ? sc[i] : x, b = swap ? x : sc[i];
      if (!cmp) {
        s.vals[i] = arith(e.op, a, b);
      } else if (e.returnBool) {
        s.vals[i] = compare(e.op, a, b) ? 1 : 0;
      } else if (!compare(e.op, a, b)) {
        s.has[i] = 0;
        continue;
      }
      any = true;
    }
    if (!any) return undefined;
    if (drop) s.dropName = true;
    return s;
  });
}

/** Series indices grouped by matching signature, in input order. */
function groupBySignature(series: StepSeries[], m: VectorMatching): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < series.length; i++) {
    const sig = signature(series[i].labels, m.labels, m.on);
    const g = groups.get(sig);
    if (g === undefined) groups.set(sig, [i]);
    else g.push(i);
  }
  return groups;
}

function setAnd(lhs: StepSeries[], rhs: StepSeries[], m: VectorMatching, unless: boolean): Value {
  const groups = groupBySignature(rhs, m);
  const out: StepSeries[] = [];
  for (const s of lhs) {
    const g = groups.get(signature(s.labels, m.labels, m.on));
    let any = false;
    for (let i = 0; i < s.has.length; i++) {
      if (s.has[i] === 0) continue;
      let found = false;
      if (g !== undefined) {
        for (const r of g) {
          if (rhs[r].has[i] === 1) {
            found = true;
            break;
          }
        }
      }
      if (found === unless) s.has[i] = 0;
      else any = true;
    }
    if (any) out.push(s);
  }
  return { kind: 'vector', series: out };
}

function setOr(lhs: StepSeries[], rhs: StepSeries[], m: VectorMatching): Value {
  const groups = groupBySignature(lhs, m);
  const out: StepSeries[] = [...lhs];
  const byKey = new Map<string, StepSeries>();
  for (const s of lhs) byKey.set(outKey(s), s);
  for (const s of rhs) {
    const g = groups.get(signature(s.labels, m.labels, m.on));
    let any = false;
    for (let i = 0; i < s.has.length; i++) {
      if (s.has[i] === 0) continue;
      let found = false;
      if (g !== undefined) {
        for (const l of g) {
          if (lhs[l].has[i] === 1) {
            found = true;
            break;
          }
        }
      }
      if (found) s.has[i] = 0;
      else any = true;
    }
    if (!any) continue;
    // A right-hand series with the labels of a left-hand one fills the steps where the left
    // had no sample: one result series, as Prometheus merges range results by label set.
    const key = outKey(s);
    const twin = byKey.get(key);
    if (twin === undefined) {
      byKey.set(key, s);
      out.push(s);
      continue;
    }
    for (let i = 0; i < s.has.length; i++) {
      if (s.has[i] === 1 && twin.has[i] === 0) {
        twin.has[i] = 1;
        twin.vals[i] = s.vals[i];
      }
    }
  }
  return { kind: 'vector', series: out };
}

/** Identity of a result series: its labels and whether its name is still to be dropped. */
function outKey(s: StepSeries): string {
  return `${s.dropName ? 1 : 0}${labelsKey(s.labels)}`;
}

/** The labels of a result series (Prometheus's `resultMetric`). */
function resultLabels(l: Labels, r: Labels, m: VectorMatching): Labels {
  if (m.card === 'one-to-one' && m.on) {
    return l.keep(...m.labels);
  }
  const b = l.builder();
  if (m.card === 'one-to-one') b.del(...m.labels);
  for (const name of m.include) {
    const v = r.get(name);
    if (v === '') b.del(name);
    else b.set(name, v);
  }
  return b.labels();
}

function vectorVector(
  ev: Evaluator,
  e: BinaryExpr,
  lhsV: StepSeries[],
  rhsV: StepSeries[],
  m: VectorMatching,
): Value {
  const swap = m.card === 'one-to-many';
  // "many" side and "one" side.
  const many = swap ? rhsV : lhsV;
  const one = swap ? lhsV : rhsV;
  // Experimental fill modifiers: the value standing in for a missing side. As in Prometheus,
  // they follow the sides through the swap of group_right (fill_left fills the "many" side).
  const fillMany = m.fillValues.lhs;
  const fillOne = m.fillValues.rhs;
  const oneGroups = groupBySignature(one, m);
  const manyGroups = m.card === 'one-to-one' ? groupBySignature(many, m) : undefined;
  const cmp = isComparison(e.op);
  const dropName = e.returnBool || !cmp;
  const outByKey = new Map<string, StepSeries>();
  const out: StepSeries[] = [];
  const pairLabels = new Map<number, StepSeries>();
  const steps = ev.steps;
  const oneMatched = fillMany !== undefined ? new Uint8Array(one.length * steps) : undefined;

  /** The result of the operator on (many value, one value), undefined when filtered out. */
  const apply = (manyVal: number, oneVal: number): number | undefined => {
    const a = swap ? oneVal : manyVal, b = swap ? manyVal : oneVal;
    if (!cmp) return arith(e.op, a, b);
    if (e.returnBool) return compare(e.op, a, b) ? 1 : 0;
    return compare(e.op, a, b) ? a : undefined;
  };
  const outSeries = (labels: Labels, drop: boolean): StepSeries => {
    const key = labelsKey(labels);
    let os = outByKey.get(key);
    if (os === undefined) {
      os = emptySeries(labels, steps, drop);
      outByKey.set(key, os);
      out.push(os);
    }
    return os;
  };
  const put = (os: StepSeries, i: number, val: number) => {
    if (os.has[i] === 1) {
      throw execError(
        m.card === 'one-to-one'
          ? 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)'
          : 'multiple matches for labels: grouping labels must ensure unique matches',
      );
    }
    os.has[i] = 1;
    os.vals[i] = val;
  };

  for (let li = 0; li < many.length; li++) {
    ev.checkAbort();
    const ls = many[li];
    const sig = signature(ls.labels, m.labels, m.on);
    const g = oneGroups.get(sig);
    let filled: StepSeries | undefined;
    for (let i = 0; i < steps; i++) {
      if (ls.has[i] === 0) continue;
      let match = -1;
      for (const r of g ?? []) {
        if (one[r].has[i] === 0) continue;
        if (match >= 0) {
          const side = swap ? 'left' : 'right';
          throw execError(
            `found duplicate series for the match group ${
              matchGroupString(one[r].labels, m)
            } on the ${side} hand-side of the operation: [${one[match].labels}, ${
              one[r].labels
            }];many-to-many matching not allowed: matching labels must be unique on one side`,
          );
        }
        match = r;
      }
      if (match < 0) {
        if (fillOne === undefined) continue;
        const val = apply(ls.vals[i], fillOne);
        if (val === undefined) continue;
        filled ??= outSeries(resultLabels(ls.labels, Labels.EMPTY, m), dropName || ls.dropName);
        put(filled, i, val);
        continue;
      }
      if (manyGroups !== undefined) {
        for (const other of manyGroups.get(sig)!) {
          if (other !== li && many[other].has[i] === 1) {
            throw execError(
              'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
            );
          }
        }
      }
      if (oneMatched !== undefined) oneMatched[match * steps + i] = 1;
      const rs = one[match];
      const val = apply(ls.vals[i], rs.vals[i]);
      if (val === undefined) continue;
      const pk = li * one.length + match;
      let os = pairLabels.get(pk);
      if (os === undefined) {
        os = outSeries(resultLabels(ls.labels, rs.labels, m), dropName || ls.dropName);
        pairLabels.set(pk, os);
      }
      put(os, i, val);
    }
  }
  if (oneMatched !== undefined) {
    // "One" side series with no partner: a result labelled with the match group.
    for (let r = 0; r < one.length; r++) {
      const rs = one[r];
      let filled: StepSeries | undefined;
      for (let i = 0; i < steps; i++) {
        if (rs.has[i] === 0 || oneMatched[r * steps + i] === 1) continue;
        const val = apply(fillMany!, rs.vals[i]);
        if (val === undefined) continue;
        filled ??= outSeries(matchGroupLabels(rs.labels, m), true);
        put(filled, i, val);
      }
    }
  }
  return { kind: 'vector', series: out };
}

function matchGroupLabels(l: Labels, m: VectorMatching): Labels {
  return m.on ? l.keep(...m.labels) : l.without(...m.labels, '__name__');
}

function matchGroupString(l: Labels, m: VectorMatching): string {
  return matchGroupLabels(l, m).toString();
}
