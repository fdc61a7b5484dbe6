/**
 * Differential tests over generated traces (test/ir/arbitrary-trace.ts): the reference
 * evaluator, the compiled JavaScript of the trace, and the compiled JavaScript of the optimised
 * trace (runtime/opt/pipeline.ts, whatever passes it has) must observe the same run: the same
 * exit with the same frames to resume (virtual objects materialised alike), or the same values
 * handed out; the same residual calls; the same final state of the input objects.
 *
 * Two properties, so that a failure says whose it is:
 * - the backend: compiled code agrees with the evaluator on the same trace, unoptimised and
 *   optimised (exits compared by snapshot and guard as well);
 * - end to end: the compiled optimised trace resumes the SOM state the unoptimised trace's
 *   evaluation does (exits compared by frames only: passes renumber, merge and drop guards).
 *
 * A fixed seed and 1,000 traces each by default; TRACE_FUZZ_RUNS=<n> runs more (or fewer).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optimize } from '../../runtime/opt/pipeline.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { compileTrace } from '../../runtime/tier2/backend.ts';
import { type GeneratedTrace, arbitraryTrace } from '../ir/arbitrary-trace.ts';
import { makeFakeHeap } from '../ir/fake-heap.ts';
import { ITERATION_LIMIT, type Observation, observeCompiled, observeEvaluator } from './observe.ts';

const fake = makeFakeHeap();
const RUNS = Number(process.env.TRACE_FUZZ_RUNS ?? 1000);
const SEED = 20_251_109;

/** Evaluator and compiled code on one trace, with fresh inputs for each run. */
function backendPair(trace: Trace, generated: GeneratedTrace): [compiled: Observation, evaluated: Observation] {
  const exact = { withExitIdentity: true };
  const compiled = compileTrace(trace, fake.heap, { iterationLimit: ITERATION_LIMIT });
  return [
    observeCompiled(fake, compiled, generated.makeInputs(), exact),
    observeEvaluator(fake, trace, generated.makeInputs(), exact),
  ];
}

describe('compiled traces against the reference evaluator', () => {
  it(`agree on ${RUNS} generated traces, before and after optimisation`, () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const [compiled, evaluated] = backendPair(generated.trace, generated);
        expect(compiled).toStrictEqual(evaluated);
        const [compiledOptimised, evaluatedOptimised] = backendPair(optimize(generated.trace), generated);
        expect(compiledOptimised).toStrictEqual(evaluatedOptimised);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`resume the same SOM state after optimisation, on ${RUNS} generated traces`, () => {
    const framesOnly = { withExitIdentity: false };
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const reference = observeEvaluator(fake, generated.trace, generated.makeInputs(), framesOnly);
        expect((reference.outcome as { kind: string }).kind).not.toBe('limit');
        const compiled = compileTrace(optimize(generated.trace), fake.heap, { iterationLimit: ITERATION_LIMIT });
        expect(observeCompiled(fake, compiled, generated.makeInputs(), framesOnly)).toStrictEqual(reference);
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });
});
