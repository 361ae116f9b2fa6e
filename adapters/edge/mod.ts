/**
 * Beacon on platforms driven by requests and cron triggers (Cloudflare Workers, Deno Deploy):
 * the shared tick, the file-less host, the state that outlives an isolate, and the one-shot
 * remote-write push. Platform entries live beside it (`adapters/cloudflare-workers/`) and in
 * `examples/`.
 * @module
 */
export {
  EDGE_CONFIG_FILE,
  EDGE_RETENTION,
  EdgeBeacon,
  type EdgeBeaconOptions,
  isDue,
  type TickReport,
  type TickScrape,
} from './beacon.ts';
export { createEdgeHost, type EdgeHostOptions } from './host.ts';
export { EDGE_PLUGINS } from './plugins.ts';
export { type PushOptions, pushRemoteWrite, type PushResult } from './remote_push.ts';
export {
  type EdgeState,
  emptyState,
  MemoryStateStore,
  parseState,
  splitText,
  type StateStore,
  type StoredAlert,
} from './state.ts';
export { type EdgeBindings, readBindings, TICK_PATH, tickRequest } from './bindings.ts';
