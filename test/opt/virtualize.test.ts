/**
 * Allocation removal (runtime/opt/virtualize.ts), text before and after, each rewrite also run
 * in the reference evaluator (exits compare their frames, virtuals materialised from the
 * snapshot). One group per rule, the cases where an allocation must stay, snapshots, and loops:
 * a boxed Double, a Point and a Frame with an array of slots carried round a peeled loop stay
 * unboxed; when the jump does not hand back what entered the label, the pass settles on what
 * both have in common.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../../runtime/ir/trace.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { peelLoop } from '../../runtime/opt/peel.ts';
import { virtualize } from '../../runtime/opt/virtualize.ts';
import { arbitraryTrace } from '../ir/arbitrary-trace.ts';
import { FakeDouble, FakeFrame, FakePoint } from '../ir/fake-heap.ts';
import { expectOptimized, expectUnchanged, fake } from './expect-optimized.ts';
import { sameOutcome } from './outcome.ts';

const peelAndVirtualize = (trace: Trace): Trace => virtualize(peelLoop(trace));

describe('virtualize: loads, stores and tests on a virtual', () => {
  it('reads the field of a new struct from the value it was made with', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0
        r1  new_struct   #Double f0
        f2  getfield     r1 #Double.value
        f3  float_add    f2 #1.0
            finish       f3
      `,
      `
      trace bridge Loop>>run
        in  f0
        f1  float_add    f0 #1.0
            finish       f1
      `,
      { differential: [[2.5], [-0]] },
    );
  });

  it('follows stores into a virtual struct', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  r0 r1
        r2  new_struct   #Point r0 #null
            setfield     r2 #Point.y r1
            setfield     r2 #Point.x r1
        r3  getfield     r2 #Point.x
        r4  getfield     r2 #Point.y
            finish       r3 r4
      `,
      `
      trace bridge Loop>>run
        in  r0 r1
            finish       r1 r1
      `,
      { differential: [[fake.pi, null]] },
    );
  });

  it('keeps the items of an array of constant length, read and written at constant indexes', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  r0 r1
        r2  new_array    #3
            setarrayitem r2 #0 r0
            setarrayitem r2 #2 r1
        i3  arraylen     r2
        r4  getarrayitem r2 #2
        r5  getarrayitem r2 #1
            finish       i3 r4 r5
      `,
      `
      trace bridge Loop>>run
        in  r0 r1
            finish       #3 r1 #null
      `,
      { differential: [[1, fake.pi]] },
    );
  });

  it('folds class and null guards and identity tests on virtuals', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0 r1
        s0  snap [#Loop>>run @2 | f0]
        r2  new_struct   #Double f0
            guard_class  r2 #DoubleClass ->s0
            guard_nonnull r2            ->s0
        b3  ref_is_null  r2
        r4  new_struct   #Double f0
        b5  ref_eq       r2 r4
        b6  ref_eq       r2 r2
        b7  ref_ne       r2 r1
        b8  ref_eq       r1 r2
            finish       b3 b5 b6 b7 b8
      `,
      `
      trace bridge Loop>>run
        in  f0 r1
            finish       #false #false #true #true #false
      `,
      {
        differential: [
          [1.5, fake.pi],
          [1.5, null],
        ],
      },
    );
  });

  it('lets a virtual escape where its guard cannot be decided in its favour', () => {
    // A virtual Double is never a Point, nor null: these guards fail; the exit still sees it.
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0
        s0  snap [#Loop>>run @2 | f0]
        r1  new_struct   #Double f0
            guard_class  r1 #PointClass ->s0
        r2  new_struct   #Double f0
            guard_isnull r2             ->s0
            finish       f0
      `,
      `
      trace bridge Loop>>run
        in  f0
        r1  new_struct   #Double f0
        s0  snap [#Loop>>run @2 | f0]
            guard_class  r1 #PointClass ->s0
        r2  new_struct   #Double f0
            guard_isnull r2             ->s0
            finish       f0
      `,
      { differential: [[0.5]] },
    );
  });
});

describe('virtualize: allocations that must stay', () => {
  it('keeps an object stored into a pre-existing object', () => {
    expectUnchanged(
      virtualize,
      `
      trace bridge Loop>>run
        in  r0 f1
        r2  new_struct   #Double f1
            setfield     r0 #Point.x r2
        r3  getfield     r0 #Point.x
            finish       r3
      `,
      { differential: [() => [new FakePoint(null, null), 1.5]] },
    );
  });

  it('keeps an object passed to a residual call, and removes the allocations that do not escape', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0
        r1  new_struct   #Double f0
        f2  getfield     r1 #Double.value
        f3  float_mul    f2 f2
        r4  new_struct   #Double f3
            call         #log r4
            finish       f2
      `,
      `
      trace bridge Loop>>run
        in  f0
        f1  float_mul    f0 f0
        r2  new_struct   #Double f1
            call         #log r2
            finish       f0
      `,
      { differential: [[3]] },
    );
  });

  it('keeps an object returned by finish or handed to another trace', () => {
    expectUnchanged(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0
        r1  new_struct   #Double f0
            finish       r1
      `,
      { differential: [[3]] },
    );
    expectUnchanged(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0
        r1  new_struct   #Double f0
            jump_trace   #trace7 r1
      `,
      { differential: [[3]] },
    );
  });

  it('allocates an array read at an index that is not a constant, with its stores', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  i0 r1
        s0  snap [#Loop>>run @1 | i0]
        r2  new_array    #2
            setarrayitem r2 #1 r1
            guard_in_bounds i0 #2       ->s0
        r3  getarrayitem r2 i0
            finish       r3
      `,
      `
      trace bridge Loop>>run
        in  i0 r1
        s0  snap [#Loop>>run @1 | i0]
            guard_in_bounds i0 #2       ->s0
        r2  new_array    #2
            setarrayitem r2 #1 r1
        r3  getarrayitem r2 i0
            finish       r3
      `,
      {
        differential: [
          [0, fake.pi],
          [1, fake.pi],
          [2, fake.pi],
        ],
      },
    );
  });

  it('keeps an array whose length is not a constant', () => {
    expectUnchanged(
      virtualize,
      `
      trace bridge Loop>>run
        in  i0
        i1  int_and      i0 #3
        r2  new_array    i1
        i3  arraylen     r2
            finish       i3
      `,
      { differential: [[6]] },
    );
  });

  it('allocates nested virtuals inner first, and stores fields that point to later objects', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0
        r1  new_struct   #Double f0
        r2  new_struct   #Point r1 r1
        r3  getfield     r2 #Point.y
        f4  getfield     r3 #Double.value
            call         #log r2
            finish       f4
      `,
      `
      trace bridge Loop>>run
        in  f0
        r1  new_struct   #Double f0
        r2  new_struct   #Point r1 r1
            call         #log r2
            finish       f0
      `,
      { differential: [[4.5]] },
    );
    // A cycle: p.x = q and q.x = p. Allocated in creation order, the back pointer stored after.
    expectUnchanged(
      virtualize,
      `
      trace bridge Loop>>run
        in  r0
        r1  new_struct   #Point #null #null
        r2  new_struct   #Point r1 r0
            setfield     r1 #Point.x r2
            call         #log r1
            finish
      `,
      { differential: [[fake.pi]] },
    );
  });
});

describe('virtualize: snapshots', () => {
  it('describes virtuals (nested ones too) field by field in the snapshot, allocating nothing', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0 b1
        r2  new_struct   #Double f0
        r3  new_struct   #Point r2 #null
        s0  snap [#Loop>>run @3 | r3 r2]
            guard_true   b1            ->s0
        f4  getfield     r2 #Double.value
            finish       f4
      `,
      `
      trace bridge Loop>>run
        in  f0 b1
        s0  snap [#Loop>>run @3 | v0 v1] v0=new #Point(v1 #null) v1=new #Double(f0)
            guard_true   b1            ->s0
            finish       f0
      `,
      {
        differential: [
          [1.5, true],
          [1.5, false],
        ],
      },
    );
  });

  it('describes a virtual as it is at each guard, not where the snapshot was taken', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  r0 b1 b2
        r3  new_struct   #Point r0 #null
        s0  snap [#Loop>>run @1 | r3]
            guard_true   b1            ->s0
            setfield     r3 #Point.y r0
            guard_true   b2            ->s0
            finish
      `,
      `
      trace bridge Loop>>run
        in  r0 b1 b2
        s0  snap [#Loop>>run @1 | v0] v0=new #Point(r0 #null)
            guard_true   b1            ->s0
        s1  snap [#Loop>>run @1 | v0] v0=new #Point(r0 r0)
            guard_true   b2            ->s1
            finish
      `,
      {
        differential: [
          [fake.pi, false, true],
          [fake.pi, true, false],
          [fake.pi, true, true],
        ],
      },
    );
  });

  it('keeps the snapshot virtuals a trace already had, and names an escaped object by its value', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  f0 b1
        r2  new_struct   #Double f0
        r3  new_struct   #Double f0
            call         #log r3
        s0  snap [#Loop>>run @3 | v0 r2 r3] v0=new #Point(r2 r3)
            guard_true   b1            ->s0
            finish
      `,
      `
      trace bridge Loop>>run
        in  f0 b1
        r2  new_struct   #Double f0
            call         #log r2
        s0  snap [#Loop>>run @3 | v0 v1 r2] v0=new #Point(v1 r2) v1=new #Double(f0)
            guard_true   b1            ->s0
            finish
      `,
      {
        differential: [
          [2, false],
          [2, true],
        ],
      },
    );
  });
});

describe('virtualize: the snapshot of a call (its exception exit)', () => {
  it('keeps a virtual the call does not see virtual, described as it is at the call', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  i0 i1 f2
        r3  new_struct   #Double f2
        r4  new_struct   #Cell i0
        s0  snap [#Loop>>run @3 | r3 i0] [#Loop>>step @1 | r4]
        i5  call         #risky i0     ->s0
            setfield     r4 #Cell.value i5
        s1  snap [#Loop>>run @5 | r3 r4]
        i6  call         #risky i1     ->s1
            finish       i6
      `,
      `
      trace bridge Loop>>run
        in  i0 i1 f2
        s0  snap [#Loop>>run @3 | v0 i0] [#Loop>>step @1 | v1] v0=new #Double(f2) v1=new #Cell(i0)
        i3  call         #risky i0     ->s0
        s1  snap [#Loop>>run @5 | v0 v1] v0=new #Double(f2) v1=new #Cell(i3)
        i4  call         #risky i1     ->s1
            finish       i4
      `,
      // risky(3) throws at once (the Cell holds 3); risky(1004) answers 4 and risky(7) throws
      // with the Cell holding 4; risky(4) and risky(5) answer.
      {
        differential: [
          [3, 0, 1.5],
          [1004, 7, 1.5],
          [4, 5, -0],
        ],
      },
    );
  });

  it('allocates a virtual the call is passed, before the call, and names that object', () => {
    expectOptimized(
      virtualize,
      `
      trace bridge Loop>>run
        in  i0 f1
        r2  new_struct   #Double f1
        s0  snap [#Loop>>run @3 | r2 i0]
            call         #log r2       ->s0
        i3  call         #risky i0     ->s0
            finish       i3
      `,
      `
      trace bridge Loop>>run
        in  i0 f1
        r2  new_struct   #Double f1
        s0  snap [#Loop>>run @3 | r2 i0]
            call         #log r2       ->s0
        i3  call         #risky i0     ->s0
            finish       i3
      `,
      {
        differential: [
          [3, 1.5],
          [4, 1.5],
        ],
      },
    );
  });
});

const doubleLoop = `
  trace loop Loop>>run
    in  i0 r1
    s0  snap [#Loop>>run @4 | i0 r1]
    b2  int_lt       i0 #100
        guard_true   b2             ->s0
        guard_class  r1 #DoubleClass ->s0
    f3  getfield     r1 #Double.value
    f4  float_mul    f3 #1.5
    r5  new_struct   #Double f4
    s1  snap [#Loop>>run @9 | i0 r5]
    i6  int_add_ovf  i0 #1          ->s1
        jump         i6 r5
`;

describe('virtualize: loops', () => {
  it('carries a boxed Double round the loop as a float: the box is only in snapshots', () => {
    expectOptimized(
      peelAndVirtualize,
      doubleLoop,
      `
      trace loop Loop>>run
        in  i0 r1
        b2  int_lt       i0 #100
        s0  snap [#Loop>>run @4 | i0 r1]
            guard_true   b2             ->s0
            guard_class  r1 #DoubleClass ->s0
        f3  getfield     r1 #Double.value
        f4  float_mul    f3 #1.5
        s1  snap [#Loop>>run @9 | i0 v0] v0=new #Double(f4)
        i5  int_add_ovf  i0 #1          ->s1
        i6 f7 label      i5 f4
        b8  int_lt       i6 #100
        s2  snap [#Loop>>run @4 | i6 v0] v0=new #Double(f7)
            guard_true   b8             ->s2
        f9  float_mul    f7 #1.5
        s3  snap [#Loop>>run @9 | i6 v0] v0=new #Double(f9)
        i10 int_add_ovf  i6 #1          ->s3
            jump         i10 f9
      `,
      {
        differential: [
          [90, new FakeDouble(2)],
          [100, new FakeDouble(2)],
          [0, new FakePoint(1, 2)],
          [Number.MAX_SAFE_INTEGER - 3, new FakeDouble(-0)],
        ],
      },
    );
  });

  it('carries the fields of a Point rebuilt each iteration, and removes the temporary', () => {
    expectOptimized(
      peelAndVirtualize,
      `
      trace loop Loop>>run
        in  i0 r1
        s0  snap [#Loop>>run @3 | i0 r1]
        b2  int_lt       i0 #5
            guard_true   b2              ->s0
            guard_class  r1 #PointClass  ->s0
        r3  getfield     r1 #Point.x
        r4  getfield     r1 #Point.y
        r5  new_struct   #Point r4 r3
        r6  getfield     r5 #Point.x
        r7  int_to_ref   i0
        r8  new_struct   #Point r6 r7
        i9  int_add_ovf  i0 #1           ->s0
            jump         i9 r8
      `,
      `
      trace loop Loop>>run
        in  i0 r1
        b2  int_lt       i0 #5
        s0  snap [#Loop>>run @3 | i0 r1]
            guard_true   b2              ->s0
            guard_class  r1 #PointClass  ->s0
        r3  getfield     r1 #Point.x
        r4  getfield     r1 #Point.y
        r5  int_to_ref   i0
        i6  int_add_ovf  i0 #1           ->s0
        i7 r8 r9 label   i6 r4 r5
        b10 int_lt       i7 #5
        s1  snap [#Loop>>run @3 | i7 v0] v0=new #Point(r8 r9)
            guard_true   b10             ->s1
        r11 int_to_ref   i7
        i12 int_add_ovf  i7 #1           ->s1
            jump         i12 r9 r11
      `,
      { differential: [() => [0, new FakePoint(1, 2)], () => [4, new FakePoint(1, 2)], () => [0, fake.pi]] },
    );
  });

  it('carries a frame and its array of slots as the slots alone', () => {
    expectOptimized(
      peelAndVirtualize,
      `
      trace loop Loop>>run
        in  r0
        s0  snap [#Loop>>run @2 | r0]
        r1  getfield     r0 #Frame.slots
        r2  getarrayitem r1 #1
        i3  ref_to_int   r2              ->s0
        b4  int_lt       i3 #10
            guard_true   b4              ->s0
        i5  int_add_ovf  i3 #1           ->s0
        r6  new_array    #3
        r7  getarrayitem r1 #0
            setarrayitem r6 #0 r7
        r8  int_to_ref   i5
            setarrayitem r6 #1 r8
        r9  new_struct   #Frame r6
            jump         r9
      `,
      `
      trace loop Loop>>run
        in  r0
        r1  getfield     r0 #Frame.slots
        r2  getarrayitem r1 #1
        s0  snap [#Loop>>run @2 | r0]
        i3  ref_to_int   r2              ->s0
        b4  int_lt       i3 #10
            guard_true   b4              ->s0
        i5  int_add_ovf  i3 #1           ->s0
        r6  getarrayitem r1 #0
        r7  int_to_ref   i5
        r8 r9 r10 label  r6 r7 #null
        s1  snap [#Loop>>run @2 | v0] v0=new #Frame(v1) v1=new [r8 r9 r10]
        i11 ref_to_int   r9              ->s1
        b12 int_lt       i11 #10
            guard_true   b12             ->s1
        i13 int_add_ovf  i11 #1          ->s1
        r14 int_to_ref   i13
            jump         r8 r14 #null
      `,
      {
        differential: [
          () => [new FakeFrame([fake.pi, 3, null])],
          () => [new FakeFrame([fake.pi, 9, 1])],
          () => [new FakeFrame([fake.pi, true, null])],
        ],
      },
    );
  });

  it('allocates a box the jump does not hand back as one before the label (one more round)', () => {
    expectUnchanged(
      virtualize,
      `
      trace loop Loop>>run
        in  i0 r1
        f2  int_to_float i0
        r3  new_struct   #Double f2
        i4 r5 label      i0 r3
        s0  snap [#Loop>>run @3 | i4 r5]
        b6  int_lt       i4 #3
            guard_true   b6              ->s0
            call         #log r5
        i7  int_add_ovf  i4 #1           ->s0
            jump         i7 r1
      `,
      {
        differential: [
          [0, fake.pi],
          [5, fake.pi],
        ],
      },
    );
  });

  it('keeps the part of a carried object both ends agree on virtual', () => {
    // Entry: Point(Double(f), null); the jump hands back Point(r1, <the escaped Double>).
    expectOptimized(
      virtualize,
      `
      trace loop Loop>>run
        in  i0 r1
        f2  int_to_float i0
        r3  new_struct   #Double f2
        r4  new_struct   #Point r3 #null
        i5 r6 label      i0 r4
        s0  snap [#Loop>>run @3 | i5 r6]
        b7  int_lt       i5 #3
            guard_true   b7              ->s0
        r8  getfield     r6 #Point.x
            call         #log r8
        r9  new_struct   #Point r1 r8
        i10 int_add_ovf  i5 #1           ->s0
            jump         i10 r9
      `,
      `
      trace loop Loop>>run
        in  i0 r1
        f2  int_to_float i0
        r3  new_struct   #Double f2
        i4 r5 r6 label   i0 r3 #null
        b7  int_lt       i4 #3
        s0  snap [#Loop>>run @3 | i4 v0] v0=new #Point(r5 r6)
            guard_true   b7              ->s0
            call         #log r5
        i8  int_add_ovf  i4 #1           ->s0
            jump         i8 r1 r5
      `,
      {
        differential: [
          [0, fake.pi],
          [2, fake.pi],
        ],
      },
    );
  });

  it('does not explode one object carried in two places (its identity would split)', () => {
    expectOptimized(
      virtualize,
      `
      trace loop Loop>>run
        in  i0 f1
        r2  new_struct   #Double f1
        i3 r4 r5 label   i0 r2 r2
        s0  snap [#Loop>>run @3 | i3 r4 r5]
        b6  int_lt       i3 #3
            guard_true   b6              ->s0
        b7  ref_eq       r4 r5
            guard_true   b7              ->s0
        i8  int_add_ovf  i3 #1           ->s0
        r9  new_struct   #Double f1
            jump         i8 r9 r9
      `,
      `
      trace loop Loop>>run
        in  i0 f1
        r2  new_struct   #Double f1
        i3 r4 r5 label   i0 r2 r2
        b6  int_lt       i3 #3
        s0  snap [#Loop>>run @3 | i3 r4 r5]
            guard_true   b6              ->s0
        b7  ref_eq       r4 r5
            guard_true   b7              ->s0
        i8  int_add_ovf  i3 #1           ->s0
        r9  new_struct   #Double f1
            jump         i8 r9 r9
      `,
      { differential: [[0, 1.5]] },
    );
  });

  it('allocates, before the label, an object of the preamble that the body uses directly', () => {
    // One Cell counts through all iterations: a copy per iteration would restart from 0.
    expectOptimized(
      virtualize,
      `
      trace loop Loop>>run
        in  i0
        r1  new_struct   #Cell #0
        i2  label        i0
        s0  snap [#Loop>>run @3 | i2 r1]
        b3  int_lt       i2 #3
            guard_true   b3              ->s0
        i4  getfield     r1 #Cell.value
        i5  int_add_ovf  i4 #2           ->s0
            setfield     r1 #Cell.value i5
        i6  int_add_ovf  i2 #1           ->s0
            jump         i6
      `,
      `
      trace loop Loop>>run
        in  i0
        r1  new_struct   #Cell #0
        i2  label        i0
        b3  int_lt       i2 #3
        s0  snap [#Loop>>run @3 | i2 r1]
            guard_true   b3              ->s0
        i4  getfield     r1 #Cell.value
        i5  int_add_ovf  i4 #2           ->s0
            setfield     r1 #Cell.value i5
        i6  int_add_ovf  i2 #1           ->s0
            jump         i6
      `,
      { differential: [[0], [2]] },
    );
  });

  it('allocates the jump arguments of a loop that is not peeled, but not its temporaries', () => {
    expectOptimized(
      virtualize,
      `
      trace loop Loop>>run
        in  i0 r1
        s0  snap [#Loop>>run @3 | i0 r1]
        b2  int_lt       i0 #3
            guard_true   b2              ->s0
        f3  int_to_float i0
        r4  new_struct   #Double f3
        r5  new_struct   #Point r4 r1
        r6  getfield     r5 #Point.x
        i7  int_add_ovf  i0 #1           ->s0
            jump         i7 r6
      `,
      `
      trace loop Loop>>run
        in  i0 r1
        b2  int_lt       i0 #3
        s0  snap [#Loop>>run @3 | i0 r1]
            guard_true   b2              ->s0
        f3  int_to_float i0
        i4  int_add_ovf  i0 #1           ->s0
        r5  new_struct   #Double f3
            jump         i4 r5
      `,
      { differential: [[0, fake.pi]] },
    );
  });
});

describe('virtualize on generated traces', () => {
  const passes: [string, (trace: Trace) => Trace][] = [
    ['virtualize', virtualize],
    ['peel then virtualize', peelAndVirtualize],
  ];
  for (const [name, pass] of passes) {
    it(`${name} keeps the outcome`, () => {
      fc.assert(
        fc.property(arbitraryTrace(fake), (generated) => {
          const rewritten = pass(generated.trace);
          expect(verify(rewritten)).toEqual([]);
          sameOutcome(generated, rewritten);
        }),
        { seed: 11, numRuns: 300 },
      );
    });
  }

  it('removes allocations from generated traces (the property above is not vacuous)', () => {
    const allocations = (trace: Trace): number =>
      trace.ops.filter((instruction) => instruction.op === 'new_struct' || instruction.op === 'new_array').length;
    const samples = fc.sample(arbitraryTrace(fake), { seed: 11, numRuns: 300 });
    const before = samples.reduce((sum, generated) => sum + allocations(peelLoop(generated.trace)), 0);
    const after = samples.reduce((sum, generated) => sum + allocations(peelAndVirtualize(generated.trace)), 0);
    expect(after).toBeLessThan(before * 0.75);
    const exploded = samples.filter((generated) => {
      const label = peelAndVirtualize(generated.trace).label;
      return label !== null && label.args.length > (peelLoop(generated.trace).label?.args.length ?? 0);
    });
    expect(exploded.length).toBeGreaterThan(0);
  });
});
