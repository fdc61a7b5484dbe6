/**
 * Activation records.
 *
 * One `Frame` per activation of a method or block. Its shape is fixed: the same fields in the
 * same order for every activation, and one preallocated `slots` array holding the arguments,
 * then the locals, then the operand stack. The stack pointer is not stored: it is the same at
 * a given pc on every path, so the compiler records it per pc (`SomMethod.stackTop`). The
 * tiers share this layout, so moving between the interpreter and compiled code in the middle
 * of a method is a matter of (frame, pc).
 *
 * Frames are heap objects, not JS stack slots, because blocks capture them: a closure keeps its
 * defining frame (`outer`) alive and reads and writes its variables by (slot, context level).
 */
import type { SomMethod } from './method.ts';
import type { SomBlock, SomValue } from './objects.ts';

export class Frame {
  readonly slots: SomValue[];
  /** The pc of the instruction being executed; kept current at sends for backtraces and OSR. */
  pc = 0;
  /** False once the activation has returned; a non-local return to it then escapes. */
  onStack = true;
  /** The method activation this frame belongs to (itself for a method activation). */
  readonly home: Frame;
  /** Call depth, for the stack-overflow check. */
  readonly depth: number;

  constructor(
    readonly method: SomMethod,
    readonly receiver: SomValue,
    /** The activation that sent the message (null for the entry activation). */
    readonly caller: Frame | null,
    /** For a block activation: the frame the closure was created in. */
    readonly outer: Frame | null,
    /** For a block activation: the closure being run. */
    readonly block: SomBlock | null,
    /** Its slots, made already (a frame a compiled trace allocates); else new ones. */
    slots: SomValue[] | null = null,
  ) {
    this.slots = slots ?? newSlots(method);
    this.home = outer === null ? this : outer.home;
    this.depth = caller === null ? 0 : caller.depth + 1;
  }

  /** The frame `level` lexical contexts outward (0 = this one). */
  context(level: number): Frame {
    let f: Frame = this;
    for (let i = 0; i < level; i++) {
      // Invariant: the compiler only emits context levels that exist (blocks nest in frames).
      f = f.outer!;
    }
    return f;
  }
}

/** A new activation's slots: its locals nil; the caller writes the arguments. */
function newSlots(method: SomMethod): SomValue[] {
  // Stack slots are always written before they are read (the stack pointer is static per pc),
  // so they are left unset.
  const slots = new Array<SomValue>(method.frameSize);
  const variables = method.numArgs + method.numLocals;
  for (let i = method.numArgs; i < variables; i++) slots[i] = null;
  return slots;
}
