/**
 * The virtual frame of the activation being traced: slot number -> the IR value it holds
 * (TRACING.md §3). The recorder's `frame.slots[i]` reads and writes go here, so the trace has
 * no load or store of the frame for them; the real frame is still updated by the concrete run.
 *
 * A slot is either *virtual* (its IR value is known; the real frame's memory may differ inside
 * the compiled trace) or *in memory* (the real frame holds it: after a residual call, which may
 * have written the frame through a block, every slot is in memory until read again). Before a
 * residual call the virtual slots are written to memory (`flush`), since the callee reads its
 * arguments and the blocks read their outer frame from there.
 *
 * Kinds: slot inputs are `ref`; a slot may hold an `int` or `bool` IR value after an operation
 * (it is what the concrete slot holds either way: a small Integer is a JS number, a Boolean a
 * JS boolean), converted to `ref` when it goes to memory or to the loop's `jump`.
 */
import type { TraceBuilder } from '../ir/trace-builder.ts';
import type { Operand } from '../ir/types.ts';
import type { SomHeap } from './som-heap.ts';

/** The IR value of a slot, or null: the real frame holds it. */
export type SlotValue = Operand | null;

export class VirtualFrame {
  private readonly slots: SlotValue[];
  private slotsArray: Operand | null = null;

  constructor(
    private readonly builder: TraceBuilder,
    private readonly heap: SomHeap,
    /** The frame object (a trace input). */
    readonly frame: Operand,
    /** Its receiver (a trace input). */
    readonly receiver: Operand,
    inputs: readonly Operand[],
  ) {
    this.slots = [...inputs];
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
  }

  /** Writes every virtual slot to the real frame (before a residual call). */
  flush(toRef: (value: Operand) => Operand): void {
    this.slots.forEach((value, i) => {
      if (value !== null) this.builder.emit('setarrayitem', [this.array(), this.builder.int(i), toRef(value)]);
    });
  }

  /** After a residual call: the real frame holds every slot. */
  forget(): void {
    this.slots.fill(null);
  }

  /** The values of every slot (loaded where in memory), for the loop's `jump`. */
  all(): Operand[] {
    return this.slots.map((_, i) => this.read(i));
  }

  private array(): Operand {
    this.slotsArray ??= this.builder.value('getfield', [
      this.frame,
      this.builder.constants.descr(this.heap.frameFields.slots),
    ]);
    return this.slotsArray;
  }
}
