/**
 * Dead-store removal, the last step of heap caching (heap-cache.ts): a setfield (setarrayitem)
 * is dropped when a later store to the same object and field (array and index operand)
 * overwrites it before anything may read it.
 *
 * One backward scan keeps, per field, the objects whose field is overwritten further on with no
 * possible read in between (per array, the index operands). A read of the field (the items) of
 * an object that may alias one of them takes it out (aliasing.ts). Everything that may let the
 * old value be seen stops the scan's knowledge altogether:
 * - a guard: leaving the trace there resumes the interpreter, which reads the heap as it is
 *   (snapshots describe frames, not pending stores), except the fields every exit writes from
 *   its snapshot (`FieldDescr.restoredAtExits`: a frame's pc), whose stores a guard does not
 *   see;
 * - a residual call, which may read anything;
 * - a label or the end of the trace: the next iteration, the next trace or the VM reads on.
 * Elidable calls read nothing mutable. This runs after load forwarding, so a load the heap
 * cache answered from a store no longer keeps that store alive.
 */
import type { FieldDescr } from '../ir/descriptors.ts';
import { type IrOp, hasFlag, isGuard } from '../ir/ops.ts';
import type { Instruction, Trace } from '../ir/trace.ts';
import { TraceRewriter } from '../ir/trace-builder.ts';
import type { Operand } from '../ir/types.ts';
import { Allocations, mayBeSameIndex } from './aliasing.ts';

export function removeDeadStores(trace: Trace): Trace {
  const dead = deadStores(trace);
  if (!dead.includes(1)) return trace;
  const w = new TraceRewriter(trace);
  trace.ops.forEach((instruction, index) => {
    if (dead[index] === 0) w.copy(instruction);
  });
  return w.finish();
}

/** Objects (arrays) whose field (index) is overwritten further on before any possible read. */
class Overwritten {
  readonly fields = new Map<FieldDescr, Set<Operand>>();
  readonly items = new Map<Operand, Set<Operand>>();

  constructor(
    readonly trace: Trace,
    readonly allocations: Allocations,
  ) {}

  of<K>(map: Map<K, Set<Operand>>, key: K): Set<Operand> {
    let set = map.get(key);
    if (set === undefined) map.set(key, (set = new Set()));
    return set;
  }

  field(instruction: Instruction): Set<Operand> {
    return this.of(this.fields, this.trace.constants.field(instruction.args[1] as Operand));
  }

  /** A store is dead if its target is overwritten further on; else it is now the overwriting one. */
  store(set: Set<Operand>, key: Operand): boolean {
    if (set.has(key)) return true;
    set.add(key);
    return false;
  }

  /** A load: what it may read is no longer overwritten unseen. Answers false (not a dead store). */
  readField(instruction: Instruction): false {
    const object = instruction.args[0] as Operand;
    const set = this.field(instruction);
    for (const other of set) if (this.allocations.mayAlias(other, object)) set.delete(other);
    return false;
  }

  readItem(instruction: Instruction): false {
    const [array, index] = instruction.args as [Operand, Operand];
    for (const [other, indexes] of this.items) {
      if (!this.allocations.mayAlias(other, array)) continue;
      for (const known of indexes) if (mayBeSameIndex(known, index)) indexes.delete(known);
    }
    return false;
  }

  clear(): void {
    this.fields.clear();
    this.items.clear();
  }

  /** At a guard: the exit may see every field but those it writes itself (see the header). */
  clearForExit(): void {
    for (const descr of this.fields.keys()) if (!descr.restoredAtExits) this.fields.delete(descr);
    this.items.clear();
  }
}

/** What each operation does to the backward scan; answers true for a dead store. */
const BACKWARD: Partial<Record<IrOp, (o: Overwritten, instruction: Instruction) => boolean>> = {
  setfield: (o, instruction) => o.store(o.field(instruction), instruction.args[0] as Operand),
  setarrayitem: (o, { args }) => o.store(o.of(o.items, args[0] as Operand), args[1] as Operand),
  getfield: (o, instruction) => o.readField(instruction),
  getarrayitem: (o, instruction) => o.readItem(instruction),
};

/** 1 at the index of each dead store. */
function deadStores(trace: Trace): Uint8Array {
  const dead = new Uint8Array(trace.ops.length);
  const overwritten = new Overwritten(trace, Allocations.of(trace));
  for (let index = trace.ops.length - 1; index >= 0; index--) {
    const instruction = trace.ops[index] as Instruction;
    const rule = BACKWARD[instruction.op];
    if (rule !== undefined) dead[index] = rule(overwritten, instruction) ? 1 : 0;
    else if (isGuard(instruction.op)) overwritten.clearForExit();
    else if (mayExposeHeap(instruction.op)) overwritten.clear();
  }
  return dead;
}

/** A guard, a residual call, a label or an end: the old value of any store may be seen there. */
function mayExposeHeap(op: IrOp): boolean {
  return isGuard(op) || op === 'call' || hasFlag(op, 'control');
}
