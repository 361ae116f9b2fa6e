/**
 * A small client of Beacon's registration API: registers this exporter's address, renews the
 * registration before it lapses, registers again if Beacon forgot it, and deregisters on stop.
 * Copy it into your exporter; it needs nothing but `fetch`.
 * @module
 */

/** Options of {@link BeaconRegistration}. */
export interface RegistrationOptions {
  /** Beacon's base URL, e.g. `http://localhost:9090`. */
  beaconUrl: string;
  /** The token of a `registration_sd_configs` entry. */
  token: string;
  /** `host:port` addresses Beacon should scrape. */
  targets: string[];
  labels?: Record<string, string>;
  /** The job, when the token is valid for several. */
  job?: string;
  /** A stable id (survives the exporter's restarts); absent: Beacon assigns one. */
  id?: string;
  /** Requested time to live, seconds (Beacon caps it at the config's `max_ttl`). */
  ttlSeconds?: number;
  /** Receives renewal failures (the client keeps trying). */
  onError?: (err: Error) => void;
}

/** What Beacon answered to a registration. */
export interface RegistrationInfo {
  id: string;
  job: string;
  ttl: string;
  expiresAt: string;
}

/** Keeps one registration alive. */
export class BeaconRegistration {
  readonly #o: RegistrationOptions;
  #id: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(o: RegistrationOptions) {
    this.#o = o;
    this.#id = o.id;
  }

  /** Registers, then renews every third of the granted TTL until {@link stop}. */
  async start(): Promise<RegistrationInfo> {
    const info = await this.#register();
    this.#schedule(info);
    return info;
  }

  /** Stops renewing and deletes the registration, so Beacon drops the targets at once. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    if (this.#id === undefined) return;
    const res = await this.#call('DELETE', `/api/v1/targets/register/${this.#id}`);
    await res.body?.cancel();
  }

  async #register(): Promise<RegistrationInfo> {
    const { targets, labels, job, ttlSeconds } = this.#o;
    const res = await this.#call('POST', '/api/v1/targets/register', {
      ...(this.#id ? { id: this.#id } : {}),
      ...(job ? { job } : {}),
      targets,
      labels: labels ?? {},
      ...(ttlSeconds ? { ttl: `${ttlSeconds}s` } : {}),
    });
    const info = await this.#data(res);
    this.#id = info.id;
    return info;
  }

  async #renew(): Promise<RegistrationInfo> {
    const res = await this.#call('PUT', `/api/v1/targets/register/${this.#id}`);
    // Beacon lost the registration (it lapsed, or its state was wiped): register afresh.
    if (res.status === 404) {
      await res.body?.cancel();
      return await this.#register();
    }
    return await this.#data(res);
  }

  #schedule(info: RegistrationInfo): void {
    if (this.#stopped) return;
    const ttlMs = Date.parse(info.expiresAt) - Date.now();
    const wait = Math.max(1000, ttlMs / 3);
    this.#timer = setTimeout(async () => {
      try {
        this.#schedule(await this.#renew());
      } catch (e) {
        this.#o.onError?.(e as Error);
        // Try again soon, well before the registration lapses.
        this.#schedule({ ...info, expiresAt: new Date(Date.now() + 3000).toISOString() });
      }
    }, wait);
  }

  #call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(new URL(path, this.#o.beaconUrl), {
      method,
      headers: {
        authorization: `Bearer ${this.#o.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
  }

  async #data(res: Response): Promise<RegistrationInfo> {
    const json = await res.json() as { status: string; data?: RegistrationInfo; error?: string };
    if (!res.ok || json.status !== 'success' || !json.data) {
      throw new Error(`registration failed (HTTP ${res.status}): ${json.error ?? 'no data'}`);
    }
    return json.data;
  }
}
