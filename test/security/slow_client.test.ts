/**
 * Slow clients cannot hold Beacon back: while connections drip request bytes (headers or
 * bodies), scrapes, rule evaluations and other clients' queries keep going, and a dripped body
 * is cut off with 408 once `--web.read-timeout` passes.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { eventually, freePort, startBeacon } from '../helpers/process.ts';
import { tempDir } from '../helpers/host.ts';

const tmp = tempDir();
after(() => tmp.remove());

/** A connection that sends `head` then one byte of `rest` every `everyMs`; collects the answer. */
function drip(port: number, head: string, rest: string, everyMs: number) {
  const sock = net.connect(port, '127.0.0.1');
  let answer = '';
  let i = 0;
  sock.on('data', (d) => (answer += d));
  sock.on('error', () => {});
  sock.write(head);
  const timer = setInterval(() => {
    if (i < rest.length && !sock.destroyed) sock.write(rest[i++]);
  }, everyMs);
  return {
    answer: () => answer,
    closed: () => sock.destroyed || sock.readableEnded,
    stop: () => {
      clearInterval(timer);
      sock.destroy();
    },
  };
}

async function query(url: string, q: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = await res.json() as { data?: { result: { value: [number, string] }[] } };
  assert.equal(res.status, 200);
  return Number(body.data?.result[0]?.value[1] ?? 0);
}

describe('slow clients', () => {
  test('dripping connections hold back neither scrapes, rules nor other queries', async () => {
    let scrapes = 0;
    const target = http.createServer((_req, res) => {
      scrapes++;
      res.setHeader('content-type', 'text/plain');
      res.end('drip_target 1\n');
    });
    const targetPort = await freePort();
    await new Promise<void>((r) => target.listen(targetPort, '127.0.0.1', r));
    const rules = tmp.write(
      'rules.yml',
      'groups:\n  - name: g\n    interval: 1s\n    rules:\n      - record: rec\n        expr: vector(1)\n',
    );
    const config = tmp.write(
      'beacon.yml',
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files: ['${rules}']\nscrape_configs:\n  - job_name: t\n    static_configs:\n      - targets: ['127.0.0.1:${targetPort}']\n`,
    );
    const beacon = await startBeacon([`--config.file=${config}`, '--web.read-timeout=4s']);
    const port = Number(new URL(beacon.url).port);
    const drips: ReturnType<typeof drip>[] = [];
    try {
      await eventually(async () =>
        (await query(beacon.url, 'count_over_time(rec[1h])')) >= 1 &&
        (await query(beacon.url, 'up{job="t"}')) === 1
      );
      // 30 clients drip a query body, 10 drip their headers.
      for (let i = 0; i < 30; i++) {
        drips.push(drip(
          port,
          'POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10000\r\n\r\n',
          'query=' + 'x'.repeat(9994),
          200,
        ));
      }
      for (let i = 0; i < 10; i++) {
        drips.push(
          drip(port, 'GET /api/v1/query?query=up HTTP/1.1\r\n', 'X-Slow: ' + 'y'.repeat(5000), 200),
        );
      }
      const scrapesBefore = scrapes;
      const rulesBefore = await query(beacon.url, 'count_over_time(rec[1h])');
      // Progress while every drip is open: at least 3 more scrapes and rule evaluations, and
      // other clients' queries answer throughout.
      await eventually(async () => {
        assert.equal(await query(beacon.url, 'up{job="t"}'), 1);
        return scrapes >= scrapesBefore + 3 &&
          (await query(beacon.url, 'count_over_time(rec[1h])')) >= rulesBefore + 3;
      }, 30_000);
      assert.ok(drips.every((d) => !d.closed() || d.answer().includes('408')));
      // The body drips are cut off with 408 once the read timeout passes.
      await eventually(
        () =>
          Promise.resolve(drips.slice(0, 30).every((d) => d.answer().startsWith('HTTP/1.1 408'))),
        30_000,
      );
      assert.match(drips[0].answer(), /timed out reading the request body/);
      assert.equal(await query(beacon.url, 'up{job="t"}'), 1);
    } finally {
      for (const d of drips) d.stop();
      beacon.signal('SIGTERM');
      await beacon.exited;
      target.close();
    }
  });
});
