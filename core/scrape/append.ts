/**
 * Turns one scrape body into appends: parse, look the series up in the scrape cache (or build
 * its labels: target labels, `honor_labels`, `metric_relabel_configs`), enforce the limits,
 * and write stale markers for series that disappeared. Mirrors Prometheus's scrapeLoop.append.
 * @module
 */
import { Labels, METRIC_NAME } from '../model/mod.ts';
import {
  type Appender,
  DuplicateSampleError,
  OutOfOrderSampleError,
  SeriesLimitError,
  TooOldSampleError,
} from '../storage/mod.ts';
import { createParserFor, type ExpositionFormat } from '../exposition/mod.ts';
import type { RelabelConfig } from '../config/relabel.ts';
import type { Logger } from '../log/logger.ts';
import { relabelLabels } from './relabel.ts';
import type { ScrapeCache } from './scrape_cache.ts';

/** Samples further ahead of the clock than this are rejected (Prometheus's maxAheadTime). */
export const MAX_AHEAD_MS = 10 * 60_000;

/** The prefix given to scraped labels that clash with target labels. */
export const EXPORTED_PREFIX = 'exported_';

/** What shapes a target's samples. */
export interface AppendOptions {
  targetLabels: Labels;
  honorLabels: boolean;
  honorTimestamps: boolean;
  trackTimestampsStaleness: boolean;
  metricRelabelConfigs: readonly RelabelConfig[];
  /** 0 means no limit, for all four. */
  sampleLimit: number;
  labelLimit: number;
  labelNameLengthLimit: number;
  labelValueLengthLimit: number;
  /** `fallback_scrape_protocol`, used when the content type is missing or unknown. */
  fallbackFormat?: ExpositionFormat;
  logger?: Logger;
}

/** Counts of one append. */
export interface AppendResult {
  total: number;
  added: number;
  seriesAdded: number;
}

/** An append that failed the scrape; the caller rolls back and appends an empty scrape. */
export class AppendError extends Error {
  override name = 'AppendError';
  /** Counts up to the failure, for the report. */
  readonly result: AppendResult;
  constructor(message: string, result: AppendResult) {
    super(message);
    this.result = result;
  }
}

/** The format a scrape's content type selects, or the Prometheus 3 error for a bad one. */
export function scrapeFormat(
  contentType: string,
  fallback: ExpositionFormat | undefined,
): ExpositionFormat | string {
  const semi = contentType.indexOf(';');
  const media = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (media === 'application/openmetrics-text') return 'openmetrics';
  if (media === 'text/plain') return 'text';
  if (fallback) return fallback;
  if (media === '') {
    return 'non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target';
  }
  return `received unsupported Content-Type ${
    JSON.stringify(contentType)
  } and no fallback_scrape_protocol specified for target`;
}

/**
 * Merges target labels into scraped labels and applies `metric_relabel_configs`. With
 * `honor_labels` scraped labels win; otherwise target labels win and each clashing scraped
 * label moves to `exported_<name>` (prefix repeated until free, shortest names first).
 * `undefined` means dropped.
 */
export function mutateSampleLabels(
  scraped: Labels,
  target: Labels,
  honor: boolean,
  rules: readonly RelabelConfig[],
): Labels | undefined {
  const merged = mergeSorted(scraped.flat, target.flat, honor) ?? mergeClashing(scraped, target);
  const res = relabelLabels(merged, rules);
  return res === undefined || res.size === 0 ? undefined : res;
}

// Merges two sorted flat label arrays in one pass. With `honor` the scraped value wins a clash;
// without, a clash needs the exported_ renaming, so the merge gives up (undefined).
function mergeSorted(
  a: readonly string[],
  b: readonly string[],
  honor: boolean,
): Labels | undefined {
  const out: string[] = [];
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    const an = a[i], bn = b[j];
    if (an === bn) {
      if (!honor) return undefined;
      out.push(an, a[i + 1]);
      i += 2;
      j += 2;
    } else if (an < bn) {
      out.push(an, a[i + 1]);
      i += 2;
    } else {
      out.push(bn, b[j + 1]);
      j += 2;
    }
  }
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return Labels.fromSortedFlat(out);
}

