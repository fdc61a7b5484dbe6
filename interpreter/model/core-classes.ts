/**
 * The classes the VM itself must know: the ones bootstrapped before any SOM code runs
 * (SOM.md §3.9). The Universe fills this record in during bootstrap; model code reads it to
 * find the class of unboxed values (numbers, booleans, nil) and of objects it creates.
 *
 * Invariant: one live Universe per JS thread. Tests that create several Universes create them
 * one after another, and each bootstrap overwrites every entry.
 */
import type { SomClass } from './class.ts';

export interface CoreClasses {
  object: SomClass;
  class: SomClass;
  metaclass: SomClass;
  nil: SomClass;
  array: SomClass;
  method: SomClass;
  primitive: SomClass;
  string: SomClass;
  symbol: SomClass;
  integer: SomClass;
  double: SomClass;
  boolean: SomClass;
  true: SomClass;
  false: SomClass;
  system: SomClass;
  block: SomClass;
  block1: SomClass;
  block2: SomClass;
  block3: SomClass;
}

export const CORE_CLASS_NAMES = {
  object: 'Object',
  class: 'Class',
  metaclass: 'Metaclass',
  nil: 'Nil',
  array: 'Array',
  method: 'Method',
  primitive: 'Primitive',
  string: 'String',
  symbol: 'Symbol',
  integer: 'Integer',
  double: 'Double',
  boolean: 'Boolean',
  true: 'True',
  false: 'False',
  system: 'System',
  block: 'Block',
  block1: 'Block1',
  block2: 'Block2',
  block3: 'Block3',
} as const satisfies Record<keyof CoreClasses, string>;

/** Filled in by `Universe` bootstrap; empty (cast) until then. */
export const coreClasses: CoreClasses = {} as CoreClasses;

/**
 * @jit.elidable The block class for a block taking `numParams` parameters (Block1 for none); the
 * core classes are fixed once the universe is bootstrapped.
 */
export function blockClassFor(numParams: number): SomClass {
  return numParams === 0 ? coreClasses.block1 : numParams === 1 ? coreClasses.block2 : coreClasses.block3;
}
