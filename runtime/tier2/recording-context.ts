/**
 * The recording context `T` the generated recorders (generated/tracer.js) call while they run
 * the interpreter's code concretely: it turns what they report into trace IR (TRACING.md §2).
 *
 * The generated code hands every operation its concrete operands and result together with
 * their *shadows*: an IR operand (value or constant), or a token for the traced frame or its
 * slots array. This class decides, from the concrete values' kinds, which IR operation that is
 * (`+` on two small Integers is `int_add_ovf`), folds operations on constants (static values
 * of the interpreter are trace constants), guards where the interpreter branched on a value
 * it only knows at run time, and keeps the traced frame's slots in the virtual frame.
 *
 * Its methods answer shadows only, and never throw: the concrete half of the generated code
 * does the program's work whatever the recording does, so a recording that goes wrong aborts
 * (`aborted` says why) and the instruction still runs to its end exactly as interpreted.
 *
 * Choices of this phase (issue #10 item 2, phase 1):
 * - inputs are all `ref` (the frame, self, each slot); a use as a small Integer guards with
 *   `ref_to_int` (once per value), a use as a Boolean with `ref_to_bool`;
 * - residual calls (sends go through `invokeFromStack`, which is `@jit.residual`) are `call`s of
 *   the real function: the callee runs in its own best tier; sends are not inlined yet;
 * - a read of a field of a *constant* object that has no heap descriptor (a send site's cache,
 *   a method's literals) is folded to its value now: such objects are green, like RPython's
 *   quasi-immutable fields; invalidating traces when they change is the next phase's;
 * - a read of `clazz` of a SOM heap object (`classOf`) is a `guard_class` (once per value) and
 *   answers the class as a constant: a class never changes, and the send that reads it
 *   promotes it at once anyway, so this is the class guard the promote would give;
 * - a guard after a residual call in the same instruction aborts (its exit would run the call
 *   twice), and so does anything the table below does not cover.
 */
import { methodName } from '../../interpreter/backtrace.ts';
import { activateWith, blockFrame, invokeFromStack, sendFrame } from '../../interpreter/invoke.ts';
import { SomClass } from '../../interpreter/model/class.ts';
import { Frame } from '../../interpreter/model/frame.ts';
import { type Invokable, SomMethod, SomPrimitive } from '../../interpreter/model/method.ts';
import { SomArray, SomBlock, SomDouble, SomObject, SomString, type SomValue } from '../../interpreter/model/objects.ts';
import { completeSend } from './deopt.ts';
import { CallDescr, type FieldDescr, type TraceCallable } from '../ir/descriptors.ts';
import type { IrOp } from '../ir/ops.ts';
import type { TraceBuilder } from '../ir/trace-builder.ts';
import { type Operand, type SnapshotId, type ValueKind, isConstant } from '../ir/types.ts';
import { NonLocalReturn } from '../../interpreter/signals.ts';
import { BytecodeOrigin } from './bytecode-origin.ts';
import type { PrimitiveRecorder, PrimitiveRecorders } from './recorder-protocol.ts';
import { FrameToken, Level, SlotsToken } from './level.ts';
import { inlineDecision } from './inlining-policy.ts';
import { takeSnapshot } from './snapshot-builder.ts';
import type { SomHeap } from './som-heap.ts';
import { VALIDITY_FIELD, type TraceValidity } from './trace-validity.ts';
import { type FrameSource, type SlotValue, VirtualFrame } from './virtual-frame.ts';

/** JavaScript's undefined (an uninitialised local, a void result): not a value a trace holds. */
class UndefinedToken {}
const UNDEFINED = new UndefinedToken();

/** What the recorders pass around beside each concrete value. */
export type Shadow = Operand | FrameToken | SlotsToken | UndefinedToken;

/** Integer operators: the IR operation, and whether it guards (overflow). */
const INT_OPS: Readonly<Record<string, IrOp>> = {
  '+': 'int_add_ovf', '-': 'int_sub_ovf', '*': 'int_mul_ovf',
  '<': 'int_lt', '<=': 'int_le', '>': 'int_gt', '>=': 'int_ge',
  '===': 'int_eq', '!==': 'int_ne', '==': 'int_eq', '!=': 'int_ne',
  // JS's bit operators on numbers are the IR's (both work on the operands as int32).
  '&': 'int_and', '|': 'int_or', '^': 'int_xor',
  // JS's % on numbers is the truncated remainder (its sign, for a zero, aside: int_rem gives +0).
  '%': 'int_rem',
}; // prettier-ignore
const FLOAT_OPS: Readonly<Record<string, IrOp>> = {
  '+': 'float_add', '-': 'float_sub', '*': 'float_mul', '/': 'float_div',
  '<': 'float_lt', '<=': 'float_le', '>': 'float_gt', '>=': 'float_ge',
  '===': 'float_eq', '!==': 'float_ne', '==': 'float_eq', '!=': 'float_ne',
}; // prettier-ignore
const REF_OPS: Readonly<Record<string, IrOp>> = { '===': 'ref_eq', '!==': 'ref_ne', '==': 'ref_eq', '!=': 'ref_ne' };

/** Thrown inside the context only, caught at its surface: the recording stops. */
class Abort extends Error {}

/** `inlineBlock` gave up before the block ran: the send is made as a residual call. */
const NOT_INLINED = Symbol('not inlined');

/** The trace inputs that hold an activation's state: its frame (if an input), receiver and slots. */
export interface LevelInputs {
  readonly frame: Operand | null;
  /** A block activation's closure, when its frame is not an input. */
  readonly closure: Operand | null;
  readonly receiver: Operand;
  readonly slots: readonly Operand[];
}

/** What the driver (recorder.ts) gives the recording context. */
export interface RecordingOptions {
  /** Instructions recorded at most, at every level together. */
  readonly limit: number;
  /** Levels of inlined activations at most. */
  readonly maxInlineDepth: number;
  /** The trace's validity, checked after every residual call (absent: not checked). */
  readonly validity?: TraceValidity | undefined;
  /**
   * Records the inlined activation `level` from its first instruction to its return, running
   * it concretely (after an abort, without recording); answers its result.
   */
  readonly runInlined: (T: RecordingContext, level: Level) => unknown;
  /** The twins of the traced primitives (generated/tracer.js); a primitive without one is a call. */
  readonly primitiveRecorders?: PrimitiveRecorders | undefined;
  /**
   * Whether the entry frame may be captured (level.ts `captured`; default true): not when it is
   * a fresh activation at pc 0 (an entry trace), nor in a bridge from where the parent trace
   * knew it was not.
   */
  readonly entryCaptured?: boolean | undefined;
  /**
   * What the trace calls for a send it does not inline: a function that behaves as
   * `invokeFromStack` (the default), such as the trace runtime's `sendFromTrace`.
   */
  readonly send?: { readonly fn: TraceCallable; readonly name: string } | undefined;
  /**
   * Of a loop: whether the recording may end where the traced method returns (`finish`), before
   * the loop closes. A loop that runs a few iterations per activation (a short list's walk) is
   * left before its recording closes it; its trace is then the way out of the loop, and the
   * iterations become a bridge from the loop's exit test back to the header, inlined into it.
   */
  readonly finishAtReturn?: boolean | undefined;
}

