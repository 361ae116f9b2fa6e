/**
 * Crash-test child: opens the storage at argv[dir], then appends and commits batches in a loop,
 * printing `committed <batch>` after each commit resolved, until killed.
 */
import process from 'node:process';
import { Labels } from '../../../../core/model/mod.ts';
import { DuckdbStorage } from '../../../../plugins/storage/duckdb/mod.ts';

const dir = process.argv.at(-1)!;
const storage = await DuckdbStorage.open({ path: dir, blockRangeMs: 20_000, fsync: 'commit' });
const labels = Array.from(
  { length: 20 },
  (_, i) => Labels.from({ __name__: 'crash', n: String(i) }),
);
const refs = new Array<number>(labels.length).fill(0);
for (let batch = 1;; batch++) {
  const app = storage.appender();
  for (let i = 0; i < labels.length; i++) {
    refs[i] = app.append(refs[i], labels[i], batch * 1000, batch);
  }
  await app.commit();
  process.stdout.write(`committed ${batch}\n`);
}
