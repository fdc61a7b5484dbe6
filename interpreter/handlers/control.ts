/**
 * Handlers for returns, inlined loops and the fallbacks of inlined control structures.
 *
 * Conditional jumps themselves are written in the dispatch loop (they decide the next pc); the
 * helpers here do the work around them: non-local return, the `to:do:` counter, and turning an
 * inlined construct back into a real send when its receiver is not a Boolean or a number.
 */
import type { Frame } from '../model/frame.ts';
import type { InlineFallback } from '../model/method.ts';
import { SomBlock, SomDouble, SomBigInt, classOf, type SomValue } from '../model/objects.ts';
import type { SomClass } from '../model/class.ts';
import { blockClassFor, coreClasses } from '../model/core-classes.ts';
import { NonLocalReturn } from '../signals.ts';
import { VmInternalError } from '../errors.ts';
import { sendMessage } from '../invoke.ts';
import { vm } from '../vm-state.ts';
import { send } from './sends.ts';
import { intAdd, intLessThan, intSub, compareIntegerWithDouble, type IntegerValue } from '../model/integers.ts';

/**
 * @jit.handler `^value` inside a block: unwinds to the home method's activation, or, when that
 * activation has already returned, sends `escapedBlock:` to the block's self and answers its
 * reply as the block's value (SOM.md §3.6).
 */
export function returnNonLocal(frame: Frame, value: SomValue): SomValue {
  const home = frame.home;
  if (home.onStack) throw new NonLocalReturn(home, value);
  // Invariant: RETURN_NON_LOCAL is only compiled into blocks, whose frames have `block` set.
  return sendMessage(frame, frame.receiver, vm.symbols.escapedBlock, [frame.block!]);
}

/**
 * @jit.residual A non-Boolean reached an inlined conditional (whose test value is still in the
 * slot below `sp`): make the real send with it as the receiver and the literal blocks as
 * closures, leave its result in that slot and answer where to continue.
 */
export function booleanFallback(frame: Frame, sp: number, fallback: InlineFallback | null): number {
  if (fallback === null) throw new VmInternalError('inlined condition without fallback met a non-Boolean');
  return fallbackSend(frame, sp, fallback);
}

/**
 * Sends the fallback's selector: the receiver (and any stack arguments) end below `top`, the
 * literal blocks go from `top` on as closures; the result replaces the receiver.
 */
function fallbackSend(frame: Frame, top: number, fallback: InlineFallback): number {
  let sp = top;
  for (const lazy of fallback.blocks) {
    const method = lazy.get();
    frame.slots[sp++] = new SomBlock(blockClassFor(method.numArgs), method, frame);
  }
  send(frame, sp, fallback.site);
  return fallback.resumePc;
}

/**
 * @jit.handler Whether an inlined nil test may treat the non-nil `value` as any object: its
 * class must inherit Object's definition of the selector (a one-entry cache per site).
 */
export function nilTestInlinable(value: SomValue, fallback: InlineFallback): boolean {
  const cls = classOf(value);
  return cls === fallback.inlinableClass || nilTestInlinableSlow(cls, fallback);
}

/** @jit.residual the lookup behind nilTestInlinable's cache. */
function nilTestInlinableSlow(cls: SomClass, fallback: InlineFallback): boolean {
  const found = cls.lookup(fallback.site.selector);
  if (found === null || found.holder !== coreClasses.object) return false;
  fallback.inlinableClass = cls;
  cls.addLookupDependent(fallback);
  return true;
}

/**
 * @jit.residual the real send of a nil test to an object whose class overrides it. The tested
 * value is in the slot below `sp`; `discard` copies of it kept below for the inlined result go.
 */
export function nilTestFallback(frame: Frame, sp: number, fallback: InlineFallback): number {
  const receiverSlot = sp - 1 - fallback.discard;
  frame.slots[receiverSlot] = frame.slots[sp - 1]!;
  return fallbackSend(frame, receiverSlot + 1, fallback);
}

/** @jit.handler Whether `value` is a SOM number (Integer or Double). */
function isNumber(value: SomValue): boolean {
  return typeof value === 'number' || value instanceof SomDouble || value instanceof SomBigInt;
}

