import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { parseConfig } from '../../../../core/config/mod.ts';
import { nopLogger } from '../../../../core/log/logger.ts';
import { Registry } from '../../../../core/metrics/mod.ts';
import { Labels, Matcher } from '../../../../core/model/mod.ts';
import { RemoteReadManager, START_TIME_MARGIN_MS } from '../../../../core/remote/read/mod.ts';
import { FanoutStorage, type SeriesSet } from '../../../../core/storage/mod.ts';
import { MemoryStorage } from '../../../../plugins/storage/memory/mod.ts';
import { Engine } from '../../../../plugins/promql/engine/mod.ts';
import { promqlApi } from '../../../../plugins/promql/api/mod.ts';
import { type FakeRemote, type FakeSeries, startFakeRemote } from './fake_remote.ts';

const T0 = 1_700_000_000_000;
const eq = (name: string, value: string) => Matcher.create('=', name, value);

const REMOTE: FakeSeries[] = [
  [{ __name__: 'up', job: 'a' }, [[T0 + 1000, 1], [T0 + 3000, 1]]],
  [{ __name__: 'up', job: 'b', region: 'eu' }, [[T0, 0], [T0 + 1000, 1]]],
  [{ __name__: 'up', job: 'c', region: 'us' }, [[T0, 5]]],
  [{ __name__: 'old', job: 'a' }, [[T0 - 7200_000, 7]]],
  [{ __name__: 'many', job: 'a' }, [0, 1, 2, 3, 4].map((i) => [T0 + i * 1000, i * 0.5 - 1])],
];

async function local(): Promise<MemoryStorage> {
  const s = new MemoryStorage();
  const app = s.appender();
  const a = Labels.from({ __name__: 'up', job: 'a' });
  for (const [t, v] of [[T0, 1], [T0 + 1000, 1], [T0 + 2000, 1]]) app.append(0, a, t, v);
  app.append(0, Labels.from({ __name__: 'local_only', job: 'a' }), T0, 3);
  await app.commit();
  return s;
}

const fakes: FakeRemote[] = [];
after(async () => {
  for (const f of fakes) await f.close();
});

async function setup(entries: (url: string) => string, global = '') {
  const fake = await startFakeRemote(REMOTE);
  fakes.push(fake);
  const storage = await local();
  const registry = new Registry();
  const manager = new RemoteReadManager({ storage, logger: nopLogger, registry });
  manager.apply(parseConfig(`${global}remote_read:\n${entries(fake.url)}`, 'prometheus.yml'));
  const fanout = new FanoutStorage(storage, () => manager.queryables());
  const select = async (matchers: Matcher[], mint = T0 - 10_000, maxt = T0 + 10_000) => {
    const q = fanout.querier(mint, maxt);
    try {
      return await q.select(matchers);
    } finally {
      q.close();
    }
  };
  return { fake, storage, manager, fanout, select, registry };
}

function rows(set: SeriesSet): Record<string, [number, number][]> {
  const out: Record<string, [number, number][]> = {};
  for (const s of set) {
    const { t, v } = s.samples();
    out[s.labels.toString()] = Array.from(t, (x, i) => [x - T0, v[i]]);
  }
  return out;
}

