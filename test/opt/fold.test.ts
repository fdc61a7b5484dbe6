/**
 * Constant folding and algebraic simplification (runtime/opt/fold.ts), rule by rule, text in and
 * text out with the evaluator comparing both traces on chosen inputs; with the cases where a rule
 * must not fire (a float x+0.0, a non-constant operand, a residual call, a guard that always
 * fails). Then exhaustively: every operation on values, with every pattern of inputs and special
 * constants as operands (and every one-operand operation on every operation's result), run on
 * every combination of special input values, gives what the unfolded trace gives.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CallDescr } from '../../runtime/ir/descriptors.ts';
import { evaluate } from '../../runtime/ir/evaluator.ts';
import { type IrOp, OPS, hasFlag } from '../../runtime/ir/ops.ts';
import { printTrace } from '../../runtime/ir/printer.ts';
import { FrameState } from '../../runtime/ir/snapshot.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import { type Operand, type SnapshotId, type ValueKind, isValueRef } from '../../runtime/ir/types.ts';
import { fold, foldHook } from '../../runtime/opt/fold.ts';
import { SPECIAL, VALUE_OPS } from './arbitrary-arithmetic.ts';
import { bridge, expectOptimized, expectUnchanged, fake } from './expect-optimized.ts';

/** An elidable function that throws: folding must leave its call for run time. */
fake.registry.set(
  'fails',
  new CallDescr(
    'fails',
    () => {
      throw new RangeError('no');
    },
    ['int'],
    'int',
    true,
  ),
);

const SNAP = 's0  snap [#Loop>>run @0 | i0]';

describe('constants', () => {
  it('folds pure operations on constants by the evaluator’s semantics', () => {
    expectOptimized(
      fold,
      bridge(
        'i0',
        'i1  int_add       #2 #3',
        'f2  float_mul     #1.5 #2.0',
        'b3  int_lt        #1 #2',
        'f4  int_to_float  #3',
        'f5  float_neg     #0.0',
        'i6  int_mod       #-7 #2',
        'r7  int_to_ref    #5',
        'b8  ref_eq        #null #null',
        '    finish        i1 f2 b3 f4 f5 i6 r7 b8',
      ),
      bridge('i0', '    finish  #5 #3.0 #true #3.0 #-0.0 #1 #5:ref #true'),
      { differential: [[0]] },
    );
  });

  it('folds a guarding operation that holds on constants, and keeps one that fails', () => {
    expectOptimized(
      fold,
      bridge(
        'i0',
        SNAP,
        'i1  int_add_ovf   #2 #3     ->s0',
        'i2  float_to_int  #-2.5     ->s0',
        'i3  ref_to_int    #5:ref    ->s0',
        'i4  int_mul_ovf   #9007199254740991 #2 ->s0',
        '    finish        i1 i2 i3 i4',
      ),
      bridge('i0', SNAP, 'i1  int_mul_ovf   #9007199254740991 #2 ->s0', '    finish  #5 #-2 #5 i1'),
      { differential: [[3]] },
    );
  });

  it('drops guards that hold on constants and keeps one that always fails', () => {
    expectOptimized(
      fold,
      bridge(
        'i0',
        SNAP,
        '    guard_true      #true    ->s0',
        '    guard_value     #3 #3    ->s0',
        '    guard_in_bounds #1 #3    ->s0',
        '    guard_nonnull   #pi      ->s0',
        '    guard_isnull    #null    ->s0',
        '    guard_false     #true    ->s0',
        '    finish          i0',
      ),
      bridge('i0', SNAP, '    guard_false  #true ->s0', '    finish  i0'),
      { differential: [[4]] },
    );
  });

  it('calls an elidable function on constants now', () => {
    expectOptimized(
      fold,
      bridge('i0', 'i1  call_pure  #max #2 #5', 'f2  call_pure  #sqrt #4.0', '    finish  i1 f2'),
      bridge('i0', '    finish  #5 #2.0'),
      { differential: [[0]] },
    );
  });

  it('leaves what it must not fold: a residual call, an elidable function that throws, a division by zero, a computed operand', () => {
    expectUnchanged(
      fold,
      bridge(
        'i0',
        'i1  call       #max #2 #5',
        'i2  call_pure  #fails #1',
        'i3  int_div    #7 #0',
        'i4  int_add    i0 #2',
        '    finish     i1 i2 i3 i4',
      ),
    );
  });

  it('folds while recording, when a builder has the hook', () => {
    const b = new TraceBuilder('bridge', 'Loop>>run', undefined, { fold: foldHook });
    const x = b.input('int');
    expect(b.value('int_add', [b.int(2), b.int(3)])).toBe(b.int(5));
    expect(b.value('int_mul', [x, b.int(1)])).toBe(x);
    expect(b.length).toBe(0);
  });
});

