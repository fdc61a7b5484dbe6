/**
 * Side exits: deoptimisation from a trace back into interpreter frames.
 *
 * When a guard of a compiled trace fails, `leaveTrace` (trace-code.ts) hands out the guard's
 * snapshot as `ExitFrame`s, outermost first, with every virtual object already materialised
 * by the IR's one `materialize` (SomHeap's descriptors make that give real SOM objects). This
 * module turns them back into activations and runs them to the end, so that from then on the
 * program behaves exactly as if it had been interpreted all along: same results, same output,
 * same non-local returns and errors, and the same backtrace at any point after the exit.
 *
 * The protocol with the runtime (tier-manager.ts, once it enters traces):
 * - A loop trace is entered from an activation at its loop header (a back-edge in the
 *   interpreter or in tier-1 code): the *entry frame*. That frame keeps running, on the JS
 *   stack, inside its `activate`; the trace only holds its slots in IR values. So the outermost
 *   level of every snapshot is the entry frame itself (FRAME_STATE.activation names it), not a
 *   copy: blocks made before the trace captured it, and a non-local return to it is caught by
 *   its own `activate`. The exit writes its slots back and goes on with it.
 * - Every other level is an activation the trace inlined. It is rebuilt as a Frame (the
 *   materialised virtual Frame when the snapshot names one, else a new one) whose caller is the
 *   level outside it, with the pc, slots, `outer`/`home` (blocks) and depth the interpreter
 *   would have given it, and `onStack` true while it runs.
 * - Resuming: the innermost level runs from its pc through `activate` (so it runs in tier 1 if
 *   its method has code, and `activate` catches what is aimed at it). Its result goes where the
 *   result of the send its caller was in goes (`sendContinuation`), and the caller runs on from
 *   after that send, and so on outward. A non-local return or an error unwinds the levels it
 *   passes as `activate` would have: each is marked off the stack, and the level it is aimed at
 *   answers its value.
 * - The entry frame then continues from after its send (or from the exit's pc, if the guard
 *   was in the entry frame itself) in the best code its method already has, until its method
 *   returns: `resumeAfterExit` answers that result, which the runtime returns as the entry
 *   frame's result, as on-stack replacement does (tier-manager.ts `backEdge`). If the loop is
 *   still hot, its next back-edge enters the trace again.
 * - Exception exits (`resumeAfterThrow`): a residual call the trace made from an inlined level
 *   threw. The levels it passes exist only in the snapshot, so the exit rebuilds them and
 *   unwinds the exception through them as their `activate` calls would have, before it reaches
 *   the entry frame; a non-local return caught on the way resumes the levels outside it.
 *
 * That last step nests one interpreter (or tier-1) call per trace exit on the JS stack of the
 * entry activation. A runtime that can continue the entry frame in its own loop after the exit
 * (a back-edge hook answering "go on at frame.pc") should call `rebuildFrames` and
 * `finishInlinedActivations` and then continue the entry frame itself; `resumeAfterExit` is
 * the version for today's hook, which must answer the activation's result.
 */
import { OPCODES, Op, instructionLength } from '../../interpreter/compiler/opcodes.ts';
import { VmInternalError } from '../../interpreter/errors.ts';
import { methodName } from '../../interpreter/backtrace.ts';
import { interpret, operand, stackTop } from '../../interpreter/interpreter.ts';
import { activate, unwindActivation } from '../../interpreter/invoke.ts';
import { Frame } from '../../interpreter/model/frame.ts';
import { SomMethod } from '../../interpreter/model/method.ts';
import { SomBlock, type SomValue } from '../../interpreter/model/objects.ts';
import type { ExitFrame } from '../ir/snapshot.ts';
import { FRAME_STATE, type SomHeap } from './som-heap.ts';

/**
 * Rebuilds the activations of a side exit and runs them to the end (see the module header);
 * answers the result of the entry frame's activation.
 */
