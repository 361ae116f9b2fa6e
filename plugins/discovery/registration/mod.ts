/**
 * Registration discovery: exporters register their targets with Beacon over HTTP
 * (`POST /api/v1/targets/register`, bearer token, TTL), renew them, and vanish when they
 * lapse. Jobs opt in with `registration_sd_configs`; registrations persist through a
 * {@link RegistrationStore} (Beacon's state store by default). See
 * docs/registration.md.
 *
 * @example
 * ```yaml
 * scrape_configs:
 *   - job_name: apps
 *     registration_sd_configs:
 *       - token_file: /etc/beacon/registration.token
 *         max_ttl: 10m
 *         labels: { env: prod }
 * ```
 * @module
 */
import type {
  RuntimeService,
  RuntimeServiceContext,
  RuntimeServiceFactory,
} from '../../../core/runtime/services.ts';
import { RegistrationHub } from './hub.ts';
import { registrationApi } from './api.ts';
import { registrationMechanism } from './mechanism.ts';
import { type RegistrationStore, stateRegistrationStore } from './store.ts';

export { groupOf, META_ID, RegistrationError, RegistrationHub } from './hub.ts';
export type { RegistrationHubOptions } from './hub.ts';
export { registrationApi } from './api.ts';
export { registrationMechanism } from './mechanism.ts';
export {
  isValidId,
  MAX_REQUEST_BYTES,
  MAX_TARGETS,
  parseRegistrationRequest,
  type RegistrationRequest,
} from './request.ts';
export { type Registration, type RegistrationStore, stateRegistrationStore } from './store.ts';

/** Options of {@link registrationService}. */
export interface RegistrationServiceOptions {
  /** The store to persist in; default: the runtime's state store. */
  store?: (ctx: RuntimeServiceContext) => RegistrationStore;
}

/**
 * The built-in service: a hub, its mechanism for `registration_sd_configs`, and its routes.
 * Registrations persist in the runtime's state store unless `opts.store` says otherwise.
 */
export function registrationService(opts: RegistrationServiceOptions = {}): RuntimeServiceFactory {
  return (ctx): RuntimeService => {
    const logger = ctx.logger.with({ component: 'registration discovery' });
    const hub = new RegistrationHub({
      store: opts.store ? opts.store(ctx) : stateRegistrationStore(ctx.state),
      logger,
      registry: ctx.registry,
      readTextFile: (p) => ctx.host.readTextFile(p),
    });
    return {
      mechanisms: [registrationMechanism(hub)],
      apiExtensions: [registrationApi(hub)],
      start: () => hub.load(),
      stop: () => hub.stop(),
    };
  };
}
