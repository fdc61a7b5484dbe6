/**
 * The trace generator is itself tested: the differential tests of the optimiser and the backend
 * are only as good as the traces it makes. Every generated trace must be well formed and
 * defined (the evaluator runs it without finding a wrong operation), the same inputs must give
 * the same result, and together the traces must use every operation in ops.ts and reach every
 * way of leaving a trace (a residual call's exception exit included).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type EvalResult, evaluate } from '../../runtime/ir/evaluator.ts';
import { IR_OPS } from '../../runtime/ir/ops.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { type GeneratedTrace, arbitraryTrace } from './arbitrary-trace.ts';
import { makeFakeHeap } from './fake-heap.ts';

const fake = makeFakeHeap();

function run(generated: GeneratedTrace, maxIterations = 100): { result: EvalResult; log: unknown[] } {
  fake.reset();
  const result = evaluate(generated.trace, generated.makeInputs(), fake.heap, { maxIterations });
  return { result, log: [...fake.log] };
}

describe('arbitraryTrace', () => {
  it('makes well-formed traces that run without a wrong operation, deterministically', () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        expect(verify(generated.trace)).toEqual([]);
        const first = run(generated);
        expect(run(generated)).toEqual(first);
      }),
      { seed: 17, numRuns: 1000 },
    );
  });

  it('uses every operation and every way out, with loops that iterate and rich snapshots', () => {
    const samples = fc.sample(arbitraryTrace(fake), { seed: 5, numRuns: 400 });
    const used = new Set(samples.flatMap((generated) => generated.trace.ops.map((instruction) => instruction.op)));
    expect(IR_OPS.filter((op) => !used.has(op))).toEqual([]);

    const results = samples.map((generated) => run(generated).result);
    const kinds = new Set(results.map((result) => result.kind));
    expect([...kinds].sort()).toEqual(['exit', 'finish', 'jump_trace', 'throw']);
    // Exception exits on calls that throw, and on calls that return.
    const exceptionExits = results.filter((result) => result.kind === 'throw').length;
    expect(exceptionExits).toBeGreaterThan(10);
    const callsWithSnapshot = samples.filter((generated) =>
      generated.trace.ops.some((instruction) => instruction.op === 'call' && instruction.snapshot >= 0),
    );
    expect(callsWithSnapshot.length).toBeGreaterThan(exceptionExits);
    // Stopped at the first jump back: the loop got round at least once.
    const iterating = samples.filter((generated) => run(generated, 1).result.kind === 'limit');
    expect(iterating.length).toBeGreaterThan(50);
    const withLabel = iterating.filter((generated) => generated.trace.labelIndex >= 0);
    expect(withLabel.length).toBeGreaterThan(20);

    const snapshots = samples.flatMap((generated) => generated.trace.snapshots);
    expect(snapshots.some((snapshot) => snapshot.frames.length === 3)).toBe(true);
    expect(snapshots.some((snapshot) => snapshot.virtuals.some((v) => v.kind === 'array'))).toBe(true);
    expect(snapshots.some((snapshot) => snapshot.virtuals.some((v) => v.kind === 'struct'))).toBe(true);
  });
});
