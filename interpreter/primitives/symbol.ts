/**
 * Symbol primitives (SOM.md §5.2, §9.7): only `asString`; everything else is inherited from
 * String. Following §9.7's recommendation there is no Symbol-specific `=`, so `Symbol methods`
 * matches the source.
 */
import { SomString } from '../model/objects.ts';
import { symbolOperand } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

export const SYMBOL_PRIMITIVES: ClassPrimitives = {
  instance: {
    // A new String with the symbol's characters: equal to it, never identical.
    asString: (_caller, rcvr) => new SomString(symbolOperand(rcvr).s),
  },
  classSide: {},
};
