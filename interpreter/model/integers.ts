/**
 * Exact SOM Integer arithmetic over the two representations: safe JS numbers and `SomBigInt`.
 *
 * Invariant (SOM.md §4.1): a result that fits a safe integer is always a number, so no
 * operation or comparison can tell the two forms apart. Fast paths stay on numbers and check
 * the result with `Number.isSafeInteger`: for safe operands of + - *, a safe floating-point
 * result is the exact result (any inexact result has magnitude >= 2^53).
 */
import { SomBigInt } from './objects.ts';

export type IntegerValue = number | SomBigInt;

/** Wraps a bigint as a SOM Integer in canonical form. */
export function fromBigInt(value: bigint): IntegerValue {
  if (value >= -9007199254740991n && value <= 9007199254740991n) return Number(value);
  return new SomBigInt(value);
}

export function toBigInt(value: IntegerValue): bigint {
  return typeof value === 'number' ? BigInt(value) : value.value;
}

/** @jit.handler traced with `Object>>==` (a type test in a trace). */
export function isInteger(value: unknown): value is IntegerValue {
  return typeof value === 'number' || value instanceof SomBigInt;
}

/** @jit.residual big-integer arithmetic; not worth tracing. */
export function intAdd(a: IntegerValue, b: IntegerValue): IntegerValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return fromBigInt(toBigInt(a) + toBigInt(b));
}

/** @jit.residual big-integer arithmetic; not worth tracing. */
export function intSub(a: IntegerValue, b: IntegerValue): IntegerValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return fromBigInt(toBigInt(a) - toBigInt(b));
}

/** @jit.residual big-integer arithmetic; not worth tracing. */
export function intMul(a: IntegerValue, b: IntegerValue): IntegerValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    // -0 arises from e.g. -3 * 0; SOM Integers have no negative zero.
    if (Number.isSafeInteger(r)) return r === 0 ? 0 : r;
  }
  return fromBigInt(toBigInt(a) * toBigInt(b));
}

/**
 * @jit.handler Quotient truncated toward zero (SOM.md §4.3). The caller checks for a zero
 * divisor. Traced on safe integers (a float division and a checked truncation); big ones are a call.
 */
export function intDiv(a: IntegerValue, b: IntegerValue): IntegerValue {
  if (typeof a === 'number' && typeof b === 'number') {
    // Exact for safe operands: the rounding error of a/b is below |a|/|b| * 2^-53 < 1/|b|,
    // the smallest distance of a non-integral quotient from an integer.
    // `+ 0` turns a -0 (-1 / 2) into 0 without a branch (a trace would guard on a branch).
    return Math.trunc(a / b) + 0;
  }
  return bigDiv(a, b);
}

/** @jit.residual `intDiv` beyond safe integers. */
function bigDiv(a: IntegerValue, b: IntegerValue): IntegerValue {
  return fromBigInt(toBigInt(a) / toBigInt(b));
}

/**
 * @jit.handler Floored modulo: the result has the sign of the divisor. The caller checks for
 * zero. Traced on safe integers; big ones are a call.
 */
export function intMod(a: IntegerValue, b: IntegerValue): IntegerValue {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a % b;
    // (`+ 0`: -0 becomes 0, see intDiv.)
    return (r !== 0 && r < 0 !== b < 0 ? r + b : r) + 0;
  }
  return bigMod(a, b);
}

/** @jit.residual `intMod` beyond safe integers. */
function bigMod(a: IntegerValue, b: IntegerValue): IntegerValue {
  const bb = toBigInt(b);
  const r = toBigInt(a) % bb;
  return fromBigInt(r !== 0n && r < 0n !== bb < 0n ? r + bb : r);
}

/**
 * @jit.handler Truncated remainder: the result has the sign of the dividend. The caller checks
 * for zero. Traced on safe integers; big ones are a call.
 */
export function intRem(a: IntegerValue, b: IntegerValue): IntegerValue {
  if (typeof a === 'number' && typeof b === 'number') {
    // (`+ 0`: -0 becomes 0, see intDiv.)
    return (a % b) + 0;
  }
  return bigRem(a, b);
}

/** @jit.residual `intRem` beyond safe integers. */
function bigRem(a: IntegerValue, b: IntegerValue): IntegerValue {
  return fromBigInt(toBigInt(a) % toBigInt(b));
}

