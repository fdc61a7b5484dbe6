/**
 * Send handlers: message sends through inline caches, and the arithmetic/comparison sends with
 * a small-integer fast path.
 *
 * A send finds the receiver and arguments on the operand stack, looks the method up through the
 * site's two-entry inline cache (keyed by the receiver's class, or by the holder's superclass
 * for super sends), invokes it and replaces receiver and arguments with the result. A miss in
 * the cache asks the class's own lookup cache; a failed lookup sends doesNotUnderstand:.
 */
import type { Frame } from '../model/frame.ts';
import type { SomClass } from '../model/class.ts';
import type { Invokable, SendSite } from '../model/method.ts';
import { classOf, SomDouble, type SomValue } from '../model/objects.ts';
import { jit } from '../jit.ts';
import { vm } from '../vm-state.ts';
import { invokeFromStack, doesNotUnderstand } from '../invoke.ts';

/**
 * @jit.elidable an inline-cache miss: full lookup and cache update. The update only memoises
 * (RPython's elidable allows that): the result depends on the class and selector alone, so a
 * trace folds it for its promoted class, and invalidation covers a changed method (a trace
 * depends on every class among its constants).
 */
export function lookupMiss(site: SendSite, cls: SomClass): Invokable | null {
  const found = cls.lookup(site.selector);
  if (site.class1 === null) {
    site.class1 = cls;
    site.method1 = found;
    cls.addLookupDependent(site);
  } else if (site.class2 === null) {
    site.class2 = cls;
    site.method2 = found;
    cls.addLookupDependent(site);
  } else {
    site.missedWhenFull(found, vm.megamorphicMethods);
  }
  return found;
}

/**
 * @jit.elidable the method for `receiver` at a megamorphic site (`SendSite.megamorphic`): its
 * class's own lookup (and cache), without the site's entries. It takes the receiver, not its
 * class, so that a trace calls it with the receiver as it is when the trace runs, without a
 * guard on the class (reading a class in a trace promotes it); an object's class never changes,
 * so the answer depends on the receiver alone (and on the methods: trace validity).
 */
export function lookupMegamorphic(site: SendSite, receiver: SomValue): Invokable | null {
  return classOf(receiver).lookup(site.selector);
}

/** @jit.handler The method for `cls` at `site`: the inline cache first. */
export function lookupAt(site: SendSite, cls: SomClass): Invokable | null {
  if (site.class1 === cls) return site.method1;
  if (site.class2 === cls) return site.method2;
  return lookupMiss(site, cls);
}

/** @jit.handler the receiver and arguments end just below `sp`; the result replaces them. */
export function send(frame: Frame, sp: number, site: SendSite): void {
  const numArgs = site.numArgs;
  const base = sp - numArgs - 1;
  if (site.megamorphic) {
    // (A constant test in a trace: the site is a constant there.)
    finishSend(frame, site, lookupMegamorphic(site, frame.slots[base]!), base, numArgs);
    return;
  }
  const cls = jit.promote(classOf(frame.slots[base]!));
  finishSend(frame, site, lookupAt(site, cls), base, numArgs);
}

/** @jit.handler `super` sends look up from the superclass of the method's holder. */
export function superSend(frame: Frame, sp: number, site: SendSite): void {
  const numArgs = site.numArgs;
  const base = sp - numArgs - 1;
  // Invariant: super sends are compiled only in classes below Object, so there is a superclass.
  const start = frame.method.holder.superclass!;
  finishSend(frame, site, lookupAt(site, start), base, numArgs);
}

/** @jit.handler Invokes the method found (or doesNotUnderstand:) and leaves the result at `base`. */
function finishSend(frame: Frame, site: SendSite, invokable: Invokable | null, base: number, numArgs: number): void {
  let result: SomValue;
  if (invokable === null) {
    const slots = frame.slots;
    result = doesNotUnderstand(frame, slots[base]!, site.selector, slots.slice(base + 1, base + 1 + numArgs));
  } else {
    result = invokeFromStack(invokable, frame, base, numArgs);
  }
  frame.slots[base] = result;
}

/** @jit.handler Replaces the two topmost values (below `sp`) with `result`. */
function binaryResult(frame: Frame, sp: number, result: SomValue): void {
  frame.slots[sp - 2] = result;
}

/**
 * @jit.handler The value of a Double or small Integer as a JS number, or null for anything
 * else. A fast path uses it only when at least one operand is a Double, where SOM's result is
 * that of IEEE arithmetic on the two values (SOM.md §4.2: the Integer converts to the nearest
 * double, which for a safe integer is itself).
 */
function doubleValue(v: SomValue): number | null {
  return typeof v === 'number' ? v : v instanceof SomDouble ? v.value : null;
}

