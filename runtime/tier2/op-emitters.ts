/**
 * The JavaScript each IR operation compiles to: one entry per operation of runtime/ir/ops.ts
 * (a `Record<IrOp, ...>`, so a new operation does not compile until the backend knows it).
 *
 * Every entry must mean exactly what runtime/ir/evaluator.ts says; the differential tests
 * (test/tier2/) hold the two together. The points where plain JS would differ:
 * - int results never carry -0: `+ 0` turns -0 into +0 and leaves every other number as it is
 *   (int_mul, int_div, int_rem, float_to_int; int_neg is `0 - a`, not `-a`);
 * - the `_ovf` guards test the rounded result against ±(2^53 - 1): for a sum, difference or
 *   product of safe integers that is exactly Number.isSafeInteger of the result (an exact result
 *   beyond the range rounds to at least 2^53 in magnitude), and the `!(x <= max && x >= -max)`
 *   form also fails for NaN and the infinities (float_to_int);
 * - guard_value is Object.is: written `!==`, which agrees with it unless the expected value is
 *   a number that is 0 or NaN, where the test is `!Object.is(x, c)`.
 * Operands are locals or spliced literals, never expressions, so no operator needs parentheses
 * beyond those jsLiteral puts around negative numbers.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { CallDescr, FieldDescr, StructDescr } from '../ir/descriptors.ts';
import type { IrOp } from '../ir/ops.ts';
import type { Instruction } from '../ir/trace.ts';
import { NO_SNAPSHOT, NO_VALUE } from '../ir/types.ts';
import { TRACE_FINISH } from './trace-code.ts';
import type { TraceEmitter } from './trace-emitter.ts';

type OpEmitter = (e: TraceEmitter, instruction: Instruction) => void;

/** A value computed from the operand texts: `const x = f(a, b);`. */
const pure =
  (f: (...a: string[]) => string): OpEmitter =>
  (e, instruction) =>
    void e.define(instruction, f(...e.argsFrom(instruction, 0)));

const binary = (operator: string): OpEmitter => pure((a, b) => `${a} ${operator} ${b}`);

/** `!(x <= 2^53 - 1 && x >= -(2^53 - 1))`: x is not a safe integer (x an integer, NaN or ±Infinity). */
function notSafe(e: TraceEmitter, x: string): string {
  return `!(${x} <= ${e.lit(Number.MAX_SAFE_INTEGER)} && ${x} >= ${e.lit(-Number.MAX_SAFE_INTEGER)})`;
}

/** An int result that must be a safe integer: defined, then guarded. */
const checkedInt =
  (f: (...a: string[]) => string): OpEmitter =>
  (e, instruction) =>
    e.exitIf(instruction, notSafe(e, e.define(instruction, f(...e.argsFrom(instruction, 0)))));

/** A guard on the operand texts: leaves when `failure(a, b)` holds. */
const guard =
  (failure: (...a: string[]) => string): OpEmitter =>
  (e, instruction) =>
    e.exitIf(instruction, failure(...e.argsFrom(instruction, 0)));

function descriptor<D>(e: TraceEmitter, instruction: Instruction, i: number, type: new (...a: never[]) => D): D {
  const value = e.constArg(instruction, i);
  if (!(value instanceof type)) throw new VmInternalError(`${instruction.op}: operand ${i} is not a ${type.name}`);
  return value;
}

/** A call; one with a snapshot (a residual call's exception exit) leaves through it if it throws. */
function call(e: TraceEmitter, instruction: Instruction): void {
  const fn = e.object(descriptor(e, instruction, 0, CallDescr).fn);
  const text = `${fn}(${e.argsFrom(instruction, 1).join(', ')})`;
  if (instruction.snapshot !== NO_SNAPSHOT) e.callOrExit(instruction, text);
  else if (instruction.result === NO_VALUE) e.w.line(`${text};`);
  else e.define(instruction, text);
}

function guardValue(e: TraceEmitter, instruction: Instruction): void {
  const expected = e.constArg(instruction, 1);
  const [x, c] = e.argsFrom(instruction, 0);
  const sameValueOnly = typeof expected === 'number' && (expected === 0 || Number.isNaN(expected));
  e.exitIf(instruction, sameValueOnly ? `!Object.is(${x}, ${c})` : `${x} !== ${c}`);
}