export function resumeAfterExit(heap: SomHeap, entry: Frame, exitFrames: readonly ExitFrame[]): SomValue {
  const frames = rebuildFrames(heap, entry, exitFrames);
  finishInlinedActivations(frames);
  return continueActivation(entry);
}

/**
 * Resumes an exception exit: a residual call the trace made at the innermost level of
 * `exitFrames` threw `exception`. The frames are rebuilt as for a guard's exit (the entry
 * frame's slots and pc written back, each level's pc at its current send); then the exception
 * unwinds the inlined levels, innermost first, exactly as their `activate` calls would have
 * (`unwindActivation`): each goes off the stack, a SOM error remembers the innermost one (its
 * backtrace shows every level with its pc), a JS stack overflow becomes a SOM error there.
 * - A non-local return aimed at an inlined level becomes that level's result: the send of the
 *   level outside it completes with it and the outer levels run on to their ends, as after a
 *   guard's exit. Answers normally: the entry frame goes on at `entry.pc`.
 * - Anything else reaches the entry frame and is rethrown, for the entry frame's own `activate`
 *   to handle (a non-local return to it, an error passing through it).
 */
export function resumeAfterThrow(
  heap: SomHeap,
  entry: Frame,
  exitFrames: readonly ExitFrame[],
  exception: unknown,
): void {
  const frames = rebuildFrames(heap, entry, exitFrames);
  let pending = exception;
  for (let level = frames.length - 1; level > 0; level--) {
    let result: SomValue;
    try {
      // Invariant: 0 < level < frames.length.
      result = unwindActivation(frames[level]!, pending);
    } catch (e) {
      pending = e;
      continue;
    }
    // The level caught a non-local return: it answered `result` to the send of the level outside it.
    const caller = frames.slice(0, level);
    completeSend(caller[level - 1]!, result);
    finishInlinedActivations(caller);
    return;
  }
  throw pending;
}

// ---- rebuilding ----

/**
 * The frames of a side exit, outermost (the entry frame) first, each with its pc, slots,
 * caller and `onStack` set, ready to run.
 */
export function rebuildFrames(heap: SomHeap, entry: Frame, exitFrames: readonly ExitFrame[]): Frame[] {
  const outermost = exitFrames[0];
  if (outermost === undefined) throw new VmInternalError('side exit: a snapshot without frames');
  if (outermost.method !== entry.method || outermost.slots[FRAME_STATE.activation] !== entry) {
    throw new VmInternalError(`side exit: the outermost level is not the entry frame (${methodName(entry.method)})`);
  }
  const frames = [entry];
  for (const state of exitFrames.slice(1)) {
    const frame = inlinedFrame(heap, state, frames[frames.length - 1]!);
    // A frame materialised from a virtual gets its slots array, home and depth once linked
    // (before the next level, whose depth follows from its own).
    heap.complete(frame);
    frames.push(frame);
  }
  // Materialised frames that are not levels: activations that ended, captured by blocks.
  heap.completeMaterializedFrames();
  for (const [level, frame] of frames.entries()) {
    // Invariant: one frame per exit frame, pushed in the loop above.
    const state = exitFrames[level]!;
    writeSlots(frame, state);
    frame.pc = state.pc;
    frame.onStack = true;
  }
  return frames;
}

/** The frame of an inlined level, called from `caller`. */
function inlinedFrame(heap: SomHeap, state: ExitFrame, caller: Frame): Frame {
  const method = state.method;
  if (!(method instanceof SomMethod)) throw new VmInternalError('side exit: a frame state without a SOM method');
  const activation = state.slots[FRAME_STATE.activation];
  const receiver = state.slots[FRAME_STATE.receiver];
  if (activation === undefined || activation === null || activation instanceof SomBlock) {
    const closure = activation instanceof SomBlock ? activation : null;
    if (method.isBlock !== (closure !== null) || receiver === undefined) {
      throw new VmInternalError(`side exit: ${methodName(method)} needs its frame or its receiver`);
    }
    // A block activation named by its closure: its outer frame is the closure's context.
    return new Frame(method, receiver as SomValue, caller, closure?.context ?? null, closure);
  }
  if (!(activation instanceof Frame) || activation.method !== method) {
    throw new VmInternalError(`side exit: the activation of ${methodName(method)} is not one of its frames`);
  }
  if (activation.caller === null && heap.isIncomplete(activation)) heap.linkCaller(activation, caller);
  if (activation.caller !== caller) {
    throw new VmInternalError(`side exit: ${methodName(method)} is not called by the level outside it`);
  }
  if (receiver !== undefined && receiver !== activation.receiver) {
    throw new VmInternalError(`side exit: two receivers for ${methodName(method)}`);
  }
  return activation;
}

