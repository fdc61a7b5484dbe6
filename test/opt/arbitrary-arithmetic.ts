/**
 * A fast-check arbitrary of straight-line traces dense in what folding and CSE rewrite: every
 * operation that reads only values (arithmetic, comparisons, conversions, and the guards on them),
 * applied to earlier results, to a few inputs and, often, to the constants algebraic rules care
 * about (0, 1, -1, -0.0, NaN, Infinity, the ends of the safe range). The trace ends in `finish`
 * with every value it computed, so any wrong rewrite shows in the result; its inputs come with it.
 *
 * test/ir/arbitrary-trace.ts makes realistic traces (heap, loops, snapshots), where a wrong rule
 * for, say, -0.0 - x rarely reaches an observable value; this generator complements it. Unchecked
 * operations and divisions are generated on any operands: a run the evaluator rejects (overflow,
 * division by zero) says nothing about a pass, and tests skip it (`runsCleanly`).
 */
import fc from 'fast-check';
import { VmInternalError } from '../../interpreter/errors.ts';
import { evaluate } from '../../runtime/ir/evaluator.ts';
import { IR_OPS, type IrOp, OPS, hasFlag } from '../../runtime/ir/ops.ts';
import { printTrace } from '../../runtime/ir/printer.ts';
import { FrameState } from '../../runtime/ir/snapshot.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import { type Operand, type ValueKind, VALUE_KINDS, isOfKind } from '../../runtime/ir/types.ts';
import type { FakeHeap } from '../ir/fake-heap.ts';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Operations on values alone: pure or guards, no descriptor, no heap (derived from ops.ts). */
export const VALUE_OPS: readonly IrOp[] = IR_OPS.filter(
  (op) =>
    (hasFlag(op, 'pure') || hasFlag(op, 'guard')) &&
    !hasFlag(op, 'call') &&
    OPS[op].args.every((kind) => (VALUE_KINDS as readonly string[]).includes(kind)),
);

/** The constants rules look for, per kind. */
export const SPECIAL: Readonly<Record<ValueKind, readonly unknown[]>> = {
  int: [0, 1, -1, 2, MAX_SAFE, -MAX_SAFE],
  float: [0, -0, 1, -1, 0.5, NaN, Infinity, -Infinity],
  bool: [true, false],
  ref: [null, 5, true],
};

const INPUT_KINDS: readonly ValueKind[] = ['int', 'int', 'float', 'float', 'bool', 'ref'];

const inputValue: Readonly<Record<ValueKind, fc.Arbitrary<unknown>>> = {
  int: fc.oneof(fc.constantFrom(...SPECIAL.int), fc.integer({ min: -1000, max: 1000 })),
  float: fc.oneof(fc.constantFrom(...SPECIAL.float), fc.double()),
  bool: fc.boolean(),
  ref: fc.constantFrom(null, 0, 7, false, 'text'),
};

/** One instruction: which operation, and for each operand, a choice among values and constants. */
type Step = readonly [op: number, choices: readonly number[]];

export class ArithmeticTrace {
  constructor(
    readonly trace: Trace,
    readonly inputs: readonly unknown[],
  ) {}

  /** A copy of the inputs (the shape sameOutcome takes). */
  makeInputs(): unknown[] {
    return [...this.inputs];
  }

  [fc.toStringMethod](): string {
    return `${printTrace(this.trace)}inputs: ${fc.stringify(this.inputs)}`;
  }
}

export function arbitraryArithmetic(fake: FakeHeap): fc.Arbitrary<ArithmeticTrace> {
  const step: fc.Arbitrary<Step> = fc.tuple(
    fc.nat({ max: VALUE_OPS.length - 1 }),
    fc.array(fc.nat(), { minLength: 2, maxLength: 2 }),
  );
  return fc
    .record({
      inputs: fc.tuple(...INPUT_KINDS.map((kind) => inputValue[kind])),
      steps: fc.array(step, { minLength: 1, maxLength: 12 }),
    })
    .map(({ inputs, steps }) => new ArithmeticTrace(build(fake, steps), inputs));
}

function build(fake: FakeHeap, steps: readonly Step[]): Trace {
  const b = new TraceBuilder('bridge', 'arithmetic');
  const values: Operand[] = INPUT_KINDS.map((kind) => b.input(kind));
  const method = b.constants.ref(fake.methods.run, 'Loop>>run');
  const snapshot = b.snapshot([new FrameState(method, 0, [...values])]);
  for (const [op, choices] of steps) {
    const operation = VALUE_OPS[op] as IrOp;
    const args = OPS[operation].args.map((kind, i) => operand(b, values, kind as ValueKind, choices[i] ?? 0));
    const result = b.emit(operation, args, hasFlag(operation, 'guard') ? snapshot : undefined);
    if (result !== null) values.push(result);
  }
  b.emit('finish', values.slice(INPUT_KINDS.length));
  return b.finish();
}

/** An earlier value of `kind` or, for about one choice in three, a special constant. */
function operand(b: TraceBuilder, values: readonly Operand[], kind: ValueKind, choice: number): Operand {
  const fitting = values.filter((value) => b.kindOf(value) === kind);
  const special = SPECIAL[kind];
  if (choice % 3 === 0 || fitting.length === 0) {
    const value = special[Math.floor(choice / 3) % special.length];
    return b.constants.of(kind, isOfKind(value, kind) ? value : null, null);
  }
  return fitting[choice % fitting.length] as Operand;
}

/** Whether the evaluator runs `trace` on `inputs` without finding a wrong operation. */
export function runsCleanly(trace: Trace, inputs: readonly unknown[], fake: FakeHeap): boolean {
  try {
    evaluate(trace, inputs, fake.heap, { maxIterations: 1 });
    return true;
  } catch (error) {
    if (error instanceof VmInternalError) return false;
    throw error;
  }
}
