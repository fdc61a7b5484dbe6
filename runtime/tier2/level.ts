/**
 * The activations of a recording (TRACING.md §3, "virtual frames"): the entry frame, whose loop
 * is being traced (level 0), and the callees the recorder inlines into it, one level each.
 *
 * Each level is a real activation while the recording runs (the recorder runs the program
 * concretely), and a *virtual* one in the trace: its slots are IR values in its VirtualFrame,
 * and its Frame object exists in the trace only if something needs it as a value (a block
 * captures it, a residual call takes it as its caller, a non-local return looks for it). Then,
 * and only then, the trace allocates it (`new_struct #Frame`), which the optimiser keeps virtual
 * unless it escapes; the entry frame is always there (a trace input).
 *
 * A guard's snapshot holds one FrameState per level, outermost first (snapshot-builder.ts): the
 * state at the start of the instruction each level is in. For every level but the innermost
 * that instruction is the send the next level is an activation of (deopt.ts resumes after it).
 */
import type { Frame } from '../../interpreter/model/frame.ts';
import type { Operand, SnapshotId } from '../ir/types.ts';
import type { SlotValue, VirtualFrame } from './virtual-frame.ts';

/** What the recorders hold for a level's `frame`: the level, not an IR value. */
export class FrameToken {
  constructor(readonly level: Level) {}
}

/** What the recorders hold for a level's `frame.slots`: reads and writes go to its VirtualFrame. */
export class SlotsToken {
  constructor(readonly level: Level) {}
}

export class Level {
  readonly token = new FrameToken(this);
  readonly slotsToken = new SlotsToken(this);
  /** The pc of the instruction this level is in. */
  pc = 0;
  /** The level's slots when that instruction began: what its guards resume with. */
  startSlots: readonly SlotValue[] = [];
  /** The snapshot of that instruction's start, once a guard needed it. */
  snapshot: SnapshotId | null = null;
  /** A call ran in that instruction: a guard after it would run the call twice, so none may follow. */
  calledInInstruction = false;
  /**
   * Whether code outside the trace may read or write this activation's slots in memory: a
   * closure over its frame exists (made before the trace, or by it), or a residual helper was
   * handed the frame. Only then do residual calls need its virtual slots written first and read
   * again after. A fresh activation (an inlined one, or an entry trace's at pc 0) starts
   * uncaptured; a send (`invokeFromStack`) does not capture its caller: the callee sees only the
   * receiver and arguments it is given, and its caller's method and pc (backtraces).
   */
  captured = true;
  /** When the level's method returned: its result and the result's shadow. */
  returned: { readonly value: unknown; readonly shadow: unknown } | null = null;

  constructor(
    /** The real activation (the recording runs it). */
    readonly frame: Frame,
    /** The method's IR constant. */
    readonly methodConstant: Operand,
    readonly vframe: VirtualFrame,
    /** The level that sent the message this level is the activation of (null: the entry frame). */
    readonly caller: Level | null,
    /**
     * For a block activation: the closure (an IR value) and its defining frame, as the
     * recorders see it (a level's token when that frame is a level of this recording, else an
     * IR value); null for a method activation. (Set once: a bridge that starts inside a block
     * activation reads it from the closure when the level exists, as its guards need.)
     */
    public closure: { readonly block: Operand; readonly outer: FrameToken | Operand } | null = null,
  ) {}

  get depth(): number {
    return this.caller === null ? 0 : this.caller.depth + 1;
  }
}
