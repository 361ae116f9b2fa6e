/**
 * The HTTP API: build the Hono app from {@link ApiDeps}.
 * @module
 */
export { createApiApp } from './app.ts';
export type { ApiExtension, ApiMount } from './app.ts';
export type { ApiDeps, BuildInfo } from './deps.ts';
export { ApiError, failure, success } from './envelope.ts';
export type { ApiErrorType } from './envelope.ts';
export {
  remoteWriteApi,
  type RemoteWriteApiOptions,
  remoteWriteDisabledApi,
  remoteWriteHandler,
} from './remote_write.ts';
export { tsdbStatusApi, type TsdbStatusApiOptions } from './tsdb.ts';
export { adminApi, type AdminApiOptions } from './admin.ts';
export { sqlApi, type SqlApiOptions } from './sql.ts';
export { uiRoutes } from './ui.ts';
export {
  bodyLimit,
  type BodyLimitOptions,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_REMOTE_WRITE_BYTES,
  DEFAULT_READ_TIMEOUT_MS,
  defaultBodyLimit,
} from './body_limit.ts';
export { federateHandler, type FederateOptions, federateRoutes } from './federate.ts';
export { remoteReadApi, type RemoteReadApiOptions, STREAMED_CONTENT_TYPE } from './remote_read.ts';
