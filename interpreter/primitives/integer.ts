/**
 * Integer primitives (SOM.md §4, §9.5): arithmetic on unbounded Integers, mixed with Doubles
 * as §4.2 tabulates, bit operations, comparisons and conversions.
 *
 * Integer results always come from the helpers of model/integers.ts, which keep the canonical
 * form (a JS number whenever the value is a safe integer, never -0). An Integer meeting a
 * Double is converted to the nearest double; comparisons instead are exact
 * (`compareIntegerWithDouble`), as §4.5 recommends. Errors use the wording of §11.2.
 */
import type { Frame } from '../model/frame.ts';
import { SomDouble, SomString, type SomValue } from '../model/objects.ts';
import {
  as32BitSigned,
  as32BitUnsigned,
  compareIntegerWithDouble,
  fromBigInt,
  intAdd,
  intAnd,
  intDiv,
  intEquals,
  integerFromIntegralDouble,
  intLessThan,
  intMod,
  intMul,
  intRem,
  intShiftLeft,
  intShiftRight,
  intSub,
  intToDouble,
  intToString,
  intXor,
  isInteger,
  parseInteger,
  type IntegerValue,
} from '../model/integers.ts';
import { SomRuntimeError } from '../signals.ts';
import { integerFromDouble } from './double.ts';
import { doubleOperand, integerOperand, integerReceiver, notANumber, stringOperand } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

/** Shifts that would build an Integer wider than this many bits are refused ("Shift too big."). */
const MAX_SHIFT_RESULT_BITS = 1 << 24;

type IntOp = (a: IntegerValue, b: IntegerValue) => IntegerValue;
type DoubleOp = (a: number, b: number) => number;

/** @jit.handler `Integer>>&` (traced: on 32-bit Integers, a class test, a range test and an `&`). */
export function integerAnd(_caller: Frame, rcvr: SomValue, arg: SomValue): SomValue {
  return intAnd(integerReceiver(rcvr), integerOperand(arg));
}

/** @jit.handler `Integer>>bitXor:` (traced as `integerAnd`). */
export function integerXor(_caller: Frame, rcvr: SomValue, arg: SomValue): SomValue {
  return intXor(integerReceiver(rcvr), integerOperand(arg));
}

/** `a op arg`: an Integer for an Integer argument, a Double for a Double one, else fatal. */
function arithmetic(a: IntegerValue, arg: SomValue, intOp: IntOp, doubleOp: DoubleOp): SomValue {
  if (isInteger(arg)) return intOp(a, arg);
  if (arg instanceof SomDouble) return new SomDouble(doubleOp(intToDouble(a), arg.value));
  throw notANumber(arg);
}

/** @jit.residual the error of a zero divisor. */
function divisionByZero(): SomRuntimeError {
  return new SomRuntimeError('Division by zero.');
}

/** @jit.handler `Integer>>/` (traced: on small Integers, a zero test and a truncated division). */
export function integerQuotient(_caller: Frame, rcvr: SomValue, arg: SomValue): SomValue {
  return quotient(integerReceiver(rcvr), arg);
}

/** @jit.handler `I / x`: truncated quotient; by a Double, the truncated double quotient (§4.2). */
function quotient(a: IntegerValue, arg: SomValue): SomValue {
  if (isInteger(arg)) {
    if (arg === 0) throw divisionByZero();
    return intDiv(a, arg);
  }
  return quotientByDouble(a, arg);
}

/** @jit.residual `I / aDouble` (or a non-number's error). */
function quotientByDouble(a: IntegerValue, arg: SomValue): SomValue {
  const d = doubleOperand(arg);
  if (d === 0) throw divisionByZero();
  return integerFromDouble(Math.trunc(intToDouble(a) / d));
}

/** @jit.handler `Integer>>%` (traced: on small Integers, a zero test and a remainder). */
export function integerModulo(_caller: Frame, rcvr: SomValue, arg: SomValue): SomValue {
  return modulo(integerReceiver(rcvr), arg);
}

/** @jit.handler `I % x`: floored modulo by an Integer, fmod by a Double (a zero Double gives NaN). */
function modulo(a: IntegerValue, arg: SomValue): SomValue {
  if (isInteger(arg)) {
    if (arg === 0) throw divisionByZero();
    return intMod(a, arg);
  }
  return moduloByDouble(a, arg);
}

/** @jit.residual `I % aDouble`. */
function moduloByDouble(a: IntegerValue, arg: SomValue): SomValue {
  return new SomDouble(intToDouble(a) % doubleOperand(arg));
}

/** @jit.handler `Integer>>rem:` (traced: on small Integers, a zero test and a remainder). */
export function integerRemainder(_caller: Frame, rcvr: SomValue, arg: SomValue): SomValue {
  return remainder(integerReceiver(rcvr), arg);
}

/** @jit.handler `I rem: n`: the truncated remainder by an Integer. */
function remainder(a: IntegerValue, arg: SomValue): IntegerValue {
  const b = integerOperand(arg);
  if (b === 0) throw remainderByZero();
  return intRem(a, b);
}

