/**
 * Relational state (silences, the notification log, target registrations) and SQL over
 * metrics: the interfaces core code uses, an in-memory state store, and the lookups that
 * find a storage engine's own implementations.
 *
 * @example Falling back to memory when the engine keeps no state
 * ```ts
 * const state = stateStoreOf(storage) ?? new MemoryStateStore();
 * await state.putSilence(silence);
 * ```
 * @module
 */
export type {
  Registration,
  StateStore,
  StoredMatcher,
  StoredNflogEntry,
  StoredSilence,
} from './state_store.ts';
export { MemoryStateStore } from './memory_state_store.ts';
export { type SqlColumn, SqlError, type SqlLimits, type SqlResult, type SqlRunner } from './sql.ts';
export {
  offersSql,
  sqlRunnerOf,
  type SqlRunnerProvider,
  stateStoreOf,
  type StateStoreProvider,
} from './capabilities.ts';
