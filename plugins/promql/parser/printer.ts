/**
 * Prints a PromQL tree in Prometheus's canonical single-line form (`Expr.String()`), which is
 * what `/api/v1/format_query` returns for queries that fit on one line.
 * @module
 */
import { goQuote, isLegacyLabelName } from '../../../core/model/mod.ts';
import type { AtModifier, BinaryExpr, DurationNode, Expr } from './ast.ts';
import { formatDuration, formatFloat, formatFloatV } from './literals.ts';

const PARAM_AGGREGATORS = new Set([
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]); // deno-fmt-ignore

/** The canonical text of an expression, e.g. `sum by (job) (rate(x{a="b"}[5m]))`. */
export function formatExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      if (!e.duration) return formatFloat(e.val);
      return e.val < 0 ? `-${formatDuration(-e.val * 1000)}` : formatDuration(e.val * 1000);
    case 'StringLiteral':
      return goQuote(e.val);
    case 'ParenExpr':
      return `(${formatExpr(e.expr)})`;
    case 'UnaryExpr':
      return e.op + formatExpr(e.expr);
    case 'Call':
      return `${e.func.name}(${e.args.map(formatExpr).join(', ')})`;
    case 'AggregateExpr': {
      let s: string = e.op;
      if (e.without) s += ` without (${labelList(e.grouping)}) `;
      else if (e.grouping.length > 0) s += ` by (${labelList(e.grouping)}) `;
      const param = PARAM_AGGREGATORS.has(e.op) && e.param ? formatExpr(e.param) + ', ' : '';
      return `${s}(${param}${formatExpr(e.expr)})`;
    }
    case 'BinaryExpr':
      return `${formatExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${matchingText(e)} ${
        formatExpr(e.rhs)
      }`;
    case 'VectorSelector': {
      const inner = e.matchers
        .filter((m) => !(m.name === '__name__' && m.type === '=' && m.value === e.name && e.name))
        .map((m) => m.toString())
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      let s = e.name + (inner.length > 0 ? `{${inner.join(',')}}` : '');
      s += atText(e.at);
      if (e.anchored) s += ' anchored';
      else if (e.smoothed) s += ' smoothed';
      return s + offsetText(e.offset, e.offsetExpr);
    }
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      const bare = formatExpr({
        ...vs,
        offset: 0,
        offsetExpr: undefined,
        at: undefined,
        anchored: false,
        smoothed: false,
      });
      const ext = vs.anchored ? ' anchored' : vs.smoothed ? ' smoothed' : '';
      const r = e.rangeExpr ? formatExpr(e.rangeExpr) : formatDuration(e.range);
      return `${bare}[${r}]${ext}${atText(vs.at)}${offsetText(vs.offset, vs.offsetExpr)}`;
    }
    case 'SubqueryExpr': {
      const r = e.rangeExpr ? formatExpr(e.rangeExpr) : formatDuration(e.range);
      const step = e.step !== 0
        ? formatDuration(e.step)
        : e.stepExpr
        ? formatExpr(e.stepExpr)
        : '';
      return `${formatExpr(e.expr)}[${r}:${step}]${atText(e.at)}${
        offsetText(e.offset, e.offsetExpr)
      }`;
    }
    case 'DurationExpr':
      return durationText(e);
  }
}

function durationText(e: DurationNode): string {
  if (e.type === 'NumberLiteral') return formatExpr(e);
  let s: string;
  if (e.op === 'step' || e.op === 'range') s = `${e.op}()`;
  else if (e.op === 'min_of' || e.op === 'max_of') {
    s = `${e.op}(${durationText(e.lhs!)}, ${durationText(e.rhs!)})`;
  } else if (!e.lhs) s = (e.op === '-' ? '-' : '') + durationText(e.rhs!);
  else s = `${durationText(e.lhs)} ${e.op} ${durationText(e.rhs!)}`;
  return e.wrapped ? `(${s})` : s;
}

function labelList(names: readonly string[]): string {
  return names.map((n) => (isLegacyLabelName(n) ? n : goQuote(n))).join(', ');
}

function atText(at: AtModifier): string {
  if (at === undefined) return '';
  if (at === 'start' || at === 'end') return ` @ ${at}()`;
  return ` @ ${(at / 1000).toFixed(3)}`;
}

function offsetText(ms: number, expr: DurationNode | undefined): string {
  if (expr) return ` offset ${durationText(expr)}`;
  if (ms > 0) return ` offset ${formatDuration(ms)}`;
  if (ms < 0) return ` offset -${formatDuration(-ms)}`;
  return '';
}

function matchingText(e: BinaryExpr): string {
  const m = e.matching;
  if (!m) return '';
  let s = '';
  const grouped = m.card === 'many-to-one' || m.card === 'one-to-many';
  if (m.labels.length > 0 || m.on || grouped) {
    s += ` ${m.on ? 'on' : 'ignoring'} (${labelList(m.labels)})`;
  }
  if (grouped) {
    s += ` group_${m.card === 'many-to-one' ? 'left' : 'right'} (${labelList(m.include)})`;
  }
  const { lhs, rhs } = m.fillValues;
  if (lhs !== undefined && rhs !== undefined && lhs === rhs) {
    s += ` fill (${formatFloatV(lhs)})`;
  } else {
    if (lhs !== undefined) s += ` fill_left (${formatFloatV(lhs)})`;
    if (rhs !== undefined) s += ` fill_right (${formatFloatV(rhs)})`;
  }
  return s;
}
