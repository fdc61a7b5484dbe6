/**
 * Array primitives (SOM.md §6, §9.8): bounds-checked element access, length, and creation.
 * Indices are 1-based; a bad index is fatal with `Index <i> not valid for array of length <n>.`
 * `at:put:` answers the receiver (som-java, TruffleSOM and yksom do; §6 recommends it).
 */
import { SomArray, type SomValue } from '../model/objects.ts';
import { intToString, intLessThan } from '../model/integers.ts';
import { SomRuntimeError } from '../signals.ts';
import { arrayOperand, integerOperand, slotOffset } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

/** The longest array a JS array can hold. */
const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

function newArray(lengthArg: SomValue): SomArray {
  const length = integerOperand(lengthArg);
  if (intLessThan(length, 0)) {
    throw new SomRuntimeError(`Cannot create an Array of negative length ${intToString(length)}.`);
  }
  if (typeof length !== 'number' || length > MAX_ARRAY_LENGTH) {
    throw new SomRuntimeError(`Cannot create an Array of length ${intToString(length)}: too large.`);
  }
  return new SomArray(new Array<SomValue>(length).fill(null));
}

export const ARRAY_PRIMITIVES: ClassPrimitives = {
  instance: {
    'at:': (_caller, rcvr, index) => {
      const elements = arrayOperand(rcvr).elements;
      // Invariant: slotOffset answers only offsets below elements.length.
      return elements[slotOffset(index, elements.length, 'array')]!;
    },
    'at:put:': (_caller, rcvr, index, value) => {
      const array = arrayOperand(rcvr);
      const elements = array.elements;
      elements[slotOffset(index, elements.length, 'array')] = value;
      if (array.methodHolder !== null) array.methodHolder.methodArrayChanged();
      return rcvr;
    },
    length: (_caller, rcvr) => arrayOperand(rcvr).elements.length,
  },
  classSide: {
    'new:': (_caller, _rcvr, length) => newArray(length),
  },
};
