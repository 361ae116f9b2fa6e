/**
 * Loading a config: YAML → sections validated one by one → cross-section rules → includes.
 * Every error found is reported, each with file, line, column and key path.
 * @module
 */

import * as v from 'valibot';
import { ConfigError, ConfigLoadError, type ConfigPath } from './errors.ts';
import { type ConfigSource, readYaml } from './yaml_source.ts';
import {
  type Config,
  listItemSchemas,
  scrapeConfigFileSchema,
  type SectionKey,
  sectionSchemas,
} from './schema.ts';
import { resolveScrapeConfig, type ScrapeConfig, type ScrapeConfigInput } from './scrape.ts';
import type { GlobalConfig } from './global.ts';
import { duplicateRemoteNames } from './remote.ts';
import { OTLP_UTF8_STRATEGIES } from './otlp.ts';
import { dirname, joinDir } from './path.ts';
import { checkRouting, type RoutingConfig, routingSectionSchemas } from '../notify/config.ts';
import { strict } from './schema_helpers.ts';
import { type EnvLookup, expandEnv } from './env_expand.ts';

/** File access for {@link loadConfig}; the host adapter provides it (core has no file API). */
export interface ConfigFS {
  /** The text of a file. */
  readTextFile(path: string): Promise<string>;
  /** Files matching a glob pattern (`*`, `?`, `[…]` in the last segment); none is fine. */
  expandGlob(pattern: string): Promise<string[]>;
}

/** Options of {@link parseConfig} and {@link loadConfig}. */
export interface ParseOptions {
  /** Directory that relative paths are resolved against; defaults to the file's directory. */
  baseDir?: string;
  /**
   * Environment for `$VAR`/`${VAR}` in `external_labels` values; unset variables expand to
   * the empty string, as in Prometheus. Defaults to an empty environment.
   */
  env?: EnvLookup;
}

/** Turns one valibot issue into a positioned error. */
export function issueToError(
  source: ConfigSource,
  base: ConfigPath,
  issue: v.BaseIssue<unknown>,
): ConfigError {
  const items = issue.path ?? [];
  const path = [...base, ...items.map((p) => p.key as string | number)];
  const last = items[items.length - 1] as { origin?: string } | undefined;
  const atKey = last?.origin === 'key';
  const pos = source.positionOf(path, atKey);
  let message = issue.message;
  if (
    atKey && issue.expected !== 'never' && issue.input === undefined &&
    issue.expected?.startsWith('"')
  ) {
    message = `missing required field ${issue.expected.slice(1, -1)}`;
  }
  return new ConfigError(source.file, pos.line, pos.column, path, message);
}

/**
 * Validates the node at `path` of a loaded file against any valibot schema, with the same
 * error form as the config itself. The plugin loader checks each `plugins[i].config` this
 * way. Throws {@link ConfigLoadError}.
 */
export function validateBlock<S extends v.GenericSchema>(
  schema: S,
  source: ConfigSource,
  path: ConfigPath,
): v.InferOutput<S> {
  let node: unknown = source.value;
  for (const seg of path) {
    node = node == null ? undefined : (node as Record<string | number, unknown>)[seg];
  }
  const r = v.safeParse(schema, node);
  if (r.success) return r.output;
  throw new ConfigLoadError(r.issues.map((i) => issueToError(source, path, i)));
}

interface Parsed {
  config: Partial<Config> & Record<string, unknown>;
  errors: ConfigError[];
  source: ConfigSource;
  /** The parsed `global` section, when it is valid. */
  global?: GlobalConfig;
  /** For list sections: the source index of each valid item kept in `config`. */
  indexes?: Record<string, number[]>;
}

