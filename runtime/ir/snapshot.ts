/**
 * Snapshots: what a side exit needs to resume in the interpreter (lj_snap.c's role).
 *
 * Every guard carries a snapshot: the stack of inlined activations it would leave through,
 * outermost first, each with its method, the pc to resume at and, for every frame slot, the
 * IR value, constant or virtual object that holds it (or `null`: the slot is dead and resumes as
 * undefined). Objects the optimiser removed are described field by field as `VirtualObject`s in
 * the snapshot, so that `materialize` can rebuild them at the exit: the one function every exit
 * path (evaluator, compiled traces) uses to turn a snapshot and the live values into frames.
 *
 * A snapshot is taken at a position in the trace (the number of instructions before it) and may
 * name only values defined before that position; guards at or after the position share it.
 *
 * Sections: the data (SnapValue, VirtualObject, FrameState, Snapshot), traversal and
 * renaming (for passes and the backend), checking (builder, parser, verify), restoring
 * (materialize).
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { constructStruct } from './descriptors.ts';
import type { ConstantPool, OperandContext } from './trace.ts';
import { type ConstRef, type IrRef, type Operand, type SnapshotId, isConstant } from './types.ts';

// ---- data ----

/** A reference to `Snapshot.virtuals[index]` (`v0` in text). */
export class VirtualRef {
  constructor(readonly index: number) {}
}

/** One slot of a frame state or one field of a virtual: an operand, a virtual, or dead (null). */
export type SnapValue = Operand | VirtualRef | null;

const VIRTUAL_REFS: VirtualRef[] = [];

/** The shared VirtualRef for `index` (they are immutable, so one per index is enough). */
export function virtualRef(index: number): VirtualRef {
  let ref = VIRTUAL_REFS[index];
  if (ref === undefined) {
    ref = new VirtualRef(index);
    VIRTUAL_REFS[index] = ref;
  }
  return ref;
}

// The classes below declare their fields and set them in the constructor rather than as class
// fields (parameter properties): a class field makes the compiled class define each field before
// the constructor sets it (trace.ts, Instruction), and every pass makes snapshots.

/** An object the optimiser did not allocate: `new #Double(f3)` in text. */
export class VirtualStruct {
  declare readonly kind: 'struct';
  /** A constant holding the StructDescr. */
  declare readonly descr: ConstRef;
  /** One value per field, in the descriptor's field order. */
  declare readonly fields: readonly SnapValue[];

  constructor(descr: ConstRef, fields: readonly SnapValue[]) {
    this.kind = 'struct';
    this.descr = descr;
    this.fields = fields;
  }
}

/** An array the optimiser did not allocate: `new [r2 #null]` in text. */
export class VirtualArray {
  declare readonly kind: 'array';
  declare readonly items: readonly SnapValue[];

  constructor(items: readonly SnapValue[]) {
    this.kind = 'array';
    this.items = items;
  }
}

export type VirtualObject = VirtualStruct | VirtualArray;

/** One activation to rebuild on exit. */
export class FrameState {
  /** A constant holding the method (opaque to the optimiser). */
  declare readonly method: ConstRef;
  /** Resume at this bytecode. */
  declare readonly pc: number;
  /** Receiver, arguments, locals, stack, in frame order. */
  declare readonly slots: readonly SnapValue[];
  /**
   * Whether code outside the trace may hold the activation's frame (a closure over it): a
   * bridge from here keeps an uncaptured activation's slots in IR values across its calls
   * (runtime/tier2/level.ts `captured`). A hint the text form leaves out; true is always safe.
   */
  declare readonly captured: boolean;

  constructor(method: ConstRef, pc: number, slots: readonly SnapValue[], captured = true) {
    this.method = method;
    this.pc = pc;
    this.slots = slots;
    this.captured = captured;
  }
}

export class Snapshot {
  declare readonly id: SnapshotId;
  /** Instructions before it in the trace: it may name only values defined there. */
  declare readonly position: number;
  /** Outermost activation first. */
  declare readonly frames: readonly FrameState[];
  declare readonly virtuals: readonly VirtualObject[];

  constructor(id: SnapshotId, position: number, frames: readonly FrameState[], virtuals: readonly VirtualObject[]) {
    this.id = id;
    this.position = position;
    this.frames = frames;
    this.virtuals = virtuals;
  }
}

// ---- traversal and renaming ----

