/**
 * The differential check of the optimiser's property tests: a generated trace and its rewrite,
 * run in the reference evaluator on fresh copies of the same inputs, must leave the same way
 * (exit frames with materialised virtuals, the exception of an exception exit too, finish or
 * jump_trace values) and make the same
 * residual calls. Snapshot ids and guard indexes are a rewrite's own numbering and are not
 * compared; nor are the values of a run stopped by the iteration limit, since peeling and
 * unboxing change what a jump carries (generated loops leave through a guard well before it).
 */
import { expect } from 'vitest';
import { type EvalResult, evaluate } from '../../runtime/ir/evaluator.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import type { GeneratedTrace } from '../ir/arbitrary-trace.ts';
import { fake } from './expect-optimized.ts';

const MAX_ITERATIONS = 100;

function shown(result: EvalResult): unknown {
  switch (result.kind) {
    case 'exit':
      return { kind: 'exit', frames: result.frames };
    case 'throw':
      return { kind: 'throw', frames: result.frames, exception: result.exception };
    case 'limit':
      return { kind: 'limit' };
    case 'finish':
    case 'jump_trace':
      return result;
  }
}

function run(trace: Trace, inputs: unknown[]): unknown {
  fake.reset();
  const result = evaluate(trace, inputs, fake.heap, { maxIterations: MAX_ITERATIONS });
  return { result: shown(result), log: [...fake.log] };
}

export function sameOutcome(generated: Pick<GeneratedTrace, 'trace' | 'makeInputs'>, rewritten: Trace): void {
  const expected = run(generated.trace, generated.makeInputs());
  expect(run(rewritten, generated.makeInputs())).toEqual(expected);
}
