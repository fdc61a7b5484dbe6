/**
 * Every benchmark verifies its own result, in every available mode and natively.
 *
 * Each case spawns the real harness (bin/som.mjs with benchmarks/som/Harness.som, or
 * benchmarks/native/harness.mjs) once, at the smallest problem size that still verifies
 * (SUITE's quickInner), and checks exit status 0 and the one `runtime:` line. These are
 * correctness checks of the VM and the benchmarks, not measurements: nothing here looks at
 * times. At most two processes run at once, because the machine has two cores. The
 * negative cases make sure a wrong result is reported as a failure, so the positive ones
 * cannot pass vacuously.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AVAILABLE_MODES, STRESS_PARAMS } from '../../runtime/modes.ts';
import { PARAMS, type ParamName } from '../../runtime/params.ts';
import { parseIterationTimes, runInvocation, type InvocationResult } from '../../benchmarks/runner/invocation.ts';
import { NATIVE, type RunnerMode } from '../../benchmarks/runner/modes.ts';
import { SUITE, type Invocation } from '../../benchmarks/runner/suite.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAX_PARALLEL_PROCESSES = 2;
const PROCESS_TIMEOUT_MS = 240_000;
const TEST_TIMEOUT_MS = 600_000;

/** Lets at most `limit` tasks run at once; the others wait in order. */
class ProcessPool {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

const pool = new ProcessPool(MAX_PARALLEL_PROCESSES);

function run(
  benchmark: string,
  mode: RunnerMode,
  inner: number,
  vmOptions: readonly string[] = [],
): Promise<InvocationResult> {
  const invocation: Invocation = { benchmark, mode, outer: 1, inner, vmOptions };
  return pool.run(() => runInvocation(ROOT, invocation, PROCESS_TIMEOUT_MS));
}

/** The stress thresholds as options: methods compile early, activations move tiers often. */
const STRESS_OPTIONS = Object.entries(STRESS_PARAMS).flatMap(([name, value]) => [
  PARAMS[name as ParamName].flag,
  String(value),
]);

const CASES = SUITE.flatMap((spec) => [
  ...[...AVAILABLE_MODES, ...(spec.hasNative ? [NATIVE] : [])].map((mode: RunnerMode) => ({
    spec,
    mode,
    label: mode,
    vmOptions: [] as string[],
  })),
  ...(AVAILABLE_MODES.includes('multi')
    ? [{ spec, mode: 'multi' as RunnerMode, label: 'multi+stress', vmOptions: STRESS_OPTIONS }]
    : []),
]);

describe.concurrent('benchmark verification', () => {
  it.each(CASES)('$spec.name verifies in $label', { timeout: TEST_TIMEOUT_MS }, async ({ spec, mode, vmOptions }) => {
    const result = await run(spec.name, mode, spec.quickInner, vmOptions);
    expect(result.failure).toBeNull();
    expect(result.exitCode).toBe(0);
    expect(result.iterationsUs).toHaveLength(1);
  });

  // 2 is not a size Mandelbrot knows a result for, so the harness must report a failure.
  it.each([...AVAILABLE_MODES, NATIVE])(
    'an unverifiable size fails in %s',
    { timeout: TEST_TIMEOUT_MS },
    async (mode) => {
      const result = await run('Mandelbrot', mode, 2);
      expect(result.exitCode).toBe(1);
      expect(result.verified).toBe(false);
      expect(result.iterationsUs).toHaveLength(0);
    },
  );
});

describe('parseIterationTimes', () => {
  it('reads only the per-iteration runtime lines of the named benchmark', () => {
    const output = [
      'Starting Bounce benchmark ... ',
      'Bounce: Compile time: 0ms',
      'Bounce: iterations=1 runtime: 1234us',
      'Other: iterations=1 runtime: 99us',
      'Bounce: iterations=1 runtime: 1000us',
      'Bounce: iterations=2 average: 1117us total: 2234us',
      '',
      'Total Runtime: 2234us',
    ].join('\n');
    expect(parseIterationTimes(output, 'Bounce')).toEqual([1234, 1000]);
  });
});
