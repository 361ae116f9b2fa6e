/**
 * Beacon on Deno Deploy: `Deno.serve` answers the HTTP API, `Deno.cron` runs one tick per
 * occurrence (the same tick as the Cloudflare Worker's), and the state that outlives an
 * isolate is kept in Deno KV. Configured by environment variables: `BEACON_CONFIG`,
 * `BEACON_FILES`, `BEACON_FLAGS`, `BEACON_TICK_TOKEN` (see docs/edge.md), plus `BEACON_CRON`
 * (default every minute), `BEACON_KV_PATH` (a local KV file; Deploy ignores it) and `PORT`.
 *
 * Locally: `deno run -A --unstable-kv --unstable-cron examples/deno-deploy/main.ts`.
 * @module
 */
import {
  EdgeBeacon,
  MemoryStateStore,
  readBindings,
  type StateStore,
  tickRequest,
} from '../../adapters/edge/mod.ts';
import { type KvLike, kvStateStore } from './kv_store.ts';

// Deno.cron and Deno.openKv are unstable APIs: typed here, and looked up at run time so that
// a missing `--unstable-*` flag degrades with a warning instead of a crash.
interface UnstableDeno {
  cron?: (name: string, schedule: string, handler: () => Promise<void>) => Promise<void>;
  openKv?: (path?: string) => Promise<KvLike>;
}
const unstable = Deno as unknown as UnstableDeno;

const env = Deno.env.toObject();
const bindings = readBindings(env);

let store: StateStore;
if (unstable.openKv) {
  store = kvStateStore(await unstable.openKv(env.BEACON_KV_PATH || undefined));
} else {
  console.error('Deno KV is not enabled (--unstable-kv): the state lives in memory only');
  store = new MemoryStateStore();
}

const beacon = await EdgeBeacon.create({
  runtime: { name: 'deno-deploy', version: Deno.version.deno },
  files: bindings.files,
  env: bindings.env,
  flags: bindings.flags,
  store,
});

async function tick(): Promise<void> {
  try {
    console.log(JSON.stringify({ msg: 'tick', ...(await beacon.tick()) }));
  } catch (e) {
    console.error(JSON.stringify({ msg: 'tick failed', err: String(e) }));
  }
}

if (unstable.cron) {
  // The promise settles only when the cron is stopped: not awaited.
  unstable.cron('beacon tick', env.BEACON_CRON || '* * * * *', tick).catch((e) =>
    console.error(JSON.stringify({ msg: 'Deno.cron failed', err: String(e) }))
  );
} else {
  console.error('Deno.cron is not enabled (--unstable-cron): ticks run only on request');
}

Deno.serve(
  {
    port: Number(env.PORT || 8000),
    hostname: env.HOSTNAME || '0.0.0.0',
    onListen: ({ hostname, port }) => console.error(`Beacon listening on ${hostname}:${port}`),
  },
  async (req) => {
    const res = await tickRequest(req, bindings.tickToken, () => beacon.tick());
    return res ?? beacon.fetch(req);
  },
);
