/**
 * The Cloudflare Workers adapter: module-Worker handlers (`fetch`, `scheduled`), the Durable
 * Object class that holds Beacon, and state stores over Durable Object storage and KV.
 *
 * @example The entry of a Worker (see `examples/cloudflare-worker/`)
 * ```ts
 * import { beaconObjectClass, createWorker } from '../../adapters/cloudflare-workers/mod.ts';
 * export const BeaconObject = beaconObjectClass();
 * export default createWorker();
 * ```
 * @module
 */
export {
  type BeaconObjectClass,
  beaconObjectClass,
  type BeaconWorker,
  type BeaconWorkerEnv,
  type BeaconWorkerOptions,
  createWorker,
} from './worker.ts';
export { durableObjectStateStore, kvStateStore, STATE_KEY } from './state.ts';
export type * from './types.ts';
