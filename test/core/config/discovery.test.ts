import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { parse } from 'yaml';
import {
  fieldSelectorProblem,
  labelSelectorProblem,
  SD_IMPLEMENTED,
  SD_KEYS,
  sdConfigEntries,
  type SDKey,
  usedSDKeys,
} from '../../../core/config/discovery/mod.ts';
import { Secret } from '../../../core/config/secret.ts';
import { Duration } from '../../../core/config/duration.ts';

const dir = fileURLToPath(
  new URL('../../../../shared/testdata/prometheus-config/', import.meta.url),
);
const haveData = existsSync(dir);
if (!haveData) {
  if (process.env.CI === 'true') throw new Error(`test data missing: ${dir}`);
  console.log(`skipping Prometheus config conformance: ${dir} not found`);
}

type Job = Record<string, unknown>;

/** Every object in a config that may hold SD lists: scrape configs and Alertmanager configs. */
function sdHolders(doc: Record<string, unknown> | null): Job[] {
  const alerting = (doc?.alerting ?? {}) as { alertmanagers?: Job[] };
  return [...((doc?.scrape_configs ?? []) as Job[]), ...(alerting.alertmanagers ?? [])].filter(
    (j) => j !== null && typeof j === 'object',
  );
}

/** Parses every SD list of every holder; returns the issue messages with their paths. */
function parseSD(doc: Record<string, unknown> | null): { messages: string[]; used: number } {
  const messages: string[] = [];
  let used = 0;
  for (const job of sdHolders(doc)) {
    for (const key of SD_KEYS) {
      if (!(key in job)) continue;
      used++;
      const r = v.safeParse(sdConfigEntries[key], job[key]);
      if (!r.success) {
        for (const i of r.issues) messages.push(`${key}.${v.getDotPath(i) ?? ''}: ${i.message}`);
      }
    }
  }
  return { messages, used };
}

const load = (name: string) => parse(readFileSync(dir + name, 'utf8'));

describe('SD keys', () => {
  test('the list covers every mechanism Prometheus registers', () => {
    for (
      const name of [
        'static_configs',
        'file_sd_configs',
        'kubernetes_sd_configs',
        'aws_sd_configs',
        'ec2_sd_configs',
        'gce_sd_configs',
        'serverset_sd_configs',
        'oci_sd_configs',
        'stackit_sd_configs',
      ]
    ) assert.ok(SD_KEYS.includes(name as SDKey), name);
    assert.equal(SD_KEYS.length, new Set(SD_KEYS).size);
    assert.deepEqual(Object.keys(sdConfigEntries).sort(), [...SD_KEYS].sort());
    for (const k of SD_IMPLEMENTED) assert.ok(SD_KEYS.includes(k as SDKey), k);
  });

  test('usedSDKeys lists configured mechanisms', () => {
    assert.deepEqual(usedSDKeys({ static_configs: [{}], consul_sd_configs: [], job_name: 'x' }), [
      'static_configs',
    ]);
  });
});

describe('conf.good.yml and *.good.yml SD blocks', { skip: !haveData }, () => {
  test('every SD block of conf.good.yml parses', () => {
    const r = parseSD(load('conf.good.yml'));
    assert.deepEqual(r.messages, []);
    assert.ok(r.used >= 35, `only ${r.used} SD lists found`);
  });

  test('every SD block of the other good files parses', () => {
    const files = haveData ? readdirSync(dir).filter((f) => f.endsWith('.good.yml')) : [];
    for (const f of files) {
      assert.deepEqual(parseSD(load(f)).messages, [], f);
    }
  });
});

const BAD_SD =
  /^(azure|ec2|eureka|hetzner|http_(url|token)|ionos|kubernetes|lightsail|marathon|oci|openstack|outscale|ovhcloud|puppetdb|scaleway|stackit|uyuni|url_in_targetgroup|empty_static_config)/;

describe('SD-related bad files fail for Prometheus reason', { skip: !haveData }, () => {
  const expected: { file: string; error: string }[] = haveData
    ? JSON.parse(readFileSync(dir + 'expected_errors.json', 'utf8'))
    : [];
  const cases = expected.filter((e) => BAD_SD.test(e.file));
  test('the table is not empty', () => assert.ok(cases.length >= 60, `${cases.length} cases`));
  for (const { file, error } of cases) {
    test(file, () => {
      const { messages } = parseSD(load(file));
      assert.ok(
        messages.some((m) => m.includes(error)),
        `expected ${JSON.stringify(error)}, got ${JSON.stringify(messages)}`,
      );
    });
  }
});

