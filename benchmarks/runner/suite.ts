/**
 * The benchmark suite as the runner and the verification test see it: each benchmark's name,
 * family and problem sizes, and the command line that runs it in one mode.
 *
 * SOM benchmarks run through the AWFY harness (benchmarks/som/Harness.som) with the
 * benchmark directories on the classpath, Core first so that AWFY's Vector, Set and
 * Dictionary shadow the standard library's (SOM.md 12.3). The `native` mode runs the
 * JavaScript versions through benchmarks/native/harness.mjs, which prints the same lines.
 * Paths are relative to the repository root; spawn the commands there.
 */
import type { RunnerMode } from './modes.ts';

export type Family = 'awfy-micro' | 'awfy-macro' | 'classic' | 'workload';

export interface BenchmarkSpec {
  readonly name: string;
  readonly family: Family;
  /** Inner iterations (problem size) of a measuring run: about 0.3 s per iteration in `interp`. */
  readonly inner: number;
  /** The smallest inner count that still verifies: --quick and the verification test use it. */
  readonly quickInner: number;
  /** Outer iterations of a measuring run. */
  readonly iterations: number;
  /** False for benchmarks too slow for the default run; name them to run them. */
  readonly inDefaultRun: boolean;
  /** Whether benchmarks/native has a JavaScript version (the 14 AWFY benchmarks do). */
  readonly hasNative: boolean;
}

/** Outer iterations of a measuring run, unless a benchmark says otherwise. */
const DEFAULT_ITERATIONS = 20;

/**
 * Sizes were chosen from measurements of the interpreter. Mandelbrot, NBody, CD and Havlak
 * verify only at fixed sizes (SOM.md 12.1), so their measuring sizes are the smallest that
 * still take a measurable time, with fewer iterations where one iteration is slow.
 */
export const SUITE: readonly BenchmarkSpec[] = [
  awfy('Bounce', 'awfy-micro', 150, 1),
  awfy('List', 'awfy-micro', 100, 1),
  awfy('Mandelbrot', 'awfy-micro', 500, 1, { iterations: 5 }),
  awfy('NBody', 'awfy-micro', 250000, 1, { iterations: 5 }),
  awfy('Permute', 'awfy-micro', 80, 1),
  awfy('Queens', 'awfy-micro', 150, 1),
  awfy('Sieve', 'awfy-micro', 150, 1),
  awfy('Storage', 'awfy-micro', 100, 1),
  awfy('Towers', 'awfy-micro', 50, 1),
  awfy('CD', 'awfy-macro', 10, 2),
  awfy('DeltaBlue', 'awfy-macro', 4000, 20),
  awfy('Havlak', 'awfy-macro', 1, 1, { iterations: 3, inDefaultRun: false }),
  awfy('Json', 'awfy-macro', 10, 1),
  awfy('Richards', 'awfy-macro', 3, 1),
  classic('BubbleSort', 200),
  classic('Dispatch', 200),
  classic('Fannkuch', 20),
  classic('Fibonacci', 150),
  classic('FieldLoop', 70),
  classic('IntegerLoop', 60),
  classic('Loop', 400),
  classic('QuickSort', 170),
  classic('TreeSort', 100),
  classic('WhileLoop', 400),
  workload('Phases', 10),
];

interface Overrides {
  readonly iterations?: number;
  readonly inDefaultRun?: boolean;
}

function awfy(
  name: string,
  family: Family,
  inner: number,
  quickInner: number,
  overrides: Overrides = {},
): BenchmarkSpec {
  return {
    name,
    family,
    inner,
    quickInner,
    iterations: overrides.iterations ?? DEFAULT_ITERATIONS,
    inDefaultRun: overrides.inDefaultRun ?? true,
    hasNative: true,
  };
}

function classic(name: string, inner: number): BenchmarkSpec {
  return {
    name,
    family: 'classic',
    inner,
    quickInner: 1,
    iterations: DEFAULT_ITERATIONS,
    inDefaultRun: true,
    hasNative: false,
  };
}

/** A SOM-only program written for this project, like Phases (issue #11), whose result does not depend on the size. */
function workload(name: string, inner: number): BenchmarkSpec {
  return { ...classic(name, inner), family: 'workload' };
}

export function findBenchmark(name: string): BenchmarkSpec | undefined {
  return SUITE.find((b) => b.name === name);
}

/** Where the SOM benchmarks live, and the harness every SOM run starts. */
export const SOM_BENCHMARK_DIR = 'benchmarks/som';
export const SOM_HARNESS = `${SOM_BENCHMARK_DIR}/Harness.som`;
export const NATIVE_HARNESS = 'benchmarks/native/harness.mjs';
export const SOM_LAUNCHER = 'bin/som.mjs';

/** Benchmark directories in classpath order: Core must precede the standard library. */
const CLASSPATH_DIRS = ['Core', 'CD', 'DeltaBlue', 'Havlak', 'Json', 'NBody', 'Richards', 'Classic', 'Phases'];

export const SOM_CLASSPATH = [...CLASSPATH_DIRS.map((d) => `${SOM_BENCHMARK_DIR}/${d}`), 'Smalltalk'].join(':');

export interface Invocation {
  readonly benchmark: string;
  readonly mode: RunnerMode;
  readonly outer: number;
  readonly inner: number;
  /** Further VM options (JIT parameters), placed before the classpath. */
  readonly vmOptions?: readonly string[];
}

/** The node arguments (after `node`) that run one invocation. */
export function commandArgs(inv: Invocation): string[] {
  const harnessArgs = [inv.benchmark, String(inv.outer), String(inv.inner)];
  if (inv.mode === 'native') return [NATIVE_HARNESS, ...harnessArgs];
  return [
    SOM_LAUNCHER,
    '--mode',
    inv.mode,
    ...(inv.vmOptions ?? []),
    '-cp',
    SOM_CLASSPATH,
    SOM_HARNESS,
    ...harnessArgs,
  ];
}
