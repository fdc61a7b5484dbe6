/**
 * The operation table: the one place where trace-IR operations are defined (STYLE.md §3).
 *
 * Each entry gives an operation's operand kinds, its result kind and its flags. Everything else
 * is derived from it or keyed on `IrOp`: the builder's operand checks (signature.ts), the text
 * form (printer.ts, parser.ts), the reference semantics (evaluator.ts, a `Record<IrOp, ...>`),
 * the optimiser's rules and the backend. A new operation is added here first; tsc then refuses
 * to compile until the evaluator (and the backend) say what it means.
 *
 * Operand kinds:
 * - `int` `float` `bool` `ref`: a value (IrRef or constant) of that kind;
 * - `any`: a value of any kind;
 * - `const`: a constant of the same kind as the operand before it (guard_value's expected value);
 * - `class`: a ref constant, the class guard_class compares with (opaque);
 * - `target`: a ref constant naming another compiled trace (opaque; jump_trace);
 * - `field`, `struct`, `call`: a constant holding a FieldDescr, StructDescr or CallDescr;
 * - `elidable`: a constant holding a CallDescr of an elidable function (call_pure);
 * - `descr`: a value of the kind the descriptor before it gives (setfield's new value);
 * - `...any`: any number of values of any kinds (last position only);
 * - `...descr`: as many values as the descriptor before it has fields or arguments, of their kinds.
 *
 * Result kinds: a value kind; `descr` (the field's kind for getfield, the CallDescr's result for
 * calls, possibly none); `params` (label only: one fresh value per operand, of its kind: the
 * loop-carried values of the peeled loop, so the loop body is SSA); null (no value).
 *
 * Flags:
 * - `pure`: no side effect and the result depends only on the operands (CSE may merge two);
 *   a pure guard (int_add_ovf) may still fail;
 * - `guard`: may fail; carries a snapshot and leaves the trace through it when it does;
 * - `throws`: may throw (a residual call's JS function may throw anything: a SOM error, a
 *   non-local return, a JS RangeError); may carry a snapshot, which is then the state to resume
 *   with the exception pending: if the operation throws, the trace leaves through that snapshot
 *   (an exception exit) instead of letting the exception propagate out of the trace code. The
 *   snapshot is taken before the operation, so it cannot name the operation's own result;
 * - `alloc`: allocates a fresh object (nothing else refers to it yet);
 * - `load` / `store`: reads / writes a field or array element;
 * - `call`: calls a JS function from a CallDescr;
 * - `control`: label and the instructions that end a trace;
 * - `end`: ends the trace (jump, finish, jump_trace): the last instruction, and only there.
 *
 * Int semantics: operands and results are safe integers and never -0; an operation whose result
 * could be -0 yields +0. Unchecked int_add/int_sub/int_mul are for when the optimiser has proved
 * the result safe; the `_ovf` forms guard it.
 */
import type { ValueKind } from './types.ts';

export type DescrKind = 'field' | 'struct' | 'call' | 'elidable';
export type ArgKind = ValueKind | 'any' | 'const' | 'class' | 'target' | DescrKind | 'descr';
export type VariadicKind = '...any' | '...descr';
export type OperandKind = ArgKind | VariadicKind;
export type ResultKind = ValueKind | 'descr' | 'params' | null;
export type OpFlag = 'pure' | 'guard' | 'throws' | 'alloc' | 'load' | 'store' | 'call' | 'control' | 'end';

export interface OpInfo {
  readonly args: readonly OperandKind[];
  readonly result: ResultKind;
  readonly flags: readonly OpFlag[];
  readonly doc: string;
}

const II = ['int', 'int'] as const;
const FF = ['float', 'float'] as const;
const PURE = ['pure'] as const;
const PURE_GUARD = ['pure', 'guard'] as const;
const GUARD = ['guard'] as const;
const END = ['control', 'end'] as const;

