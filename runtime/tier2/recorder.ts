/**
 * The trace recorder's driver: records one iteration of a loop of the activation `frame`,
 * from its loop header (method, pc) back to it, by running the generated recorders
 * (generated/tracer.js, one per opcode) instruction by instruction: the twin of the
 * interpreter's dispatch loop. Each recorder does the instruction's work on the real frame and
 * tells the recording context (recording-context.ts) what it did; so when the recording ends,
 * for whatever reason, the frame is exactly where the interpreter would have it, and the
 * caller goes on interpreting from the pc answered (TRACING.md §2, "recording never changes
 * program behaviour").
 *
 * The trace: inputs `[frame, self, ...frame.slots]`, all `ref` (see recording-context.ts for
 * the choices of this phase), built through `recordingFold()` (folding and CSE as it is
 * recorded), closed with `jump` when a back-edge comes round to the header, with the same
 * values in the same order. A recording stops without a trace (an abort, with a reason) when it
 * grows beyond `limit` instructions, when the method returns, when an exception leaves an
 * instruction (the outcome `threw` hands it to the caller, which logs the abort and rethrows it,
 * as the interpreter's instruction would have thrown it), or when the code does something the
 * recording context does not support. A non-local return whose home is a level of the
 * recording is not an exception there: it is that level's return (recording-context.ts
 * `thrown`), the entry activation's too (`leftEntry`).
 */
import type { Op } from '../../interpreter/compiler/opcodes.ts';
import { methodName } from '../../interpreter/backtrace.ts';
import type { Frame } from '../../interpreter/model/frame.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import { PRIMITIVE_RECORDERS, RECORDERS } from '../../generated/tracer.js';
import { recordingFold } from '../opt/cse.ts';
import type { Trace, TraceKind } from '../ir/trace.ts';
import { TraceBuilder } from '../ir/trace-builder.ts';
import type { Operand } from '../ir/types.ts';
import type { OpcodeRecorder, PrimitiveRecorders } from './recorder-protocol.ts';
import { type LevelInputs, RecordingContext, type RecordingOptions } from './recording-context.ts';
import type { BridgeLayout, LevelKind } from './bridge-inputs.ts';
import type { SomHeap } from './som-heap.ts';
import { VirtualFrame } from './virtual-frame.ts';
import { continueActivation } from './deopt.ts';
import { activateWith, unwindActivation } from '../../interpreter/invoke.ts';
import type { Level } from './level.ts';
import type { TraceValidity } from './trace-validity.ts';

export interface RecordOptions {
  readonly heap: SomHeap;
  /** Instructions recorded at most (inlined ones included) before the recording aborts as too long. */
  readonly limit: number;
  /** Levels of inlined activations at most (default 8); 0 inlines nothing. */
  readonly maxInlineDepth?: number | undefined;
  /** The trace's validity, checked in the trace after every residual call (trace-validity.ts). */
  readonly validity?: TraceValidity | undefined;
  /** The recorders (default: the generated ones). */
  readonly recorders?: readonly OpcodeRecorder[];
  /** The traced primitives' twins (default: the generated ones; an empty map calls every primitive). */
  readonly primitiveRecorders?: PrimitiveRecorders;
  /**
   * The loop header at (method, pc) if it has a trace that may run (the runtime's), else null.
   * When the entry frame reaches such a header, the recording ends there with `jump_trace` to it.
   */
  readonly traceAt?: ((method: SomMethod, pc: number) => object | null) | undefined;
  /**
   * Of a bridge: per level of its exit, outermost first, whether code outside the parent trace
   * may hold the activation's frame (its snapshot's `FrameState.captured`; default true).
   */
  readonly captured?: readonly boolean[] | undefined;
  /** What the trace calls for a send it does not inline (default: `invokeFromStack`). */
  readonly send?: RecordingOptions['send'];
  /**
   * Of a loop: when the traced method returns before the loop closes, end the trace there with
   * `finish` instead of aborting (`RecordingOptions.finishAtReturn`).
   */
  readonly finishAtReturn?: boolean | undefined;
}

/** How deep sends are inlined by default. */
export const DEFAULT_MAX_INLINE_DEPTH = 8;

