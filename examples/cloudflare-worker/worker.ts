/**
 * Beacon on Cloudflare Workers: the API on `fetch`, one tick per cron trigger, everything in
 * the Durable Object `BeaconObject`. The config comes from the bindings in `wrangler.toml`.
 * Build with `npm run build:worker`; see docs/edge.md.
 * @module
 */
import { beaconObjectClass, createWorker } from '../../adapters/cloudflare-workers/mod.ts';

/** The Durable Object class bound as `BEACON`. */
export const BeaconObject = beaconObjectClass();

export default createWorker();
