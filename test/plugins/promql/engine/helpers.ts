/** Test data for the engine and API tests: a memory storage loaded from a small table. */
import { Labels } from '../../../../core/model/mod.ts';
import { MemoryStorage } from '../../../../plugins/storage/memory/mod.ts';

/** One series: labels and `[t (ms), value | 'stale']` samples. */
export type SeriesData = [Record<string, string>, [number, number | 'stale'][]];

/** A memory storage holding `data`. */
export async function storageWith(data: SeriesData[]): Promise<MemoryStorage> {
  const storage = new MemoryStorage();
  const app = storage.appender();
  for (const [rec, samples] of data) {
    const labels = Labels.from(rec);
    let ref = 0;
    for (const [t, v] of samples) {
      ref = v === 'stale' ? app.appendStale(ref, labels, t) : app.append(ref, labels, t, v);
    }
  }
  await app.commit();
  return storage;
}

/** Samples every `step` ms from 0: `values[i]` at `i * step`. */
export function every(step: number, values: (number | 'stale')[]): [number, number | 'stale'][] {
  return values.map((v, i) => [i * step, v]);
}
