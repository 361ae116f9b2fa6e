import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { remoteReadApi, STREAMED_CONTENT_TYPE } from '../../../core/api/remote_read.ts';
import { Labels } from '../../../core/model/mod.ts';
import {
  chunkStarts,
  decodeChunkedReadResponse,
  decodeFrames,
  decodeReadResponse,
  encodeReadRequest,
  type ReadQuery,
  type ReadRequest,
  snappyCompress,
  snappyDecompress,
  WriteRequestEncoder,
} from '../../../core/remote/mod.ts';
import { BitReader, type Storage } from '../../../core/storage/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { host, tempDir } from '../../helpers/host.ts';
import { eventually, freePort } from '../../helpers/process.ts';
import { apiApp } from './api_app.ts';

const T0 = 1_700_000_000_000;

async function seeded(): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  const app = storage.appender();
  const add = (labels: Record<string, string>, values: (number | 'stale')[]) => {
    const l = Labels.from(labels);
    values.forEach((v, i) => {
      if (v === 'stale') app.appendStale(0, l, T0 + i * 1000);
      else app.append(0, l, T0 + i * 1000, v);
    });
  };
  add({ __name__: 'up', job: 'api', instance: 'a' }, [1, 1, 'stale']);
  add({ __name__: 'up', job: 'api', instance: 'b' }, [0, 1, 1]);
  add({ __name__: 'up', job: 'db', instance: 'c', region: 'us' }, [1, 0, 1]);
  add({ __name__: 'load', job: 'api', instance: 'a' }, [0.5, 1.5, 2.5]);
  await app.commit();
  return storage;
}

function query(start: number, end: number, m: [string, string, string][]): ReadQuery {
  return {
    startTimestampMs: start,
    endTimestampMs: end,
    matchers: m.map(([name, type, value]) => ({ name, type: type as '=', value })),
  };
}

function setup(
  storage: Storage,
  opts: { ext?: Record<string, string>; maxSamples?: number; maxBytesInFrame?: number } = {},
) {
  const app = apiApp([
    remoteReadApi({
      storage,
      externalLabels: () => opts.ext ?? {},
      maxSamples: opts.maxSamples,
      maxBytesInFrame: opts.maxBytesInFrame,
    }),
  ]);
  const post = (body: Uint8Array<ArrayBuffer>) =>
    app.request('/api/v1/read', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    });
  const read = (req: ReadRequest) => post(snappyCompress(encodeReadRequest(req)));
  return { post, read };
}

type Row = [number, number | 'stale'];

async function sampled(res: Response): Promise<Record<string, Row[]>[]> {
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
  assert.equal(res.headers.get('content-encoding'), 'snappy');
  const decoded = decodeReadResponse(snappyDecompress(new Uint8Array(await res.arrayBuffer())));
  return decoded.results.map((r) => {
    const out: Record<string, Row[]> = {};
    for (const ts of r.timeseries) {
      const key = ts.labels.map((l) => `${l.name}=${l.value}`).join(',');
      out[key] = ts.samples.map((s) => [s.timestamp, s.stale ? 'stale' : s.value]);
    }
    return out;
  });
}

