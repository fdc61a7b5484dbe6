/**
 * Allocation removal (escape analysis): PyPy's virtuals, LuaJIT's allocation sinking.
 *
 * `new_struct`, and `new_array` of a constant length, are not emitted: the pass keeps the new
 * object as a VirtualValue (virtual-state.ts) whose fields it tracks. Loads and stores on a
 * virtual (`getfield`/`setfield`, `getarrayitem`/`setarrayitem` at a constant index, `arraylen`)
 * become reads and writes of those fields in the pass; guards and tests whose answer follows from
 * the object being fresh fold (`guard_class` against its descriptor's class, `guard_nonnull`,
 * `ref_is_null`, `ref_eq`/`ref_ne`: a virtual is only itself). At a guard, the snapshot names the
 * virtual field by field (VirtualStruct/VirtualArray), so the object is allocated only if the
 * exit is taken (snapshot.ts `materialize`).
 *
 * Everything else a virtual takes part in makes it escape: stored into a real object, passed to
 * a call, to finish or jump_trace, read at an index that is not a constant, or used by any
 * operation without a rule here. It is then materialised just before that instruction: its
 * allocation and stores are emitted (recursively for the virtuals its fields hold) and from then
 * on it is an ordinary value.
 *
 * Loops (the reason for the pass): in a peeled loop, a label operand that is virtual on entry is
 * exploded: its leaf fields become label operands and the loop-carried value a virtual built on
 * the new parameters, so a value carried round the loop stays unboxed. The jump must then hand
 * over a virtual of the same shape, whose leaves become the jump arguments. When it does not
 * (the body lets the object escape, or makes one of another kind), the whole pass is redone with
 * the entry limited to what both have in common, until the shapes agree: each round removes at
 * least one node, so this ends (after at most as many rounds as there were nodes). Values made
 * in the preamble that the body uses directly (not through the label) are materialised at the
 * label, since one object then lives through all iterations.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import type { FieldDescr, StructDescr } from '../ir/descriptors.ts';
import type { IrOp } from '../ir/ops.ts';
import type { Instruction } from '../ir/trace.ts';
import { Trace } from '../ir/trace.ts';
import { TraceRewriter } from '../ir/trace-builder.ts';
import { forEachSnapOperand } from '../ir/snapshot.ts';
import {
  type ConstRef,
  type IrRef,
  type Operand,
  type SnapshotId,
  NO_SNAPSHOT,
  NO_VALUE,
  isConstant,
} from '../ir/types.ts';
import { SnapshotEncoder } from './virtual-snapshot.ts';
import {
  type CarriedShape,
  Shape,
  type ShapeLimit,
  type Slot,
  UNLIMITED,
  VirtualValue,
  forEachLeaf,
  sameShape,
  shapesOf,
  virtualOf,
} from './virtual-state.ts';

/** Arrays longer than this are allocated: their items would crowd the snapshots and the label. */
export const MAX_VIRTUAL_ARRAY_LENGTH = 64;

/** Rounds before a loop gives up exploding anything (each round shrinks the shapes, so a bound). */
const MAX_ROUNDS = 64;

export function virtualize(trace: Trace): Trace {
  const label = trace.label;
  const usedInBody = label === null ? null : valuesUsedInBody(trace);
  let limits: ShapeLimit[] = label === null ? [] : label.args.map(() => UNLIMITED);
  for (let round = 1; ; round++) {
    const result = new Virtualizer(trace, limits, usedInBody).run();
    if (result instanceof Trace) return result;
    limits = round < MAX_ROUNDS ? result : result.map(() => null);
  }
}

/** Values defined before the label that the body reads directly (operands or snapshots). */
function valuesUsedInBody(trace: Trace): Uint8Array {
  const used = new Uint8Array(trace.valueCount);
  const mark = (operand: Operand): void => {
    if (!isConstant(operand) && (trace.definedAt[operand] ?? -1) < trace.labelIndex) used[operand] = 1;
  };
  for (let index = trace.labelIndex + 1; index < trace.ops.length; index++) {
    const instruction = trace.ops[index] as Instruction;
    instruction.args.forEach(mark);
    if (instruction.snapshot !== NO_SNAPSHOT) forEachSnapOperand(trace.snapshot(instruction.snapshot), mark);
  }
  return used;
}

type Rule = (pass: Virtualizer, instruction: Instruction) => void;

