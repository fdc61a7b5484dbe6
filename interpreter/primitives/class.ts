/**
 * Class primitives (SOM.md §9.2), shared by every class and metaclass: structural reflection
 * (name, superclass, fields, methods) and instance creation.
 *
 * `new` on the built-in value classes is unspecified (SOM.md §3.1). We answer an empty Array
 * for `Array new` and an empty String for `String new` (the values their own protocols would
 * make), and a plain field-less instance for the others; primitives reject such an instance
 * as a receiver (operands.ts), so it can do no harm.
 */
import { jit } from '../jit.ts';
import { coreClasses } from '../model/core-classes.ts';
import type { Frame } from '../model/frame.ts';
import { SomArray, SomObject, SomString, type SomValue } from '../model/objects.ts';
import { classOperand } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

/**
 * @jit.handler `aClass new` (traced: the class is promoted, so a trace allocates the instance
 * of a known class itself, and the optimiser may keep it in IR values if it does not escape).
 */
export function newInstance(_caller: Frame, rcvr: SomValue): SomValue {
  const cls = jit.promote(classOperand(rcvr));
  if (cls === coreClasses.array) return new SomArray([]);
  if (cls === coreClasses.string) return new SomString('');
  return new SomObject(cls, cls.numInstanceFields);
}

export const CLASS_PRIMITIVES: ClassPrimitives = {
  instance: {
    name: (_caller, rcvr) => classOperand(rcvr).name,
    new: newInstance,
    superclass: (_caller, rcvr) => classOperand(rcvr).superclass,
    // A fresh copy: the layout is fixed when the class loads, so storing into it changes nothing.
    fields: (_caller, rcvr) => new SomArray([...classOperand(rcvr).instanceFieldNames]),
    // The class's own method array: storing into it changes lookup (SOM.md §3.2, §8.1).
    methods: (_caller, rcvr) => classOperand(rcvr).methods,
  },
  classSide: {},
};
