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
export function push(frame: Frame, value: SomValue): void {
  frame.slots[frame.sp++] = value;
}

/** @jit.handler */
export function pop(frame: Frame): SomValue {
  // Invariant: the compiler's stack-depth check guarantees the stack is not empty here.
  return frame.slots[--frame.sp]!;
}

/** @jit.handler */
export function dup(frame: Frame): void {
  frame.slots[frame.sp] = frame.slots[frame.sp - 1]!;
  frame.sp++;
}

/** @jit.handler */
export function pushLocal(frame: Frame, slot: number): void {
  frame.slots[frame.sp++] = frame.slots[slot]!;
}

/** @jit.handler */
export function pushOuter(frame: Frame, slot: number, ctx: number): void {
  frame.slots[frame.sp++] = frame.context(ctx).slots[slot]!;
}

/** @jit.handler */
export function storeLocal(frame: Frame, slot: number): void {
  frame.slots[slot] = frame.slots[frame.sp - 1]!;
}

/** @jit.handler */
export function storeOuter(frame: Frame, slot: number, ctx: number): void {
  frame.context(ctx).slots[slot] = frame.slots[frame.sp - 1]!;
}

/** @jit.handler */
export function popLocal(frame: Frame, slot: number): void {
  frame.slots[slot] = frame.slots[--frame.sp]!;
}

/** @jit.handler */
export function popOuter(frame: Frame, slot: number, ctx: number): void {
  frame.context(ctx).slots[slot] = frame.slots[--frame.sp]!;
}

/** Fields of self: an instance's, or a class object's class-side fields. */
function fieldsOf(frame: Frame): SomValue[] {
  return (frame.receiver as SomObject | SomClass).fields;
}

/** @jit.handler */
export function pushField(frame: Frame, index: number): void {
  frame.slots[frame.sp++] = fieldsOf(frame)[index]!;
}

/** @jit.handler */
export function storeField(frame: Frame, index: number): void {
  fieldsOf(frame)[index] = frame.slots[frame.sp - 1]!;
}

/** @jit.handler */
export function popField(frame: Frame, index: number): void {
  fieldsOf(frame)[index] = frame.slots[--frame.sp]!;
}

/** @jit.handler */
export function pushBlock(frame: Frame, method: SomMethod): void {
  frame.slots[frame.sp++] = new SomBlock(blockClassFor(method.numArgs), method, frame);
}

/** @jit.handler reads a global through its site cache, validated by the globals version. */
export function pushGlobal(frame: Frame, site: GlobalSite): void {
  if (site.version === vm.globals.version) {
    frame.slots[frame.sp++] = site.value;
    return;
  }
  const value = vm.globals.get(site.name);
  if (value === undefined) {
    frame.slots[frame.sp++] = unknownGlobal(frame, site.name);
    return;
  }
  site.value = value;
  site.version = vm.globals.version;
  frame.slots[frame.sp++] = value;
}