/** The values of a virtual object: a struct's fields or an array's items. */
export function virtualValues(virtual: VirtualObject): readonly SnapValue[] {
  return virtual.kind === 'struct' ? virtual.fields : virtual.items;
}

/** Calls `visit` for every operand the snapshot names (frame slots and virtual fields). */
export function forEachSnapOperand(snapshot: Snapshot, visit: (operand: Operand) => void): void {
  for (const frame of snapshot.frames) for (const value of frame.slots) if (typeof value === 'number') visit(value);
  for (const virtual of snapshot.virtuals) {
    for (const value of virtualValues(virtual)) if (typeof value === 'number') visit(value);
  }
}

/** The distinct values the snapshot names, in order of first mention: what an exit must hand out. */
export function snapshotRefs(snapshot: Snapshot): IrRef[] {
  const refs: IrRef[] = [];
  forEachSnapOperand(snapshot, (operand) => {
    if (!isConstant(operand) && !refs.includes(operand)) refs.push(operand);
  });
  return refs;
}

/** `value` with its operand (if any) replaced by `rename(operand)`. */
export function renameSnapValue(value: SnapValue, rename: (operand: Operand) => Operand): SnapValue {
  return typeof value === 'number' ? rename(value) : value;
}

/**
 * The frames and virtuals of `snapshot` with every operand renamed. Parts that renaming leaves
 * as they are (often: the outer frames name values defined early, which keep their numbers) are
 * the source's own objects rather than copies: they are immutable, so sharing them between two
 * traces is safe, and it spares every pass most of the allocation of copying snapshots.
 */
export function renameSnapshotParts(
  snapshot: Snapshot,
  rename: (operand: Operand) => Operand,
): { frames: readonly FrameState[]; virtuals: readonly VirtualObject[] } {
  return { frames: renameFrames(snapshot.frames, rename), virtuals: renameVirtuals(snapshot.virtuals, rename) };
}

/** `values` renamed; `values` itself when no operand changes. */
function renameValues(values: readonly SnapValue[], rename: (operand: Operand) => Operand): readonly SnapValue[] {
  let renamed: SnapValue[] | null = null;
  // An index loop that copies only once something changes: this runs for every slot of every
  // snapshot in every pass.
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as SnapValue;
    if (typeof value !== 'number') continue;
    const to = rename(value);
    if (to === value) continue;
    renamed ??= values.slice();
    renamed[i] = to;
  }
  return renamed ?? values;
}

function renameFrames(frames: readonly FrameState[], rename: (operand: Operand) => Operand): readonly FrameState[] {
  let renamed: FrameState[] | null = null;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i] as FrameState;
    const slots = renameValues(frame.slots, rename);
    if (slots === frame.slots) continue;
    renamed ??= frames.slice();
    renamed[i] = new FrameState(frame.method, frame.pc, slots, frame.captured);
  }
  return renamed ?? frames;
}

function renameVirtuals(
  virtuals: readonly VirtualObject[],
  rename: (operand: Operand) => Operand,
): readonly VirtualObject[] {
  let renamed: VirtualObject[] | null = null;
  for (let i = 0; i < virtuals.length; i++) {
    const virtual = virtuals[i] as VirtualObject;
    const values = virtualValues(virtual);
    const to = renameValues(values, rename);
    if (to === values) continue;
    renamed ??= virtuals.slice();
    renamed[i] = virtual.kind === 'struct' ? new VirtualStruct(virtual.descr, to) : new VirtualArray(to);
  }
  return renamed ?? virtuals;
}

// ---- checking ----

/** What is wrong with one snapshot value in `context`, or null. `kind`: the kind it must have, if any. */
function snapValueProblem(
  value: SnapValue,
  context: OperandContext,
  virtualCount: number,
  kind: string | null,
): string | null {
  if (value === null) return null;
  if (value instanceof VirtualRef) {
    if (value.index >= virtualCount) return `v${value.index} is not defined`;
    return kind === null || kind === 'ref' ? null : `a virtual object where a ${kind} is expected`;
  }
  if (isConstant(value) ? -1 - value >= context.constants.size : value >= context.valueCount) {
    return `operand ${value} is not defined`;
  }
  const actual = context.kindOf(value);
  return kind === null || actual === kind ? null : `a ${actual} where a ${kind} is expected`;
}

