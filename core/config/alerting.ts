/**
 * The `alerting` section: global alert relabelling and the Alertmanagers to send to, found
 * through service discovery like scrape targets.
 * @module
 */

import * as v from 'valibot';
import { durationSchema } from './schema_types.ts';
import { nonNull, str, strict } from './schema_helpers.ts';
import { checkHttpClient, httpClientEntries } from './http_client.ts';
import { sdConfigEntries } from './discovery/mod.ts';
import { relabelListSchema } from './relabel.ts';
import { sigv4Schema } from './auth_blocks.ts';

const o = <T extends v.GenericSchema>(s: T) => v.optional(v.nullable(s));

/** Alertmanager API versions Beacon (like Prometheus 3) speaks. */
export const ALERTMANAGER_API_VERSIONS = ['v2'] as const;

const alertmanagerObject = strict('alertmanager_config', {
  ...httpClientEntries,
  ...sdConfigEntries,
  sigv4: o(sigv4Schema),
  scheme: v.optional(str, 'http'),
  path_prefix: v.optional(str, ''),
  timeout: v.optional(durationSchema, '10s'),
  api_version: v.pipe(
    v.optional(str, 'v2'),
    v.check(
      (s) => (ALERTMANAGER_API_VERSIONS as readonly string[]).includes(s),
      (issue) =>
        `expected Alertmanager api version to be one of [${
          ALERTMANAGER_API_VERSIONS.join(' ')
        }] but got ${String(issue.input)}`,
    ),
  ),
  relabel_configs: o(relabelListSchema('empty or null Alertmanager target relabeling rule')),
  alert_relabel_configs: o(relabelListSchema('empty or null Alertmanager alert relabeling rule')),
});

/** One `alerting.alertmanagers[]` entry. */
export const alertmanagerConfigSchema = nonNull(
  v.pipe(
    alertmanagerObject,
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const c = dataset.value;
      const msg = checkHttpClient(c) ??
        ((c.basic_auth || c.authorization || c.oauth2) && c.sigv4
          ? 'at most one of basic_auth, authorization, oauth2, & sigv4 must be configured'
          : undefined);
      if (msg) addIssue({ message: msg });
    }),
  ),
  'empty or null Alertmanager config section',
);

/** A validated Alertmanager entry. */
export type AlertmanagerConfig = v.InferOutput<typeof alertmanagerConfigSchema>;

/** The `alerting` section. */
export const alertingSchema = v.pipe(
  v.optional(
    v.nullable(
      strict('alerting_config', {
        alert_relabel_configs: o(relabelListSchema('empty or null alert relabeling rule')),
        alertmanagers: o(v.array(alertmanagerConfigSchema)),
      }),
    ),
    {},
  ),
  v.transform((a) => ({
    alert_relabel_configs: a?.alert_relabel_configs ?? [],
    alertmanagers: a?.alertmanagers ?? [],
  })),
);

/** The effective `alerting` section. */
export type AlertingConfig = v.InferOutput<typeof alertingSchema>;
