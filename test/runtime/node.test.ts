// The Node.js build through its real door: `npm run build`'s bundle started with the machine's
// `node`, then probed over HTTP and driven by signals. Runs under the Deno and Bun test
// runners like every other test; skips (except in CI) when esbuild is not installed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { repoRoot, tempDir } from '../helpers/host.ts';
import { eventually, freePort } from '../helpers/process.ts';
import { buildNodeBundle, storyRuntimes } from './story_helpers.ts';

const bundle = path.join(repoRoot, 'dist', 'beacon.mjs');
const esbuildPresent = existsSync(path.join(repoRoot, 'node_modules', 'esbuild', 'package.json'));
// `npm test` runs every file under Deno and then Bun: the Node.js build is tested once, by the
// runner that also runs the Node.js runtime story.
const skip = !storyRuntimes().includes('node')
  ? 'the Node.js build is tested by the other test runner'
  : esbuildPresent || process.env.CI === 'true'
  ? false
  : 'esbuild is not installed (npm install --save-dev esbuild); skipping the Node.js build test';
if (skip) console.log(skip);

const tmp = tempDir();
after(() => tmp.remove());

// Relabelling exercises the RE2 translation on Node's regex engine (V8 11.3 in Node 20):
// case-insensitive groups, `.` repeated, and Unicode classes.
const config = (job: string) =>
  `global:
  scrape_interval: 1h
scrape_configs:
  - job_name: ${job}
    static_configs:
      - targets: ['localhost:1']
    relabel_configs:
      - source_labels: [__address__]
        regex: '(?i)LOCALHOST:.+'
        target_label: fold
        replacement: matched
      - source_labels: [job]
        regex: '\\p{L}+'
        target_label: letters
        replacement: matched
      - source_labels: [__address__]
        regex: '(.*):(\\d+)'
        target_label: port
        replacement: $2
`;

/** A `node dist/beacon.mjs` process with its output collected. */
interface NodeBeacon {
  child: ChildProcess;
  logs(): string;
  exited: Promise<number>;
  running(): boolean;
}