/** A store into a just materialised object, emitted after the allocations of one escape. */
interface PendingStore {
  readonly op: 'setfield' | 'setarrayitem';
  readonly target: Operand;
  /** The field descriptor or the item index. */
  readonly at: Operand;
  readonly slot: Slot;
}

/** One run over the trace with given limits on what may stay virtual round the loop. */
class Virtualizer {
  readonly out: TraceRewriter;
  /** Source value -> the virtual it is (or was: once materialised, its value). */
  private readonly virtuals: (VirtualValue | undefined)[] = [];
  private nextId = 0;
  /** Nesting of `materialize` calls, and the stores to emit when the outermost one is done. */
  private depth = 0;
  private readonly pendingStores: PendingStore[] = [];
  private readonly snapshots: SnapshotEncoder;
  /** The shapes exploded at the label (one per label operand). */
  private entryShapes: CarriedShape[] = [];
  /** Set when the jump does not match the label: the limits for the next round. */
  retryWith: CarriedShape[] | null = null;

  constructor(
    readonly source: Trace,
    private readonly limits: readonly ShapeLimit[],
    private readonly usedInBody: Uint8Array | null,
  ) {
    this.out = new TraceRewriter(source);
    this.snapshots = new SnapshotEncoder(this);
  }

  /** The optimised trace, or the smaller limits to run again with. */
  run(): Trace | CarriedShape[] {
    for (const instruction of this.source.ops) {
      // What the rules emit in place of the instruction (materialisations, stores) comes from it.
      this.out.setOrigin(instruction.origin);
      (RULES[instruction.op] ?? escape)(this, instruction);
      if (this.retryWith !== null) return this.retryWith;
    }
    return this.out.finish();
  }

  /** What a source operand is now: a virtual, or an operand of the new trace. */
  resolve(operand: Operand): Slot {
    if (isConstant(operand)) return operand;
    const virtual = this.virtuals[operand];
    if (virtual === undefined) return this.out.rename(operand);
    return virtual.materialized ?? virtual;
  }

  /** The source operand as a virtual, if it still is one. */
  virtual(operand: Operand): VirtualValue | null {
    return virtualOf(this.resolve(operand));
  }

  /** The slot as an operand of the new trace: a virtual escapes here. */
  use(slot: Slot): Operand {
    return slot instanceof VirtualValue ? this.materialize(slot) : slot;
  }

  /** The source value `ref` is `slot` from now on. */
  bind(ref: IrRef, slot: Slot): void {
    const value = slot instanceof VirtualValue ? (slot.materialized ?? slot) : slot;
    if (value instanceof VirtualValue) this.virtuals[ref] = value;
    else this.out.setRename(ref, value);
  }

  newVirtual(instruction: Instruction, descr: Operand | null, fields: Slot[]): void {
    const struct = descr === null ? null : this.source.constants.struct(descr);
    const virtual = new VirtualValue(
      this.nextId++,
      struct,
      struct === null ? null : this.out.constants.descr(struct),
      fields,
    );
    this.virtuals[instruction.result as IrRef] = virtual;
  }

  /** A field of a virtual changed: snapshots encoded before no longer describe it. */
  changed(): void {
    this.snapshots.invalidate();
  }

  /**
   * Emits the allocation of `virtual` (and of the virtuals it holds); answers its value. Fields
   * go into the allocation where they can; a mutable field holding an object made later (or one
   * whose allocation is under way: a cycle) and array items are stored once every allocation of
   * this escape is emitted.
   */
  materialize(virtual: VirtualValue): Operand {
    if (virtual.materialized !== null) return virtual.materialized;
    this.depth++;
    const value = virtual.struct === null ? this.allocateArray(virtual) : this.allocateStruct(virtual, virtual.struct);
    this.depth--;
    this.changed();
    if (this.depth === 0) this.storeLater();
    return value;
  }

  private allocateStruct(virtual: VirtualValue, struct: StructDescr): Operand {
    virtual.inProgress = true;
    const later: number[] = [];
    const args = virtual.fields.map((slot, i) => {
      const inner = virtualOf(slot);
      if (inner === null) return this.use(slot);
      const immutable = struct.fields[i]?.immutable ?? false;
      if (!immutable && (inner.inProgress || inner.id > virtual.id)) {
        later.push(i);
        return this.out.nullRef();
      }
      if (inner.inProgress) throw new VmInternalError('virtualize: a cycle through an immutable field');
      return this.materialize(inner);
    });
    const value = this.out.value('new_struct', [virtual.descr as Operand, ...args]);
    virtual.materialized = value;
    virtual.inProgress = false;
    for (const i of later) {
      const field = this.out.constants.descr(struct.fields[i] as FieldDescr);
      this.pendingStores.push({ op: 'setfield', target: value, at: field, slot: virtual.fields[i] as Slot });
    }
    return value;
  }