export class RecordingContext {
  /** Why the recording stopped, or null while it goes on. */
  aborted: string | null = null;
  /** The shadow of the value the last twin returned (the generated code reads it right after). */
  result: Shadow = 0 as Operand;
  /** A back-edge to the loop's header was taken in the current instruction. */
  closing = false;
  /** The activation's result, when its method returned during the recording. */
  returnValue: unknown = undefined;
  /** Of a bridge or an entry trace: the IR value of that result, which the trace ends with (`leave`). */
  returnOperand: Operand | null = null;

  /** The entry frame's level (its loop is traced). */
  readonly entry: Level;
  /** The innermost level: the activation whose instruction is being recorded. */
  private top: Level;
  /** Instructions recorded so far, at every level. */
  private instructions = 0;
  /** A residual call ran since the trace last checked its validity. */
  private callsSinceCheck = false;
  private readonly asInt = new Map<Operand, Operand>();
  /** A non-local return thrown to `home`, a level of the recording, with its value's shadow. */
  private pendingReturn: { readonly exception: NonLocalReturn; readonly home: Level; readonly shadow: Shadow } | null =
    null;
  /** Arrays of `new Array(n)` (new_array) whose `fill(null)` is still to come. */
  private readonly unfilledArrays = new Set<Operand>();
  private readonly classGuarded = new Set<Operand>();
  private readonly labels = new Set<string>();
  private readonly callDescrs = new Map<unknown, CallDescr>();

  constructor(
    readonly builder: TraceBuilder,
    readonly heap: SomHeap,
    frame: Frame,
    vframe: VirtualFrame,
    /** The loop header a loop recording closes at; null for a bridge (it closes at a trace's header). */
    private readonly anchor: { readonly method: SomMethod; readonly pc: number } | null,
    private readonly options: RecordingOptions,
  ) {
    this.entry = new Level(frame, this.constant(frame.method), vframe, null);
    this.entry.captured = options.entryCaptured !== false;
    // A bridge may start inside activations the entry frame called: its guards there resume the
    // entry frame at the send it is at, with its inputs.
    this.entry.pc = frame.pc;
    this.entry.startSlots = vframe.current();
    this.top = this.entry;
  }

  /** What the generated code passes as the entry frame's shadow. */
  get frameShadow(): FrameToken {
    return this.entry.token;
  }

  /**
   * The driver starts an instruction of the innermost level: guards in it resume here, with
   * the slots as they are now. After a residual call the trace first checks that it is still
   * valid (trace-validity.ts), with this instruction's state.
   */
  beginInstruction(pc: number): void {
    const level = this.top;
    level.pc = pc;
    level.startSlots = level.vframe.current();
    this.builder.setOrigin(new BytecodeOrigin(level.frame.method, pc));
    level.snapshot = null;
    level.calledInInstruction = false;
    this.closing = false;
    if (++this.instructions > this.options.limit) this.abort(`longer than ${this.options.limit} instructions`);
    if (this.callsSinceCheck && this.aborted === null) {
      this.callsSinceCheck = false;
      this.safely(() => this.checkValidity());
    }
  }

  // ---- what the generated code calls (each answers a shadow and never throws) ----

  k(value: unknown): Shadow {
    return value === undefined ? UNDEFINED : this.safely(() => this.constant(value));
  }

  abort(reason: string): void {
    this.aborted ??= reason;
  }

  /**
   * Traced code throws `value`. The recording stops, but for the non-local return that `alloc`
   * made to a level of the recording (`pendingReturn`): the levels it leaves end as returns
   * do, and its home level returns its value (`enterLevel`; the entry's: `leftEntry`).
   */
  thrown(value: unknown): void {
    if (this.pendingReturn === null || value !== this.pendingReturn.exception) this.abort('an exception is thrown');
  }

  /** Whether `e` is the non-local return being recorded (`thrown`): it is let through. */
  isPendingReturn(e: unknown): boolean {
    return this.pendingReturn !== null && e === this.pendingReturn.exception;
  }

  /**
   * `e` left an instruction of the entry activation (or the activations a bridge resumed in it).
   * The non-local return being recorded has it as its home (`alloc`): the activation returns
   * its value, recorded as `leave` records a `^`, and the caller goes on as after a return (-1).
   * Anything else stops the recording and goes on outward.
   */
  leftEntry(e: unknown): number {
    if (!this.isPendingReturn(e)) {
      this.abort('an exception left an instruction');
      throw e;
    }
    const { exception, shadow } = this.pendingReturn!;
    this.pendingReturn = null;
    this.top = this.entry;
    return this.leave(exception.value, shadow);
  }

  /** `e` left `level`'s activation: if it is the non-local return being recorded, the level ends as a return does. */
  leftByReturn(level: Level, e: unknown): void {
    if (this.isPendingReturn(e)) this.safely(() => this.offStack(level));
  }

  /**
   * `level`'s activation ended with `value`; if it is the home of the non-local return being
   * recorded (its `activateWith` caught it), that is the level's return, with the value's shadow.
   */
  endedLevel(level: Level, value: unknown): void {
    if (this.pendingReturn === null || this.pendingReturn.home !== level) return;
    level.returned = { value, shadow: this.pendingReturn.shadow };
    this.pendingReturn = null;
  }

  unsupported(reason: string): Shadow {
    this.abort(`unsupported: ${reason}`);
    return this.dummy();
  }

  /**
   * A back-edge: to the traced loop's header, it closes the trace; to another loop's header in
   * the entry frame (an inner loop), it aborts: the inner loop is traced on its own, and
   * unrolling it into this trace would make a trace for one iteration count only.
   */
  backEdge(method: SomMethod, target: number): void {
    if (this.top !== this.entry || this.anchor === null) return;
    if (method === this.anchor.method && target === this.anchor.pc) this.closing = true;
    else this.abort('an inner loop (traced on its own)');
  }