function startNode(args: string[]): NodeBeacon {
  const child = spawn('node', [bundle, ...args], {
    cwd: tmp.dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  child.stderr!.on('data', (d) => (logs += d));
  let running = true;
  const exited = new Promise<number>((resolve) =>
    child.on('close', (c) => {
      running = false;
      resolve(c ?? -1);
    })
  );
  return { child, logs: () => logs, exited, running: () => running };
}

/** Sends SIGTERM (if still running) and resolves with the exit code, SIGKILL after 15 s. */
async function stop(b: NodeBeacon): Promise<number> {
  if (b.running()) process.kill(b.child.pid!, 'SIGTERM');
  const timer = setTimeout(() => b.child.kill('SIGKILL'), 15_000);
  const code = await b.exited;
  clearTimeout(timer);
  return code;
}

/** Waits until `probe` says the server is up, failing early if the process exits. */
async function waitReady(b: NodeBeacon, probe: () => Promise<boolean>): Promise<void> {
  await eventually(async () => {
    if (!b.running()) throw new Error(`node exited before it was ready:\n${b.logs()}`);
    try {
      return await probe();
    } catch {
      return false;
    }
  }, 20_000).catch((e) => {
    throw new Error(`${e.message}\n${b.logs()}`);
  });
}

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('Node.js build', { skip }, () => {
  before(() => {
    buildNodeBundle();
    assert.ok(existsSync(bundle));
  });

  test('serves, reloads on SIGHUP and stops on SIGTERM with exit 0', async () => {
    const nodeVersion = spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim();
    const file = tmp.write('beacon.yml', config('nodejob'));
    const port = await freePort();
    const b = startNode([
      `--config.file=${file}`,
      `--storage.tsdb.path=${path.join(tmp.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.format=json',
    ]);
    const url = `http://127.0.0.1:${port}`;
    const get = async (p: string) => {
      const res = await fetch(url + p);
      return { status: res.status, text: await res.text() };
    };
    try {
      await waitReady(b, async () => (await get('/-/ready')).status === 200);

      const info = JSON.parse((await get('/api/v1/status/buildinfo')).text);
      assert.equal(info.status, 'success');
      assert.equal(info.data.goVersion, `node ${nodeVersion.replace(/^v/, '')}`);

      const metrics = await get('/metrics');
      assert.equal(metrics.status, 200);
      assert.match(metrics.text, /^beacon_build_info\{.*runtime="node".*\} 1$/m);
      assert.match(metrics.text, /^beacon_config_last_reload_successful 1$/m);

      const targets = JSON.parse((await get('/api/v1/targets')).text);
      const labels = targets.data.activeTargets[0].labels;
      assert.deepEqual(
        { fold: labels.fold, letters: labels.letters, port: labels.port },
        { fold: 'matched', letters: 'matched', port: '1' },
        'RE2 regexes behave on Node as on Deno and Bun',
      );

      tmp.write('beacon.yml', config('renamed'));
      process.kill(b.child.pid!, 'SIGHUP');
      await eventually(async () =>
        /job_name: renamed/.test((await get('/api/v1/status/config')).text)
      );
      assert.equal((await get('/-/healthy')).status, 200);
    } finally {
      assert.equal(await stop(b), 0, b.logs());
    }
    assert.match(b.logs(), /stopping gracefully/);
  });

  test('HTTPS with a verified client certificate (RequireAndVerifyClientCert)', {
    skip: !hasOpenssl() && process.env.CI !== 'true' ? 'openssl is not installed' : false,
  }, async () => {
    makeCerts(tmp.dir);
    const web = tmp.write(
      'web.yml',
      'tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n' +
        '  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n',
    );
    const port = await freePort();
    const b = startNode([
      `--config.file=${tmp.write('tls.yml', config('tls'))}`,
      `--storage.tsdb.path=${path.join(tmp.dir, 'tls-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.config.file=${web}`,
    ]);
    try {
      // Node's own https client, so the check does not depend on the test runtime's TLS.
      const probe = (withCert: boolean) =>
        new Promise<string>((resolve) => {
          const c = spawn('node', ['--input-type=module', '-e', HTTPS_PROBE], {
            cwd: tmp.dir,
            env: {
              ...process.env,
              URL: `https://localhost:${port}/-/ready`,
              CERT: withCert ? '1' : '',
            },
            stdio: ['ignore', 'pipe', 'ignore'],
          });
          let out = '';
          c.stdout.on('data', (d) => (out += d));
          const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
          c.on('close', () => {
            clearTimeout(timer);
            resolve(out.trim());
          });
        });
      await waitReady(b, async () => (await probe(true)) === '200');
      assert.notEqual(await probe(false), '200', 'a client without a certificate is refused');
      await eventually(() => Promise.resolve(/tls=true/.test(b.logs())));
    } finally {
      assert.equal(await stop(b), 0, b.logs());
    }
  });
});

// Prints the status code of GET $URL trusting ca.crt, with client.crt/key when $CERT is set.
const HTTPS_PROBE = `
import https from 'node:https';
import { readFileSync } from 'node:fs';
const withCert = process.env.CERT === '1';
const req = https.get(process.env.URL, {
  ca: readFileSync('ca.crt'),
  cert: withCert ? readFileSync('client.crt') : undefined,
  key: withCert ? readFileSync('client.key') : undefined,
  agent: false,
}, (res) => { res.resume(); console.log(res.statusCode); });
req.on('error', (e) => console.log('error ' + (e.code ?? e.message)));
`;

/** Writes ca.crt, server.crt/key (localhost) and client.crt/key (client auth) into `dir`. */
function makeCerts(dir: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(
    'req',
    '-x509',
    ...ec,
    '-subj',
    '/CN=Beacon test CA',
    '-days',
    '1',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
  );
  const exts: Record<string, string> = {
    server: 'subjectAltName=DNS:localhost,IP:127.0.0.1\n',
    client: 'subjectAltName=DNS:client.example\nextendedKeyUsage=clientAuth\n',
  };
  for (const [name, ext] of Object.entries(exts)) {
    writeFileSync(path.join(dir, `${name}.ext`), ext);
    run('req', ...ec, '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    );
  }
}
