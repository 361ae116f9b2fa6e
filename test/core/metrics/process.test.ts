import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type MetricFamily } from '../../../core/exposition/writer.ts';
import { ProcessCollector, Registry } from '../../../core/metrics/mod.ts';
import { createProcessInfo } from '../../../adapters/shared/process_info.ts';

function valueOf(fams: MetricFamily[], name: string): number | undefined {
  return fams.find((f) => f.name === name)?.metrics[0]?.value;
}

describe('ProcessCollector', () => {
  test('with the runtime provider: core metrics present and plausible', async () => {
    const r = new Registry();
    r.register(new ProcessCollector(createProcessInfo()));
    const fams = await r.collect();
    const cpu = valueOf(fams, 'process_cpu_seconds_total');
    const rss = valueOf(fams, 'process_resident_memory_bytes');
    const heap = valueOf(fams, 'nodejs_heap_size_used_bytes');
    const start = valueOf(fams, 'process_start_time_seconds')!;
    assert.ok(cpu !== undefined && cpu > 0, `cpu ${cpu}`);
    assert.ok(rss !== undefined && rss > 1e6, `rss ${rss}`);
    assert.ok(heap !== undefined && heap > 0, `heap ${heap}`);
    const now = Date.now() / 1000;
    assert.ok(start > now - 86400 && start <= now + 1, `start ${start}`);
    for (const f of fams) {
      for (const m of f.metrics) assert.ok(Number.isFinite(m.value), `${f.name} ${m.value}`);
    }
    if (process.platform === 'linux') {
      assert.ok(valueOf(fams, 'process_open_fds')! > 0);
      assert.ok(valueOf(fams, 'process_max_fds')! > 0);
      assert.ok(valueOf(fams, 'process_virtual_memory_bytes')! > 0);
    }
    assert.match(await r.metrics(), /^# TYPE process_cpu_seconds_total counter$/m);
  });

  test('values the provider lacks are left out; prefix applies to every name', () => {
    const c = new ProcessCollector(
      { startTimeSeconds: 100, read: () => ({ residentMemoryBytes: 5, cpuUserSeconds: 1 }) },
      { prefix: 'my_' },
    );
    const fams = c.collect();
    assert.deepEqual(fams.map((f) => [f.name, f.metrics[0].value]), [
      ['my_process_cpu_user_seconds_total', 1],
      ['my_process_resident_memory_bytes', 5],
      ['my_process_start_time_seconds', 100],
    ]);
    assert.ok(c.names.includes('my_process_open_fds'));
  });

  test('a throwing provider yields only the start time', () => {
    const c = new ProcessCollector({
      startTimeSeconds: 1,
      read: () => {
        throw new Error('boom');
      },
    });
    assert.deepEqual(c.collect().map((f) => f.name), ['process_start_time_seconds']);
  });
});