/** guard_class: the heap model's inline test for the class, where it has one, else `H.classOf`. */
function guardClass(e: TraceEmitter, instruction: Instruction): void {
  const [x, c] = e.argsFrom(instruction, 0);
  const test = e.heap?.classTest?.(e.constArg(instruction, 1)) ?? null;
  const failure =
    test === null
      ? `H.classOf(${x}) !== ${c}`
      : test.kind === 'typeof'
        ? `typeof ${x} !== ${JSON.stringify(test.type)}`
        : test.kind === 'is'
          ? `${x} !== ${String(test.value)}`
          : `typeof ${x} !== "object" || ${x} === null || ${x}.${e.propertyName(test.property)} !== ${c}`;
  e.exitIf(instruction, failure);
}

// prettier-ignore
export const OP_EMITTERS: Record<IrOp, OpEmitter> = {
  int_add: binary('+'),
  int_sub: binary('-'),
  int_mul: pure((a, b) => `${a} * ${b} + 0`),
  int_add_ovf: checkedInt((a, b) => `${a} + ${b}`),
  int_sub_ovf: checkedInt((a, b) => `${a} - ${b}`),
  int_mul_ovf: checkedInt((a, b) => `${a} * ${b} + 0`),
  int_neg: pure((a) => `0 - ${a}`),
  int_div: pure((a, b) => `Math.trunc(${a} / ${b}) + 0`),
  int_mod: (e, ins) => void e.define(ins, `${e.useHelper('intMod')}(${e.argsFrom(ins, 0).join(', ')})`),
  int_rem: pure((a, b) => `${a} % ${b} + 0`),
  int_and: binary('&'),
  int_or: binary('|'),
  int_xor: binary('^'),
  int_lt: binary('<'),
  int_le: binary('<='),
  int_gt: binary('>'),
  int_ge: binary('>='),
  int_eq: binary('==='),
  int_ne: binary('!=='),
  float_add: binary('+'),
  float_sub: binary('-'),
  float_mul: binary('*'),
  float_div: binary('/'),
  float_neg: pure((a) => `-${a}`),
  float_sqrt: pure((a) => `Math.sqrt(${a})`),
  float_lt: binary('<'),
  float_le: binary('<='),
  float_gt: binary('>'),
  float_ge: binary('>='),
  float_eq: binary('==='),
  float_ne: binary('!=='),
  int_to_float: pure((a) => a),
  float_to_int: checkedInt((a) => `Math.trunc(${a}) + 0`),
  int_to_ref: pure((a) => a),
  bool_to_ref: pure((a) => a),
  ref_to_int: (e, ins) => {
    e.exitIf(ins, `!Number.isSafeInteger(${e.arg(ins, 0)})`);
    e.define(ins, e.arg(ins, 0));
  },
  ref_to_bool: (e, ins) => {
    e.exitIf(ins, `typeof ${e.arg(ins, 0)} !== ${e.lit('boolean')}`);
    e.define(ins, e.arg(ins, 0));
  },
  bool_not: pure((a) => `!${a}`),
  ref_eq: binary('==='),
  ref_ne: binary('!=='),
  ref_is_null: pure((a) => `${a} === null`),
  getfield: (e, ins) => void e.define(ins, `${e.receiver(ins, 0)}.${e.property(descriptor(e, ins, 1, FieldDescr))}`),
  setfield: (e, ins) => e.w.line(`${e.receiver(ins, 0)}.${e.property(descriptor(e, ins, 1, FieldDescr))} = ${e.arg(ins, 2)};`),
  new_struct: (e, ins) => {
    const ctor = e.object(descriptor(e, ins, 0, StructDescr).ctor);
    e.define(ins, `new ${ctor}(${e.argsFrom(ins, 1).join(', ')})`);
  },
  new_array: pure((n) => `new Array(${n}).fill(null)`),
  arraylen: (e, ins) => void e.define(ins, `${e.receiver(ins, 0)}.length`),
  getarrayitem: (e, ins) => void e.define(ins, `${e.receiver(ins, 0)}[${e.arg(ins, 1)}]`),
  setarrayitem: (e, ins) => e.w.line(`${e.receiver(ins, 0)}[${e.arg(ins, 1)}] = ${e.arg(ins, 2)};`),
  call_pure: call,
  call,
  guard_true: guard((b) => `!${b}`),
  guard_false: guard((b) => b),
  guard_class: guardClass,
  guard_value: guardValue,
  guard_nonnull: guard((r) => `${r} === null`),
  guard_isnull: guard((r) => `${r} !== null`),
  guard_in_bounds: guard((i, n) => `!(${i} >= 0 && ${i} < ${n})`),
  label: (e, ins) => e.label(ins),
  jump: (e, ins) => e.jump(ins),
  finish: (e, ins) => e.handOut(ins.args, TRACE_FINISH),
  jump_trace: (e, ins) => e.jumpTrace(ins),
};
