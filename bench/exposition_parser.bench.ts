/**
 * `deno bench bench/exposition_parser.bench.ts`: one scrape of a 10k-sample payload per
 * iteration; samples/s = 10 000 / median time. `bench/exposition_parser_run.ts` prints
 * samples/s directly and also runs under Bun.
 */
import { buildPayload } from './exposition_payload.ts';
import { parseCold, parseWarm } from './exposition_workload.ts';

const TEXT = 'text/plain; version=0.0.4';
const OM = 'application/openmetrics-text; version=1.0.0';
const text = new TextEncoder().encode(buildPayload(false));
const om = new TextEncoder().encode(buildPayload(true));
const textCache = new Map<string, number>();
const omCache = new Map<string, number>();
parseWarm(text, TEXT, textCache);
parseWarm(om, OM, omCache);

Deno.bench('text 0.0.4 cold (labels for every series)', { group: 'text' }, () => {
  parseCold(text, TEXT);
});
Deno.bench('text 0.0.4 warm (series-text cache hit)', { group: 'text', baseline: true }, () => {
  parseWarm(text, TEXT, textCache);
});
Deno.bench('OpenMetrics cold (labels for every series)', { group: 'om' }, () => {
  parseCold(om, OM);
});
Deno.bench('OpenMetrics warm (series-text cache hit)', { group: 'om', baseline: true }, () => {
  parseWarm(om, OM, omCache);
});
