/**
 * The request headers an HTTP client config adds: `http_headers`, `basic_auth`,
 * `authorization` and the legacy `bearer_token(_file)`. Files are re-read per request, so
 * rotated credentials are picked up as Prometheus picks them up.
 * @module
 */
import type { HttpClientConfig } from '../config/http_client.ts';
import type { Secret } from '../config/secret.ts';

/** Reads a credentials or certificate file; injected by the host. */
export type ReadFile = (path: string) => Promise<string>;

/** A request could not be prepared (a credentials file is unreadable, a token request failed). */
export class HttpClientError extends Error {
  override name = 'HttpClientError';
}

/** The part of the HTTP client config that yields headers. */
export type HeaderConfig = Pick<
  HttpClientConfig,
  'basic_auth' | 'authorization' | 'bearer_token' | 'bearer_token_file' | 'http_headers'
>;

const reveal = (s: Secret | undefined) => (s ? s.reveal() : '');

/** Reads `path` trimmed, with Prometheus's wording on failure. */
export function fileReader(readFile: ReadFile | undefined): (path: string) => Promise<string> {
  return async (path) => {
    if (!readFile) throw new HttpClientError(`cannot read ${path}: no file access on this host`);
    try {
      return (await readFile(path)).trim();
    } catch (e) {
      throw new HttpClientError(`unable to read file ${path}: ${(e as Error).message}`);
    }
  };
}

/** Builds the function that yields a client's auth and custom headers for each request. */
export function headerBuilder(cfg: HeaderConfig, readFile?: ReadFile): () => Promise<Headers> {
  const read = fileReader(readFile);
  return async () => {
    const h = new Headers();
    for (const [name, hv] of Object.entries(cfg.http_headers ?? {})) {
      for (const v of hv.values ?? []) h.append(name, v);
      for (const s of hv.secrets ?? []) h.append(name, s.reveal());
      for (const f of hv.files ?? []) h.append(name, await read(f));
    }
    const b = cfg.basic_auth;
    if (b) {
      const user = b.username_file ? await read(b.username_file) : b.username;
      const pass = b.password_file ? await read(b.password_file) : reveal(b.password);
      h.set('Authorization', 'Basic ' + base64(`${user}:${pass}`));
    }
    const a = cfg.authorization;
    if (a) {
      const cred = a.credentials_file ? await read(a.credentials_file) : reveal(a.credentials);
      h.set('Authorization', `${a.type} ${cred}`);
    } else if (cfg.bearer_token || cfg.bearer_token_file) {
      const tok = cfg.bearer_token_file
        ? await read(cfg.bearer_token_file)
        : reveal(cfg.bearer_token);
      h.set('Authorization', `Bearer ${tok}`);
    }
    return h;
  };
}

/** Base64 of the UTF-8 bytes of `s`. */
export function base64(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
