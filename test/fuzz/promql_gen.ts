/**
 * Generators of PromQL text for the property tests: well-typed expressions over a few metrics
 * (what the evaluator should run or reject cleanly) and loose token soup (what the parser must
 * reject cleanly).
 * @module
 */
import fc from 'fast-check';
import { FUNCTIONS } from '../../plugins/promql/parser/mod.ts';

/** The metrics the evaluator fuzz stores; the generator mostly selects these. */
export const METRICS = ['up', 'http_requests_total', 'latency_bucket', 'temp'];

type T = 'vector' | 'scalar' | 'matrix' | 'string';

// Mostly valid pieces, so that most well-typed expressions reach the evaluator; the rare
// invalid ones ('0s', '(' as a regex) keep the parser's error paths in the mix.
const duration = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('1s', '30s', '1m', '5m', '1h', '90s', '1m30s', '10ms') },
  fc.constant('0s'),
);
const number = fc.oneof(
  fc.constantFrom('0', '1', '-1', '0.5', '2', '1e3', 'Inf', '-Inf', 'NaN', '0x10', '1e-300'),
  fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? '0' : String(d))),
);
const labelValue = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('', 'a', 'b', '.*', 'a|b', '\\\\d+', 'api', 'x\\ny') },
  fc.constant('('),
);
const matcher = fc.tuple(
  fc.constantFrom('job', 'instance', 'le', 'code', 'nope'),
  fc.constantFrom('=', '!=', '=~', '!~'),
  labelValue,
).map(([n, op, v]) => `${n}${op}"${v}"`);
const selector = fc.tuple(
  fc.constantFrom(...METRICS, 'missing', ''),
  fc.array(matcher, { maxLength: 3 }),
).map((
  [m, ms],
) => (m === '' ? `{__name__=~"${METRICS.join('|')}",${ms.join(',')}}` : `${m}{${ms.join(',')}}`));
const modifiers = fc.tuple(
  fc.option(duration.map((d) => ` offset ${d}`), { nil: '' }),
  fc.option(fc.constantFrom(' @ 100', ' @ start()', ' @ end()', ' @ -5'), { nil: '' }),
).map(([o, a]) => a + o);
const labelList = fc.array(fc.constantFrom('job', 'instance', 'le', 'code', '__name__'), {
  maxLength: 2,
}).map((ls) => `(${ls.join(',')})`);