  private allocateArray(virtual: VirtualValue): Operand {
    const value = this.out.value('new_array', [this.out.int(virtual.fields.length)]);
    virtual.materialized = value;
    const empty = this.out.nullRef();
    virtual.fields.forEach((slot, i) => {
      if (slot !== empty) this.pendingStores.push({ op: 'setarrayitem', target: value, at: this.out.int(i), slot });
    });
    return value;
  }

  /** The stores materialisation put off; storing a virtual may materialise (and queue) more. */
  private storeLater(): void {
    while (this.pendingStores.length > 0) {
      const store = this.pendingStores.shift() as PendingStore;
      this.out.emit(store.op, [store.target, store.at, this.use(store.slot)]);
    }
  }

  /** The new-trace snapshot for a source guard's snapshot, describing the virtuals as they are now. */
  snapshot(id: SnapshotId | typeof NO_SNAPSHOT): SnapshotId | typeof NO_SNAPSHOT {
    return id === NO_SNAPSHOT ? NO_SNAPSHOT : this.snapshots.encode(id);
  }

  /** Copies `instruction` with these operands (and its snapshot encoded); binds its result. */
  emitCopy(instruction: Instruction, args: readonly Operand[]): void {
    const result = this.out.emit(instruction.op, args, this.snapshot(instruction.snapshot));
    if (instruction.result !== NO_VALUE) this.bind(instruction.result, result as Operand);
  }

  // ---- the loop ----

  /** The label: explodes the virtual part of each carried value into label parameters. */
  enterLoop(label: Instruction): void {
    this.usedInBody?.forEach((used, ref) => {
      const virtual = used === 1 ? this.virtuals[ref] : undefined;
      if (virtual !== undefined) this.materialize(virtual);
    });
    const slots = label.args.map((operand) => this.resolve(operand));
    this.entryShapes = shapesOf(slots, this.limits);
    const params = this.out.label(this.leaves(slots, this.entryShapes));
    let next = 0;
    const build = (shape: Shape): VirtualValue => {
      const fields = shape.fields.map((child): Slot => (child === null ? (params[next++] as IrRef) : build(child)));
      const descr = shape.struct === null ? null : this.out.constants.descr(shape.struct);
      return new VirtualValue(this.nextId++, shape.struct, descr, fields);
    };
    label.params.forEach((param, k) => {
      const shape = this.entryShapes[k] ?? null;
      this.bind(param, shape === null ? (params[next++] as IrRef) : build(shape));
    });
  }

  /** The jump back to the label: its arguments must have the entry shapes, or the pass is redone. */
  closeLoop(jump: Instruction): void {
    const slots = jump.args.map((operand) => this.resolve(operand));
    const common = shapesOf(slots, this.entryShapes);
    if (!common.every((shape, k) => sameShape(shape, this.entryShapes[k] ?? null))) {
      this.retryWith = common;
      return;
    }
    this.out.emit('jump', this.leaves(slots, common));
  }

  /** The leaves of the slots under their shapes, as operands (leaf virtuals escape). */
  private leaves(slots: readonly Slot[], shapes: readonly CarriedShape[]): Operand[] {
    const leaves: Slot[] = [];
    slots.forEach((slot, k) => forEachLeaf(slot, shapes[k] ?? null, (leaf) => leaves.push(leaf)));
    return leaves.map((leaf) => this.use(leaf));
  }
}

// ---- rules ----

/** The default: every virtual operand escapes, and the instruction is copied. */
function escape(pass: Virtualizer, instruction: Instruction): void {
  const args = instruction.args.map((operand) => pass.use(pass.resolve(operand)));
  pass.emitCopy(instruction, args);
}

/** The field index of a getfield/setfield on a virtual struct, or -1 (not virtual, not its field). */
function fieldIndex(pass: Virtualizer, instruction: Instruction): number {
  const target = pass.virtual(instruction.args[0] as Operand);
  if (target === null || target.struct === null) return -1;
  return target.struct.fieldIndex(pass.source.constants.field(instruction.args[1] as Operand));
}

