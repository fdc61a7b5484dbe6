/**
 * The inputs of a bridge (TRACING.md §5): how the state a side exit leaves is handed to the
 * bridge attached to it, without rebuilding the interpreter's frames.
 *
 * A side exit leaves one FrameState per level of the trace (snapshot-builder.ts), outermost (the
 * entry frame) first, each `[activation, receiver, ...slots]` (som-heap.ts FRAME_STATE). A bridge
 * recorded from that exit takes, per level, in the same order:
 * - what names the activation, if the exit has it: the level's Frame (the entry frame always; an
 *   inlined level whose frame the parent trace made), then real in the bridge as the entry
 *   frame is (`VirtualFrame` source `input`); or, for a block activation with no frame, its
 *   closure. An inlined level without a frame input gets one in the bridge only if the bridge
 *   needs it, as the recorder does for the levels it inlines itself. The levels with frames are
 *   a prefix: a level's frame is made with its caller's;
 * - its receiver and every slot (a dead slot: what the frame holds, or null if there is no
 *   frame: the activation writes it before it reads it).
 * What names each level follows from the exit's snapshot alone (`levelKinds`), so the recorder
 * (which sees the exit's first taking) and the runtime (every later one) agree on it.
 */
import { Frame } from '../../interpreter/model/frame.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import { SomBlock } from '../../interpreter/model/objects.ts';
import { VmInternalError } from '../../interpreter/errors.ts';
import { type ExitFrame, type SnapValue, VirtualRef } from '../ir/snapshot.ts';
import type { ConstantPool } from '../ir/trace.ts';
import type { StructDescr } from '../ir/descriptors.ts';
import { type IrRef, type Operand, isConstant } from '../ir/types.ts';
import type { SideExit } from './trace-code.ts';
import { FRAME_STATE, type SomHeap } from './som-heap.ts';

/** What names a level of a bridge's start among its inputs (see the module header). */
export type LevelKind = 'frame' | 'closure' | 'none';

/** Per level of the exit, outermost first, what names it among a bridge's inputs. */
export type BridgeLayout = readonly LevelKind[];