/** How a recording ended; `frame` is then where the interpreter would have it. */
export type RecordingOutcome =
  /** The loop closed: go on interpreting `frame` at `pc` (the header), or enter the trace there. */
  | { readonly kind: 'closed'; readonly trace: Trace; readonly pc: number }
  /** No trace: go on interpreting `frame` at `pc`. */
  | { readonly kind: 'aborted'; readonly reason: string; readonly pc: number }
  /** A bridge that ends where the activation returns: it has returned `value` (the trace's `finish` hands it out). */
  | { readonly kind: 'finished'; readonly trace: Trace; readonly value: unknown }
  /** No trace, and the activation has returned `value` (its method ended during the recording). */
  | { readonly kind: 'returned'; readonly reason: string; readonly value: unknown }
  /**
   * No trace, and `exception` left the entry activation (a SOM error, an exit, a non-local
   * return to an activation outside the recording): the caller logs the abort and rethrows it.
   */
  | { readonly kind: 'threw'; readonly reason: string; readonly exception: unknown };

/**
 * Records the loop of `frame` whose header is `pc` (the frame's state is the header's). It ends
 * `closed` at a loop header, or, with `options.finishAtReturn`, `finished` where the method
 * returns (the trace is then the loop's way out).
 */
export function recordLoop(frame: Frame, pc: number, options: RecordOptions): RecordingOutcome {
  frame.pc = pc;
  return record('loop', [frame], ['frame'], options);
}

/**
 * Records the activation `frame` from its entry (an entry trace, trace-runtime.ts
 * `traceMethodEntry`): it ends in `finish` with the result where the method returns, or in
 * `jump_trace` where the frame reaches a loop header with a trace (of its own method's loop, or
 * of one it did not inline). A loop of its own without a trace ends the recording without one:
 * an entry trace does not unroll loops.
 */
export function recordEntry(frame: Frame, options: RecordOptions): RecordingOutcome {
  frame.pc = 0;
  return record('entry', [frame], ['frame'], options);
}

/**
 * Records a bridge: from a side exit, to the next loop header that has a trace
 * (`options.traceAt`), which it ends in with `jump_trace`. `frames` are the exit's activations,
 * rebuilt (deopt.ts `rebuildFrames`), outermost (the entry frame) first, each at its pc: the
 * innermost at the instruction the guard resumes, the others at the send the next one is an
 * activation of. The bridge's inputs are those of bridge-inputs.ts, laid out by `layout`: a
 * bridge from inside inlined activations starts in them, records the rest of each (its return
 * completes its caller's send, as deopt.ts does), and then the entry frame on to the header.
 */
export function recordBridge(frames: readonly Frame[], layout: BridgeLayout, options: RecordOptions): RecordingOutcome {
  return record('bridge', frames, layout, options);
}

/** The next trace inputs: what names a level (its frame or closure, if any), its receiver and slots. */
function levelInputs(builder: TraceBuilder, frame: Frame, kind: LevelKind): LevelInputs {
  const names = kind === 'none' ? null : builder.input('ref');
  const receiver = builder.input('ref');
  // (Not `frame.slots.map`: a frame's stack slots are holes until first written.)
  const slots = Array.from({ length: frame.slots.length }, () => builder.input('ref'));
  return { frame: kind === 'frame' ? names : null, closure: kind === 'closure' ? names : null, receiver, slots };
}

/**
 * The inputs of an entry trace: the new activation's frame, receiver and arguments. Its locals
 * are nil and its stack is empty at pc 0 (the Frame constructor), so they are constants, and
 * entering the trace copies only `2 + numArgs` values (`traceInputs`).
 */
function activationInputs(builder: TraceBuilder, frame: Frame): LevelInputs {
  const named = builder.input('ref');
  const receiver = builder.input('ref');
  const numArgs = frame.method.numArgs;
  const slots = Array.from({ length: frame.slots.length }, (_, i) =>
    i < numArgs ? builder.input('ref') : builder.nullRef(),
  );
  return { frame: named, closure: null, receiver, slots };
}

/** A recording under way: what `record` sets up and its driver loop uses. */
interface Recording {
  readonly kind: TraceKind;
  readonly options: RecordOptions;
  readonly builder: TraceBuilder;
  readonly T: RecordingContext;
  /** The entry frame's virtual frame (its state closes the trace). */
  readonly vframe: VirtualFrame;
  readonly recorders: readonly OpcodeRecorder[];
  /** The entry frame, and the pc it started at (a loop's header). */
  readonly frame: Frame;
  readonly pc: number;
}