function parseSections(text: string, file: string): Parsed {
  const source = readYaml(text, file);
  const errors = [...source.errors];
  const config: Record<string, unknown> = {};
  if (source.fatal) return { config, errors, source };
  const root = source.value ?? {};
  if (typeof root !== 'object' || Array.isArray(root)) {
    const p = source.positionOf([]);
    errors.push(new ConfigError(file, p.line, p.column, [], 'the config must be a mapping'));
    return { config, errors, source };
  }
  const rec = root as Record<string, unknown>;
  for (const key of Object.keys(rec)) {
    if (!(key in sectionSchemas)) {
      const p = source.positionOf([key], true);
      errors.push(
        new ConfigError(file, p.line, p.column, [key], `field ${key} not found in type config`),
      );
    }
  }
  const indexes: Record<string, number[]> = {};
  for (const key of Object.keys(sectionSchemas) as SectionKey[]) {
    const raw = rec[key];
    if (key in listItemSchemas && Array.isArray(raw)) {
      const schema = listItemSchemas[key as keyof typeof listItemSchemas] as v.GenericSchema;
      const items: unknown[] = [];
      indexes[key] = [];
      raw.forEach((item, i) => {
        const r = v.safeParse(schema, item);
        if (r.success) {
          items.push(r.output);
          indexes[key].push(i);
        } else for (const issue of r.issues) errors.push(issueToError(source, [key, i], issue));
      });
      config[key] = items;
      continue;
    }
    const r = v.safeParse(sectionSchemas[key] as v.GenericSchema, raw);
    if (r.success) config[key] = r.output;
    else for (const issue of r.issues) errors.push(issueToError(source, [key], issue));
  }
  // References between routing sections (receiver and time-interval names).
  if (!errors.some((e) => ROUTING_KEYS.has(String(e.segments[0])))) {
    for (const problem of checkRouting(config as unknown as RoutingConfig)) {
      const at = config.route ? ['route'] : ['receivers'];
      const p = source.positionOf(at, true);
      errors.push(new ConfigError(file, p.line, p.column, at, problem));
    }
  }
  return { config, errors, source, indexes, global: config.global as GlobalConfig | undefined };
}

const ROUTING_KEYS = new Set(Object.keys(routingSectionSchemas));

/** Resolves jobs against `global`, reporting inheritance problems and duplicate job names. */
function resolveJobs(
  jobs: ScrapeConfigInput[],
  global: GlobalConfig | undefined,
  source: ConfigSource,
  seen: Map<string, string>,
  errors: ConfigError[],
  where: string,
  indexes?: number[],
): ScrapeConfig[] {
  const out: ScrapeConfig[] = [];
  jobs.forEach((job, n) => {
    const i = indexes?.[n] ?? n;
    // Without a valid `global` only the duplicate-name rule can be checked.
    const r = global ? resolveScrapeConfig(job, global) : { config: job as ScrapeConfig };
    const at = (field?: string) => {
      const path = field ? ['scrape_configs', i, field] : ['scrape_configs', i];
      const p = source.positionOf(path);
      return { path, p };
    };
    if ('problem' in r) {
      const { path, p } = at(r.problem.field);
      errors.push(new ConfigError(source.file, p.line, p.column, path, r.problem.message));
      return;
    }
    const first = seen.get(job.job_name);
    if (first !== undefined) {
      const { path, p } = at('job_name');
      const suffix = first === where && where === 'main config file'
        ? ''
        : `, first found in ${first}`;
      errors.push(
        new ConfigError(
          source.file,
          p.line,
          p.column,
          path,
          `found multiple scrape configs with job name ${JSON.stringify(job.job_name)}${suffix}`,
        ),
      );
      return;
    }
    seen.set(job.job_name, where);
    out.push(r.config);
  });
  return out;
}

// Keys whose string values are file paths, made absolute against the config's directory
// as Prometheus's SetDirectory does (plugin configs are the plugin's business).
const FILE_KEY_RE = /_file$|^files$|^token_file_path$/;

function resolveFilePaths(node: unknown, dir: string, key = ''): unknown {
  if (typeof node === 'string') return FILE_KEY_RE.test(key) ? joinDir(dir, node) : node;
  if (Array.isArray(node)) {
    return node.map((
      x,
    ) => (typeof x === 'string' ? resolveFilePaths(x, dir, key) : resolveFilePaths(x, dir)));
  }
  if (node && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
    const rec = node as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (k === 'plugins' || k === 'rule_files' || k === 'scrape_config_files') continue;
      rec[k] = resolveFilePaths(rec[k], dir, k);
    }
  }
  return node;
}

function finish(parsed: Parsed, opts: ParseOptions, baseDir: string, jobs: ScrapeConfig[]): Config {
  const c = parsed.config as Record<string, unknown>;
  const labels = (c.global as GlobalConfig).external_labels;
  for (const name of Object.keys(labels)) {
    labels[name] = expandEnv(
      labels[name],
      opts.env ?? (() => undefined),
    );
  }
  c.scrape_configs = jobs;
  c.rule_files = (c.rule_files as string[]).map((f) => joinDir(baseDir, f));
  c.scrape_config_files = (c.scrape_config_files as string[]).map((f) => joinDir(baseDir, f));
  resolveFilePaths(c, baseDir);
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(sectionSchemas)) if (c[key] !== undefined) ordered[key] = c[key];
  Object.defineProperty(ordered, 'source', { value: parsed.source, enumerable: false });
  return ordered as Config;
}

