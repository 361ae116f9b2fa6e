/**
 * Test certificates made with openssl in a temporary directory: a CA, a server certificate for
 * localhost and 127.0.0.1, a client certificate; and TLS servers on the runtime's own server.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Whether openssl can be run; tests skip (or fail under CI) without it. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** PEM texts and file paths of the generated certificates. */
export interface Certs {
  dir: string;
  file(name: string): string;
  pem(name: string): string;
}

/** Writes ca.crt, server.crt/key (CN localhost) and client.crt/key into `dir`. */
export function makeCerts(dir: string): Certs {
  const run = (args: string[], input?: string) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], input });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-subj', '/CN=Beacon test CA', '-days', '1'].concat(
    ['-keyout', 'ca.key', '-out', 'ca.crt'],
  ));
  const sign = (name: string, cn: string, ext: string) => {
    run(['req', ...ec, '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
    run([
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
      '/dev/stdin',
      '-out',
      `${name}.crt`,
    ], ext);
  };
  sign('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  sign('other', 'other.example', 'subjectAltName=DNS:other.example\n');
  sign('client', 'client', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    file: (name) => path.join(dir, name),
    pem: (name) => readFileSync(path.join(dir, name), 'utf8'),
  };
}

/** A TLS server answering every request with `handler`. */
export interface TlsServer {
  port: number;
  close(): Promise<void>;
}

/** The runtime running the tests. */
export const runtime: 'deno' | 'bun' = 'Bun' in globalThis ? 'bun' : 'deno';

/** Serves HTTPS with `cert`/`key` on the runtime's own server. */
export function serveTls(
  opts: { cert: string; key: string },
  handler: (req: Request) => Response | Promise<Response>,
): TlsServer {
  if (runtime === 'bun') {
    const bun = (globalThis as unknown as {
      Bun: { serve(o: unknown): { port: number; stop(force?: boolean): Promise<void> | void } };
    }).Bun;
    const tls = { cert: opts.cert, key: opts.key };
    const s = bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler, tls });
    return { port: s.port, close: async () => void await s.stop(true) };
  }
  const s = Deno.serve({
    hostname: '127.0.0.1',
    port: 0,
    onListen: () => {},
    cert: opts.cert,
    key: opts.key,
  }, handler);
  return { port: s.addr.port, close: () => s.shutdown() };
}