function virtualProblem(virtual: VirtualObject, context: OperandContext, virtualCount: number): string | null {
  if (virtual.kind === 'array') {
    for (const item of virtual.items) {
      const problem = snapValueProblem(item, context, virtualCount, 'ref');
      if (problem !== null) return `array item: ${problem}`;
    }
    return null;
  }
  const descr = context.constants.structOrNull(virtual.descr);
  if (descr === null) return 'a virtual struct needs a StructDescr constant';
  if (descr.fields.length !== virtual.fields.length) {
    return `${descr.label} has ${descr.fields.length} fields, the virtual gives ${virtual.fields.length}`;
  }
  for (const [i, field] of descr.fields.entries()) {
    const problem = snapValueProblem(virtual.fields[i] ?? null, context, virtualCount, field.kind);
    if (problem !== null) return `${field.label}: ${problem}`;
  }
  return null;
}

/** What is wrong with `snapshot` in `context` (values defined, kinds, virtuals), or null. */
export function snapshotProblem(snapshot: Snapshot, context: OperandContext): string | null {
  const virtualCount = snapshot.virtuals.length;
  if (snapshot.frames.length === 0) return 'a snapshot needs at least one frame';
  for (const frame of snapshot.frames) {
    if (!isConstant(frame.method) || -1 - frame.method >= context.constants.size) {
      return 'a frame method must be a constant';
    }
    if (!Number.isSafeInteger(frame.pc) || frame.pc < 0) return `bad pc ${frame.pc}`;
    for (const slot of frame.slots) {
      const problem = snapValueProblem(slot, context, virtualCount, null);
      if (problem !== null) return problem;
    }
  }
  for (const virtual of snapshot.virtuals) {
    const problem = virtualProblem(virtual, context, virtualCount);
    if (problem !== null) return problem;
  }
  return null;
}

// ---- restoring ----

/** One activation as a side exit hands it to the runtime: slot values, virtuals materialised. */
export interface ExitFrame {
  readonly method: unknown;
  readonly pc: number;
  /** Dead slots are undefined. */
  readonly slots: unknown[];
}

/** The default a field holds between allocation and filling in (ints and floats 0, bools false). */
const KIND_DEFAULT = { int: 0, float: 0, bool: false, ref: null } as const;

/**
 * Rebuilds the frames a side exit resumes: every operand read through `valueOf`, every virtual
 * object allocated once (two slots naming v0 get the same object). Virtuals may refer to each
 * other, even in cycles, so all are allocated first (fields at their kind's default) and filled
 * in afterwards through their properties.
 */
export function materialize(
  snapshot: Snapshot,
  constants: ConstantPool,
  valueOf: (ref: IrRef) => unknown,
): ExitFrame[] {
  const objects = snapshot.virtuals.map((virtual) => allocateVirtual(virtual, constants));
  const read = (value: SnapValue): unknown => {
    if (value === null) return undefined;
    if (typeof value !== 'number') return objects[value.index];
    return isConstant(value) ? constants.value(value) : valueOf(value);
  };
  for (const [i, virtual] of snapshot.virtuals.entries()) fillVirtual(virtual, objects[i], constants, read);
  return snapshot.frames.map((frame) => ({
    method: constants.value(frame.method),
    pc: frame.pc,
    slots: frame.slots.map(read),
  }));
}

function allocateVirtual(virtual: VirtualObject, constants: ConstantPool): object {
  if (virtual.kind === 'array') return new Array<unknown>(virtual.items.length).fill(null);
  const descr = constants.struct(virtual.descr);
  return constructStruct(
    descr,
    descr.fields.map((field) => KIND_DEFAULT[field.kind]),
  );
}

function fillVirtual(
  virtual: VirtualObject,
  object: unknown,
  constants: ConstantPool,
  read: (value: SnapValue) => unknown,
): void {
  if (virtual.kind === 'array') {
    const array = object as unknown[];
    for (const [i, item] of virtual.items.entries()) array[i] = item === null ? null : read(item);
    return;
  }
  const fields = constants.struct(virtual.descr).fields;
  const target = object as Record<string, unknown>;
  for (const [i, field] of fields.entries()) {
    const value = virtual.fields[i] ?? null;
    if (value === null) continue;
    if (!(field.property in target)) throw new VmInternalError(`materialize: no property ${field.property}`);
    target[field.property] = read(value);
  }
}
