/**
 * Method and Primitive primitives (SOM.md §9.3): the same three in both classes, so both
 * registry entries share this one table. `invokeOn:with:` runs the invokable directly: no
 * lookup, no `doesNotUnderstand:`, any receiver (a primitive checks its receiver itself).
 */
import { invokeWithArgs } from '../invoke.ts';
import { arrayOperand, checkArity, invokableReceiver } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

export const METHOD_PRIMITIVES: ClassPrimitives = {
  instance: {
    signature: (_caller, rcvr) => invokableReceiver(rcvr).signature,
    holder: (_caller, rcvr) => invokableReceiver(rcvr).holder,
    'invokeOn:with:': (caller, rcvr, obj, args) => {
      const invokable = invokableReceiver(rcvr);
      const elements = arrayOperand(args).elements;
      checkArity(elements.length, invokable.numArgs);
      return invokeWithArgs(invokable, caller, obj, elements);
    },
  },
  classSide: {},
};