/** @jit.handler Whether `a` or `b` is a Double. */
function hasDouble(a: SomValue, b: SomValue): boolean {
  return a instanceof SomDouble || b instanceof SomDouble;
}

/** @jit.handler */
export function sendAdd(frame: Frame, sp: number, site: SendSite): void {
  const a = frame.slots[sp - 2]!;
  const b = frame.slots[sp - 1]!;
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return binaryResult(frame, sp, r);
  } else if (hasDouble(a, b)) {
    const x = doubleValue(a);
    const y = doubleValue(b);
    if (x !== null && y !== null) return binaryResult(frame, sp, new SomDouble(x + y));
  }
  send(frame, sp, site);
}

/** @jit.handler */
export function sendSub(frame: Frame, sp: number, site: SendSite): void {
  const a = frame.slots[sp - 2]!;
  const b = frame.slots[sp - 1]!;
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return binaryResult(frame, sp, r);
  } else if (hasDouble(a, b)) {
    const x = doubleValue(a);
    const y = doubleValue(b);
    if (x !== null && y !== null) return binaryResult(frame, sp, new SomDouble(x - y));
  }
  send(frame, sp, site);
}

/** @jit.handler */
export function sendMul(frame: Frame, sp: number, site: SendSite): void {
  const a = frame.slots[sp - 2]!;
  const b = frame.slots[sp - 1]!;
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    // -0 arises from e.g. -3 * 0; SOM Integers have no negative zero.
    if (Number.isSafeInteger(r)) return binaryResult(frame, sp, r === 0 ? 0 : r);
  } else if (hasDouble(a, b)) {
    const x = doubleValue(a);
    const y = doubleValue(b);
    if (x !== null && y !== null) return binaryResult(frame, sp, new SomDouble(x * y));
  }
  send(frame, sp, site);
}

/**
 * @jit.handler Whether a comparison of `a` and `b` may be done on their JS numbers: at least
 * one is a Double, both are numbers, neither is NaN. The library builds >, >= and <= from < and
 * = (SOM.md §4.5), which agrees with JS comparison on every value but NaN; NaN goes to the real
 * send.
 */
function comparableDoubles(a: SomValue, b: SomValue): boolean {
  if (!hasDouble(a, b)) return false;
  const x = doubleValue(a);
  const y = doubleValue(b);
  return x !== null && y !== null && x === x && y === y;
}

/** @jit.handler */
export function sendLessThan(frame: Frame, sp: number, site: SendSite): void {
  const a = frame.slots[sp - 2]!;
  const b = frame.slots[sp - 1]!;
  if (typeof a === 'number' && typeof b === 'number') return binaryResult(frame, sp, a < b);
  if (comparableDoubles(a, b)) return binaryResult(frame, sp, doubleValue(a)! < doubleValue(b)!);
  send(frame, sp, site);
}

/** @jit.handler */
export function sendGreaterThan(frame: Frame, sp: number, site: SendSite): void {
  const a = frame.slots[sp - 2]!;
  const b = frame.slots[sp - 1]!;
  if (typeof a === 'number' && typeof b === 'number') return binaryResult(frame, sp, a > b);
  if (comparableDoubles(a, b)) return binaryResult(frame, sp, doubleValue(a)! > doubleValue(b)!);
  send(frame, sp, site);
}

/** @jit.handler */
export function sendLessOrEqual(frame: Frame, sp: number, site: SendSite): void {
  const a = frame.slots[sp - 2]!;
  const b = frame.slots[sp - 1]!;
  if (typeof a === 'number' && typeof b === 'number') return binaryResult(frame, sp, a <= b);
  if (comparableDoubles(a, b)) return binaryResult(frame, sp, doubleValue(a)! <= doubleValue(b)!);
  send(frame, sp, site);
}

/** @jit.handler */
export function sendGreaterOrEqual(frame: Frame, sp: number, site: SendSite): void {
  const a = frame.slots[sp - 2]!;
  const b = frame.slots[sp - 1]!;
  if (typeof a === 'number' && typeof b === 'number') return binaryResult(frame, sp, a >= b);
  if (comparableDoubles(a, b)) return binaryResult(frame, sp, doubleValue(a)! >= doubleValue(b)!);
  send(frame, sp, site);
}

/** @jit.handler */
export function sendEquals(frame: Frame, sp: number, site: SendSite): void {
  const a = frame.slots[sp - 2]!;
  const b = frame.slots[sp - 1]!;
  if (typeof a === 'number' && typeof b === 'number') return binaryResult(frame, sp, a === b);
  if (comparableDoubles(a, b)) return binaryResult(frame, sp, doubleValue(a)! === doubleValue(b)!);
  send(frame, sp, site);
}
