/**
 * The heap model of the trace IR: how the optimiser and the backend know objects without
 * knowing SOM.
 *
 * The optimiser never calls into the VM's object model. It sees objects only through these
 * descriptors, which appear in traces as constants (`#Double`, `#Double.value`, `#max`):
 * - a `StructDescr` describes a JS class whose instances the trace may allocate, read and write
 *   (a boxed SOM Double, a SomObject, a Frame): its constructor, its fields in constructor
 *   argument order, and the class `guard_class` sees for its instances;
 * - a `FieldDescr` is one property of such objects, with its kind and whether it is ever written
 *   after construction (loads of immutable fields survive residual calls);
 * - a `CallDescr` is a JS function a trace calls, pure (elidable) or residual.
 * Arrays need no descriptor: they are JS arrays of `ref` values.
 *
 * The SOM runtime builds its descriptors when it starts tier 2; tests build their own
 * (test/ir/fake-heap.ts). `HeapModel` is the one thing the IR asks of the VM at run time.
 */
import type { ValueKind } from './types.ts';

/** A constructor taking the struct's fields, in `StructDescr.fields` order. */
export type StructConstructor = new (...fields: never[]) => object;

/** A function a trace may call; its arguments and result follow the `CallDescr`'s kinds. */
export type TraceCallable = (...args: never[]) => unknown;

export class FieldDescr {
  constructor(
    /** Name in IR text: `Double.value`. */
    readonly label: string,
    /** The JS property holding the field: `value`. */
    readonly property: string,
    readonly kind: ValueKind,
    /** Never written after construction: a load of it is not invalidated by any store or call. */
    readonly immutable: boolean,
    /**
     * Written by every side exit from the exit's snapshot (the heap model's promise, like a
     * frame's pc): a guard does not read the value the trace stored, so a store of it that a
     * later store overwrites is dead even across guards (dead-stores.ts).
     */
    readonly restoredAtExits: boolean = false,
  ) {}
}

export class StructDescr {
  /** The kinds of `fields`, in order: what new_struct takes. */
  readonly fieldKinds: readonly ValueKind[];

  constructor(
    /** Name in IR text: `Double`. */
    readonly label: string,
    /** `new_struct` and materialisation call `new ctor(...fieldValues)`. */
    readonly ctor: StructConstructor,
    /** The fields, in constructor argument order. */
    readonly fields: readonly FieldDescr[],
    /** What `HeapModel.classOf` answers for instances: lets guard_class on a fresh object fold. */
    readonly cls: unknown,
  ) {
    this.fieldKinds = fields.map((field) => field.kind);
  }

  /** Position of `field` among the constructor arguments, or -1 if it is not one of ours. */
  fieldIndex(field: FieldDescr): number {
    return this.fields.indexOf(field);
  }
}

export class CallDescr {
  constructor(
    /** Name in IR text: `max`, `Integer>>printString`. */
    readonly label: string,
    readonly fn: TraceCallable,
    readonly args: readonly ValueKind[],
    /** The result kind, or null for a call whose result the trace does not use. */
    readonly result: ValueKind | null,
    /**
     * Elidable (@jit.elidable): no side effects and the same result for the same arguments, so
     * `call_pure` of it may be CSE'd, and folded when every argument is a constant.
     */
    readonly elidable: boolean,
  ) {}
}

/**
 * A test the backend may emit in place of `classOf(x) === C`, for one class C: `typeof x` is
 * `type`; x is `value`; or x is a non-null object whose `property` is C.
 */
export type ClassTest =
  | { readonly kind: 'typeof'; readonly type: string }
  | { readonly kind: 'is'; readonly value: boolean | null }
  | { readonly kind: 'field'; readonly property: string };

/** What the IR needs from the VM's object model when a trace runs. */
export interface HeapModel {
  /** The class guard_class compares with: `HeapModel.classOf(value) === C`. */
  classOf(value: unknown): unknown;
  /** A test equivalent to `classOf(x) === cls` that needs no call, if there is one. */
  classTest?(cls: unknown): ClassTest | null;
}

/** Allocates an instance of `descr` with the given field values (evaluator, materialisation). */
export function constructStruct(descr: StructDescr, fieldValues: readonly unknown[]): object {
  return Reflect.construct(descr.ctor, fieldValues) as object;
}

/** Calls a `CallDescr`'s function with the given argument values. */
export function invokeCall(descr: CallDescr, argValues: readonly unknown[]): unknown {
  return Reflect.apply(descr.fn, undefined, argValues);
}
