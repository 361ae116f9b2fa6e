import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { type FakeTargets, job, loopFor, read, serveTargets, text, values } from './fixtures.ts';

const BODY = `# HELP http_requests_total Requests.
# TYPE http_requests_total counter
http_requests_total{code="200"} 10
http_requests_total{code="500"} 2
temperature 21.5
`;

let srv: FakeTargets;
let body = BODY;
before(async () => {
  srv = await serveTargets({
    '/metrics': (_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(body);
    },
    '/error': (_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    },
    '/slow': (_req, res) => {
      setTimeout(() => res.end('late 1\n'), 1500);
    },
    '/gzip': (req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      if (/gzip/.test(String(req.headers['accept-encoding']))) {
        res.setHeader('content-encoding', 'gzip');
        res.end(gzipSync('zipped_metric{a="b"} 7\n'));
      } else res.end('zipped_metric{a="b"} 7\n');
    },
    '/notype': (_req, res) => res.end('m 1\n'),
    '/om': text(
      '# TYPE om_metric gauge\nom_metric 3\n# EOF\n',
      'application/openmetrics-text; version=1.0.0',
    ),
    '/clash': text('clash{job="theirs",instance="x",exported_job="old"} 1\n'),
    '/ts': text(`stamped 1 1000\nfuture 1 ${Date.now() + 3_600_000}\nfresh 1\n`),
    '/auth': (req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(`auth_ok ${req.headers.authorization === 'Basic dTpw' ? 1 : 0}\n`);
    },
    '/big': text('big_metric{l="' + 'x'.repeat(2000) + '"} 1\n'),
  });
});
after(() => srv.close());

const T0 = Date.now() - 600_000;

function cfgFor(path: string, extra = '') {
  return job(`
scrape_configs:
  - job_name: test
    scrape_interval: 15s
    scrape_timeout: 1s
    metrics_path: ${path}
${extra.split('\n').map((l) => '    ' + l).join('\n')}
`);
}

