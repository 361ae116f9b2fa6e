/**
 * A remote-read endpoint as a Querier, with the filters Prometheus puts in front of it:
 * `required_matchers`, `read_recent` (the time local storage covers is not asked remotely)
 * and `filter_external_labels` (external labels become equality matchers and leave the result).
 * @module
 */
import { Labels } from '../../model/labels.ts';
import type { Matcher } from '../../model/matcher.ts';
import {
  DecodedSeries,
  type Querier,
  type Queryable,
  type SampleColumns,
  type SelectHints,
  type Series,
  type SeriesSet,
  seriesSetOf,
} from '../../storage/mod.ts';
import type { LabelMatcherMessage, ReadQuery } from '../read_types.ts';
import { type ReadClient, ReadError, type ReadSeries } from './client.ts';
import type { ReadMetrics } from './metrics.ts';

/** Settings of one {@link RemoteReadEndpoint} (a `remote_read[]` entry). */
export interface RemoteReadEndpointOptions {
  /** The `remote_name` metric label: the config's `name`, else a hash of the entry. */
  name: string;
  client: ReadClient;
  /** Only selects with all these `=` matchers are sent. */
  requiredMatchers?: Readonly<Record<string, string>>;
  /** Also ask for the time range local storage covers (`read_recent`). */
  readRecent?: boolean;
  /**
   * External labels to add as matchers and strip from results; `undefined` or empty when
   * `filter_external_labels` is false.
   */
  externalLabels?: () => Readonly<Record<string, string>>;
  /**
   * Where local storage's data begins (ms, with Prometheus's safety margin); selects that end
   * before it are answered locally only. Needed unless `readRecent`.
   */
  localStartTime?: () => Promise<number>;
  metrics?: ReadMetrics;
}

/** An endpoint that hands out queriers; the secondary of a {@link FanoutStorage}. */
export class RemoteReadEndpoint implements Queryable {
  readonly options: RemoteReadEndpointOptions;

  constructor(options: RemoteReadEndpointOptions) {
    this.options = options;
  }

  querier(mint: number, maxt: number): Querier {
    return new RemoteReadQuerier(this.options, mint, maxt);
  }
}

const EMPTY: SeriesSet = seriesSetOf([], [], true);

class RemoteReadQuerier implements Querier {
  readonly mint: number;
  readonly maxt: number;
  readonly #o: RemoteReadEndpointOptions;

  constructor(o: RemoteReadEndpointOptions, mint: number, maxt: number) {
    this.#o = o;
    this.mint = mint;
    this.maxt = maxt;
  }

  async select(matchers: readonly Matcher[], hints?: SelectHints): Promise<SeriesSet> {
    const o = this.#o;
    if (!hasRequired(matchers, o.requiredMatchers ?? {})) return EMPTY;
    let maxt = this.maxt;
    if (!o.readRecent && o.localStartTime) {
      const localStart = await o.localStartTime();
      if (this.mint > localStart) return EMPTY;
      if (maxt > localStart) maxt = localStart;
    }
    const added = addedExternal(matchers, o.externalLabels?.() ?? {});
    const query: ReadQuery = {
      startTimestampMs: this.mint,
      endTimestampMs: maxt,
      matchers: [
        ...matchers.map((m): LabelMatcherMessage => ({
          type: m.type,
          name: m.name,
          value: m.value,
        })),
        ...added.map(([name, value]): LabelMatcherMessage => ({ type: '=', name, value })),
      ],
    };
    if (hints) {
      query.hints = {
        stepMs: hints.step ?? 0,
        func: hints.func ?? '',
        startMs: hints.start ?? 0,
        endMs: hints.end ?? 0,
        grouping: [],
        by: false,
        rangeMs: hints.range ?? 0,
      };
    }
    const result = await this.#read(query);
    // Asked for labels only, a Prometheus answers series without samples: keep them.
    const keepEmpty = hints?.func === 'series';
    return seriesSetOf(toSeries(result, added.map(([n]) => n), this.mint, maxt, keepEmpty));
  }

  async #read(query: ReadQuery): Promise<ReadSeries[]> {
    const o = this.#o, m = o.metrics;
    const labels = { remote_name: o.name, url: o.client.url };
    const begin = performance.now();
    m?.inFlight.inc(labels);
    try {
      const series = await o.client.read(query);
      m?.queriesTotal.inc({ ...labels, response_code: '200' });
      return series;
    } catch (e) {
      if (e instanceof ReadError && e.status > 0) {
        m?.queriesTotal.inc({ ...labels, response_code: String(e.status) });
      }
      throw new Error(`remote_read: ${(e as Error).message}`);
    } finally {
      m?.inFlight.dec(labels);
      m?.duration.observe(labels, (performance.now() - begin) / 1000);
    }
  }

  /**
   * The remote read protocol has no label queries: with matchers the names come from a
   * series select; without, the remote adds nothing (as Prometheus, which asks none).
   */
  async labelNames(matchers?: readonly Matcher[]): Promise<string[]> {
    if (!matchers || matchers.length === 0) return [];
    const names = new Set<string>();
    for (const s of await this.select(matchers, { func: 'series' })) {
      for (const n of s.labels.names()) names.add(n);
    }
    return [...names];
  }

  /** As {@link labelNames}: the values of `name` among the series `matchers` select. */
  async labelValues(name: string, matchers?: readonly Matcher[]): Promise<string[]> {
    if (!matchers || matchers.length === 0) return [];
    const values = new Set<string>();
    for (const s of await this.select(matchers, { func: 'series' })) {
      const v = s.labels.get(name);
      if (v !== '') values.add(v);
    }
    return [...values];
  }

  close(): void {}
}

/** Whether every required `name: value` has an `=` matcher among `matchers`. */
function hasRequired(
  matchers: readonly Matcher[],
  required: Readonly<Record<string, string>>,
): boolean {
  for (const [name, value] of Object.entries(required)) {
    if (!matchers.some((m) => m.type === '=' && m.name === name && m.value === value)) {
      return false;
    }
  }
  return true;
}

/**
 * The external labels to send as `=` matchers: those the selector does not already match on
 * by name (the user then asks for another value on purpose).
 */
function addedExternal(
  matchers: readonly Matcher[],
  external: Readonly<Record<string, string>>,
): [string, string][] {
  return Object.entries(external).filter(([name]) => !matchers.some((m) => m.name === name));
}

function toSeries(
  result: ReadSeries[],
  strip: string[],
  mint: number,
  maxt: number,
  keepEmpty: boolean,
): Series[] {
  const out: Series[] = [];
  for (const rs of result) {
    let labels = Labels.fromPairs(rs.labels.map((l) => [l.name, l.value] as const));
    if (strip.length > 0) labels = labels.without(...strip);
    const samples = clip(rs.samples, mint, maxt);
    if (samples.t.length === 0 && !keepEmpty) continue;
    out.push(new DecodedSeries(labels, samples));
  }
  return out;
}

// Chunks may hold samples outside the range asked for; time-ordered columns clip by bounds.
function clip(c: SampleColumns, mint: number, maxt: number): SampleColumns {
  let a = 0, b = c.t.length;
  while (a < b && c.t[a] < mint) a++;
  while (b > a && c.t[b - 1] > maxt) b--;
  if (a === 0 && b === c.t.length) return c;
  const stale = c.stale?.subarray(a, b);
  return {
    t: c.t.subarray(a, b),
    v: c.v.subarray(a, b),
    ...(stale && stale.some((x) => x === 1) ? { stale } : {}),
  };
}
