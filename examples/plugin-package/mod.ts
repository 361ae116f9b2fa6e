/**
 * An example third-party plugin: an exporter that adds `hello_info{greeting="…"} 1` and a
 * counter of how often Beacon's metrics were collected to Beacon's own `/metrics`.
 *
 * Use it from a config file:
 * ```yaml
 * plugins:
 *   - use: ./examples/plugin-package/mod.ts   # or the package name once installed
 *     config:
 *       greeting: hello from a plugin
 * ```
 * @module
 */
import * as v from 'valibot';
import { Counter, definePlugin, Gauge } from '../../mod.ts';

export default definePlugin({
  kind: 'exporter',
  name: 'hello',
  description: 'Says hello on /metrics.',
  schema: v.strictObject({
    greeting: v.optional(v.pipe(v.string(), v.minLength(1, 'greeting must not be empty')), 'hi'),
  }),
  create(config, ctx) {
    let info: Gauge<'greeting'> | undefined;
    let collections: Counter | undefined;
    return {
      start() {
        info = new Gauge({
          name: 'hello_info',
          help: 'A constant 1 labelled with the configured greeting.',
          labelNames: ['greeting'] as const,
          registers: [ctx.registry],
        });
        info.labels({ greeting: config.greeting }).set(1);
        collections = new Counter({
          name: 'hello_collections_total',
          help: 'How many times the hello plugin was collected.',
          registers: [ctx.registry],
          collect() {
            collections?.inc();
          },
        });
        ctx.logger.info('Hello plugin started', { greeting: config.greeting });
      },
      stop() {
        if (info) ctx.registry.unregister(info);
        if (collections) ctx.registry.unregister(collections);
      },
    };
  },
});
