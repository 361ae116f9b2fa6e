import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import {
  Counter,
  Gauge,
  Histogram,
  httpMetrics,
  metricsHandler,
  Registry,
} from '../../../core/metrics/mod.ts';

describe('httpMetrics middleware', () => {
  function app(registry: Registry) {
    let t = 0;
    const a = new Hono();
    a.use(httpMetrics({ registry, now: () => (t += 50) }));
    a.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`));
    a.post('/items', (c) => c.json({ ok: true }, 201));
    a.get('/boom', () => {
      throw new Error('boom');
    });
    a.onError((_e, c) => c.text('failed', 500));
    return a;
  }

  test('counts by route pattern, code and method; times by route pattern', async () => {
    const registry = new Registry();
    const a = app(registry);
    assert.equal((await a.request('/users/1')).status, 200);
    assert.equal((await a.request('/users/2')).status, 200);
    assert.equal((await a.request('/items', { method: 'POST' })).status, 201);
    assert.equal((await a.request('/boom')).status, 500);
    assert.equal((await a.request('/nowhere')).status, 404);

    const requests = registry.get('beacon_http_requests_total') as Counter;
    assert.equal(requests.value({ handler: '/users/:id', code: '200', method: 'GET' }), 2);
    assert.equal(requests.value({ handler: '/items', code: '201', method: 'POST' }), 1);
    assert.equal(requests.value({ handler: '/boom', code: '500', method: 'GET' }), 1);
    const labels = requests.snapshot().metrics.map((m) => m.labels as Record<string, string>);
    assert.ok(labels.every((l) => !l.handler.includes('/users/1')), 'raw paths never appear');
    assert.ok(labels.some((l) => l.code === '404'));

    const duration = registry.get('beacon_http_request_duration_seconds') as Histogram;
    const users = duration.snapshot().metrics.find(
      (m) => (m.labels as Record<string, string>).handler === '/users/:id',
    )!;
    assert.equal(users.count, 2);
    assert.equal(users.sum, 0.1); // 50 ms per request from the injected clock
  });

  test('a second middleware on the same registry reuses the metrics; prefix option', async () => {
    const registry = new Registry();
    app(registry);
    const a2 = app(registry);
    await a2.request('/users/3');
    assert.equal(
      (registry.get('beacon_http_requests_total') as Counter).snapshot().metrics.length,
      1,
    );

    const other = new Registry();
    const b = new Hono();
    b.use(httpMetrics({ registry: other, prefix: 'x_' }));
    b.get('/', (c) => c.text('ok'));
    await b.request('/');
    assert.match(
      await other.metrics(),
      /^x_http_requests_total\{handler="\/",code="200",method="GET"\} 1$/m,
    );
  });

  test('a clashing metric of another type is an error', () => {
    const registry = new Registry();
    new Histogram({ name: 'beacon_http_requests_total', help: 'h', registers: [registry] });
    assert.throws(() => httpMetrics({ registry }), /another type/);
  });

  test('metricsHandler negotiates the format', async () => {
    const registry = new Registry();
    new Gauge({ name: 'g', help: 'h', registers: [registry] }).set(1);
    const a = new Hono();
    a.get('/metrics', metricsHandler(registry));
    const text = await a.request('/metrics');
    assert.equal(text.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(await text.text(), '# HELP g h\n# TYPE g gauge\ng 1\n');
    const om = await a.request('/metrics', {
      headers: { Accept: 'application/openmetrics-text;version=1.0.0' },
    });
    assert.equal(
      om.headers.get('content-type'),
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    assert.equal(await om.text(), '# HELP g h\n# TYPE g gauge\ng 1.0\n# EOF\n');
  });
});