describe('POST /api/v1/read, sampled', () => {
  test('two queries with every matcher type, external labels, stale markers kept', async () => {
    const { read } = setup(await seeded(), { ext: { region: 'eu', dc: 'x' } });
    const results = await sampled(
      await read({
        queries: [
          query(T0, T0 + 10_000, [['__name__', '=', 'up'], ['job', '!=', 'db']]),
          query(T0 + 1000, T0 + 2000, [['__name__', '=~', 'up|load'], ['instance', '!~', 'a|b']]),
        ],
        acceptedResponseTypes: [],
      }),
    );
    assert.deepEqual(results, [
      {
        '__name__=up,dc=x,instance=a,job=api,region=eu': [[T0, 1], [T0 + 1000, 1], [
          T0 + 2000,
          'stale',
        ]],
        '__name__=up,dc=x,instance=b,job=api,region=eu': [[T0, 0], [T0 + 1000, 1], [
          T0 + 2000,
          1,
        ]],
      },
      // The series' own region wins over the external one.
      { '__name__=up,dc=x,instance=c,job=db,region=us': [[T0 + 1000, 0], [T0 + 2000, 1]] },
    ]);
  });

  test('the stale marker is on the wire as the 0x7ff0000000000002 bit pattern', async () => {
    const { read } = setup(await seeded());
    const res = await read({
      queries: [query(T0 + 2000, T0 + 2000, [['instance', '=', 'a'], ['__name__', '=', 'up']])],
      acceptedResponseTypes: ['samples'],
    });
    const raw = snappyDecompress(new Uint8Array(await res.arrayBuffer()));
    const hex = Array.from(raw, (b) => b.toString(16).padStart(2, '0')).join('');
    // Sample.value is field 1, fixed64: tag 0x09, then the little-endian bits.
    assert.ok(hex.includes('09020000000000f07f'), hex);
  });

  test('an = matcher on an external label value selects series without that label', async () => {
    const { read } = setup(await seeded(), { ext: { region: 'eu' } });
    const [r] = await sampled(
      await read({
        queries: [query(T0, T0, [['__name__', '=', 'up'], ['region', '=', 'eu']])],
        acceptedResponseTypes: [],
      }),
    );
    assert.deepEqual(Object.keys(r).sort(), [
      '__name__=up,instance=a,job=api,region=eu',
      '__name__=up,instance=b,job=api,region=eu',
    ]);
  });

  test('a query matching nothing gives an empty result in its place', async () => {
    const { read } = setup(await seeded());
    const results = await sampled(
      await read({
        queries: [
          query(T0, T0 + 5000, [['__name__', '=', 'nope']]),
          query(T0, T0, [['__name__', '=', 'load']]),
        ],
        acceptedResponseTypes: [],
      }),
    );
    assert.deepEqual(results, [{}, { '__name__=load,instance=a,job=api': [[T0, 0.5]] }]);
  });

  test('over the sample limit in one query: 400 with Prometheus message', async () => {
    const { read } = setup(await seeded(), { maxSamples: 5 });
    const ok = await read({
      queries: [
        query(T0, T0 + 5000, [['__name__', '=', 'load']]),
        query(T0, T0 + 5000, [['job', '=', 'db']]),
      ],
      acceptedResponseTypes: [],
    });
    assert.equal(ok.status, 200, 'the limit is per query');
    const res = await read({
      queries: [query(T0, T0 + 5000, [['__name__', '=', 'up']])],
      acceptedResponseTypes: [],
    });
    assert.equal(res.status, 400);
    assert.equal(await res.text(), 'exceeded sample limit (5)\n');
  });

  test('bad snappy, bad protobuf and a bad regex are 400', async () => {
    const { post, read } = setup(await seeded());
    const notSnappy = await post(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    assert.equal(notSnappy.status, 400);
    assert.match(await notSnappy.text(), /snappy/);
    const notProto = await post(snappyCompress(new Uint8Array([0x0a, 0x05, 0x01])));
    assert.equal(notProto.status, 400);
    const badRegex = await read({
      queries: [query(T0, T0, [['job', '=~', '(']])],
      acceptedResponseTypes: [],
    });
    assert.equal(badRegex.status, 400);
    assert.match(await badRegex.text(), /invalid matcher/);
  });
});

// Prometheus's XOR chunk wire format, decoded independently of the encoder under test.
function decodeXor(data: Uint8Array): [number, string][] {
  const r = new BitReader(data);
  const n = r.read(16);
  const out: [number, string][] = [];
  const uvarint = () => {
    let x = 0, mul = 1, b: number;
    do {
      b = r.read(8);
      x += (b & 0x7f) * mul;
      mul *= 128;
    } while (b >= 0x80);
    return x;
  };
  let t = 0, delta = 0, hi = 0, lo = 0, lead = 0, sig = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0) {
      const z = uvarint();
      t = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      hi = r.read(32) >>> 0;
      lo = r.read(32) >>> 0;
    } else {
      if (i === 1) delta = uvarint();
      else {
        let ones = 0;
        while (ones < 4 && r.bit() === 1) ones++;
        let dod = 0;
        if (ones === 4) dod = (r.read(32) | 0) * 2 ** 32 + r.read(32);
        else if (ones > 0) {
          const w = [14, 17, 20][ones - 1];
          const bits = r.read(w);
          dod = bits > 2 ** (w - 1) ? bits - 2 ** w : bits;
        }
        delta += dod;
      }
      t += delta;
      if (r.bit() === 1) {
        if (r.bit() === 1) {
          lead = r.read(5);
          sig = r.read(6) || 64;
        }
        // Read `sig` bits as a 64-bit word and shift into place.
        let xh = 0, xl = 0;
        for (let k = 0; k < sig; k++) {
          xh = ((xh << 1) | (xl >>> 31)) >>> 0;
          xl = ((xl << 1) | r.bit()) >>> 0;
        }
        const shift = 64 - lead - sig;
        for (let k = 0; k < shift; k++) {
          xh = ((xh << 1) | (xl >>> 31)) >>> 0;
          xl = (xl << 1) >>> 0;
        }
        hi = (hi ^ xh) >>> 0;
        lo = (lo ^ xl) >>> 0;
      }
    }
    const bits = hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
    const f = new DataView(new ArrayBuffer(8));
    f.setUint32(0, hi);
    f.setUint32(4, lo);
    out.push([t, bits === '7ff0000000000002' ? 'stale' : String(f.getFloat64(0))]);
  }
  return out;
}