describe('integer algebra', () => {
  it('x+0, 0+x, x-0, x*1, 1*x, x/1 are x; x*0, 0*x, x-x are 0', () => {
    expectOptimized(
      fold,
      bridge(
        'i0',
        'i1  int_add  i0 #0',
        'i2  int_add  #0 i0',
        'i3  int_sub  i0 #0',
        'i4  int_mul  i0 #1',
        'i5  int_mul  #1 i0',
        'i6  int_div  i0 #1',
        'i7  int_mul  i0 #0',
        'i8  int_mul  #0 i0',
        'i9  int_sub  i0 i0',
        '    finish   i1 i2 i3 i4 i5 i6 i7 i8 i9',
      ),
      bridge('i0', '    finish  i0 i0 i0 i0 i0 i0 #0 #0 #0'),
      { differential: [[-5], [0], [9007199254740991]] },
    );
  });

  it('0-x, x*-1, x/-1 are int_neg x; -(-x) is x', () => {
    expectOptimized(
      fold,
      bridge(
        'i0',
        'i1  int_sub  #0 i0',
        'i2  int_mul  #-1 i0',
        'i3  int_div  i0 #-1',
        'i4  int_neg  i1',
        '    finish   i1 i2 i3 i4',
      ),
      bridge('i0', 'i1  int_neg  i0', 'i2  int_neg  i0', 'i3  int_neg  i0', '    finish  i1 i2 i3 i0'),
      { differential: [[-5], [0], [-9007199254740991]] },
    );
  });

  it('turns _ovf operations that cannot overflow into the operand or the plain form', () => {
    expectOptimized(
      fold,
      bridge(
        'i0 i1',
        's0  snap [#Loop>>run @0 | i0 i1]',
        'i2  int_add_ovf  i0 #0   ->s0',
        'i3  int_sub_ovf  i1 i1   ->s0',
        'i4  int_mul_ovf  #1 i0   ->s0',
        'i5  int_sub_ovf  #0 i1   ->s0',
        'i6  int_mul_ovf  i1 #-1  ->s0',
        'i7  int_mul_ovf  i1 #0   ->s0',
        '    finish       i2 i3 i4 i5 i6 i7',
      ),
      bridge('i0 i1', 'i2  int_neg  i1', 'i3  int_neg  i1', '    finish  i0 #0 i0 i2 i3 #0'),
      { differential: [[9007199254740991, -9007199254740991]] },
    );
  });

  it('compares an int with itself', () => {
    expectOptimized(
      fold,
      bridge(
        'i0',
        'b1  int_lt  i0 i0',
        'b2  int_le  i0 i0',
        'b3  int_gt  i0 i0',
        'b4  int_ge  i0 i0',
        'b5  int_eq  i0 i0',
        'b6  int_ne  i0 i0',
        '    finish  b1 b2 b3 b4 b5 b6',
      ),
      bridge('i0', '    finish  #false #true #false #true #true #false'),
      { differential: [[7]] },
    );
  });

  it('x&0 and x^x are 0; x|0 and x&x are not x (int32 semantics)', () => {
    expectOptimized(
      fold,
      bridge(
        'i0',
        'i1  int_and  i0 #0',
        'i2  int_xor  i0 i0',
        'i3  int_or  i0 #0',
        'i4  int_and  i0 i0',
        '    finish  i1 i2 i3 i4',
      ),
      bridge('i0', 'i1  int_or  i0 #0', 'i2  int_and  i0 i0', '    finish  #0 #0 i1 i2'),
      { differential: [[2 ** 40 + 3]] },
    );
  });

  it('leaves operations on values it does not know', () => {
    expectUnchanged(
      fold,
      bridge('i0 i1', 'i2  int_add  i0 i1', 'i3  int_sub  i0 #1', 'i4  int_mul  i1 #2', '    finish  i2 i3 i4'),
    );
  });
});