// prettier-ignore
export const OPS = {
  // ints
  int_add:       { args: II, result: 'int', flags: PURE, doc: 'a + b; the optimiser proved it safe' },
  int_sub:       { args: II, result: 'int', flags: PURE, doc: 'a - b; the optimiser proved it safe' },
  int_mul:       { args: II, result: 'int', flags: PURE, doc: 'a * b (+0 for -0); the optimiser proved it safe' },
  int_add_ovf:   { args: II, result: 'int', flags: PURE_GUARD, doc: 'a + b; fails if not a safe integer' },
  int_sub_ovf:   { args: II, result: 'int', flags: PURE_GUARD, doc: 'a - b; fails if not a safe integer' },
  int_mul_ovf:   { args: II, result: 'int', flags: PURE_GUARD, doc: 'a * b (+0 for -0); fails if not a safe integer' },
  int_neg:       { args: ['int'], result: 'int', flags: PURE, doc: '0 - a (never overflows)' },
  int_div:       { args: II, result: 'int', flags: PURE, doc: 'quotient truncated toward zero (SOM /); b is not 0' },
  int_mod:       { args: II, result: 'int', flags: PURE, doc: 'floored modulo, sign of b (SOM \\\\); b is not 0' },
  int_rem:       { args: II, result: 'int', flags: PURE, doc: 'truncated remainder, sign of a (SOM rem:); b is not 0' },
  int_and:       { args: II, result: 'int', flags: PURE, doc: 'JS a & b (on the operands as int32)' },
  int_or:        { args: II, result: 'int', flags: PURE, doc: 'JS a | b (on the operands as int32)' },
  int_xor:       { args: II, result: 'int', flags: PURE, doc: 'JS a ^ b (on the operands as int32)' },
  int_lt:        { args: II, result: 'bool', flags: PURE, doc: 'a < b' },
  int_le:        { args: II, result: 'bool', flags: PURE, doc: 'a <= b' },
  int_gt:        { args: II, result: 'bool', flags: PURE, doc: 'a > b' },
  int_ge:        { args: II, result: 'bool', flags: PURE, doc: 'a >= b' },
  int_eq:        { args: II, result: 'bool', flags: PURE, doc: 'a === b' },
  int_ne:        { args: II, result: 'bool', flags: PURE, doc: 'a !== b' },
  // floats (IEEE double semantics, as JS)
  float_add:     { args: FF, result: 'float', flags: PURE, doc: 'a + b' },
  float_sub:     { args: FF, result: 'float', flags: PURE, doc: 'a - b' },
  float_mul:     { args: FF, result: 'float', flags: PURE, doc: 'a * b' },
  float_div:     { args: FF, result: 'float', flags: PURE, doc: 'a / b' },
  float_neg:     { args: ['float'], result: 'float', flags: PURE, doc: '-a' },
  float_sqrt:    { args: ['float'], result: 'float', flags: PURE, doc: 'Math.sqrt(a) (NaN for a < 0)' },
  float_lt:      { args: FF, result: 'bool', flags: PURE, doc: 'a < b (false with NaN)' },
  float_le:      { args: FF, result: 'bool', flags: PURE, doc: 'a <= b (false with NaN)' },
  float_gt:      { args: FF, result: 'bool', flags: PURE, doc: 'a > b (false with NaN)' },
  float_ge:      { args: FF, result: 'bool', flags: PURE, doc: 'a >= b (false with NaN)' },
  float_eq:      { args: FF, result: 'bool', flags: PURE, doc: 'a === b (-0 equals 0, NaN equals nothing)' },
  float_ne:      { args: FF, result: 'bool', flags: PURE, doc: 'a !== b' },
  // conversions
  int_to_float:  { args: ['int'], result: 'float', flags: PURE, doc: 'the same number as a double' },
  float_to_int:  { args: ['float'], result: 'int', flags: PURE_GUARD, doc: 'truncated toward zero (+0 for -0); fails if not a safe integer' },
  int_to_ref:    { args: ['int'], result: 'ref', flags: PURE, doc: 'the same JS value as a ref (no-op at run time)' },
  bool_to_ref:   { args: ['bool'], result: 'ref', flags: PURE, doc: 'the same JS value as a ref (no-op at run time)' },
  ref_to_int:    { args: ['ref'], result: 'int', flags: PURE_GUARD, doc: 'the same value as an int; fails unless a safe integer' },
  ref_to_bool:   { args: ['ref'], result: 'bool', flags: PURE_GUARD, doc: 'the same value as a bool; fails unless a boolean' },
  // bools and refs
  bool_not:      { args: ['bool'], result: 'bool', flags: PURE, doc: '!a' },
  ref_eq:        { args: ['ref', 'ref'], result: 'bool', flags: PURE, doc: 'a === b (identity)' },
  ref_ne:        { args: ['ref', 'ref'], result: 'bool', flags: PURE, doc: 'a !== b' },
  ref_is_null:   { args: ['ref'], result: 'bool', flags: PURE, doc: 'a === null' },
  // heap
  getfield:      { args: ['ref', 'field'], result: 'descr', flags: ['load'], doc: 'obj[field.property]' },
  setfield:      { args: ['ref', 'field', 'descr'], result: null, flags: ['store'], doc: 'obj[field.property] = v' },
  new_struct:    { args: ['struct', '...descr'], result: 'ref', flags: ['alloc'], doc: 'new struct.ctor(...fields)' },
  new_array:     { args: ['int'], result: 'ref', flags: ['alloc'], doc: 'a JS array of length n (n >= 0) filled with null' },
  arraylen:      { args: ['ref'], result: 'int', flags: ['load'], doc: 'array.length (or a JS string\'s length: neither ever changes)' },
  getarrayitem:  { args: ['ref', 'int'], result: 'ref', flags: ['load'], doc: 'array[i]; 0 <= i < length' },
  setarrayitem:  { args: ['ref', 'int', 'ref'], result: null, flags: ['store'], doc: 'array[i] = v; 0 <= i < length' },
  // calls
  call_pure:     { args: ['elidable', '...descr'], result: 'descr', flags: ['pure', 'call'], doc: 'call of an elidable function: CSE-able, folded on constants' },
  call:          { args: ['call', '...descr'], result: 'descr', flags: ['call', 'throws'], doc: 'residual call: may read and write any memory, may throw (leaving through its snapshot, if it has one)' },
  // guards
  guard_true:    { args: ['bool'], result: null, flags: GUARD, doc: 'fails unless b' },
  guard_false:   { args: ['bool'], result: null, flags: GUARD, doc: 'fails if b' },
  guard_class:   { args: ['ref', 'class'], result: null, flags: GUARD, doc: 'fails unless HeapModel.classOf(r) === C' },
  guard_value:   { args: ['any', 'const'], result: null, flags: GUARD, doc: 'fails unless Object.is(x, c); x is c from here on' },
  guard_nonnull: { args: ['ref'], result: null, flags: GUARD, doc: 'fails if r === null' },
  guard_isnull:  { args: ['ref'], result: null, flags: GUARD, doc: 'fails unless r === null' },
  guard_in_bounds: { args: II, result: null, flags: GUARD, doc: 'fails unless 0 <= index < length' },
  // control
  label:         { args: ['...any'], result: 'params', flags: ['control'], doc: 'loop header: its params take the operands on entry and the jump arguments on each iteration' },
  jump:          { args: ['...any'], result: null, flags: END, doc: 'back to the label with new params, or, without a label, to the start with new inputs' },
  finish:        { args: ['...any'], result: null, flags: END, doc: 'leave the trace normally with these values' },
  jump_trace:    { args: ['target', '...any'], result: null, flags: END, doc: 'continue in another compiled trace with these inputs' },
} as const satisfies Record<string, OpInfo>;