// Target labels win; each clashing scraped label moves to exported_<name>, shortest first,
// with the prefix repeated until the name is free.
function mergeClashing(scraped: Labels, target: Labels): Labels {
  const lb = scraped.builder();
  const clashes: [string, string][] = [];
  target.forEach((n, v) => {
    const mine = scraped.get(n);
    if (mine !== '') clashes.push([n, mine]);
    lb.set(n, v);
  });
  clashes.sort((a, b) => a[0].length - b[0].length);
  for (const [n, v] of clashes) {
    let name = n;
    for (;;) {
      name = EXPORTED_PREFIX + name;
      if (lb.get(name) === '') {
        lb.set(name, v);
        break;
      }
    }
  }
  return lb.labels();
}

const encoder = new TextEncoder();
function byteLength(s: string): number {
  // ASCII fast path; labels are nearly always ASCII.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return encoder.encode(s).length;
  return s.length;
}
const trunc = (s: string) => [...s].slice(0, 50).join('');

/** Prometheus's verifyLabelLimits; the error text, or `undefined`. */
export function labelLimitProblem(
  lset: Labels,
  o: Pick<AppendOptions, 'labelLimit' | 'labelNameLengthLimit' | 'labelValueLengthLimit'>,
): string | undefined {
  if (o.labelLimit === 0 && o.labelNameLengthLimit === 0 && o.labelValueLengthLimit === 0) {
    return undefined;
  }
  const met = trunc(lset.get(METRIC_NAME));
  if (o.labelLimit > 0 && lset.size > o.labelLimit) {
    return `label_limit exceeded (metric: ${met}, number of labels: ${lset.size}, limit: ${o.labelLimit})`;
  }
  if (o.labelNameLengthLimit === 0 && o.labelValueLengthLimit === 0) return undefined;
  for (const [n, v] of lset) {
    const nl = byteLength(n);
    if (o.labelNameLengthLimit > 0 && nl > o.labelNameLengthLimit) {
      return `label_name_length_limit exceeded (metric: ${met}, label name: ${
        trunc(n)
      }, length: ${nl}, limit: ${o.labelNameLengthLimit})`;
    }
    const vl = byteLength(v);
    if (o.labelValueLengthLimit > 0 && vl > o.labelValueLengthLimit) {
      return `label_value_length_limit exceeded (metric: ${met}, label name: ${trunc(n)}, value: ${
        JSON.stringify(trunc(v))
      }, length: ${vl}, limit: ${o.labelValueLengthLimit})`;
    }
  }
  return undefined;
}

/** The sample-limit failure (Prometheus's errSampleLimit). */
export const SAMPLE_LIMIT_ERROR = 'sample limit exceeded';

/**
 * Appends one scrape body at default timestamp `t` (an empty body stands for a failed scrape
 * and only writes stale markers). Synchronous: a body is parsed in one go.
 * @throws {AppendError} when the scrape must fail (parse error, a limit, missing name).
 */
