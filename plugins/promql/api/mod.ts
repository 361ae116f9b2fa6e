/**
 * The query side of Prometheus's HTTP API v1 over Beacon's PromQL engine, as an
 * {@link ApiExtension} the runtime mounts at `/api/v1`.
 *
 * @example
 * ```ts
 * const app = createApiApp(deps, [promqlApi({ engine, storage, logger })]);
 * ```
 * @module
 */
export { promqlApi, type PromqlApiOptions } from './routes.ts';
export { jsonTimestamp, jsonValue } from './json.ts';
export { parseDurationParam, parseTime } from './params.ts';
export { unescapeLabelName } from './names.ts';
