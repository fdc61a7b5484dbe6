/**
 * Snapshots under allocation removal: a guard's snapshot describes the objects the pass kept
 * virtual field by field (VirtualStruct/VirtualArray, snapshot.ts), so that they are allocated
 * only when the exit is taken (`materialize`), never on the fast path.
 *
 * A snapshot is encoded for the state of the virtuals at the guard, not where the snapshot was
 * taken: at an exit the original trace hands over the objects themselves, with every store made
 * up to the guard. Guards that share a source snapshot share its encoding until a virtual changes
 * (a store into one, or one escaping), which `invalidate` records; an encoding that names no
virtual stays valid for good, since a value that is not virtual never becomes one. The source snapshot's own
 * virtual objects keep their numbers; the pass's virtuals are numbered after them, each once per
 * snapshot (two slots naming the same object name the same `vN`, as identity requires).
 */
import {
  FrameState,
  type SnapValue,
  VirtualArray,
  type VirtualObject,
  VirtualRef,
  VirtualStruct,
  virtualRef,
} from '../ir/snapshot.ts';
import type { Trace } from '../ir/trace.ts';
import type { TraceRewriter } from '../ir/trace-builder.ts';
import type { ConstRef, Operand, SnapshotId } from '../ir/types.ts';
import { type Slot, type VirtualValue, virtualOf } from './virtual-state.ts';

/** What the encoder asks of the pass: the traces, and what each source value is now. */
export interface VirtualView {
  readonly source: Trace;
  readonly out: TraceRewriter;
  resolve(operand: Operand): Slot;
}

/** The epoch of an encoding that stays valid whatever happens to the virtuals. */
const STABLE = -2;

export class SnapshotEncoder {
  /** Source snapshot -> its encoding in the new trace, valid while `epochs` matches (or is STABLE). */
  private readonly encoded: Int32Array;
  private readonly epochs: Int32Array;
  private epoch = 0;

  constructor(private readonly pass: VirtualView) {
    this.encoded = new Int32Array(pass.source.snapshots.length).fill(-1);
    this.epochs = new Int32Array(pass.source.snapshots.length).fill(-1);
  }

  /** The virtuals changed: snapshots must be encoded again. */
  invalidate(): void {
    this.epoch++;
  }

  encode(id: SnapshotId): SnapshotId {
    const epoch = this.epochs[id];
    if (epoch === this.epoch || epoch === STABLE) return this.encoded[id] as SnapshotId;
    const encoding = new Encoding(this.pass, this.pass.source.snapshot(id).virtuals.length);
    const source = this.pass.source.snapshot(id);
    source.virtuals.forEach((virtual, i) => encoding.setSourceVirtual(i, virtual));
    const frames = source.frames.map(
      (frame) =>
        new FrameState(
          frame.method,
          frame.pc,
          frame.slots.map((slot) => encoding.value(slot)),
          frame.captured,
        ),
    );
    const encoded = this.pass.out.snapshot(frames, encoding.virtuals as VirtualObject[]);
    this.encoded[id] = encoded;
    this.epochs[id] = encoding.namesVirtuals ? this.epoch : STABLE;
    return encoded;
  }
}

/** One snapshot being encoded: the virtual objects it describes so far. */
class Encoding {
  /** Filled in as objects are numbered (a slot is null only while its object is being encoded). */
  readonly virtuals: (VirtualObject | null)[];
  private readonly numbers = new Map<VirtualValue, number>();
  /** Whether a virtual of the pass appears (then a change to one may change the encoding). */
  namesVirtuals = false;

  constructor(
    private readonly pass: VirtualView,
    sourceVirtuals: number,
  ) {
    this.virtuals = new Array<VirtualObject | null>(sourceVirtuals).fill(null);
  }

  setSourceVirtual(index: number, virtual: VirtualObject): void {
    this.virtuals[index] =
      virtual.kind === 'struct'
        ? new VirtualStruct(
            virtual.descr,
            virtual.fields.map((field) => this.value(field)),
          )
        : new VirtualArray(virtual.items.map((item) => this.value(item)));
  }

  /** A source snapshot value in new-trace terms. */
  value(value: SnapValue): SnapValue {
    if (value === null || value instanceof VirtualRef) return value;
    return this.slot(this.pass.resolve(value));
  }

  private slot(slot: Slot): SnapValue {
    const virtual = virtualOf(slot);
    if (virtual === null) return typeof slot === 'number' ? slot : slot.materialized;
    this.namesVirtuals = true;
    const known = this.numbers.get(virtual);
    if (known !== undefined) return virtualRef(known);
    const index = this.virtuals.push(null) - 1;
    this.numbers.set(virtual, index);
    const fields = virtual.fields.map((field) => this.slot(field));
    this.virtuals[index] =
      virtual.descr === null ? new VirtualArray(fields) : new VirtualStruct(virtual.descr as ConstRef, fields);
    return virtualRef(index);
  }
}