function crossChecks(parsed: Parsed, seen: Map<string, string>): ScrapeConfig[] {
  const { config, errors, source } = parsed;
  const at = (path: ConfigPath, message: string) => {
    const p = source.positionOf(path);
    errors.push(new ConfigError(source.file, p.line, p.column, path, message));
  };
  let jobs: ScrapeConfig[] = [];
  if (config.scrape_configs) {
    jobs = resolveJobs(
      config.scrape_configs as unknown as ScrapeConfigInput[],
      parsed.global,
      source,
      seen,
      errors,
      'main config file',
      parsed.indexes?.scrape_configs,
    );
  }
  for (const [key, kind] of [['remote_write', 'write'], ['remote_read', 'read']] as const) {
    const list = config[key] as { name: string }[] | undefined;
    for (const d of duplicateRemoteNames(list ?? [], kind)) {
      at([key, parsed.indexes?.[key]?.[d.index] ?? d.index, 'name'], d.message);
    }
  }
  const otlp = config.otlp;
  if (
    otlp && parsed.global?.metric_name_validation_scheme === 'legacy' &&
    OTLP_UTF8_STRATEGIES.includes(otlp.translation_strategy)
  ) {
    at(
      ['otlp', 'translation_strategy'],
      `OTLP translation strategy ${
        JSON.stringify(otlp.translation_strategy)
      } is not allowed when UTF8 is disabled`,
    );
  }
  return jobs;
}

function sortErrors(errors: ConfigError[]): ConfigError[] {
  return errors.sort((a, b) =>
    a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column
  );
}

/**
 * Parses and validates one config file's text (no `scrape_config_files` includes are read).
 * Throws {@link ConfigLoadError} with every error found.
 */
export function parseConfig(text: string, file: string, opts: ParseOptions = {}): Config {
  const parsed = parseSections(text, file);
  const jobs = crossChecks(parsed, new Map());
  if (parsed.errors.length) throw new ConfigLoadError(sortErrors(parsed.errors));
  return finish(parsed, opts, opts.baseDir ?? dirname(file), jobs);
}

const includeSchema = strict('scrape_configs_file', scrapeConfigFileSchema);

/**
 * Reads a config file and the files its `scrape_config_files` globs match (relative to the
 * config's directory), merging their jobs; duplicate job names across files are errors.
 * Throws {@link ConfigLoadError} with every error found.
 */
export async function loadConfig(
  file: string,
  fs: ConfigFS,
  opts: ParseOptions = {},
): Promise<Config> {
  const text = await fs.readTextFile(file);
  const parsed = parseSections(text, file);
  const baseDir = opts.baseDir ?? dirname(file);
  const seen = new Map<string, string>();
  const jobs = crossChecks(parsed, seen);
  const errors = parsed.errors;
  const patterns = (parsed.config.scrape_config_files as string[] | undefined) ?? [];
  if (parsed.global && patterns.length) {
    for (const pattern of patterns) {
      const matches = [...(await fs.expandGlob(joinDir(baseDir, pattern)))].sort();
      for (const included of matches) {
        let incText: string;
        try {
          incText = await fs.readTextFile(included);
        } catch (e) {
          errors.push(
            new ConfigError(
              included,
              1,
              1,
              [],
              `cannot read scrape config file: ${(e as Error).message}`,
            ),
          );
          continue;
        }
        const src = readYaml(incText, included);
        errors.push(...src.errors);
        if (src.fatal) continue;
        const r = v.safeParse(includeSchema, src.value ?? {});
        if (!r.success) {
          for (const issue of r.issues) errors.push(issueToError(src, [], issue));
          continue;
        }
        const resolved = resolveJobs(
          r.output.scrape_configs as ScrapeConfigInput[],
          parsed.global,
          src,
          seen,
          errors,
          JSON.stringify(included),
        );
        const incDir = dirname(included);
        for (const job of resolved) jobs.push(resolveFilePaths(job, incDir) as ScrapeConfig);
      }
    }
  }
  if (errors.length) throw new ConfigLoadError(sortErrors(errors));
  // Included jobs were resolved against their own directory already; keep them as they are.
  const main = jobs.slice(0, (parsed.config.scrape_configs as unknown[] | undefined)?.length ?? 0);
  const config = finish(parsed, opts, baseDir, main);
  config.scrape_configs.push(...jobs.slice(main.length));
  return config;
}