/** @jit.handler `a & b`: on two 32-bit Integers JS's `&`, traced; else exact, on bigints. */
export function intAnd(a: IntegerValue, b: IntegerValue): IntegerValue {
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b) return a & b;
  return bigAnd(a, b);
}

/** @jit.handler `a bitXor: b`: as `intAnd`. */
export function intXor(a: IntegerValue, b: IntegerValue): IntegerValue {
  if (typeof a === 'number' && typeof b === 'number' && (a | 0) === a && (b | 0) === b) return a ^ b;
  return bigXor(a, b);
}

/** @jit.residual `a & b` beyond 32 bits. */
function bigAnd(a: IntegerValue, b: IntegerValue): IntegerValue {
  return fromBigInt(toBigInt(a) & toBigInt(b));
}

/** @jit.residual `a bitXor: b` beyond 32 bits. */
function bigXor(a: IntegerValue, b: IntegerValue): IntegerValue {
  return fromBigInt(toBigInt(a) ^ toBigInt(b));
}

/** `a << n` for 0 <= n (the caller checks the count's sign and size). */
export function intShiftLeft(a: IntegerValue, n: number): IntegerValue {
  if (typeof a === 'number' && n < 31 && Math.abs(a) < 2 ** 21) return a * 2 ** n;
  return fromBigInt(toBigInt(a) << BigInt(n));
}

const WORD_MASK = (1n << 64n) - 1n;

/**
 * Logical shift right (SOM.md §4.4, recommended rule): receivers in [-2^63, 2^63) are 64-bit
 * two's-complement words shifted in zeros; larger ones divide by 2^n with flooring.
 */
export function intShiftRight(a: IntegerValue, n: number): IntegerValue {
  if (typeof a === 'number' && a >= 0) return n >= 53 ? 0 : Math.floor(a / 2 ** n);
  const big = toBigInt(a);
  if (big >= -(1n << 63n) && big < 1n << 63n) {
    if (n === 0) return a;
    return fromBigInt((big & WORD_MASK) >> BigInt(n));
  }
  return fromBigInt(big >> BigInt(n));
}

export function intLessThan(a: IntegerValue, b: IntegerValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  return toBigInt(a) < toBigInt(b);
}

/** @jit.handler traced with `Object>>==`: on two small Integers, one comparison. */
export function intEquals(a: IntegerValue, b: IntegerValue): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'number' || typeof b === 'number') return false; // canonical forms differ
  return a.value === b.value;
}

export function as32BitSigned(a: IntegerValue): number {
  return typeof a === 'number' && Math.abs(a) < 2 ** 31 ? a | 0 : Number(BigInt.asIntN(32, toBigInt(a)));
}

export function as32BitUnsigned(a: IntegerValue): number {
  return typeof a === 'number' && Math.abs(a) < 2 ** 31 ? a >>> 0 : Number(BigInt.asUintN(32, toBigInt(a)));
}

/** The Integer nearest to the integral double `d` (exact: every finite double is an integer or not). */
export function integerFromIntegralDouble(d: number): IntegerValue {
  return Number.isSafeInteger(d) ? (d === 0 ? 0 : d) : fromBigInt(BigInt(d));
}

/** The nearest double (infinite beyond the double range). */
export function intToDouble(a: IntegerValue): number {
  return typeof a === 'number' ? a : Number(a.value);
}

/**
 * @jit.residual Compares an Integer with a double exactly (SOM.md §4.5 recommended): -1, 0 or 1,
 * or NaN when `d` is NaN.
 */
export function compareIntegerWithDouble(a: IntegerValue, d: number): number {
  if (Number.isNaN(d)) return NaN;
  if (typeof a === 'number') return a < d ? -1 : a > d ? 1 : 0;
  if (d === Infinity) return -1;
  if (d === -Infinity) return 1;
  const floor = Math.floor(d);
  const big = a.value;
  const fb = BigInt(floor);
  if (big < fb) return -1;
  if (big > fb) return 1;
  return d > floor ? -1 : 0;
}

/** Parses SOM.md §4.6 Integer text: an optional '-' and decimal digits. Null if invalid. */
export function parseInteger(text: string): IntegerValue | null {
  if (!/^-?[0-9]+$/.test(text)) return null;
  return fromBigInt(BigInt(text));
}

export function intToString(a: IntegerValue): string {
  return typeof a === 'number' ? String(a) : a.value.toString();
}