/**
 * @jit.handler `to:do:` entry. Stack: receiver, limit. For a numeric receiver: moves the limit
 * into `limitSlot`, copies the receiver (which stays as the loop's value) into `counterSlot`,
 * and answers true. Otherwise answers false, leaving the stack for `toDoFallback`.
 */
export function toDoPrep(frame: Frame, sp: number, counterSlot: number, limitSlot: number): boolean {
  const slots = frame.slots;
  const receiver = slots[sp - 2]!;
  if (!isNumber(receiver)) return false;
  slots[limitSlot] = slots[sp - 1]!;
  slots[counterSlot] = receiver;
  return true;
}

/** @jit.residual `to:do:` on a non-number: the real send; answers the resume pc. */
export function toDoFallback(frame: Frame, sp: number, fallback: InlineFallback): number {
  return fallbackSend(frame, sp, fallback);
}

/** @jit.handler `to:do:` test: whether counter <= limit (compared as SOM's `<=` would). */
export function toDoContinues(frame: Frame, counterSlot: number, limitSlot: number): boolean {
  const i = frame.slots[counterSlot]!;
  const limit = frame.slots[limitSlot]!;
  if (typeof i === 'number' && typeof limit === 'number') return i <= limit;
  return numericLessOrEqual(frame, i, limit);
}

/** @jit.residual the general `<=` of a loop counter and limit (doubles, big integers, others). */
function numericLessOrEqual(frame: Frame, a: SomValue, b: SomValue): boolean {
  if (a instanceof SomDouble) {
    if (b instanceof SomDouble) return a.value <= b.value;
    if (typeof b === 'number' || b instanceof SomBigInt) return compareIntegerWithDouble(b, a.value) >= 0;
  } else if (b instanceof SomDouble) {
    return compareIntegerWithDouble(a as IntegerValue, b.value) <= 0;
  } else if (typeof b === 'number' || b instanceof SomBigInt) {
    return !intLessThan(b, a as IntegerValue);
  }
  // A non-number limit: ask the library, as the non-inlined loop would.
  return sendMessage(frame, a, vm.services.symbol('<='), [b]) === true;
}

/** @jit.handler `downTo:do:` test: whether counter >= limit (compared as SOM's `>=` would). */
export function downToContinues(frame: Frame, counterSlot: number, limitSlot: number): boolean {
  const i = frame.slots[counterSlot]!;
  const limit = frame.slots[limitSlot]!;
  if (typeof i === 'number' && typeof limit === 'number') return i >= limit;
  return numericGreaterOrEqual(frame, i, limit);
}

/** @jit.residual the general `>=` of a loop counter and limit: `b <= a` on numbers, else the library's `>=`. */
function numericGreaterOrEqual(frame: Frame, a: SomValue, b: SomValue): boolean {
  if (isNumber(b)) return numericLessOrEqual(frame, b, a);
  return sendMessage(frame, a, vm.services.symbol('>='), [b]) === true;
}

/** @jit.handler `to:do:` step: counter := counter + 1 (a Double counter steps by 1.0). */
export function toDoIncrement(frame: Frame, counterSlot: number): void {
  const i = frame.slots[counterSlot]!;
  if (typeof i === 'number' && i < 9007199254740991) frame.slots[counterSlot] = i + 1;
  else if (i instanceof SomDouble) frame.slots[counterSlot] = new SomDouble(i.value + 1);
  else frame.slots[counterSlot] = intAdd(i as IntegerValue, 1);
}

/** @jit.handler `downTo:do:` step: counter := counter - 1 (a Double counter steps by 1.0). */
export function toDoDecrement(frame: Frame, counterSlot: number): void {
  const i = frame.slots[counterSlot]!;
  if (typeof i === 'number' && i > -9007199254740991) frame.slots[counterSlot] = i - 1;
  else if (i instanceof SomDouble) frame.slots[counterSlot] = new SomDouble(i.value - 1);
  else frame.slots[counterSlot] = intSub(i as IntegerValue, 1);
}