  /** A dynamic pc: the trace goes on only where the recording went. */
  jumpTo(pc: number, shadow: Shadow): number {
    this.promote(pc, shadow);
    return pc;
  }

  /**
   * The innermost activation returns: an inlined one hands its result to its caller level
   * (`portal`); the entry frame's ends the recording of its loop.
   */
  leave(value: unknown, shadow: Shadow): number {
    if (this.top !== this.entry) {
      this.top.returned = { value, shadow };
      return -1;
    }
    this.returnValue = value;
    if (this.anchor !== null && this.options.finishAtReturn !== true) {
      this.abort('the traced method returned');
      return -1;
    }
    // A bridge or an entry trace (or a loop's, see `finishAtReturn`) may end where the entry
    // activation returns: the trace hands the result out (`finish`). The frame's slots go to memory first: a closure that captured the frame may
    // read them after the activation has ended.
    const result = this.safely(() => {
      const operand = this.toRef(value, this.operand(shadow));
      if (this.entry.captured) this.entry.vframe.flush((v) => this.toRef(undefined, v));
      return operand;
    });
    if (this.aborted === null) this.returnOperand = result as Operand;
    return -1;
  }

  promote(value: unknown, shadow: Shadow): Shadow {
    return this.safely(() => {
      const s = this.operand(shadow);
      if (isConstant(s)) return s;
      const c = this.constantOfKind(value, this.builder.kindOf(s));
      this.guard1('guard_value', [s, c]);
      return c;
    });
  }

  guard(value: unknown, shadow: Shadow): void {
    this.safely(() => {
      const s = this.operand(shadow);
      if (isConstant(s)) {
        if (Boolean(this.builder.constants.get(s).value) !== Boolean(value)) throw new Abort('a constant test changed');
        return this.dummy();
      }
      switch (this.builder.kindOf(s)) {
        case 'bool':
          this.guard1(value === true ? 'guard_true' : 'guard_false', [s]);
          break;
        case 'ref':
          if (value === null) this.guard1('guard_isnull', [s]);
          else if (typeof value === 'object') this.guard1('guard_nonnull', [s]);
          else this.guard(value, this.convert(value, s));
          break;
        default:
          throw new Abort(`a test on a ${this.builder.kindOf(s)}`);
      }
      return this.dummy();
    });
  }

  get(object: unknown, shadow: Shadow, property: string, result: unknown): Shadow {
    return this.safely(() => {
      if (shadow instanceof FrameToken) return this.frameField(shadow.level, property, result);
      const s = this.operand(shadow);
      if (isConstant(s)) return this.constant(result);
      // (A JS string's length never changes either: arraylen reads it the same way.)
      if ((Array.isArray(object) || typeof object === 'string') && property === 'length')
        return this.builder.value('arraylen', [s]);
      if (property === 'clazz' && object instanceof Object && !(object instanceof Frame))
        return this.classOfRef(object, s, result);
      const field = this.fieldOf(object, property);
      if (field === null) throw new Abort(`a read of ${property}`);
      return this.builder.value('getfield', [s, this.builder.constants.descr(field)]);
    });
  }

  item(array: unknown, shadow: Shadow, index: number, indexShadow: Shadow, result: unknown): Shadow {
    return this.safely(() => {
      const i = this.operand(indexShadow);
      if (shadow instanceof SlotsToken) return shadow.level.vframe.read(this.staticIndex(i));
      const a = this.operand(shadow);
      if (isConstant(a) && isConstant(i)) return this.constant(result);
      if (!Array.isArray(array)) throw new Abort('an element of a non-array');
      const at = this.boundsChecked(a, this.convert(index, i));
      return this.builder.value('getarrayitem', [a, at]);
    });
  }

  set(object: unknown, shadow: Shadow, property: string, value: unknown, valueShadow: Shadow): void {
    this.safely(() => {
      const v = this.operand(valueShadow);
      // An inlined frame the trace has not needed yet keeps its pc in the snapshots alone.
      if (shadow instanceof FrameToken && !shadow.level.vframe.exists && property === 'pc') return this.dummy();
      const target = shadow instanceof FrameToken ? shadow.level.vframe.frame : this.operand(shadow);
      const field = shadow instanceof FrameToken ? this.frameFieldDescr(property) : this.fieldOf(object, property);
      if (field === null || field.immutable) throw new Abort(`a write of ${property}`);
      const stored = field.kind === 'ref' ? this.toRef(value, v) : this.convert(value, v);
      this.builder.emit('setfield', [target, this.builder.constants.descr(field), stored]);
      return this.dummy();
    });
  }

  setItem(
    array: unknown,
    shadow: Shadow,
    index: number,
    indexShadow: Shadow,
    value: unknown,
    valueShadow: Shadow,
  ): void {
    this.safely(() => {
      const i = this.operand(indexShadow);
      const v = this.operand(valueShadow);
      if (shadow instanceof SlotsToken) {
        shadow.level.vframe.write(this.staticIndex(i), v);
        return this.dummy();
      }
      const a = this.operand(shadow);
      if (!Array.isArray(array)) throw new Abort('an element write of a non-array');
      this.builder.emit('setarrayitem', [a, this.boundsChecked(a, this.convert(index, i)), this.toRef(value, v)]);
      return this.dummy();
    });
  }

  binary(operator: string, a: unknown, as: Shadow, b: unknown, bs: Shadow, result: unknown): Shadow {
    return this.safely(() => {
      const [x, y] = [this.operand(as), this.operand(bs)];
      if (isConstant(x) && isConstant(y)) return this.constant(result);
      if (typeof a === 'number' && typeof b === 'number') return this.arithmetic(operator, a, x, b, y, result);
      if (typeof a === 'boolean' && typeof b === 'boolean') {
        const compared = this.booleanComparison(operator, a, x, b, y);
        if (compared !== null) return compared;
      }
      const op = REF_OPS[operator];
      if (op === undefined) throw new Abort(`${operator} on ${typeof a} and ${typeof b}`);
      // A value of a kind other than ref has its JS type for good: against a value of another
      // type (a float against null), identity is decided already.
      const typed = this.builder.kindOf(x) !== 'ref' || this.builder.kindOf(y) !== 'ref';
      if (typed && typeof a !== typeof b) return this.constant(result);
      return this.builder.value(op, [this.toRef(a, x), this.toRef(b, y)]);
    });
  }

