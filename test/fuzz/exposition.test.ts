/** Property tests of the exposition parsers: any input ends in 'eof' or a `ParseError`. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkMetrics, createParser, ParseError } from '../../core/exposition/mod.ts';
import { mutatedText, onlyThrows, params } from './fuzz_helpers.ts';

const OM = 'application/openmetrics-text; version=1.0.0';
const TEXT = 'text/plain; version=0.0.4';

/** Drains a parser, touching every accessor that applies, as a scrape or `check` would. */
function drain(body: string | Uint8Array, contentType: string, strict: boolean): void {
  const p = createParser(body, contentType, { strict });
  for (let kind = p.next(), n = 0; kind !== 'eof'; kind = p.next(), n++) {
    assert.ok(n <= (typeof body === 'string' ? body.length : body.length) + 1, 'too many entries');
    if (kind === 'series') {
      p.seriesText();
      p.seriesKey();
      p.metricName();
      p.labels();
      p.exemplar();
      assert.equal(typeof p.value, 'number');
    } else if (kind === 'help') {
      p.metaName();
      p.helpText();
    } else if (kind === 'type') {
      p.metaName();
      p.metricType();
    } else if (kind === 'unit') {
      p.metaName();
      p.unitText();
    } else if (kind === 'comment') p.commentText();
  }
}

function clean(body: string | Uint8Array): void {
  for (const ct of [TEXT, OM]) {
    for (const strict of [false, true]) {
      const e = onlyThrows(() => drain(body, ct, strict), ParseError) as ParseError | undefined;
      if (e) assert.ok(Number.isInteger(e.line) && e.line >= 1, `line ${e.line}: ${e.message}`);
    }
  }
  const r = checkMetrics(body);
  for (const p of [...r.errors, ...r.warnings]) assert.ok(p.line >= 1, `check line ${p.line}`);
  checkMetrics(body, OM);
}

const name = fc.oneof(
  fc.constantFrom(
    'up',
    'a',
    'http_requests_total',
    'foo_bucket',
    'foo_sum',
    'foo_count',
    'x_created',
  ),
  fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,8}$/),
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
);
const labelValue = fc.oneof(
  fc.constantFrom('', 'x', '+Inf', '0.5', '1', 'a\\nb', 'q\\"', '\\\\'),
  fc.string({ maxLength: 6 }),
);
const labelName = fc.oneof(
  fc.constantFrom('le', 'quantile', 'job', '__name__', 'a'),
  fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,5}$/),
  fc.string({ maxLength: 4 }).map((s) => JSON.stringify(s)),
);
const labels = fc.array(fc.tuple(labelName, labelValue), { maxLength: 4 }).map((ls) =>
  ls.length ? `{${ls.map(([n, v]) => `${n}="${v}"`).join(',')}}` : ''
);
const number = fc.oneof(
  fc.constantFrom('0', '1', '-1', '+Inf', '-Inf', 'NaN', '1e3', '0x1p3', '1_000', '.5', '-0', ''),
  fc.double().map(String),
  fc.integer().map(String),
);
const ts = fc.oneof(
  fc.constant(''),
  fc.constantFrom(' 1', ' -1', ' 1.5', ' 1e20', ' 9999999999999999999', ' abc'),
  fc.integer().map((n) => ` ${n}`),
);
const exemplar = fc.oneof(
  fc.constant(''),
  fc.tuple(labels, number, ts).map(([l, v, t]) => ` # ${l || '{}'} ${v}${t}`),
);
const sampleLine = fc.tuple(name, labels, number, ts, exemplar).map(([n, l, v, t, e]) =>
  `${n}${l} ${v}${t}${e}`
);
const typeName = fc.constantFrom(
  'counter',
  'gauge',
  'histogram',
  'gaugehistogram',
  'summary',
  'info',
  'stateset',
  'unknown',
  'untyped',
  'bogus',
);
const metaLine = fc.oneof(
  fc.tuple(name, typeName).map(([n, t]) => `# TYPE ${n} ${t}`),
  fc.tuple(name, fc.string({ maxLength: 8 })).map(([n, h]) => `# HELP ${n} ${h}`),
  fc.tuple(name, fc.constantFrom('seconds', 'bytes', '')).map(([n, u]) => `# UNIT ${n} ${u}`),
  fc.string({ maxLength: 8 }).map((c) => `#${c}`),
  fc.constantFrom('# EOF', '', ' ', '\t'),
);
const exposition = fc.tuple(
  fc.array(fc.oneof({ weight: 3, arbitrary: sampleLine }, { weight: 2, arbitrary: metaLine }), {
    maxLength: 12,
  }),
  fc.constantFrom('\n', '\n# EOF\n', '# EOF', '', '\r\n'),
).map(([lines, end]) => lines.join('\n') + end);

const VALID = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{method="get",code="200"} 1027 1395066363000
http_requests_total{method="post",code="400"} 3 1395066363000
# TYPE rpc_duration_seconds histogram
rpc_duration_seconds_bucket{le="0.05"} 24054
rpc_duration_seconds_bucket{le="+Inf"} 144320 # {trace_id="abc"} 0.04 1.5
rpc_duration_seconds_sum 53423
rpc_duration_seconds_count 144320
# TYPE q summary
q{quantile="0.5"} 4773
q_sum 1.7560473e+07
q_count 2693
# EOF
`;

describe('exposition parser (fuzz)', () => {
  test('arbitrary strings end in eof or a ParseError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), clean), params(2));
  });

  test('arbitrary bytes end in eof or a ParseError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), clean), params(2));
  });

  test('near-valid expositions end in eof or a ParseError', () => {
    fc.assert(fc.property(exposition, clean), params());
  });

  test('mutated valid expositions end in eof or a ParseError', () => {
    const chunk = fc.oneof(
      fc.constantFrom(
        '{',
        '}',
        '"',
        '\\',
        '\n',
        ' ',
        '#',
        ',',
        '=',
        'le',
        'Inf',
        '# EOF\n',
        '_total',
      ),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(fc.property(mutatedText(VALID, chunk), clean), params());
  });
});
