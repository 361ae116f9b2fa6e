/**
 * The registration hub: the registrations of every job, the `registration_sd_configs` entries
 * that accept them (bound by their discoverers while they run), token checks, expiry and
 * persistence through a {@link RegistrationStore}.
 * @module
 */
import type { RegistrationSDConfig } from '../../../core/config/mod.ts';
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import type { Logger } from '../../../core/log/logger.ts';
import { Counter, Gauge, type Registry } from '../../../core/metrics/mod.ts';
import type { Registration, RegistrationStore } from './store.ts';
import type { RegistrationRequest } from './request.ts';

/** Why a request was refused; `status` is the HTTP status to answer with. */
export class RegistrationError extends Error {
  override name = 'RegistrationError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 503,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** Options of {@link RegistrationHub}. */
export interface RegistrationHubOptions {
  store: RegistrationStore;
  logger: Logger;
  registry?: Registry;
  /** Reads a `token_file` (the host's `readTextFile`). */
  readTextFile?: (path: string) => Promise<string>;
  /** Clock, ms. */
  now?: () => number;
}

interface Binding {
  job: string;
  index: number;
  config: RegistrationSDConfig;
  onChange: () => void;
}

/** Meta label carrying the registration's id on each of its targets. */
export const META_ID = '__meta_registration_id';

/** See the module doc. */
export class RegistrationHub {
  readonly #o: RegistrationHubOptions;
  readonly #now: () => number;
  readonly #regs = new Map<string, Registration>();
  readonly #bindings = new Set<Binding>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #loaded = false;
  #stopped = false;
  readonly #created: Counter<'job'>;
  readonly #renewed: Counter<'job'>;
  readonly #expired: Counter<'job'>;
  readonly #removed: Counter<'job'>;
  readonly #rejected: Counter<'reason'>;

