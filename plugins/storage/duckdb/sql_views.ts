/**
 * The SQL views, created per query on the query's own connection (temporary objects are
 * private to a connection). The head's part is copied into two temporary tables first; the
 * blocks' part is limited to the blocks that existed when the head was copied, so a
 * compaction in between neither duplicates nor loses samples.
 *
 * - `series(series_id BIGINT, metric VARCHAR, labels MAP(VARCHAR, VARCHAR), labels_json JSON)`
 * - `samples(series_id BIGINT, ts TIMESTAMP, t_ms BIGINT, value DOUBLE, stale BOOLEAN)`;
 *   a stale marker has `value` NULL and `stale` true.
 * @module
 */

/** The temporary tables the head is copied into. */
export const HEAD_TABLES: readonly string[] = [
  'CREATE TEMP TABLE head_series(id INTEGER, labels VARCHAR)',
  // `t` as DOUBLE: filling it skips a BigInt per sample (about a fifth of the copy's time).
  'CREATE TEMP TABLE head_samples(series INTEGER, t DOUBLE, v DOUBLE)',
];

/**
 * The statements defining the views over blocks `blocks` and the head tables, with samples
 * in [mint, maxt] (integer milliseconds).
 */
export function viewStatements(blocks: readonly number[], mint: number, maxt: number): string[] {
  const inBlocks = blocks.length > 0 ? `s.block IN (${blocks.join(',')})` : 'false';
  const lo = Math.ceil(mint), hi = Math.floor(maxt);
  return [
    `CREATE TEMP VIEW series AS
       SELECT id::BIGINT AS series_id, (labels::JSON)->>'__name__' AS metric,
         CAST(labels::JSON AS MAP(VARCHAR, VARCHAR)) AS labels, labels::JSON AS labels_json
       FROM (SELECT id, labels FROM main.beacon_series
             UNION ALL
             SELECT id, labels FROM head_series
             WHERE id NOT IN (SELECT id FROM main.beacon_series))`,
    // rowid keeps the write order, which is time order within a block and series.
    `CREATE TEMP VIEW samples AS
       SELECT series_id, epoch_ms(t) AS ts, t AS t_ms, v AS value, v IS NULL AS stale
       FROM (SELECT s.series::BIGINT AS series_id,
               (bs.base + sum(s.dt) OVER (PARTITION BY s.block, s.series ORDER BY s.rowid
                 ROWS UNBOUNDED PRECEDING))::BIGINT AS t,
               s.v
             FROM main.beacon_samples s JOIN main.beacon_block_series bs USING (block, series)
             WHERE ${inBlocks}
             UNION ALL
             SELECT series::BIGINT, t::BIGINT, v FROM head_samples)
       WHERE t BETWEEN ${lo} AND ${hi}`,
  ];
}
