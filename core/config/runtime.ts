/**
 * The `runtime` section. In Prometheus it tunes Go's garbage collector (`gogc`, default 75);
 * Beacon accepts it so that a prometheus.yml loads unchanged, and ignores it.
 * @module
 */

import * as v from 'valibot';
import { strict } from './schema_helpers.ts';

/** The `runtime` section (Go tuning in Prometheus; parsed and ignored by Beacon). */
export const runtimeSchema = v.pipe(
  v.optional(
    v.nullable(
      strict('runtime_config', {
        gogc: v.optional(v.nullable(v.pipe(v.number(), v.integer())), 75),
      }),
    ),
    {},
  ),
  v.transform((r) => ({ gogc: r?.gogc || 75 })),
);