/** @jit.residual the error of `rem:` by zero (its wording differs from `/`'s). */
function remainderByZero(): SomRuntimeError {
  return new SomRuntimeError('Division by zero or overflow.');
}

/** A shift count: a non-negative Integer ("Negative shift." otherwise). */
function shiftCount(arg: SomValue): IntegerValue {
  const n = integerOperand(arg);
  if (intLessThan(n, 0)) throw new SomRuntimeError('Negative shift.');
  return n;
}

/** An upper bound of the bit length of `a`. */
function bitLengthBound(a: IntegerValue): number {
  return typeof a === 'number' ? 53 : a.value.toString(16).length * 4;
}

function shiftLeft(a: IntegerValue, arg: SomValue): IntegerValue {
  const n = shiftCount(arg);
  if (a === 0) return 0;
  if (typeof n !== 'number' || bitLengthBound(a) + n > MAX_SHIFT_RESULT_BITS) {
    throw new SomRuntimeError('Shift too big.');
  }
  return intShiftLeft(a, n);
}

function shiftRight(a: IntegerValue, arg: SomValue): IntegerValue {
  const n = shiftCount(arg);
  // A count beyond 2^53 shifts every bit out, just as 2^53 - 1 does.
  return intShiftRight(a, typeof n === 'number' ? n : Number.MAX_SAFE_INTEGER);
}

/** §4.6: an Integer when the double square root is integral, else a Double (NaN below 0). */
function squareRoot(a: IntegerValue): SomValue {
  const root = Math.sqrt(intToDouble(a));
  return Number.isInteger(root) ? integerFromIntegralDouble(root) : new SomDouble(root);
}

/** A pseudo-random Integer in [0, a); 0 for a receiver <= 0 (unspecified in SOM.md). */
function atRandom(a: IntegerValue): IntegerValue {
  if (typeof a === 'number') return a <= 0 ? 0 : Math.floor(Math.random() * a);
  if (a.value < 0n) return 0;
  let random = 0n;
  const words = Math.ceil(bitLengthBound(a) / 32) + 2; // extra words make the modulo bias negligible
  for (let i = 0; i < words; i++) random = (random << 32n) | BigInt(Math.floor(Math.random() * 2 ** 32));
  return fromBigInt(random % a.value);
}

function equals(a: IntegerValue, arg: SomValue): boolean {
  if (isInteger(arg)) return intEquals(a, arg);
  if (arg instanceof SomDouble) return compareIntegerWithDouble(a, arg.value) === 0;
  return false;
}

function lessThan(a: IntegerValue, arg: SomValue): boolean {
  if (isInteger(arg)) return intLessThan(a, arg);
  if (arg instanceof SomDouble) return compareIntegerWithDouble(a, arg.value) < 0;
  throw notANumber(arg);
}

/** `Integer class>>#fromString:` (§4.6): an optional '-' and decimal digits, any size. */
function fromString(arg: SomValue): IntegerValue {
  const text = stringOperand(arg).s;
  const value = parseInteger(text);
  if (value === null) throw new SomRuntimeError(`'${text}' cannot be converted to an Integer.`);
  return value;
}

export const INTEGER_PRIMITIVES: ClassPrimitives = {
  instance: {
    '+': (_caller, rcvr, arg) => arithmetic(integerReceiver(rcvr), arg, intAdd, (x, y) => x + y),
    '-': (_caller, rcvr, arg) => arithmetic(integerReceiver(rcvr), arg, intSub, (x, y) => x - y),
    '*': (_caller, rcvr, arg) => arithmetic(integerReceiver(rcvr), arg, intMul, (x, y) => x * y),
    '/': integerQuotient,
    '//': (_caller, rcvr, arg) => new SomDouble(intToDouble(integerReceiver(rcvr)) / doubleOperand(arg)),
    '%': integerModulo,
    'rem:': integerRemainder,
    '&': integerAnd,
    '<<': (_caller, rcvr, arg) => shiftLeft(integerReceiver(rcvr), arg),
    '>>>': (_caller, rcvr, arg) => shiftRight(integerReceiver(rcvr), arg),
    'bitXor:': integerXor,
    sqrt: (_caller, rcvr) => squareRoot(integerReceiver(rcvr)),
    atRandom: (_caller, rcvr) => atRandom(integerReceiver(rcvr)),
    '=': (_caller, rcvr, arg) => equals(integerReceiver(rcvr), arg),
    '<': (_caller, rcvr, arg) => lessThan(integerReceiver(rcvr), arg),
    asString: (_caller, rcvr) => new SomString(intToString(integerReceiver(rcvr))),
    as32BitSignedValue: (_caller, rcvr) => as32BitSigned(integerReceiver(rcvr)),
    as32BitUnsignedValue: (_caller, rcvr) => as32BitUnsigned(integerReceiver(rcvr)),
    asDouble: (_caller, rcvr) => new SomDouble(intToDouble(integerReceiver(rcvr))),
  },
  classSide: {
    'fromString:': (_caller, _rcvr, arg) => fromString(arg),
  },
};
