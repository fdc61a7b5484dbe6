/**
 * TraceBuilder: the only way to append instructions to a trace; TraceRewriter: a builder that
 * copies another trace with its operands renamed, the shape of every optimisation pass.
 *
 * The builder checks each instruction against ops.ts (signature.ts) as it is appended, so a
 * recorder or pass bug shows up where it happens, not as a wrong result later. It can run a
 * fold hook first (LuaJIT's FOLD habit): the hook may answer an existing operand instead of the
 * new instruction (constant folding, CSE while recording) or drop a guard it knows holds.
 *
 * A pass is `Trace -> Trace`: it makes a `TraceRewriter` of the old trace and, instruction by
 * instruction, copies (`copy`), replaces (`setRename` to forward uses of a dropped value) or
 * emits new instructions (`emit`); snapshots are copied on first use with their operands
 * renamed. Operands read from the old trace go through `rename`; constants keep their meaning
 * because the new trace shares the old one's (append-only) ConstantPool.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { type IrOp, OPS } from './ops.ts';
import { instructionProblem, resultKind } from './signature.ts';
import {
  type FrameState,
  Snapshot,
  type SnapValue,
  type VirtualObject,
  renameSnapValue,
  renameSnapshotParts,
  snapshotProblem,
} from './snapshot.ts';
import {
  ConstantPool,
  Instruction,
  type InstructionOrigin,
  type OperandContext,
  Trace,
  type TraceKind,
} from './trace.ts';
import {
  type ConstRef,
  type IrRef,
  type Operand,
  type SnapshotId,
  type ValueKind,
  NO_SNAPSHOT,
  NO_VALUE,
  irRef,
  isConstant,
  snapshotId,
} from './types.ts';

/** What a fold hook decides: an operand to use instead, 'drop' (a guard that holds), or emit. */
export type FoldResult = Operand | 'drop' | undefined;

export type FoldHook = (
  builder: TraceBuilder,
  op: IrOp,
  args: readonly Operand[],
  snapshot: SnapshotId | typeof NO_SNAPSHOT,
) => FoldResult;

export interface BuilderOptions {
  readonly fold?: FoldHook;
}

const NO_PARAMS: readonly IrRef[] = Object.freeze([]);

/**
 * Whether every appended instruction and snapshot is checked against its signature, so that a
 * bug in the recorder or a pass shows as a VmInternalError where the bad instruction is made
 * rather than as wrong code later. On in the test suite (vitest.config.ts sets SOM_CHECK_IR=1,
 * which the VMs the tests start inherit) and whenever a user sets it; off by default: the
 * checks cost about a tenth of the optimiser's time, paid by every trace and bridge.
 */
const CHECK_IR = process.env['SOM_CHECK_IR'] === '1';

export class TraceBuilder implements OperandContext {
  private readonly ops: Instruction[] = [];
  private readonly snapshots: Snapshot[] = [];
  private readonly kinds: ValueKind[] = [];
  private readonly definedAt: number[] = [];
  private readonly inputs: IrRef[] = [];
  private readonly fold: FoldHook | null;
  private origin: InstructionOrigin | null = null;

  constructor(
    readonly kind: TraceKind,
    readonly name: string,
    readonly constants: ConstantPool = new ConstantPool(),
    options: BuilderOptions = {},
  ) {
    this.fold = options.fold ?? null;
  }

  get valueCount(): number {
    return this.kinds.length;
  }

  /** Instructions appended so far: the position of the next one. */
  get length(): number {
    return this.ops.length;
  }

  kindOf(operand: Operand): ValueKind {
    if (isConstant(operand)) return this.constants.kind(operand);
    const kind = this.kinds[operand];
    if (kind === undefined) throw new VmInternalError(`value ${operand} is not defined`);
    return kind;
  }

  /** The instruction at `index` (already appended): lets fold hooks look at what they built. */
  at(index: number): Instruction | undefined {
    return this.ops[index];
  }

  /** The instruction defining `ref`, or null for an input or a label parameter. */
  producer(ref: IrRef): Instruction | null {
    const instruction = this.ops[this.definedAt[ref] ?? -1];
    return instruction !== undefined && instruction.result === ref ? instruction : null;
  }

  /**
   * Instructions appended from now on carry `origin` (for dumps): the recorder sets it before
   * each bytecode it records, and a rewriter before each instruction it copies.
   */
  setOrigin(origin: InstructionOrigin | null): void {
    this.origin = origin;
  }

  /** A new input value; inputs come before any instruction. */
  input(kind: ValueKind): IrRef {
    if (this.ops.length > 0) throw new VmInternalError('inputs must be defined before any instruction');
    const ref = this.define(kind, -1);
    this.inputs.push(ref);
    return ref;
  }

  int(value: number): ConstRef {
    return this.constants.int(value);
  }

  float(value: number): ConstRef {
    return this.constants.float(value);
  }

  bool(value: boolean): ConstRef {
    return this.constants.bool(value);
  }

  nullRef(): ConstRef {
    return this.constants.nullRef();
  }

