/**
 * What a run of a trace shows, in one comparable shape whether the reference evaluator or the
 * compiled JavaScript ran it: how it left (the exit's frames, or the values handed out), what
 * the residual calls logged, and the state of the input objects afterwards (stores and calls
 * may change them). The backend tests compare these with `toStrictEqual`, which tells -0 from
 * 0 and checks the classes of materialised objects.
 *
 * `withExitIdentity` adds the snapshot and guard an exit went through: right when both runs are
 * of the same trace, wrong across optimisation (passes renumber, merge and drop guards: there
 * only the frames, the SOM state to resume, must agree).
 */
import { type EvalResult, evaluate } from '../../runtime/ir/evaluator.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import type { CompiledTrace, TraceOutcome } from '../../runtime/tier2/trace-code.ts';
import { runTrace } from '../../runtime/tier2/trace-code.ts';
import type { FakeHeap } from '../ir/fake-heap.ts';

export interface Observation {
  readonly outcome: unknown;
  readonly log: unknown[];
  readonly inputs: readonly unknown[];
}

export interface ObserveOptions {
  readonly withExitIdentity: boolean;
  /** Evaluator: stop after this many jumps back ('limit'). */
  readonly maxIterations?: number;
}

const DEFAULT_MAX_ITERATIONS = 10_000;

function fromEvaluator(result: EvalResult, withExitIdentity: boolean): unknown {
  if (result.kind !== 'exit') return result;
  const { frames, snapshot, guard } = result;
  return withExitIdentity ? { kind: 'exit', frames, snapshot, guard } : { kind: 'exit', frames };
}

function fromCompiled(outcome: TraceOutcome, withExitIdentity: boolean): unknown {
  if (outcome.kind !== 'exit') return outcome;
  const { frames, exit } = outcome;
  return withExitIdentity
    ? { kind: 'exit', frames, snapshot: exit.snapshot.id, guard: exit.guard }
    : { kind: 'exit', frames };
}

/** Runs `trace` in the reference evaluator on `inputs` (which it may change). */
export function observeEvaluator(
  fake: FakeHeap,
  trace: Trace,
  inputs: unknown[],
  options: ObserveOptions,
): Observation {
  fake.reset();
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const result = evaluate(trace, inputs, fake.heap, { maxIterations });
  return { outcome: fromEvaluator(result, options.withExitIdentity), log: [...fake.log], inputs };
}

/** Runs compiled code on `inputs` (which it may change). */
export function observeCompiled(
  fake: FakeHeap,
  compiled: CompiledTrace,
  inputs: unknown[],
  options: ObserveOptions,
): Observation {
  fake.reset();
  const outcome = runTrace(compiled, inputs);
  return { outcome: fromCompiled(outcome, options.withExitIdentity), log: [...fake.log], inputs };
}

/** The iteration limit to compile with so that compiled 'limit' results match the evaluator's. */
export const ITERATION_LIMIT = DEFAULT_MAX_ITERATIONS;
