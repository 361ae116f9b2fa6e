/**
 * Turns the `receivers` section into integrations: each `<type>_configs` entry is validated
 * with the schema of the notifier plugin named `<type>` and created by it, so a pasted
 * `webhook_configs`, `slack_configs` or `pagerduty_configs` works and third-party notifier
 * plugins add their own `<name>_configs`.
 * @module
 */
import * as v from 'valibot';
import type { PluginContext, PluginDefinition } from '../plugin.ts';
import { type ReceiverConfig, receiverIntegrations } from './config.ts';
import type { Integration, Notifier } from './integration.ts';

/** Finds the notifier plugin of a type (`webhook` for `webhook_configs`). */
export type NotifierResolver = (
  type: string,
) => PluginDefinition | undefined | Promise<PluginDefinition | undefined>;

function isNotifier(x: unknown): x is Notifier {
  return typeof x === 'object' && x !== null && typeof (x as Notifier).notify === 'function' &&
    typeof (x as Notifier).sendResolved === 'boolean';
}

/**
 * Validates and creates every integration. Problems are collected and thrown together, each
 * prefixed with its path (`receivers[0].slack_configs[1]: …`).
 * @throws {Error} when a type has no notifier plugin or a block does not validate.
 */
export async function buildReceivers(
  receivers: readonly ReceiverConfig[],
  resolve: NotifierResolver,
  ctx: PluginContext,
): Promise<Map<string, Integration[]>> {
  const out = new Map<string, Integration[]>();
  const problems: string[] = [];
  for (const [ri, r] of receivers.entries()) {
    const list: Integration[] = [];
    for (const { type, index, config } of receiverIntegrations(r)) {
      const where = `receivers[${ri}].${type}_configs[${index}]`;
      const def = await resolve(type);
      if (!def || def.kind !== 'notifier') {
        problems.push(`${where}: no notifier plugin named ${JSON.stringify(type)}`);
        continue;
      }
      const parsed = v.safeParse(def.schema, config);
      if (!parsed.success) {
        for (const issue of parsed.issues) {
          const path = issue.path?.map((p) => String(p.key)).join('.');
          problems.push(`${where}${path ? '.' + path : ''}: ${issue.message}`);
        }
        continue;
      }
      const inst = await def.create(parsed.output, {
        ...ctx,
        logger: ctx.logger.with({ receiver: r.name, integration: `${type}[${index}]` }),
      });
      if (!isNotifier(inst)) {
        problems.push(`${where}: plugin ${def.name} did not return a notifier`);
        continue;
      }
      list.push({ type, index, notifier: inst });
    }
    out.set(r.name, list);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return out;
}
