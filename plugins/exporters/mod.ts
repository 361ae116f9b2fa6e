/**
 * Exporter plugins: pages of metrics Beacon serves on its own listener for a scrape config to
 * scrape — `host` (node_exporter's host metrics from /proc) and `self` (Beacon's own).
 * @module
 */
export {
  HOST_EXPORTER_PATH,
  HostCollector,
  type HostExporterConfig,
  hostExporterPlugin,
  hostExporterSchema,
} from './host/mod.ts';
export {
  SELF_EXPORTER_PATH,
  type SelfExporterConfig,
  selfExporterPlugin,
  selfExporterSchema,
} from './self/mod.ts';
export { registryRoute } from './serve.ts';
