import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../core/log/logger.ts';
import {
  type Discoverer,
  DiscoveryManager,
  type DiscoveryMechanism,
  type TargetGroup,
} from '../../../core/discovery/mod.ts';

const quiet = createLogger({ level: 'error', write: () => {} });

/** A mechanism whose discoverers the test drives by hand. */
function manual() {
  const live: { cfg: { id: string }; push: (g: TargetGroup[]) => void; signal: AbortSignal }[] = [];
  const mech: DiscoveryMechanism<{ id: string }> = {
    configKey: 'manual_sd_configs',
    create(cfg): Discoverer {
      return {
        run(signal, onUpdate) {
          live.push({ cfg, push: onUpdate, signal });
        },
      };
    },
  };
  return { mech: mech as DiscoveryMechanism, live };
}

const group = (source: string, ...addrs: string[]): TargetGroup => ({
  source,
  labels: {},
  targets: addrs.map((a) => ({ __address__: a })),
});

function nextUpdate(updates: Map<string, TargetGroup[]>[], n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 3000;
    const poll = () => {
      if (updates.length >= n) resolve();
      else if (Date.now() > deadline) reject(new Error(`no update #${n}`));
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('DiscoveryManager', () => {
  test('merges groups per job, throttles, and removes emptied sources', async () => {
    const { mech, live } = manual();
    const updates: Map<string, TargetGroup[]>[] = [];
    const m = new DiscoveryManager({
      logger: quiet,
      mechanisms: [mech],
      updateIntervalMs: 150,
      onUpdate: (s) => updates.push(new Map(s)),
    });
    m.applyConfig(new Map([['job', { manual_sd_configs: [{ id: 'a' }, { id: 'b' }] }]]));
    assert.equal(live.length, 2);
    live[0].push([group('x', 'a:1')]);
    live[1].push([group('x', 'b:1')]);
    await nextUpdate(updates, 1);
    // Further updates inside the interval are coalesced into one.
    live[0].push([group('y', 'a:2')]);
    live[0].push([group('x')]);
    const before = Date.now();
    await nextUpdate(updates, 2);
    assert.ok(Date.now() - before >= 50, 'second update waits for the interval');
    const last = updates[updates.length - 1].get('job')!;
    assert.deepEqual(last.map((g) => g.targets[0].__address__).sort(), ['a:2', 'b:1']);
    m.stop();
  });

  test('an unchanged job keeps its discoverers; a changed one restarts; removed stops', () => {
    const { mech, live } = manual();
    const m = new DiscoveryManager({ logger: quiet, mechanisms: [mech], onUpdate: () => {} });
    m.applyConfig(
      new Map([
        ['a', { manual_sd_configs: [{ id: 'a' }] }],
        ['b', { manual_sd_configs: [{ id: 'b' }] }],
      ]),
    );
    assert.equal(live.length, 2);
    m.applyConfig(
      new Map([
        ['a', { manual_sd_configs: [{ id: 'a' }] }],
        ['b', { manual_sd_configs: [{ id: 'b2' }] }],
      ]),
    );
    assert.equal(live.length, 3);
    assert.equal(live[0].signal.aborted, false);
    assert.equal(live[1].signal.aborted, true);
    m.applyConfig(new Map([['b', { manual_sd_configs: [{ id: 'b2' }] }]]));
    assert.equal(live[0].signal.aborted, true);
    m.stop();
    assert.equal(live[2].signal.aborted, true);
  });

  test('reports SD mechanisms it has no discoverer for', () => {
    const m = new DiscoveryManager({ logger: quiet, mechanisms: [], onUpdate: () => {} });
    m.applyConfig(new Map([['j', { consul_sd_configs: [{}] }]]));
    assert.deepEqual(m.unsupported().get('j'), ['consul_sd_configs']);
    m.stop();
  });
});
