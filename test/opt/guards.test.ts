/**
 * Redundant guard removal (runtime/opt/guards.ts), text in, text out: each rule on a trace that
 * shows it, the cases where the pass must do nothing (another value, a weaker earlier fact, a
 * fact that only comes later, a label parameter), and a property over generated traces that the
 * pass keeps the reference evaluator's outcome.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../runtime/ir/trace.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { removeRedundantGuards } from '../../runtime/opt/guards.ts';
import { arbitraryTrace } from '../ir/arbitrary-trace.ts';
import { FakeCell, FakeDouble, FakePoint } from '../ir/fake-heap.ts';
import { sameOutcome } from './outcome.ts';
import { expectOptimized, expectUnchanged, fake } from './expect-optimized.ts';

const guards = (trace: Trace): Trace => removeRedundantGuards(trace);
const withHeap = (trace: Trace): Trace => removeRedundantGuards(trace, { heap: fake.heap });

const point = (): FakePoint => new FakePoint(1, null);

describe('class, value and null facts', () => {
  it('drops a guard_class repeated on the same ref', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  r0
        s0  snap [#Loop>>run @1 | r0]
            guard_class  r0 #PointClass ->s0
        r1  getfield     r0 #Point.x
        s1  snap [#Loop>>run @2 | r0 r1]
            guard_class  r0 #PointClass ->s1
            finish       r1`,
      `trace bridge t
        in  r0
        s0  snap [#Loop>>run @1 | r0]
            guard_class  r0 #PointClass ->s0
        r1  getfield     r0 #Point.x
            finish       r1`,
      { differential: [[point()], [new FakeDouble(1)], [null]] },
    );
  });

  it('drops a guard_class of a struct the trace allocated, and its guard_nonnull', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  f0
        r1  new_struct   #Double f0
        s0  snap [#Loop>>run @1 | r1]
            guard_class  r1 #DoubleClass ->s0
            guard_nonnull r1 ->s0
            finish       r1`,
      `trace bridge t
        in  f0
        r1  new_struct   #Double f0
            finish       r1`,
      { differential: [[1.5]] },
    );
  });

  it('keeps a guard_class known to fail (leaving there is what the trace does)', () => {
    expectUnchanged(
      guards,
      `trace bridge t
        in  f0
        r1  new_struct   #Double f0
        s0  snap [#Loop>>run @1 | r1]
            guard_class  r1 #PointClass ->s0
            finish       r1`,
      { differential: [[1.5]] },
    );
  });

  it('drops guard_nonnull after guard_nonnull, new_array, and guard_class of a struct class', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  r0 r1 i2
        s0  snap [#Loop>>run @1 | r0 r1]
            guard_nonnull r0 ->s0
            guard_nonnull r0 ->s0
            guard_class  r1 #CellClass ->s0
            guard_nonnull r1 ->s0
        r3  new_array    i2
            guard_nonnull r3 ->s0
        r4  new_struct   #Cell #0
            finish       r0 r1 r3 r4`,
      `trace bridge t
        in  r0 r1 i2
        s0  snap [#Loop>>run @1 | r0 r1]
            guard_nonnull r0 ->s0
            guard_class  r1 #CellClass ->s0
        r3  new_array    i2
        r4  new_struct   #Cell #0
            finish       r0 r1 r3 r4`,
      {
        differential: [
          [point(), new FakeCell(1), 2],
          [null, new FakeCell(1), 0],
          [point(), null, 1],
        ],
      },
    );
  });

  it('without a heap model, keeps guard_nonnull after a guard_class of a class no struct of the trace has', () => {
    // #PointClass could be the class of null as far as the pass knows: no #Point descriptor here.
    expectUnchanged(
      guards,
      `trace bridge t
        in  r0
        s0  snap [#Loop>>run @1 | r0]
            guard_class  r0 #PointClass ->s0
            guard_nonnull r0 ->s0
            finish       r0`,
    );
  });

  it('with the heap model, any class but null’s proves non-null, and a constant’s class is known', () => {
    expectOptimized(
      withHeap,
      `trace bridge t
        in  r0
        s0  snap [#Loop>>run @1 | r0]
            guard_class  r0 #PointClass ->s0
            guard_nonnull r0 ->s0
            guard_class  #pi #DoubleClass ->s0
            guard_class  #null #PointClass ->s0
            finish       r0`,
      `trace bridge t
        in  r0
        s0  snap [#Loop>>run @1 | r0]
            guard_class  r0 #PointClass ->s0
            guard_class  #null #PointClass ->s0
            finish       r0`,
      { differential: [[point()], [null]] },
    );
  });

  it('keeps guard_class on a constant without the heap model (constants are opaque)', () => {
    expectUnchanged(
      guards,
      `trace bridge t
        in
        s0  snap [#Loop>>run @1 | #pi]
            guard_class  #pi #DoubleClass ->s0
            finish       #pi`,
    );
  });

  it('guard_value makes its operand a constant for later uses: a repeated guard_value goes', () => {
    expectOptimized(
      guards,
      `trace loop Loop>>run
        in  i0 r1
        s0  snap [#Loop>>run @1 | i0 r1]
            guard_value  r1 #pi ->s0
        f2  getfield     r1 #Double.value
        s1  snap [#Loop>>run @2 | i0 r1]
            guard_value  r1 #pi ->s1
            guard_value  i0 #3 ->s1
        i3  int_add_ovf  i0 #1 ->s1
            jump         i3 r1`,
      `trace loop Loop>>run
        in  i0 r1
        s0  snap [#Loop>>run @1 | i0 r1]
            guard_value  r1 #pi ->s0
        f2  getfield     #pi #Double.value
        s1  snap [#Loop>>run @2 | i0 #pi]
            guard_value  i0 #3 ->s1
        i3  int_add      #3 #1
            jump         #4 #pi`,
      {
        differential: [
          [3, fake.pi],
          [3, new FakeDouble(3.14)],
          [2, fake.pi],
        ],
      },
    );
  });

  it('keeps a guard_value that contradicts an earlier one', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  i0
        s0  snap [#Loop>>run @1 | i0]
            guard_value  i0 #3 ->s0
            guard_value  i0 #4 ->s0
            finish       i0`,
      `trace bridge t
        in  i0
        s0  snap [#Loop>>run @1 | i0]
            guard_value  i0 #3 ->s0
            guard_value  #3 #4 ->s0
            finish       #3`,
      { differential: [[3], [4]] },
    );
  });
});

describe('bool facts', () => {
  it('drops guard_true/guard_false/guard_value of a bool already guarded, and of its negation', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  b0 b1
        s0  snap [#Loop>>run @1 | b0 b1]
            guard_true   b0 ->s0
            guard_true   b0 ->s0
            guard_value  b0 #true ->s0
        b2  bool_not     b1
            guard_true   b2 ->s0
            guard_false  b1 ->s0
            finish       b0 b1`,
      `trace bridge t
        in  b0 b1
        s0  snap [#Loop>>run @1 | b0 b1]
            guard_true   b0 ->s0
        b2  bool_not     b1
            guard_true   b2 ->s0
            finish       #true #false`,
      {
        differential: [
          [true, false],
          [true, true],
          [false, false],
        ],
      },
    );
  });

  it('keeps guard_false after guard_true of the same bool: it always fails', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  b0
        s0  snap [#Loop>>run @1 | b0]
            guard_true   b0 ->s0
            guard_false  b0 ->s0
            finish       b0`,
      `trace bridge t
        in  b0
        s0  snap [#Loop>>run @1 | b0]
            guard_true   b0 ->s0
            guard_false  #true ->s0
            finish       #true`,
      { differential: [[true], [false]] },
    );
  });

  it('learns null-ness from a guarded ref_is_null and ref_eq with #null', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  r0 r1
        b2  ref_is_null  r0
        s0  snap [#Loop>>run @1 | r0 r1]
            guard_false  b2 ->s0
            guard_nonnull r0 ->s0
        b3  ref_eq       r1 #null
            guard_true   b3 ->s0
            guard_isnull r1 ->s0
            finish       r0 r1`,
      `trace bridge t
        in  r0 r1
        b2  ref_is_null  r0
        s0  snap [#Loop>>run @1 | r0 r1]
            guard_false  b2 ->s0
        b3  ref_eq       r1 #null
            guard_true   b3 ->s0
            finish       r0 #null`,
      {
        differential: [
          [point(), null],
          [null, null],
          [point(), point()],
        ],
      },
    );
  });

  it('decides ref_eq, ref_ne and ref_is_null of a ref a guard_class proved non-null, and of refs of different classes', () => {
    expectOptimized(
      withHeap,
      `trace bridge t
        in  r0 r1
        s0  snap [#Loop>>run @1 | r0 r1]
            guard_class  r0 #PointClass ->s0
        b2  ref_eq       r0 #null
            guard_false  b2 ->s0
        b3  ref_is_null  r0
            guard_false  b3 ->s0
            guard_class  r1 #DoubleClass ->s0
        b4  ref_ne       r0 r1
            guard_true   b4 ->s0
        b5  ref_eq       r0 r0
            finish       b5`,
      `trace bridge t
        in  r0 r1
        s0  snap [#Loop>>run @1 | r0 r1]
            guard_class  r0 #PointClass ->s0
            guard_class  r1 #DoubleClass ->s0
            finish       #true`,
      {
        differential: [
          [point(), new FakeDouble(2)],
          [point(), point()],
          [null, new FakeDouble(2)],
        ],
      },
    );
  });

  it('decides a ref_ne after a guarded ref_eq of the same refs was false', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  r0 r1
        b2  ref_eq       r0 r1
        s0  snap [#Loop>>run @1 | r0 r1]
            guard_false  b2 ->s0
        b3  ref_ne       r1 r0
            guard_true   b3 ->s0
            finish       r0`,
      `trace bridge t
        in  r0 r1
        b2  ref_eq       r0 r1
        s0  snap [#Loop>>run @1 | r0 r1]
            guard_false  b2 ->s0
            finish       r0`,
      {
        differential: [
          [point(), point()],
          [null, null],
        ],
      },
    );
  });

  it('does nothing for a guard on a different value', () => {
    expectUnchanged(
      guards,
      `trace bridge t
        in  b0 b1 r2 r3
        s0  snap [#Loop>>run @1 | b0 b1]
            guard_true   b0 ->s0
            guard_true   b1 ->s0
            guard_class  r2 #PointClass ->s0
            guard_class  r3 #PointClass ->s0
            guard_nonnull r2 ->s0
            guard_nonnull r3 ->s0
            finish       r2`,
    );
  });
});

describe('integer ranges', () => {
  it('drops a comparison guard implied by a stronger earlier one (int_lt i #10, then int_lt i #20)', () => {
    expectOptimized(
      guards,
      `trace loop Loop>>run
        in  i0
        b1  int_lt       i0 #10
        s0  snap [#Loop>>run @1 | i0]
            guard_true   b1 ->s0
        b2  int_lt       i0 #20
            guard_true   b2 ->s0
        b3  int_ge       i0 #10
            guard_false  b3 ->s0
        b4  int_le       i0 #9
            guard_true   b4 ->s0
        i5  int_add_ovf  i0 #1 ->s0
            jump         i5`,
      `trace loop Loop>>run
        in  i0
        b1  int_lt       i0 #10
        s0  snap [#Loop>>run @1 | i0]
            guard_true   b1 ->s0
        i2  int_add      i0 #1
            jump         i2`,
      { differential: [[0], [-5], [12], [9007199254740991]] },
    );
  });

  it('does nothing when the earlier fact is weaker (int_lt i #20, then int_lt i #10)', () => {
    expectUnchanged(
      guards,
      `trace bridge t
        in  i0
        b1  int_lt       i0 #20
        s0  snap [#Loop>>run @1 | i0]
            guard_true   b1 ->s0
        b2  int_lt       i0 #10
            guard_true   b2 ->s0
            finish       i0`,
      { differential: [[5], [15], [25]] },
    );
  });

  it('does not use a fact that is only established later', () => {
    expectUnchanged(
      guards,
      `trace bridge t
        in  i0 r1
        b2  int_lt       i0 #20
        s0  snap [#Loop>>run @1 | i0]
            guard_true   b2 ->s0
            guard_nonnull r1 ->s0
        b3  int_lt       i0 #10
            guard_true   b3 ->s0
            guard_class  r1 #PointClass ->s0
        r4  new_struct   #Point #null #null
            finish       i0`,
      {
        differential: [
          [5, point()],
          [15, point()],
          [5, null],
        ],
      },
    );
  });

  it('turns int_add_ovf into int_add when the ranges prove the sum safe, and folds decided comparisons', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  i0 i1
        i2  int_and      i0 #255
        i3  int_mod      i1 #100
        s0  snap [#Loop>>run @1 | i0 i1]
        i4  int_add_ovf  i2 i3 ->s0
        i5  int_mul_ovf  i4 i4 ->s0
        i6  int_sub_ovf  i5 #1000000 ->s0
        b7  int_gt       i6 #0
        i8  int_add_ovf  i1 #1 ->s0
            finish       i6 b7 i8`,
      `trace bridge t
        in  i0 i1
        i2  int_and      i0 #255
        i3  int_mod      i1 #100
        i4  int_add      i2 i3
        i5  int_mul      i4 i4
        i6  int_sub      i5 #1000000
        s0  snap [#Loop>>run @1 | i0 i1]
        i7  int_add_ovf  i1 #1 ->s0
            finish       i6 #false i7`,
      {
        differential: [
          [-1, -1],
          [255, 99],
          [7, 9007199254740991],
          [0, -9007199254740991],
        ],
      },
    );
  });

  it('guard_in_bounds holds after guard_true(int_ge i #0) and guard_true(int_lt i n) with the same n', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  i0 r1
        i2  arraylen     r1
        b3  int_ge       i0 #0
        s0  snap [#Loop>>run @1 | i0 r1]
            guard_true   b3 ->s0
        b4  int_lt       i0 i2
            guard_true   b4 ->s0
            guard_in_bounds i0 i2 ->s0
        r5  getarrayitem r1 i0
            finish       r5`,
      `trace bridge t
        in  i0 r1
        i2  arraylen     r1
        b3  int_ge       i0 #0
        s0  snap [#Loop>>run @1 | i0 r1]
            guard_true   b3 ->s0
        b4  int_lt       i0 i2
            guard_true   b4 ->s0
        r5  getarrayitem r1 i0
            finish       r5`,
      {
        differential: [
          [1, [1, 2, 3]],
          [3, [1, 2, 3]],
          [-1, [1]],
        ],
      },
    );
  });

  it('guard_in_bounds holds when the index range lies below a constant length or a known array length', () => {
    expectOptimized(
      guards,
      `trace bridge t
        in  i0 r1 i2
        i3  int_and      i0 #3
        s0  snap [#Loop>>run @1 | i0]
            guard_in_bounds i3 #4 ->s0
        r4  new_array    #6
        i5  arraylen     r4
            guard_in_bounds i3 i5 ->s0
        i6  arraylen     r1
        b7  int_gt       i6 #7
            guard_true   b7 ->s0
        i8  int_and      i2 #7
            guard_in_bounds i8 i6 ->s0
        r9  getarrayitem r1 i8
            finish       r9`,
      `trace bridge t
        in  i0 r1 i2
        i3  int_and      i0 #3
        r4  new_array    #6
        i5  arraylen     r4
        i6  arraylen     r1
        b7  int_gt       i6 #7
        s0  snap [#Loop>>run @1 | i0]
            guard_true   b7 ->s0
        i8  int_and      i2 #7
        r9  getarrayitem r1 i8
            finish       r9`,
      {
        differential: [
          [5, [0, 1, 2, 3, 4, 5, 6, 7], 15],
          [5, [0, 1], 1],
        ],
      },
    );
  });

  it('keeps guard_in_bounds when only part of the proof is there', () => {
    expectUnchanged(
      guards,
      `trace bridge t
        in  i0 r1 i2
        i3  arraylen     r1
        b4  int_lt       i0 i3
        s0  snap [#Loop>>run @1 | i0]
            guard_true   b4 ->s0
            guard_in_bounds i0 i3 ->s0
        i5  int_and      i0 #7
            guard_in_bounds i5 i3 ->s0
        i6  arraylen     r1
            guard_in_bounds i0 i6 ->s0
        r7  getarrayitem r1 i0
            finish       r7`,
      {
        differential: [
          [1, [1, 2, 3], 0],
          [-1, [1, 2, 3], 0],
          [2, [1, 2], 0],
        ],
      },
    );
  });
});

describe('peeled loops', () => {
  it('uses preamble facts about invariant values in the body, not facts about label parameters', () => {
    expectOptimized(
      guards,
      `trace loop Loop>>run
        in  i0 r1 r2
        s0  snap [#Loop>>run @1 | i0 r1 r2]
            guard_class  r1 #PointClass ->s0
            guard_class  r2 #PointClass ->s0
        b3  int_lt       i0 #10
            guard_true   b3 ->s0
        i4  int_add_ovf  i0 #1 ->s0
        i5 r6 label      i4 r2
        s1  snap [#Loop>>run @1 | i5 r1 r6]
            guard_class  r1 #PointClass ->s1
            guard_class  r6 #PointClass ->s1
        b7  int_lt       i5 #10
            guard_true   b7 ->s1
        i8  int_add_ovf  i5 #1 ->s1
            jump         i8 r6`,
      `trace loop Loop>>run
        in  i0 r1 r2
        s0  snap [#Loop>>run @1 | i0 r1 r2]
            guard_class  r1 #PointClass ->s0
            guard_class  r2 #PointClass ->s0
        b3  int_lt       i0 #10
            guard_true   b3 ->s0
        i4  int_add      i0 #1
        i5 r6 label      i4 r2
        s1  snap [#Loop>>run @1 | i5 r1 r6]
            guard_class  r6 #PointClass ->s1
        b7  int_lt       i5 #10
            guard_true   b7 ->s1
        i8  int_add      i5 #1
            jump         i8 r6`,
      {
        differential: [
          [0, point(), point()],
          [5, point(), null],
          [12, point(), point()],
        ],
      },
    );
  });
});

describe('on generated traces', () => {
  it('keeps the evaluator’s outcome (how the trace leaves, and the residual calls made)', () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const optimized = removeRedundantGuards(generated.trace, { heap: fake.heap });
        expect(verify(optimized)).toEqual([]);
        sameOutcome(generated, optimized);
      }),
      { seed: 9, numRuns: 400 },
    );
  });
});
