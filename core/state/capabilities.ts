/**
 * How the runtime finds the optional capabilities of a storage engine instance: an engine
 * offers a state store with a `stateStore()` method and SQL with `sqlRunner()`. Duck typing
 * keeps the `Storage` interface itself unchanged for engines that offer neither.
 * @module
 */
import type { SqlRunner } from './sql.ts';
import type { StateStore } from './state_store.ts';

/** An engine instance that keeps relational state. */
export interface StateStoreProvider {
  stateStore(): StateStore;
}

/** An engine instance that answers SQL over its metrics. */
export interface SqlRunnerProvider {
  sqlRunner(options?: { disableExternalAccess?: boolean }): Promise<SqlRunner>;
}

/** The engine's state store, or undefined when it keeps none. */
export function stateStoreOf(engine: unknown): StateStore | undefined {
  const p = engine as Partial<StateStoreProvider> | null;
  return typeof p?.stateStore === 'function' ? p.stateStore() : undefined;
}

/** Whether the engine can answer SQL. */
export function offersSql(engine: unknown): engine is SqlRunnerProvider {
  return typeof (engine as Partial<SqlRunnerProvider> | null)?.sqlRunner === 'function';
}

/** A maker of the engine's SQL runner (with `options`), or undefined when it has no SQL. */
export function sqlRunnerOf(
  engine: unknown,
  options?: { disableExternalAccess?: boolean },
): (() => Promise<SqlRunner>) | undefined {
  return offersSql(engine) ? () => engine.sqlRunner(options) : undefined;
}
