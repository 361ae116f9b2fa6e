import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigLoadError } from '../../../core/config/mod.ts';
import { loadWebConfig, parseWebConfigText } from '../../../core/web_config/mod.ts';

const HASH = '$2y$04$I2wjS4m3H6cdXp8wYwvni.tniTjQhJDW8Arb3lpaEJ8Sig34aF./K';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nTOPSECRETKEY\n-----END PRIVATE KEY-----\n';

/** An in-memory file system. */
function memFS(files: Record<string, string>) {
  return {
    readTextFile(path: string): Promise<string> {
      if (path in files) return Promise.resolve(files[path]);
      return Promise.reject(new Error(`no such file: ${path}`));
    },
  };
}

/** The error lines (`file:line:col: path: message`) a bad config gives. */
async function errorsOf(text: string, extra: Record<string, string> = {}): Promise<string[]> {
  try {
    await loadWebConfig('/etc/beacon/web.yml', memFS({ '/etc/beacon/web.yml': text, ...extra }));
  } catch (e) {
    assert.ok(e instanceof ConfigLoadError, String(e));
    return e.errors.map(String);
  }
  assert.fail('expected the config to be rejected');
}

describe('web config parsing', () => {
  test('an empty file serves plain HTTP without auth', async () => {
    const c = await loadWebConfig('w.yml', memFS({ 'w.yml': '' }));
    assert.equal(c.tls, undefined);
    assert.equal(c.users.size, 0);
    assert.deepEqual(c.headers, {});
    assert.equal(c.http2, true);
  });

  test('a full config: files relative to the config, defaults as upstream', async () => {
    const text = [
      'tls_server_config:',
      '  cert_file: tls/server.crt',
      '  key_file: /abs/server.key',
      '  client_auth_type: RequireAndVerifyClientCert',
      '  client_ca_file: tls/ca.crt',
      '  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]',
      '  curve_preferences: [X25519, CurveP256]',
      'http_server_config:',
      '  http2: false',
      '  headers:',
      '    X-Frame-Options: deny',
      '    Strict-Transport-Security: max-age=31536000',
      'basic_auth_users:',
      `  alice: ${HASH}`,
      'rate_limit:',
      '  interval: 100ms',
      '  burst: 5',
    ].join('\n');
    const c = await loadWebConfig(
      '/etc/beacon/web.yml',
      memFS({
        '/etc/beacon/web.yml': text,
        '/etc/beacon/tls/server.crt': CERT,
        '/abs/server.key': KEY,
        '/etc/beacon/tls/ca.crt': CERT,
      }),
    );
    assert.ok(c.tls);
    assert.equal(c.tls.cert, CERT);
    assert.equal(c.tls.key.reveal(), KEY);
    assert.equal(c.tls.clientCa, CERT);
    assert.equal(c.tls.clientAuth, 'RequireAndVerifyClientCert');
    assert.equal(c.tls.minVersion, 'TLS12');
    assert.equal(c.tls.maxVersion, 'TLS13');
    assert.equal(c.tls.preferServerCipherSuites, true);
    assert.equal(c.tls.http2, false);
    assert.deepEqual(c.tls.curvePreferences, ['X25519', 'CurveP256']);
    assert.deepEqual(c.tlsFiles, [
      '/etc/beacon/tls/server.crt',
      '/abs/server.key',
      '/etc/beacon/tls/ca.crt',
    ]);
    assert.equal(c.users.get('alice')?.reveal(), HASH);
    assert.deepEqual(c.rateLimit, { intervalMs: 100, burst: 5 });
    // Nothing secret survives printing.
    const printed = JSON.stringify(c) + String(c.tls.key) + JSON.stringify([...c.users]);
    assert.ok(!printed.includes('TOPSECRETKEY') && !printed.includes(HASH), printed);
  });

  test('inline cert and key; RequireClientCert is the old name of RequireAnyClientCert', async () => {
    const text = `tls_server_config:\n  cert: |\n${indent(CERT)}  key: |\n${indent(KEY)}` +
      `  client_auth_type: RequireClientCert\n  client_ca: |\n${indent(CERT)}`;
    const c = await loadWebConfig('w.yml', memFS({ 'w.yml': text }));
    assert.equal(c.tls?.key.reveal(), KEY);
    assert.equal(c.tls?.clientAuth, 'RequireAnyClientCert');
  });

  test('unknown keys, bad enums and types are reported with positions, all at once', async () => {
    const errors = await errorsOf([
      'tls_server_config:',
      '  cert_file: a.crt',
      '  key_file: a.key',
      '  min_version: TLS14',
      '  cipher_suites: [TLS_FOO]',
      '  curve_preferences: [P999]',
      '  certfile: x',
      'http_server_config:',
      '  http2: maybe',
      'basic_auth_users: [alice]',
      'bogus: 1',
    ].join('\n'));
    assert.deepEqual(errors, [
      '/etc/beacon/web.yml:4:16: tls_server_config.min_version: unknown TLS version: TLS14',
      '/etc/beacon/web.yml:5:19: tls_server_config.cipher_suites[0]: unknown cipher: TLS_FOO',
      '/etc/beacon/web.yml:6:23: tls_server_config.curve_preferences[0]: unknown curve: P999',
      '/etc/beacon/web.yml:7:3: tls_server_config.certfile: field certfile not found in type TLSConfig',
      '/etc/beacon/web.yml:9:10: http_server_config.http2: expected a boolean, got string "maybe"',
      '/etc/beacon/web.yml:10:19: basic_auth_users: expected a mapping, got a list',
      '/etc/beacon/web.yml:11:1: bogus: field bogus not found in type Config',
    ]);
  });

  test("upstream's cross-field rules", async () => {
    const tls = (lines: string[]) =>
      errorsOf(['tls_server_config:', ...lines.map((l) => `  ${l}`)].join('\n'), {
        '/etc/beacon/a.crt': CERT,
        '/etc/beacon/a.key': KEY,
      });
    assert.deepEqual(await tls(['cert_file: a.crt']), [
      '/etc/beacon/web.yml:2:3: tls_server_config: missing one of key or key_file',
    ]);
    assert.deepEqual(await tls(['key_file: a.key']), [
      '/etc/beacon/web.yml:2:3: tls_server_config: missing one of cert or cert_file',
    ]);
    assert.deepEqual(await tls(['cert_file: a.crt', 'key_file: a.key', 'client_ca_file: a.crt']), [
      "/etc/beacon/web.yml:2:3: tls_server_config: client CA's have been configured without a Client Auth Policy",
    ]);
    assert.deepEqual(
      await tls(['cert_file: a.crt', 'key_file: a.key', 'client_auth_type: Sometimes']),
      ['/etc/beacon/web.yml:4:21: tls_server_config.client_auth_type: invalid ClientAuth: Sometimes'],
    );
    assert.deepEqual(
      await tls([
        'cert_file: a.crt',
        'key_file: a.key',
        'client_auth_type: VerifyClientCertIfGiven',
        'client_allowed_sans: [a.example]',
      ]),
      [
        '/etc/beacon/web.yml:5:24: tls_server_config.client_allowed_sans: client_allowed_sans requires client_auth_type to be one of RequireAnyClientCert or RequireAndVerifyClientCert',
      ],
    );
    assert.deepEqual(
      await tls([
        'cert_file: a.crt',
        'key_file: a.key',
        'min_version: TLS13',
        'max_version: TLS12',
      ]),
      [
        '/etc/beacon/web.yml:5:16: tls_server_config.max_version: max_version must not be lower than min_version',
      ],
    );
    assert.deepEqual(await tls(['cert_file: missing.crt', 'key_file: a.key']), [
      '/etc/beacon/web.yml:2:14: tls_server_config.cert_file: failed to read cert_file (/etc/beacon/missing.crt): no such file: /etc/beacon/missing.crt',
    ]);
    assert.deepEqual(await tls(['cert_file: a.key', 'key_file: a.crt']), [
      '/etc/beacon/web.yml:2:14: tls_server_config.cert_file: no PEM certificate found in cert_file',
      '/etc/beacon/web.yml:3:13: tls_server_config.key_file: no PEM private key found in key_file',
    ]);
  });

  test('headers: only the allowed ones, enumerated values checked', async () => {
    const errors = await errorsOf([
      'http_server_config:',
      '  headers:',
      '    Content-Type: text/html',
      '    X-Frame-Options: allow',
      '    X-Content-Type-Options: nosniff',
    ].join('\n'));
    assert.deepEqual(errors, [
      '/etc/beacon/web.yml:3:19: http_server_config.headers["Content-Type"]: HTTP header "Content-Type" can not be configured',
      '/etc/beacon/web.yml:4:22: http_server_config.headers["X-Frame-Options"]: invalid value for X-Frame-Options. Expected one of: ["deny","sameorigin"], but got: "allow"',
    ]);
  });

  test('a bad password hash names the user, never the hash', async () => {
    const errors = await errorsOf('basic_auth_users:\n  bob: hunter2-in-clear\n  alice: ' + HASH);
    assert.deepEqual(errors, [
      '/etc/beacon/web.yml:2:8: basic_auth_users.bob: user "bob": not a bcrypt hash (expected $2a$, $2b$ or $2y$)',
    ]);
  });

  test('YAML errors and duplicate keys are positioned', () => {
    assert.throws(() => parseWebConfigText('basic_auth_users:\n  a: x\n  a: y\n', 'w.yml'), (e) => {
      assert.ok(e instanceof ConfigLoadError);
      assert.equal(
        e.errors.map(String).join('\n'),
        'w.yml:3:3: basic_auth_users.a: field a already set in this mapping',
      );
      return true;
    });
    assert.throws(() => parseWebConfigText('a: [', 'w.yml'), ConfigLoadError);
  });

  test('a missing file is a clear error', async () => {
    await assert.rejects(loadWebConfig('nope.yml', memFS({})), /cannot read web config file/);
  });
});

function indent(pem: string): string {
  return pem.split('\n').filter(Boolean).map((l) => `    ${l}\n`).join('');
}
