/**
 * What a run of a trace shows, in one comparable shape whether the reference evaluator or the
 * compiled JavaScript ran it: how it left (the exit's frames, with the exception of an exception
 * exit, or the values handed out), what
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

/** An exit's comparable form: how it left (guard or exception), the frames, the exception. */
function exitShown(
  kind: 'exit' | 'throw',
  frames: unknown,
  exception: unknown,
  identity: { snapshot: number; guard: number } | null,
): unknown {
  const shown = kind === 'throw' ? { kind, frames, exception } : { kind, frames };
  return identity === null ? shown : { ...shown, ...identity };
}

function fromEvaluator(result: EvalResult, withExitIdentity: boolean): unknown {
  if (result.kind !== 'exit' && result.kind !== 'throw') return result;
  const { snapshot, guard } = result;
  const exception = result.kind === 'throw' ? result.exception : undefined;
  return exitShown(result.kind, result.frames, exception, withExitIdentity ? { snapshot, guard } : null);
}

function fromCompiled(outcome: TraceOutcome, withExitIdentity: boolean): unknown {
  if (outcome.kind !== 'exit' && outcome.kind !== 'throw') return outcome;
  const { exit } = outcome;
  const exception = outcome.kind === 'throw' ? outcome.exception : undefined;
  const identity = withExitIdentity ? { snapshot: exit.snapshot.id, guard: exit.guard } : null;
  if ((outcome.kind === 'throw') !== exit.onThrow) throw new Error(`a ${outcome.kind} through a mismatched exit`);
  return exitShown(outcome.kind, outcome.frames, exception, identity);
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