  typeOf(value: unknown, shadow: Shadow, result: string): Shadow {
    return this.safely(() => {
      this.guardKind(value, this.operand(shadow));
      return this.constant(result);
    });
  }

  instanceOf(value: unknown, shadow: Shadow, _cls: unknown, result: boolean): Shadow {
    return this.safely(() => {
      this.guardKind(value, this.operand(shadow));
      return this.constant(result);
    });
  }

  not(value: unknown, shadow: Shadow, result: boolean): Shadow {
    return this.safely(() => {
      const s = this.operand(shadow);
      if (isConstant(s)) return this.constant(result);
      return this.builder.value('bool_not', [this.convert(value, s)]);
    });
  }

  neg(value: unknown, shadow: Shadow, result: unknown): Shadow {
    return this.safely(() => {
      const s = this.operand(shadow);
      if (isConstant(s)) return this.constant(result);
      return this.arithmetic('-', 0, this.builder.int(0), value as number, s, result);
    });
  }

  pure(fn: TraceCallable, name: string, args: unknown[], shadows: Shadow[], result: unknown): Shadow {
    return this.safely(() => {
      const operands = shadows.map((s, i) => this.toRef(args[i], this.operand(s)));
      if (operands.every(isConstant)) return this.constant(result);
      return this.builder.value('call_pure', [this.callDescr(fn, name, operands.length, true), ...operands]);
    });
  }

  call(fn: TraceCallable, name: string, args: unknown[], shadows: Shadow[], _result: unknown): Shadow {
    return this.safely(() => this.residual(fn, name, args, shadows));
  }

  /**
   * A call of a `@jit.portal` function (interpreter/jit.ts): made here, not by the generated
   * code. A send of a SOM method the policy accepts (inlining-policy.ts) is followed into the
   * callee: its activation becomes a new level, recorded instruction by instruction by the
   * driver (`options.runInlined`), and its result's shadow is the value its return recorded.
   * A trivial method (an accessor) becomes its field access. Anything else is a residual call.
   * Answers the concrete result; its shadow is in `result`.
   */
  portal(fn: TraceCallable, name: string, args: unknown[], shadows: Shadow[]): unknown {
    if (this.aborted === null && fn === invokeFromStack) {
      const [invokable, caller, base, numArgs] = args as [Invokable, Frame, number, number];
      const receiver = caller.slots[base];
      const depth = this.options.maxInlineDepth;
      const decision = inlineDecision(invokable, shadows[0], receiver, numArgs, this.top, depth);
      if (decision === 'trivial') return this.trivialSend(invokable as SomMethod, caller, base, numArgs);
      if (decision === 'inline') return this.inlineSend(invokable as SomMethod, caller, base, numArgs);
      if (decision === 'block') {
        const value = this.inlineBlock(receiver as SomBlock, caller, base, numArgs);
        if (value !== NOT_INLINED) return value;
      }
      const twin = decision === 'call' && isConstant(shadows[0] as Operand) ? this.primitiveTwin(invokable) : undefined;
      if (twin !== undefined) return this.tracedPrimitive(twin, caller, shadows[1]!, base, numArgs);
    }
    const value = (fn as (...a: unknown[]) => unknown)(...args);
    if (fn === invokeFromStack) {
      // The send reads the receiver and arguments from the caller's slots, and nothing else of it.
      // The trace calls the runtime's entry for sends from compiled code, if it has one.
      const [, , base, numArgs] = args as [Invokable, Frame, number, number];
      const send = this.options.send ?? { fn, name };
      const reads = { from: base, to: base + numArgs + 1 };
      this.result = this.safely(() => this.residual(send.fn, send.name, args, shadows, reads));
    } else {
      this.result = this.call(fn, name, args, shadows, value);
    }
    return value;
  }

  private primitiveTwin(invokable: Invokable): PrimitiveRecorder | undefined {
    return invokable instanceof SomPrimitive ? this.options.primitiveRecorders?.get(invokable.fn) : undefined;
  }

  /**
   * A send of a traced primitive (interpreter/primitives/traced.ts): its twin runs it and records
   * its operations in the sending instruction, as a handler's twin would. Its guards resume
   * that instruction, which makes the send again: a traced primitive checks before it stores.
   */
  private tracedPrimitive(
    twin: PrimitiveRecorder,
    caller: Frame,
    callerShadow: Shadow,
    base: number,
    numArgs: number,
  ): unknown {
    const slots = caller.slots;
    const operands: unknown[] = [caller, callerShadow];
    for (let i = 0; i <= numArgs; i++) {
      operands.push(
        slots[base + i],
        this.safely(() => this.top.vframe.read(base + i)),
      );
    }
    const value = twin(this, ...operands);
    if (this.aborted !== null) this.result = this.dummy();
    return value;
  }

  /** Follows a send of `method` into its bytecode, as a new level (see `portal`). */
  private inlineSend(method: SomMethod, caller: Frame, base: number, numArgs: number): unknown {
    const frame = sendFrame(method, caller, base, numArgs);
    return this.enterLevel(frame, this.top.vframe.read(base), base, numArgs, null);
  }

  /**
   * Follows the evaluation of `block` (a `value` primitive) into its bytecode, as a new level:
   * the block's method is promoted (a guard on it), its receiver and outer frame are read from
   * the closure (folded when the trace made the closure).
   */
  private inlineBlock(block: SomBlock, caller: Frame, base: number, numArgs: number): unknown {
    const closure = this.safely(() => {
      const blockValue = this.top.vframe.read(base);
      const method = this.builder.value('getfield', [blockValue, this.builder.constants.descr(this.heap.blockMethod)]);
      this.promote(block.method, method);
      const context = this.builder.value('getfield', [
        blockValue,
        this.builder.constants.descr(this.heap.blockContext),
      ]);
      const outer = this.frameShadowOf(block.context, context);
      const receiver = outer instanceof FrameToken ? outer.level.vframe.receiver : this.frameReceiver(context);
      return { block: blockValue, outer, receiver };
    });
    if (this.aborted !== null || typeof closure === 'number') return NOT_INLINED;
    const args = caller.slots.slice(base + 1, base + 1 + numArgs);
    const frame = blockFrame(caller, block, args);
    return this.enterLevel(frame, closure.receiver, base, numArgs, { block: closure.block, outer: closure.outer });
  }

  private frameReceiver(frame: Operand): Operand {
    return this.builder.value('getfield', [frame, this.builder.constants.descr(this.heap.frameFields.receiver)]);
  }

