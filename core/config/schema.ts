/**
 * The whole config file: one schema per top-level section, and the {@link Config} type.
 * Sections are validated one by one (see load.ts) so that an error in one does not hide
 * the errors of another.
 * @module
 */

import * as v from 'valibot';
import { globalSchema } from './global.ts';
import { alertingSchema } from './alerting.ts';
import { type ScrapeConfig, scrapeConfigSchema } from './scrape.ts';
import { remoteReadSchema, remoteWriteSchema } from './remote.ts';
import { storageSchema } from './storage.ts';
import { tracingSchema } from './tracing.ts';
import { otlpSchema } from './otlp.ts';
import { pluginsSchema } from './plugins.ts';
import { routingSectionSchemas } from '../notify/config.ts';
import { runtimeSchema } from './runtime.ts';
import { str } from './schema_helpers.ts';
import type { ConfigSource } from './yaml_source.ts';

// Prometheus's patRulePath: a `*` may appear only in the last path segment.
const GLOB_PATH_RE = /^[^*]*(\*[^/]*)?$/;

function globList(what: string) {
  return v.pipe(
    v.optional(
      v.nullable(
        v.array(
          v.pipe(
            str,
            v.check(
              GLOB_PATH_RE.test.bind(GLOB_PATH_RE),
              (issue) => `invalid ${what} path ${JSON.stringify(issue.input)}`,
            ),
          ),
        ),
      ),
      [],
    ),
    v.transform((l) => l ?? []),
  );
}

const listOf = <T extends v.GenericSchema>(item: T) =>
  v.pipe(v.optional(v.nullable(v.array(item)), []), v.transform((l) => l ?? []));

/** Schemas of the top-level sections, by key. */
export const sectionSchemas = {
  global: globalSchema,
  runtime: runtimeSchema,
  alerting: alertingSchema,
  rule_files: globList('rule file'),
  scrape_config_files: globList('scrape config file'),
  scrape_configs: listOf(scrapeConfigSchema),
  storage: storageSchema,
  tracing: tracingSchema,
  remote_write: listOf(remoteWriteSchema),
  remote_read: listOf(remoteReadSchema),
  otlp: otlpSchema,
  plugins: pluginsSchema,
  // Beacon's built-in routing, in Alertmanager's format.
  ...routingSectionSchemas,
};

/**
 * Item schemas of the list sections: each item is validated on its own, so that one bad job
 * does not hide the cross-item errors (such as duplicate names) of the others.
 */
export const listItemSchemas = {
  scrape_configs: scrapeConfigSchema,
  remote_write: remoteWriteSchema,
  remote_read: remoteReadSchema,
} as const;

/** A top-level config key. */
export type SectionKey = keyof typeof sectionSchemas;

type Sections = { [K in SectionKey]: v.InferOutput<(typeof sectionSchemas)[K]> };

/**
 * A loaded config: YAML's snake_case keys with every default applied. `scrape_configs`
 * holds the jobs of the main file and of `scrape_config_files`, each with what it inherits
 * from `global` filled in; `rule_files` and `scrape_config_files` are absolute patterns.
 */
export type Config = Omit<Sections, 'scrape_configs'> & {
  scrape_configs: ScrapeConfig[];
  /** The main file's parsed YAML, for positions (non-enumerable: never printed). */
  readonly source?: ConfigSource;
};

/** The schema of a file named in `scrape_config_files`: only `scrape_configs` is allowed. */
export const scrapeConfigFileSchema = {
  scrape_configs: listOf(scrapeConfigSchema),
};
