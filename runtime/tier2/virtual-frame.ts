/**
 * The virtual frame of one activation being traced (level.ts): slot number -> the IR value it
 * holds (TRACING.md §3). The recorder's `frame.slots[i]` reads and writes go here, so the trace
 * has no load or store of the frame for them; the real frame is still updated by the concrete
 * run.
 *
 * A slot is either *virtual* (its IR value is known; the real frame's memory may differ inside
 * the compiled trace) or *in memory* (the real frame holds it: after a residual call, which may
 * have written the frame through a block, every slot is in memory until read again). Before a
 * residual call the virtual slots are written to memory (`flush`), since the callee reads its
 * arguments and the blocks read their outer frame from there.
 *
 * The frame object itself is an IR value only once something asks for it (`frame`): the entry
 * frame's is a trace input; an inlined activation's is allocated then (`allocate`, given by the
 * recording context), and until then nothing outside the trace can see the frame, so `flush`
 * and `forget` have nothing to do for it. Once allocated, an inlined frame is written through:
 * its slots array gets every slot's value at once and every write after, so that wherever it
 * escapes (a block that captured it stored in the heap, a call that takes it as its caller),
 * the object the optimiser materialises there holds the activation's current state; while it
 * does not escape, the optimiser removes those writes with the rest of the virtual frame. (The
 * entry frame need not: it is real, and code that could read it runs only after `flush` or
 * after the trace's exit has written its slots back.)
 *
 * Kinds: a slot may hold an `int` or `bool` IR value after an operation (it is what the concrete
 * slot holds either way: a small Integer is a JS number, a Boolean a JS boolean), converted to
 * `ref` when it goes to memory or to the loop's `jump`.
 */
import type { TraceBuilder } from '../ir/trace-builder.ts';
import type { Operand } from '../ir/types.ts';
import type { SomHeap } from './som-heap.ts';

/** The IR value of a slot, or null: the real frame holds it. */
export type SlotValue = Operand | null;

/** How a frame becomes an IR value: a trace input, or allocated on first use. */
export type FrameSource =
  | { readonly kind: 'input'; readonly frame: Operand }
  | { readonly kind: 'lazy'; readonly allocate: () => { frame: Operand; slots: Operand } };

export class VirtualFrame {
  private readonly slots: SlotValue[];
  private frameValue: Operand | null;
  private slotsArray: Operand | null = null;

  constructor(
    private readonly builder: TraceBuilder,
    private readonly heap: SomHeap,
    private readonly source: FrameSource,
    /** The receiver's IR value. */
    readonly receiver: Operand,
    initial: readonly SlotValue[],
  ) {
    this.slots = [...initial];
    this.frameValue = source.kind === 'input' ? source.frame : null;
  }

  /** Whether the frame object is an IR value yet (code outside the trace may then see it). */
  get exists(): boolean {
    return this.frameValue !== null;
  }

  /** The frame object as an IR value, allocated in the trace now if it is not one yet. */
  get frame(): Operand {
    if (this.frameValue === null && this.source.kind === 'lazy') {
      const { frame, slots } = this.source.allocate();
      this.frameValue = frame;
      this.slotsArray = slots;
      this.slots.forEach((value, i) => {
        if (value !== null) this.store(i, value);
      });
    }
    // Invariant: an input source sets frameValue in the constructor; a lazy one just did.
    return this.frameValue!;
  }

  /** The frame's IR value if it exists, else null (a snapshot then leaves it to the exit to make). */
  get frameIfExists(): Operand | null {
    return this.frameValue;
  }

  get size(): number {
    return this.slots.length;
  }

  /** The slots now (null: in memory), for a snapshot. */
  current(): readonly SlotValue[] {
    return [...this.slots];
  }

  /** The IR value of slot `i`, loaded from the real frame if it is in memory. */
  read(i: number): Operand {
    const known = this.slots[i];
    if (known !== null && known !== undefined) return known;
    const value = this.builder.value('getarrayitem', [this.array(), this.builder.int(i)]);
    this.slots[i] = value;
    return value;
  }

  write(i: number, value: Operand): void {
    this.slots[i] = value;
    if (this.source.kind === 'lazy' && this.exists) this.store(i, value);
  }

  /** Writes every virtual slot to the real frame (before a residual call), if it exists. */
  flush(toRef: (value: Operand) => Operand): void {
    this.flushRange(0, this.slots.length, toRef);
  }

  /** Writes the virtual slots `from` up to `to` to the real frame, if it exists (what a send reads). */
  flushRange(from: number, to: number, toRef: (value: Operand) => Operand): void {
    // An allocated inlined frame is written through already.
    if (!this.exists || this.source.kind === 'lazy') return;
    for (let i = from; i < to; i++) {
      const value = this.slots[i];
      if (value !== null && value !== undefined) {
        this.builder.emit('setarrayitem', [this.array(), this.builder.int(i), toRef(value)]);
      }
    }
  }

  /** After a residual call: the real frame holds every slot (if it exists; else nothing changed it). */
  forget(): void {
    if (this.exists) this.slots.fill(null);
  }

  /** The values of every slot (loaded where in memory), for the loop's `jump`. */
  all(): Operand[] {
    return this.slots.map((_, i) => this.read(i));
  }

  /** `slots[i] = value` in the frame's memory, the value as a `ref`. */
  private store(i: number, value: Operand): void {
    const kind = this.builder.kindOf(value);
    const ref =
      kind === 'int'
        ? this.builder.value('int_to_ref', [value])
        : kind === 'bool'
          ? this.builder.value('bool_to_ref', [value])
          : value;
    this.builder.emit('setarrayitem', [this.array(), this.builder.int(i), ref]);
  }

  private array(): Operand {
    this.slotsArray ??= this.builder.value('getfield', [
      this.frame,
      this.builder.constants.descr(this.heap.frameFields.slots),
    ]);
    return this.slotsArray;
  }
}