  /**
   * The shadow of the frame `frame` reached through the IR value `operand` (a closure's
   * context, an outer frame): the token of the recording level it is, so that its slots are
   * that level's virtual frame (with a guard that it is that frame, unless the IR already
   * says so); else `operand` itself, with guards that it is none of the levels it could be
   * confused with at run time (the levels of the same method whose frames the trace knows).
   */
  private frameShadowOf(frame: Frame, operand: Operand): FrameToken | Operand {
    const own = this.onChain(frame);
    if (own !== null) {
      if (operand !== own.vframe.frameIfExists) {
        this.guard1('guard_true', [this.builder.value('ref_eq', [operand, own.vframe.frame])]);
      }
      return own.token;
    }
    for (let level: Level | null = this.top; level !== null; level = level.caller) {
      const known = level.vframe.frameIfExists;
      if (known !== null && level.frame.method === frame.method) {
        this.guard1('guard_true', [this.builder.value('ref_ne', [operand, known])]);
      }
    }
    return operand;
  }

  /** Starts an inlined level for the activation `frame` (see `portal`) and records it to its return. */
  private enterLevel(
    frame: Frame,
    receiver: Operand,
    base: number,
    numArgs: number,
    closure: Level['closure'],
  ): unknown {
    const outer = this.top;
    const method = frame.method;
    const initial: SlotValue[] = new Array<SlotValue>(method.frameSize).fill(null);
    for (let i = 0; i < numArgs; i++) initial[i] = outer.vframe.read(base + 1 + i);
    for (let i = numArgs; i < method.numArgs + method.numLocals; i++) initial[i] = this.builder.nullRef();
    const methodConstant = this.constant(method);
    const source = { kind: 'lazy' as const, allocate: () => this.allocateFrame(level) };
    const level: Level = new Level(
      frame,
      methodConstant,
      new VirtualFrame(this.builder, this.heap, source, receiver, initial),
      outer,
      closure,
    );
    level.captured = false;
    this.top = level;
    let value: unknown;
    try {
      value = activateWith(frame, () => this.options.runInlined(this, level) as never);
    } catch (e) {
      this.leftByReturn(level, e);
      throw e;
    } finally {
      this.top = outer;
    }
    this.endedLevel(level, value);
    outer.calledInInstruction = true;
    if (level.returned !== null) this.safely(() => this.offStack(level));
    this.result = this.aborted === null && level.returned !== null ? (level.returned.shadow as Shadow) : this.dummy();
    return value;
  }

  /**
   * A bridge starts inside the activation `frame` (a side exit rebuilt it), called from the
   * innermost level so far: it becomes the innermost level, at the instruction its frame is at,
   * with the trace inputs `inputs` (bridge-inputs.ts: without a frame input, the trace makes
   * the frame when it first needs it, as for a level it inlines).
   */
  resumeLevel(frame: Frame, inputs: LevelInputs, captured = true): Level {
    const source: FrameSource =
      inputs.frame !== null
        ? { kind: 'input', frame: inputs.frame }
        : { kind: 'lazy', allocate: () => this.allocateFrame(level) };
    const vframe = new VirtualFrame(this.builder, this.heap, source, inputs.receiver, inputs.slots);
    const level: Level = new Level(frame, this.constant(frame.method), vframe, this.top);
    level.captured = captured;
    level.pc = frame.pc;
    level.startSlots = vframe.current();
    this.top = level;
    // (Once the level is the innermost: telling its outer frame from the levels may guard, and
    // such a guard resumes this activation where the bridge starts.)
    if (inputs.closure !== null) level.closure = this.closureOf(frame, inputs.closure);
    return level;
  }

  /**
   * A resumed block activation's closure `block` and its defining frame (read from the closure,
   * recognised as a level if it is one).
   */
  private closureOf(frame: Frame, block: Operand): NonNullable<Level['closure']> {
    const context = this.builder.value('getfield', [block, this.builder.constants.descr(this.heap.blockContext)]);
    return { block, outer: this.frameShadowOf(frame.outer!, context) };
  }

  /**
   * The resumed level `level` (the innermost) answered `value` (its return recorded the
   * shadow): the send its caller is at completes with it, concretely and in the trace, as
   * deopt.ts `completeSend` does, and the caller is the innermost level again. Answers the pc
   * the caller goes on at.
   */
  returnToCaller(level: Level, value: unknown): number {
    const caller = level.caller!;
    this.top = caller;
    // (Every way a level ends is recorded as its return, or the recording has stopped.)
    if (level.returned === null) this.abort('an inlined level ended without a recorded return');
    if (level.returned !== null) this.safely(() => this.offStack(level));
    const { resultSlot, resumePc } = completeSend(caller.frame, value as SomValue);
    const shadow = this.aborted === null && level.returned !== null ? (level.returned.shadow as Shadow) : null;
    this.safely(() => (shadow === null ? this.dummy() : caller.vframe.write(resultSlot, this.operand(shadow))));
    return resumePc;
  }

  /**
   * An inlined level returned: as `activateWith` does, its frame goes off the stack, so that a
   * block that captured it and outlives it finds its home gone (`escapedBlock:`). Only a frame
   * the trace made needs the write; the optimiser drops it with the frame if it stays virtual.
   */
  private offStack(level: Level): Operand {
    if (!level.vframe.exists) return this.dummy();
    const field = this.builder.constants.descr(this.heap.frameFields.onStack);
    this.builder.emit('setfield', [level.vframe.frame, field, this.builder.bool(false)]);
    return this.dummy();
  }

  /**
   * The Frame of an inlined level as an IR value, when something first needs it: its caller's
   * frame (allocated too, if need be), a fresh slots array (the virtual frame writes it when the
   * frame may be seen), and the pc of the instruction it is in.
   */
  private allocateFrame(level: Level): { frame: Operand; slots: Operand } {
    const b = this.builder;
    const caller = level.caller!.vframe.frame;
    const slots = b.value('new_array', [b.int(level.frame.method.frameSize)]);
    const closure = level.closure;
    const outer = closure === null ? b.nullRef() : this.operand(closure.outer);
    const frame = b.value('new_struct', [
      b.constants.descr(this.heap.frame),
      level.methodConstant,
      this.toRef(level.frame.receiver, level.vframe.receiver),
      caller,
      outer,
      closure === null ? b.nullRef() : closure.block,
      slots,
      b.int(level.pc),
      b.bool(true),
    ]);
    return { frame, slots };
  }

