/**
 * A trace: linear SSA code for one hot loop or bridge, with its constant pool and snapshots.
 *
 * Layout, chosen so that a pass over a trace is a few array reads per instruction:
 * - values are numbered densely in definition order: the inputs first (refs 0..n-1), then the
 *   result of each instruction that has one, and a label's parameters; `kinds[ref]` is each
 *   value's kind and `definedAt[ref]` the index in `ops` of the instruction defining it (-1 for
 *   inputs), so the text name `i3` is the value's number, not an instruction index;
 * - an instruction is a small fixed-shape object: its operation, its operands (IrRefs and
 *   constants, descriptors included, as numbers), the value it defines, the snapshot it carries
 *   (guards) and its parameters (label);
 * - constants live in a per-trace ConstantPool, interned: numbers, booleans and null by value
 *   (`-0` and `0` apart), objects by identity with a label for the text form. The pool is
 *   append-only and shared by a trace and the traces passes derive from it, so a constant
 *   operand means the same in both.
 * Traces are immutable once built; TraceBuilder (trace-builder.ts) is the only way to make one.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { CallDescr, FieldDescr, StructDescr } from './descriptors.ts';
import type { IrOp } from './ops.ts';
import type { Snapshot } from './snapshot.ts';
import {
  type ConstRef,
  type IrRef,
  type NO_SNAPSHOT,
  type NO_VALUE,
  type Operand,
  type SnapshotId,
  type ValueKind,
  constIndex,
  constRef,
  isConstant,
  isOfKind,
} from './types.ts';

export class Constant {
  constructor(
    readonly kind: ValueKind,
    readonly value: unknown,
    /** The name in text for an object constant; null for numbers, booleans and null. */
    readonly label: string | null,
  ) {}
}

/** Map key standing for -0, which a Map would not tell from 0. */
const MINUS_ZERO = Symbol('-0');

function internKey(value: unknown): unknown {
  return Object.is(value, -0) ? MINUS_ZERO : value;
}

/** Whether a ref constant with this value is written as a literal rather than by a label. */
export function isLiteralValue(value: unknown): boolean {
  return value === null || typeof value === 'number' || typeof value === 'boolean';
}

export class ConstantPool {
  readonly entries: Constant[] = [];
  private readonly index: Record<ValueKind, Map<unknown, ConstRef>> = {
    int: new Map(),
    float: new Map(),
    bool: new Map(),
    ref: new Map(),
  };
  private readonly byLabel = new Map<string, ConstRef>();

  get size(): number {
    return this.entries.length;
  }

  int(value: number): ConstRef {
    return this.of('int', value, null);
  }

  float(value: number): ConstRef {
    return this.of('float', value, null);
  }

  bool(value: boolean): ConstRef {
    return this.of('bool', value, null);
  }

  nullRef(): ConstRef {
    return this.of('ref', null, null);
  }

  /** A descriptor constant, under the descriptor's own label. */
  descr(descr: StructDescr | FieldDescr | CallDescr): ConstRef {
    return this.of('ref', descr, descr.label);
  }

  /** The label of the ref constant holding `value`, if the pool has one (null: a literal). */
  labelOf(value: unknown): string | null | undefined {
    const ref = this.index.ref.get(internKey(value));
    return ref === undefined ? undefined : this.entries[constIndex(ref)]!.label;
  }

  /** A ref constant: null, numbers and booleans need no label; any other value needs one. */
  ref(value: unknown, label: string | null = null): ConstRef {
    return this.of('ref', value, label);
  }

  /** The constant of this kind and value, added if new. The first label given for a value stays. */
  of(kind: ValueKind, value: unknown, label: string | null): ConstRef {
    const key = internKey(value);
    const known = this.index[kind].get(key);
    if (known !== undefined) return known;
    if (!isOfKind(value, kind)) throw new VmInternalError(`constant ${String(value)} is not a ${kind}`);
    const literal = isLiteralValue(value);
    if (!literal) this.claimLabel(label, value);
    const ref = constRef(this.entries.push(new Constant(kind, value, literal ? null : label)) - 1);
    this.index[kind].set(key, ref);
    if (!literal) this.byLabel.set(label ?? '', ref);
    return ref;
  }

  private claimLabel(label: string | null, value: unknown): void {
    if (label === null || label === '' || /[\r\n\u2028\u2029]/.test(label)) {
      throw new VmInternalError(`an object constant needs a one-line label: ${String(value)}`);
    }
    if (this.byLabel.has(label)) throw new VmInternalError(`two constants labelled ${label}`);
  }

  get(operand: ConstRef): Constant {
    const entry = this.entries[constIndex(operand)];
    if (entry === undefined) throw new VmInternalError(`no constant ${operand}`);
    return entry;
  }

  value(operand: ConstRef): unknown {
    return this.get(operand).value;
  }

  kind(operand: ConstRef): ValueKind {
    return this.get(operand).kind;
  }

  field(operand: Operand): FieldDescr {
    return this.descriptor(operand, FieldDescr);
  }

  struct(operand: Operand): StructDescr {
    return this.descriptor(operand, StructDescr);
  }

  call(operand: Operand): CallDescr {
    return this.descriptor(operand, CallDescr);
  }

  /** The StructDescr a constant holds, or null when it is something else. */
  structOrNull(operand: Operand): StructDescr | null {
    const value = isConstant(operand) ? this.entries[constIndex(operand)]?.value : undefined;
    return value instanceof StructDescr ? value : null;
  }

