/**
 * Array primitives (SOM.md §6, §9.8): bounds-checked element access, length, and creation.
 * Indices are 1-based; a bad index is fatal with `Index <i> not valid for array of length <n>.`
 * `at:put:` answers the receiver (som-java, TruffleSOM and yksom do; §6 recommends it).
 */
import type { Frame } from '../model/frame.ts';
import type { SomClass } from '../model/class.ts';
import { SomArray, type SomValue } from '../model/objects.ts';
import { type IntegerValue, intToString, intLessThan } from '../model/integers.ts';
import { SomRuntimeError } from '../signals.ts';
import { arrayOperand, integerOperand, slotOffset } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

/** The longest array a JS array can hold. */
export const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

/**
 * @jit.handler `Array class>>new: length` (traced: an Integer test, the range tests, and the
 * array's two allocations, which the optimiser may remove when the array does not escape).
 */
export function arrayNew(_caller: Frame, _rcvr: SomValue, lengthArg: SomValue): SomValue {
  const length = integerOperand(lengthArg);
  if (typeof length !== 'number' || length < 0 || length > MAX_ARRAY_LENGTH) throw badArrayLength(length);
  return new SomArray(new Array<SomValue>(length).fill(null));
}

/** @jit.residual The error of a length below 0 or beyond what a JS array holds. */
function badArrayLength(length: IntegerValue): SomRuntimeError {
  if (intLessThan(length, 0)) {
    return new SomRuntimeError(`Cannot create an Array of negative length ${intToString(length)}.`);
  }
  return new SomRuntimeError(`Cannot create an Array of length ${intToString(length)}: too large.`);
}

/**
 * @jit.handler `anArray at: index` (traced: the tracer follows it, so an element read in a trace is
 * a bounds-checked load, not a call).
 */
export function arrayAt(_caller: Frame, rcvr: SomValue, index: SomValue): SomValue {
  const elements = arrayOperand(rcvr).elements;
  // Invariant: slotOffset answers only offsets below elements.length.
  return elements[slotOffset(index, elements.length, 'array')]!;
}

/**
 * @jit.handler `anArray at: index put: value`; a store into a class's method array changes lookup,
 * so the class hears of it.
 */
export function arrayAtPut(_caller: Frame, rcvr: SomValue, index: SomValue, value: SomValue): SomValue {
  const array = arrayOperand(rcvr);
  const elements = array.elements;
  elements[slotOffset(index, elements.length, 'array')] = value;
  const holder = array.methodHolder;
  if (holder !== null) methodArrayChanged(holder);
  return rcvr;
}

/** @jit.residual a class's method array changed (rare: the trace makes the call). */
function methodArrayChanged(holder: SomClass): void {
  holder.methodArrayChanged();
}

/** @jit.handler `anArray length`. */
export function arrayLength(_caller: Frame, rcvr: SomValue): SomValue {
  return arrayOperand(rcvr).elements.length;
}

export const ARRAY_PRIMITIVES: ClassPrimitives = {
  instance: { 'at:': arrayAt, 'at:put:': arrayAtPut, length: arrayLength },
  classSide: {
    'new:': arrayNew,
  },
};