  /** A send of an accessor, a constant or `^self` (compiler/trivial-methods.ts), as what it does. */
  private trivialSend(method: SomMethod, caller: Frame, base: number, numArgs: number): unknown {
    const level = this.top;
    const value = invokeFromStack(method, caller, base, numArgs);
    this.result = this.safely(() => {
      const trivial = method.trivial!;
      const receiver = level.vframe.read(base);
      if (trivial.kind === 'self') return receiver;
      if (trivial.kind === 'constant') return this.constant(value);
      // Invariant: a getter or setter is inlined only for an instance or a class (inlining-policy.ts).
      const fields = this.builder.value('getfield', [receiver, this.builder.constants.descr(this.heap.objectFields)]);
      const index = this.builder.int(trivial.field);
      if (trivial.kind === 'getter') return this.builder.value('getarrayitem', [fields, index]);
      const arg = level.vframe.read(base + 1);
      this.builder.emit('setarrayitem', [fields, index, this.toRef(undefined, arg)]);
      return receiver;
    });
    return value;
  }

  method(object: unknown, shadow: Shadow, name: string, args: unknown[], shadows: Shadow[], result: unknown): Shadow {
    return this.safely(() => {
      if (shadow instanceof FrameToken && name === 'context') return this.context(shadow, object as Frame, args[0]);
      const receiver = this.operand(shadow);
      const operands = shadows.map((s) => this.operand(s));
      if (isConstant(receiver) && operands.every(isConstant) && isHostPure(object, name)) return this.constant(result);
      if (object === Number && name === 'isSafeInteger' && operands[0] !== undefined) {
        const kind = this.builder.kindOf(operands[0]);
        if (kind === 'int') return this.constant(true);
      }
      if (object === Math && name === 'sqrt' && operands[0] !== undefined) {
        return this.builder.value('float_sqrt', [this.convert(args[0], operands[0], 'float')]);
      }
      if (name === 'fill' && this.unfilledArrays.has(receiver) && args[0] === null) {
        this.unfilledArrays.delete(receiver);
        return receiver;
      }
      if (object === Math && name === 'trunc' && operands[0] !== undefined) {
        // An Integer's truncation (intDiv's quotient): float_to_int truncates, and fails for
        // what is not a safe integer, the one case the trace does not model.
        if (!Number.isSafeInteger(result)) throw new Abort('Math.trunc of a value beyond safe integers');
        return this.guardedValue('float_to_int', [this.convert(args[0], operands[0], 'float')]);
      }
      throw new Abort(`a call of ${name}`);
    });
  }

  alloc(cls: unknown, args: unknown[], shadows: Shadow[], result: unknown): Shadow {
    return this.safely(() => {
      if (cls === SomDouble) {
        const value = this.convert(args[0], this.operand(shadows[0]!), 'float');
        return this.builder.value('new_struct', [this.builder.constants.descr(this.heap.double), value]);
      }
      if (cls === SomString) {
        const value = this.toRef(args[0], this.operand(shadows[0]!));
        return this.builder.value('new_struct', [this.builder.constants.descr(this.heap.string), value]);
      }
      if (cls === Array) {
        // `new Array(n).fill(null)`, the one way traced code makes a JS array (`Array class>>new:`):
        // new_array, which is filled with null (`fill` then changes nothing: see `method`).
        const array = this.builder.value('new_array', [this.convert(args[0], this.operand(shadows[0]!), 'int')]);
        this.unfilledArrays.add(array);
        return array;
      }
      if (cls === SomArray) {
        // A fresh array is no class's method array.
        const elements = this.toRef(args[0], this.operand(shadows[0]!));
        return this.builder.value('new_struct', [
          this.builder.constants.descr(this.heap.array),
          elements,
          this.builder.nullRef(),
        ]);
      }
      if (cls === SomObject && result instanceof SomObject && isConstant(this.operand(shadows[0]!))) {
        // An instance of a class the trace knows (`Class>>new` promotes it): a struct whose one
        // field is its fields array, both allocations the optimiser may remove.
        const fields = this.builder.value('new_array', [this.builder.int(result.fields.length)]);
        const descr = this.heap.objectStruct(result.clazz);
        return this.builder.value('new_struct', [this.builder.constants.descr(descr), fields]);
      }
      if (cls === NonLocalReturn && result instanceof NonLocalReturn) {
        // `^` in a block, whose home is on the stack (returnNonLocal tested it): a return from
        // that level, if it is one of the recording's (else it leaves the trace: an abort). The
        // trace knows the home is that level when it reached it as the level's token; else it
        // tests it.
        const home = this.onChain(args[0]);
        if (home === null) throw new Abort('a non-local return out of the trace');
        if (!(shadows[0] instanceof FrameToken && shadows[0].level === home)) {
          this.frameShadowOf(home.frame, this.operand(shadows[0]!));
        }
        this.pendingReturn = { exception: result, home, shadow: shadows[1]! };
        return this.dummy();
      }
      if (cls === SomBlock && result instanceof SomBlock) {
        // Its context's slots are the closure's to read and write, from wherever it goes.
        if (shadows[2] instanceof FrameToken) shadows[2].level.captured = true;
        const descr = this.heap.blockStructFor(result.method.numArgs);
        const fields = [this.operand(shadows[1]!), this.toRef(args[2], this.operand(shadows[2]!))];
        return this.builder.value('new_struct', [this.builder.constants.descr(descr), ...fields]);
      }
      throw new Abort(`an allocation of ${(cls as { name?: string }).name ?? '?'}`);
    });
  }

  // ---- the rest ----

  /**
   * `frame.context(n)` of a level: `n` steps out along the closures' defining frames, each a
   * level's token or an IR value (then its `outer` field is loaded).
   */
  private context(token: FrameToken, frame: Frame, n: unknown): FrameToken | Operand {
    if (typeof n !== 'number') throw new Abort('a context level chosen at run time');
    let shadow: FrameToken | Operand = token;
    let concrete: Frame = frame;
    for (let i = 0; i < n; i++) {
      const outer = concrete.outer;
      if (outer === null) throw new Abort('a context beyond the outermost frame');
      if (shadow instanceof FrameToken && shadow.level.closure !== null) shadow = shadow.level.closure.outer;
      else {
        const field = this.builder.constants.descr(this.heap.frameFields.outer);
        shadow = this.frameShadowOf(outer, this.builder.value('getfield', [this.operand(shadow), field]));
      }
      concrete = outer;
    }
    return shadow;
  }

