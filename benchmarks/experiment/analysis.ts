/**
 * The figures of the warm-up experiment, computed from the iteration times alone.
 *
 * Per benchmark and configuration (over the processes that verified, combined iteration by
 * iteration with the median, as the runner does): the total time of the first 1, 5, 10 and
 * 50 iterations (fewer if the processes ran fewer: `count` says how many), the steady state
 * and the iteration it starts at, by runner/statistics.ts's definitions.
 *
 * Per benchmark and candidate (multi and its variants, configs.ts), with one ratio per round
 * of processes (the processes of one benchmark with the same invocation number ran one after
 * the other, so pairing them cancels slow drift of the machine):
 * - warm-up: candidate ÷ tier2 on the total of the first 10 iterations; gain = 1 - ratio;
 * - peak: candidate ÷ tier2 on the steady state; loss = ratio - 1;
 * - first iteration: candidate ÷ interp.
 * Each is a geometric mean over the rounds with a 95% t-interval (confidence.ts). The geometric
 * mean over benchmarks is taken per round and then over the rounds in which every benchmark
 * has a ratio, so its interval also comes from the spread across processes.
 */
import { combineInvocations, FIRST_N, steadyState, sum, summarise } from '../runner/statistics.ts';
import { ratioInterval, type RatioEstimate } from './confidence.ts';
import { BASELINE, FIRST_ITERATION_REFERENCE, candidates, type Config } from './configs.ts';
import type { ExperimentRun } from './results.ts';

/** The first-N totals reported per configuration. */
export const FIRST_NS = [1, 5, 10, 50] as const;

/** The targets of issue #11, reported and never asserted: gain at least, loss at most, first-iteration ratio at most. */
export const TARGETS = { warmupGain: 0.3, peakLoss: 0.02, firstVsInterp: 1 } as const;

export interface FirstTotal {
  readonly n: number;
  /** Iterations summed: n, or fewer if the series is shorter. */
  readonly count: number;
  readonly totalUs: number;
}

export interface ConfigFigures {
  readonly benchmark: string;
  readonly config: string;
  readonly inner: number;
  /** Processes that verified, and the length of their combined series. */
  readonly processes: number;
  readonly iterations: number;
  readonly firstTotals: readonly FirstTotal[];
  readonly steadyUs: number;
  /** 1-based iteration the steady state starts at; null if the series never settles. */
  readonly steadyFromIteration: number | null;
}

export interface Comparison {
  readonly benchmark: string;
  readonly candidate: string;
  /** candidate ÷ tier2 on the first-FIRST_N total, candidate ÷ tier2 on the steady state, candidate ÷ interp on the first iteration. */
  readonly warmup: RatioEstimate | null;
  readonly peak: RatioEstimate | null;
  readonly firstVsInterp: RatioEstimate | null;
}

/** The geometric mean over benchmarks of one candidate's comparisons. */
export interface MeanComparison {
  readonly candidate: string;
  readonly warmup: RatioEstimate | null;
  readonly peak: RatioEstimate | null;
  readonly firstVsInterp: RatioEstimate | null;
}

export interface Analysis {
  /** The iterations the warm-up comparison sums (FIRST_N). */
  readonly warmupIterations: number;
  readonly figures: readonly ConfigFigures[];
  readonly comparisons: readonly Comparison[];
  readonly means: readonly MeanComparison[];
}

export type Measure = 'warmup' | 'peak' | 'firstVsInterp';

/** One process's figures that the comparisons divide. */
const PER_PROCESS: Readonly<Record<Measure, (us: readonly number[]) => number>> = {
  warmup: (us) => sum(us.slice(0, FIRST_N)),
  peak: (us) => steadyState(us),
  firstVsInterp: (us) => us[0] ?? Number.NaN,
};

/** The reference configuration each measure divides by. */
const REFERENCE: Readonly<Record<Measure, string>> = {
  warmup: BASELINE,
  peak: BASELINE,
  firstVsInterp: FIRST_ITERATION_REFERENCE,
};