/** The item index of an array access on a virtual array at a constant index in bounds, or -1. */
function itemIndex(pass: Virtualizer, instruction: Instruction): number {
  const target = pass.virtual(instruction.args[0] as Operand);
  const index = pass.resolve(instruction.args[1] as Operand);
  if (target === null || target.struct !== null || typeof index !== 'number' || !isConstant(index)) return -1;
  const value = pass.source.constants.value(index) as number;
  return value >= 0 && value < target.fields.length ? value : -1;
}

function readField(pass: Virtualizer, instruction: Instruction, index: number): void {
  if (index < 0) return escape(pass, instruction);
  const target = pass.virtual(instruction.args[0] as Operand) as VirtualValue;
  pass.bind(instruction.result as IrRef, target.fields[index] as Slot);
}

function writeField(pass: Virtualizer, instruction: Instruction, index: number): void {
  if (index < 0) return escape(pass, instruction);
  const target = pass.virtual(instruction.args[0] as Operand) as VirtualValue;
  target.fields[index] = pass.resolve(instruction.args[2] as Operand);
  pass.changed();
}

/** A test of identity whose answer a virtual operand decides; otherwise the default. */
function foldTo(pass: Virtualizer, instruction: Instruction, answer: boolean | null): void {
  if (answer === null) escape(pass, instruction);
  else pass.bind(instruction.result as IrRef, pass.out.bool(answer));
}

/** Whether two operands are the same object, if a virtual decides it (else null). */
function sameObject(pass: Virtualizer, instruction: Instruction): boolean | null {
  const [a, b] = instruction.args.map((operand) => pass.resolve(operand));
  const [virtualA, virtualB] = [virtualOf(a as Slot), virtualOf(b as Slot)];
  // A virtual is referenced by nothing the trace did not make: only it is itself.
  return virtualA === null && virtualB === null ? null : virtualA === virtualB;
}

/** Drops a guard that holds on a virtual; otherwise the default. */
function dropIf(pass: Virtualizer, instruction: Instruction, holds: boolean): void {
  if (!holds) escape(pass, instruction);
}

const RULES: Partial<Record<IrOp, Rule>> = {
  new_struct: (pass, instruction) =>
    pass.newVirtual(
      instruction,
      instruction.args[0] as Operand,
      instruction.args.slice(1).map((operand) => pass.resolve(operand)),
    ),
  new_array: (pass, instruction) => {
    const length = pass.resolve(instruction.args[0] as Operand);
    const value =
      typeof length === 'number' && isConstant(length) ? (pass.source.constants.value(length) as number) : -1;
    if (value < 0 || value > MAX_VIRTUAL_ARRAY_LENGTH) return escape(pass, instruction);
    pass.newVirtual(instruction, null, new Array<Slot>(value).fill(pass.out.nullRef()));
  },
  getfield: (pass, instruction) => readField(pass, instruction, fieldIndex(pass, instruction)),
  setfield: (pass, instruction) => {
    const index = fieldIndex(pass, instruction);
    const immutable = pass.source.constants.field(instruction.args[1] as Operand).immutable;
    writeField(pass, instruction, immutable ? -1 : index);
  },
  getarrayitem: (pass, instruction) => readField(pass, instruction, itemIndex(pass, instruction)),
  setarrayitem: (pass, instruction) => writeField(pass, instruction, itemIndex(pass, instruction)),
  arraylen: (pass, instruction) => {
    const target = pass.virtual(instruction.args[0] as Operand);
    if (target === null || target.struct !== null) return escape(pass, instruction);
    pass.bind(instruction.result as IrRef, pass.out.int(target.fields.length));
  },
  guard_class: (pass, instruction) => {
    const cls = pass.source.constants.value(instruction.args[1] as ConstRef);
    dropIf(pass, instruction, pass.virtual(instruction.args[0] as Operand)?.struct?.cls === cls);
  },
  guard_nonnull: (pass, instruction) =>
    dropIf(pass, instruction, pass.virtual(instruction.args[0] as Operand) !== null),
  ref_is_null: (pass, instruction) =>
    foldTo(pass, instruction, pass.virtual(instruction.args[0] as Operand) === null ? null : false),
  ref_eq: (pass, instruction) => foldTo(pass, instruction, sameObject(pass, instruction)),
  ref_ne: (pass, instruction) => {
    const same = sameObject(pass, instruction);
    foldTo(pass, instruction, same === null ? null : !same);
  },
  label: (pass, instruction) => pass.enterLoop(instruction),
  jump: (pass, instruction) => (pass.source.labelIndex < 0 ? escape(pass, instruction) : pass.closeLoop(instruction)),
};