describe('remote_read through the fanout storage', () => {
  test('remote series merge into local results; identical samples are kept once', async () => {
    const { select, fake } = await setup((u) => `  - url: ${u}\n    read_recent: true\n`);
    const set = await select([eq('__name__', 'up')]);
    assert.deepEqual(set.warnings, []);
    assert.deepEqual(rows(set), {
      '{__name__="up", job="a"}': [[0, 1], [1000, 1], [2000, 1], [3000, 1]],
      '{__name__="up", job="b", region="eu"}': [[0, 0], [1000, 1]],
      '{__name__="up", job="c", region="us"}': [[0, 5]],
    });
    // Sorted by labels, as the Querier contract requires.
    const names = [...set].map((s) => s.labels.toString());
    assert.deepEqual(names, [...names].sort());
    assert.equal(fake.requests.length, 1);
    const [q] = fake.requests[0].queries;
    assert.deepEqual(q.matchers, [{ type: '=', name: '__name__', value: 'up' }]);
    assert.equal(q.startTimestampMs, T0 - 10_000);
    assert.equal(q.endTimestampMs, T0 + 10_000);
  });

  test('a streamed answer (a series over several frames and chunks) reads the same', async () => {
    const { select, fake } = await setup((u) => `  - url: ${u}\n    read_recent: true\n`);
    const sel = [Matcher.create('=~', '__name__', 'up|many')];
    const sampled = rows(await select(sel));
    fake.streamed = true;
    const streamed = rows(await select(sel));
    assert.deepEqual(fake.requests[1].acceptedResponseTypes, ['streamed_xor_chunks', 'samples']);
    assert.deepEqual(streamed, sampled);
    assert.deepEqual(streamed['{__name__="up", job="a"}'].length, 4);
    // Five samples: three chunks, cut over two frames, read back as one series.
    assert.deepEqual(streamed['{__name__="many", job="a"}'], [
      [0, -1],
      [1000, -0.5],
      [2000, 0],
      [3000, 0.5],
      [4000, 1],
    ]);
  });

  test('requests carry remote read 0.1.0 headers and the configured headers', async () => {
    const { select, fake } = await setup((u) =>
      `  - url: ${u}\n    read_recent: true\n    headers: { X-Scope-OrgID: team-1 }\n`
    );
    await select([eq('__name__', 'up')]);
    const h = fake.headers[0];
    assert.equal(h.get('x-prometheus-remote-read-version'), '0.1.0');
    assert.equal(h.get('content-encoding'), 'snappy');
    assert.equal(h.get('content-type'), 'application/x-protobuf');
    assert.equal(h.get('x-scope-orgid'), 'team-1');
    assert.match(h.get('user-agent') ?? '', /^Beacon\//);
  });

  test('required_matchers: only selects with all of them as = matchers go remote', async () => {
    const { select, fake } = await setup((u) =>
      `  - url: ${u}\n    read_recent: true\n    required_matchers: { job: b, region: eu }\n`
    );
    let set = await select([eq('__name__', 'up')]);
    assert.deepEqual(Object.keys(rows(set)), ['{__name__="up", job="a"}']);
    set = await select([
      eq('__name__', 'up'),
      eq('job', 'b'),
      Matcher.create('=~', 'region', 'eu'),
    ]);
    assert.equal(fake.requests.length, 0, 'a regex does not satisfy a required matcher');
    set = await select([eq('region', 'eu'), eq('__name__', 'up'), eq('job', 'b')]);
    assert.equal(fake.requests.length, 1);
    assert.deepEqual(Object.keys(rows(set)), ['{__name__="up", job="b", region="eu"}']);
  });

  test('read_recent false: the time local storage covers is not asked remotely', async () => {
    const { select, fake, manager } = await setup((u) => `  - url: ${u}\n`);
    // Local data begins at T0; Prometheus adds twice the minimum block duration.
    const localStart = T0 + START_TIME_MARGIN_MS;
    assert.equal(await manager.localStartTime(), localStart);
    await select([eq('__name__', 'up')], localStart + 1, localStart + 3600_000);
    assert.equal(fake.requests.length, 0, 'a range after the local start stays local');
    const set = await select([eq('__name__', 'old')], T0 - 3 * 3600_000, T0 + 6 * 3600_000);
    assert.equal(fake.requests.length, 1);
    const [q] = fake.requests[0].queries;
    assert.equal(q.startTimestampMs, T0 - 3 * 3600_000);
    assert.equal(q.endTimestampMs, localStart, 'the remote range ends where local data begins');
    assert.deepEqual(rows(set), { '{__name__="old", job="a"}': [[-7200_000, 7]] });
  });

  test('read_recent true asks for the whole range', async () => {
    const { select, fake } = await setup((u) => `  - url: ${u}\n    read_recent: true\n`);
    await select([eq('__name__', 'up')], T0 + 5 * 3600_000, T0 + 6 * 3600_000);
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0].queries[0].endTimestampMs, T0 + 6 * 3600_000);
  });

  test('external labels become = matchers and are removed from the results', async () => {
    const { select, fake } = await setup(
      (u) => `  - url: ${u}\n    read_recent: true\n`,
      'global:\n  external_labels: { region: eu, replica: r1 }\n',
    );
    const set = await select([eq('__name__', 'up'), Matcher.create('!=', 'replica', 'x')]);
    const [q] = fake.requests[0].queries;
    // replica is matched by the selector already: the user's matcher stands alone.
    assert.deepEqual(q.matchers, [
      { type: '=', name: '__name__', value: 'up' },
      { type: '!=', name: 'replica', value: 'x' },
      { type: '=', name: 'region', value: 'eu' },
    ]);
    assert.deepEqual(Object.keys(rows(set)), [
      '{__name__="up", job="a"}',
      '{__name__="up", job="b"}',
    ]);
  });

  test('filter_external_labels: false sends the selector unchanged', async () => {
    const { select, fake } = await setup(
      (u) => `  - url: ${u}\n    read_recent: true\n    filter_external_labels: false\n`,
      'global:\n  external_labels: { region: eu }\n',
    );
    const set = await select([eq('__name__', 'up')]);
    assert.deepEqual(fake.requests[0].queries[0].matchers, [
      { type: '=', name: '__name__', value: 'up' },
    ]);
    assert.ok(Object.keys(rows(set)).includes('{__name__="up", job="c", region="us"}'));
  });

  test('a failing endpoint gives local results and a warning; metrics count by status', async () => {
    const { select, fake, registry } = await setup((u) =>
      `  - url: ${u}\n    name: r1\n    read_recent: true\n`
    );
    await select([eq('__name__', 'up')]);
    fake.failWith = { status: 500, text: 'storage exploded' };
    const set = await select([eq('__name__', 'up')]);
    assert.deepEqual(Object.keys(rows(set)), ['{__name__="up", job="a"}']);
    assert.equal(set.warnings.length, 1);
    assert.match(
      set.warnings[0],
      new RegExp(
        `^remote_read: remote server ${fake.url} returned HTTP status 500.*storage exploded`,
      ),
    );
    const text = await registry.metrics();
    const url = fake.url;
    assert.ok(
      text.includes(
        `beacon_remote_storage_read_queries_total{remote_name="r1",url="${url}",response_code="200"} 1`,
      ),
      text,
    );
    assert.ok(
      text.includes(
        `beacon_remote_storage_read_queries_total{remote_name="r1",url="${url}",response_code="500"} 1`,
      ),
      text,
    );
    assert.match(text, /beacon_remote_storage_read_request_duration_seconds_count\{[^}]*\} 2/);
  });

  test('an unreachable endpoint is a warning too', async () => {
    const { select, fake } = await setup((u) => `  - url: ${u}\n    read_recent: true\n`);
    await fake.close();
    fakes.splice(fakes.indexOf(fake), 1);
    const set = await select([eq('__name__', 'up')]);
    assert.deepEqual(Object.keys(rows(set)), ['{__name__="up", job="a"}']);
    assert.match(set.warnings[0] ?? '', /^remote_read: error sending request: Post "http:/);
  });

  test('label names and values with matchers include remote series', async () => {
    const { fanout } = await setup((u) => `  - url: ${u}\n    read_recent: true\n`);
    const q = fanout.querier(T0 - 10_000, T0 + 10_000);
    assert.deepEqual(await q.labelNames([eq('__name__', 'up')]), ['__name__', 'job', 'region']);
    assert.deepEqual(await q.labelValues('job', [eq('__name__', 'up')]), ['a', 'b', 'c']);
    // Without matchers the protocol has nothing to ask: local only.
    assert.deepEqual(await q.labelValues('job'), ['a']);
    q.close();
  });

  test('a reload replaces the endpoints; an empty remote_read reads locally only', async () => {
    const { select, fake, manager } = await setup((u) => `  - url: ${u}\n    read_recent: true\n`);
    manager.apply(parseConfig('remote_read: []\n', 'prometheus.yml'));
    const set = await select([eq('__name__', 'up')]);
    assert.equal(fake.requests.length, 0);
    assert.deepEqual(Object.keys(rows(set)), ['{__name__="up", job="a"}']);
    manager.close();
  });

  test('/api/v1/query and /api/v1/series over the fanout storage show remote data and warnings', async () => {
    const { fanout, fake } = await setup((u) => `  - url: ${u}\n    read_recent: true\n`);
    const api = new Hono();
    promqlApi({ engine: new Engine(), storage: fanout, now: () => T0 + 3000 })(api);
    const get = async (path: string) => await (await api.request(path)).json();
    let body = await get(`/query?query=sum(up)&time=${(T0 + 1000) / 1000}`);
    assert.equal(body.status, 'success');
    assert.deepEqual(body.data.result[0].value, [(T0 + 1000) / 1000, '7']);
    body = await get(
      `/series?match[]=up&start=${(T0 - 1000) / 1000}&end=${(T0 + 1000) / 1000}`,
    );
    assert.equal(body.data.length, 3);
    fake.failWith = { status: 503, text: 'down' };
    body = await get(`/query?query=sum(up)&time=${(T0 + 1000) / 1000}`);
    assert.equal(body.status, 'success');
    assert.deepEqual(body.data.result[0].value, [(T0 + 1000) / 1000, '1']);
    assert.match(body.warnings[0], /^remote_read: remote server .* returned HTTP status 503/);
  });
});
