/**
 * A target's scrape loop: waits for the target's stable offset, then scrapes every interval,
 * appends what it got plus the report series, and commits once per scrape. When the target
 * goes away it writes stale markers two intervals later, unless Beacon is shutting down.
 * @module
 */
import type { Storage } from '../storage/mod.ts';
import type { Logger } from '../log/logger.ts';
import { AppendError, type AppendOptions, appendScrape } from './append.ts';
import { BODY_SIZE_LIMIT_ERROR, scrapeHttp, type ScrapeRequest } from './http.ts';
import { ReportWriter } from './report.ts';
import type { ScrapeCache } from './scrape_cache.ts';
import type { Target } from './target.ts';

/** Timestamps within this of the ideal tick snap to it (Prometheus's scrape tolerance). */
const TIMESTAMP_TOLERANCE_MS = 2;

/** What a {@link ScrapeLoop} needs. */
export interface ScrapeLoopOptions {
  target: Target;
  storage: Storage;
  cache: ScrapeCache;
  request: ScrapeRequest;
  append: AppendOptions;
  intervalMs: number;
  timeoutMs: number;
  /** `extra_scrape_metrics`. */
  extraMetrics: boolean;
  /** Makes the start phase differ between Beacon replicas (hostname, external labels). */
  offsetSeed: string;
  /** Aborted on shutdown: in-flight scrapes end and no stale markers are written. */
  shutdown: AbortSignal;
  logger: Logger;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** Scrapes one target on its schedule. */
export class ScrapeLoop {
  readonly target: Target;
  readonly cache: ScrapeCache;
  readonly #o: ScrapeLoopOptions;
  readonly #report: ReportWriter;
  readonly #now: () => number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #next = 0;
  #lastAppendTime = 0;
  #running: Promise<void> | undefined;
  #stopped = false;
  #forcedError: string | undefined;

  constructor(o: ScrapeLoopOptions) {
    this.#o = o;
    this.target = o.target;
    this.cache = o.cache;
    this.#now = o.now ?? Date.now;
    this.#report = new ReportWriter(o.target.publicLabels(), o.extraMetrics);
    o.target.metadata = o.cache;
  }

  /** Starts scraping after the target's offset (`immediately` skips it, for tests). */
  start(immediately = false): void {
    const now = this.#now();
    const off = immediately ? 0 : this.target.offset(this.#o.intervalMs, this.#o.offsetSeed, now);
    this.#next = now + off;
    this.#schedule();
  }

  /** Makes every scrape fail with `error` (target_limit), or clears it. */
  setForcedError(error: string | undefined): void {
    this.#forcedError = error;
  }

  #schedule(): void {
    if (this.#stopped) return;
    const delay = Math.max(0, this.#next - this.#now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = this.#now();
      const t = Math.abs(now - this.#next) <=
          Math.min(TIMESTAMP_TOLERANCE_MS, this.#o.intervalMs / 100)
        ? this.#next
        : now;
      this.#running = this.scrapeOnce(t).catch((e) => {
        this.#o.logger.error('Scrape failed unexpectedly', { err: (e as Error).message });
      }).finally(() => {
        this.#running = undefined;
        const iv = this.#o.intervalMs;
        // Missed ticks are skipped, as with Go's ticker.
        const n = this.#now();
        do this.#next += iv; while (this.#next <= n);
        this.#schedule();
      });
    }, delay);
  }

