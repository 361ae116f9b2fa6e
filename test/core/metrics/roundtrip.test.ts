// Writer → parser round trip: what the registry writes, the exposition parser (another
// module of this folder tree) reads back, in lenient and strict mode, in both formats.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Gauge, Histogram, Registry, Summary } from '../../../core/metrics/mod.ts';
import { writeFamilies } from '../../../core/exposition/writer.ts';
import type { ExpositionFormat } from '../../../core/exposition/types.ts';

type Parse = typeof import('../../../core/exposition/parser.ts');
let parser: Parse | undefined;
try {
  parser = await import('../../../core/exposition/parser.ts');
} catch {
  console.log('roundtrip: core/exposition/parser.ts not available, skipping');
}

function registry(): Registry {
  const r = new Registry({ defaultLabels: { env: 'test' } });
  const now = () => 1_700_000_000_000;
  const c = new Counter({
    name: 'jobs_total',
    help: 'Jobs "done"\nby queue \\ kind.',
    labelNames: ['queue'],
    registers: [r],
    now,
  });
  c.inc({ queue: 'a"b\\c\nd' }, 3);
  c.labels('x').inc(1, { trace_id: 'abc' });
  new Gauge({ name: 'my.gauge', help: 'Dotted.', labelNames: ['a.b'], registers: [r], now })
    .set({ 'a.b': 'v' }, 1e6);
  const h = new Histogram({
    name: 'lat_seconds',
    help: 'L.',
    buckets: [0.1, 1],
    registers: [r],
    now,
  });
  h.observe(0.05);
  h.labels({}).observe(0.5, { id: 'e1' });
  const s = new Summary({
    name: 'size_bytes',
    help: 'S.',
    percentiles: [0.5, 0.9],
    registers: [r],
    now,
  });
  for (let i = 1; i <= 10; i++) s.observe(i);
  return r;
}

function read(p: Parse, body: string, format: ExpositionFormat, strict: boolean) {
  const it = p.createParserFor(body, format, { strict });
  const samples = new Map<string, number>();
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  let exemplars = 0;
  for (let k = it.next(); k !== 'eof'; k = it.next()) {
    if (k === 'series') {
      if (it.exemplar()) exemplars++;
      // le/quantile spellings differ by format (`1` vs `1.0`), as in Prometheus.
      const key = it.labels().toString().replace(
        /(le|quantile)="([^"]+)"/g,
        (_, n, v) => `${n}="${v === '+Inf' ? v : Number(v)}"`,
      );
      samples.set(key, it.value);
    } else if (k === 'type') types.set(it.metaName(), it.metricType());
    else if (k === 'help') help.set(it.metaName(), it.helpText());
  }
  return { samples, types, help, exemplars };
}

describe('writer → parser round trip', { skip: parser === undefined }, () => {
  for (const strict of [false, true]) {
    test(`text and OpenMetrics read back to the same samples (strict: ${strict})`, async () => {
      const p = parser!;
      const fams = await registry().collect();
      const text = read(p, writeFamilies(fams, 'text'), 'text', strict);
      const om = read(
        p,
        writeFamilies(fams, 'openmetrics', { created: true }),
        'openmetrics',
        strict,
      );
      const omSamples = new Map([...om.samples].filter(([k]) => !k.includes('_created"')));
      assert.deepEqual([...omSamples.keys()].sort(), [...text.samples.keys()].sort());
      for (const [k, v] of text.samples) assert.equal(omSamples.get(k), v, k);
      assert.equal(text.samples.size, 2 + 1 + 5 + 4);
      assert.equal(om.exemplars, 2);
      assert.equal(text.help.get('jobs_total'), 'Jobs "done"\nby queue \\ kind.');
      assert.equal(om.help.get('jobs'), 'Jobs "done"\nby queue \\ kind.');
      assert.equal(om.types.get('jobs'), 'counter');
      assert.equal(text.types.get('my.gauge'), 'gauge');
      const key = [...text.samples.keys()].find((k) => k.includes('a\\"b'))!;
      assert.equal(text.samples.get(key), 3);
      assert.match(key, /queue="a\\"b\\\\c\\nd"/);
    });
  }
});
