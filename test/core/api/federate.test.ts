import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { federateHandler, federateRoutes } from '../../../core/api/federate.ts';
import { createParser } from '../../../core/exposition/mod.ts';
import { Labels, type Matcher } from '../../../core/model/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { parseExpr } from '../../../plugins/promql/parser/mod.ts';

const NOW = 1_000_000_000;

function parseMatchers(s: string): Matcher[] {
  const e = parseExpr(s);
  if (e.type !== 'VectorSelector') throw new Error('not a vector selector');
  return [...e.matchers];
}

type Row = [Record<string, string>, number, number | 'stale'];

async function storageWith(rows: Row[]): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  const app = storage.appender();
  for (const [labels, t, v] of rows) {
    if (v === 'stale') app.appendStale(0, Labels.from(labels), t);
    else app.append(0, Labels.from(labels), t, v);
  }
  await app.commit();
  return storage;
}

function federation(storage: MemoryStorage, external: Record<string, string> = {}) {
  return federateRoutes({ storage, parseMatchers, externalLabels: () => external, now: () => NOW });
}

function query(...selectors: string[]): string {
  return '/federate?' + selectors.map((s) => 'match[]=' + encodeURIComponent(s)).join('&');
}

const DATA: Row[] = [
  [{ __name__: 'up', job: 'node', instance: 'b:9100' }, NOW - 30_000, 0],
  [{ __name__: 'up', job: 'node', instance: 'b:9100' }, NOW - 15_000, 1],
  [{ __name__: 'up', job: 'node', instance: 'a:9100' }, NOW - 10_000, 1],
  [{ __name__: 'job:rate5m', job: 'api' }, NOW - 5_000, 2.5],
  [{ __name__: 'up', job: 'gone', instance: 'c:9100' }, NOW - 20_000, 1],
  [{ __name__: 'up', job: 'gone', instance: 'c:9100' }, NOW - 10_000, 'stale'],
  [{ __name__: 'up', job: 'old', instance: 'd:9100' }, NOW - 300_001, 1],
  [{ __name__: 'future', job: 'x' }, NOW + 1_000, 7],
];

