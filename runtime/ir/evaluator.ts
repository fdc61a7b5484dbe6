/**
 * The reference interpreter of the trace IR: the meaning of every operation, in one table.
 *
 * `SEMANTICS` is a `Record<IrOp, ...>`: an operation added to ops.ts does not compile until it
 * has an entry here. Its operand-only part is exported (`evaluateOperands`) for constant
 * folding. The optimiser and the backend are tested against this evaluator (differential tests
 * on generated traces): an optimised trace and the compiled JavaScript must give the same result
 * and leave through the same exit with the same frames.
 *
 * It is also a checker. An operation used outside its contract (an unchecked int_add past 2^53,
 * a division by zero the trace did not guard, a field read from the wrong object, an array
 * index out of bounds, a store to an immutable field) is not given some value: it throws
 * VmInternalError, because the trace, or the pass that produced it, is wrong. Every result is
 * checked against its kind (ints are safe integers and never -0).
 *
 * Exceptions: a residual call whose function throws leaves the trace through its snapshot when
 * it carries one (result kind `throw`, with the exception: its exception exit); without one the
 * exception propagates out of `evaluate`, as it does out of compiled code.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { CallDescr, FieldDescr, type HeapModel, StructDescr, constructStruct, invokeCall } from './descriptors.ts';
import { type IrOp, snapshotUse } from './ops.ts';
import { type ExitFrame, materialize } from './snapshot.ts';
import type { Instruction, Trace } from './trace.ts';
import { type IrRef, type SnapshotId, NO_SNAPSHOT, NO_VALUE, isConstant, isOfKind } from './types.ts';

export interface EvalOptions {
  /** Stop (result 'limit') when the loop has jumped back this many times. */
  readonly maxIterations: number;
}

export type EvalResult =
  /** A guard failed: the snapshot it carries, the failing guard's index in `ops`, the frames to resume. */
  | { readonly kind: 'exit'; readonly snapshot: SnapshotId; readonly guard: number; readonly frames: ExitFrame[] }
  /**
   * An operation with an exception exit (a residual call with a snapshot) threw `exception`: the
   * snapshot it carries, its index in `ops` (`guard`, as for a guard's exit), the frames to resume
   * with the exception pending. A call without a snapshot that throws ends `evaluate` by throwing.
   */
  | {
      readonly kind: 'throw';
      readonly snapshot: SnapshotId;
      readonly guard: number;
      readonly frames: ExitFrame[];
      readonly exception: unknown;
    }
  | { readonly kind: 'finish'; readonly values: unknown[] }
  | { readonly kind: 'jump_trace'; readonly target: unknown; readonly values: unknown[] }
  /** The loop jumped back `maxIterations` times; `values`: the arguments of the last jump. */
  | { readonly kind: 'limit'; readonly values: unknown[] };

/** What a guard's semantics answers when it fails. */
const FAIL = Symbol('guard failed');

/** The state of one evaluation; control operations move `next` or set `outcome`. */
class Machine {
  readonly values: unknown[];
  next = 0;
  iterations = 0;
  outcome: EvalResult | null = null;

  constructor(
    readonly trace: Trace,
    readonly heap: HeapModel,
    readonly maxIterations: number,
  ) {
    this.values = new Array<unknown>(trace.valueCount);
  }

  /** Binds `refs` (inputs or label parameters) to `values`. */
  bind(refs: readonly IrRef[], values: readonly unknown[]): void {
    for (const [i, ref] of refs.entries()) this.values[ref] = values[i];
  }

  jump(values: readonly unknown[]): void {
    const label = this.trace.label;
    this.bind(label === null ? this.trace.inputs : label.params, values);
    this.next = this.trace.labelIndex + 1;
    if (++this.iterations >= this.maxIterations) this.outcome = { kind: 'limit', values: [...values] };
  }
}

type Semantics = (a: readonly unknown[], m: Machine, instruction: Instruction) => unknown;

// The builder and verify check operand kinds, so these reads only tell TypeScript what is there.
const num = (a: readonly unknown[], i: number): number => a[i] as number;
const bool = (a: readonly unknown[], i: number): boolean => a[i] as boolean;

/** +0 for -0: int results never carry a negative zero. */
const noNegativeZero = (x: number): number => (x === 0 ? 0 : x);

function divisor(a: readonly unknown[]): number {
  const b = num(a, 1);
  if (b === 0) throw new VmInternalError('integer division by zero: the trace must guard the divisor');
  return b;
}

function safeOrFail(x: number): number | typeof FAIL {
  return Number.isSafeInteger(x) ? noNegativeZero(x) : FAIL;
}

function failUnless(condition: boolean): typeof FAIL | undefined {
  return condition ? undefined : FAIL;
}

function object(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new VmInternalError(`${what} on ${String(value)}`);
  return value as Record<string, unknown>;
}

function field(value: unknown, descr: unknown): [Record<string, unknown>, FieldDescr] {
  if (!(descr instanceof FieldDescr)) throw new VmInternalError('getfield/setfield without a FieldDescr');
  const target = object(value, `field ${descr.label}`);
  if (!(descr.property in target)) throw new VmInternalError(`${descr.label} read from an object without it`);
  return [target, descr];
}