describe('defaults and value types', () => {
  const one = (key: SDKey, block: unknown) => {
    const r = v.safeParse(sdConfigEntries[key], [block]);
    assert.ok(r.success, JSON.stringify(r.issues?.map((i) => i.message)));
    return (r.output as Record<string, unknown>[])[0];
  };

  test('refresh intervals default per mechanism', () => {
    const ms = (x: unknown) => (x as Duration).ms;
    assert.equal(ms(one('file_sd_configs', { files: ['a.json'] }).refresh_interval), 300_000);
    assert.equal(ms(one('dns_sd_configs', { names: ['x'] }).refresh_interval), 30_000);
    assert.equal(ms(one('http_sd_configs', { url: 'http://a/b' }).refresh_interval), 60_000);
    assert.equal(ms(one('consul_sd_configs', {}).refresh_interval), 30_000);
    assert.equal(
      ms(
        one('azure_sd_configs', { subscription_id: 's', authentication_method: 'SDK' })
          .refresh_interval,
      ),
      300_000,
    );
    assert.equal(
      ms(one('file_sd_configs', { files: ['a.json'], refresh_interval: '10m' }).refresh_interval),
      600_000,
    );
  });

  test('other defaults', () => {
    const dns = one('dns_sd_configs', { names: ['x'] });
    assert.equal(dns.type, 'SRV');
    const h = one('http_sd_configs', { url: 'http://a/b' });
    assert.equal(h.follow_redirects, true);
    assert.equal(h.enable_http2, true);
    assert.equal(one('ec2_sd_configs', { region: 'r' }).port, 80);
    assert.equal(
      one('triton_sd_configs', { account: 'a', dns_suffix: 'd', endpoint: 'e' }).port,
      9163,
    );
    assert.equal(one('consul_sd_configs', {}).server, 'localhost:8500');
    assert.equal(one('digitalocean_sd_configs', {}).role, 'droplets');
  });

  test('secrets stay Secret', () => {
    const c = one('consul_sd_configs', {
      token: 'tok',
      basic_auth: { username: 'u', password: 'pw' },
    });
    assert.ok(c.token instanceof Secret);
    assert.equal(String(c.token), '<secret>');
    assert.equal((c.token as Secret).reveal(), 'tok');
    const pw = (c.basic_auth as { password: Secret }).password;
    assert.ok(pw instanceof Secret);
    assert.equal(JSON.stringify(c).includes('pw'), false);
    const m = one('marathon_sd_configs', { servers: ['http://m'], auth_token: 1234 });
    assert.equal((m.auth_token as Secret).reveal(), '1234');
  });

  test('null entries and unknown fields are errors', () => {
    const r = v.safeParse(sdConfigEntries.static_configs, [null]);
    assert.equal(r.success, false);
    assert.equal(r.issues?.[0].message, 'empty or null section in static_configs');
    const u = v.safeParse(sdConfigEntries.kubernetes_sd_configs, [{ role: 'pod', foo: 1 }]);
    assert.equal(u.issues?.[0].message, 'field foo not found in type kubernetes.plain');
    assert.equal(v.getDotPath(u.issues![0]), '0.foo');
  });

  test('block errors point at the list entry', () => {
    const r = v.safeParse(sdConfigEntries.file_sd_configs, [{ files: ['a.json'] }, {
      files: ['a/*/b.json'],
    }]);
    assert.equal(r.issues?.[0].message, 'path name "a/*/b.json" is not valid for file discovery');
    assert.equal(v.getDotPath(r.issues![0]), '1');
  });

  test('file_sd patterns', () => {
    const ok = (f: string) =>
      v.safeParse(sdConfigEntries.file_sd_configs, [{ files: [f] }]).success;
    assert.ok(ok('foo/*.slow.json'));
    assert.ok(ok('a/b.YAML'));
    assert.ok(!ok('a/b.txt'));
    assert.ok(!ok('*/b.json'));
    assert.equal(
      v.safeParse(sdConfigEntries.file_sd_configs, [{}]).issues?.[0].message,
      'file service discovery config must contain at least one path name',
    );
  });

  test('dns record types and ports', () => {
    const msg = (b: unknown) =>
      v.safeParse(sdConfigEntries.dns_sd_configs, [b]).issues?.[0].message;
    assert.equal(
      msg({ names: ['x'], type: 'A' }),
      'a port is required in DNS-SD configs for all record types except SRV',
    );
    assert.equal(msg({ names: ['x'], type: 'a', port: 80 }), undefined);
    assert.equal(msg({ names: ['x'], type: 'TXT', port: 80 }), 'invalid DNS-SD records type TXT');
    assert.equal(msg({ type: 'SRV' }), 'DNS-SD config must contain at least one SRV record name');
  });

  test('kubernetes selectors', () => {
    assert.equal(fieldSelectorProblem('metadata.name=x,spec.nodeName!=y'), undefined);
    assert.match(fieldSelectorProblem('a-b')!, /can't understand 'a-b'/);
    assert.equal(labelSelectorProblem('app=web,tier in (a, b),!legacy,env'), undefined);
    assert.ok(labelSelectorProblem('app==') === undefined);
    assert.ok(labelSelectorProblem('a b c') !== undefined);
  });
});
