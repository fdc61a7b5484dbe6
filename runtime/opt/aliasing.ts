/**
 * Which refs may name the same object, and which array indexes may be equal: the alias rules the
 * heap cache (heap-cache.ts) and dead-store removal (dead-stores.ts) share, those of PyPy's
 * optimizeopt/heap.py without type information:
 * - a ref is itself;
 * - two different constants are different values (the pool interns refs by identity);
 * - an object the trace allocates (new_struct, new_array) is none of the objects that existed
 *   before it: not a constant, not an input, not a value defined earlier in the trace (values are
 *   numbered in definition order, so "earlier" is "a smaller IrRef", label parameters included:
 *   in a loop, a parameter may hold the previous iteration's allocation, never this one's); and
 *   two allocations are two objects;
 * - anything else may alias: a value defined after an allocation may have been read back from
 *   wherever the new object was stored.
 * Indexes: the same operand is the same index; two different int constants are different
 * indexes; anything else may be equal.
 */
import { hasFlag } from '../ir/ops.ts';
import type { Trace } from '../ir/trace.ts';
import { type IrRef, type Operand, isConstant } from '../ir/types.ts';

export class Allocations {
  private readonly allocated = new Set<IrRef>();

  /** The allocations of a finished trace. */
  static of(trace: Trace): Allocations {
    const allocations = new Allocations();
    for (const instruction of trace.ops) {
      if (hasFlag(instruction.op, 'alloc')) allocations.add(instruction.result as IrRef);
    }
    return allocations;
  }

  add(ref: Operand | null): void {
    if (ref !== null && !isConstant(ref)) this.allocated.add(ref);
  }

  has(operand: Operand): boolean {
    return !isConstant(operand) && this.allocated.has(operand);
  }

  mayAlias(a: Operand, b: Operand): boolean {
    if (a === b) return true;
    if (isConstant(a) && isConstant(b)) return false;
    const [aFresh, bFresh] = [this.has(a), this.has(b)];
    if (aFresh && bFresh) return false;
    if (aFresh) return !isConstant(b) && b > a;
    if (bFresh) return !isConstant(a) && a > b;
    return true;
  }
}

export function mayBeSameIndex(i: Operand, j: Operand): boolean {
  return i === j || !(isConstant(i) && isConstant(j));
}
