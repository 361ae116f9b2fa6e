/**
 * The read-only gate of the SQL door. DuckDB parses the query (`json_serialize_sql`, which
 * serializes SELECT statements only), and the syntax tree must name no table but the
 * documented views (or the query's own CTEs) and no table function but a few generators.
 * So DDL, DML, COPY, ATTACH, INSTALL, LOAD, PRAGMA and SET fail here, and so do the internal
 * tables (silences, registrations) and file readers such as `read_csv`. The engine adds two
 * more walls: the prepared statement must be a SELECT, and external access is disabled.
 * @module
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SqlError } from '../../../core/state/mod.ts';

/** The views a query may read. */
export const SQL_VIEWS: readonly string[] = ['series', 'samples'];

const TABLE_FUNCTIONS = new Set(['range', 'generate_series', 'unnest']);

/** The prefixes of Beacon's own tables (see `sql_views.ts`). */
const INTERNAL = /^(beacon_|head_)/;

/** What a checked query reads. */
export interface SqlReads {
  series: boolean;
  samples: boolean;
}

/**
 * Checks `sql` on `c`; resolves to the views it reads.
 * @throws {SqlError} (`bad_data`) for anything but one SELECT over the views.
 */
export async function checkReadOnly(c: DuckDBConnection, sql: string): Promise<SqlReads> {
  const r = await c.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql]);
  const tree = JSON.parse(String(r.getRows()[0][0])) as {
    error: boolean;
    error_message?: string;
    statements?: unknown[];
  };
  if (tree.error) {
    const why = tree.error_message ?? 'parse error';
    // Anything but SELECT fails to serialize with this message; say what is allowed.
    throw new SqlError(
      /only SELECT statements/i.test(why) ? 'only a read-only SELECT query is allowed' : why,
    );
  }
  if (tree.statements?.length !== 1) throw new SqlError('exactly one statement is allowed');
  const ctes = new Set<string>();
  collectCtes(tree.statements[0], ctes);
  for (const name of ctes) {
    // A CTE may refer to a table of its own name; internal names are never CTE names.
    if (INTERNAL.test(name)) throw new SqlError(`CTE name ${JSON.stringify(name)} is reserved`);
  }
  const reads: SqlReads = { series: false, samples: false };
  walk(tree.statements[0], (node) => {
    if (node.type === 'BASE_TABLE') {
      const name = String(node.table_name).toLowerCase();
      if (node.schema_name === '' && node.catalog_name === '' && ctes.has(name)) return;
      if (
        (node.schema_name !== '' || node.catalog_name !== '') || !SQL_VIEWS.includes(name)
      ) {
        throw new SqlError(
          `table ${JSON.stringify(node.table_name)} is not available: query the views ${
            SQL_VIEWS.join(', ')
          }`,
        );
      }
      reads[name as keyof SqlReads] = true;
    } else if (node.type === 'TABLE_FUNCTION') {
      const fn = node.function as { function_name?: unknown } | undefined;
      const name = String(fn?.function_name ?? '').toLowerCase();
      if (!TABLE_FUNCTIONS.has(name)) {
        throw new SqlError(`table function ${JSON.stringify(name)} is not allowed`);
      }
    }
  });
  return reads;
}

type Node = Record<string, unknown>;

function walk(x: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(x)) {
    for (const y of x) walk(y, visit);
  } else if (x !== null && typeof x === 'object') {
    visit(x as Node);
    for (const v of Object.values(x)) walk(v, visit);
  }
}

function collectCtes(x: unknown, into: Set<string>): void {
  walk(x, (n) => {
    const map = (n.cte_map as { map?: { key?: unknown }[] } | undefined)?.map;
    if (Array.isArray(map)) { for (const e of map) into.add(String(e.key).toLowerCase()); }
  });
}