  /** Runs a recording step; an abort (or a bug) stops the recording, never the program. */
  private safely<R>(step: () => R): R | Operand {
    if (this.aborted !== null) return this.dummy();
    try {
      return step();
    } catch (e) {
      this.abort(e instanceof Abort ? e.message : `recorder error: ${(e as Error).message}`);
      return this.dummy();
    }
  }

  private dummy(): Operand {
    return this.builder.nullRef();
  }

  private operand(shadow: Shadow | undefined): Operand {
    if (shadow instanceof FrameToken) return shadow.level.vframe.frame;
    if (shadow instanceof SlotsToken) throw new Abort('the frame slots escape');
    if (shadow === undefined || shadow instanceof UndefinedToken) throw new Abort('undefined as a value');
    return shadow;
  }

  /** An IR constant for a concrete value (see the module header for objects). */
  private constant(value: unknown): Operand {
    switch (typeof value) {
      case 'number':
        return Number.isSafeInteger(value) && !Object.is(value, -0)
          ? this.builder.int(value)
          : this.builder.float(value);
      case 'boolean':
        return this.builder.bool(value);
      default:
        return value === null ? this.builder.nullRef() : this.builder.constants.ref(value, this.labelFor(value));
    }
  }

  private constantOfKind(value: unknown, kind: ValueKind): Operand {
    return this.builder.constants.of(kind, value, kind === 'ref' ? this.labelFor(value) : null);
  }

  private labelFor(value: unknown): string | null {
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return null;
    // A constant the trace refers to already keeps its label (the pool's index, not a scan).
    const known = this.builder.constants.labelOf(value);
    if (known !== undefined) return known;
    const base =
      value instanceof SomMethod
        ? methodName(value)
        : value instanceof SomPrimitive
          ? `${value.holder.name.s}>>${value.signature.s}`
          : value instanceof SomClass
            ? `class.${value.name.s}`
            : typeof value === 'string'
              ? `str.${value.replace(/[^\w]/g, '_')}`
              : ((value as { constructor?: { name?: string } } | undefined)?.constructor?.name ?? String(value));
    let label = base;
    for (let n = 2; this.labels.has(label); n++) label = `${base}.${n}`;
    this.labels.add(label);
    return label;
  }

  private guard1(op: IrOp, args: Operand[]): void {
    this.builder.emit(op, args, this.snap());
  }

  /** The snapshot of the current instruction's start, taken at its first guard. */
  private snap(): SnapshotId {
    const level = this.top;
    if (level.calledInInstruction) throw new Abort('a guard after a call in one instruction');
    level.snapshot ??= takeSnapshot(this.builder, level);
    return level.snapshot;
  }

  /** `value`'s IR value in the kind its JS type has (a guard converts a `ref`). */
  private convert(value: unknown, s: Operand, want?: ValueKind): Operand {
    const kind = this.builder.kindOf(s);
    if (typeof value === 'number') {
      const int = kind === 'int' ? s : kind === 'ref' ? this.refToInt(value, s) : s;
      if (want === 'float' && this.builder.kindOf(int) === 'int') return this.builder.value('int_to_float', [int]);
      return int;
    }
    if (typeof value === 'boolean' && kind === 'ref') return this.valueOp('ref_to_bool', s);
    return s;
  }

  private refToInt(value: number, s: Operand): Operand {
    if (!Number.isSafeInteger(value)) throw new Abort('a float in a slot');
    const known = this.asInt.get(s);
    if (known !== undefined) return known;
    const int = this.valueOp('ref_to_int', s);
    this.asInt.set(s, int);
    return int;
  }

  private valueOp(op: 'ref_to_int' | 'ref_to_bool', s: Operand): Operand {
    return this.builder.value(op, [s], this.snap());
  }

  private toRef(value: unknown, s: Operand): Operand {
    switch (this.builder.kindOf(s)) {
      case 'int':
        return this.builder.value('int_to_ref', [s]);
      case 'bool':
        return this.builder.value('bool_to_ref', [s]);
      case 'float':
        throw new Abort(`a raw float ${String(value)} as a value`);
      default:
        return s;
    }
  }

  private arithmetic(operator: string, a: number, x: Operand, b: number, y: Operand, result: unknown): Operand {
    const [i, j] = [this.convert(a, x), this.convert(b, y)];
    const ints = this.builder.kindOf(i) === 'int' && this.builder.kindOf(j) === 'int';
    const intOp = ints ? INT_OPS[operator] : undefined;
    if (intOp !== undefined) {
      if (typeof result === 'number' && !Number.isSafeInteger(result)) throw new Abort('an overflow');
      return intOp.endsWith('_ovf') ? this.guardedValue(intOp, [i, j]) : this.builder.value(intOp, [i, j]);
    }
    // Not an Integer operation (JS's `/` on two Integers is a float division: `intDiv` truncates it).
    const op = FLOAT_OPS[operator];
    if (op === undefined) throw new Abort(`${operator} on numbers`);
    return this.builder.value(op, [this.convert(a, i, 'float'), this.convert(b, j, 'float')]);
  }

  private guardedValue(op: IrOp, args: Operand[]): Operand {
    return this.builder.value(op, args, this.snap());
  }

  /**
   * `b === true`, `b !== false` and the like, where one side is a constant: the Boolean itself
   * or its negation (a conditional jump tests its condition so); null for anything else.
   */
  private booleanComparison(operator: string, a: boolean, x: Operand, b: boolean, y: Operand): Operand | null {
    const [known, other, value] = isConstant(y) ? [b, x, a] : isConstant(x) ? [a, y, b] : [null, x, a];
    const equal = operator === '===' || operator === '==';
    if (known === null || (!equal && operator !== '!==' && operator !== '!=')) return null;
    const bool = this.convert(value, other);
    return known === equal ? bool : this.builder.value('bool_not', [bool]);
  }

  /**
   * `value.clazz` of a SOM heap object (`classOf`, a send's lookup): its class is what
   * `guard_class` tests, and a class never changes, so the read is a class guard and the class
   * a constant (the send's `jit.promote` of it then folds).
   */
  private classOfRef(value: object, s: Operand, clazz: unknown): Operand {
    if (this.builder.kindOf(s) !== 'ref' || this.heap.classOf(value) !== clazz) throw new Abort('a read of clazz');
    this.guardKind(value, s);
    return this.constant(this.heap.classOf(value));
  }