  private descriptor<D>(operand: Operand, type: new (...args: never[]) => D): D {
    const value = isConstant(operand) ? this.entries[constIndex(operand)]?.value : undefined;
    if (!(value instanceof type)) throw new VmInternalError(`operand ${operand} is not a ${type.name}`);
    return value;
  }

  /** Label -> value for every object constant: a registry under which the printed text parses. */
  labels(): Map<string, unknown> {
    const labels = new Map<string, unknown>();
    for (const entry of this.entries) if (entry.label !== null) labels.set(entry.label, entry.value);
    return labels;
  }
}

/**
 * Where an instruction came from in the program the trace was recorded from (the recorder's
 * SOM method, pc and source line), for dumps. Opaque to the IR, which only prints it; passes
 * carry it over to the instructions they copy.
 */
export interface InstructionOrigin {
  /** One line, e.g. `Loop>>run @4 (Loop.som:6)`. */
  describe(): string;
}

export class Instruction {
  // The fields are declared, not initialised, and set by the constructor: a class field (a
  // parameter property) makes the compiled class define each field before the constructor sets
  // it, a second store per field and a call, for every instruction every pass makes, which
  // matters while V8 still runs the optimiser unoptimised (the first traces of a run).
  /** The operation. */
  declare readonly op: IrOp;
  /** Values and constants read, descriptors included, in the order ops.ts lists them. */
  declare readonly args: readonly Operand[];
  /** The value defined, or NO_VALUE (also for label, which defines `params`). */
  declare readonly result: IrRef | typeof NO_VALUE;
  /** The kind of `result`, or null when there is none. */
  declare readonly kind: ValueKind | null;
  /** The snapshot of a guard, or NO_SNAPSHOT. */
  declare readonly snapshot: SnapshotId | typeof NO_SNAPSHOT;
  /** label: the values it defines, one per operand; empty for every other operation. */
  declare readonly params: readonly IrRef[];
  /** Where it was recorded, if the recorder said (TraceBuilder.setOrigin). */
  declare readonly origin: InstructionOrigin | null;

  constructor(
    op: IrOp,
    args: readonly Operand[],
    result: IrRef | typeof NO_VALUE,
    kind: ValueKind | null,
    snapshot: SnapshotId | typeof NO_SNAPSHOT,
    params: readonly IrRef[],
    origin: InstructionOrigin | null = null,
  ) {
    this.op = op;
    this.args = args;
    this.result = result;
    this.kind = kind;
    this.snapshot = snapshot;
    this.params = params;
    this.origin = origin;
  }
}

/** What a trace or builder answers about operands, for checks shared by builder, parser, verify. */
export interface OperandContext {
  readonly constants: ConstantPool;
  /** Values defined so far: IrRefs below this are defined. */
  readonly valueCount: number;
  kindOf(operand: Operand): ValueKind;
}

/**
 * `loop`: recorded at a loop header, closes on itself; `bridge`: starts at a side exit; `entry`:
 * starts where a method does, ends where it returns (or in another trace).
 */
export type TraceKind = 'loop' | 'bridge' | 'entry';

export const TRACE_KINDS = ['loop', 'bridge', 'entry'] as const satisfies readonly TraceKind[];

export class Trace implements OperandContext {
  /** Index in `ops` of the label, or -1 (a loop before peeling, a bridge). */
  readonly labelIndex: number;

  constructor(
    readonly kind: TraceKind,
    /** What the trace is for, e.g. `Loop>>run @4`; names the compiled function. */
    readonly name: string,
    readonly constants: ConstantPool,
    /** Values defined on entry, refs 0..n-1. */
    readonly inputs: readonly IrRef[],
    readonly ops: readonly Instruction[],
    /** Indexed by SnapshotId. */
    readonly snapshots: readonly Snapshot[],
    /** Kind of each value, indexed by IrRef. */
    readonly kinds: readonly ValueKind[],
    /** Index in `ops` of the instruction defining each value; -1 for inputs. */
    readonly definedAt: readonly number[],
  ) {
    this.labelIndex = ops.findIndex((instruction) => instruction.op === 'label');
  }

  get valueCount(): number {
    return this.kinds.length;
  }

  kindOf(operand: Operand): ValueKind {
    if (isConstant(operand)) return this.constants.kind(operand);
    const kind = this.kinds[operand];
    if (kind === undefined) throw new VmInternalError(`no value ${operand} in trace ${this.name}`);
    return kind;
  }

  /** The value of a constant operand. */
  constValue(operand: ConstRef): unknown {
    return this.constants.value(operand);
  }

  /**
   * The instruction whose result `ref` is, or null for an input or a label parameter (so a
   * pattern such as "an int_add of a constant" never matches them by accident).
   */
  producer(ref: IrRef): Instruction | null {
    const instruction = this.ops[this.definedAt[ref] ?? -1];
    return instruction !== undefined && instruction.result === ref ? instruction : null;
  }

  /**
   * How many values are defined before instruction `position` (inputs included): what a
   * snapshot taken there may name is below this. A binary search: `definedAt` never decreases.
   */
  valuesBefore(position: number): number {
    const definedAt = this.definedAt;
    let [lo, hi] = [0, definedAt.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((definedAt[mid] as number) < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  snapshot(id: SnapshotId): Snapshot {
    const snapshot = this.snapshots[id];
    if (snapshot === undefined) throw new VmInternalError(`no snapshot s${id} in trace ${this.name}`);
    return snapshot;
  }

  /** The label instruction, if the loop has been peeled. */
  get label(): Instruction | null {
    return this.ops[this.labelIndex] ?? null;
  }
}
