/**
 * The `host` exporter: node_exporter's host metrics (CPU, memory, filesystems, disk I/O,
 * network, load, boot time, uname) from Linux's `/proc`, served on a page of Beacon's own
 * listener. Where there is no `/proc` (the edge, macOS) it says so once and serves an empty
 * page.
 *
 * @example
 * ```yaml
 * plugins:
 *   - use: host
 * scrape_configs:
 *   - job_name: node
 *     metrics_path: /exporters/host/metrics
 *     static_configs: [{ targets: ['localhost:9090'] }]
 * ```
 * @module
 */
import * as v from 'valibot';
import { parseDurationMs } from '../../../core/config/mod.ts';
import { definePlugin, type PluginDefinition, type PluginInstance } from '../../../core/plugin.ts';
import { Registry } from '../../../core/metrics/mod.ts';
import { registryRoute } from '../serve.ts';
import { HostCollector } from './collector.ts';

export { HostCollector, type HostCollectorOptions, type HostSource } from './collector.ts';
export * from './procfs.ts';

/** Default page of the host exporter. */
export const HOST_EXPORTER_PATH = '/exporters/host/metrics';

const regex = (fallback: string) =>
  v.pipe(
    v.optional(v.string(), fallback),
    v.check((s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
  );

/** The `config` block of the `host` plugin. */
export const hostExporterSchema = v.strictObject({
  /** Page path on Beacon's listener. */
  path: v.pipe(
    v.optional(v.string(), HOST_EXPORTER_PATH),
    v.startsWith('/', 'path must start with /'),
  ),
  /** Where procfs is mounted (a container may see the host's under another path). */
  procfs: v.optional(v.string(), '/proc'),
  mount_points_exclude: regex(
    '^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)',
  ),
  fs_types_exclude: regex(
    '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$',
  ),
  disk_devices_exclude: regex('^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$'),
  net_devices_exclude: regex('^lo$'),
  statfs_timeout: v.pipe(
    v.optional(v.string(), '5s'),
    v.check((s) => (parseDurationMs(s) ?? 0) > 0, 'statfs_timeout must be a positive duration'),
  ),
});

/** A validated `host` block. */
export type HostExporterConfig = v.InferOutput<typeof hostExporterSchema>;

/** The built-in `host` exporter plugin. */
export const hostExporterPlugin: PluginDefinition<HostExporterConfig> = definePlugin({
  kind: 'exporter',
  name: 'host',
  description: 'Host metrics with node_exporter names, from /proc (Linux).',
  schema: hostExporterSchema,
  create(config, ctx): PluginInstance {
    const collector = new HostCollector(
      {
        readTextFile: (p) => ctx.host.readTextFile(p),
        statfs: ctx.host.statfs ? (p) => ctx.host.statfs!(p) : undefined,
      },
      {
        procfs: config.procfs.replace(/\/+$/, ''),
        mountPointsExclude: new RegExp(config.mount_points_exclude),
        fsTypesExclude: new RegExp(config.fs_types_exclude),
        diskDevicesExclude: new RegExp(config.disk_devices_exclude),
        netDevicesExclude: new RegExp(config.net_devices_exclude),
        statfsTimeoutMs: parseDurationMs(config.statfs_timeout)!,
      },
    );
    const registry = new Registry();
    return {
      routes: [registryRoute(config.path, registry)],
      async start() {
        if (await collector.available()) {
          registry.register(collector);
          ctx.logger.info('Serving host metrics', { path: config.path, procfs: config.procfs });
        } else {
          ctx.logger.warn('No procfs on this host: the host exporter exposes nothing', {
            procfs: config.procfs,
          });
        }
      },
    };
  },
});

export default hostExporterPlugin;
