/**
 * What compiling a trace costs: the optimiser (runtime/opt/pipeline.ts), the backend's text
 * (emitTrace) and `new Function` (with the factory call that returns the trace function), per
 * trace and per IR operation of the trace as recorded, on generated traces of about 50, 500
 * and 5,000 operations (test/ir/arbitrary-trace.ts, fixed seeds). The aim (issue #9): under
 * 10 µs per operation at the median for the three together.
 *
 * V8 compiles the body of the trace function lazily, on its first call; that cost is not part
 * of these figures (it is paid once per trace, when it first runs, like any JS function's).
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import type { Trace } from '../../runtime/ir/trace.ts';
import { optimize } from '../../runtime/opt/pipeline.ts';
import { compileTrace, emitTrace } from '../../runtime/tier2/backend.ts';
import { arbitraryTrace } from '../../test/ir/arbitrary-trace.ts';
import type { FakeHeap } from '../../test/ir/fake-heap.ts';
import { median } from '../runner/statistics.ts';

export interface CostSummary {
  /** The size asked for, and the median size of the traces measured (operations before optimisation). */
  readonly targetOps: number;
  readonly medianOps: number;
  readonly traces: number;
  /** Per trace, in microseconds. */
  readonly perTraceUs: Percentiles;
  /** Per operation, in microseconds: the whole compile, and its three parts. */
  readonly perOpUs: Percentiles;
  readonly perOpUsByPhase: {
    readonly optimize: Percentiles;
    readonly emit: Percentiles;
    readonly newFunction: Percentiles;
  };
}

export interface Percentiles {
  readonly median: number;
  readonly p95: number;
}

interface Sample {
  readonly ops: number;
  readonly optimize: number;
  readonly emit: number;
  readonly newFunction: number;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

function percentiles(values: readonly number[]): Percentiles {
  return { median: round(median(values)), p95: round(percentile(values, 0.95)) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Generated traces of about `targetOps` operations (steps calibrated on a first sample). */
function tracesOfSize(fake: FakeHeap, targetOps: number, count: number, seed: number): Trace[] {
  const probe = fc.sample(arbitraryTrace(fake, { minSteps: 100, maxSteps: 100 }), { seed, numRuns: 20 });
  const opsPerStep = median(probe.map((g) => g.trace.ops.length)) / 100;
  const steps = Math.max(1, Math.round(targetOps / opsPerStep));
  const generated = fc.sample(arbitraryTrace(fake, { minSteps: steps, maxSteps: steps }), { seed, numRuns: count });
  return generated.map((g) => g.trace);
}

/** Times the three phases of compiling `trace` (microseconds). */
function measure(trace: Trace, fake: FakeHeap): Sample {
  const t0 = performance.now();
  const optimised = optimize(trace);
  const t1 = performance.now();
  emitTrace(optimised);
  const t2 = performance.now();
  compileTrace(optimised, fake.heap);
  const t3 = performance.now();
  // compileTrace emits again before `new Function`: its own cost is the difference.
  const emit = (t2 - t1) * 1000;
  return { ops: trace.ops.length, optimize: (t1 - t0) * 1000, emit, newFunction: Math.max(0, (t3 - t2) * 1000 - emit) };
}

function summarise(targetOps: number, samples: readonly Sample[]): CostSummary {
  const total = (s: Sample): number => s.optimize + s.emit + s.newFunction;
  const perOp = (f: (s: Sample) => number) => percentiles(samples.map((s) => f(s) / s.ops));
  return {
    targetOps,
    medianOps: median(samples.map((s) => s.ops)),
    traces: samples.length,
    perTraceUs: percentiles(samples.map(total)),
    perOpUs: perOp(total),
    perOpUsByPhase: {
      optimize: perOp((s) => s.optimize),
      emit: perOp((s) => s.emit),
      newFunction: perOp((s) => s.newFunction),
    },
  };
}

export const SIZES = [
  { targetOps: 50, count: 400, seed: 50 },
  { targetOps: 500, count: 100, seed: 500 },
  { targetOps: 5000, count: 20, seed: 5000 },
] as const;

export function measureCompileCost(fake: FakeHeap): CostSummary[] {
  // Warm up the optimiser and the backend so that V8 has compiled them before any figure counts.
  for (const trace of tracesOfSize(fake, 200, 200, 1)) measure(trace, fake);
  return SIZES.map(({ targetOps, count, seed }) => {
    const traces = tracesOfSize(fake, targetOps, count, seed);
    return summarise(
      targetOps,
      traces.map((trace) => measure(trace, fake)),
    );
  });
}
