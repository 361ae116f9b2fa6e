/**
 * Running the server: logging, the runtime, the listener, signals and graceful shutdown.
 * @module
 */
import { ConfigLoadError } from '../config/mod.ts';
import { createLogger, isLogLevel, type Logger } from '../log/logger.ts';
import { PluginRegistry } from '../plugin.ts';
import { Runtime } from '../runtime/mod.ts';
import { BUILD_INFO } from '../version.ts';
import type { ParsedFlags } from './flags.ts';
import { parseListenAddress } from './listen_address.ts';
import { listenWithWebConfig, WebConfigWatcher } from '../web_config/mod.ts';
import type { CliEnv } from './main.ts';
import { routePrefixFrom } from './route_prefix.ts';

/** Runs Beacon until SIGTERM, SIGINT or `/-/quit`; resolves to the exit code. */
export async function runServer(flags: ParsedFlags, env: CliEnv): Promise<number> {
  const { host } = env;
  const f = flags.values;
  const level = f['log.level'];
  const format = f['log.format'];
  if (!isLogLevel(level)) return usageError(host, `invalid --log.level ${JSON.stringify(level)}`);
  if (format !== 'logfmt' && format !== 'json') {
    return usageError(host, `invalid --log.format ${JSON.stringify(format)}`);
  }
  const logger = createLogger({ level, format, write: host.writeErr });
  let listen, routePrefix;
  try {
    listen = parseListenAddress(f['web.listen-address']);
    routePrefix = routePrefixFrom(f['web.route-prefix'], f['web.external-url']);
  } catch (e) {
    return usageError(host, (e as Error).message);
  }

  logger.info('Starting Beacon', {
    version: BUILD_INFO.version,
    runtime: `${host.runtime.name} ${host.runtime.version}`,
  });
  let webConfig: WebConfigWatcher;
  try {
    webConfig = await WebConfigWatcher.create({
      file: f['web.config.file'],
      fs: host,
      logger: logger.with({ component: 'web' }),
      routePrefix,
    });
  } catch (e) {
    return startupFailure(logger, e);
  }

  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stopRequested = resolve));
  let runtime: Runtime;
  try {
    runtime = await Runtime.create({
      host,
      logger,
      plugins: new PluginRegistry(env.importer, env.builtins),
      configFile: f['config.file'],
      flags: f,
      routePrefix,
      enableLifecycle: f['web.enable-lifecycle'] === 'true',
      enableAdminApi: f['web.enable-admin-api'] === 'true',
      enableRemoteWriteReceiver: f['web.enable-remote-write-receiver'] === 'true',
      onQuit: () => stopRequested(),
      reloadHooks: [() => webConfig.reload()],
      discoveryMechanisms: env.discovery,
      services: env.services,
      parseMatchers: env.parseMatchers,
      parseExpr: env.parseExpr,
    });
  } catch (e) {
    return startupFailure(logger, e);
  }

  let server;
  try {
    server = await listenWithWebConfig({
      host,
      ...listen,
      fetch: (req) => runtime.app.fetch(req),
      watcher: webConfig,
      logger,
    });
  } catch (e) {
    logger.error('Cannot listen', { address: f['web.listen-address'], err: e as Error });
    return 1;
  }
  logger.info('Listening', {
    address: server.address,
    route_prefix: routePrefix || '/',
    tls: server.tls,
  });

  try {
    await runtime.start();
  } catch (e) {
    await server.close();
    return startupFailure(logger, e);
  }
  logger.info('Server is ready to receive web requests.');

  const offs = [
    host.onSignal('SIGHUP', () => {
      runtime.reload().catch(() => {/* logged by the runtime */});
    }),
    webConfig.watch(host),
    host.onSignal('SIGTERM', () => stopRequested()),
    host.onSignal('SIGINT', () => stopRequested()),
  ];
  await stopped;
  logger.info('Received shutdown request, stopping gracefully');
  for (const off of offs) off();
  await runtime.stop();
  await server.close();
  logger.info('See you next time!');
  return 0;
}

function usageError(host: CliEnv['host'], msg: string): number {
  host.writeErr(`beacon: error: ${msg}, try --help`);
  return 1;
}

function startupFailure(logger: Logger, e: unknown): number {
  if (e instanceof ConfigLoadError) {
    for (const err of e.errors) logger.error('Invalid configuration', { err: err.toString() });
    logger.error(`Error loading config: ${e.errors.length} error(s); nothing started`);
  } else logger.error('Start-up failed', { err: e as Error });
  return 1;
}
