/**
 * Operand checks shared by the primitives: each function narrows a SOM value to the
 * representation a primitive needs, or throws the SomRuntimeError that SOM.md §11.2 words for
 * that failure (always naming SOM classes, never JS types).
 *
 * Primitives narrow their receiver too, not only their arguments: `Method>>#invokeOn:with:`,
 * `perform:inSuperclass:` and subclasses of built-in classes can hand a primitive a receiver
 * of the wrong kind, and that must end in a SOM error, not in a JS TypeError.
 */
import { SomClass } from '../model/class.ts';
import { SomMethod, SomPrimitive, type Invokable } from '../model/method.ts';
import { classOf, SomArray, SomBlock, SomDouble, SomString, SomSymbol, type SomValue } from '../model/objects.ts';
import { intToDouble, isInteger, intToString, type IntegerValue } from '../model/integers.ts';
import { SomRuntimeError } from '../signals.ts';

/** The SOM class name of `value`, as error messages print it (`Foo class` for a class). */
export function className(value: SomValue): string {
  return classOf(value).name.s;
}

/** @jit.residual `Expected instance of '<expected>' but got instance of '<T>'.` (an error path) */
function wrongClass(expected: string, value: SomValue): SomRuntimeError {
  return new SomRuntimeError(`Expected instance of '${expected}' but got instance of '${className(value)}'.`);
}

/** An operand of arithmetic or a comparison that is no number. */
export function notANumber(value: SomValue): SomRuntimeError {
  return new SomRuntimeError(`Expected a numeric type but got type '${className(value)}'.`);
}

/** @jit.residual An Integer-only operand (`&`, `bitXor:`, `rem:`, shift counts, indices, `exit:`) that is not one. */
function notAnInteger(value: SomValue): SomRuntimeError {
  return new SomRuntimeError(`Expected object of type 'Integer' but got type '${className(value)}'.`);
}

/** @jit.handler traced with the Integer primitives. */
export function integerOperand(value: SomValue): IntegerValue {
  if (isInteger(value)) return value;
  throw notAnInteger(value);
}

/**
 * @jit.handler An Integer or Double operand as a double: what Integer-op-Double and Double-op-x
 * compute with. Traced with the Double primitives: a Double's value or a small Integer itself.
 */
export function doubleOperand(value: SomValue): number {
  if (value instanceof SomDouble) return value.value;
  if (typeof value === 'number') return value;
  return bigOrNotANumber(value);
}

/** @jit.residual `doubleOperand` of a big Integer (its nearest double) or of a non-number (an error). */
function bigOrNotANumber(value: SomValue): number {
  if (isInteger(value)) return intToDouble(value);
  throw notANumber(value);
}

/** @jit.handler traced with the Integer primitives. */
export function integerReceiver(value: SomValue): IntegerValue {
  if (isInteger(value)) return value;
  throw wrongClass('Integer', value);
}

/** @jit.handler traced with the Double primitives: a class test and the value's load. */
export function doubleReceiver(value: SomValue): number {
  if (value instanceof SomDouble) return value.value;
  throw wrongClass('Double', value);
}

/** @jit.handler A String or Symbol (Symbol is a subclass of String); traced with the String primitives. */
export function stringOperand(value: SomValue): SomString {
  if (value instanceof SomString) return value;
  throw wrongClass('String', value);
}

export function symbolOperand(value: SomValue): SomSymbol {
  if (value instanceof SomSymbol) return value;
  throw wrongClass('Symbol', value);
}

/** @jit.handler traced with the Array primitives: a class test in a trace. */
export function arrayOperand(value: SomValue): SomArray {
  if (value instanceof SomArray) return value;
  throw wrongClass('Array', value);
}

/** @jit.handler A class or metaclass; traced with `Class>>new`. */
export function classOperand(value: SomValue): SomClass {
  if (value instanceof SomClass) return value;
  throw wrongClass('Class', value);
}

export function blockReceiver(value: SomValue): SomBlock {
  if (value instanceof SomBlock) return value;
  throw wrongClass('Block', value);
}

/** A Method or a Primitive. */
export function invokableReceiver(value: SomValue): Invokable {
  if (value instanceof SomMethod || value instanceof SomPrimitive) return value;
  throw wrongClass('Method', value);
}

/** Checks that `given` arguments suit a callee taking `required` (perform:, invokeOn:with:, blocks). */
export function checkArity(given: number, required: number): void {
  if (given !== required) {
    throw new SomRuntimeError(`Tried passing ${given} arguments to a function that requires ${required}.`);
  }
}

/** What an index points into, for the out-of-range message. */
type IndexedKind = 'array' | 'object';

/**
 * @jit.handler A 1-based index into `length` slots, as a 0-based offset (traced with the Array
 * primitives: two comparisons in a trace). Out of range: see `indexOutOfRange`.
 */
export function slotOffset(index: SomValue, length: number, kind: IndexedKind): number {
  if (typeof index === 'number' && index >= 1 && index <= length) return index - 1;
  throw indexOutOfRange(index, length, kind);
}

/**
 * @jit.residual `Index 5 not valid for array of length 3.` (SOM.md §11.2) or `... for object with
 * 3 fields.` (an error path)
 */
function indexOutOfRange(index: SomValue, length: number, kind: IndexedKind): SomRuntimeError {
  const where = kind === 'array' ? `array of length ${length}` : `object with ${length} fields`;
  return new SomRuntimeError(`Index ${intToString(integerOperand(index))} not valid for ${where}.`);
}
