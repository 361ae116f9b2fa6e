/**
 * Entry point of the exposition parsers: picks the format from the content type, decodes
 * the body once and returns a pull parser.
 *
 * @example
 * ```ts
 * const p = createParser(body, response.headers.get('content-type'));
 * for (let kind = p.next(); kind !== 'eof'; kind = p.next()) {
 *   if (kind !== 'series') continue;
 *   const key = p.seriesText();
 *   let ref = cache.get(key);
 *   if (ref === undefined) cache.set(key, ref = store.add(p.labels()));
 *   append(ref, p.timestamp ?? now, p.value);
 * }
 * ```
 * @module
 */
import { OpenMetricsParser } from './openmetrics_parser.ts';
import { ParseError } from './parse_error.ts';
import { codesOf } from './parse_number.ts';
import { StrictParser } from './strict.ts';
import { TextParser } from './text_parser.ts';
import type { ExpositionFormat, ExpositionParser, ParseOptions } from './types.ts';

/**
 * The format a scrape response's `Content-Type` announces: `application/openmetrics-text`
 * is OpenMetrics; anything else, or none, is the text format, as Prometheus falls back to.
 */
export function formatForContentType(contentType: string | null | undefined): ExpositionFormat {
  if (!contentType) return 'text';
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/openmetrics-text' ? 'openmetrics' : 'text';
}

/**
 * Creates a pull parser for a whole exposition body. The body is decoded once (UTF-8,
 * invalid bytes are a `ParseError` naming their line); a scrape reads the body fully
 * anyway, so chunked feeding is not offered. With `{ strict: true }` the parser also
 * enforces the specification's family rules (see `StrictParser`).
 */
export function createParser(
  body: Uint8Array | string,
  contentType?: string | null,
  options: ParseOptions = {},
): ExpositionParser {
  return createParserFor(body, formatForContentType(contentType), options);
}

/** Like {@link createParser}, with the format given directly. */
export function createParserFor(
  body: Uint8Array | string,
  format: ExpositionFormat,
  options: ParseOptions = {},
): ExpositionParser {
  const src = typeof body === 'string' ? body : decodeBody(body);
  // An ASCII body decodes to as many characters as it has bytes: scan the bytes themselves.
  const codes = typeof body !== 'string' && src.length === body.length ? body : codesOf(src);
  const strict = options.strict === true;
  const p = format === 'openmetrics'
    ? new OpenMetricsParser(src, codes, strict)
    : new TextParser(src, codes);
  return strict ? new StrictParser(p) : p;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a UTF-8 body, turning invalid bytes into a `ParseError` with their line. */
export function decodeBody(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
    throw new ParseError(line, 'invalid UTF-8');
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}