  /**
   * Appends `op` unless the fold hook answers something better. Returns the operand holding the
   * result, or null when the operation defines no value (or the guard was dropped). A label's
   * parameters come from `label()`, not from here.
   */
  emit(op: IrOp, args: readonly Operand[], snapshot: SnapshotId | typeof NO_SNAPSHOT = NO_SNAPSHOT): Operand | null {
    if (this.fold !== null) {
      const folded = this.fold(this, op, args, snapshot);
      if (folded === 'drop') return null;
      if (folded !== undefined) return folded;
    }
    const instruction = this.append(op, args, snapshot);
    return instruction.result === NO_VALUE ? null : instruction.result;
  }

  /** `emit` for an operation that defines a value. */
  value(op: IrOp, args: readonly Operand[], snapshot: SnapshotId | typeof NO_SNAPSHOT = NO_SNAPSHOT): Operand {
    const result = this.emit(op, args, snapshot);
    if (result === null) throw new VmInternalError(`${op} defines no value`);
    return result;
  }

  /** The loop label: its parameters, one per operand, are the loop-carried values. */
  label(args: readonly Operand[]): IrRef[] {
    return [...this.append('label', args, NO_SNAPSHOT).params];
  }

  /** Appends without the fold hook, after checking the operands; answers the new instruction. */
  append(op: IrOp, args: readonly Operand[], snapshot: SnapshotId | typeof NO_SNAPSHOT): Instruction {
    if (CHECK_IR) {
      const problem = instructionProblem(op, args, snapshot, this, this.snapshots.length);
      if (problem !== null) throw new VmInternalError(`${op}: ${problem}`);
    }
    const index = this.ops.length;
    // resultKind's answer without its call for the operations whose result kind is fixed.
    const fixed = OPS[op].result;
    const kind = fixed === 'descr' ? resultKind(op, args, this) : fixed;
    let instruction: Instruction;
    if (kind === 'params') {
      const params = args.map((arg) => this.define(this.kindOf(arg), index));
      instruction = new Instruction(op, args, NO_VALUE, null, NO_SNAPSHOT, params, this.origin);
    } else {
      const result = kind === null ? NO_VALUE : this.define(kind, index);
      instruction = new Instruction(op, args, result, kind, snapshot, NO_PARAMS, this.origin);
    }
    this.ops.push(instruction);
    return instruction;
  }

  /** Takes a snapshot at the current position; guards appended from now on may carry it. */
  snapshot(frames: readonly FrameState[], virtuals: readonly VirtualObject[] = []): SnapshotId {
    const snapshot = new Snapshot(snapshotId(this.snapshots.length), this.ops.length, frames, virtuals);
    if (CHECK_IR) {
      const problem = snapshotProblem(snapshot, this);
      if (problem !== null) throw new VmInternalError(`snapshot: ${problem}`);
    }
    this.snapshots.push(snapshot);
    return snapshot.id;
  }

  /**
   * The finished trace. The builder must not be used afterwards. `dropUnusedSnapshots`: leave
   * out snapshots no guard carries (renumbering the others), as after a pass removed guards.
   */
  finish(options: { readonly dropUnusedSnapshots?: boolean } = {}): Trace {
    const [ops, snapshots] = options.dropUnusedSnapshots === true ? this.usedSnapshots() : [this.ops, this.snapshots];
    return new Trace(this.kind, this.name, this.constants, this.inputs, ops, snapshots, this.kinds, this.definedAt);
  }

  /** The instructions and snapshots with unused snapshots removed and the rest renumbered. */
  private usedSnapshots(): [Instruction[], Snapshot[]] {
    const newId = new Int32Array(this.snapshots.length).fill(-1);
    let used = 0;
    for (const instruction of this.ops) {
      if (instruction.snapshot !== NO_SNAPSHOT && newId[instruction.snapshot] === -1) {
        newId[instruction.snapshot] = 0;
        used++;
      }
    }
    // Usually every snapshot is used (a rewriter copies one when a guard needs it): nothing to renumber.
    if (used === this.snapshots.length) return [this.ops, this.snapshots];
    const kept: Snapshot[] = [];
    for (const old of this.snapshots) {
      if (newId[old.id] === -1) continue;
      newId[old.id] = kept.length;
      kept.push(new Snapshot(snapshotId(kept.length), old.position, old.frames, old.virtuals));
    }
    const ops = this.ops.map((ins) =>
      ins.snapshot === NO_SNAPSHOT
        ? ins
        : new Instruction(
            ins.op,
            ins.args,
            ins.result,
            ins.kind,
            snapshotId(newId[ins.snapshot] ?? -1),
            ins.params,
            ins.origin,
          ),
    );
    return [ops, kept];
  }

  private define(kind: ValueKind, index: number): IrRef {
    this.definedAt.push(index);
    return irRef(this.kinds.push(kind) - 1);
  }
}

/** Marks a source value not (yet) renamed; no operand is this large. */
const UNMAPPED = 0x7fffffff;

