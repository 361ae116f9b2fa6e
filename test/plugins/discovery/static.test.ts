import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../core/log/logger.ts';
import type { TargetGroup } from '../../../core/discovery/mod.ts';
import { staticDiscoveryPlugin, staticMechanism } from '../../../plugins/discovery/static/mod.ts';

test('static_configs: one group per entry, sourced by index', () => {
  const got: TargetGroup[][] = [];
  const d = staticMechanism.create({ targets: ['a:1', 'b:2'], labels: { env: 'x' } }, {
    logger: createLogger({ write: () => {} }),
    index: 3,
    setName: 'job',
  });
  d.run(new AbortController().signal, (g) => got.push(g));
  assert.deepEqual(got, [[{
    source: '3',
    labels: { env: 'x' },
    targets: [{ __address__: 'a:1' }, { __address__: 'b:2' }],
  }]]);
  assert.equal(staticDiscoveryPlugin.kind, 'discovery');
  assert.equal(staticDiscoveryPlugin.name, 'static_configs');
});