describe('GET /federate', () => {
  test('text format: newest sample per series, sorted by name then labels, untyped', async () => {
    const app = federation(await storageWith(DATA));
    const res = await app.request(query('up', 'job:rate5m', 'future'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(
      await res.text(),
      [
        '# TYPE job:rate5m untyped',
        `job:rate5m{job="api",instance=""} 2.5 ${NOW - 5_000}`,
        '# TYPE up untyped',
        `up{instance="a:9100",job="node"} 1 ${NOW - 10_000}`,
        `up{instance="b:9100",job="node"} 1 ${NOW - 15_000}`,
        '',
      ].join('\n'),
    );
  });

  test('stale series and samples older than the lookback are left out', async () => {
    const app = federation(await storageWith(DATA));
    const body = await (await app.request(query('{job=~"gone|old"}'))).text();
    assert.equal(body, '');
    // A longer lookback reaches the old sample; the stale series stays out.
    const wide = federateRoutes({
      storage: await storageWith(DATA),
      parseMatchers,
      externalLabels: () => ({}),
      lookbackDeltaMs: 600_000,
      now: () => NOW,
    });
    assert.equal(
      await (await wide.request(query('{job=~"gone|old"}'))).text(),
      `# TYPE up untyped\nup{instance="d:9100",job="old"} 1 ${NOW - 300_001}\n`,
    );
  });

  test('an older sample is served when a newer one is past now', async () => {
    const storage = await storageWith([
      [{ __name__: 'm' }, NOW - 1_000, 1],
      [{ __name__: 'm' }, NOW + 1_000, 2],
    ]);
    const body = await (await federation(storage).request(query('m'))).text();
    assert.equal(body, `# TYPE m untyped\nm{instance=""} 1 ${NOW - 1_000}\n`);
  });

  test('OpenMetrics when asked for, ending in # EOF', async () => {
    const app = federation(await storageWith(DATA));
    const res = await app.request(query('up{job="node"}'), {
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' },
    });
    assert.equal(
      res.headers.get('content-type'),
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    assert.equal(
      await res.text(),
      [
        '# TYPE up unknown',
        'up{instance="a:9100",job="node"} 1.0 999990.0',
        'up{instance="b:9100",job="node"} 1.0 999985.0',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  test("external labels are appended where missing; the series' own value wins", async () => {
    const storage = await storageWith([
      [{ __name__: 'm', region: 'own' }, NOW, 1],
      [{ __name__: 'm', zone: 'z1' }, NOW, 2],
    ]);
    const app = federation(storage, { region: 'eu', cluster: 'c1' });
    assert.equal(
      await (await app.request(query('m'))).text(),
      [
        '# TYPE m untyped',
        `m{region="own",cluster="c1",instance=""} 1 ${NOW}`,
        `m{zone="z1",cluster="c1",instance="",region="eu"} 2 ${NOW}`,
        '',
      ].join('\n'),
    );
    // An external `instance` replaces the empty one.
    const withInstance = federation(storage, { instance: 'fed-1' });
    assert.match(
      await (await withInstance.request(query('m'))).text(),
      /m\{zone="z1",instance="fed-1"\} 2/,
    );
  });

  test('overlapping match[] select each series once', async () => {
    const app = federation(await storageWith(DATA));
    const body = await (await app.request(query('up{job="node"}', 'up', '{instance="a:9100"}')))
      .text();
    assert.equal(body.match(/instance="a:9100"/g)?.length, 1);
    assert.equal(body.match(/instance="b:9100"/g)?.length, 1);
    assert.equal(body.match(/# TYPE/g)?.length, 1);
  });

  test('missing or invalid match[] is a 400 with the reason', async () => {
    const app = federation(await storageWith(DATA));
    const none = await app.request('/federate');
    assert.equal(none.status, 400);
    assert.match(await none.text(), /no match\[\] parameter provided/);
    for (const bad of ['up{', 'rate(up[5m])']) {
      const res = await app.request(query('up', bad));
      assert.equal(res.status, 400, bad);
      assert.match(await res.text(), /invalid match\[\]/);
    }
  });

  test('the bare handler ignores the path (for a prefix-stripping mount) and wants GET', async () => {
    const handle = federateHandler({
      storage: await storageWith(DATA),
      parseMatchers,
      externalLabels: () => ({}),
      now: () => NOW,
    });
    const res = await handle(new Request('http://x/?match[]=job:rate5m'));
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^# TYPE job:rate5m untyped\n/);
    const post = await handle(new Request('http://x/?match[]=up', { method: 'POST' }));
    assert.equal(post.status, 405);
    await post.body?.cancel();
  });

  test('round trip: both formats parse back to the stored values and timestamps', async () => {
    const rows: Row[] = [
      [{ __name__: 'a_metric', path: '/x"y\\z' }, NOW - 1, -0.125],
      [{ __name__: 'a_metric', path: 'line\nbreak' }, NOW - 2, 1e21],
      [{ __name__: 'b.dotted', 'le.x': 'v' }, NOW - 3, Infinity],
      [{ __name__: 'c', job: 'j' }, NOW - 4, 42],
    ];
    const app = federation(await storageWith(rows), { dc: 'd1' });
    // Label sets drop empty values, so the appended `instance=""` does not show here.
    const expected = new Map(
      rows.map(([l, t, v]) => [Labels.from({ ...l, dc: 'd1' }).toString(), [t, v]]),
    );
    for (
      const accept of ['text/plain;version=0.0.4', 'application/openmetrics-text;version=1.0.0']
    ) {
      const res = await app.request(query('{__name__=~".+"}'), { headers: { accept } });
      const bytes = new Uint8Array(await res.arrayBuffer());
      const p = createParser(bytes, res.headers.get('content-type'), { strict: true });
      const got = new Map<string, [number, number]>();
      for (let k = p.next(); k !== 'eof'; k = p.next()) {
        if (k === 'series') got.set(p.labels().toString(), [p.timestamp ?? NaN, p.value]);
      }
      assert.deepEqual(got, expected, accept);
    }
  });
});
