/**
 * Dead-code elimination (runtime/opt/dce.ts): unused pure operations, elidable calls, loads and
 * allocations go, with the chains that only fed them; guards (unused pure guards included),
 * stores, residual calls and values a kept guard's snapshot names stay. In a peeled loop a
 * carried value that only feeds its own next value is dropped from label and jump, unless a
 * snapshot names it; an unpeeled loop keeps what it jumps back with (its inputs cannot shrink).
 */
import { describe, expect, it } from 'vitest';
import { eliminateDeadCode } from '../../runtime/opt/dce.ts';
import { FakeCell, FakePoint } from '../ir/fake-heap.ts';
import { bridge, expectOptimized, expectUnchanged, parse } from './expect-optimized.ts';

describe('eliminateDeadCode removes', () => {
  it('unused pure operations, elidable calls, loads and allocations, with what only fed them', () => {
    expectOptimized(
      eliminateDeadCode,
      bridge(
        'i0 r1',
        'i2  int_add      i0 #1',
        'i3  int_mul      i2 #2',
        'b4  int_lt       i3 #10',
        'i5  call_pure    #max i0 #3',
        'r6  getfield     r1 #Point.x',
        'r7  new_struct   #Point r6 #null',
        'i8  int_sub      i0 #1',
        '    finish       i8',
      ),
      bridge('i0 r1', 'i2  int_sub  i0 #1', '    finish  i2'),
      { differential: [() => [4, new FakePoint(1, 2)]] },
    );
  });

  it('a loop-carried value that only computes its own next value, with its preamble part', () => {
    expectOptimized(
      eliminateDeadCode,
      `
      trace loop Loop>>run
        in  i0 i1
        i2  int_mul      i1 #2
        i3 i4 label      i0 i2
        s0  snap [#Loop>>run @0 | i3]
        b5  int_lt       i3 #10
            guard_true   b5             ->s0
        i6  int_add      i4 #7
        i7  int_add_ovf  i3 #1          ->s0
            jump         i7 i6
      `,
      `
      trace loop Loop>>run
        in  i0 i1
        i2  label        i0
        s0  snap [#Loop>>run @0 | i2]
        b3  int_lt       i2 #10
            guard_true   b3             ->s0
        i4  int_add_ovf  i2 #1          ->s0
            jump         i4
      `,
      {
        differential: [
          [0, 5],
          [12, 1],
        ],
      },
    );
  });
});

describe('eliminateDeadCode keeps', () => {
  it('guards, unused pure guards too, and values a guard’s snapshot names', () => {
    expectUnchanged(
      eliminateDeadCode,
      bridge(
        'i0 f1',
        'f2  float_mul    f1 #2.0',
        's0  snap [#Loop>>run @0 | i0 f2]',
        'i3  int_add_ovf  i0 #1     ->s0',
        'b4  int_lt       i0 #5',
        '    guard_true   b4        ->s0',
        '    finish',
      ),
      {
        differential: [
          [3, 1.5],
          [7, 1.5],
          [9007199254740991, 0.25],
        ],
      },
    );
  });

  it('stores and residual calls, even with an unused result', () => {
    expectUnchanged(
      eliminateDeadCode,
      bridge(
        'r0 i1',
        '    setfield     r0 #Cell.value i1',
        'i2  call         #tick',
        'i3  call         #max i1 #2',
        '    call         #log r0',
        '    finish',
      ),
      { differential: [() => [new FakeCell(1), 8]] },
    );
  });

  it('values the snapshot of a residual call (its exception exit) names, and nothing else', () => {
    expectOptimized(
      eliminateDeadCode,
      bridge(
        'i0 f1',
        'f2  float_mul    f1 #2.0',
        'i3  int_add      i0 #1',
        'f4  float_add    f1 #1.0',
        's0  snap [#Loop>>run @0 | i3] [#Loop>>step @2 | f2]',
        'i5  call         #risky i0      ->s0',
        '    finish       i5',
      ),
      bridge(
        'i0 f1',
        'f2  float_mul    f1 #2.0',
        'i3  int_add      i0 #1',
        's0  snap [#Loop>>run @0 | i3] [#Loop>>step @2 | f2]',
        'i4  call         #risky i0      ->s0',
        '    finish       i4',
      ),
      // risky(3) throws: the exit resumes with i3 = 4 and f2 = 3.0; risky(4) answers 4.
      {
        differential: [
          [3, 1.5],
          [4, 1.5],
        ],
      },
    );
  });

  it('a loop-carried value a snapshot names, and one another kept value reads', () => {
    expectUnchanged(
      eliminateDeadCode,
      `
      trace loop Loop>>run
        in  i0 i1 i2
        i3 i4 i5 label  i0 i1 i2
        s0  snap [#Loop>>run @0 | i3 i4]
        b6  int_lt       i3 #10
            guard_true   b6             ->s0
        i7  int_add      i4 #1
        i8  int_add      i5 i3
        i9  int_add_ovf  i3 i8          ->s0
            jump         i9 i7 i8
      `,
      {
        differential: [
          [0, 0, 1],
          [3, 100, -4],
        ],
      },
    );
  });

  it('what an unpeeled loop jumps back with: its inputs', () => {
    expectUnchanged(
      eliminateDeadCode,
      `
      trace loop Loop>>run
        in  i0 i1
        s0  snap [#Loop>>run @0 | i0]
        b2  int_lt       i0 #10
            guard_true   b2             ->s0
        i3  int_add      i1 #7
        i4  int_add_ovf  i0 #1          ->s0
            jump         i4 i3
      `,
      { differential: [[0, 5]] },
    );
  });
});

describe('eliminateDeadCode with nothing to remove', () => {
  const keepsAll = (snapLine: number): string => {
    const lines = ['i2  int_add      i0 #1', 'b3  int_lt       i2 #10', '    guard_true   b3             ->s0'];
    lines.splice(snapLine, 0, 's0  snap [#Loop>>run @0 | i0 i2]');
    return bridge('i0 r1', ...lines, '    finish       i2');
  };

  it('answers the trace itself', () => {
    const trace = parse(keepsAll(2));
    expect(eliminateDeadCode(trace)).toBe(trace);
  });

  it('copies it when the copy would move a snapshot to its first guard', () => {
    const trace = parse(keepsAll(1));
    const result = eliminateDeadCode(trace);
    expect(result).not.toBe(trace);
    expect([trace.snapshots[0]?.position, result.snapshots[0]?.position]).toEqual([1, 2]);
  });
});