describe('POST /api/v1/read, streamed XOR chunks', () => {
  test('frames per series with labels, query index and exact samples', async () => {
    const storage = await seeded();
    // A long series with irregular steps and values, to exercise every encoding branch.
    const app = storage.appender();
    const l = Labels.from({ __name__: 'long', job: 'x' });
    const want: [number, string][] = [];
    let t = T0 - 1;
    for (let i = 0; i < 300; i++) {
      t += i % 7 === 0 ? 15_000 : i % 11 === 0 ? 3_000_000 : 1000 + (i % 3);
      const v = i % 5 === 0 ? i : Math.sin(i) * 1e6;
      if (i === 150) app.appendStale(0, l, t), want.push([t, 'stale']);
      else app.append(0, l, t, v), want.push([t, String(v)]);
    }
    await app.commit();

    const { read } = setup(storage, { ext: { dc: 'x' }, maxBytesInFrame: 2000 });
    const res = await read({
      queries: [
        query(T0, T0 + 10_000, [['__name__', '=', 'up'], ['job', '=', 'api']]),
        query(0, 1e15, [['__name__', '=', 'long']]),
      ],
      acceptedResponseTypes: ['streamed_xor_chunks', 'samples'],
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), STREAMED_CONTENT_TYPE);
    const frames = decodeFrames(new Uint8Array(await res.arrayBuffer())).map(
      decodeChunkedReadResponse,
    );
    const bySeries = new Map<string, { q: number[]; samples: [number, string][]; n: number[] }>();
    for (const f of frames) {
      assert.equal(f.chunkedSeries.length, 1);
      const s = f.chunkedSeries[0];
      const key = s.labels.map((x) => `${x.name}=${x.value}`).join(',');
      const e = bySeries.get(key) ?? { q: [], samples: [], n: [] };
      e.q.push(f.queryIndex);
      for (const c of s.chunks) {
        assert.equal(c.type, 1);
        const got = decodeXor(c.data);
        assert.equal(c.minTimeMs, got[0][0]);
        assert.equal(c.maxTimeMs, got[got.length - 1][0]);
        e.n.push(got.length);
        e.samples.push(...got);
      }
      bySeries.set(key, e);
    }
    assert.deepEqual([...bySeries.keys()], [
      '__name__=up,dc=x,instance=a,job=api',
      '__name__=up,dc=x,instance=b,job=api',
      '__name__=long,dc=x,job=x',
    ]);
    assert.deepEqual(bySeries.get('__name__=up,dc=x,instance=a,job=api')!.samples, [
      [T0, '1'],
      [T0 + 1000, '1'],
      [T0 + 2000, 'stale'],
    ]);
    const long = bySeries.get('__name__=long,dc=x,job=x')!;
    assert.deepEqual(long.samples, want);
    // Chunks are cut where Prometheus's head cuts them: never across a 2h window, at most 240.
    let at = 0;
    for (const n of long.n) {
      const [first, last] = [long.samples[at][0], long.samples[at + n - 1][0]];
      assert.equal(Math.floor(first / 7_200_000), Math.floor(last / 7_200_000), `chunk at ${at}`);
      assert.ok(n <= 240);
      at += n;
    }
    const starts = chunkStarts(want.map(([t]) => t));
    assert.deepEqual(long.n, starts.map((s, i) => (starts[i + 1] ?? want.length) - s));
    assert.ok(long.q.length > 1 && long.q.every((q) => q === 1), 'several frames, query 1');
  });

  test('samples is chosen when listed first; an empty list means samples', async () => {
    const { read } = setup(await seeded());
    const q = [query(T0, T0, [['__name__', '=', 'load']])];
    for (const accepted of [['samples', 'streamed_xor_chunks'], []] as const) {
      const res = await read({ queries: q, acceptedResponseTypes: [...accepted] });
      assert.equal(res.headers.get('content-type'), 'application/x-protobuf');
    }
  });
});