function record(
  kind: TraceKind,
  frames: readonly Frame[],
  layout: BridgeLayout,
  options: RecordOptions,
): RecordingOutcome {
  const r = begin(kind, frames[0]!, frames[frames.length - 1]!, options);
  const { T } = r;
  // Every input comes before the first instruction (closures' guards come with their levels).
  const inlined = frames.slice(1);
  const inlinedInputs = inlined.map((f, i) => levelInputs(r.builder, f, layout[i + 1] ?? 'none'));
  const resumed = inlined.map((f, i) => T.resumeLevel(f, inlinedInputs[i]!, options.captured?.[i + 1] ?? true));
  try {
    return drive(r, resumed.length > 0 ? resumeLevels(r, resumed) : r.pc, resumed.length);
  } catch (e) {
    // (An exception that leaves the entry activation: the caller logs the abort and rethrows it.)
    return { kind: 'threw', reason: T.aborted ?? 'an exception left the recording', exception: e };
  }
}

/** Sets up the recording of `frame` (the entry frame) for a trace of `kind`; `innermost` names it. */
function begin(kind: TraceKind, frame: Frame, innermost: Frame, options: RecordOptions): Recording {
  const name = `${methodName(innermost.method)} @${innermost.pc}`;
  const builder = new TraceBuilder(kind, name, undefined, { fold: recordingFold() });
  const entryInputs = kind === 'entry' ? activationInputs(builder, frame) : levelInputs(builder, frame, 'frame');
  const source = { kind: 'input' as const, frame: entryInputs.frame! };
  const vframe = new VirtualFrame(builder, options.heap, source, entryInputs.receiver, entryInputs.slots);
  const recorders = options.recorders ?? RECORDERS;
  const anchor = kind === 'loop' ? { method: frame.method, pc: frame.pc } : null;
  const context = contextOptions(kind, options, recorders);
  const T = new RecordingContext(builder, options.heap, frame, vframe, anchor, context);
  return { kind, options, builder, T, vframe, recorders, frame, pc: frame.pc };
}

/**
 * A bridge's resumed levels run to their ends (`finishResumedLevel`), and the entry frame
 * completes its send with the outermost one's result; answers the pc the entry frame goes on at
 * (-1: a non-local return to it ended the entry activation).
 */
function resumeLevels(r: Recording, resumed: readonly Level[]): number {
  let value: unknown;
  try {
    value = finishResumedLevel(r.T, resumed, 0, r.recorders);
  } catch (e) {
    return r.T.leftEntry(e);
  }
  return r.T.returnToCaller(resumed[0]!, value);
}

/**
 * Records the entry frame's instructions from `at` until the recording ends; `count`:
 * instructions recorded in it so far.
 */
function drive(r: Recording, at: number, count: number): RecordingOutcome {
  const { T, frame, options } = r;
  const method = frame.method;
  for (; ; count++) {
    if (at < 0) return returned(r);
    const target = count > 0 ? (options.traceAt?.(method, at) ?? null) : null;
    if (target !== null) {
      // The entry frame reached another trace's loop header: go on in that trace.
      const constant = r.builder.constants.ref(target, `trace@${at}`);
      return { kind: 'closed', trace: close(r.builder, r.vframe, constant), pc: at };
    }
    T.beginInstruction(at);
    if (T.aborted !== null) return { kind: 'aborted', reason: T.aborted, pc: at };
    let next: number;
    try {
      next = r.recorders[method.code[at] as Op]!(T, method, at, frame, T.frameShadow);
    } catch (e) {
      next = T.leftEntry(e);
    }
    if (next < 0) return returned(r);
    if (T.aborted !== null) return { kind: 'aborted', reason: T.aborted, pc: next };
    if (r.kind === 'entry' && next <= at && options.traceAt?.(method, next) == null) {
      return { kind: 'aborted', reason: 'a loop without a trace', pc: next };
    }
    if (T.closing && next === r.pc) return { kind: 'closed', trace: close(r.builder, r.vframe, null), pc: next };
    at = next;
  }
}

/**
 * The entry activation returned (a `^`, or a non-local return to it): a bridge or an entry
 * trace (or a loop's, with `finishAtReturn`) ends there with `finish` and the result
 * (recording-context.ts `leave`); else the recording ends without a trace.
 */
function returned(r: Recording): RecordingOutcome {
  const { T } = r;
  if (T.returnOperand !== null && T.aborted === null) {
    r.builder.emit('finish', [T.returnOperand]);
    return { kind: 'finished', trace: r.builder.finish({ dropUnusedSnapshots: true }), value: T.returnValue };
  }
  return { kind: 'returned', reason: T.aborted ?? 'returned', value: T.returnValue };
}