describe('float algebra (IEEE: -0.0, NaN, Infinity)', () => {
  const specials = [[-0], [0], [NaN], [Infinity], [-1.5]];

  it('x+(-0.0), x-0.0, x*1.0, x/1.0 are x; -0.0-x, x*-1.0, x/-1.0 are -x; -(-x) is x', () => {
    expectOptimized(
      fold,
      bridge(
        'f0',
        'f1  float_add  f0 #-0.0',
        'f2  float_sub  f0 #0.0',
        'f3  float_mul  #1.0 f0',
        'f4  float_div  f0 #1.0',
        'f5  float_sub  #-0.0 f0',
        'f6  float_mul  f0 #-1.0',
        'f7  float_div  f0 #-1.0',
        'f8  float_neg  f7',
        '    finish     f1 f2 f3 f4 f5 f6 f7 f8',
      ),
      bridge(
        'f0',
        'f1  float_neg  f0',
        'f2  float_neg  f0',
        'f3  float_neg  f0',
        '    finish  f0 f0 f0 f0 f1 f2 f3 f0',
      ),
      { differential: specials },
    );
  });

  it('leaves x+0.0, 0.0-x, x*0.0, x-x, x-(-0.0), x<=x and x==x alone', () => {
    expectUnchanged(
      fold,
      bridge(
        'f0',
        'f1  float_add  f0 #0.0',
        'f2  float_sub  #0.0 f0',
        'f3  float_mul  f0 #0.0',
        'f4  float_sub  f0 f0',
        'f5  float_sub  f0 #-0.0',
        'b6  float_le   f0 f0',
        'b7  float_eq   f0 f0',
        '    finish     f1 f2 f3 f4 f5 b6 b7',
      ),
      { differential: specials },
    );
  });
});

describe('booleans and conversions', () => {
  it('!!b is b; !(a<b) is a>=b for ints, and == flips to != for floats and refs', () => {
    expectOptimized(
      fold,
      bridge(
        'i0 i1 f2 r3 b4',
        'b5  bool_not  b4',
        'b6  bool_not  b5',
        'b7  int_lt    i0 i1',
        'b8  bool_not  b7',
        'b9  float_eq  f2 #1.0',
        'b10 bool_not  b9',
        'b11 ref_eq    r3 #null',
        'b12 bool_not  b11',
        '    finish    b6 b8 b10 b12',
      ),
      bridge(
        'i0 i1 f2 r3 b4',
        'b5  bool_not  b4',
        'b6  int_lt    i0 i1',
        'b7  int_ge    i0 i1',
        'b8  float_eq  f2 #1.0',
        'b9  float_ne  f2 #1.0',
        'b10 ref_eq    r3 #null',
        'b11 ref_ne    r3 #null',
        '    finish    b4 b7 b9 b11',
      ),
      {
        differential: [
          [1, 2, NaN, null, true],
          [2, 2, 1, 5, false],
        ],
      },
    );
  });

  it('keeps !(a<b) for floats, which is not a>=b when one is NaN', () => {
    expectUnchanged(fold, bridge('f0 f1', 'b2  float_lt  f0 f1', 'b3  bool_not  b2', '    finish  b3'), {
      differential: [[NaN, 1]],
    });
  });

  it('removes conversion round trips', () => {
    expectOptimized(
      fold,
      bridge(
        'i0 r1 b2',
        's0  snap [#Loop>>run @0 | i0 r1]',
        'r3  int_to_ref    i0',
        'i4  ref_to_int    r3          ->s0',
        'i5  ref_to_int    r1          ->s0',
        'r6  int_to_ref    i5',
        'r7  bool_to_ref   b2',
        'b8  ref_to_bool   r7          ->s0',
        'f9  int_to_float  i0',
        'i10 float_to_int  f9          ->s0',
        '    finish        i4 r6 b8 i10',
      ),
      bridge(
        'i0 r1 b2',
        's0  snap [#Loop>>run @0 | i0 r1]',
        'r3  int_to_ref    i0',
        'i4  ref_to_int    r1          ->s0',
        'r5  bool_to_ref   b2',
        'f6  int_to_float  i0',
        '    finish        i0 r1 b2 i0',
      ),
      {
        differential: [
          [3, 7, true],
          [-9007199254740991, 'text', false],
        ],
      },
    );
  });
});

// ---- exhaustive: every operation on values, every operand pattern, every special input ----

/** Two inputs of each kind: operand patterns may use one, the other, or both. */
const INPUT_KINDS: readonly ValueKind[] = ['int', 'int', 'float', 'float', 'bool', 'bool', 'ref', 'ref'];
/** The values each input takes in turn (refs: no -0, which is not an int when converted). */
const GRID: Readonly<Record<ValueKind, readonly unknown[]>> = {
  int: [...SPECIAL.int, 7],
  float: SPECIAL.float,
  bool: [true, false],
  ref: [null, 0, 5, true, 'text'],
};

interface Start {
  readonly b: TraceBuilder;
  readonly inputs: readonly Operand[];
  readonly snapshot: SnapshotId;
}