function element(a: readonly unknown[]): [unknown[], number] {
  const array = a[0];
  const index = num(a, 1);
  if (!Array.isArray(array)) throw new VmInternalError(`array access on ${String(array)}`);
  if (!(index >= 0 && index < array.length)) throw new VmInternalError(`array index ${index} out of bounds`);
  return [array as unknown[], index];
}

function callDescr(value: unknown): CallDescr {
  if (!(value instanceof CallDescr)) throw new VmInternalError('call without a CallDescr');
  return value;
}

/**
 * The operations whose meaning depends on their operand values alone: every pure operation
 * (elidable calls included) and the guards that ask nothing of the heap. Constant folding
 * (runtime/opt/fold.ts) evaluates them through `evaluateOperands`, so the arithmetic is written
 * once, here.
 */
// prettier-ignore
const OPERAND_SEMANTICS = {
  int_add: (a) => num(a, 0) + num(a, 1),
  int_sub: (a) => num(a, 0) - num(a, 1),
  int_mul: (a) => noNegativeZero(num(a, 0) * num(a, 1)),
  int_add_ovf: (a) => safeOrFail(num(a, 0) + num(a, 1)),
  int_sub_ovf: (a) => safeOrFail(num(a, 0) - num(a, 1)),
  int_mul_ovf: (a) => safeOrFail(num(a, 0) * num(a, 1)),
  int_neg: (a) => 0 - num(a, 0),
  // Exact for safe operands (interpreter/model/integers.ts intDiv).
  int_div: (a) => noNegativeZero(Math.trunc(num(a, 0) / divisor(a))),
  int_mod: (a) => {
    const b = divisor(a);
    const r = num(a, 0) % b;
    return noNegativeZero(r !== 0 && r < 0 !== b < 0 ? r + b : r);
  },
  int_rem: (a) => noNegativeZero(num(a, 0) % divisor(a)),
  int_and: (a) => num(a, 0) & num(a, 1),
  int_or: (a) => num(a, 0) | num(a, 1),
  int_xor: (a) => num(a, 0) ^ num(a, 1),
  int_lt: (a) => num(a, 0) < num(a, 1),
  int_le: (a) => num(a, 0) <= num(a, 1),
  int_gt: (a) => num(a, 0) > num(a, 1),
  int_ge: (a) => num(a, 0) >= num(a, 1),
  int_eq: (a) => num(a, 0) === num(a, 1),
  int_ne: (a) => num(a, 0) !== num(a, 1),
  float_add: (a) => num(a, 0) + num(a, 1),
  float_sub: (a) => num(a, 0) - num(a, 1),
  float_mul: (a) => num(a, 0) * num(a, 1),
  float_div: (a) => num(a, 0) / num(a, 1),
  float_neg: (a) => -num(a, 0),
  float_sqrt: (a) => Math.sqrt(num(a, 0)),
  float_lt: (a) => num(a, 0) < num(a, 1),
  float_le: (a) => num(a, 0) <= num(a, 1),
  float_gt: (a) => num(a, 0) > num(a, 1),
  float_ge: (a) => num(a, 0) >= num(a, 1),
  float_eq: (a) => num(a, 0) === num(a, 1),
  float_ne: (a) => num(a, 0) !== num(a, 1),
  int_to_float: (a) => num(a, 0),
  float_to_int: (a) => safeOrFail(Math.trunc(num(a, 0))),
  int_to_ref: (a) => a[0],
  bool_to_ref: (a) => a[0],
  ref_to_int: (a) => (Number.isSafeInteger(a[0]) ? a[0] : FAIL),
  ref_to_bool: (a) => (typeof a[0] === 'boolean' ? a[0] : FAIL),
  bool_not: (a) => !bool(a, 0),
  ref_eq: (a) => a[0] === a[1],
  ref_ne: (a) => a[0] !== a[1],
  ref_is_null: (a) => a[0] === null,
  call_pure: (a) => invokeCall(callDescr(a[0]), a.slice(1)),
  guard_true: (a) => failUnless(a[0] === true),
  guard_false: (a) => failUnless(a[0] === false),
  guard_value: (a) => failUnless(Object.is(a[0], a[1])),
  guard_nonnull: (a) => failUnless(a[0] !== null),
  guard_isnull: (a) => failUnless(a[0] === null),
  guard_in_bounds: (a) => failUnless(num(a, 0) >= 0 && num(a, 0) < num(a, 1)),
} as const satisfies Partial<Record<IrOp, (a: readonly unknown[]) => unknown>>;

/** An operation `evaluateOperands` can evaluate. */
export type OperandOp = keyof typeof OPERAND_SEMANTICS;

export function isOperandOp(op: IrOp): op is OperandOp {
  return Object.hasOwn(OPERAND_SEMANTICS, op);
}

/** What `evaluateOperands` answers for a guard that fails (a guard that holds gives undefined). */
export { FAIL as GUARD_FAILED };

