/**
 * Which benchmarks the warm-up experiment runs by default, and at which sizes.
 *
 * The experiment needs many iterations (50, so that the first 50 can be summed and tier2 has
 * reached its steady state), in four modes and three processes each, within about 40 minutes
 * on a 2-core machine. So it runs most benchmarks at about a third of the runner's measuring
 * size (runner/suite.ts: about 0.3 s per interp iteration), about 0.1 s per interp iteration.
 * Mandelbrot, NBody and CD verify only at fixed sizes (SOM.md 12.1); Mandelbrot and NBody take
 * seconds per iteration at theirs and run 5 iterations, CD runs 25. A benchmark not listed
 * here (Havlak, the classic ones, when named) runs at the runner's size and iteration count.
 */
import { SUITE, type BenchmarkSpec } from '../runner/suite.ts';

export interface ExperimentSize {
  /** Inner iterations: the problem size. */
  readonly inner: number;
  /** Outer iterations per process. */
  readonly iterations: number;
}

const ITERATIONS = 50;

const SIZES: Readonly<Record<string, ExperimentSize>> = {
  Bounce: { inner: 50, iterations: ITERATIONS },
  List: { inner: 35, iterations: ITERATIONS },
  Mandelbrot: { inner: 500, iterations: 5 },
  NBody: { inner: 250000, iterations: 5 },
  Permute: { inner: 25, iterations: ITERATIONS },
  Queens: { inner: 50, iterations: ITERATIONS },
  Sieve: { inner: 50, iterations: ITERATIONS },
  Storage: { inner: 35, iterations: ITERATIONS },
  Towers: { inner: 17, iterations: ITERATIONS },
  CD: { inner: 10, iterations: 25 },
  DeltaBlue: { inner: 1300, iterations: ITERATIONS },
  Json: { inner: 3, iterations: ITERATIONS },
  Richards: { inner: 1, iterations: ITERATIONS },
  Phases: { inner: 3, iterations: ITERATIONS },
};

/** --quick: the smallest verifiable size (the suite's quickInner), two processes, this many iterations. */
export const QUICK_ITERATIONS = 10;
export const QUICK_INVOCATIONS = 2;
export const DEFAULT_INVOCATIONS = 3;

/** The default selection: the AWFY benchmarks of the runner's default run (all but Havlak) and the workloads. */
export function defaultBenchmarks(): BenchmarkSpec[] {
  return SUITE.filter((b) => b.inDefaultRun && b.family !== 'classic');
}

/** The experiment's size for a benchmark: the table above, else the runner's. */
export function experimentSize(spec: BenchmarkSpec, quick: boolean): ExperimentSize {
  if (quick) return { inner: spec.quickInner, iterations: QUICK_ITERATIONS };
  return SIZES[spec.name] ?? { inner: spec.inner, iterations: spec.iterations };
}
