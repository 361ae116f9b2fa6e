/**
 * Beacon as a Cloudflare Worker: `fetch` serves the HTTP API, `scheduled` (a cron trigger) runs
 * one tick. With a Durable Object binding `BEACON`, both are forwarded to the one object named
 * `beacon`, which holds the memory storage and keeps the state in its storage: every query
 * then sees what every tick scraped, as long as the object stays in memory. Without it, each
 * isolate has its own storage and the state goes to the KV binding `BEACON_STATE` (or stays in
 * the isolate). Configuration comes from bindings (see `adapters/edge/bindings.ts`).
 * @module
 */
import {
  EdgeBeacon,
  MemoryStateStore,
  readBindings,
  type StateStore,
  type TickReport,
  tickRequest,
} from '../edge/mod.ts';
import { durableObjectStateStore, kvStateStore } from './state.ts';
import type {
  DurableObjectNamespace,
  DurableObjectState,
  ExecutionContext,
  KVNamespace,
  ScheduledController,
} from './types.ts';

/** The bindings this Worker reads; any other string binding is visible to `${VAR}`. */
export interface BeaconWorkerEnv {
  BEACON_CONFIG?: string;
  BEACON_FILES?: string | Record<string, string>;
  BEACON_SECRET_FILES?: string;
  BEACON_FLAGS?: string | Record<string, string>;
  BEACON_TICK_TOKEN?: string;
  /** The Durable Object namespace of the class the entry exports as `BeaconObject`. */
  BEACON?: DurableObjectNamespace;
  /** KV namespace for the state when there is no Durable Object. */
  BEACON_STATE?: KVNamespace;
  [binding: string]: unknown;
}

/** Settings of {@link createWorker} and {@link beaconObjectClass}. */
export interface BeaconWorkerOptions {
  /** Files compiled into the bundle (path → text); the bindings' files win. */
  files?: Readonly<Record<string, string>>;
}

/** The handlers a module Worker exports as its default. */
export interface BeaconWorker {
  fetch(req: Request, env: BeaconWorkerEnv, ctx: ExecutionContext): Promise<Response>;
  scheduled(c: ScheduledController, env: BeaconWorkerEnv, ctx: ExecutionContext): Promise<void>;
}

/** A Durable Object class as workerd instantiates it. */
export type BeaconObjectClass = new (
  state: DurableObjectState,
  env: BeaconWorkerEnv,
) => { fetch(req: Request): Promise<Response> };

// Requests from the Worker to its Durable Object; refused when they come from outside.
const INTERNAL = '/__beacon/';
const SCHEDULED_URL = 'https://beacon.internal/__beacon/scheduled';

const runtimeInfo = () => ({
  name: 'cloudflare-workers',
  version: (globalThis.navigator as { userAgent?: string } | undefined)?.userAgent ?? 'unknown',
});

function open(
  env: BeaconWorkerEnv,
  o: BeaconWorkerOptions,
  store: StateStore,
): { beacon: Promise<EdgeBeacon>; tickToken?: string } {
  let b;
  try {
    b = readBindings(env, o.files);
  } catch (e) {
    const beacon = Promise.reject(e);
    beacon.catch(() => {});
    return { beacon };
  }
  const beacon = EdgeBeacon.create({
    runtime: runtimeInfo(),
    files: b.files,
    env: b.env,
    flags: b.flags,
    store,
  });
  // Whoever awaits it sees the error; nothing else should report it as unhandled.
  beacon.catch(() => {});
  return { beacon, tickToken: b.tickToken };
}

async function serve(
  req: Request,
  opened: { beacon: Promise<EdgeBeacon>; tickToken?: string },
): Promise<Response> {
  let beacon: EdgeBeacon;
  try {
    beacon = await opened.beacon;
  } catch (e) {
    // A bad config: every request says why, until a deployment fixes it.
    return new Response(`Beacon could not start: ${(e as Error).message ?? e}\n`, { status: 500 });
  }
  const tick = await tickRequest(req, opened.tickToken, () => beacon.tick());
  return tick ?? beacon.fetch(req);
}

function logTick(r: TickReport, cron: string): void {
  console.log(JSON.stringify({ msg: 'tick', cron, ...r }));
}

/** The Worker's handlers; see the module doc. */
export function createWorker(o: BeaconWorkerOptions = {}): BeaconWorker {
  // Without a Durable Object, each isolate keeps its own Beacon.
  let local: { beacon: Promise<EdgeBeacon>; tickToken?: string } | undefined;
  const isolate = (env: BeaconWorkerEnv) => {
    if (!local) {
      const store = env.BEACON_STATE ? kvStateStore(env.BEACON_STATE) : new MemoryStateStore();
      local = open(env, o, store);
      // A failed start is retried by the next invocation rather than cached.
      local.beacon.catch(() => (local = undefined));
    }
    return local;
  };
  const object = (env: BeaconWorkerEnv) => env.BEACON!.get(env.BEACON!.idFromName('beacon'));
  return {
    fetch(req, env) {
      if (new URL(req.url).pathname.startsWith(INTERNAL)) {
        return Promise.resolve(new Response('404 page not found\n', { status: 404 }));
      }
      if (env.BEACON) return object(env).fetch(req);
      return serve(req, isolate(env));
    },
    async scheduled(c, env) {
      if (env.BEACON) {
        const res = await object(env).fetch(SCHEDULED_URL, {
          method: 'POST',
          body: JSON.stringify({ cron: c.cron, scheduledTime: c.scheduledTime }),
        });
        const text = await res.text();
        if (!res.ok) throw new Error(`tick failed: ${res.status} ${text}`);
        return;
      }
      const beacon = await isolate(env).beacon;
      logTick(await beacon.tick(), c.cron);
    },
  };
}

/**
 * The Durable Object class that holds Beacon when the Worker has a `BEACON` binding; export it
 * from the entry under the class name the binding names (`BeaconObject` in the example).
 */
export function beaconObjectClass(o: BeaconWorkerOptions = {}): BeaconObjectClass {
  return class BeaconObject {
    readonly #opened: { beacon: Promise<EdgeBeacon>; tickToken?: string };

    constructor(state: DurableObjectState, env: BeaconWorkerEnv) {
      this.#opened = open(env, o, durableObjectStateStore(state.storage));
    }

    async fetch(req: Request): Promise<Response> {
      const url = new URL(req.url);
      if (url.pathname === '/__beacon/scheduled' && req.method === 'POST') {
        const { cron } = await req.json() as { cron: string };
        try {
          const report = await (await this.#opened.beacon).tick();
          logTick(report, cron);
          return Response.json(report);
        } catch (e) {
          return new Response(String((e as Error).stack ?? e), { status: 500 });
        }
      }
      return serve(req, this.#opened);
    }
  };
}
