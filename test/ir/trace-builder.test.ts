/**
 * TraceBuilder and TraceRewriter: the builder refuses malformed instructions where they are
 * made, runs a fold hook before appending, and the rewriter (the shape of every pass) copies a
 * trace with renamed operands, snapshots copied on first use and unused ones dropped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VmInternalError } from '../../interpreter/errors.ts';
import { evaluate } from '../../runtime/ir/evaluator.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import { printTrace } from '../../runtime/ir/printer.ts';
import { FrameState } from '../../runtime/ir/snapshot.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { type FoldHook, TraceBuilder, TraceRewriter } from '../../runtime/ir/trace-builder.ts';
import { type IrRef, type Operand, NO_SNAPSHOT, isConstant } from '../../runtime/ir/types.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { arbitraryTrace } from './arbitrary-trace.ts';
import { makeFakeHeap } from './fake-heap.ts';

const fake = makeFakeHeap();

describe('TraceBuilder', () => {
  it('refuses an instruction that does not fit ops.ts, where it is appended', () => {
    const b = new TraceBuilder('bridge', 'test');
    const [i0, f1] = [b.input('int'), b.input('float')];
    const s0 = b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 0, [i0])]);
    expect(() => b.emit('int_add', [i0, f1])).toThrow(/int_add: operand 2: expected a value of kind int, found f1/);
    expect(() => b.emit('int_add', [i0])).toThrow(/expected 2 operands, found 1/);
    expect(() => b.emit('guard_true', [b.bool(true)])).toThrow(/a guard needs a snapshot/);
    expect(() => b.emit('int_add', [i0, i0], s0)).toThrow(/int_add carries no snapshot/);
    // A residual call may carry one (its exception exit); an elidable call, which cannot throw, not.
    expect(() => b.emit('call_pure', [b.constants.descr(fake.max), i0, i0], s0)).toThrow(/call_pure carries no/);
    expect(() => b.emit('call_pure', [b.constants.descr(fake.logCall), i0])).toThrow(/elidable/);
    expect(() => b.emit('setfield', [b.nullRef(), b.constants.descr(fake.CellValue), f1])).toThrow(VmInternalError);
    expect(() => b.emit('int_add', [i0, 7 as Operand])).toThrow(/value 7 is not defined yet/);
    b.emit('int_neg', [i0]);
    expect(() => b.input('int')).toThrow(/before any instruction/);
  });

  it('gives a residual call a snapshot, the recorder’s way: value() with a result, emit() without', () => {
    const b = new TraceBuilder('bridge', 'test');
    const i0 = b.input('int');
    const s0 = b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 0, [i0])]);
    const i1 = b.value('call', [b.constants.descr(fake.risky), i0], s0);
    expect(b.emit('call', [b.constants.descr(fake.logCall), b.nullRef()], s0)).toBeNull();
    b.emit('finish', [i1]);
    const trace = b.finish();
    expect(trace.ops.map((instruction) => instruction.snapshot)).toEqual([s0, s0, NO_SNAPSHOT]);
    expect(verify(trace)).toEqual([]);
  });

  it('gives fold hooks the last word: an operand instead of an instruction, or a dropped guard', () => {
    const fold: FoldHook = (b, op, args) => {
      const [x, y] = args;
      if (op === 'guard_true' && x === b.bool(true)) return 'drop';
      if (op === 'int_add' && x !== undefined && y !== undefined && isConstant(x) && isConstant(y)) {
        return b.int((b.constants.value(x) as number) + (b.constants.value(y) as number));
      }
      return undefined;
    };
    const b = new TraceBuilder('bridge', 'folded', undefined, { fold });
    const i0 = b.input('int');
    const s0 = b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 0, [i0])]);
    const sum = b.value('int_add', [b.int(2), b.int(3)]);
    expect(b.emit('guard_true', [b.bool(true)], s0)).toBeNull();
    b.emit('finish', [b.value('int_add', [i0, sum])]);
    expect(printTrace(b.finish())).toBe(`trace bridge folded
  in  i0
  s0  snap [#Loop>>run @0 | i0]
  i1  int_add      i0 #5
      finish       i1
`);
  });
});

/** A pass that copies everything: the rewriter's identity. */
function copyAll(trace: Trace): Trace {
  const rewriter = new TraceRewriter(trace);
  for (const instruction of trace.ops) rewriter.copy(instruction);
  return rewriter.finish();
}

describe('TraceRewriter', () => {
  it('copies a trace unchanged, apart from snapshots no guard uses', () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        const original = generated.trace;
        const copy = copyAll(original);
        expect(verify(copy)).toEqual([]);
        const used = new Set(original.ops.map((instruction) => instruction.snapshot));
        const unused = original.snapshots.filter((snapshot) => !used.has(snapshot.id));
        if (unused.length === 0) expect(printTrace(copy)).toBe(printTrace(original));
        expect(copy.snapshots.length).toBe(original.snapshots.length - unused.length);
        expect(printTrace(copyAll(copy))).toBe(printTrace(copy));
        const runIt = (t: Trace): unknown => {
          fake.reset();
          const result = evaluate(t, generated.makeInputs(), fake.heap, { maxIterations: 50 });
          return result.kind === 'exit' || result.kind === 'throw' ? { ...result, snapshot: 'renumbered' } : result;
        };
        expect(runIt(copy)).toEqual(runIt(original));
      }),
      { seed: 23, numRuns: 300 },
    );
  });

  it('forwards uses of a removed value and drops the snapshot of a removed guard', () => {
    const before = parseTrace(
      `trace loop Loop>>run
  in  i0 i1
  s0  snap [#Loop>>run @2 | i0 i1]
  i2  int_add_ovf  i1 #0          ->s0
  b3  int_lt       i0 i2
  s1  snap [#Loop>>run @5 | i0 i2]
      guard_true   b3             ->s1
  i4  int_add_ovf  i0 #1          ->s1
      jump         i4 i2
`,
      fake.registry,
    );
    // x + 0 is x: forward i2 to i1; the guard of the add goes with it, and so does s0.
    const rewriter = new TraceRewriter(before);
    for (const instruction of before.ops) {
      const [x, y] = instruction.args;
      const addsZero = y !== undefined && isConstant(y) && before.constants.value(y) === 0;
      if (instruction.op === 'int_add_ovf' && x !== undefined && addsZero) {
        rewriter.setRename(instruction.result as IrRef, rewriter.rename(x));
      } else {
        rewriter.copy(instruction);
      }
    }
    expect(printTrace(rewriter.finish())).toBe(`trace loop Loop>>run
  in  i0 i1
  b2  int_lt       i0 i1
  s0  snap [#Loop>>run @5 | i0 i1]
      guard_true   b2             ->s0
  i3  int_add_ovf  i0 #1          ->s0
      jump         i3 i1
`);
  });

  it('refuses to read a value the pass dropped without a replacement', () => {
    const before = parseTrace('trace bridge t\n  in  i0\n  i1  int_neg i0\n      finish i1\n', fake.registry);
    const rewriter = new TraceRewriter(before);
    const finish = before.ops[1];
    if (finish === undefined) throw new Error('the fixture has two instructions');
    expect(() => rewriter.copy(finish)).toThrow(/value 1 used but not defined/);
  });
});