describe('scrape loop', () => {
  test('a healthy target: samples with target labels, report series, up=1', async () => {
    body = BODY;
    const storage = new MemoryStorage();
    const loop = loopFor(cfgFor('/metrics'), srv.address, storage);
    await loop.scrapeOnce(T0);
    const reqs = srv.requests.filter((r) => r.url === '/metrics');
    const req = reqs[reqs.length - 1];
    assert.match(String(req.headers.accept), /^application\/openmetrics-text;version=1\.0\.0/);
    assert.equal(req.headers['accept-encoding'], 'gzip');
    assert.equal(req.headers['x-prometheus-scrape-timeout-seconds'], '1');
    const reqs2 = await read(storage, 'http_requests_total');
    assert.deepEqual(reqs2.map((s) => s.labels), [
      { __name__: 'http_requests_total', code: '200', instance: srv.address, job: 'test' },
      { __name__: 'http_requests_total', code: '500', instance: srv.address, job: 'test' },
    ]);
    assert.deepEqual(reqs2[0].samples, [[T0, 10]]);
    assert.deepEqual(await values(storage, 'up'), [1]);
    assert.deepEqual(await values(storage, 'scrape_samples_scraped'), [3]);
    assert.deepEqual(await values(storage, 'scrape_samples_post_metric_relabeling'), [3]);
    assert.deepEqual(await values(storage, 'scrape_series_added'), [3]);
    const dur = await values(storage, 'scrape_duration_seconds');
    assert.ok(typeof dur[0] === 'number' && dur[0] >= 0);
    assert.equal(loop.target.health, 'up');
    assert.equal(loop.target.lastError, '');
    // A second scrape adds no series, and hits the cache.
    await loop.scrapeOnce(T0 + 15_000);
    assert.deepEqual(await values(storage, 'scrape_series_added'), [3, 0]);
    assert.equal(loop.cache.size, 3);
    assert.deepEqual(loop.cache.getMetadata('http_requests_total'), {
      metric: 'http_requests_total',
      type: 'counter',
      help: 'Requests.',
      unit: '',
    });
  });

  test('series that disappear get a stale marker; a failed scrape stales everything', async () => {
    body = BODY;
    const storage = new MemoryStorage();
    const cfg = cfgFor('/metrics');
    const loop = loopFor(cfg, srv.address, storage);
    await loop.scrapeOnce(T0);
    body = 'temperature 22\n';
    await loop.scrapeOnce(T0 + 15_000);
    const reqs = await read(storage, 'http_requests_total');
    for (const s of reqs) {
      assert.deepEqual(s.samples.map(([t, v]) => [t - T0, v]), [[
        0,
        s.labels.code === '200' ? 10 : 2,
      ], [15_000, 'stale']]);
    }
    assert.deepEqual(await values(storage, 'temperature'), [21.5, 22]);
    body = 'not an exposition {{{\n';
    await loop.scrapeOnce(T0 + 30_000);
    assert.deepEqual(await values(storage, 'temperature'), [21.5, 22, 'stale']);
    assert.deepEqual(await values(storage, 'up'), [1, 1, 0]);
    assert.equal(loop.target.health, 'down');
    assert.notEqual(loop.target.lastError, '');
    // The target recovers: the series come back.
    body = 'temperature 23\n';
    await loop.scrapeOnce(T0 + 45_000);
    assert.deepEqual(await values(storage, 'temperature'), [21.5, 22, 'stale', 23]);
  });

  test('broken targets give up=0 with the reason', async () => {
    const storage = new MemoryStorage();
    const l500 = loopFor(cfgFor('/error'), srv.address, storage);
    await l500.scrapeOnce(T0);
    assert.equal(l500.target.lastError, 'server returned HTTP status 500 Internal Server Error');
    const slow = loopFor(cfgFor('/slow'), srv.address, storage);
    await slow.scrapeOnce(T0);
    assert.match(slow.target.lastError, /context deadline exceeded/);
    const refused = loopFor(cfgFor('/metrics'), '127.0.0.1:1', storage);
    await refused.scrapeOnce(T0);
    assert.equal(refused.target.health, 'down');
    assert.match(refused.target.lastError, /^Get "http:\/\/127\.0\.0\.1:1\/metrics": /);
    for (const s of await read(storage, 'up')) assert.deepEqual(s.samples, [[T0, 0]]);
  });

  test('gzip bodies are decompressed', async () => {
    const storage = new MemoryStorage();
    await loopFor(cfgFor('/gzip'), srv.address, storage).scrapeOnce(T0);
    assert.deepEqual(await values(storage, 'zipped_metric'), [7]);
  });

  test('OpenMetrics is parsed by content type', async () => {
    const storage = new MemoryStorage();
    await loopFor(cfgFor('/om'), srv.address, storage).scrapeOnce(T0);
    assert.deepEqual(await values(storage, 'om_metric'), [3]);
  });

  test('a missing Content-Type fails unless fallback_scrape_protocol is set', async () => {
    const storage = new MemoryStorage();
    const l = loopFor(cfgFor('/notype'), srv.address, storage);
    await l.scrapeOnce(T0);
    assert.equal(
      l.target.lastError,
      'non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target',
    );
    const storage2 = new MemoryStorage();
    const ok = loopFor(
      cfgFor('/notype', 'fallback_scrape_protocol: PrometheusText0.0.4'),
      srv.address,
      storage2,
    );
    await ok.scrapeOnce(T0);
    assert.deepEqual(await values(storage2, 'm'), [1]);
  });

  test('limits fail the scrape with Prometheus reasons', async () => {
    body = BODY;
    const cases: [string, string, string | RegExp][] = [
      ['/metrics', 'sample_limit: 2', 'sample limit exceeded'],
      [
        '/metrics',
        'label_limit: 2',
        'label_limit exceeded (metric: http_requests_total, number of labels: 4, limit: 2)',
      ],
      [
        '/metrics',
        'label_name_length_limit: 4',
        'label_name_length_limit exceeded (metric: http_requests_total, label name: __name__, length: 8, limit: 4)',
      ],
      [
        '/big',
        'label_value_length_limit: 100',
        /^label_value_length_limit exceeded \(metric: big_metric, label name: l, value: "x{50}", length: 2000, limit: 100\)$/,
      ],
      ['/big', 'body_size_limit: 1KB', 'body size limit exceeded'],
    ];
    for (const [path, limit, reason] of cases) {
      const storage = new MemoryStorage();
      const l = loopFor(cfgFor(path, limit), srv.address, storage);
      await l.scrapeOnce(T0);
      if (typeof reason === 'string') assert.equal(l.target.lastError, reason, limit);
      else assert.match(l.target.lastError, reason, limit);
      assert.deepEqual(await values(storage, 'up'), [0], limit);
      const stored = (await read(storage)).map((s) => s.labels.__name__).filter((n) =>
        !n.startsWith('scrape_') && n !== 'up'
      );
      assert.deepEqual(stored, [], `${limit}: no scraped sample is kept`);
    }
    // sample_limit still reports what was scraped.
    const storage = new MemoryStorage();
    await loopFor(cfgFor('/metrics', 'sample_limit: 2'), srv.address, storage).scrapeOnce(T0);
    assert.deepEqual(await values(storage, 'scrape_samples_scraped'), [3]);
  });

  test('body_size_limit reports scrape_body_size_bytes -1 with extra metrics', async () => {
    const storage = new MemoryStorage();
    await loopFor(
      cfgFor('/big', 'body_size_limit: 1KB\nextra_scrape_metrics: true'),
      srv.address,
      storage,
    )
      .scrapeOnce(T0);
    assert.deepEqual(await values(storage, 'scrape_body_size_bytes'), [-1]);
    assert.deepEqual(await values(storage, 'scrape_timeout_seconds'), [1]);
    assert.deepEqual(await values(storage, 'scrape_sample_limit'), [0]);
  });

  test('honor_labels false renames clashing labels to exported_*', async () => {
    const storage = new MemoryStorage();
    await loopFor(cfgFor('/clash'), srv.address, storage).scrapeOnce(T0);
    const [s] = await read(storage, 'clash');
    assert.deepEqual(s.labels, {
      __name__: 'clash',
      // exported_job is taken by the scraped label, so the clash moves one prefix further.
      exported_exported_job: 'theirs',
      exported_instance: 'x',
      exported_job: 'old',
      instance: srv.address,
      job: 'test',
    });
  });

  test('honor_labels true keeps the scraped values', async () => {
    const storage = new MemoryStorage();
    await loopFor(cfgFor('/clash', 'honor_labels: true'), srv.address, storage).scrapeOnce(T0);
    const [s] = await read(storage, 'clash');
    assert.deepEqual(s.labels, {
      __name__: 'clash',
      exported_job: 'old',
      instance: 'x',
      job: 'theirs',
    });
  });

  test('timestamps: honoured, ignored with honor_timestamps false, far future rejected', async () => {
    const storage = new MemoryStorage();
    await loopFor(cfgFor('/ts'), srv.address, storage).scrapeOnce(T0);
    assert.deepEqual((await read(storage, 'stamped'))[0].samples, [[1000, 1]]);
    assert.deepEqual(await read(storage, 'future'), []);
    assert.deepEqual((await read(storage, 'fresh'))[0].samples, [[T0, 1]]);
    const s2 = new MemoryStorage();
    await loopFor(cfgFor('/ts', 'honor_timestamps: false'), srv.address, s2).scrapeOnce(T0);
    assert.deepEqual((await read(s2, 'stamped'))[0].samples, [[T0, 1]]);
    assert.deepEqual((await read(s2, 'future'))[0].samples, [[T0, 1]]);
  });

  test('metric_relabel_configs drop series and are counted after relabelling', async () => {
    body = BODY;
    const storage = new MemoryStorage();
    const cfg = cfgFor(
      '/metrics',
      `metric_relabel_configs:
  - source_labels: [code]
    regex: '5..'
    action: drop`,
    );
    const l = loopFor(cfg, srv.address, storage);
    await l.scrapeOnce(T0);
    await l.scrapeOnce(T0 + 15_000);
    assert.equal((await read(storage, 'http_requests_total')).length, 1);
    assert.deepEqual(await values(storage, 'scrape_samples_scraped'), [3, 3]);
    assert.deepEqual(await values(storage, 'scrape_samples_post_metric_relabeling'), [2, 2]);
  });

  test('basic auth is sent', async () => {
    const storage = new MemoryStorage();
    await loopFor(cfgFor('/auth', 'basic_auth: { username: u, password: p }'), srv.address, storage)
      .scrapeOnce(T0);
    assert.deepEqual(await values(storage, 'auth_ok'), [1]);
  });

  test('a stopped loop writes stale markers for all its series later', async () => {
    body = 'temperature 1\n';
    const storage = new MemoryStorage();
    const cfg = job(`
scrape_configs:
  - job_name: test
    scrape_interval: 100ms
    scrape_timeout: 100ms
`);
    const l = loopFor(cfg, srv.address, storage);
    l.start(true);
    const deadline = Date.now() + 5000;
    while ((await read(storage, 'temperature')).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const { staleness } = await l.stop(true);
    await staleness;
    const t = await values(storage, 'temperature');
    assert.equal(t[t.length - 1], 'stale');
    const up = await values(storage, 'up');
    assert.equal(up[up.length - 1], 'stale');
  });

  test('a stop on shutdown writes nothing more', async () => {
    body = 'temperature 1\n';
    const storage = new MemoryStorage();
    const ctl = new AbortController();
    const l = loopFor(cfgFor('/metrics'), srv.address, storage, ctl.signal);
    await l.scrapeOnce(T0);
    ctl.abort();
    const { staleness } = await l.stop(true);
    await staleness;
    assert.deepEqual(await values(storage, 'temperature'), [1]);
  });
});
