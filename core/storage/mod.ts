/**
 * Storage: the Appender/Querier/Storage interfaces every engine implements, the series
 * catalog with its inverted index, postings set operations and compressed XOR chunks.
 *
 * @example Reading back what was written
 * ```ts
 * const app = storage.appender();
 * app.append(0, Labels.from({ __name__: 'up', job: 'a' }), 1000, 1);
 * await app.commit();
 * const q = storage.querier(0, 2000);
 * for (const s of await q.select([Matcher.create('=', '__name__', 'up')])) {
 *   const { t, v } = s.samples();
 * }
 * q.close();
 * ```
 * @module
 */
export * from './interface.ts';
export * from './errors.ts';
export { HeadSeriesLimit, SeriesLimitError } from './series_limit.ts';
export { type CatalogStats, SeriesCatalog } from './catalog.ts';
export * from './postings.ts';
export { DecodedSeries, EMPTY_COLUMNS, seriesSetOf } from './series_set.ts';
export * from './chunks/mod.ts';
export type { StorageEngineBlock } from './engine_block.ts';
export { mergeColumns, mergeQueriers } from './merge_querier.ts';
export { FanoutStorage, type Queryable } from './fanout.ts';
export { Wakeup } from './wakeup.ts';