  /** Guards what the JS type of `value` is, so tests of it fold. */
  private guardKind(value: unknown, s: Operand): void {
    if (isConstant(s)) return;
    if (typeof value === 'number' || typeof value === 'boolean') {
      this.convert(value, s);
    } else if (value === null) {
      this.guard1('guard_isnull', [s]);
    } else if (typeof value === 'object' && this.builder.kindOf(s) === 'ref') {
      // An object's class never changes: one guard per value is enough.
      if (this.classGuarded.has(s)) return;
      this.guard1('guard_class', [s, this.constant(this.heap.classOf(value))]);
      this.classGuarded.add(s);
    } else {
      throw new Abort(`the type of a ${typeof value}`);
    }
  }

  /**
   * A call the trace makes as it is (RPython's residual call): every frame that code outside
   * the trace can see (a captured level's) gets its virtual slots written first, and holds them
   * in memory after (the callee may have changed them through a block). A send reads the slots
   * `reads` of the innermost level (its receiver and arguments): they are written too. A helper
   * handed a frame may capture it (a fallback's closures): every level counts as captured from
   * then on. The instruction that made the call may not guard after it; the next one checks the
   * trace is still valid.
   */
  private residual(
    fn: TraceCallable,
    name: string,
    args: unknown[],
    shadows: Shadow[],
    reads?: { readonly from: number; readonly to: number },
  ): Operand {
    const operands = shadows.map((s, i) => this.toRef(args[i], this.operand(s)));
    // If the call throws, the trace leaves with the frames of this instruction's start (deopt.ts
    // `resumeAfterThrow` unwinds them as their activations would): every level's pc is right
    // for the backtrace, and a non-local return to an inlined level is caught there.
    const snapshot = this.snap();
    if (reads === undefined && args.some((a) => a instanceof Frame)) {
      for (let level: Level | null = this.top; level !== null; level = level.caller) level.captured = true;
    }
    const toRef = (v: Operand): Operand => this.toRef(undefined, v);
    for (let level: Level | null = this.top; level !== null; level = level.caller) {
      if (level.captured) level.vframe.flush(toRef);
    }
    if (reads !== undefined && !this.top.captured) this.top.vframe.flushRange(reads.from, reads.to, toRef);
    const descr = this.callDescr(fn, name, operands.length, false);
    const result = this.builder.value('call', [descr, ...operands], snapshot);
    for (let level: Level | null = this.top; level !== null; level = level.caller) {
      if (!level.captured) continue;
      level.vframe.forget();
      // An outer level resumes after its send with what its frame holds now.
      if (level !== this.top && level.vframe.exists) level.startSlots = level.startSlots.map(() => null);
    }
    this.asInt.clear();
    this.top.calledInInstruction = true;
    this.callsSinceCheck = this.options.validity !== undefined;
    return result;
  }

  /** `guard_true(valid)` on the trace's validity (trace-validity.ts), at an instruction's start. */
  private checkValidity(): Operand {
    const validity = this.options.validity!;
    const object = this.builder.constants.ref(validity, 'validity');
    const valid = this.builder.value('getfield', [object, this.builder.constants.descr(VALIDITY_FIELD)]);
    this.guard1('guard_true', [valid]);
    return valid;
  }

  private callDescr(fn: TraceCallable, name: string, arity: number, elidable: boolean): Operand {
    let descr = this.callDescrs.get(fn);
    if (descr === undefined) {
      descr = new CallDescr(name, fn, new Array<ValueKind>(arity).fill('ref'), 'ref', elidable);
      this.callDescrs.set(fn, descr);
    }
    return this.builder.constants.descr(descr);
  }

  private boundsChecked(array: Operand, index: Operand): Operand {
    const length = this.builder.value('arraylen', [array]);
    this.guard1('guard_in_bounds', [index, length]);
    return index;
  }

  private staticIndex(i: Operand): number {
    if (!isConstant(i)) throw new Abort('a frame slot chosen at run time');
    return this.builder.constants.get(i).value as number;
  }

  private frameField(level: Level, property: string, result: unknown): Shadow {
    if (property === 'slots') return level.slotsToken;
    // A level the recording is inside of is running: on the stack (`^` tests its home so).
    if (property === 'onStack' && this.onChain(level.frame) === level) return this.constant(true);
    // A block level's home is that of the frame its closure was made in, if a level too.
    if (property === 'home' && level.closure !== null && level.closure.outer instanceof FrameToken) {
      return this.frameField(level.closure.outer.level, 'home', result);
    }
    if (property === 'receiver') return level.vframe.receiver;
    if (property === 'method') return level.methodConstant;
    const field = this.frameFieldDescr(property);
    if (field === null) throw new Abort(`a read of frame.${property}`);
    if (property === 'pc') return this.constant(result);
    // A method activation (not a block's) is its own home and has no outer frame or block
    // (the level's method is a constant of the trace).
    if (level.frame.outer === null && property === 'home') return level.token;
    if (level.frame.outer === null && level !== this.entry) {
      if (property === 'outer' || property === 'block') return this.builder.nullRef();
    }
    if (level.closure !== null && property === 'outer') return level.closure.outer;
    if (level.closure !== null && property === 'block') return level.closure.block;
    return this.builder.value('getfield', [level.vframe.frame, this.builder.constants.descr(field)]);
  }

  /** The level of the running activation `frame`, if the recording is inside it. */
  private onChain(frame: unknown): Level | null {
    for (let level: Level | null = this.top; level !== null; level = level.caller) {
      if (level.frame === frame) return level;
    }
    return null;
  }

  private frameFieldDescr(property: string): FieldDescr | null {
    const fields = this.heap.frameFields as unknown as Record<string, FieldDescr | undefined>;
    return Object.hasOwn(fields, property) ? fields[property]! : null;
  }

  private fieldOf(object: unknown, property: string): FieldDescr | null {
    const h = this.heap;
    if (object instanceof SomDouble && property === 'value') return h.doubleValue;
    if (object instanceof SomArray && property === 'elements') return h.arrayElements;
    if (object instanceof SomArray && property === 'methodHolder') return h.arrayMethodHolder;
    if (object instanceof SomObject && property === 'fields') return h.objectFields;
    if (object instanceof SomString && property === 's') return h.stringValue;
    if (object instanceof SomBlock && property === 'method') return h.blockMethod;
    if (object instanceof SomBlock && property === 'context') return h.blockContext;
    if (object instanceof Frame) return this.frameFieldDescr(property);
    return null;
  }
}

/** Host functions that answer the same for the same arguments (folded on constants). */
function isHostPure(object: unknown, name: string): boolean {
  return (object === Number && name === 'isSafeInteger') || (object === Math && (name === 'sqrt' || name === 'trunc'));
}

export { FrameToken };
