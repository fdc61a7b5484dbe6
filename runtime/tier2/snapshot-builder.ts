/**
 * Snapshots of the recorder: the state a guard's side exit resumes, one FrameState per level
 * of the recording (level.ts), outermost first, each in som-heap.ts's FRAME_STATE layout
 * `[activation, receiver, ...frame.slots]`.
 *
 * A guard resumes at the start of the instruction it is recorded in, so its snapshot holds
 * each level's virtual frame as it was when that level's current instruction began (the level
 * keeps a copy): the interpreter then runs the innermost instruction again, this time on its
 * slow path, and every outer level continues after its send (deopt.ts). Slots above an
 * instruction's stack top are dead (left out); a slot the real frame holds is dead too (`null`:
 * the exit keeps what the frame holds, which is current). An inlined activation whose frame the
 * trace never needed as a value has no `activation` (a block's has its closure there): the exit
 * allocates it.
 */
import type { SomMethod } from '../../interpreter/model/method.ts';
import { stackTop } from '../../interpreter/interpreter.ts';
import { FrameState, type SnapValue } from '../ir/snapshot.ts';
import type { TraceBuilder } from '../ir/trace-builder.ts';
import type { SnapshotId } from '../ir/types.ts';
import type { Level } from './level.ts';
import { FRAME_STATE } from './som-heap.ts';

/** The snapshot of every level from the entry frame to `innermost`, each at its current instruction. */
export function takeSnapshot(builder: TraceBuilder, innermost: Level): SnapshotId {
  const states: FrameState[] = [];
  for (let level: Level | null = innermost; level !== null; level = level.caller) states.unshift(frameState(level));
  return builder.snapshot(states);
}

function frameState(level: Level): FrameState {
  const method: SomMethod = level.frame.method;
  const live = level.startSlots.slice(0, stackTop(method, level.pc));
  const values: SnapValue[] = [];
  // A block activation the trace made no frame for is named by its closure (som-heap.ts).
  values[FRAME_STATE.activation] = level.vframe.frameIfExists ?? level.closure?.block ?? null;
  values[FRAME_STATE.receiver] = level.vframe.receiver;
  live.forEach((value, i) => (values[FRAME_STATE.firstSlot + i] = value));
  // Invariant: a method's constant is a ConstRef (a method is always a pool constant).
  return new FrameState(level.methodConstant as never, level.pc, values, level.captured);
}
