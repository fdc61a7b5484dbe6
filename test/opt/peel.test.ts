/**
 * Loop peeling (runtime/opt/peel.ts): a recorded loop becomes preamble, label, body, jump; inputs
 * the loop passes round unchanged are read directly by the body (no label parameter); every
 * guard of the body has its own, renamed copy of its snapshot. Traces that are not recorded loops
 * are left alone. Each rewrite also runs both traces in the reference evaluator (loops that leave
 * through a guard, so the number of jumps, which peeling changes, does not show).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verify } from '../../runtime/ir/verify.ts';
import { peelLoop } from '../../runtime/opt/peel.ts';
import { arbitraryTrace } from '../ir/arbitrary-trace.ts';
import { FakeCell, FakeDouble } from '../ir/fake-heap.ts';
import { expectOptimized, expectUnchanged, fake } from './expect-optimized.ts';
import { sameOutcome } from './outcome.ts';

describe('peelLoop', () => {
  it('copies the body before a label; an invariant input is read directly, not carried', () => {
    expectOptimized(
      peelLoop,
      `
      trace loop Loop>>run
        in  i0 r1 i2
        s0  snap [#Loop>>run @4 | i0 r1 i2]
        b3  int_lt       i0 i2
            guard_true   b3             ->s0
            guard_class  r1 #CellClass  ->s0
        i4  getfield     r1 #Cell.value
        i5  int_add_ovf  i0 i4          ->s0
            jump         i5 r1 i2
      `,
      `
      trace loop Loop>>run
        in  i0 r1 i2
        s0  snap [#Loop>>run @4 | i0 r1 i2]
        b3  int_lt       i0 i2
            guard_true   b3             ->s0
            guard_class  r1 #CellClass  ->s0
        i4  getfield     r1 #Cell.value
        i5  int_add_ovf  i0 i4          ->s0
        i6  label        i5
        s1  snap [#Loop>>run @4 | i6 r1 i2]
        b7  int_lt       i6 i2
            guard_true   b7             ->s1
            guard_class  r1 #CellClass  ->s1
        i8  getfield     r1 #Cell.value
        i9  int_add_ovf  i6 i8          ->s1
            jump         i9
      `,
      {
        differential: [
          () => [0, new FakeCell(3), 10], // 0, 3, 6, 9, then 12 fails the bound in the body
          () => [0, new FakeDouble(1), 10], // the class guard fails in the preamble
          () => [7, new FakeCell(2), 8], // one pass through the preamble, exit in the body
          () => [1, new FakeCell(Number.MAX_SAFE_INTEGER), 5], // overflow in the preamble
        ],
      },
    );
  });

  it('carries every input the loop changes, swapped inputs and constants included', () => {
    expectOptimized(
      peelLoop,
      `
      trace loop Loop>>run
        in  i0 i1 r2
        s0  snap [#Loop>>run @2 | i0 i1 r2]
        b3  int_lt       i0 i1
            guard_true   b3             ->s0
            jump         i1 i0 #null
      `,
      `
      trace loop Loop>>run
        in  i0 i1 r2
        s0  snap [#Loop>>run @2 | i0 i1 r2]
        b3  int_lt       i0 i1
            guard_true   b3             ->s0
        i4 i5 r6 label   i1 i0 #null
        s1  snap [#Loop>>run @2 | i4 i5 r6]
        b7  int_lt       i4 i5
            guard_true   b7             ->s1
            jump         i5 i4 #null
      `,
      {
        differential: [
          [1, 2, fake.pi],
          [3, 2, fake.pi],
        ],
      },
    );
  });

  it('gives each snapshot a copy per iteration; guards that shared one share its copy', () => {
    expectOptimized(
      peelLoop,
      `
      trace loop Loop>>run
        in  i0
        s0  snap [#Loop>>run @1 | i0]
        b1  int_lt       i0 #4
            guard_true   b1             ->s0
        i2  int_add_ovf  i0 #1          ->s0
        s1  snap [#Loop>>run @2 | i2] [#Loop>>step @5 | i0 v0] v0=new #Cell(i2)
        i3  int_mul_ovf  i2 #2          ->s1
            jump         i3
      `,
      `
      trace loop Loop>>run
        in  i0
        s0  snap [#Loop>>run @1 | i0]
        b1  int_lt       i0 #4
            guard_true   b1             ->s0
        i2  int_add_ovf  i0 #1          ->s0
        s1  snap [#Loop>>run @2 | i2] [#Loop>>step @5 | i0 v0] v0=new #Cell(i2)
        i3  int_mul_ovf  i2 #2          ->s1
        i4  label        i3
        s2  snap [#Loop>>run @1 | i4]
        b5  int_lt       i4 #4
            guard_true   b5             ->s2
        i6  int_add_ovf  i4 #1          ->s2
        s3  snap [#Loop>>run @2 | i6] [#Loop>>step @5 | i4 v0] v0=new #Cell(i6)
        i7  int_mul_ovf  i6 #2          ->s3
            jump         i7
      `,
      { differential: [[0], [3], [Number.MAX_SAFE_INTEGER - 1]] },
    );
  });

  it('peels a loop whose inputs are all invariant into an empty label', () => {
    expectOptimized(
      peelLoop,
      `
      trace loop Loop>>run
        in  r0
            call         #log r0
            jump         r0
      `,
      `
      trace loop Loop>>run
        in  r0
            call         #log r0
            label
            call         #log r0
            jump
      `,
    );
  });

  it('leaves a bridge, a peeled loop and a loop that does not jump back alone', () => {
    expectUnchanged(
      peelLoop,
      `
      trace bridge Loop>>run
        in  i0
        i1  int_add      i0 #1
            finish       i1
      `,
    );
    expectUnchanged(
      peelLoop,
      `
      trace loop Loop>>run
        in  i0
        i1  label        i0
        s0  snap [#Loop>>run @1 | i1]
        i2  int_add_ovf  i1 #1          ->s0
            jump         i2
      `,
    );
    expectUnchanged(
      peelLoop,
      `
      trace loop Loop>>run
        in  i0
        i1  int_add      i0 #1
            jump_trace   #trace7 i1
      `,
    );
  });

  it('keeps the outcome of generated traces', () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const peeled = peelLoop(generated.trace);
        expect(verify(peeled)).toEqual([]);
        sameOutcome(generated, peeled);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});
