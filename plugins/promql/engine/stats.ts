/**
 * Query statistics as Prometheus reports them with `stats=…` on the query API and in the query
 * log: phase timings in seconds and the samples read from storage.
 * @module
 */

/** Phase timings of one query, in seconds (Prometheus's `stats.timings`). */
export interface QueryTimings {
  /** From leaving the queue to the finished result (preparation, evaluation, sorting). */
  evalTotalTime: number;
  /** Sorting the series of a range query's result. */
  resultSortTime: number;
  /** Reading the selected series from storage. */
  queryPreparationTime: number;
  /** Evaluating the expression over the loaded series. */
  innerEvalTime: number;
  /** Waiting for a free slot under `--query.max-concurrency`. */
  execQueueTime: number;
  /** Queue and evaluation together. */
  execTotalTime: number;
}

/** Samples a query read (Prometheus's `stats.samples`). */
export interface QuerySamples {
  /** Samples read from storage over all steps (a window's samples count at every step). */
  totalQueryableSamples: number;
  /** Most samples the query held: Beacon counts what it loaded, which bounds the peak. */
  peakSamples: number;
  /** `[time ms, samples]` per step of the query (reported with `stats=all`). */
  totalQueryableSamplesPerStep: [number, number][];
}

/** Statistics of one query. */
export interface QueryStats {
  timings: QueryTimings;
  samples: QuerySamples;
}

/** Statistics with zero timings, from the per-step sample counts of the outer evaluation. */
export function newQueryStats(
  perStep: ArrayLike<number>,
  stepTime: (i: number) => number,
  peakSamples: number,
): QueryStats {
  let total = 0;
  const steps: [number, number][] = new Array(perStep.length);
  for (let i = 0; i < perStep.length; i++) {
    total += perStep[i];
    steps[i] = [stepTime(i), perStep[i]];
  }
  return {
    timings: {
      evalTotalTime: 0,
      resultSortTime: 0,
      queryPreparationTime: 0,
      innerEvalTime: 0,
      execQueueTime: 0,
      execTotalTime: 0,
    },
    samples: {
      totalQueryableSamples: total,
      peakSamples,
      totalQueryableSamplesPerStep: steps,
    },
  };
}

/** Statistics of a query that failed before evaluating. */
export function emptyQueryStats(): QueryStats {
  return newQueryStats([], () => 0, 0);
}