const AGGS_PLAIN = ['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'group'];
const AGGS_PARAM: Record<string, T> = {
  topk: 'scalar',
  bottomk: 'scalar',
  quantile: 'scalar',
  count_values: 'string',
};
const ARITH = ['+', '-', '*', '/', '%', '^', 'atan2'];
const CMP = ['==', '!=', '<', '>', '<=', '>='];
const SET = ['and', 'or', 'unless'];

const cache = new Map<string, fc.Arbitrary<string>>();

/** A well-typed expression of `type` nested at most `depth` deep. */
export function typed(type: T, depth: number): fc.Arbitrary<string> {
  const key = `${type}:${depth}`;
  let a = cache.get(key);
  if (!a) cache.set(key, a = build(type, depth));
  return a;
}

function functionCalls(type: T, depth: number): fc.Arbitrary<string>[] {
  const out: fc.Arbitrary<string>[] = [];
  for (const f of FUNCTIONS.values()) {
    // Experimental functions too: the engine fuzz enables them, the parser must reject them cleanly.
    if (f.returnType !== type) continue;
    const fixed = f.variadic === 0 ? f.argTypes : f.argTypes.slice(0, -1);
    const last = f.argTypes[f.argTypes.length - 1];
    const extra = f.variadic === 0 ? 0 : f.variadic < 0 ? 2 : f.variadic;
    out.push(
      fc.tuple(
        fc.tuple(...fixed.map((t) => typed(t, depth - 1))),
        fc.array(typed(last ?? 'scalar', depth - 1), { maxLength: extra }),
      ).map(([args, more]) => `${f.name}(${[...args, ...more].join(', ')})`),
    );
  }
  return out;
}

function build(type: T, depth: number): fc.Arbitrary<string> {
  if (type === 'string') return labelValue.map((v) => `"${v}"`);
  if (type === 'scalar') {
    if (depth <= 0) return number;
    const sub = typed('scalar', depth - 1);
    return fc.oneof(
      { weight: 4, arbitrary: number },
      fc.tuple(sub, fc.constantFrom(...ARITH, ...CMP.map((c) => `${c} bool`)), sub)
        .map(([l, op, r]) => `${l} ${op} ${r}`),
      sub.map((s) => `(${s})`),
      sub.map((s) => `-${s}`),
      ...functionCalls('scalar', depth),
    );
  }
  if (type === 'matrix') {
    const range = fc.tuple(selector, duration, modifiers).map(([s, d, m]) => `${s}[${d}]${m}`);
    if (depth <= 0) return range;
    return fc.oneof(
      { weight: 3, arbitrary: range },
      fc.tuple(typed('vector', depth - 1), duration, fc.option(duration, { nil: '' }), modifiers)
        .map(([v, r, s, m]) => `(${v})[${r}:${s}]${m}`),
    );
  }
  const leaf = fc.tuple(selector, modifiers).map(([s, m]) => s + m);
  if (depth <= 0) return leaf;
  const v = typed('vector', depth - 1);
  const s = typed('scalar', depth - 1);
  const matching = fc.oneof(
    fc.constant(''),
    fc.tuple(fc.constantFrom('on', 'ignoring'), labelList).map(([k, l]) => ` ${k}${l}`),
    fc.tuple(
      fc.constantFrom('on', 'ignoring'),
      labelList,
      fc.constantFrom('group_left', 'group_right'),
      labelList,
    )
      .map(([k, l, g, gl]) => ` ${k}${l} ${g}${gl}`),
  );
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    fc.tuple(v, fc.constantFrom(...ARITH, ...CMP, ...CMP.map((c) => `${c} bool`)), matching, v)
      .map(([l, op, m, r]) => `${l} ${op}${m} ${r}`),
    fc.tuple(v, fc.constantFrom(...SET), matching, v).map(([l, op, m, r]) => `${l} ${op}${m} ${r}`),
    fc.tuple(v, fc.constantFrom(...ARITH, ...CMP), s, fc.boolean())
      .map(([a, op, b, flip]) => (flip ? `${b} ${op} ${a}` : `${a} ${op} ${b}`)),
    fc.tuple(
      fc.constantFrom(...AGGS_PLAIN),
      fc.option(fc.tuple(fc.constantFrom('by', 'without'), labelList), { nil: undefined }),
      v,
    )
      .map(([agg, g, e]) => `${agg}${g ? ` ${g[0]} ${g[1]}` : ''} (${e})`),
    ...Object.entries(AGGS_PARAM).map(([agg, pt]) =>
      fc.tuple(typed(pt, depth - 1), v, fc.option(labelList, { nil: '' }))
        .map(([p, e, g]) => `${agg}${g ? ` by ${g}` : ''} (${p}, ${e})`)
    ),
    v.map((e) => `(${e})`),
    v.map((e) => `-${e}`),
    ...functionCalls('vector', depth),
  );
}

/** Well-typed expressions of any type. */
export const wellTyped: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: typed('vector', 3) },
  typed('scalar', 2),
  typed('matrix', 2),
  typed('string', 0),
);

/** Token soup: PromQL tokens in random order, for the parser's error paths. */
export const tokenSoup: fc.Arbitrary<string> = fc.array(
  fc.oneof(
    fc.constantFrom(
      '(',
      ')',
      '{',
      '}',
      '[',
      ']',
      ',',
      '"a"',
      "'b'",
      '`c`',
      '=~',
      '!~',
      '=',
      '!=',
      '+',
      '-',
      '*',
      '/',
      '%',
      '^',
      '==',
      '<=',
      '>',
      'and',
      'or',
      'unless',
      'by',
      'without',
      'on',
      'ignoring',
      'group_left',
      'group_right',
      'bool',
      'offset',
      '@',
      'start()',
      'end()',
      'sum',
      'topk',
      'rate',
      'label_replace',
      'histogram_quantile',
      '5m',
      '1h30m',
      ':',
      '1',
      '0x1f',
      'Inf',
      'NaN',
      'up',
      'foo_bar',
      '#c\n',
      '\n',
      ' ',
      'anchored',
      'smoothed',
      'fill',
      'step()',
      'info',
    ),
    typed('vector', 1),
  ),
  { maxLength: 14 },
).map((ts) => ts.join(' '));
