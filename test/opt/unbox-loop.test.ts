/**
 * Type specialisation of loop-carried values (runtime/opt/unbox-loop.ts): a ref label parameter
 * that is an int (bool) on both edges into the label becomes an int (bool) parameter; the body's
 * ref_to_int of it is the parameter, other uses read int_to_ref of it. Parameters that may
 * receive any other ref are left alone. Each rewrite also runs both traces in the evaluator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { printTrace } from '../../runtime/ir/printer.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { peelLoop } from '../../runtime/opt/peel.ts';
import { optimize } from '../../runtime/opt/pipeline.ts';
import { unboxLoopValues } from '../../runtime/opt/unbox-loop.ts';
import { arbitraryTrace } from '../ir/arbitrary-trace.ts';
import { FakeDouble } from '../ir/fake-heap.ts';
import { expectOptimized, expectUnchanged, fake, parse } from './expect-optimized.ts';
import { sameOutcome } from './outcome.ts';

describe('unboxLoopValues', () => {
  it('carries an int counter boxed by int_to_ref on both edges as an int', () => {
    expectOptimized(
      unboxLoopValues,
      `
      trace loop Loop>>run
        in  r0 i1
        s0  snap [#Loop>>run @0 | r0 i1]
        i2  ref_to_int   r0             ->s0
        b3  int_lt       i2 i1
            guard_true   b3             ->s0
        i4  int_add_ovf  i2 #1          ->s0
        r5  int_to_ref   i4
        r6  label        r5
        s1  snap [#Loop>>run @0 | r6 i1]
        i7  ref_to_int   r6             ->s1
        b8  int_lt       i7 i1
            guard_true   b8             ->s1
        i9  int_add_ovf  i7 #1          ->s1
        r10 int_to_ref   i9
            jump         r10
      `,
      `
      trace loop Loop>>run
        in  r0 i1
        s0  snap [#Loop>>run @0 | r0 i1]
        i2  ref_to_int   r0             ->s0
        b3  int_lt       i2 i1
            guard_true   b3             ->s0
        i4  int_add_ovf  i2 #1          ->s0
        r5  int_to_ref   i4
        i6  label        i4
        r7  int_to_ref   i6
        b8  int_lt       i6 i1
        s1  snap [#Loop>>run @0 | r7 i1]
            guard_true   b8             ->s1
        i9  int_add_ovf  i6 #1          ->s1
        r10 int_to_ref   i9
            jump         i9
      `,
      {
        differential: [
          [0, 5],
          [7, 3],
          [null, 2],
          [true, 2],
        ],
      },
    );
  });

  it('unboxes a parameter that receives a guarded ref on entry and another unboxed parameter round the loop', () => {
    // r7 (the previous counter) enters as r0, which the preamble passed through ref_to_int, and
    // comes back as the counter parameter r6, itself carried as an int.
    expectOptimized(
      unboxLoopValues,
      `
      trace loop Loop>>run
        in  r0 i1
        s0  snap [#Loop>>run @0 | r0 i1]
        i2  ref_to_int   r0             ->s0
        b3  int_lt       i2 i1
            guard_true   b3             ->s0
        i4  int_add_ovf  i2 #1          ->s0
        r5  int_to_ref   i4
        r6 r7 label      r5 r0
        s1  snap [#Loop>>run @0 | r6 r7]
        i8  ref_to_int   r6             ->s1
        b9  int_lt       i8 i1
            guard_true   b9             ->s1
        i10 ref_to_int   r7             ->s1
        i11 int_add_ovf  i8 i10         ->s1
        r12 int_to_ref   i11
            jump         r12 r6
      `,
      `
      trace loop Loop>>run
        in  r0 i1
        s0  snap [#Loop>>run @0 | r0 i1]
        i2  ref_to_int   r0             ->s0
        b3  int_lt       i2 i1
            guard_true   b3             ->s0
        i4  int_add_ovf  i2 #1          ->s0
        r5  int_to_ref   i4
        i6 i7 label      i4 i2
        r8  int_to_ref   i6
        r9  int_to_ref   i7
        b10 int_lt       i6 i1
        s1  snap [#Loop>>run @0 | r8 r9]
            guard_true   b10            ->s1
        i11 int_add_ovf  i6 i7          ->s1
        r12 int_to_ref   i11
            jump         i11 i6
      `,
      {
        differential: [
          [0, 5],
          [1, 40],
          [4, 2],
          ['x', 2],
        ],
      },
    );
  });

  it('carries a Boolean boxed by bool_to_ref as a bool', () => {
    expectOptimized(
      unboxLoopValues,
      `
      trace loop Loop>>run
        in  r0 i1
        s0  snap [#Loop>>run @0 | r0 i1]
        b2  ref_to_bool  r0             ->s0
            guard_true   b2             ->s0
        b3  int_lt       i1 #10
        r4  bool_to_ref  b3
        r5  label        r4
        s1  snap [#Loop>>run @0 | r5 i1]
        b6  ref_to_bool  r5             ->s1
            guard_true   b6             ->s1
        b7  int_lt       i1 #10
        r8  bool_to_ref  b7
            jump         r8
      `,
      `
      trace loop Loop>>run
        in  r0 i1
        s0  snap [#Loop>>run @0 | r0 i1]
        b2  ref_to_bool  r0             ->s0
            guard_true   b2             ->s0
        b3  int_lt       i1 #10
        r4  bool_to_ref  b3
        b5  label        b3
        r6  bool_to_ref  b5
        s1  snap [#Loop>>run @0 | r6 i1]
            guard_true   b5             ->s1
        b7  int_lt       i1 #10
        r8  bool_to_ref  b7
            jump         b7
      `,
      {
        differential: [
          [true, 12],
          [false, 3],
          [3, 3],
        ],
      },
    );
  });

  it('leaves a parameter alone that may receive a ref that is not an int round the loop', () => {
    expectUnchanged(
      unboxLoopValues,
      `
      trace loop Loop>>run
        in  r0 r1
        s0  snap [#Loop>>run @0 | r0 r1]
        i2  ref_to_int   r0             ->s0
        i3  int_add_ovf  i2 #1          ->s0
        r4  int_to_ref   i3
        r5  label        r4
        s1  snap [#Loop>>run @0 | r5 r1]
        i6  ref_to_int   r5             ->s1
        i7  int_add_ovf  i6 #1          ->s1
            jump         r1
      `,
      {
        differential: [
          [0, 5],
          [1, 'x'],
        ],
      },
    );
  });

  it('leaves a parameter alone whose entry value is an unguarded ref', () => {
    expectUnchanged(
      unboxLoopValues,
      `
      trace loop Loop>>run
        in  r0 r1
        s0  snap [#Loop>>run @0 | r0 r1]
        i2  ref_to_int   r0             ->s0
        i3  int_add_ovf  i2 #1          ->s0
        r4  label        r1
        s1  snap [#Loop>>run @0 | r4 r1]
        i5  ref_to_int   r4             ->s1
        i6  int_add_ovf  i5 #1          ->s1
        r7  int_to_ref   i6
            jump         r7
      `,
      {
        differential: [
          [0, 5],
          [1, 'x'],
        ],
      },
    );
  });

  it('leaves a parameter alone that comes back as a parameter carried boxed', () => {
    // r6 comes back as r5, which stays a ref (it comes back as the input r1), so r6 does too.
    expectUnchanged(
      unboxLoopValues,
      `
      trace loop Loop>>run
        in  r0 r1
        s0  snap [#Loop>>run @0 | r0 r1]
        i2  ref_to_int   r0             ->s0
        i3  int_add_ovf  i2 #1          ->s0
        r4  int_to_ref   i3
        r5 r6 label      r4 r4
        s1  snap [#Loop>>run @0 | r5 r6]
        i7  ref_to_int   r6             ->s1
        i8  int_add_ovf  i7 #1          ->s1
            jump         r1 r5
      `,
      {
        differential: [
          [0, 5],
          [1, 'x'],
        ],
      },
    );
  });

  it('leaves a trace without a label alone', () => {
    expectUnchanged(
      unboxLoopValues,
      `
      trace loop Loop>>run
        in  r0
        s0  snap [#Loop>>run @0 | r0]
        i1  ref_to_int   r0             ->s0
        i2  int_add_ovf  i1 #1          ->s0
        r3  int_to_ref   i2
            jump         r3
      `,
    );
  });

  it('keeps the evaluator outcome of generated peeled loops', () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const unboxed = unboxLoopValues(peelLoop(generated.trace));
        expect(verify(unboxed)).toEqual([]);
        sameOutcome(generated, unboxed);
      }),
      { seed: 31, numRuns: 300 },
    );
  });
});

describe('the pipeline on a loop carrying a counter and a Double', () => {
  // As the recorder makes it: the Double is in two frame slots (a local and a stack slot), the
  // counter boxed; the second slot (r3) is dead in the loop, and must not make the box escape.
  const recorded = `
    trace loop Loop>>run
      in  r0 r1 i2 r3
      s0  snap [#Loop>>run @0 | r0 r1]
      i4  ref_to_int   r0             ->s0
      b5  int_lt       i4 i2
          guard_true   b5             ->s0
          guard_class  r1 #DoubleClass ->s0
      f6  getfield     r1 #Double.value
      f7  float_add    f6 #0.5
      r8  new_struct   #Double f7
      i9  int_add_ovf  i4 #1          ->s0
      r10 int_to_ref   i9
          jump         r10 r8 i2 r8
  `;

  it('carries both unboxed: no ref_to_int, no allocation after the label', () => {
    const optimized = optimize(parse(recorded));
    expect(verify(optimized)).toEqual([]);
    const body = printTrace(optimized).split(/ label /)[1] ?? '';
    expect(body).not.toMatch(/ref_to_int|new_struct|getfield|guard_class/);
    expect(body).toMatch(/float_add/);
  });

  it('gives the same outcome as the trace recorded', () => {
    for (const inputs of [() => [0, new FakeDouble(1), 5, null], () => [4, new FakeDouble(0.25), 3, null]]) {
      sameOutcome({ trace: parse(recorded), makeInputs: inputs }, optimize(parse(recorded)));
    }
  });
});
