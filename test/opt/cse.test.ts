/**
 * Common-subexpression elimination (runtime/opt/cse.ts): pure operations and elidable calls with
 * equal operands merge (commutative operands and mirrored comparisons too), a repeated pure
 * guard reuses the first's value, invariant arithmetic of a peeled loop's body reuses the
 * preamble's; and what must not merge: loads, allocations, residual calls, guards without a
 * value, non-commutative operations with swapped operands, different constants.
 */
import { describe, expect, it } from 'vitest';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import { cse, recordingFold } from '../../runtime/opt/cse.ts';
import { FakePoint } from '../ir/fake-heap.ts';
import { bridge, expectOptimized, expectUnchanged } from './expect-optimized.ts';

describe('cse merges', () => {
  it('a pure operation repeated, commuted, or as the mirrored comparison', () => {
    expectOptimized(
      cse,
      bridge(
        'i0 i1 f2',
        'i3  int_add    i0 i1',
        'i4  int_add    i0 i1',
        'i5  int_mul    i1 i0',
        'i6  int_mul    i0 i1',
        'b7  int_lt     i0 i1',
        'b8  int_gt     i1 i0',
        'f9  float_add  f2 #1.5',
        'f10 float_add  #1.5 f2',
        'b11 float_ge   f2 #0.0',
        'b12 float_le   #0.0 f2',
        '    finish     i4 i6 b8 f10 b12',
      ),
      bridge(
        'i0 i1 f2',
        'i3  int_add    i0 i1',
        'i4  int_mul    i1 i0',
        'b5  int_lt     i0 i1',
        'f6  float_add  f2 #1.5',
        'b7  float_ge   f2 #0.0',
        '    finish     i3 i4 b5 f6 b7',
      ),
      {
        differential: [
          [3, -4, NaN],
          [5, 5, -0],
        ],
      },
    );
  });

  it('a repeated pure guard, and a pure guard after its unchecked form: neither can fail', () => {
    expectOptimized(
      cse,
      bridge(
        'i0 i1',
        's0  snap [#Loop>>run @0 | i0 i1]',
        'i2  int_add_ovf  i0 i1  ->s0',
        'i3  int_add_ovf  i1 i0  ->s0',
        'i4  int_mul      i0 #2',
        'i5  int_mul_ovf  i0 #2  ->s0',
        '    finish       i3 i5',
      ),
      bridge(
        'i0 i1',
        's0  snap [#Loop>>run @0 | i0 i1]',
        'i2  int_add_ovf  i0 i1  ->s0',
        'i3  int_mul      i0 #2',
        '    finish       i2 i3',
      ),
      {
        differential: [
          [3, 4],
          [9007199254740991, 1],
        ],
      },
    );
  });

  it('an elidable call with the same arguments', () => {
    expectOptimized(
      cse,
      bridge('i0 i1', 'i2  call_pure  #max i0 i1', 'i3  call_pure  #max i0 i1', '    finish     i2 i3'),
      bridge('i0 i1', 'i2  call_pure  #max i0 i1', '    finish     i2 i2'),
      { differential: [[3, 4]] },
    );
  });

  it('invariant arithmetic of a peeled loop body with the preamble’s', () => {
    expectOptimized(
      cse,
      `
      trace loop Loop>>run
        in  i0 i1
        i2  int_mul      i1 #3
        i3  label        i0
        s0  snap [#Loop>>run @0 | i3]
        i4  int_mul      i1 #3
        i5  int_add_ovf  i3 i4          ->s0
            jump         i5
      `,
      `
      trace loop Loop>>run
        in  i0 i1
        i2  int_mul      i1 #3
        i3  label        i0
        s0  snap [#Loop>>run @0 | i3]
        i4  int_add_ovf  i3 i2          ->s0
            jump         i4
      `,
      {
        differential: [
          [0, 3],
          [9007199254740900, 7],
        ],
      },
    );
  });
});

describe('cse leaves', () => {
  it('two loads of the same field (the heap pass forwards loads)', () => {
    expectUnchanged(
      cse,
      bridge('r0', 'r1  getfield  r0 #Point.x', 'r2  getfield  r0 #Point.x', '    finish    r1 r2'),
      { differential: [() => [new FakePoint(1, 2)]] },
    );
  });

  it('two allocations with the same fields, and two residual calls', () => {
    expectUnchanged(
      cse,
      bridge(
        'f0',
        'r1  new_struct  #Double f0',
        'r2  new_struct  #Double f0',
        'i3  call        #tick',
        'i4  call        #tick',
        'i5  call        #max #1 #2',
        'i6  call        #max #1 #2',
        '    finish      r1 r2 i3 i4 i5 i6',
      ),
      { differential: [[1.5]] },
    );
  });

  it('repeated guards without a value (the guards pass removes them)', () => {
    expectUnchanged(
      cse,
      bridge(
        'b0 r1',
        's0  snap [#Loop>>run @0 | b0 r1]',
        '    guard_true   b0          ->s0',
        '    guard_true   b0          ->s0',
        '    guard_class  r1 #CellClass ->s0',
        '    guard_class  r1 #CellClass ->s0',
        '    finish',
      ),
    );
  });

  it('swapped operands of non-commutative operations, and different constants', () => {
    expectUnchanged(
      cse,
      bridge(
        'i0 i1 f2',
        'i3  int_sub    i0 i1',
        'i4  int_sub    i1 i0',
        'f5  float_div  f2 #2.0',
        'f6  float_div  #2.0 f2',
        'b7  int_lt     i0 i1',
        'b8  int_lt     i1 i0',
        'i9  int_add    i0 #1',
        'i10 int_add    i0 #2',
        'f11 float_add  f2 #0.0',
        'f12 float_add  f2 #-0.0',
        '    finish     i3 i4 f5 f6 b7 b8 i9 i10 f11 f12',
      ),
      { differential: [[3, 4, -0]] },
    );
  });
});

describe('recordingFold', () => {
  it('folds, then merges what is left, as a builder appends', () => {
    const b = new TraceBuilder('bridge', 'Loop>>run', undefined, { fold: recordingFold() });
    const [x, y] = [b.input('int'), b.input('int')];
    expect(b.value('int_add', [x, b.int(0)])).toBe(x);
    const sum = b.value('int_add', [x, y]);
    expect(b.value('int_add', [y, x])).toBe(sum);
    // 0 - y folds to int_neg y, which the second time is merged with the first.
    const negated = b.value('int_sub', [b.int(0), y]);
    expect(b.value('int_neg', [y])).toBe(negated);
    expect(b.length).toBe(2);
  });
});
