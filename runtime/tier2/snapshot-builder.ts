/**
 * Snapshots of the recorder: the state a guard's side exit resumes, in som-heap.ts's
 * FRAME_STATE layout `[activation, receiver, ...frame.slots]`.
 *
 * A guard resumes at the start of the instruction it is recorded in, so its snapshot holds
 * the virtual frame as it was when that instruction began (the recorder keeps a copy): the
 * interpreter then runs the whole instruction again, this time on its slow path. Slots above
 * the instruction's stack top are dead (left out); a slot the real frame holds is dead too
 * (`null`: the exit keeps what the frame holds, which is current).
 */
import type { SomMethod } from '../../interpreter/model/method.ts';
import { stackTop } from '../../interpreter/interpreter.ts';
import { FrameState, type SnapValue } from '../ir/snapshot.ts';
import type { TraceBuilder } from '../ir/trace-builder.ts';
import type { Operand, SnapshotId } from '../ir/types.ts';
import { FRAME_STATE } from './som-heap.ts';
import type { SlotValue } from './virtual-frame.ts';

/** The snapshot of one activation at `pc` whose slots were `slots` there. */
export function takeSnapshot(
  builder: TraceBuilder,
  method: { readonly constant: Operand; readonly method: SomMethod },
  pc: number,
  frame: { readonly activation: Operand; readonly receiver: Operand },
  slots: readonly SlotValue[],
): SnapshotId {
  const live = slots.slice(0, stackTop(method.method, pc));
  const values: SnapValue[] = [];
  values[FRAME_STATE.activation] = frame.activation;
  values[FRAME_STATE.receiver] = frame.receiver;
  live.forEach((value, i) => (values[FRAME_STATE.firstSlot + i] = value));
  // Invariant: method.constant is a ConstRef (a method is always a pool constant).
  return builder.snapshot([new FrameState(method.constant as never, pc, values)]);
}
