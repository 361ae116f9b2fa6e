/**
 * Where registrations live between restarts: the {@link RegistrationStore} seam over Beacon's
 * state store (DuckDB for the default engine, memory otherwise).
 * @module
 */
import type { Registration, StateStore } from '../../../core/state/mod.ts';

export type { Registration };

/** Persistence of registrations, as the hub uses it. */
export interface RegistrationStore {
  list(): Promise<Registration[]>;
  put(r: Registration): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Registrations in the state store's `beacon_registrations` table. */
export function stateRegistrationStore(state: StateStore): RegistrationStore {
  return {
    list: () => state.listRegistrations(),
    put: (r) => state.putRegistration(r),
    delete: async (id) => void await state.deleteRegistration(id),
  };
}