/**
 * Writes the exit's slot values into `frame.slots`. A dead slot keeps what the frame holds (nil
 * for the locals of a new frame): the activation does not read it before writing it.
 */
function writeSlots(frame: Frame, state: ExitFrame): void {
  const size = frame.method.frameSize;
  if (state.slots.length > FRAME_STATE.firstSlot + size) {
    throw new VmInternalError(`side exit: more slots than ${methodName(frame.method)} has`);
  }
  for (let i = 0; i < size; i++) {
    const value = state.slots[FRAME_STATE.firstSlot + i];
    if (value !== undefined) frame.slots[i] = value as SomValue;
  }
}

// ---- resuming ----

/**
 * Runs every inlined level of `frames` (all but the outermost) to its end, innermost first,
 * and puts the result into the outermost frame as its send's result, leaving it at the pc after
 * that send. A non-local return or error that the inlined levels do not catch propagates.
 */
export function finishInlinedActivations(frames: readonly Frame[]): void {
  const outermost = frames[0];
  if (outermost !== undefined && frames.length > 1) completeSend(outermost, finishLevel(frames, 1));
}

/** Runs level `level` of `frames`, after the levels inside it, to its end; answers its result. */
function finishLevel(frames: readonly Frame[], level: number): SomValue {
  // Invariant: 1 <= level < frames.length (finishInlinedActivations and the recursion below).
  const frame = frames[level]!;
  if (level === frames.length - 1) return activate(frame);
  let inner: SomValue;
  try {
    inner = finishLevel(frames, level + 1);
  } catch (e) {
    // Not inside an `activate` call yet: the exit resumed the levels inside it first.
    return unwindActivation(frame, e);
  }
  completeSend(frame, inner);
  return activate(frame);
}

/** Where the result of the send at `pc` goes, and the pc after it. */
export function sendContinuation(method: SomMethod, pc: number): { resultSlot: number; resumePc: number } {
  const op = method.code[pc] as Op;
  if (OPCODES[op]?.effect !== 'send') {
    throw new VmInternalError(`side exit: ${methodName(method)} @${pc} is not a send`);
  }
  // Every send opcode's one operand is its send site; the receiver and arguments end at the
  // stack top, and the result replaces the receiver (interpreter/handlers/sends.ts).
  const site = method.sites[operand(method, pc, 1)]!;
  return { resultSlot: stackTop(method, pc) - site.numArgs - 1, resumePc: pc + instructionLength(op) };
}

/**
 * The send at `frame.pc` answered `result`: store it as the send does and move past the send.
 * Answers where it went (the recorder of a bridge does the same in the trace).
 */
export function completeSend(frame: Frame, result: SomValue): { resultSlot: number; resumePc: number } {
  const continuation = sendContinuation(frame.method, frame.pc);
  frame.slots[continuation.resultSlot] = result;
  frame.pc = continuation.resumePc;
  return continuation;
}

/**
 * Continues the activation `frame` from `frame.pc` to its end in the best code its method
 * already has (tier 1, else the interpreter): a side exit does not compile.
 */
export function continueActivation(frame: Frame): SomValue {
  const code = frame.method.compiled;
  return code !== null ? code(frame, frame.pc) : interpret(frame);
}