/** A trace builder with the inputs and a snapshot naming them all. */
function start(): Start {
  const b = new TraceBuilder('bridge', 'exhaustive');
  const inputs = INPUT_KINDS.map((kind) => b.input(kind));
  const method = b.constants.ref(fake.methods.run, 'Loop>>run');
  return { b, inputs, snapshot: b.snapshot([new FrameState(method, 0, inputs)]) };
}

/** Every tuple taking one item from each list. */
function product<T>(lists: readonly (readonly T[])[]): T[][] {
  return lists.reduce<T[][]>((tuples, list) => tuples.flatMap((tuple) => list.map((item) => [...tuple, item])), [[]]);
}

function argKinds(op: IrOp): readonly ValueKind[] {
  return OPS[op].args as readonly string[] as readonly ValueKind[];
}

/** Operand choices of a position: -1 and -2 the two inputs of its kind, i >= 0 `SPECIAL[kind][i]`. */
function pick({ b, inputs }: Start, kind: ValueKind, choice: number): Operand {
  if (choice >= 0) return b.constants.of(kind, SPECIAL[kind][choice], null);
  return inputs.filter((input) => b.kindOf(input) === kind)[-1 - choice] as Operand;
}

/** Appends `op` (with the snapshot if it is a guard); answers its result, if any. */
function append({ b, snapshot }: Start, op: IrOp, args: readonly Operand[]): Operand | null {
  return hasFlag(op, 'guard') ? b.emit(op, args, snapshot) : b.emit(op, args);
}

function finish(at: Start, result: Operand | null): Trace {
  at.b.emit('finish', result === null ? [] : [result]);
  return at.b.finish();
}

/** One trace per operand pattern of `op` (inputs and special constants): `finish` with its result. */
function singleOperationTraces(op: IrOp): Trace[] {
  const patterns = product(argKinds(op).map((kind) => [-1, -2, ...SPECIAL[kind].keys()]));
  return patterns.map((pattern) => {
    const at = start();
    return finish(
      at,
      append(
        at,
        op,
        argKinds(op).map((kind, i) => pick(at, kind, pattern[i] as number)),
      ),
    );
  });
}

const UNARY = VALUE_OPS.filter((op) => OPS[op].args.length === 1);

/** outer(inner(inputs...)) for every one-operand `outer` that takes inner's result kind. */
function nestedTraces(inner: IrOp): Trace[] {
  const patterns = product(argKinds(inner).map(() => [-1, -2]));
  return UNARY.filter((outer) => OPS[outer].args[0] === OPS[inner].result).flatMap((outer) =>
    patterns.map((pattern) => {
      const at = start();
      const value = append(
        at,
        inner,
        argKinds(inner).map((kind, i) => pick(at, kind, pattern[i] as number)),
      );
      return finish(at, append(at, outer, [value as Operand]));
    }),
  );
}

/** The input vectors to run: the grid over the inputs the trace reads, the others at a default. */
function inputVectors(trace: Trace): unknown[][] {
  const read = new Set<number>();
  for (const instruction of trace.ops) for (const arg of instruction.args) if (isValueRef(arg)) read.add(arg);
  return product(INPUT_KINDS.map((kind, i) => (read.has(i) ? GRID[kind] : [GRID[kind][0]])));
}

function run(trace: Trace, inputs: readonly unknown[]): unknown {
  try {
    const result = evaluate(trace, inputs, fake.heap, { maxIterations: 1 });
    return result.kind === 'exit' ? { kind: 'exit', frames: result.frames } : result;
  } catch (error) {
    return { threw: String(error) };
  }
}

/** Each trace where folding changes what a run gives, with the inputs. */
function foldingMismatches(traces: readonly Trace[]): string[] {
  const mismatches: string[] = [];
  for (const trace of traces) {
    const folded = fold(trace);
    for (const inputs of inputVectors(trace)) {
      const expected = run(trace, inputs);
      if ('threw' in (expected as object)) continue; // outside an operation's contract: nothing to keep
      if (!isDeepStrictEqual(run(folded, inputs), expected)) {
        mismatches.push(`${printTrace(trace)}folded:\n${printTrace(folded)}inputs: ${String(inputs)}`);
        break;
      }
    }
  }
  return mismatches;
}

describe('folding keeps the meaning of', () => {
  it.each(VALUE_OPS)('%s on every operand pattern and special input', (op) => {
    expect(foldingMismatches(singleOperationTraces(op))).toEqual([]);
  });

  it.each(VALUE_OPS.filter((op) => OPS[op].result !== null))('one-operand operations on the result of %s', (op) => {
    expect(foldingMismatches(nestedTraces(op))).toEqual([]);
  });
});
