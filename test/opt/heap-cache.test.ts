/**
 * Heap caching (runtime/opt/heap-cache.ts, with dead-stores.ts and aliasing.ts), text in, text
 * out: load forwarding, store-to-load forwarding, redundant and dead stores, arrays and their
 * lengths, invalidation by residual calls and possibly aliasing stores, what crosses a peeled
 * loop's label; the cases where the pass must do nothing; and a property over generated traces
 * that the pass keeps the reference evaluator's outcome.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VmInternalError } from '../../interpreter/errors.ts';
import { evaluate } from '../../runtime/ir/evaluator.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { heapCache } from '../../runtime/opt/heap-cache.ts';
import { arbitraryTrace } from '../ir/arbitrary-trace.ts';
import { FakeCell, FakePoint } from '../ir/fake-heap.ts';
import { sameOutcome } from './outcome.ts';
import { expectOptimized, expectUnchanged, fake, parse } from './expect-optimized.ts';

describe('fields', () => {
  it('forwards a second getfield of the same object and field to the first', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0
        r1  getfield     r0 #Point.x
        r2  getfield     r0 #Point.y
        r3  getfield     r0 #Point.x
            finish       r1 r2 r3`,
      `trace bridge t
        in  r0
        r1  getfield     r0 #Point.x
        r2  getfield     r0 #Point.y
            finish       r1 r2 r1`,
      { differential: [() => [new FakePoint(1, 2)]] },
    );
  });

  it('forwards a stored value to a later getfield, and a new_struct field to getfield', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 r1 f2
            setfield     r0 #Point.x r1
        r3  getfield     r0 #Point.x
        r4  new_struct   #Double f2
        f5  getfield     r4 #Double.value
            finish       r3 f5`,
      `trace bridge t
        in  r0 r1 f2
            setfield     r0 #Point.x r1
        r3  new_struct   #Double f2
            finish       r1 f2`,
      { differential: [() => [new FakePoint(1, 2), null, 1.5]] },
    );
  });

  it('drops a store of the value the field is known to hold', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 r1
        r2  getfield     r0 #Point.x
            setfield     r0 #Point.x r2
            setfield     r0 #Point.y r1
        s0  snap [#Loop>>run @1 | r0]
            guard_nonnull r1 ->s0
            setfield     r0 #Point.y r1
            finish       r2`,
      `trace bridge t
        in  r0 r1
        r2  getfield     r0 #Point.x
            setfield     r0 #Point.y r1
        s0  snap [#Loop>>run @1 | r0]
            guard_nonnull r1 ->s0
            finish       r2`,
      { differential: [() => [new FakePoint(1, 2), 5], () => [new FakePoint(1, 2), null]] },
    );
  });

  it('drops a store overwritten by a later store to the same object and field with no read between', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 r1 r2 r3
            setfield     r0 #Point.x r1
            setfield     r0 #Point.y r1
        r4  getfield     r3 #Point.y
            setfield     r0 #Point.x r2
        r5  getfield     r0 #Point.x
            setfield     r0 #Point.x r5
            finish       r4`,
      `trace bridge t
        in  r0 r1 r2 r3
            setfield     r0 #Point.y r1
        r4  getfield     r3 #Point.y
            setfield     r0 #Point.x r2
            finish       r4`,
      {
        differential: [
          () => [new FakePoint(0, 0), 1, 2, new FakePoint(7, 8)],
          () => {
            const shared = new FakePoint(0, 0);
            return [shared, 1, 2, shared];
          },
        ],
      },
    );
  });

  it('does not forward a load across a store to an object that may alias', () => {
    expectUnchanged(
      heapCache,
      `trace bridge t
        in  r0 r1 r2
        r3  getfield     r0 #Point.x
            setfield     r1 #Point.x r2
        r4  getfield     r0 #Point.x
            finish       r3 r4`,
      {
        differential: [
          () => [new FakePoint(1, 2), new FakePoint(3, 4), 9],
          () => {
            const shared = new FakePoint(1, 2);
            return [shared, shared, 9];
          },
        ],
      },
    );
  });

  it('keeps what it knows of other objects when the stored one is a fresh allocation, and of objects allocated later', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 r1
        r2  getfield     r0 #Point.x
        r3  new_struct   #Point r1 r1
            setfield     r3 #Point.x r0
        r4  getfield     r0 #Point.x
        r5  new_struct   #Point r1 r1
            setfield     r0 #Point.x r1
        r6  getfield     r5 #Point.x
        r7  getfield     r3 #Point.x
            finish       r4 r6 r7`,
      `trace bridge t
        in  r0 r1
        r2  getfield     r0 #Point.x
        r3  new_struct   #Point r1 r1
            setfield     r3 #Point.x r0
        r4  new_struct   #Point r1 r1
            setfield     r0 #Point.x r1
            finish       r2 r1 r0`,
      { differential: [() => [new FakePoint(1, 2), 5]] },
    );
  });

  it('a value loaded after an allocation may be that allocation: a store to it invalidates', () => {
    expectUnchanged(
      heapCache,
      `trace bridge t
        in  r0 r1 r2
        r3  new_struct   #Point r1 r1
            setfield     r0 #Point.x r3
        r4  getfield     r2 #Point.x
            setfield     r4 #Point.y r0
        r5  getfield     r3 #Point.y
            finish       r5`,
      {
        differential: [
          () => [new FakePoint(1, 2), 5, new FakePoint(new FakePoint(3, 4), 6)],
          () => {
            const shared = new FakePoint(1, 2);
            return [shared, 5, shared];
          },
        ],
      },
    );
  });

  it('a residual call invalidates mutable fields; immutable fields survive it', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 r1
        r2  getfield     r0 #Point.x
        f3  getfield     r1 #Double.value
            call         #poke r0 #null
        r4  getfield     r0 #Point.x
        f5  getfield     r1 #Double.value
            finish       r2 r4 f3 f5`,
      `trace bridge t
        in  r0 r1
        r2  getfield     r0 #Point.x
        f3  getfield     r1 #Double.value
            call         #poke r0 #null
        r4  getfield     r0 #Point.x
            finish       r2 r4 f3 f3`,
      { differential: [() => [new FakePoint(1, 2), fake.pi]] },
    );
  });

  it('an elidable call and a guard invalidate nothing', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 i1
        r2  getfield     r0 #Point.x
        i3  call_pure    #max i1 #0
        s0  snap [#Loop>>run @1 | r0]
            guard_nonnull r2 ->s0
        r4  getfield     r0 #Point.x
            finish       r4 i3`,
      `trace bridge t
        in  r0 i1
        r2  getfield     r0 #Point.x
        i3  call_pure    #max i1 #0
        s0  snap [#Loop>>run @1 | r0]
            guard_nonnull r2 ->s0
            finish       r2 i3`,
      { differential: [() => [new FakePoint(1, 2), 5], () => [new FakePoint(null, 2), 5]] },
    );
  });

  it('keeps a store that a residual call or a guard may see before the overwrite', () => {
    expectUnchanged(
      heapCache,
      `trace bridge t
        in  r0 r1 r2
            setfield     r0 #Point.x r1
            call         #log r0
            setfield     r0 #Point.x r2
        s0  snap [#Loop>>run @1 | r0]
            guard_nonnull r2 ->s0
            setfield     r0 #Point.x r1
            finish       r0`,
      { differential: [() => [new FakePoint(1, 2), 3, 4], () => [new FakePoint(1, 2), 3, null]] },
    );
  });

  it('drops a store of a field every exit restores (a frame pc) across guards, not across a call', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 r1 r2
            setfield     r0 #Frame.pc #1
        s0  snap [#Loop>>run @1 | r0]
            guard_nonnull r2 ->s0
            setfield     r0 #Frame.pc #2
            setfield     r0 #Frame.pc #3
            call         #log r0
            setfield     r0 #Frame.pc #4
            finish       r0`,
      `trace bridge t
        in  r0 r1 r2
        s0  snap [#Loop>>run @1 | r0]
            guard_nonnull r2 ->s0
            setfield     r0 #Frame.pc #3
            call         #log r0
            setfield     r0 #Frame.pc #4
            finish       r0`,
    );
  });

  it('keeps a store whose field may be read through an alias before the overwrite', () => {
    expectUnchanged(
      heapCache,
      `trace bridge t
        in  r0 r1 r2
            setfield     r0 #Point.x r1
        r3  getfield     r2 #Point.x
            setfield     r0 #Point.x r2
            finish       r3`,
      {
        differential: [
          () => {
            const shared = new FakePoint(1, 2);
            return [shared, 3, shared];
          },
        ],
      },
    );
  });
});

describe('arrays', () => {
  it('forwards items by array and index operand, lengths always; drops redundant and dead item stores', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 i1 r2
        i3  arraylen     r0
        r4  getarrayitem r0 i1
        r5  getarrayitem r0 i1
            setarrayitem r0 #0 r2
            setarrayitem r0 #1 r4
            setarrayitem r0 #0 r5
        r6  getarrayitem r0 #1
            call         #log r0
        i7  arraylen     r0
        r8  new_array    #3
        i9  arraylen     r8
            finish       r5 r6 i3 i7 i9`,
      `trace bridge t
        in  r0 i1 r2
        i3  arraylen     r0
        r4  getarrayitem r0 i1
            setarrayitem r0 #1 r4
            setarrayitem r0 #0 r4
            call         #log r0
        r5  new_array    #3
            finish       r4 r4 i3 i3 #3`,
      { differential: [() => [[1, 2, 3], 2, 9], () => [[1, 2, 3], 0, 9]] },
    );
  });

  it('does not forward an item across a store at an index that may be equal, or to an array that may alias', () => {
    expectUnchanged(
      heapCache,
      `trace bridge t
        in  r0 i1 i2 r3
        r4  getarrayitem r0 i1
            setarrayitem r0 i2 r3
        r5  getarrayitem r0 i1
        r6  getarrayitem r0 #0
            setarrayitem r3 #0 #null
        r7  getarrayitem r0 #0
            finish       r4 r5 r6 r7`,
      {
        differential: [
          () => [[1, 2, 3], 1, 1, [7]],
          () => {
            const shared = [1, 2, 3];
            return [shared, 1, 2, shared];
          },
        ],
      },
    );
  });

  it('keeps items at other constant indexes across a store', () => {
    expectOptimized(
      heapCache,
      `trace bridge t
        in  r0 r1
        r2  getarrayitem r0 #0
            setarrayitem r0 #1 r1
        r3  getarrayitem r0 #0
            finish       r3`,
      `trace bridge t
        in  r0 r1
        r2  getarrayitem r0 #0
            setarrayitem r0 #1 r1
            finish       r2`,
      { differential: [() => [[1, 2, 3], 5]] },
    );
  });

  it('arrays are fixed-size: the evaluator refuses to store past the end', () => {
    const trace = parse(`
      trace bridge t
        in  r0
            setarrayitem r0 #3 #null
            finish       r0`);
    expect(() => evaluate(trace, [[1, 2, 3]], fake.heap, { maxIterations: 1 })).toThrow(VmInternalError);
  });
});

describe('peeled loops', () => {
  it('keeps at the label what the body cannot change: invariant loads stay in the preamble', () => {
    expectOptimized(
      heapCache,
      `trace loop Loop>>run
        in  i0 r1 r2
        r3  getfield     r1 #Point.x
        i4  getfield     r2 #Cell.value
        i5  arraylen     r3
        i6  label        i0
        r7  getfield     r1 #Point.x
        i8  getfield     r2 #Cell.value
        i9  arraylen     r7
        b10 int_lt       i6 i9
        s0  snap [#Loop>>run @1 | i6]
            guard_true   b10 ->s0
        i11 int_add_ovf  i6 i8 ->s0
            setfield     r2 #Cell.value i11
        r12 new_struct   #Point #null #null
            setfield     r12 #Point.x r1
            jump         i11`,
      `trace loop Loop>>run
        in  i0 r1 r2
        r3  getfield     r1 #Point.x
        i4  getfield     r2 #Cell.value
        i5  arraylen     r3
        i6  label        i0
        i7  getfield     r2 #Cell.value
        b8  int_lt       i6 i5
        s0  snap [#Loop>>run @1 | i6]
            guard_true   b8 ->s0
        i9  int_add_ovf  i6 i7 ->s0
            setfield     r2 #Cell.value i9
        r10 new_struct   #Point #null #null
            setfield     r10 #Point.x r1
            jump         i9`,
      { differential: [() => [0, new FakePoint([1, 2, 3, 4, 5, 6], null), new FakeCell(1)]] },
    );
  });

  it('a residual call in the body keeps only immutable fields and lengths across the label', () => {
    expectOptimized(
      heapCache,
      `trace loop Loop>>run
        in  i0 r1 r2
        r3  getfield     r1 #Point.x
        f4  getfield     r2 #Double.value
        i5  arraylen     r3
        i6  label        i0
        r7  getfield     r1 #Point.x
        f8  getfield     r2 #Double.value
        i9  arraylen     r3
        b10 int_lt       i6 i9
        s0  snap [#Loop>>run @1 | i6 r7]
            guard_true   b10 ->s0
            call         #log r7
        i11 int_add_ovf  i6 #1 ->s0
            jump         i11`,
      `trace loop Loop>>run
        in  i0 r1 r2
        r3  getfield     r1 #Point.x
        f4  getfield     r2 #Double.value
        i5  arraylen     r3
        i6  label        i0
        r7  getfield     r1 #Point.x
        b8  int_lt       i6 i5
        s0  snap [#Loop>>run @1 | i6 r7]
            guard_true   b8 ->s0
            call         #log r7
        i9  int_add_ovf  i6 #1 ->s0
            jump         i9`,
      { differential: [() => [0, new FakePoint([1, 2, 3], null), fake.pi]] },
    );
  });

  it('does not carry facts about label operands over to the parameters', () => {
    expectUnchanged(
      heapCache,
      `trace loop Loop>>run
        in  i0 r1
        r2  getfield     r1 #Point.x
        i3 r4 label      i0 r1
        r5  getfield     r4 #Point.x
        b6  int_lt       i3 #3
        s0  snap [#Loop>>run @1 | i3 r5]
            guard_true   b6 ->s0
        i7  int_add_ovf  i3 #1 ->s0
            jump         i7 r4`,
      { differential: [() => [0, new FakePoint(1, 2)]] },
    );
  });
});

describe('on generated traces', () => {
  it('keeps the evaluator’s outcome (how the trace leaves, and the residual calls made)', () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const optimized = heapCache(generated.trace);
        expect(verify(optimized)).toEqual([]);
        sameOutcome(generated, optimized);
      }),
      { seed: 11, numRuns: 400 },
    );
  });
});
