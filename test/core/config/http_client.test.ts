import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { parse } from 'yaml';
import {
  canonicalHeaderKey,
  checkHttpClient,
  httpClientCheck,
  httpClientEntries,
  httpClientSchema,
  tlsConfigSchema,
} from '../../../core/config/http_client.ts';
import {
  durationSchema,
  secretSchema,
  sizeSchema,
  urlSchema,
} from '../../../core/config/schema_types.ts';
import { Secret } from '../../../core/config/secret.ts';

const dir = fileURLToPath(
  new URL('../../../../shared/testdata/prometheus-config/', import.meta.url),
);
const haveData = existsSync(dir);
if (!haveData) {
  if (process.env.CI === 'true') throw new Error(`test data missing: ${dir}`);
  console.log(`skipping HTTP client config conformance: ${dir} not found`);
}

const HTTP_KEYS = new Set(Object.keys(httpClientEntries));

/** The HTTP client fields of a scrape config, parsed on their own. */
function parseJobHttp(job: Record<string, unknown>) {
  const fields = Object.fromEntries(Object.entries(job).filter(([k]) => HTTP_KEYS.has(k)));
  return v.safeParse(httpClientSchema, fields);
}

const messages = (r: { issues?: v.BaseIssue<unknown>[] }) => (r.issues ?? []).map((i) => i.message);

describe('HTTP client config', () => {
  test('defaults: follow_redirects and enable_http2 are true', () => {
    const r = v.parse(httpClientSchema, {});
    assert.equal(r.follow_redirects, true);
    assert.equal(r.enable_http2, true);
    assert.equal(v.parse(httpClientSchema, { follow_redirects: false }).follow_redirects, false);
  });

  test('secrets stay Secret, including numbers read as strings', () => {
    const r = v.parse(httpClientSchema, {
      basic_auth: { username: 'u', password: 'pw' },
      proxy_url: 'http://proxy:3128',
      proxy_connect_header: { 'X-Token': ['t1'] },
    });
    assert.ok(r.basic_auth?.password instanceof Secret);
    assert.equal(r.basic_auth?.password?.reveal(), 'pw');
    assert.equal(JSON.stringify(r).includes('pw'), false);
    assert.ok(r.proxy_connect_header?.['X-Token'][0] instanceof Secret);
    const a = v.parse(httpClientSchema, { authorization: { credentials: 1234 } });
    assert.equal(a.authorization?.credentials?.reveal(), '1234');
    assert.equal(a.authorization?.type, 'Bearer');
  });

  test('unknown keys are errors, at their path', () => {
    const r = v.safeParse(httpClientSchema, { basic_auth: { username: 'u', pasword: 'x' } });
    assert.equal(r.success, false);
    assert.equal(v.getDotPath(r.issues![0]), 'basic_auth.pasword');
  });

  const rules: [unknown, string][] = [
    [
      { bearer_token: 'a', bearer_token_file: 'f' },
      'at most one of bearer_token & bearer_token_file must be configured',
    ],
    [
      { bearer_token: 'a', basic_auth: { username: 'u' } },
      'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured',
    ],
    [
      { basic_auth: { password: 'p', password_file: 'f' } },
      'at most one of basic_auth password, password_file & password_ref must be configured',
    ],
    [
      { basic_auth: { username: 'u', username_file: 'f' } },
      'at most one of basic_auth username, username_file & username_ref must be configured',
    ],
    [
      { authorization: { type: 'Basic', credentials: 'x' } },
      'authorization type cannot be set to "basic", use "basic_auth" instead',
    ],
    [
      { authorization: { credentials: 'x', credentials_file: 'f' } },
      'at most one of authorization credentials & credentials_file must be configured',
    ],
    [
      { authorization: { credentials: 'x' }, bearer_token: 'y' },
      'authorization is not compatible with bearer_token & bearer_token_file',
    ],
    [
      { authorization: { credentials: 'x' }, basic_auth: { username: 'u' } },
      'at most one of basic_auth, oauth2 & authorization must be configured',
    ],
    [
      { oauth2: { client_id: 'i', token_url: 'http://t' }, basic_auth: { username: 'u' } },
      'at most one of basic_auth, oauth2 & authorization must be configured',
    ],
    [{ oauth2: { token_url: 'http://t' } }, 'oauth2 client_id must be configured'],
    [{ oauth2: { client_id: 'i' } }, 'oauth2 token_url must be configured'],
    [{ no_proxy: 'a' }, 'if no_proxy is configured, proxy_url must also be configured'],
    [
      { proxy_from_environment: true, proxy_url: 'http://p' },
      'if proxy_from_environment is configured, proxy_url must not be configured',
    ],
    [
      { proxy_connect_header: { a: ['b'] } },
      'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured',
    ],
    [
      { tls_config: { cert_file: 'c' } },
      'exactly one of key or key_file must be configured when a client certificate is configured',
    ],
    [
      { tls_config: { key_file: 'k' } },
      'exactly one of cert or cert_file must be configured when a client key is configured',
    ],
    [
      { tls_config: { cert: 'c', cert_file: 'f', key_file: 'k' } },
      'at most one of cert, cert_file & cert_ref must be configured',
    ],
    [
      { tls_config: { ca: 'c', ca_file: 'f' } },
      'at most one of ca, ca_file & ca_ref must be configured',
    ],
    [
      { tls_config: { min_version: 'TLS13', max_version: 'TLS12' } },
      'tls_config.max_version must be greater than or equal to tls_config.min_version if both are specified',
    ],
    [{ tls_config: { min_version: 'TLS14' } }, 'unknown TLS version: TLS14'],
    [
      { http_headers: { 'user-agent': { values: ['x'] } } },
      'setting header "User-Agent" is not allowed',
    ],
  ];
  for (const [input, msg] of rules) {
    test(
      msg,
      () =>
        assert.ok(
          messages(v.safeParse(httpClientSchema, input)).includes(msg),
          JSON.stringify(messages(v.safeParse(httpClientSchema, input))),
        ),
    );
  }

  test('checkHttpClient and httpClientCheck work on a wider object', () => {
    const schema = v.pipe(
      v.strictObject({ job_name: v.string(), ...httpClientEntries }),
      httpClientCheck(),
    );
    const r = v.safeParse(schema, { job_name: 'j', bearer_token: 'a', bearer_token_file: 'b' });
    assert.deepEqual(messages(r), [
      'at most one of bearer_token & bearer_token_file must be configured',
    ]);
    assert.equal(
      checkHttpClient(v.parse(httpClientSchema, { basic_auth: { username: 'u' } })),
      undefined,
    );
  });

  test('tlsConfigSchema alone', () => {
    assert.equal(v.parse(tlsConfigSchema, { ca_file: 'x' }).insecure_skip_verify, false);
    assert.equal(v.safeParse(tlsConfigSchema, { foo: 1 }).success, false);
  });

  test('canonicalHeaderKey', () => {
    assert.equal(
      canonicalHeaderKey('x-prometheus-remote-write-version'),
      'X-Prometheus-Remote-Write-Version',
    );
    assert.equal(canonicalHeaderKey('has space'), 'has space');
  });
});