/** What the recording context of a `kind` recording with `options` is given. */
function contextOptions(
  kind: TraceKind,
  options: RecordOptions,
  recorders: readonly OpcodeRecorder[],
): RecordingOptions {
  return {
    limit: options.limit,
    maxInlineDepth: options.maxInlineDepth ?? DEFAULT_MAX_INLINE_DEPTH,
    validity: options.validity,
    runInlined: (context, level) => recordInlined(context, level, recorders),
    primitiveRecorders: options.primitiveRecorders ?? PRIMITIVE_RECORDERS,
    entryCaptured: kind === 'entry' ? false : (options.captured?.[0] ?? true),
    send: options.send,
    finishAtReturn: options.finishAtReturn,
  };
}

/**
 * Ends the trace with the entry frame's state `[frame, self, ...slots]`: a `jump` to its own
 * start, or a `jump_trace` to the trace of the header `target` (an IR constant).
 */
function close(builder: TraceBuilder, vframe: VirtualFrame, target: Operand | null): Trace {
  const values = [vframe.frame, vframe.receiver, ...vframe.all().map((v) => toRef(builder, v))];
  if (target === null) builder.emit('jump', values);
  else builder.emit('jump_trace', [target, ...values]);
  return builder.finish({ dropUnusedSnapshots: true });
}

/**
 * Runs the resumed level `levels[i]` of a bridge, after the levels inside it, to its end,
 * recording it; answers its result (deopt.ts `finishLevel`, recorded). Each runs inside
 * `activateWith`, as its own activation would: an exception that leaves a level ends it.
 */
function finishResumedLevel(
  T: RecordingContext,
  levels: readonly Level[],
  i: number,
  recorders: readonly OpcodeRecorder[],
): unknown {
  const level = levels[i]!;
  let value: unknown;
  try {
    value = runResumedLevel(T, levels, i, recorders);
  } catch (e) {
    T.leftByReturn(level, e);
    throw e;
  }
  // (A non-local return recorded as the level's return ends here: RecordingContext.thrown.)
  T.endedLevel(level, value);
  return value;
}

/** `finishResumedLevel` but for what a non-local return does to the level. */
function runResumedLevel(
  T: RecordingContext,
  levels: readonly Level[],
  i: number,
  recorders: readonly OpcodeRecorder[],
): unknown {
  const level = levels[i]!;
  if (i < levels.length - 1) {
    let inner: unknown;
    try {
      inner = finishResumedLevel(T, levels, i + 1, recorders);
    } catch (e) {
      return unwindActivation(level.frame, e);
    }
    T.returnToCaller(levels[i + 1]!, inner);
  }
  return activateWith(level.frame, () => recordInlined(T, level, recorders) as never);
}

/**
 * Runs the inlined activation of `level` from its first instruction to its return, recording
 * each instruction (the twin of `interpret` for one activation); answers its result. Once the
 * recording has aborted, the rest of the activation runs in its method's best code, unrecorded.
 * Called by the recording context inside `activateWith`, which ends the activation as
 * `activate` does.
 */
function recordInlined(T: RecordingContext, level: Level, recorders: readonly OpcodeRecorder[]): unknown {
  const frame = level.frame;
  const method = frame.method;
  let at = frame.pc;
  for (;;) {
    if (T.aborted === null) T.beginInstruction(at);
    if (T.aborted !== null) {
      frame.pc = at;
      return continueActivation(frame);
    }
    let next: number;
    try {
      next = recorders[method.code[at] as Op]!(T, method, at, frame, level.token);
    } catch (e) {
      // (A non-local return the trace records as a return passes: RecordingContext.thrown.)
      if (!T.isPendingReturn(e)) T.abort('an exception left an inlined instruction');
      throw e;
    }
    // Invariant: the instruction returned, so leave() recorded the result.
    if (next < 0) return level.returned!.value;
    at = next;
  }
}

/**
 * The trace's inputs `[frame, self, ...slots]` for entering it with `frame`'s state, written into
 * `inputs` (the runtime passes a buffer it reuses: a trace reads all its inputs before it runs
 * anything that could enter another trace); `count`: the trace's number of inputs (an entry
 * trace takes the arguments alone: `activationInputs`).
 */
export function traceInputs(frame: Frame, inputs: unknown[] = [], count = frame.slots.length + 2): unknown[] {
  const slots = frame.slots;
  inputs[0] = frame;
  inputs[1] = frame.receiver;
  for (let i = 2; i < count; i++) inputs[i] = slots[i - 2];
  return inputs;
}

function toRef(builder: TraceBuilder, value: Operand): Operand {
  const kind = builder.kindOf(value);
  if (kind === 'int') return builder.value('int_to_ref', [value]);
  if (kind === 'bool') return builder.value('bool_to_ref', [value]);
  return value;
}
