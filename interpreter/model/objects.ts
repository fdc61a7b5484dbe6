/**
 * SOM values and the heap objects of the object model.
 *
 * Representation (chosen so V8 keeps the common cases fast and SOM semantics stay exact):
 * - Integer: a JS number holding a safe integer (|n| <= 2^53-1) when it fits, else a `SomBigInt`
 *   (never holding a value that would fit a number: see `integers.ts`, which normalises).
 * - Double: always boxed as `SomDouble`, so `1.0` and `1` can never be confused.
 * - nil: `null`; true and false: the JS booleans.
 * - everything else: an instance of one of the classes below, each with its SOM class in `clazz`.
 *
 * `classOf` maps any value to its SOM class. The classes of the unboxed kinds come from
 * `coreClasses`, which the Universe fills in at bootstrap (one live Universe per JS thread).
 */
import type { SomClass } from './class.ts';
import type { SomMethod, SomPrimitive } from './method.ts';
import type { Frame } from './frame.ts';
import { coreClasses } from './core-classes.ts';

export type SomValue = number | boolean | null | SomHeapObject;

export type SomHeapObject =
  SomObject | SomClass | SomArray | SomString | SomDouble | SomBigInt | SomBlock | SomMethod | SomPrimitive;

/** An instance of a class defined in SOM: its fields in layout order (superclass fields first). */
export class SomObject {
  readonly fields: SomValue[];
  constructor(
    public clazz: SomClass,
    numFields: number,
  ) {
    this.fields = new Array<SomValue>(numFields).fill(null);
  }
}

export class SomArray {
  clazz: SomClass;
  /**
   * The class whose method array this is (`aClass methods`), else null. A store into such an
   * array changes lookup, so the `at:put:` primitive tells the class (SOM.md §3.2).
   */
  methodHolder: SomClass | null = null;
  constructor(readonly elements: SomValue[]) {
    this.clazz = coreClasses.array;
  }
}

/** A String. Immutable: every string operation makes a new one. */
export class SomString {
  clazz: SomClass;
  constructor(readonly s: string) {
    this.clazz = coreClasses.string;
  }
}

/** An interned Symbol. Only the symbol table creates these, so identity is equality. */
export class SomSymbol extends SomString {
  /** Number of arguments a message with this selector takes. */
  readonly numArgs: number;
  constructor(s: string) {
    super(s);
    this.clazz = coreClasses.symbol;
    this.numArgs = selectorArity(s);
  }
}

export class SomDouble {
  clazz: SomClass;
  constructor(readonly value: number) {
    this.clazz = coreClasses.double;
  }
}

/** An Integer outside the safe range of JS numbers. Invariant: never holds a safe integer. */
export class SomBigInt {
  clazz: SomClass;
  constructor(readonly value: bigint) {
    this.clazz = coreClasses.integer;
  }
}

/** A closure: a block method plus the activation it was created in. */
export class SomBlock {
  constructor(
    readonly clazz: SomClass,
    readonly method: SomMethod,
    readonly context: Frame,
  ) {}
}

/**
 * @jit.handler The SOM class of any value; traced, so that the tracer guards on the kind of value
 * (a number, nil, a Boolean, an object) rather than calling.
 */
export function classOf(value: SomValue): SomClass {
  if (typeof value === 'number') return coreClasses.integer;
  if (typeof value === 'object') return value === null ? coreClasses.nil : value.clazz;
  return value ? coreClasses.true : coreClasses.false;
}

/** Arity of a selector: keywords count their colons, binary selectors take one argument. */
export function selectorArity(selector: string): number {
  const first = selector.charCodeAt(0);
  const isLetter = (first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first > 127;
  if (!isLetter) return 1;
  let colons = 0;
  for (let i = 0; i < selector.length; i++) if (selector.charCodeAt(i) === 58) colons++;
  return colons;
}