describe('POST /api/v1/read, concurrency', () => {
  test('requests beyond maxConcurrent wait for a slot', async () => {
    const inner = await seeded();
    let selects = 0;
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const storage: Storage = Object.assign(Object.create(inner), {
      querier(mint: number, maxt: number) {
        const q = inner.querier(mint, maxt);
        return Object.assign(Object.create(q), {
          select: async (...args: Parameters<typeof q.select>) => {
            if (++selects === 1) await blocked;
            return q.select(...args);
          },
          close: () => q.close(),
        });
      },
    });
    const app = apiApp([remoteReadApi({ storage, externalLabels: () => ({}), maxConcurrent: 1 })]);
    const body = () =>
      snappyCompress(encodeReadRequest({
        queries: [query(T0, T0, [['__name__', '=', 'load']])],
        acceptedResponseTypes: [],
      }));
    const first = app.request('/api/v1/read', { method: 'POST', body: body() });
    const second = app.request('/api/v1/read', { method: 'POST', body: body() });
    await eventually(() => Promise.resolve(selects === 1));
    // Give the second request every chance to get past the gate if the gate were broken.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    assert.equal(selects, 1, 'the second request waits while the first holds the only slot');
    release();
    assert.equal((await first).status, 200);
    assert.equal((await second).status, 200);
    assert.equal(selects, 2);
  });
});

const PROMETHEUS = '/usr/bin/prometheus';
const skip = existsSync(PROMETHEUS)
  ? false
  : `${PROMETHEUS} not installed (apt-get install prometheus); skipping the remote-read test`;
if (skip && process.env.CI === 'true') throw new Error(`${skip}; CI=true requires it`);
if (skip) console.log(skip);