export class TraceRewriter extends TraceBuilder {
  /** Source IrRef -> operand in the new trace. */
  private readonly renames: Int32Array;
  /** Source SnapshotId -> SnapshotId in the new trace, or -1 before its first use. */
  private readonly snapshotMap: Int32Array;
  /**
   * Every source value below this is renamed to itself (so far: `unchangedBelow` moves it up,
   * `setRename` down). A snapshot naming only such values is the same in the new trace, and is
   * taken over without looking at each of its slots.
   */
  private identityBelow = 0;

  constructor(
    readonly source: Trace,
    options: BuilderOptions = {},
  ) {
    super(source.kind, source.name, source.constants, options);
    this.renames = new Int32Array(source.valueCount).fill(UNMAPPED);
    this.snapshotMap = new Int32Array(source.snapshots.length).fill(-1);
    for (const ref of source.inputs) this.renames[ref] = this.input(source.kindOf(ref));
  }

  /** `rename` as a function, made once, for snapshot renaming (snapshot.ts). */
  private readonly renameOperand = (operand: Operand): Operand => this.rename(operand);

  /** The new-trace operand for a source-trace operand (constants are unchanged). */
  rename(operand: Operand): Operand {
    if (isConstant(operand)) return operand;
    const renamed = this.renames[operand];
    if (renamed === undefined || renamed === UNMAPPED) {
      throw new VmInternalError(`rewriting ${this.source.name}: value ${operand} used but not defined`);
    }
    return renamed as Operand;
  }

  renameAll(operands: readonly Operand[]): Operand[] {
    const renamed = new Array<Operand>(operands.length);
    for (let i = 0; i < operands.length; i++) renamed[i] = this.rename(operands[i] as Operand);
    return renamed;
  }

  /** From now on, uses of the source value `ref` read `to` instead. */
  setRename(ref: IrRef, to: Operand): void {
    this.renames[ref] = to;
    if (ref < this.identityBelow && to !== ref) this.identityBelow = ref;
  }

  /** Whether every source value below `limit` is renamed to itself. */
  private unchangedBelow(limit: number): boolean {
    const renames = this.renames;
    let below = this.identityBelow;
    while (below < limit && renames[below] === below) below++;
    this.identityBelow = below;
    return below >= limit;
  }

  isRenamed(ref: IrRef): boolean {
    return this.renames[ref] !== UNMAPPED;
  }

  /**
   * Copies a source instruction: operands renamed, snapshot copied (on first use), through the
   * fold hook. Its result (or label parameters) is renamed to the copy's. Answers the new result
   * operand, or null.
   */
  copy(instruction: Instruction): Operand | null {
    return this.copyWith(instruction, this.renameAll(instruction.args));
  }

  /** `copy` with operands the pass chose (already in new-trace terms). */
  copyWith(instruction: Instruction, args: readonly Operand[]): Operand | null {
    // An instruction a pass emits anew (in place of one it does not copy) carries the origin of
    // the last one it copied: a neighbour in the recording, usually from the same bytecode.
    this.setOrigin(instruction.origin);
    const snapshot = instruction.snapshot === NO_SNAPSHOT ? NO_SNAPSHOT : this.renameSnapshot(instruction.snapshot);
    if (OPS[instruction.op].result === 'params') {
      const params = this.label(args);
      for (const [i, param] of instruction.params.entries()) this.setRename(param, params[i] as IrRef);
      return null;
    }
    const result = this.emit(instruction.op, args, snapshot);
    if (instruction.result !== NO_VALUE) {
      if (result === null) throw new VmInternalError(`fold dropped ${instruction.op}, whose value is used`);
      this.setRename(instruction.result, result);
    }
    return result;
  }

  /** The new snapshot for a source snapshot, copied here with renamed operands on first use. */
  renameSnapshot(id: SnapshotId): SnapshotId {
    const known = this.snapshotMap[id];
    if (known === undefined) throw new VmInternalError(`no snapshot s${id} in ${this.source.name}`);
    if (known >= 0) return snapshotId(known);
    const source = this.source.snapshot(id);
    // A snapshot names only values defined before its position: if none of them is renamed, its
    // frames and virtuals are the same in the new trace (they are immutable: shared, not copied).
    const unchanged = this.unchangedBelow(this.source.valuesBefore(source.position));
    const parts = unchanged ? source : renameSnapshotParts(source, this.renameOperand);
    const copied = this.snapshot(parts.frames, parts.virtuals);
    this.snapshotMap[id] = copied;
    return copied;
  }

  /** A snapshot slot in new-trace terms. */
  renameSnapValue(value: SnapValue): SnapValue {
    return renameSnapValue(value, this.renameOperand);
  }

  /** The new trace; snapshots that no guard carries any more are left out. */
  override finish(): Trace {
    return super.finish({ dropUnusedSnapshots: true });
  }

  /** Forgets which snapshots were copied, so they are copied again (peeling copies the body twice). */
  forgetSnapshots(): void {
    this.snapshotMap.fill(-1);
  }
}
