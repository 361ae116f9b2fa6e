/**
 * Shared fixtures of the rule manager tests: memory storage, a real PromQL engine behind the
 * rule query function, rule files parsed from YAML, and raw sample reads.
 * @module
 */
import assert from 'node:assert/strict';
import { Labels, Matcher } from '../../../core/model/mod.ts';
import { type InstantSample, parseRuleFile, type RuleGroupSpec } from '../../../core/rules/mod.ts';
import { MemoryStorage } from '../../../plugins/storage/memory/mod.ts';
import { Engine } from '../../../plugins/promql/mod.ts';
import { formatExpr, parseExpr } from '../../../plugins/promql/parser/mod.ts';

/** Minute in ms. */
export const MIN = 60_000;

/** A fresh memory storage and a query function over it, as the runtime wires them. */
export function setup(): {
  storage: MemoryStorage;
  queryFn: (expr: string, t: number) => Promise<InstantSample[]>;
  engine: Engine;
} {
  const storage = new MemoryStorage();
  const engine = new Engine();
  const queryFn = async (expr: string, t: number): Promise<InstantSample[]> => {
    const r = await engine.instantQuery(storage, expr, t);
    if (r.resultType === 'vector') return r.result.map((s) => ({ labels: s.labels, value: s.v }));
    if (r.resultType === 'scalar') return [{ labels: Labels.from({}), value: r.result.v }];
    throw new Error('rule result is not a vector or scalar');
  };
  return { storage, queryFn, engine };
}

/** Displays expressions as Prometheus does (the parser's printer). */
export const format = (e: string): string => formatExpr(parseExpr(e));

/** Parses a rule file, failing the test on any error. */
export function groupsOf(yaml: string, file = 'rules.yml'): RuleGroupSpec[] {
  const parsed = parseRuleFile(yaml, file, { parseExpr });
  assert.deepEqual(parsed.errors.map(String), []);
  return parsed.groups;
}

/** Appends float samples: `[labels, t, v]`. */
export async function write(
  storage: MemoryStorage,
  samples: [Record<string, string>, number, number][],
): Promise<void> {
  const app = storage.appender();
  for (const [l, t, v] of samples) app.append(0, Labels.from(l), t, v);
  await app.commit();
}

/** Raw samples of the series named `name` (all series), stale markers as `'stale'`. */
export async function raw(
  storage: MemoryStorage,
  name: string,
): Promise<Record<string, [number, number | 'stale'][]>> {
  const q = storage.querier(0, Number.MAX_SAFE_INTEGER);
  const set = await q.select([Matcher.create('=', '__name__', name)]);
  const out: Record<string, [number, number | 'stale'][]> = {};
  for (const s of set) {
    const c = s.samples();
    const rows: [number, number | 'stale'][] = [];
    for (let i = 0; i < c.t.length; i++) rows.push([c.t[i], c.stale?.[i] ? 'stale' : c.v[i]]);
    out[s.labels.toString()] = rows;
  }
  q.close();
  return out;
}
