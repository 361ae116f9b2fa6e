/**
 * `http_sd_configs`: target groups fetched as JSON from an HTTP endpoint.
 * @module
 */

import type * as v from 'valibot';
import { block, checkHttpUrl, http, httpRules, opt, refreshInterval, str } from './common.ts';
import type { HttpClientConfig } from '../http_client.ts';

/** Rules of an HTTP SD block: an http(s) URL with a host, then the client rules. */
export function checkHttpSD(c: HttpClientConfig & { url?: string }): string | undefined {
  return checkHttpUrl(c.url) ?? httpRules(c);
}

/** An `http_sd_configs` entry; refresh_interval defaults to 1m. */
export const httpSDSchema = block('http.plain', {
  ...http,
  url: opt(str),
  refresh_interval: refreshInterval(60_000),
}, checkHttpSD);

/** A parsed HTTP SD block. */
export type HttpSDConfig = v.InferOutput<typeof httpSDSchema>;
