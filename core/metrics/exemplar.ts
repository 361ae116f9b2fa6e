/**
 * Exemplar capture shared by counters and histograms.
 * @module
 */
import type { FamilyExemplar } from '../exposition/mod.ts';

/** Exemplar labels as callers pass them. */
export type ExemplarLabels = Readonly<Record<string, string>>;

// OpenMetrics caps an exemplar's label set at 128 UTF-8 characters (names plus values).
const MAX_EXEMPLAR_RUNES = 128;

/** Builds an exemplar, throwing when its labels exceed the OpenMetrics limit. */
export function makeExemplar(
  labels: ExemplarLabels,
  value: number,
  timestampMs: number,
): FamilyExemplar {
  let runes = 0;
  for (const k in labels) runes += [...k].length + [...labels[k]].length;
  if (runes > MAX_EXEMPLAR_RUNES) {
    throw new RangeError(`exemplar labels have ${runes} characters, more than 128`);
  }
  return { labels: { ...labels }, value, timestamp: timestampMs };
}