describe('remote read from real Prometheus', { skip }, () => {
  test('Prometheus reads Beacon through remote_read; streamed chunks match its bytes', async () => {
    const storage = new MemoryStorage();
    const now = Date.now();
    const app0 = storage.appender();
    const l = Labels.from({ __name__: 'beacon_only_metric', job: 'edge' });
    for (let i = 0; i < 5; i++) app0.append(0, l, now - (4 - i) * 10_000, i * 1.5);
    await app0.commit();
    const app = apiApp([remoteReadApi({ storage, externalLabels: () => ({ site: 'beacon' }) })]);
    const server = await host.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch });
    const promPort = await freePort();
    const dir = tempDir();
    const config = dir.write(
      'prometheus.yml',
      `global: { scrape_interval: 1h }
remote_read:
  - url: http://${server.address}/api/v1/read
    read_recent: true
`,
    );
    let logs = '';
    const child: ChildProcess = spawn(PROMETHEUS, [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dir.dir}/data`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--web.enable-remote-write-receiver',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (logs += d));
    child.stderr!.on('data', (d) => (logs += d));
    try {
      const url = `http://127.0.0.1:${promPort}/api/v1/query?query=${
        encodeURIComponent('beacon_only_metric[1m]')
      }&time=${(now / 1000).toFixed(3)}`;
      let body:
        | { status: string; data: { result: { metric: object; values: unknown[] }[] } }
        | undefined;
      await eventually(async () => {
        try {
          const res = await fetch(url);
          body = await res.json();
          return body!.status === 'success';
        } catch {
          return false;
        }
      }, 30_000).catch((err) => {
        throw new Error(`${err.message}; prometheus logs:\n${logs.slice(-3000)}`);
      });
      assert.equal(body!.data.result.length, 1, JSON.stringify(body));
      const r = body!.data.result[0];
      assert.deepEqual(r.metric, { __name__: 'beacon_only_metric', job: 'edge', site: 'beacon' });
      assert.deepEqual(
        r.values,
        [0, 1, 2, 3, 4].map((i) => [(now - (4 - i) * 10_000) / 1000, String(i * 1.5)]),
      );

      // Prometheus's own streamed answer for series it stores carries its XOR chunks; Beacon's
      // chunks for the same samples must be the same bytes.
      const base = now - 3_600_000;
      const series: [Labels, number[], number[], number[]][] = [
        [Labels.from({ __name__: 'xor_a', job: 'w' }), [0, 15_000, 30_000, 45_000, 47_001, 3e6], [
          1,
          1,
          2.5,
          -7e10,
          0.1,
          0,
        ], [0, 0, 0, 0, 0, 1]],
        [
          Labels.from({ __name__: 'xor_b', job: 'w' }),
          Array.from({ length: 100 }, (_, i) => i * 1000 + (i % 4) * 17),
          Array.from({ length: 100 }, (_, i) => Math.sin(i) * 1e3),
          [],
        ],
      ];
      const enc = new WriteRequestEncoder();
      for (const [labels, t, v, stale] of series) {
        enc.addSeries(labels, t.map((x) => base + x), v, stale);
      }
      const wrote = await fetch(`http://127.0.0.1:${promPort}/api/v1/write`, {
        method: 'POST',
        body: snappyCompress(enc.finish()),
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'snappy',
          'x-prometheus-remote-write-version': '0.1.0',
        },
      });
      assert.equal(wrote.status, 204, await wrote.text());
      const own = new MemoryStorage();
      const oa = own.appender();
      for (const [labels, t, v, stale] of series) {
        t.forEach((x, i) =>
          stale[i] === 1
            ? oa.appendStale(0, labels, base + x)
            : oa.append(0, labels, base + x, v[i])
        );
      }
      await oa.commit();
      const streamedBody = snappyCompress(encodeReadRequest({
        queries: [query(base - 1, base + 4e6, [['job', '=', 'w']])],
        acceptedResponseTypes: ['streamed_xor_chunks'],
      }));
      const chunksOf = async (url: string) => {
        const res = await fetch(url, { method: 'POST', body: streamedBody });
        assert.equal(res.status, 200, await res.clone().text());
        const out: Record<string, string[]> = {};
        for (const m of decodeFrames(new Uint8Array(await res.arrayBuffer()))) {
          for (const s of decodeChunkedReadResponse(m).chunkedSeries) {
            const key = s.labels.map((x) => `${x.name}=${x.value}`).join(',');
            out[key] = [
              ...(out[key] ?? []),
              ...s.chunks.map((c) =>
                `${c.minTimeMs}-${c.maxTimeMs}:` +
                Array.from(c.data, (b) => b.toString(16).padStart(2, '0')).join('')
              ),
            ];
          }
        }
        return out;
      };
      const ownServer = await host.serve({
        hostname: '127.0.0.1',
        port: 0,
        fetch: apiApp([remoteReadApi({ storage: own, externalLabels: () => ({}) })]).fetch,
      });
      try {
        const theirs = await chunksOf(`http://127.0.0.1:${promPort}/api/v1/read`);
        const ours = await chunksOf(`http://${ownServer.address}/api/v1/read`);
        assert.equal(Object.keys(theirs).length, 2, JSON.stringify(theirs));
        assert.deepEqual(ours, theirs);
      } finally {
        await ownServer.close();
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await server.close();
      dir.remove();
    }
  });
});
