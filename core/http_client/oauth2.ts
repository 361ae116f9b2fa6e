/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) as Prometheus's `oauth2` block uses them: a
 * token from `token_url` with `scopes` and `endpoint_params`, client id and secret sent as
 * HTTP basic auth first and in the form body when the server refuses that, cached until ten
 * seconds before it expires.
 * @module
 */
import type { OAuth2Config } from '../config/http_client.ts';
import { base64, fileReader, HttpClientError, type ReadFile } from './headers.ts';

/** A token and when it stops being used (ms since the epoch; Infinity: no expiry given). */
interface Token {
  header: string;
  expiresAt: number;
}

/** Refresh this long before the server's expiry, as Go's oauth2 package does. */
const EXPIRY_DELTA_MS = 10_000;

/** Yields the `Authorization` header value, fetching a token when none is valid. */
export class OAuth2TokenSource {
  readonly #cfg: OAuth2Config;
  readonly #fetch: typeof fetch;
  readonly #read: (path: string) => Promise<string>;
  readonly #now: () => number;
  #token: Token | undefined;
  #pending: Promise<Token> | undefined;
  #secretUsed: string | undefined;

  /** `fetch` carries the block's own TLS and proxy settings. */
  constructor(cfg: OAuth2Config, fetchFn: typeof fetch, readFile?: ReadFile, now = Date.now) {
    this.#cfg = cfg;
    this.#fetch = fetchFn;
    this.#read = fileReader(readFile);
    this.#now = now;
  }

  /** `Bearer <token>` (or the server's token type). */
  async authorization(): Promise<string> {
    const secret = await this.#secret();
    // A rotated secret file invalidates the token, as in Prometheus.
    if (secret !== this.#secretUsed) this.#token = undefined;
    const t = this.#token;
    if (t && this.#now() < t.expiresAt - EXPIRY_DELTA_MS) return t.header;
    this.#pending ??= this.#request(secret).finally(() => (this.#pending = undefined));
    const fresh = await this.#pending;
    this.#token = fresh;
    this.#secretUsed = secret;
    return fresh.header;
  }

  async #secret(): Promise<string> {
    const c = this.#cfg;
    if (c.client_secret_file) return await this.#read(c.client_secret_file);
    return c.client_secret?.reveal() ?? '';
  }

  async #request(secret: string): Promise<Token> {
    try {
      return await this.#post(secret, true);
    } catch (e) {
      // Go's auto-detection: a server that rejects basic auth gets the credentials in the body.
      if (!(e instanceof TokenHttpError)) throw e;
      return await this.#post(secret, false);
    }
  }

  async #post(secret: string, inHeader: boolean): Promise<Token> {
    const c = this.#cfg;
    const form = new URLSearchParams();
    form.set('grant_type', 'client_credentials');
    if (c.scopes && c.scopes.length > 0) form.set('scope', c.scopes.join(' '));
    for (const [k, v] of Object.entries(c.endpoint_params ?? {})) form.set(k, v);
    const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded' });
    if (inHeader) {
      const id = encodeURIComponent(c.client_id), pw = encodeURIComponent(secret);
      headers.set('Authorization', 'Basic ' + base64(`${id}:${pw}`));
    } else {
      form.set('client_id', c.client_id);
      if (secret) form.set('client_secret', secret);
    }
    let resp: Response;
    try {
      resp = await this.#fetch(c.token_url, { method: 'POST', headers, body: form.toString() });
    } catch (e) {
      throw new HttpClientError(`oauth2: cannot fetch token: ${(e as Error).message}`);
    }
    const text = await resp.text();
    if (resp.status < 200 || resp.status > 299) {
      throw new TokenHttpError(
        `oauth2: cannot fetch token: ${resp.status} ${resp.statusText}\nResponse: ${text}`,
      );
    }
    const body = parseTokenBody(text, resp.headers.get('content-type') ?? '');
    const token = String(body.access_token ?? '');
    if (!token) throw new HttpClientError('oauth2: server response missing access_token');
    const expiresIn = Number(body.expires_in ?? 0);
    return {
      header: `${tokenType(String(body.token_type ?? ''))} ${token}`,
      expiresAt: expiresIn > 0 ? this.#now() + expiresIn * 1000 : Infinity,
    };
  }
}

class TokenHttpError extends HttpClientError {}

function parseTokenBody(text: string, contentType: string): Record<string, unknown> {
  if (/application\/x-www-form-urlencoded|text\/plain/i.test(contentType)) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new HttpClientError(`oauth2: cannot parse json: ${(e as Error).message}`);
  }
}

/** Go's oauth2 Token.Type: canonical spellings for the well-known types. */
function tokenType(t: string): string {
  switch (t.toLowerCase()) {
    case '':
    case 'bearer':
      return 'Bearer';
    case 'mac':
      return 'MAC';
    case 'basic':
      return 'Basic';
    default:
      return t;
  }
}
