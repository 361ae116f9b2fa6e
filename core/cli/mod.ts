/**
 * The `beacon` command line.
 * @module
 */
export { type CliEnv, main, versionText } from './main.ts';
export { FlagError, FLAGS, parseFlags, usage } from './flags.ts';
export { parseListenAddress } from './listen_address.ts';
export { routePrefixFrom } from './route_prefix.ts';
