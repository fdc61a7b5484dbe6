/**
 * Activations: how a method or block starts running, and how it ends.
 *
 * `activate` runs a new frame and is the one place that catches control-flow signals: a
 * `NonLocalReturn` aimed at this activation becomes its result; every activation marks itself
 * off the stack when it ends, so a later non-local return to it is detected as escaped. It also
 * enforces the SOM stack-depth limit (the VM reports overflow as a SOM error, not a JS crash).
 * What runs the frame (the interpreter or compiled code) is the installed tiers' choice
 * (tier-hooks.ts).
 *
 * `invoke` is the common path of sends from the interpreter's handlers, primitives and helpers:
 * a SOM method gets a new Frame, a primitive is called directly.
 */
import { Frame } from './model/frame.ts';
import type { Invokable, SomMethod } from './model/method.ts';
import { classOf, SomArray, SomBlock, type SomObject, type SomSymbol, type SomValue } from './model/objects.ts';
import type { TrivialMethod } from './compiler/trivial-methods.ts';
import { NonLocalReturn, SomRuntimeError, SystemExit } from './signals.ts';
import { tiers } from './tier-hooks.ts';
import { vm } from './vm-state.ts';

/** Runs `frame` to completion and answers its result. */
export function activate(frame: Frame): SomValue {
  return activateWith(frame, tiers.enterMethod);
}

/**
 * Runs `frame` to completion with `run` (the installed tiers' choice, or the tracer recording
 * an inlined activation): the depth limit, and how the activation ends (below).
 */
export function activateWith(frame: Frame, run: (frame: Frame) => SomValue): SomValue {
  if (frame.depth > vm.maxStackDepth) throw new SomRuntimeError('Stack overflow: maximum SOM call depth exceeded');
  try {
    return run(frame);
  } catch (e) {
    return unwindActivation(frame, e);
  } finally {
    frame.onStack = false;
  }
}

/**
 * How an activation ends when `e` leaves it: it is off the stack; a non-local return aimed at
 * it becomes its result; a SOM error or exit remembers the innermost activation it passed; a
 * JS stack overflow becomes a SOM error. Anything else goes on outward. Side exits resume
 * rebuilt activations outside `activate` and end them through this same rule.
 */
export function unwindActivation(frame: Frame, e: unknown): SomValue {
  frame.onStack = false;
  if (e instanceof NonLocalReturn && e.home === frame) return e.value;
  if ((e instanceof SomRuntimeError || e instanceof SystemExit) && e.frame === null) e.frame = frame;
  else if (e instanceof RangeError) throw jsStackOverflow(e, frame);
  throw e;
}

/** The message of the SOM error that a JS stack overflow becomes. */
const JS_STACK_EXHAUSTED = 'Stack overflow: JavaScript stack exhausted';

/** A JS stack overflow (the host ran out before our depth limit) as a SOM error. */
function jsStackOverflow(e: RangeError, frame: Frame): unknown {
  if (!/call stack/i.test(e.message)) return e;
  const error = new SomRuntimeError(JS_STACK_EXHAUSTED);
  error.frame = frame;
  return error;
}

/**
 * Whether a run ended because the JS stack ran out before the SOM depth limit (raw, or as the
 * SOM error above): on a thread with a bigger stack the program might have gone on.
 */
