/**
 * The pipeline: a spec switches passes off (and only known ones), and each of fold, cse and dce,
 * those three in a row, and the whole pipeline keep what a trace does in the reference evaluator
 * (outcome.ts: how it leaves, with the exit frames or result values, and its residual calls), on
 * generated loop and bridge traces and on generated arithmetic over special constants.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../runtime/ir/trace.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { cse } from '../../runtime/opt/cse.ts';
import { eliminateDeadCode } from '../../runtime/opt/dce.ts';
import { fold } from '../../runtime/opt/fold.ts';
import { OptSpecError, optimize, parseOptSpec } from '../../runtime/opt/pipeline.ts';
import { arbitraryTrace } from '../ir/arbitrary-trace.ts';
import { arbitraryArithmetic, runsCleanly } from './arbitrary-arithmetic.ts';
import { expectOptimized, fake } from './expect-optimized.ts';
import { sameOutcome } from './outcome.ts';

const PASSES: readonly (readonly [string, (trace: Trace) => Trace])[] = [
  ['fold', fold],
  ['cse', cse],
  ['dce', eliminateDeadCode],
  ['fold, cse, dce', (trace) => eliminateDeadCode(cse(fold(trace)))],
  ['the pipeline', (trace) => optimize(trace)],
];

describe('every pass keeps the evaluator outcome', () => {
  it.each(PASSES)('of generated traces: %s', (_name, pass) => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const optimised = pass(generated.trace);
        expect(verify(optimised)).toEqual([]);
        sameOutcome(generated, optimised);
      }),
      { seed: 29, numRuns: 300 },
    );
  });

  it.each(PASSES)('of generated arithmetic on special constants: %s', (_name, pass) => {
    fc.assert(
      fc.property(arbitraryArithmetic(fake), (generated) => {
        fc.pre(runsCleanly(generated.trace, generated.inputs, fake));
        const optimised = pass(generated.trace);
        expect(verify(optimised)).toEqual([]);
        sameOutcome(generated, optimised);
      }),
      { seed: 31, numRuns: 400 },
    );
  });
});

describe('parseOptSpec', () => {
  it('reads comma-separated -name items, spaces ignored; the empty spec switches nothing off', () => {
    expect([...parseOptSpec('').disabled]).toEqual([]);
    expect([...parseOptSpec(' -cse , -dce').disabled].sort()).toEqual(['cse', 'dce']);
  });

  it('rejects an unknown pass, naming the known ones', () => {
    expect(() => parseOptSpec('-cse,-heapcache')).toThrow(OptSpecError);
    expect(() => parseOptSpec('-heapcache')).toThrow(/unknown optimiser pass 'heapcache' \(known passes: .*\bfold\b/);
  });

  it('rejects an item without its minus sign', () => {
    expect(() => parseOptSpec('cse')).toThrow(/'cse' in the optimiser spec should be -name/);
  });
});

describe('optimize with a spec', () => {
  const before = `
    trace bridge Loop>>run
      in  i0
      i1  int_add  i0 #0
      i2  int_mul  i1 #3
      i3  int_mul  i0 #3
      i4  int_neg  i0
          finish   i2 i3
  `;

  it('runs every pass by default', () => {
    expectOptimized(
      (trace) => optimize(trace),
      before,
      `
      trace bridge Loop>>run
        in  i0
        i1  int_mul  i0 #3
            finish   i1 i1
    `,
    );
  });

  it('gives the guard pass the heap model of its context (the trace runtime passes the VM’s)', () => {
    const nullTest = `
      trace bridge Loop>>run
        in  r0
        s0  snap [#Loop>>run @1 | r0]
            guard_class  r0 #PointClass ->s0
        b1  ref_eq       r0 #null
            guard_false  b1 ->s0
            finish       r0
    `;
    const withoutNullTest = `
      trace bridge Loop>>run
        in  r0
        s0  snap [#Loop>>run @1 | r0]
            guard_class  r0 #PointClass ->s0
            finish       r0
    `;
    // Without it, #PointClass might be nil's class (no struct of the trace describes it).
    expectOptimized((trace) => optimize(trace), nullTest, nullTest);
    expectOptimized((trace) => optimize(trace, '', { heap: fake.heap }), nullTest, withoutNullTest);
  });

  it('leaves the work of a switched-off pass undone', () => {
    expectOptimized(
      (trace) => optimize(trace, '-cse'),
      before,
      `
      trace bridge Loop>>run
        in  i0
        i1  int_mul  i0 #3
        i2  int_mul  i0 #3
            finish   i1 i2
    `,
    );
    expectOptimized(
      (trace) => optimize(trace, '-fold'),
      before,
      `
      trace bridge Loop>>run
        in  i0
        i1  int_add  i0 #0
        i2  int_mul  i1 #3
        i3  int_mul  i0 #3
            finish   i2 i3
    `,
    );
    expectOptimized(
      (trace) => optimize(trace, '-dce'),
      before,
      `
      trace bridge Loop>>run
        in  i0
        i1  int_mul  i0 #3
        i2  int_neg  i0
            finish   i1 i1
    `,
    );
  });
});