/**
 * `op` applied to operand values, exactly as the evaluator runs it: the result, undefined for a
 * guard that holds, GUARD_FAILED for a guard that fails. Throws where the evaluator would
 * (division by zero: VmInternalError; an elidable function may throw whatever it throws). The
 * result is not checked against the operation's kind (an unchecked int_add may leave the safe
 * range): the caller checks it with `isOfKind`.
 */
export function evaluateOperands(op: OperandOp, args: readonly unknown[]): unknown {
  return OPERAND_SEMANTICS[op](args);
}

// prettier-ignore
const SEMANTICS: Record<IrOp, Semantics> = {
  ...OPERAND_SEMANTICS,
  getfield: (a) => {
    const [target, descr] = field(a[0], a[1]);
    return target[descr.property];
  },
  setfield: (a) => {
    const [target, descr] = field(a[0], a[1]);
    if (descr.immutable) throw new VmInternalError(`setfield of the immutable field ${descr.label}`);
    target[descr.property] = a[2];
  },
  new_struct: (a) => {
    if (!(a[0] instanceof StructDescr)) throw new VmInternalError('new_struct without a StructDescr');
    return constructStruct(a[0], a.slice(1));
  },
  new_array: (a) => {
    const length = num(a, 0);
    if (length < 0) throw new VmInternalError(`new_array of length ${length}`);
    return new Array<unknown>(length).fill(null);
  },
  arraylen: (a) => {
    if (!Array.isArray(a[0])) throw new VmInternalError(`arraylen of ${String(a[0])}`);
    return a[0].length;
  },
  getarrayitem: (a) => {
    const [array, index] = element(a);
    return array[index];
  },
  setarrayitem: (a) => {
    const [array, index] = element(a);
    array[index] = a[2];
  },
  call: (a) => invokeCall(callDescr(a[0]), a.slice(1)),
  guard_class: (a, m) => failUnless(m.heap.classOf(a[0]) === a[1]),
  label: (a, m, instruction) => m.bind(instruction.params, a),
  jump: (a, m) => m.jump(a),
  finish: (a, m) => {
    m.outcome = { kind: 'finish', values: [...a] };
  },
  jump_trace: (a, m) => {
    m.outcome = { kind: 'jump_trace', target: a[0], values: a.slice(1) };
  },
};

/**
 * Runs `trace` from its inputs until it leaves: through a failing guard, an operation that threw
 * and has an exception exit, a finish, a jump to another trace, or the iteration limit.
 */
export function evaluate(trace: Trace, inputs: readonly unknown[], heap: HeapModel, options: EvalOptions): EvalResult {
  checkInputs(trace, inputs);
  const m = new Machine(trace, heap, options.maxIterations);
  m.bind(trace.inputs, inputs);
  const constants = trace.constants;
  for (;;) {
    const index = m.next;
    const instruction = trace.ops[index];
    if (instruction === undefined) throw new VmInternalError(`trace ${trace.name} ran past its end`);
    m.next = index + 1;
    const args = instruction.args.map((operand) =>
      isConstant(operand) ? constants.value(operand) : m.values[operand],
    );
    let result: unknown;
    try {
      result = SEMANTICS[instruction.op](args, m, instruction);
    } catch (exception) {
      if (!hasExceptionExit(instruction)) throw exception;
      return { ...exit(m, instruction, index), kind: 'throw', exception };
    }
    if (result === FAIL) return exit(m, instruction, index);
    if (m.outcome !== null) return m.outcome;
    if (instruction.result !== NO_VALUE) m.values[instruction.result] = checked(result, instruction);
  }
}

function checkInputs(trace: Trace, inputs: readonly unknown[]): void {
  if (inputs.length !== trace.inputs.length) {
    throw new VmInternalError(`trace ${trace.name} takes ${trace.inputs.length} inputs, given ${inputs.length}`);
  }
  for (const [i, ref] of trace.inputs.entries()) {
    if (!isOfKind(inputs[i], trace.kindOf(ref))) {
      throw new VmInternalError(`input ${i} of ${trace.name} is not a ${trace.kindOf(ref)}: ${String(inputs[i])}`);
    }
  }
}

function checked(result: unknown, instruction: Instruction): unknown {
  if (instruction.kind !== null && !isOfKind(result, instruction.kind)) {
    throw new VmInternalError(
      `${instruction.op} produced ${String(result)}, not a ${instruction.kind}: the trace is wrong`,
    );
  }
  return result;
}

/** Whether `instruction` leaves through its snapshot when it throws (ops.ts, flag `throws`). */
function hasExceptionExit(instruction: Instruction): boolean {
  return instruction.snapshot !== NO_SNAPSHOT && snapshotUse(instruction.op) === 'optional';
}

/** The exit through the snapshot of `guard` (a guard, or an operation that threw), at `index`. */
function exit(m: Machine, guard: Instruction, index: number): EvalResult & { kind: 'exit' } {
  if (guard.snapshot === NO_SNAPSHOT) throw new VmInternalError(`${guard.op} failed without a snapshot`);
  const snapshot = m.trace.snapshot(guard.snapshot);
  const frames = materialize(snapshot, m.trace.constants, (ref) => m.values[ref]);
  return { kind: 'exit', snapshot: snapshot.id, guard: index, frames };
}
