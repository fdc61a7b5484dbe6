/**
 * Every operation on plain values compiles to code that means what the reference evaluator
 * says, at the values where JavaScript and the IR part ways: -0, NaN, the infinities, 2^31 and
 * 2^32 (int32 bit operations), 2^53 (safe-integer overflow), negative divisors. The list of
 * operations comes from ops.ts (all whose operands are values), so a new one is tested here
 * as soon as it exists. Combinations the evaluator refuses as outside an operation's contract
 * (an unchecked add that overflows, a division by zero) are skipped: no trace may contain them.
 */
import { describe, expect, it } from 'vitest';
import { VmInternalError } from '../../interpreter/errors.ts';
import { type EvalResult, evaluate } from '../../runtime/ir/evaluator.ts';
import { IR_OPS, type IrOp, OPS, hasFlag, isGuard } from '../../runtime/ir/ops.ts';
import { FrameState } from '../../runtime/ir/snapshot.ts';
import { type Trace, isLiteralValue } from '../../runtime/ir/trace.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import { NO_SNAPSHOT, type ValueKind, VALUE_KINDS } from '../../runtime/ir/types.ts';
import { compileTrace } from '../../runtime/tier2/backend.ts';
import { type TraceOutcome, runTrace } from '../../runtime/tier2/trace-code.ts';
import { FakeDouble, makeFakeHeap } from '../ir/fake-heap.ts';

const fake = makeFakeHeap();
const MAX = Number.MAX_SAFE_INTEGER;

const VALUES: Readonly<Record<ValueKind, readonly unknown[]>> = {
  int: [0, 1, -1, 2, 3, -7, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 + 5, 94906266, MAX, -MAX, 2 ** 52 + 1],
  float: [0, -0, 0.5, -0.5, -2.5, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53), MAX, 1e300, 5e-324, 4294967296.7],
  bool: [true, false],
  ref: [null, 0, 7, -3, 2 ** 53, 1.5, true, false, 'a', fake.pi, [1], new FakeDouble(0)],
};

const isValueKind = (kind: string): kind is ValueKind => (VALUE_KINDS as readonly string[]).includes(kind);

/** Operations whose operands are all plain values, without effects on the heap or control. */
const VALUE_OPS = IR_OPS.filter(
  (op) =>
    OPS[op].args.length > 0 &&
    OPS[op].args.every(isValueKind) &&
    !(['load', 'store', 'alloc', 'call', 'control'] as const).some((flag) => hasFlag(op, flag)),
);

/** `op` applied to the inputs, its result handed out by finish; a guard's snapshot names the inputs. */
function opTrace(op: IrOp, kinds: readonly ValueKind[]): Trace {
  const b = new TraceBuilder('bridge', 'Loop>>run');
  const inputs = kinds.map((kind) => b.input(kind));
  const method = b.constants.ref(fake.methods.run, 'Loop>>run');
  const snapshot = isGuard(op) ? b.snapshot([new FrameState(method, 0, inputs)]) : NO_SNAPSHOT;
  const result = b.emit(op, inputs, snapshot);
  b.emit('finish', result === null ? [] : [result]);
  return b.finish();
}

/** All combinations of one value per kind. */
function combinations(kinds: readonly ValueKind[]): unknown[][] {
  return kinds.reduce<unknown[][]>((rows, kind) => rows.flatMap((row) => VALUES[kind].map((v) => [...row, v])), [[]]);
}

function evaluated(trace: Trace, inputs: unknown[]): EvalResult | 'outside the contract' {
  try {
    return evaluate(trace, inputs, fake.heap, { maxIterations: 1 });
  } catch (e) {
    if (e instanceof VmInternalError) return 'outside the contract';
    throw e;
  }
}

function comparable(result: EvalResult | TraceOutcome): unknown {
  if (result.kind === 'throw') return { kind: 'throw', frames: result.frames, exception: result.exception };
  return result.kind === 'exit' ? { kind: 'exit', frames: result.frames } : result;
}

/** Runs `trace` both ways on every combination; answers how many were inside the contract. */
function expectAgreement(trace: Trace, kinds: readonly ValueKind[]): number {
  const compiled = compileTrace(trace, fake.heap);
  let checked = 0;
  for (const inputs of combinations(kinds)) {
    const expected = evaluated(trace, inputs);
    if (expected === 'outside the contract') continue;
    checked++;
    expect(comparable(runTrace(compiled, inputs)), `${trace.ops[0]?.op} ${inputs.map(String).join(' ')}`).toStrictEqual(
      comparable(expected),
    );
  }
  return checked;
}

describe('operations on values', () => {
  it('cover the arithmetic, comparisons, conversions and value guards of ops.ts', () => {
    expect(VALUE_OPS).toEqual(expect.arrayContaining(['int_mod', 'int_mul_ovf', 'float_to_int', 'guard_in_bounds']));
    expect(VALUE_OPS.length).toBeGreaterThanOrEqual(45);
  });

  it.each(VALUE_OPS)('%s agrees with the reference evaluator', (op) => {
    const kinds = OPS[op].args.filter(isValueKind);
    expect(expectAgreement(opTrace(op, kinds), kinds)).toBeGreaterThan(0);
  });

  it.each(VALUE_KINDS)('guard_value on a %s compares as Object.is', (kind) => {
    for (const expected of VALUES[kind]) {
      const b = new TraceBuilder('bridge', 'Loop>>run');
      const x = b.input(kind);
      const method = b.constants.ref(fake.methods.run, 'Loop>>run');
      const label = isLiteralValue(expected) ? null : 'expected';
      b.emit('guard_value', [x, b.constants.of(kind, expected, label)], b.snapshot([new FrameState(method, 0, [x])]));
      b.emit('finish', [x]);
      expect(expectAgreement(b.finish(), [kind])).toBe(VALUES[kind].length);
    }
  });
});