export function isJsStackExhaustion(e: unknown): boolean {
  if (e instanceof SomRuntimeError) return e.message === JS_STACK_EXHAUSTED;
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/**
 * @jit.portal Invokes `invokable` with the receiver and arguments that sit on `caller`'s operand
 * stack at `base` (receiver) and after it. Answers the result; the caller pops. (The tracer
 * follows the send into the callee: runtime/tier2/inlining.ts.)
 */
export function invokeFromStack(invokable: Invokable, caller: Frame, base: number, numArgs: number): SomValue {
  const slots = caller.slots;
  const receiver = slots[base]!;
  if (invokable.kind === 'method') {
    if (invokable.trivial !== null) return trivialResult(invokable.trivial, receiver, slots[base + 1]!);
    return activate(sendFrame(invokable, caller, base, numArgs));
  }
  switch (numArgs) {
    case 0:
      return invokable.fn(caller, receiver);
    case 1:
      return invokable.fn(caller, receiver, slots[base + 1]!);
    case 2:
      return invokable.fn(caller, receiver, slots[base + 1]!, slots[base + 2]!);
    default:
      return invokable.fn(caller, receiver, ...slots.slice(base + 1, base + 1 + numArgs));
  }
}

/**
 * The activation a send of `method` starts, its receiver and arguments taken from `caller`'s
 * operand stack at `base` (the tracer makes the same frame when it inlines the send).
 */
export function sendFrame(method: SomMethod, caller: Frame, base: number, numArgs: number): Frame {
  const slots = caller.slots;
  const frame = new Frame(method, slots[base]!, caller, null, null);
  for (let i = 0; i < numArgs; i++) frame.slots[i] = slots[base + 1 + i]!;
  return frame;
}

/** The result of a trivial method, without an activation (see compiler/trivial-methods.ts). */
export function trivialResult(trivial: TrivialMethod, receiver: SomValue, arg: SomValue): SomValue {
  switch (trivial.kind) {
    case 'getter':
      return (receiver as SomObject).fields[trivial.field]!;
    case 'setter':
      (receiver as SomObject).fields[trivial.field] = arg;
      return receiver;
    case 'constant':
      return trivial.value;
    case 'self':
      return receiver;
  }
}

/** Invokes `invokable` with an argument array (perform:, DNU, fallbacks, primitives). */
export function invokeWithArgs(
  invokable: Invokable,
  caller: Frame,
  receiver: SomValue,
  args: readonly SomValue[],
): SomValue {
  if (invokable.kind === 'primitive') return invokable.fn(caller, receiver, ...args);
  const frame = new Frame(invokable, receiver, caller, null, null);
  for (let i = 0; i < args.length; i++) frame.slots[i] = args[i]!;
  return activate(frame);
}

/** @jit.residual Sends `selector` with `args` to `receiver` from native code: full lookup, DNU if needed. */
export function sendMessage(
  caller: Frame,
  receiver: SomValue,
  selector: SomSymbol,
  args: readonly SomValue[],
): SomValue {
  const invokable = classOf(receiver).lookup(selector);
  if (invokable === null) return doesNotUnderstand(caller, receiver, selector, args);
  return invokeWithArgs(invokable, caller, receiver, args);
}

/** @jit.residual Sends `doesNotUnderstand: selector arguments: args` (SOM.md §3.7): a rare path. */
export function doesNotUnderstand(
  caller: Frame,
  receiver: SomValue,
  selector: SomSymbol,
  args: readonly SomValue[],
): SomValue {
  const handler = classOf(receiver).lookup(vm.symbols.doesNotUnderstand);
  if (handler === null) {
    throw new SomRuntimeError(`Method ${selector.s} not found in class ${classOf(receiver).name.s}`);
  }
  return invokeWithArgs(handler, caller, receiver, [selector, new SomArray(args.slice())]);
}

/** Runs a closure with `args` (the Block value primitives use this). */
export function callBlock(caller: Frame, block: SomBlock, args: readonly SomValue[]): SomValue {
  return activate(blockFrame(caller, block, args));
}

/** The activation evaluating `block` with `args` starts (the tracer makes the same when it inlines it). */
export function blockFrame(caller: Frame, block: SomBlock, args: readonly SomValue[]): Frame {
  const method: SomMethod = block.method;
  const frame = new Frame(method, block.context.receiver, caller, block.context, block);
  for (let i = 0; i < args.length; i++) frame.slots[i] = args[i]!;
  return frame;
}
