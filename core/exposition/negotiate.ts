/**
 * Content negotiation for the text exposition formats, both directions: choosing what to
 * serve for a request's `Accept` header (as client_golang's `promhttp` does), and building the
 * `Accept` header a scrape sends from `scrape_protocols` (as Prometheus's scraper does).
 *
 * @example
 * ```ts
 * negotiate('application/openmetrics-text;version=1.0.0;q=0.5,text/plain;q=0.4').format;
 * // 'openmetrics'
 * scrapeAcceptHeader(DEFAULT_SCRAPE_PROTOCOLS);
 * // 'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,…,*∕*;q=0.2'
 * ```
 * @module
 */
import type { ExpositionFormat } from './types.ts';

/** Content type of the Prometheus text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** Content type of OpenMetrics 1.0.0 text. */
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';
/** Content type of OpenMetrics 0.0.1 text (same bytes as 1.0.0; older scrapers ask for it). */
export const OPENMETRICS_0_0_1_CONTENT_TYPE =
  'application/openmetrics-text; version=0.0.1; charset=utf-8';

/** The name-escaping schemes a client may request with the `escaping` parameter. */
export type EscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

/** The outcome of negotiation. */
export interface Negotiated {
  format: ExpositionFormat;
  /** The `Content-Type` to answer with. */
  contentType: string;
  /**
   * The escaping scheme the chosen (or an earlier) media range asked for, if any. The writer
   * always quotes non-legacy names (`allow-utf-8`); escaping names is left to the caller.
   */
  escaping?: EscapingScheme;
}

/** One media range of an `Accept` header. */
export interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
}

const ESCAPINGS = new Set(['allow-utf-8', 'underscores', 'dots', 'values']);

/**
 * Parses an `Accept` header into media ranges, most preferred first: by q descending, then
 * concrete types before wildcards, otherwise in header order. Type, subtype and parameter
 * names are lower-cased; quoted parameter values are unquoted.
 */
export function parseAccept(header: string): MediaRange[] {
  const out: (MediaRange & { i: number })[] = [];
  let i = 0;
  for (const part of header.split(',')) {
    const segs = part.split(';');
    const mt = segs[0].trim().toLowerCase();
    const slash = mt.indexOf('/');
    if (mt === '' || slash <= 0) continue;
    const params: Record<string, string> = {};
    let q = 1;
    for (let k = 1; k < segs.length; k++) {
      const eq = segs[k].indexOf('=');
      if (eq < 0) continue;
      const key = segs[k].slice(0, eq).trim().toLowerCase();
      let val = segs[k].slice(eq + 1).trim();
      if (val.length >= 2 && val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1);
      if (key === 'q') {
        const n = Number(val);
        if (val !== '' && Number.isFinite(n)) q = n;
      } else params[key] = val;
    }
    out.push({ type: mt.slice(0, slash), subtype: mt.slice(slash + 1), params, q, i: i++ });
  }
  out.sort((a, b) =>
    b.q - a.q || Number(a.type === '*') - Number(b.type === '*') ||
    Number(a.subtype === '*') - Number(b.subtype === '*') || a.i - b.i
  );
  return out.map(({ type, subtype, params, q }) => ({ type, subtype, params, q }));
}

/**
 * Chooses the exposition format for an `Accept` header as client_golang does: the first
 * acceptable range in preference order wins; `text/plain` (no version, 0.0.4 or 1.0.0) gives
 * text, `application/openmetrics-text` with version 1.0.0 gives OpenMetrics 1.0.0 and with
 * 0.0.1 or no version OpenMetrics 0.0.1; anything else, or nothing, falls back to text.
 * Unlike client_golang, ranges with `q=0` are skipped, as RFC 9110 says they are refused.
 */
export function negotiate(accept: string | null | undefined): Negotiated {
  let escaping: EscapingScheme | undefined;
  for (const r of parseAccept(accept ?? '')) {
    if (r.q <= 0) continue;
    const esc = r.params['escaping'];
    if (esc !== undefined && ESCAPINGS.has(esc)) escaping = esc as EscapingScheme;
    const ver = r.params['version'];
    if (r.type === 'text' && r.subtype === 'plain') {
      if (ver === undefined || ver === '' || ver === '0.0.4' || ver === '1.0.0') {
        return { format: 'text', contentType: TEXT_CONTENT_TYPE, escaping };
      }
    } else if (r.type === 'application' && r.subtype === 'openmetrics-text') {
      if (ver === '1.0.0') {
        return { format: 'openmetrics', contentType: OPENMETRICS_CONTENT_TYPE, escaping };
      }
      if (ver === undefined || ver === '' || ver === '0.0.1') {
        return { format: 'openmetrics', contentType: OPENMETRICS_0_0_1_CONTENT_TYPE, escaping };
      }
    }
  }
  return { format: 'text', contentType: TEXT_CONTENT_TYPE, escaping };
}

/** The content type a format is served with by default. */
export function contentTypeOf(format: ExpositionFormat): string {
  return format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : TEXT_CONTENT_TYPE;
}

/** The protocols a scrape config may list in `scrape_protocols`. */
export type ScrapeProtocol =
  | 'OpenMetricsText1.0.0'
  | 'OpenMetricsText0.0.1'
  | 'PrometheusText1.0.0'
  | 'PrometheusText0.0.4'
  | 'PrometheusProto';

/** The media range each scrape protocol asks for (Prometheus `config.ScrapeProtocolsHeaders`). */
export const SCRAPE_PROTOCOL_HEADERS: Readonly<Record<ScrapeProtocol, string>> = {
  'PrometheusProto':
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
  'PrometheusText0.0.4': 'text/plain;version=0.0.4',
  'PrometheusText1.0.0': 'text/plain;version=1.0.0',
  'OpenMetricsText0.0.1': 'application/openmetrics-text;version=0.0.1',
  'OpenMetricsText1.0.0': 'application/openmetrics-text;version=1.0.0',
};

/** Prometheus's default `scrape_protocols`, most preferred first. */
export const DEFAULT_SCRAPE_PROTOCOLS: readonly ScrapeProtocol[] = [
  'OpenMetricsText1.0.0',
  'OpenMetricsText0.0.1',
  'PrometheusText1.0.0',
  'PrometheusText0.0.4',
];

/** Whether `s` names a scrape protocol. */
export function isScrapeProtocol(s: string): s is ScrapeProtocol {
  return Object.hasOwn(SCRAPE_PROTOCOL_HEADERS, s);
}

/**
 * Builds a scrape's `Accept` header as Prometheus 3 does: each protocol's media range with a
 * descending weight starting at `q=0.<number of known protocols + 1>`, then `*∕*` with the next
 * weight. The 1.0.0 text protocols carry `escaping=<scheme>` (default `allow-utf-8`, as
 * Prometheus 3 with UTF-8 name validation); pass `escaping: null` to leave it out.
 */
export function scrapeAcceptHeader(
  protocols: readonly ScrapeProtocol[],
  opts: { escaping?: EscapingScheme | null } = {},
): string {
  const escaping = opts.escaping === undefined ? 'allow-utf-8' : opts.escaping;
  let weight = Object.keys(SCRAPE_PROTOCOL_HEADERS).length + 1;
  const vals: string[] = [];
  for (const p of protocols) {
    let v = SCRAPE_PROTOCOL_HEADERS[p];
    if (escaping !== null && (p === 'PrometheusText1.0.0' || p === 'OpenMetricsText1.0.0')) {
      v += ';escaping=' + escaping;
    }
    vals.push(v + ';q=0.' + weight);
    weight--;
  }
  vals.push('*/*;q=0.' + weight);
  return vals.join(',');
}
