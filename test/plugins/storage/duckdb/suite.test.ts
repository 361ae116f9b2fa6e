import { after } from 'node:test';
import { DuckdbStorage } from '../../../../plugins/storage/duckdb/mod.ts';
import { storageSuite } from '../../../core/storage/storage_suite.ts';
import { tempDir } from '../../../helpers/host.ts';

const dirs: { remove(): void }[] = [];
after(() => dirs.forEach((d) => d.remove()));

storageSuite('duckdb', (opts) => {
  const d = tempDir();
  dirs.push(d);
  return DuckdbStorage.open({ path: d.dir, fsync: 'none', ...opts });
});
