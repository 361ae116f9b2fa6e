/**
 * JSON as Prometheus's API writes it: sample values as strings in Go's shortest `'f'` form
 * (`"+Inf"`, `"NaN"`), timestamps as seconds with up to three decimals written from integer
 * milliseconds (`1435781451.781`, `1.500`), label sets as objects, HTML characters escaped.
 * The body is built as text because JSON numbers like `1.500` cannot come from `JSON.stringify`.
 * @module
 */
import type { Labels } from '../../../core/model/mod.ts';
import type { QueryStats, QueryValue } from '../engine/mod.ts';
import { formatFloat } from '../parser/mod.ts';

/** A JSON string as Go's encoder writes it (`<`, `>`, `&`, U+2028, U+2029 escaped). */
export function jsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A timestamp (integer ms) as Prometheus writes it: seconds, then `.` and 3 digits if needed. */
export function jsonTimestamp(ms: number): string {
  const neg = ms < 0;
  const a = Math.abs(ms);
  const secs = Math.floor(a / 1000);
  const frac = a - secs * 1000;
  const head = `${neg ? '-' : ''}${secs}`;
  return frac === 0 ? head : `${head}.${String(frac).padStart(3, '0')}`;
}

/** A sample value as a JSON string. */
export function jsonValue(v: number): string {
  // Between 1e-6 and 1e21 JavaScript's shortest round-trip form is Go's 'f' form (-0 aside).
  const a = Math.abs(v);
  if (a >= 1e-6 && a < 1e21) return `"${v}"`;
  return `"${formatFloat(v)}"`;
}

/** A label set as a JSON object. */
export function jsonLabels(labels: Labels): string {
  const parts: string[] = [];
  labels.forEach((n, v) => parts.push(`${jsonString(n)}:${jsonString(v)}`));
  return `{${parts.join(',')}}`;
}

/** `{"resultType": …, "result": …}` of a query value. */
export function jsonQueryData(value: QueryValue, extra = ''): string {
  let result: string;
  switch (value.resultType) {
    case 'scalar':
      result = `[${jsonTimestamp(value.result.t)},${jsonValue(value.result.v)}]`;
      break;
    case 'string':
      result = `[${jsonTimestamp(value.result.t)},${jsonString(value.result.v)}]`;
      break;
    case 'vector':
      result = `[${
        value.result.map((s) =>
          `{"metric":${jsonLabels(s.labels)},"value":[${jsonTimestamp(s.t)},${jsonValue(s.v)}]}`
        ).join(',')
      }]`;
      break;
    case 'matrix': {
      // Range query points share the step timestamps: format each once.
      const times = new Map<number, string>();
      const ts = (t: number) => {
        let s = times.get(t);
        if (s === undefined) times.set(t, s = `[${jsonTimestamp(t)},`);
        return s;
      };
      result = `[${
        value.result.map((s) => {
          const pts: string[] = new Array(s.t.length);
          for (let i = 0; i < s.t.length; i++) pts[i] = `${ts(s.t[i])}${jsonValue(s.v[i])}]`;
          return `{"metric":${jsonLabels(s.labels)},"values":[${pts.join(',')}]}`;
        }).join(',')
      }]`;
      break;
    }
  }
  return `{"resultType":"${value.resultType}","result":${result}${extra}}`;
}

/** The success envelope around pre-encoded `data`, with warnings and infos when present. */
export function jsonEnvelope(data: string, warnings: string[] = [], infos: string[] = []): string {
  let out = `{"status":"success","data":${data}`;
  if (warnings.length > 0) out += `,"warnings":[${warnings.map(jsonString).join(',')}]`;
  if (infos.length > 0) out += `,"infos":[${infos.map(jsonString).join(',')}]`;
  return out + '}';
}

/**
 * The `stats` object of a query answer, fields in Prometheus's order; the per-step sample
 * counts only when `perStep` (`stats=all`).
 */
export function jsonStats(stats: QueryStats, perStep: boolean): string {
  const t = stats.timings, s = stats.samples;
  const timings = `{"evalTotalTime":${t.evalTotalTime},"resultSortTime":${t.resultSortTime},` +
    `"queryPreparationTime":${t.queryPreparationTime},"innerEvalTime":${t.innerEvalTime},` +
    `"execQueueTime":${t.execQueueTime},"execTotalTime":${t.execTotalTime}}`;
  const steps = perStep
    ? `"totalQueryableSamplesPerStep":[${
      s.totalQueryableSamplesPerStep.map(([ts, n]) => `[${jsonTimestamp(ts)},${n}]`).join(',')
    }],`
    : '';
  return `{"timings":${timings},"samples":{${steps}"totalQueryableSamples":${s.totalQueryableSamples},"peakSamples":${s.peakSamples}}}`;
}
