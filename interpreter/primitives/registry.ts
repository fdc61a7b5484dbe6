/**
 * The primitive registry: for each SOM class that declares `primitive` methods, the native
 * functions they bind to, by side and selector. This is the one home of "which primitives
 * exist" (STYLE.md §2.1); the class loader binds every `primitive` method body through
 * PRIMITIVES, and test/unit/primitives.test.ts checks the table against SOM.md §9 and against
 * the declarations in Smalltalk/.
 *
 * NATIVE_OVERRIDES lists library methods written in SOM that the VM replaces with native code
 * (SOM.md §9 allows it when the result is indistinguishable); the loader swaps the
 * implementation and keeps the method's place in `methods`. None of them may loop over SOM
 * code: a library loop stays SOM code, so that its iterations are back-edges the runtime
 * counts (on-stack replacement, tracing); test/runtime/library-loops.test.ts checks this.
 */
import type { PrimitiveFn } from '../model/method.ts';
import type { CORE_CLASS_NAMES } from '../model/core-classes.ts';
import { ARRAY_PRIMITIVES } from './array.ts';
import { BLOCK1_PRIMITIVES, BLOCK2_PRIMITIVES, BLOCK3_PRIMITIVES, BLOCK_PRIMITIVES } from './block.ts';
import { CLASS_PRIMITIVES } from './class.ts';
import { DOUBLE_PRIMITIVES } from './double.ts';
import { INTEGER_PRIMITIVES } from './integer.ts';
import { METHOD_PRIMITIVES } from './method.ts';
import { OBJECT_PRIMITIVES } from './object.ts';
import { STRING_PRIMITIVES } from './string.ts';
import { SYMBOL_PRIMITIVES } from './symbol.ts';
import { SYSTEM_PRIMITIVES, SYSTEM_OVERRIDES } from './system.ts';

export type PrimitiveTable = Readonly<Record<string, PrimitiveFn>>;

export interface ClassPrimitives {
  readonly instance: PrimitiveTable;
  readonly classSide: PrimitiveTable;
}

/** Only bootstrapped classes declare primitives, so a misspelt class name fails to compile. */
type CoreClassName = (typeof CORE_CLASS_NAMES)[keyof typeof CORE_CLASS_NAMES];

/** Primitives by class name: what `primitive` declarations bind to. */
export const PRIMITIVES: Readonly<Record<string, ClassPrimitives>> = {
  Object: OBJECT_PRIMITIVES,
  Class: CLASS_PRIMITIVES,
  Method: METHOD_PRIMITIVES,
  Primitive: METHOD_PRIMITIVES,
  Block: BLOCK_PRIMITIVES,
  Block1: BLOCK1_PRIMITIVES,
  Block2: BLOCK2_PRIMITIVES,
  Block3: BLOCK3_PRIMITIVES,
  Integer: INTEGER_PRIMITIVES,
  Double: DOUBLE_PRIMITIVES,
  String: STRING_PRIMITIVES,
  Symbol: SYMBOL_PRIMITIVES,
  Array: ARRAY_PRIMITIVES,
  System: SYSTEM_PRIMITIVES,
} satisfies Partial<Record<CoreClassName, ClassPrimitives>>;

/** Library methods written in SOM that the VM replaces natively (same entry in `methods`). */
export const NATIVE_OVERRIDES: Readonly<Record<string, ClassPrimitives>> = {
  System: SYSTEM_OVERRIDES,
} satisfies Partial<Record<CoreClassName, ClassPrimitives>>;
