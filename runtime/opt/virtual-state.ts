/**
 * What allocation removal (virtualize.ts) knows about the objects it keeps out of the trace, and
 * about the part of the loop-carried values that stays virtual round a peeled loop.
 *
 * A `VirtualValue` is one allocation the pass did not emit: a struct (its descriptor and one
 * Slot per field) or an array of constant length (one Slot per item). A Slot is what a field
 * holds as far as the pass knows: an operand of the new trace, or another virtual. When the
 * object escapes, the pass emits its allocation and `materialized` is the value it defined;
 * from then on the virtual is only a name for that value.
 *
 * A `Shape` is PyPy's VirtualState for one loop-carried value: a tree whose inner nodes are
 * virtuals of a given descriptor (or array length) and whose leaves (null) are plain values.
 * At the label a carried value of shape S is exploded: each leaf of S is one label parameter,
 * and the body starts with fresh virtuals of S built on those parameters. At the jump, the
 * argument must have the same shape; its leaves are the jump arguments. `shapesOf` finds the
 * shapes of a list of values within a limit, which gives both the entry shapes and, applied to
 * the jump arguments with the entry shapes as the limit, their common part (the meet): if that
 * is the entry shape itself, the loop closes; otherwise the pass is redone with the smaller one.
 *
 * A virtual reached twice (two carried values, a value and a field of another, or a cycle) is
 * not exploded: two copies would lose its identity. It becomes a leaf, that is, a real object.
 */
import type { StructDescr } from '../ir/descriptors.ts';
import type { ConstRef, Operand } from '../ir/types.ts';

export class VirtualValue {
  /** The value of the allocation emitted when the object escaped, or null while it is virtual. */
  materialized: Operand | null = null;
  /** Its allocation is being emitted (fields first): a field pointing back here must wait. */
  inProgress = false;

  constructor(
    /**
     * Creation order. A field that is never written after allocation (immutable) can only hold
     * an object made before this one, so materialising in this order needs no store into one.
     */
    readonly id: number,
    /** The struct's descriptor, or null for an array. */
    readonly struct: StructDescr | null,
    /** The constant holding `struct` (for new_struct and snapshots), or null for an array. */
    readonly descr: ConstRef | null,
    /** Field values in the descriptor's order, or array items. */
    readonly fields: Slot[],
  ) {}

  /** Still virtual: not allocated in the trace. */
  get isVirtual(): boolean {
    return this.materialized === null;
  }
}

/** What a field, an array item or a source value holds: an operand or a virtual object. */
export type Slot = Operand | VirtualValue;

/** The virtual part of a loop-carried value: a virtual node with child shapes (null: a leaf). */
export class Shape {
  constructor(
    /** The node's struct, or null for an array. */
    readonly struct: StructDescr | null,
    /** One shape per field or array item. */
    readonly fields: readonly (Shape | null)[],
  ) {}
}

/** A loop-carried value's shape: a virtual tree, or null for a plain value. */
export type CarriedShape = Shape | null;

/** No limit on a shape yet (the first round of a loop). */
export const UNLIMITED = 'unlimited';
export type ShapeLimit = CarriedShape | typeof UNLIMITED;

/** The slot as a virtual, if it still is one. */
export function virtualOf(slot: Slot): VirtualValue | null {
  return slot instanceof VirtualValue && slot.isVirtual ? slot : null;
}

function permits(limit: ShapeLimit, virtual: VirtualValue): boolean {
  return (
    limit === UNLIMITED ||
    (limit !== null && limit.struct === virtual.struct && limit.fields.length === virtual.fields.length)
  );
}

function childLimit(limit: ShapeLimit, index: number): ShapeLimit {
  return limit === UNLIMITED ? UNLIMITED : (limit?.fields[index] ?? null);
}

/**
 * The shapes of `slots` within `limits` (one per slot): a virtual is a node if its limit allows
 * one of its kind there and nothing else reaches it, through any path, leaves included.
 */
export function shapesOf(slots: readonly Slot[], limits: readonly ShapeLimit[]): CarriedShape[] {
  const reached = new Map<VirtualValue, number>();
  const count = (slot: Slot, limit: ShapeLimit): void => {
    const virtual = virtualOf(slot);
    if (virtual === null) return;
    const times = reached.get(virtual) ?? 0;
    reached.set(virtual, times + 1);
    if (times > 0) return;
    const node = permits(limit, virtual);
    virtual.fields.forEach((field, i) => count(field, node ? childLimit(limit, i) : null));
  };
  const shape = (slot: Slot, limit: ShapeLimit): CarriedShape => {
    const virtual = virtualOf(slot);
    if (virtual === null || !permits(limit, virtual) || reached.get(virtual) !== 1) return null;
    return new Shape(
      virtual.struct,
      virtual.fields.map((field, i) => shape(field, childLimit(limit, i))),
    );
  };
  slots.forEach((slot, k) => count(slot, limits[k] ?? null));
  return slots.map((slot, k) => shape(slot, limits[k] ?? null));
}

export function sameShape(a: CarriedShape, b: CarriedShape): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.struct === b.struct &&
    a.fields.length === b.fields.length &&
    a.fields.every((field, i) => sameShape(field, b.fields[i] ?? null))
  );
}

/** Calls `visit` on the leaves of `slot` under `shape`, in depth-first field order. */
export function forEachLeaf(slot: Slot, shape: CarriedShape, visit: (leaf: Slot) => void): void {
  if (shape === null) {
    visit(slot);
    return;
  }
  const fields = (slot as VirtualValue).fields;
  shape.fields.forEach((child, i) => forEachLeaf(fields[i] as Slot, child, visit));
}
