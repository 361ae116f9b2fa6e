/**
 * The two scrape-path workloads measured by the exposition parser benchmarks.
 * @module
 */
import { createParser } from '../core/exposition/parser.ts';

/** Cold: every series is new, so labels are built for each sample. Returns a checksum. */
export function parseCold(body: Uint8Array, contentType: string): number {
  const p = createParser(body, contentType);
  let sum = 0;
  for (let k = p.next(); k !== 'eof'; k = p.next()) {
    if (k !== 'series') continue;
    const key = p.seriesKey();
    const labels = p.labels();
    sum += key.length + labels.size + p.value;
  }
  return sum;
}

/** Warm: a series-text → ref cache is populated; per sample one lookup and the value. */
export function parseWarm(
  body: Uint8Array,
  contentType: string,
  cache: Map<string, number>,
): number {
  const p = createParser(body, contentType);
  let sum = 0;
  for (let k = p.next(); k !== 'eof'; k = p.next()) {
    if (k !== 'series') continue;
    const ref = cache.get(p.seriesText());
    if (ref === undefined) cache.set(p.seriesKey(), cache.size);
    else sum += ref + p.value;
  }
  return sum;
}
