/**
 * The inputs of a bridge (TRACING.md §5): how the state a side exit leaves is handed to the
 * bridge attached to it, without rebuilding the interpreter's frames.
 *
 * A side exit leaves one FrameState per level of the trace (snapshot-builder.ts), outermost (the
 * entry frame) first, each `[activation, receiver, ...slots]` (som-heap.ts FRAME_STATE). A bridge
 * recorded from that exit takes, per level, in the same order:
 * - the level's Frame, if the exit names one (the entry frame always; an inlined level whose
 *   frame the parent trace made, a block's always). Then, in the bridge, the frame is real, as
 *   the entry frame is (`VirtualFrame` source `input`). An inlined level whose frame the parent
 *   never needed has no frame input, and the bridge makes one only if it needs it, as the
 *   recorder does for the levels it inlines itself. The levels with frames are a prefix: a
 *   level's frame is made with its caller's;
 * - its receiver and every slot (a dead slot: what the frame holds, or null if there is no
 *   frame: the activation writes it before it reads it).
 * Which levels have frames follows from the exit's snapshot alone (`framedLevels`), so the
 * recorder (which sees the exit's first taking) and the runtime (every later one) agree on it.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { Frame } from '../../interpreter/model/frame.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import type { ExitFrame } from '../ir/snapshot.ts';
import { FRAME_STATE, type SomHeap } from './som-heap.ts';

/** Per level of the exit, whether its frame is a bridge input. */
export type BridgeLayout = readonly boolean[];

/** The layout of a bridge from an exit that left `exitFrames`. */
export function framedLevels(exitFrames: readonly ExitFrame[]): BridgeLayout {
  return exitFrames.map((state, level) => level === 0 || exitActivation(state) !== null);
}

/**
 * The inputs of a bridge attached to an exit that left `exitFrames` from `entry` (see the
 * module header). Frames the exit materialised get their derived fields first (their home and
 * depth; the caller of an inlined level is the level outside it), and each level's frame its pc.
 */
export function exitInputs(heap: SomHeap, entry: Frame, exitFrames: readonly ExitFrame[]): unknown[] {
  linkMaterializedLevels(heap, entry, exitFrames);
  heap.completeMaterializedFrames();
  const inputs: unknown[] = [];
  for (let level = 0; level < exitFrames.length; level++) {
    // Invariant: level < exitFrames.length.
    const state = exitFrames[level]!;
    const frame = level === 0 ? entry : exitActivation(state);
    const values = state.slots;
    if (frame !== null) {
      inputs.push(frame);
      frame.pc = state.pc;
    }
    inputs.push(frame !== null ? frame.receiver : values[FRAME_STATE.receiver]);
    const size = (state.method as SomMethod).frameSize;
    for (let i = 0; i < size; i++) {
      const value = values[FRAME_STATE.firstSlot + i];
      inputs.push(value !== undefined ? value : frame !== null ? frame.slots[i] : null);
    }
  }
  return inputs;
}

/** A level's frame as the exit left it, or null if the trace never made it. */
function exitActivation(state: ExitFrame): Frame | null {
  const activation = state.slots[FRAME_STATE.activation];
  if (activation === undefined || activation === null) return null;
  if (!(activation instanceof Frame)) throw new VmInternalError('side exit: an activation that is not a Frame');
  return activation;
}

/** A materialised level's frame that does not name its caller is called by the level outside it. */
function linkMaterializedLevels(heap: SomHeap, entry: Frame, exitFrames: readonly ExitFrame[]): void {
  let caller = entry;
  for (let level = 1; level < exitFrames.length; level++) {
    const frame = exitActivation(exitFrames[level]!);
    if (frame === null) return;
    if (frame.caller === null && heap.isIncomplete(frame)) heap.linkCaller(frame, caller);
    caller = frame;
  }
}