  /** Performs one scrape with append timestamp `t` (ms) and commits it. */
  async scrapeOnce(t: number = this.#now()): Promise<void> {
    const o = this.#o;
    const storage = o.storage;
    const startWall = this.#now();
    const t0 = performance.now();
    let app = storage.appender();
    let scrapeErr = '';
    let bodyBytes = 0;
    let res = { total: 0, added: 0, seriesAdded: 0 };
    const appendEmpty = () => {
      this.cache.resetCurrent();
      try {
        appendScrape(app, this.cache, EMPTY, '', t, o.append);
      } catch (e) {
        app.rollback();
        app = storage.appender();
        o.logger.warn('Append failed', { err: (e as Error).message });
      }
    };
    if (this.#forcedError !== undefined) {
      scrapeErr = this.#forcedError;
      appendEmpty();
    } else {
      let body: Uint8Array = EMPTY, contentType = '';
      try {
        const r = await scrapeHttp(o.request, o.shutdown);
        body = r.body;
        contentType = r.contentType;
        bodyBytes = body.length;
      } catch (e) {
        scrapeErr = (e as Error).message;
        if (scrapeErr === BODY_SIZE_LIMIT_ERROR) bodyBytes = -1;
        o.logger.debug('Scrape failed', { err: scrapeErr });
      }
      if (o.shutdown.aborted) {
        app.rollback();
        return;
      }
      try {
        res = appendScrape(app, this.cache, body, contentType, t, o.append, this.#now());
      } catch (e) {
        app.rollback();
        app = storage.appender();
        const msg = (e as Error).message;
        if (e instanceof AppendError) res = e.result;
        else o.logger.warn('Append failed', { err: msg });
        if (scrapeErr === '') scrapeErr = msg;
        appendEmpty();
      }
    }
    const durationSec = (performance.now() - t0) / 1000;
    this.target.report(startWall, durationSec, scrapeErr);
    this.#lastAppendTime = t;
    try {
      this.#report.write(app, t, {
        up: scrapeErr === '',
        durationSec,
        scraped: res.total,
        postRelabel: res.added,
        seriesAdded: res.seriesAdded,
        timeoutSec: o.timeoutMs / 1000,
        sampleLimit: o.append.sampleLimit,
        bodyBytes,
      });
    } catch (e) {
      o.logger.warn('Appending scrape report failed', { err: (e as Error).message });
    }
    try {
      await app.commit();
    } catch (e) {
      o.logger.error('Scrape commit failed', { err: (e as Error).message });
    }
  }

  /**
   * Stops the loop and waits for an in-flight scrape. With `staleness`, stale markers for
   * every series of the target follow in the background after two more intervals plus 10%,
   * stamped with the next scrape's time; the returned `staleness` promise settles then.
   */
  async stop(staleness: boolean): Promise<{ staleness: Promise<void> }> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running) await this.#running.catch(() => {});
    if (!staleness || this.#lastAppendTime === 0 || this.#o.shutdown.aborted) {
      return { staleness: Promise.resolve() };
    }
    return { staleness: this.#endOfRunStaleness() };
  }

  async #endOfRunStaleness(): Promise<void> {
    const o = this.#o;
    const iv = o.intervalMs;
    let staleTime = this.#lastAppendTime + iv;
    const now = this.#now();
    while (staleTime < now - iv) staleTime += iv;
    const wait = Math.max(0, staleTime + iv + iv / 10 - now);
    const cancelled = await new Promise<boolean>((resolve) => {
      if (o.shutdown.aborted) return resolve(true);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        o.shutdown.removeEventListener('abort', onAbort);
        resolve(false);
      }, wait);
      o.shutdown.addEventListener('abort', onAbort, { once: true });
    });
    if (cancelled) return;
    let app = o.storage.appender();
    this.cache.resetCurrent();
    try {
      appendScrape(app, this.cache, EMPTY, '', staleTime, o.append);
    } catch (e) {
      app.rollback();
      app = o.storage.appender();
      o.logger.warn('Stale append failed', { err: (e as Error).message });
    }
    try {
      this.#report.writeStale(app, staleTime);
    } catch (e) {
      o.logger.warn('Stale report failed', { err: (e as Error).message });
    }
    try {
      await app.commit();
    } catch (e) {
      o.logger.warn('Stale commit failed', { err: (e as Error).message });
    }
  }
}

const EMPTY: Uint8Array = new Uint8Array(0);