/** The layout of a bridge from an exit that left `exitFrames`. */
export function levelKinds(exitFrames: readonly ExitFrame[]): BridgeLayout {
  return exitFrames.map((state, level) => {
    const activation = state.slots[FRAME_STATE.activation];
    return level === 0 || activation instanceof Frame ? 'frame' : activation instanceof SomBlock ? 'closure' : 'none';
  });
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
    } else if (values[FRAME_STATE.activation] instanceof SomBlock) {
      inputs.push(values[FRAME_STATE.activation]);
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
  return activation instanceof Frame ? activation : null;
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

// ---- the fast path: a plan per bridge ----

/** Where one bridge input comes from (see `InputPlan`). */
const enum Source {
  /** `out[arg]`: a live value of the exit. */
  Live,
  /** `plan.constants[arg]`. */
  Constant,
  /** The entry frame. */
  Entry,
  /** The receiver of the frame that is input `arg`. */
  FrameReceiver,
  /** Slot `arg2` of the frame that is input `arg` (a dead slot: what the frame holds). */
  FrameSlot,
  /** Nothing (a dead slot of a level with no frame). */
  Null,
  /** Virtual object `arg` of the exit, made once for the bridge (`VirtualInput`). */
  Virtual,
}

/**
 * An object the parent trace kept virtual (a boxed Double, most often), made for the bridge:
 * `new ctor(...fields)`, each field a live value or a constant. Only structs whose fields all
 * hold values (no references: nothing can name another virtual or a frame), so making it takes
 * its constructor alone (som-heap.ts), as the optimiser's own allocation would.
 */
interface VirtualInput {
  /** The plan constant that is the struct's constructor. */
  readonly ctor: number;
  readonly fields: readonly (readonly [source: Source.Live | Source.Constant, arg: number])[];
}

/**
 * How to read a bridge's inputs straight from the live values its parent's exit leaves in
 * `out`, worked out once when the bridge is attached: the same inputs as `exitInputs`, without
 * materialising the snapshot into ExitFrames first. Only for an exit whose snapshot's virtual
 * objects are all value structs (`VirtualInput`); others must be materialised (`exitInputs`).
 *
 * The plan runs at every exit into the bridge, which for a short inner loop is every few
 * iterations (a loop over the plan's table cost a quarter of Sieve's time), so it is code: one
 * assignment per input (`assignments`), compiled into the bridge's own function as its prologue
 * (backend.ts: the runtime calls the bridge straight after the exit) and into its root's when
 * the bridge is inlined there. `read` runs it on its own (tests, and tools).
 */
export class InputPlan {
  /**
   * Reads the inputs into `inputs` (a buffer reused: a trace reads all its inputs before
   * anything else). Made at the first `read`: the runtime compiles the plan into its bridge's
   * function instead (backend.ts), and inlines it into the root's.
   */
  private reader:
    ((entry: Frame, out: readonly unknown[], inputs: unknown[], constants: readonly unknown[]) => unknown[]) | null =
    null;
  private readonly inputs: unknown[];

  constructor(
    private readonly sources: readonly Source[],
    private readonly args: readonly number[],
    private readonly args2: readonly number[],
    private readonly constants: readonly unknown[],
    /** Per framed level: the input that is its frame, and the pc the exit leaves it at. */
    private readonly pcs: readonly (readonly [input: number, pc: number])[],
    /** The exit's virtual objects the inputs name, made first, once each. */
    private readonly virtuals: readonly VirtualInput[] = [],
  ) {
    this.inputs = new Array<unknown>(sources.length).fill(null);
  }

  /** The bridge's inputs for an exit from `entry` that left its live values in `out`. */
  read(entry: Frame, out: readonly unknown[]): unknown[] {
    if (this.reader === null) {
      const text = this.assignments(READER, '').join('\n');
      // new Function answers an untyped Function; it is typed at once as the reader it is.
      this.reader = new Function(
        'entry',
        'out',
        'inputs',
        'constants',
        `'use strict';\n${text}\nreturn inputs;`,
      ) as never;
    }
    return this.reader!(entry, out, this.inputs, this.constants);
  }

  /**
   * The plan as statements in `words`' terms: one assignment per input (each declared with
   * `declare`), then the pc of each framed level. The reader's body, and the code that binds an
   * inlined bridge's inputs in its parent's function (backend.ts).
   */
  assignments(words: PlanWords, declare: string): string[] {
    const lines = this.virtuals.map(({ ctor, fields }, i) => {
      const values = fields.map(([source, arg]) => sourceText(words, source, arg, 0, this.constants));
      return `const ${words.virtual(i)} = new ${words.constant(this.constants[ctor], ctor)}(${values.join(', ')});`;
    });
    this.sources.forEach((source, i) => {
      const arg = this.args[i]!;
      lines.push(`${declare}${words.input(i)} = ${sourceText(words, source, arg, this.args2[i]!, this.constants)};`);
    });
    for (const [input, pc] of this.pcs) lines.push(`${words.input(input)}.pc = ${pc};`);
    return lines;
  }
}

/** How a plan's statements name what they read and write (`InputPlan.assignments`). */
export interface PlanWords {
  /** Input `i` of the bridge. */
  input(i: number): string;
  /** The exit's live value `out[at]`. */
  live(at: number): string;
  /** The plan's constant `value`, its `index`th. */
  constant(value: unknown, index: number): string;
  /** The entry frame. */
  readonly entry: string;
  /** The plan's `i`th virtual object, made for the bridge (a `const` of the statements). */
  virtual(i: number): string;
}

/** The reader's terms: it fills `inputs` from `out`, `constants` and `entry`. */
const READER: PlanWords = {
  input: (i) => `inputs[${i}]`,
  live: (at) => `out[${at}]`,
  constant: (_, index) => `constants[${index}]`,
  entry: 'entry',
  virtual: (i) => `v${i}`,
};

function sourceText(
  words: PlanWords,
  source: Source,
  arg: number,
  arg2: number,
  constants: readonly unknown[],
): string {
  switch (source) {
    case Source.Live:
      return words.live(arg);
    case Source.Constant:
      return words.constant(constants[arg], arg);
    case Source.Entry:
      return words.entry;
    case Source.FrameReceiver:
      return `${words.input(arg)}.receiver`;
    case Source.FrameSlot:
      return `${words.input(arg)}.slots[${arg2}]`;
    case Source.Virtual:
      return words.virtual(arg);
    default:
      return 'null';
  }
}

/**
 * The plan for a bridge laid out by `layout`, attached to `exit` of a trace with `constants`;
 * null if the exit's snapshot has virtual objects other than value structs.
 */
export function inputPlan(exit: SideExit, constants: ConstantPool, layout: BridgeLayout): InputPlan | null {
  const snapshot = exit.snapshot;
  const virtuals = virtualInputs(exit, constants);
  if (virtuals === null) return null;
  const sources: Source[] = [];
  const args: number[] = [];
  const args2: number[] = [];
  const planConstants: unknown[] = [];
  const pcs: [number, number][] = [];
  const add = (source: Source, arg = 0, arg2 = 0) => {
    sources.push(source);
    args.push(arg);
    args2.push(arg2);
    return sources.length - 1;
  };
  const value = (v: SnapValue): number | null => {
    if (v === null) return null;
    if (typeof v !== 'number') return add(Source.Virtual, v.index);
    if (isConstant(v)) return add(Source.Constant, planConstants.push(constants.value(v)) - 1);
    return add(Source.Live, liveAt(exit, v));
  };
  for (const [level, state] of snapshot.frames.entries()) {
    const kind = layout[level] ?? 'none';
    const named =
      level === 0 ? add(Source.Entry) : kind === 'none' ? null : value(state.slots[FRAME_STATE.activation]!);
    const frame = kind === 'frame' ? named : null;
    if (frame !== null) pcs.push([frame, state.pc]);
    const receiver = state.slots[FRAME_STATE.receiver] ?? null;
    if (frame !== null && (level === 0 || receiver === null)) add(Source.FrameReceiver, frame);
    else value(receiver);
    const size = (constants.value(state.method) as SomMethod).frameSize;
    for (let i = 0; i < size; i++) {
      const slot = state.slots[FRAME_STATE.firstSlot + i] ?? null;
      if (slot !== null) value(slot);
      else if (frame !== null) add(Source.FrameSlot, frame, i);
      else add(Source.Null);
    }
  }
  const made = virtuals.map(({ descr, fields }) => {
    const ctor = planConstants.push(descr.ctor) - 1;
    const values = fields.map((f) =>
      isConstant(f)
        ? ([Source.Constant, planConstants.push(constants.value(f)) - 1] as const)
        : ([Source.Live, liveAt(exit, f)] as const),
    );
    return { ctor, fields: values };
  });
  return new InputPlan(sources, args, args2, planConstants, pcs, made);
}

function liveAt(exit: SideExit, v: IrRef): number {
  const at = exit.liveIndex.get(v);
  if (at === undefined) throw new VmInternalError(`bridge inputs: r${v} is not live at exit ${exit.exitId}`);
  return at;
}

/**
 * The exit's virtual objects as the plan makes them, or null if one is not a struct whose fields
 * all hold values (see `VirtualInput`): an array, a frame or an object with references must be
 * materialised the general way.
 */
function virtualInputs(
  exit: SideExit,
  constants: ConstantPool,
): { readonly descr: StructDescr; readonly fields: readonly Operand[] }[] | null {
  const made = [];
  for (const virtual of exit.snapshot.virtuals) {
    if (virtual.kind !== 'struct') return null;
    const descr = constants.struct(virtual.descr);
    if (descr.fields.some((field) => field.kind === 'ref')) return null;
    const fields: Operand[] = [];
    for (const value of virtual.fields) {
      if (value === null || value instanceof VirtualRef) return null;
      fields.push(value);
    }
    made.push({ descr, fields });
  }
  return made;
}
