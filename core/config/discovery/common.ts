/**
 * Building blocks shared by the service-discovery config schemas: strict blocks with
 * Prometheus-style unknown-field messages, list wrappers, and the cross-field check hook.
 * @module
 */

import * as v from 'valibot';
import { durationSchema, opt, optDefault, stringSchema, urlProblem } from '../schema_types.ts';
import { formatDuration } from '../duration.ts';
import { checkHttpClient, type HttpClientConfig, httpClientEntries } from '../http_client.ts';

export { opt, optDefault };

/** A string field (YAML scalars become strings, as in Go). */
export const str = stringSchema;

/** An integer field (ports, versions). */
export const int = v.pipe(v.number('expected an integer'), v.integer('expected an integer'));

/** A list of strings. */
export const strList = v.array(stringSchema);

/** `refresh_interval` with the mechanism's default. */
export function refreshInterval(defaultMs: number) {
  return optDefault(durationSchema, formatDuration(defaultMs));
}

/** The HTTP client entries, for SD blocks that inline Prometheus's HTTPClientConfig. */
export const http = httpClientEntries;

/** A cross-field rule: the first violated rule's message, or `undefined`. */
export type BlockCheck<T> = (cfg: T) => string | undefined;

/**
 * A strict object whose unknown keys are reported as Go's YAML decoder does
 * (`field foo not found in type kubernetes.plain`), with an optional cross-field check whose
 * issue sits at the block itself.
 */
export function block<E extends v.ObjectEntries>(
  typeName: string,
  entries: E,
  check?: BlockCheck<v.InferOutput<v.StrictObjectSchema<E, undefined>>>,
) {
  const obj = v.strictObject(
    entries,
    (issue) =>
      issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never'
        ? `field ${String(issue.input)} not found in type ${typeName}`
        : `expected a mapping for ${typeName}, got ${describe(issue.input)}`,
  );
  return v.pipe(
    obj,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed || !check) return;
      const msg = check(dataset.value);
      if (msg) addIssue({ message: msg });
    }),
  );
}

/** `<key>: [ ... ]`: a list of blocks where a null entry is an error, as in Prometheus. */
export function sdList<T extends v.GenericSchema>(key: string, schema: T) {
  return opt(
    v.array(
      v.pipe(
        v.custom<unknown>((x) => x !== null && x !== undefined, `empty or null section in ${key}`),
        schema,
      ),
      `${key} must be a list`,
    ),
  );
}

/** Runs the HTTP client rules on an SD block that spreads {@link http}. */
export function httpRules(cfg: HttpClientConfig): string | undefined {
  return checkHttpClient(cfg);
}

/** Splits a URL the way Go's `url.Parse` sees scheme and host; `undefined` if unparsable. */
export function parseGoUrl(text: string): { scheme: string; host: string } | undefined {
  if (urlProblem(text)) return undefined;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(text);
  if (!m) return { scheme: '', host: '' };
  const rest = m[2];
  if (!rest.startsWith('//')) return { scheme: m[1].toLowerCase(), host: '' };
  const authority = rest.slice(2).split(/[/?#]/, 1)[0];
  const at = authority.lastIndexOf('@');
  return { scheme: m[1].toLowerCase(), host: at >= 0 ? authority.slice(at + 1) : authority };
}

/** Prometheus's check for http_sd and puppetdb URLs. */
export function checkHttpUrl(url: string | undefined): string | undefined {
  if (!url) return 'URL is missing';
  const why = urlProblem(url);
  if (why) return `parse ${JSON.stringify(url)}: ${why}`;
  const u = parseGoUrl(url)!;
  if (u.scheme !== 'http' && u.scheme !== 'https') return "URL scheme must be 'http' or 'https'";
  if (u.host === '') return 'host is missing in URL';
  return undefined;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'string' ? JSON.stringify(input) : typeof input;
}
