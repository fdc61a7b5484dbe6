/**
 * Value kinds and the branded numbers of the tier-2 trace IR.
 *
 * Every IR value has one of four kinds: `int` (a SOM small Integer: a safe integer, never -0),
 * `float` (a double, any JS number), `bool` (a JS boolean) and `ref` (whatever the VM keeps in a
 * slot: an object, null, or a number or boolean that happens to be a SOM value; opaque to the
 * optimiser). Operands are single numbers, LuaJIT style: an `IrRef` (>= 0) names a value defined
 * in the trace, a `ConstRef` (< 0) names an entry of the trace's constant pool (-1 is entry 0).
 * The brands cost nothing at run time and keep a pc, a snapshot id and a value apart.
 */

export type ValueKind = 'int' | 'float' | 'bool' | 'ref';

/** The kinds, in the order the text form and tests enumerate them. */
export const VALUE_KINDS = ['int', 'float', 'bool', 'ref'] as const satisfies readonly ValueKind[];

/** The letter that names a value of each kind in the text form (`i3`, `f4`, `b5`, `r6`). */
export const KIND_LETTER = { int: 'i', float: 'f', bool: 'b', ref: 'r' } as const satisfies Record<ValueKind, string>;

declare const brand: unique symbol;

/** A value defined in a trace: an input, an instruction's result or a label parameter. */
export type IrRef = number & { readonly [brand]: 'IrRef' };
/** A constant-pool entry: -1 - index. */
export type ConstRef = number & { readonly [brand]: 'ConstRef' };
/** What an instruction or a snapshot slot reads: a value or a constant. */
export type Operand = IrRef | ConstRef;
/** Index into `Trace.snapshots`. */
export type SnapshotId = number & { readonly [brand]: 'SnapshotId' };
/** Number of a side exit in a compiled trace's exit table (the backend assigns them). */
export type ExitId = number & { readonly [brand]: 'ExitId' };

/** `Instruction.snapshot` of an instruction that is not a guard. */
export const NO_SNAPSHOT = -1;
/** `Instruction.result` of an instruction that defines no single value. */
export const NO_VALUE = -1;

export function isConstant(operand: Operand): operand is ConstRef {
  return operand < 0;
}

export function isValueRef(operand: Operand): operand is IrRef {
  return operand >= 0;
}

export function irRef(index: number): IrRef {
  return index as IrRef;
}

export function snapshotId(index: number): SnapshotId {
  return index as SnapshotId;
}

export function exitId(index: number): ExitId {
  return index as ExitId;
}

/** The operand naming pool entry `index`. */
export function constRef(index: number): ConstRef {
  return (-1 - index) as ConstRef;
}

/** The pool index a constant operand names. */
export function constIndex(operand: ConstRef): number {
  return -1 - operand;
}

/**
 * Whether a JS value may be held by a value of `kind`. The evaluator checks every result with
 * it, so an operation that leaves its kind (an unchecked int_add past 2^53, -0 as an int) is
 * caught as a wrong trace rather than computed on.
 */
export function isOfKind(value: unknown, kind: ValueKind): boolean {
  switch (kind) {
    case 'int':
      return Number.isSafeInteger(value) && !Object.is(value, -0);
    case 'float':
      return typeof value === 'number';
    case 'bool':
      return typeof value === 'boolean';
    case 'ref':
      return value !== undefined;
  }
}