export function appendScrape(
  app: Appender,
  cache: ScrapeCache,
  body: Uint8Array,
  contentType: string,
  t: number,
  o: AppendOptions,
  now: number = Date.now(),
): AppendResult {
  const res: AppendResult = { total: 0, added: 0, seriesAdded: 0 };
  let error: string | undefined;
  let sampleLimitHit = false;
  let outOfOrder = 0, duplicates = 0, outOfBounds = 0, limited = 0, seriesLimited = 0;
  const maxT = now + MAX_AHEAD_MS;
  if (body.length > 0) {
    const format = scrapeFormat(contentType, o.fallbackFormat);
    if (format !== 'text' && format !== 'openmetrics') throw new AppendError(format, res);
    try {
      const p = createParserFor(body, format);
      for (let kind = p.next(); kind !== 'eof'; kind = p.next()) {
        if (kind !== 'series') {
          if (kind === 'type') cache.setType(p.metaName(), p.metricType());
          else if (kind === 'help') cache.setHelp(p.metaName(), p.helpText());
          else if (kind === 'unit') cache.setUnit(p.metaName(), p.unitText());
          continue;
        }
        res.total++;
        const exposedTs = o.honorTimestamps ? p.timestamp : undefined;
        const ts = exposedTs ?? t;
        const text = p.seriesText();
        if (cache.isDropped(text)) continue;
        let ce = cache.get(text);
        const miss = ce === undefined;
        let lset: Labels;
        let hash = 0;
        if (ce !== undefined) lset = ce.labels;
        else {
          const mutated = mutateSampleLabels(
            p.labels(),
            o.targetLabels,
            o.honorLabels,
            o.metricRelabelConfigs,
          );
          if (mutated === undefined) {
            cache.addDropped(p.seriesKey());
            continue;
          }
          lset = mutated;
          if (!lset.has(METRIC_NAME)) {
            error = 'missing metric name (__name__ label)';
            break;
          }
          const why = labelLimitProblem(lset, o);
          if (why) {
            error = why;
            break;
          }
          hash = lset.hash();
        }
        res.added++;
        if (o.sampleLimit > 0 && res.added > o.sampleLimit) {
          // Keep parsing so that scrape_samples_scraped stays right.
          sampleLimitHit = true;
          limited++;
          continue;
        }
        let ok = true;
        if (ts > maxT) {
          outOfBounds++;
          ok = false;
        } else {
          try {
            const ref = app.append(ce?.ref ?? 0, lset, ts, p.value);
            if (ce === undefined) ce = cache.addRef(p.seriesKey(), ref, lset, hash);
            else ce.ref = ref;
          } catch (e) {
            ok = false;
            if (e instanceof OutOfOrderSampleError) outOfOrder++;
            else if (e instanceof DuplicateSampleError) duplicates++;
            else if (e instanceof TooOldSampleError) outOfBounds++;
            // The head is full: this new series is dropped, the target's others go on.
            else if (e instanceof SeriesLimitError) seriesLimited++;
            else throw e;
          }
        }
        if (ce === undefined) ce = cache.addRef(p.seriesKey(), 0, lset, hash);
        if ((miss || ok) && (exposedTs === undefined || o.trackTimestampsStaleness)) {
          cache.trackStaleness(ce.hash, ce.labels);
        }
        if (ok && miss && !sampleLimitHit) res.seriesAdded++;
      }
    } catch (e) {
      if (e instanceof AppendError) throw e;
      error = (e as Error).message ?? String(e);
    }
  }
  if (error === undefined && sampleLimitHit) error = SAMPLE_LIMIT_ERROR;
  const log = o.logger;
  if (log) {
    if (outOfOrder) {
      log.warn('Error on ingesting out-of-order samples', { num_dropped: outOfOrder });
    }
    if (duplicates) {
      log.warn('Error on ingesting samples with different value but same timestamp', {
        num_dropped: duplicates,
      });
    }
    if (seriesLimited) {
      log.warn('Error on ingesting samples of new series: head series limit reached', {
        num_dropped: seriesLimited,
      });
    }
    if (outOfBounds) {
      log.warn('Error on ingesting samples that are too old or are too far into the future', {
        num_dropped: outOfBounds,
      });
    }
  }
  if (error !== undefined) throw new AppendError(error, res);
  cache.forEachStale((lset) => {
    try {
      app.appendStale(0, lset, t);
    } catch (e) {
      if (
        !(e instanceof OutOfOrderSampleError || e instanceof DuplicateSampleError ||
          e instanceof SeriesLimitError)
      ) throw e;
    }
    return true;
  });
  cache.iterDone(body.length > 0);
  return res;
}
