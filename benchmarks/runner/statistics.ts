/**
 * Warm-up and steady-state figures of one series of iteration times (DESIGN.md, Benchmarks).
 *
 * - steady state: the median of the last half of the iterations;
 * - warm-up: the first iteration that is itself within 5% of the steady state and starts a
 *   window of three iterations (fewer at the end of the series) whose median is within 5%
 *   too, and the time spent before it. The window keeps one lucky early iteration from
 *   counting as "warmed up";
 * - first iteration, and the total of the first N iterations (N = 10 by default), which is
 *   what a short-running program pays.
 *
 * Several invocations of the same benchmark and mode are combined iteration by iteration
 * with the median, so one slow process does not skew the curve.
 */

export const STEADY_TOLERANCE = 0.05;
export const WARMUP_WINDOW = 3;
export const FIRST_N = 10;

export interface SeriesSummary {
  readonly iterations: number;
  readonly firstUs: number;
  /** Sum of the first `firstNCount` iterations (fewer than FIRST_N if the series is short). */
  readonly firstNTotalUs: number;
  readonly firstNCount: number;
  readonly steadyUs: number;
  /** 1-based iteration at which the series is within 5% of steady state; null if never. */
  readonly steadyFromIteration: number | null;
  /** Time spent in the iterations before `steadyFromIteration`; null if never. */
  readonly warmupUs: number | null;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty series');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? at(sorted, mid) : (at(sorted, mid - 1) + at(sorted, mid)) / 2;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('geometric mean of an empty series');
  return Math.exp(sum(values.map(Math.log)) / values.length);
}

/** The median of the last half of the series (the whole series if it has one element). */
export function steadyState(series: readonly number[]): number {
  return median(series.slice(Math.floor(series.length / 2)));
}

/** 1-based index of the first iteration that, with its window, is within tolerance of `steady`. */
export function steadyFrom(series: readonly number[], steady: number): number | null {
  const near = (value: number) => Math.abs(value - steady) <= STEADY_TOLERANCE * steady;
  for (let i = 0; i < series.length; i++) {
    if (near(at(series, i)) && near(median(series.slice(i, i + WARMUP_WINDOW)))) return i + 1;
  }
  return null; // a series that keeps oscillating around its median
}

export function summarise(series: readonly number[], firstN: number = FIRST_N): SeriesSummary {
  const steadyUs = steadyState(series);
  const steadyFromIteration = steadyFrom(series, steadyUs);
  const firstNCount = Math.min(firstN, series.length);
  return {
    iterations: series.length,
    firstUs: at(series, 0),
    firstNTotalUs: sum(series.slice(0, firstNCount)),
    firstNCount,
    steadyUs,
    steadyFromIteration,
    warmupUs: steadyFromIteration === null ? null : sum(series.slice(0, steadyFromIteration - 1)),
  };
}

/** Combines the series of several invocations: the median of each iteration index. */
export function combineInvocations(runs: readonly (readonly number[])[]): number[] {
  const length = Math.min(...runs.map((r) => r.length));
  const combined: number[] = [];
  for (let i = 0; i < length; i++) combined.push(median(runs.map((r) => at(r, i))));
  return combined;
}

function at(values: readonly number[], index: number): number {
  const value = values[index];
  if (value === undefined) throw new RangeError(`index ${index} outside a series of ${values.length}`);
  return value;
}