export type IrOp = keyof typeof OPS;

/** Every operation, in table order (tests iterate it; nothing numbers operations). */
export const IR_OPS = Object.keys(OPS) as IrOp[];

const OP_NAMES: ReadonlySet<string> = new Set(IR_OPS);

export function isIrOp(name: string): name is IrOp {
  return OP_NAMES.has(name);
}

export function opInfo(op: IrOp): OpInfo {
  return OPS[op];
}

const FLAG_BIT: Readonly<Record<OpFlag, number>> = {
  pure: 1,
  guard: 2,
  alloc: 4,
  load: 8,
  store: 16,
  call: 32,
  control: 64,
  end: 128,
  throws: 256,
};

/** The flags as bit sets, computed once, so `hasFlag` is one lookup and one `&`. */
const OP_FLAG_BITS = Object.fromEntries(
  IR_OPS.map((op) => [op, OPS[op].flags.reduce((bits: number, flag: OpFlag) => bits | FLAG_BIT[flag], 0)]),
) as Record<IrOp, number>;

export function hasFlag(op: IrOp, flag: OpFlag): boolean {
  return (OP_FLAG_BITS[op] & FLAG_BIT[flag]) !== 0;
}

export function isGuard(op: IrOp): boolean {
  return (OP_FLAG_BITS[op] & FLAG_BIT.guard) !== 0;
}

/**
 * Whether an instruction of `op` carries a snapshot: a guard always (`required`), an operation
 * that may throw when the recorder gave it one (`optional`: its exception exit), others never.
 */
export type SnapshotUse = 'required' | 'optional' | 'none';

export function snapshotUse(op: IrOp): SnapshotUse {
  const bits = OP_FLAG_BITS[op];
  if ((bits & FLAG_BIT.guard) !== 0) return 'required';
  return (bits & FLAG_BIT.throws) !== 0 ? 'optional' : 'none';
}

/** The trace ends here: jump, finish or jump_trace (label is control but falls through). */
export function isEnd(op: IrOp): boolean {
  return (OP_FLAG_BITS[op] & FLAG_BIT.end) !== 0;
}