describe('shared value schemas', () => {
  test('durations', () => {
    assert.equal(v.parse(durationSchema, '1m30s').ms, 90_000);
    assert.equal(v.parse(durationSchema, 0).ms, 0);
    assert.deepEqual(messages(v.safeParse(durationSchema, '10x')), ['invalid duration "10x"']);
  });
  test('secrets, urls, sizes', () => {
    assert.equal(String(v.parse(secretSchema, 'abc')), '<secret>');
    assert.equal(v.parse(urlSchema, 'http://a:9090/x'), 'http://a:9090/x');
    assert.equal(v.parse(urlSchema, 'kubernetes:443'), 'kubernetes:443');
    assert.equal(v.safeParse(urlSchema, 'http://a:b/').success, false);
    assert.equal(v.safeParse(urlSchema, 'a%zz').success, false);
    assert.equal(v.parse(sizeSchema, '10MB').bytes, 10 * 1024 * 1024);
    assert.deepEqual(messages(v.safeParse(sizeSchema, '100')), ['units: unknown unit  in 100']);
  });
});

describe('scrape-level HTTP client fields of the test data', { skip: !haveData }, () => {
  const load = (f: string) =>
    parse(readFileSync(dir + f, 'utf8')) as { scrape_configs: Record<string, unknown>[] };
  test('conf.good.yml jobs parse', () => {
    for (const job of load('conf.good.yml').scrape_configs) {
      assert.deepEqual(messages(parseJobHttp(job)), [], String(job.job_name));
    }
  });
  for (
    const [file, error] of [
      ['bearertoken.bad.yml', 'at most one of bearer_token & bearer_token_file must be configured'],
      [
        'bearertoken_basicauth.bad.yml',
        'at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured',
      ],
    ]
  ) {
    test(file, () => {
      const expected = JSON.parse(readFileSync(dir + 'expected_errors.json', 'utf8')) as {
        file: string;
        error: string;
      }[];
      assert.equal(expected.find((e) => e.file === file)?.error, error);
      const all = load(file).scrape_configs.flatMap((j) => messages(parseJobHttp(j)));
      assert.ok(all.includes(error), JSON.stringify(all));
    });
  }
});
