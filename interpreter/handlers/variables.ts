/**
 * Handlers for the stack and variable bytecodes: pushes, stores, pops, closures, globals.
 *
 * Each handler is a small function of the frame and its (compile-time) operands, called from
 * the dispatch loop in `interpreter.ts`. Tier 1 emits calls to them; the tracer traces into
 * them. They never fork on the tier they run in.
 */
import type { Frame } from '../model/frame.ts';
import type { SomClass } from '../model/class.ts';
import type { GlobalSite, SomMethod } from '../model/method.ts';
import { SomBlock, type SomObject, type SomValue } from '../model/objects.ts';
import { blockClassFor } from '../model/core-classes.ts';
import { vm } from '../vm-state.ts';
import { unknownGlobal } from './globals.ts';

/** @jit.handler */
export function push(frame: Frame, sp: number, value: SomValue): void {
  frame.slots[sp] = value;
}

/** @jit.handler the value on top of the stack (popping is the static change of `sp`). */
export function top(frame: Frame, sp: number): SomValue {
  // Invariant: the compiler's stack-depth analysis guarantees the stack is not empty here.
  return frame.slots[sp - 1]!;
}

/** @jit.handler */
export function dup(frame: Frame, sp: number): void {
  frame.slots[sp] = frame.slots[sp - 1]!;
}

/** @jit.handler */
export function pushLocal(frame: Frame, sp: number, slot: number): void {
  frame.slots[sp] = frame.slots[slot]!;
}

/** @jit.handler */
export function pushOuter(frame: Frame, sp: number, slot: number, ctx: number): void {
  frame.slots[sp] = frame.context(ctx).slots[slot]!;
}

/** @jit.handler stores the top of stack into a local (STORE_LOCAL keeps it, POP_LOCAL drops it). */
export function storeLocal(frame: Frame, sp: number, slot: number): void {
  frame.slots[slot] = frame.slots[sp - 1]!;
}

/** @jit.handler */
export function storeOuter(frame: Frame, sp: number, slot: number, ctx: number): void {
  frame.context(ctx).slots[slot] = frame.slots[sp - 1]!;
}

/** @jit.handler Fields of self: an instance's, or a class object's class-side fields. */
function fieldsOf(frame: Frame): SomValue[] {
  return (frame.receiver as SomObject | SomClass).fields;
}

/** @jit.handler */
export function pushField(frame: Frame, sp: number, index: number): void {
  frame.slots[sp] = fieldsOf(frame)[index]!;
}

/** @jit.handler */
export function storeField(frame: Frame, sp: number, index: number): void {
  fieldsOf(frame)[index] = frame.slots[sp - 1]!;
}

/** @jit.handler */
export function pushBlock(frame: Frame, sp: number, method: SomMethod): void {
  frame.slots[sp] = new SomBlock(blockClassFor(method.numArgs), method, frame);
}

/** @jit.handler reads a global through its site cache, validated by the globals version. */
export function pushGlobal(frame: Frame, sp: number, site: GlobalSite): void {
  if (site.version === vm.globals.version) {
    frame.slots[sp] = site.value;
    return;
  }
  const value = vm.globals.get(site.name);
  if (value === undefined) {
    frame.slots[sp] = unknownGlobal(frame, site.name);
    return;
  }
  site.value = value;
  site.version = vm.globals.version;
  frame.slots[sp] = value;
}