export function analyse(runs: readonly ExperimentRun[], configs: readonly Config[]): Analysis {
  const verified = runs.filter((r) => r.verified && r.iterationsUs.length > 0);
  const benchmarks = [...new Set(verified.map((r) => r.benchmark))];
  const figures = benchmarks.flatMap((b) =>
    configs.flatMap((c) => figuresOf(verified.filter((r) => r.benchmark === b && r.config === c.name))),
  );
  const comparisons = candidates(configs).flatMap((c) => benchmarks.map((b) => compare(verified, b, c.name)));
  const means = candidates(configs).map((c) => meanOf(verified, benchmarks, c.name));
  return { warmupIterations: FIRST_N, figures, comparisons, means };
}

/** The figures of one benchmark in one configuration; none if no process verified. */
function figuresOf(group: readonly ExperimentRun[]): ConfigFigures[] {
  const first = group[0];
  if (first === undefined) return [];
  const combined = combineInvocations(group.map((r) => r.iterationsUs));
  const summary = summarise(combined);
  return [
    {
      benchmark: first.benchmark,
      config: first.config,
      inner: first.inner,
      processes: group.length,
      iterations: combined.length,
      firstTotals: FIRST_NS.map((n) => firstTotal(combined, n)),
      steadyUs: summary.steadyUs,
      steadyFromIteration: summary.steadyFromIteration,
    },
  ];
}

export function firstTotal(series: readonly number[], n: number): FirstTotal {
  const count = Math.min(n, series.length);
  return { n, count, totalUs: sum(series.slice(0, count)) };
}

function compare(runs: readonly ExperimentRun[], benchmark: string, candidate: string): Comparison {
  const estimate = (m: Measure) => {
    const ratios = [...roundRatios(runs, benchmark, candidate, m).values()];
    return ratios.length === 0 ? null : ratioInterval(ratios);
  };
  return {
    benchmark,
    candidate,
    warmup: estimate('warmup'),
    peak: estimate('peak'),
    firstVsInterp: estimate('firstVsInterp'),
  };
}

/** Round (invocation number) -> candidate's figure ÷ the reference's, for the rounds where both verified. */
export function roundRatios(
  runs: readonly ExperimentRun[],
  benchmark: string,
  candidate: string,
  measure: Measure,
): Map<number, number> {
  const byRound = (config: string) =>
    new Map(runs.filter((r) => r.benchmark === benchmark && r.config === config).map((r) => [r.invocation, r]));
  const mine = byRound(candidate);
  const theirs = byRound(REFERENCE[measure]);
  const ratios = new Map<number, number>();
  for (const [round, run] of mine) {
    const other = theirs.get(round);
    if (other === undefined) continue;
    const ratio = PER_PROCESS[measure](run.iterationsUs) / PER_PROCESS[measure](other.iterationsUs);
    if (ratio > 0 && Number.isFinite(ratio)) ratios.set(round, ratio);
  }
  return ratios;
}

function meanOf(runs: readonly ExperimentRun[], benchmarks: readonly string[], candidate: string): MeanComparison {
  const mean = (m: Measure) => meanRatio(benchmarks.map((b) => roundRatios(runs, b, candidate, m)));
  return { candidate, warmup: mean('warmup'), peak: mean('peak'), firstVsInterp: mean('firstVsInterp') };
}

/**
 * The geometric mean over benchmarks, per round, then estimated over the rounds that every
 * benchmark with any ratio has; null if there is no such round.
 */
export function meanRatio(perBenchmark: readonly Map<number, number>[]): RatioEstimate | null {
  const present = perBenchmark.filter((m) => m.size > 0);
  if (present.length === 0) return null;
  const rounds = [...present[0]!.keys()].filter((round) => present.every((m) => m.has(round)));
  if (rounds.length === 0) return null;
  const perRound = rounds.map((round) =>
    Math.exp(present.reduce((a, m) => a + Math.log(m.get(round)!), 0) / present.length),
  );
  return ratioInterval(perRound);
}

/** Warm-up gain (1 - ratio) and peak loss (ratio - 1) with their intervals; the bounds swap for the gain. */
export function asGain(ratio: RatioEstimate): RatioEstimate {
  return { ...ratio, estimate: 1 - ratio.estimate, low: flip(ratio.high), high: flip(ratio.low) };
}

export function asLoss(ratio: RatioEstimate): RatioEstimate {
  return { ...ratio, estimate: ratio.estimate - 1, low: shift(ratio.low), high: shift(ratio.high) };
}

const flip = (v: number | null) => (v === null ? null : 1 - v);
const shift = (v: number | null) => (v === null ? null : v - 1);
