import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Collector,
  Counter,
  Gauge,
  Histogram,
  Registry,
  Summary,
} from '../../../core/metrics/mod.ts';
import { OPENMETRICS_CONTENT_TYPE, TEXT_CONTENT_TYPE } from '../../../core/exposition/negotiate.ts';

function populated(): Registry {
  const r = new Registry();
  const now = () => 1_700_000_000_000;
  new Counter({
    name: 'jobs_total',
    help: 'Jobs done.',
    labelNames: ['queue'],
    registers: [r],
    now,
  }).inc({ queue: 'a"b' }, 3);
  new Gauge({ name: 'temp', help: 'Temperature.', registers: [r], now }).set(21.5);
  const h = new Histogram({
    name: 'lat_seconds',
    help: 'Latency.',
    buckets: [0.1, 1],
    registers: [r],
    now,
  });
  h.observe(0.05);
  h.observe(0.5);
  const s = new Summary({
    name: 'size_bytes',
    help: 'Sizes.',
    percentiles: [0.5],
    registers: [r],
    now,
  });
  s.observe(10);
  return r;
}

describe('Registry', () => {
  test('text output of every metric class', async () => {
    assert.equal(
      await populated().metrics(),
      '# HELP jobs_total Jobs done.\n' +
        '# TYPE jobs_total counter\n' +
        'jobs_total{queue="a\\"b"} 3\n' +
        '# HELP temp Temperature.\n' +
        '# TYPE temp gauge\n' +
        'temp 21.5\n' +
        '# HELP lat_seconds Latency.\n' +
        '# TYPE lat_seconds histogram\n' +
        'lat_seconds_bucket{le="0.1"} 1\n' +
        'lat_seconds_bucket{le="1"} 2\n' +
        'lat_seconds_bucket{le="+Inf"} 2\n' +
        'lat_seconds_sum 0.55\n' +
        'lat_seconds_count 2\n' +
        '# HELP size_bytes Sizes.\n' +
        '# TYPE size_bytes summary\n' +
        'size_bytes{quantile="0.5"} 10\n' +
        'size_bytes_sum 10\n' +
        'size_bytes_count 1\n',
    );
  });

  test('OpenMetrics output, with and without _created lines', async () => {
    const want = '# HELP jobs Jobs done.\n' +
      '# TYPE jobs counter\n' +
      'jobs_total{queue="a\\"b"} 3.0\n' +
      'jobs_created{queue="a\\"b"} 1.7e+09\n' +
      '# HELP temp Temperature.\n' +
      '# TYPE temp gauge\n' +
      'temp 21.5\n' +
      '# HELP lat_seconds Latency.\n' +
      '# TYPE lat_seconds histogram\n' +
      'lat_seconds_bucket{le="0.1"} 1\n' +
      'lat_seconds_bucket{le="1.0"} 2\n' +
      'lat_seconds_bucket{le="+Inf"} 2\n' +
      'lat_seconds_sum 0.55\n' +
      'lat_seconds_count 2\n' +
      'lat_seconds_created 1.7e+09\n' +
      '# HELP size_bytes Sizes.\n' +
      '# TYPE size_bytes summary\n' +
      'size_bytes{quantile="0.5"} 10.0\n' +
      'size_bytes_sum 10.0\n' +
      'size_bytes_count 1\n' +
      'size_bytes_created 1.7e+09\n' +
      '# EOF\n';
    const r = populated();
    assert.equal(await r.metrics('openmetrics', { created: true }), want);
    assert.equal(await r.metrics('openmetrics'), want.replace(/^.*_created[ {].*\n/gm, ''));
  });

  test('default labels are added unless a metric sets them', async () => {
    const r = new Registry({ defaultLabels: { env: 'prod', queue: 'default' } });
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['queue'], registers: [r] });
    c.inc({ queue: 'q1' });
    c.inc();
    assert.equal(
      await r.metrics(),
      '# HELP c_total h\n# TYPE c_total counter\n' +
        'c_total{queue="q1",env="prod"} 1\n' +
        'c_total{env="prod",queue="default"} 1\n',
    );
    r.setDefaultLabels({});
    assert.match(await r.metrics(), /^c_total 1$/m);
  });

  test('unregister, clear, resetMetrics, get', async () => {
    const r = new Registry();
    const c = new Counter({ name: 'a_total', help: 'h', registers: [r] });
    const g = new Gauge({ name: 'b', help: 'h', registers: [r] });
    c.inc(5);
    g.set(2);
    r.resetMetrics();
    assert.equal(c.value(), 0);
    assert.equal(g.value(), 0);
    assert.equal(r.get('a_total'), c);
    assert.equal(r.unregister('a_total'), true);
    assert.equal(r.unregister('a_total'), false);
    assert.equal(r.removeSingleMetric('b'), true);
    assert.equal(await r.metrics(), '');
    r.register(c);
    assert.equal(r.unregister(c), true);
    r.register(g);
    r.clear();
    assert.equal(r.collectors().length, 0);
    r.registerMetric(g); // may be registered again after clear
  });

  test('contentType selects the default format', async () => {
    const r = new Registry();
    new Gauge({ name: 'g', help: 'h', registers: [r] });
    assert.equal(r.contentType, TEXT_CONTENT_TYPE);
    r.contentType = OPENMETRICS_CONTENT_TYPE;
    assert.equal(r.contentType, OPENMETRICS_CONTENT_TYPE);
    assert.match(await r.metrics(), /# EOF\n$/);
    assert.throws(() => (r.contentType = 'application/json'), TypeError);
    const om = new Registry({ format: 'openmetrics' });
    assert.equal(om.contentType, OPENMETRICS_CONTENT_TYPE);
  });

  test('custom collectors, async collection, duplicate names across collectors', async () => {
    const r = new Registry();
    const custom: Collector = {
      names: ['x_info', 'y'],
      collect: async () => {
        await Promise.resolve();
        return [
          { name: 'x', type: 'info', help: 'X.', metrics: [{ labels: { v: '1' } }] },
          { name: 'y', type: 'gauge', metrics: [{ value: 2 }] },
        ];
      },
    };
    r.register(custom);
    assert.throws(() => new Gauge({ name: 'y', help: 'h', registers: [r] }), /already registered/);
    assert.equal(
      await r.metrics(),
      '# HELP x_info X.\n# TYPE x_info gauge\nx_info{v="1"} 1\n# TYPE y gauge\ny 2\n',
    );
    assert.equal((await r.collect()).length, 2);
  });

  test('merge', async () => {
    const a = new Registry(), b = new Registry();
    new Gauge({ name: 'a', help: 'h', registers: [a] });
    new Gauge({ name: 'b', help: 'h', registers: [b] });
    const m = Registry.merge([a, b]);
    assert.deepEqual((await m.collect()).map((f) => f.name), ['a', 'b']);
    new Gauge({ name: 'a', help: 'h', registers: [b] });
    assert.throws(() => Registry.merge([a, b]), /already registered/);
  });
});