  constructor(o: RegistrationHubOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    const registers = o.registry ? [o.registry] : [];
    const regs = this.#regs;
    new Gauge({
      name: 'beacon_sd_registrations',
      help: 'Number of live target registrations, by job.',
      labelNames: ['job'] as const,
      registers,
      collect() {
        this.reset();
        for (const r of regs.values()) this.inc({ job: r.job });
      },
    });
    const counter = (name: string, help: string) =>
      new Counter({ name, help, labelNames: ['job'] as const, registers });
    this.#created = counter('beacon_sd_registrations_total', 'Registrations created, by job.');
    this.#renewed = counter(
      'beacon_sd_registration_renewals_total',
      'Registrations renewed or updated, by job.',
    );
    this.#expired = counter(
      'beacon_sd_registrations_expired_total',
      'Registrations that lapsed without renewal, by job.',
    );
    this.#removed = counter(
      'beacon_sd_registrations_deleted_total',
      'Registrations deleted by their exporter, by job.',
    );
    this.#rejected = new Counter({
      name: 'beacon_sd_registration_requests_rejected_total',
      help: 'Registration requests refused, by reason.',
      labelNames: ['reason'] as const,
      registers,
    });
  }

  /** Reads the stored registrations, dropping those that lapsed while Beacon was down. */
  async load(): Promise<void> {
    const now = this.#now();
    for (const r of await this.#o.store.list()) {
      if (r.expiresAt <= now) {
        await this.#o.store.delete(r.id);
        continue;
      }
      this.#regs.set(r.id, r);
    }
    this.#loaded = true;
    for (const b of this.#bindings) b.onChange();
    this.#arm();
  }

  /** Number of live registrations. */
  get size(): number {
    return this.#regs.size;
  }

  /**
   * Makes a config entry accept registrations; `onChange` runs when its registrations change.
   * Returns the function that unbinds it.
   */
  bind(
    job: string,
    index: number,
    config: RegistrationSDConfig,
    onChange: () => void,
  ): () => void {
    const b: Binding = { job, index, config, onChange };
    this.#bindings.add(b);
    return () => void this.#bindings.delete(b);
  }

  /** The target groups of one config entry: one group per registration. */
  groupsFor(job: string, index: number, config: RegistrationSDConfig): TargetGroup[] {
    const out: TargetGroup[] = [];
    for (const r of this.#regs.values()) {
      if (r.job !== job || r.index !== index) continue;
      out.push(groupOf(r, config));
    }
    return out;
  }

  /** Every live registration (a copy), e.g. for a listing. */
  list(): Registration[] {
    return [...this.#regs.values()].map((r) => structuredClone(r));
  }

  /**
   * Creates or renews a registration. `pathId` is the id of `PUT …/register/<id>`, where a
   * body without targets only renews.
   */
  async register(
    token: string | undefined,
    req: RegistrationRequest,
    pathId?: string,
  ): Promise<Registration> {
    this.#ensureLoaded();
    const id = pathId ?? req.id;
    if (pathId !== undefined && req.id !== undefined && req.id !== pathId) {
      throw this.#reject('bad_request', 400, 'bad_data', 'id in the body differs from the path');
    }
    const existing = id !== undefined ? this.#regs.get(id) : undefined;
    const binding = await this.#authorize(token, req.job ?? existing?.job);
    if (existing && (existing.job !== binding.job || existing.index !== binding.index)) {
      throw this.#reject('conflict', 409, 'conflict', `registration ${id} belongs to another job`);
    }
    const targets = req.targets ?? existing?.targets;
    if (!targets) {
      if (pathId !== undefined) {
        throw this.#reject('not_found', 404, 'not_found', `no registration with id ${pathId}`);
      }
      throw this.#reject('bad_request', 400, 'bad_data', 'targets is required');
    }
    const cfg = binding.config;
    const ttlMs = Math.min(req.ttlMs ?? existing?.ttlMs ?? cfg.default_ttl.ms, cfg.max_ttl.ms);
    const now = this.#now();
    const r: Registration = {
      id: id ?? crypto.randomUUID(),
      job: binding.job,
      index: binding.index,
      targets: [...targets],
      labels: { ...(req.labels ?? (req.targets ? {} : existing?.labels ?? {})) },
      ttlMs,
      createdAt: existing?.createdAt ?? now,
      expiresAt: now + ttlMs,
    };
    await this.#o.store.put(r);
    this.#regs.set(r.id, r);
    (existing ? this.#renewed : this.#created).inc({ job: r.job });
    if (!existing) this.#o.logger.info('Target registered', { job: r.job, id: r.id });
    this.#notify(r.job, r.index);
    this.#arm();
    return structuredClone(r);
  }

  /** Deletes a registration; its targets disappear at the next discovery update. */
  async deregister(token: string | undefined, id: string): Promise<void> {
    this.#ensureLoaded();
    const r = this.#regs.get(id);
    const binding = await this.#authorize(token, r?.job);
    if (!r || r.job !== binding.job) {
      throw this.#reject('not_found', 404, 'not_found', `no registration with id ${id}`);
    }
    await this.#o.store.delete(id);
    this.#regs.delete(id);
    this.#removed.inc({ job: r.job });
    this.#o.logger.info('Target deregistered', { job: r.job, id });
    this.#notify(r.job, r.index);
    this.#arm();
  }

  /** One registration, for a client that holds a token of its job. */
  async get(token: string | undefined, id: string): Promise<Registration> {
    const r = this.#regs.get(id);
    const binding = await this.#authorize(token, r?.job);
    if (!r || r.job !== binding.job) {
      throw this.#reject('not_found', 404, 'not_found', `no registration with id ${id}`);
    }
    return structuredClone(r);
  }

  /** Removes every lapsed registration now (the timer calls it; tests may too). */
  async expire(): Promise<void> {
    const now = this.#now();
    const lapsed = [...this.#regs.values()].filter((r) => r.expiresAt <= now);
    for (const r of lapsed) {
      this.#regs.delete(r.id);
      this.#expired.inc({ job: r.job });
      this.#o.logger.info('Target registration expired', { job: r.job, id: r.id });
      this.#notify(r.job, r.index);
      try {
        await this.#o.store.delete(r.id);
      } catch (e) {
        this.#o.logger.error('Cannot delete expired registration', { id: r.id, err: e as Error });
      }
    }
    this.#arm();
  }

  /** Stops the expiry timer. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #ensureLoaded(): void {
    if (!this.#loaded) {
      throw this.#reject('not_ready', 503, 'unavailable', 'registrations are not loaded yet');
    }
  }

  async #authorize(token: string | undefined, job: string | undefined): Promise<Binding> {
    const all = [...this.#bindings];
    if (all.length === 0) {
      throw this.#reject(
        'disabled',
        404,
        'not_found',
        'registration is not enabled: no scrape config has registration_sd_configs',
      );
    }
    if (!token) throw this.#reject('unauthorized', 401, 'unauthorized', 'bearer token required');
    const ok: Binding[] = [];
    for (const b of all) if (safeEqual(await this.#tokenOf(b), token)) ok.push(b);
    if (ok.length === 0) throw this.#reject('unauthorized', 401, 'unauthorized', 'invalid token');
    const candidates = job === undefined ? ok : ok.filter((b) => b.job === job);
    if (candidates.length === 0) {
      throw this.#reject('forbidden', 403, 'forbidden', `token not valid for job ${job}`);
    }
    const jobs = new Set(candidates.map((b) => b.job));
    if (jobs.size > 1) {
      throw this.#reject(
        'bad_request',
        400,
        'bad_data',
        `the token is valid for several jobs (${[...jobs].sort().join(', ')}): name one in "job"`,
      );
    }
    return candidates[0];
  }

  async #tokenOf(b: Binding): Promise<string> {
    if (b.config.token !== undefined) return b.config.token.reveal();
    const read = this.#o.readTextFile;
    if (!read || !b.config.token_file) return '';
    try {
      // Read on every request, so that a rotated token file applies at once.
      return (await read(b.config.token_file)).trim();
    } catch (e) {
      this.#o.logger.error('Cannot read registration token file', {
        job: b.job,
        file: b.config.token_file,
        err: e as Error,
      });
      return '';
    }
  }

  #reject(reason: string, status: RegistrationError['status'], type: string, msg: string) {
    this.#rejected.inc({ reason });
    return new RegistrationError(status, type, msg);
  }

  #notify(job: string, index: number): void {
    for (const b of this.#bindings) if (b.job === job && b.index === index) b.onChange();
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#stopped || this.#regs.size === 0) return;
    let next = Infinity;
    for (const r of this.#regs.values()) next = Math.min(next, r.expiresAt);
    // Timers cap at about 24.8 days; a later expiry is re-armed when this one fires.
    const wait = Math.min(Math.max(0, next - this.#now()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.expire().catch((e) => this.#o.logger.error('Expiry failed', { err: e as Error }));
    }, wait);
  }
}

/** The target group of a registration; the config's labels win over the exporter's. */
export function groupOf(r: Registration, config: RegistrationSDConfig): TargetGroup {
  return {
    source: `registration/${r.id}`,
    targets: r.targets.map((t) => ({ __address__: t })),
    labels: { ...r.labels, ...(config.labels ?? {}), [META_ID]: r.id },
  };
}

/** Compares without an early exit, so that timing does not reveal how much of a token matched. */
function safeEqual(a: string, b: string): boolean {
  if (a === '') return false;
  const x = new TextEncoder().encode(a), y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < y.length; i++) diff |= (x[i % (x.length || 1)] ?? 0) ^ y[i];
  return diff === 0;
}
