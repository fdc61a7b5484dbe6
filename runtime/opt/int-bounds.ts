/**
 * Integer ranges for the optimiser (PyPy's intutils.IntBound, LuaJIT's range checks): what the
 * guard pass (guards.ts) knows about an `int` value, as a closed interval [lo, hi].
 *
 * An `int` is a safe integer, so every range a value can have lies in [-MAX_SAFE, MAX_SAFE]
 * (FULL_RANGE: nothing known). The arithmetic here computes the range of an operation's
 * mathematical result from its operands' ranges; the result may lie partly or wholly outside the
 * safe integers, which is what `isSafe` asks before an overflow check is dropped.
 *
 * Precision: the bounds are JS doubles. Adding or multiplying two safe integers is exact while
 * the exact result is safe, and an exact result of magnitude 2^53 or more rounds to a double of
 * magnitude 2^53 or more (rounding is monotonic and 2^53 is a double), so `isSafe` on computed
 * bounds never answers true for a result that is not safe. `clip` then cuts a range back to the
 * values an int can hold.
 */

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export interface IntRange {
  readonly lo: number;
  readonly hi: number;
}

/** Nothing known: any safe integer. */
export const FULL_RANGE: IntRange = { lo: -MAX_SAFE, hi: MAX_SAFE };

/** What `int_and`/`int_or`/`int_xor` (JS int32 operators) may give. */
const INT32_RANGE: IntRange = { lo: -(2 ** 31), hi: 2 ** 31 - 1 };

/** `arraylen`: a JS array's length is below 2^32. */
export const LENGTH_RANGE: IntRange = { lo: 0, hi: 2 ** 32 - 1 };

/** [lo, hi] with -0 read as 0 (a product of bounds may be -0; ints never are). */
export function intRange(lo: number, hi: number): IntRange {
  return { lo: lo + 0, hi: hi + 0 };
}

export function pointRange(value: number): IntRange {
  return intRange(value, value);
}

/** Every value in the range is a safe integer: an operation with this result cannot overflow. */
export function isSafe(range: IntRange): boolean {
  return range.lo >= -MAX_SAFE && range.hi <= MAX_SAFE;
}

/** No value in the range is a safe integer: an overflow-checked operation always fails. */
export function isNeverSafe(range: IntRange): boolean {
  return range.lo > MAX_SAFE || range.hi < -MAX_SAFE;
}

/** The part of `range` an int can hold. */
export function clip(range: IntRange): IntRange {
  return intRange(Math.max(range.lo, -MAX_SAFE), Math.min(range.hi, MAX_SAFE));
}

export function isEmpty(range: IntRange): boolean {
  return range.lo > range.hi;
}

export function contains(range: IntRange, value: number): boolean {
  return range.lo <= value && value <= range.hi;
}

export function intersect(a: IntRange, b: IntRange): IntRange {
  return intRange(Math.max(a.lo, b.lo), Math.min(a.hi, b.hi));
}

export function rangeAdd(a: IntRange, b: IntRange): IntRange {
  return intRange(a.lo + b.lo, a.hi + b.hi);
}

export function rangeSub(a: IntRange, b: IntRange): IntRange {
  return intRange(a.lo - b.hi, a.hi - b.lo);
}

export function rangeMul(a: IntRange, b: IntRange): IntRange {
  const corners = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return intRange(Math.min(...corners), Math.max(...corners));
}

export function rangeNeg(a: IntRange): IntRange {
  return intRange(-a.hi, -a.lo);
}

/** Largest magnitude in the range. */
function magnitude(a: IntRange): number {
  return Math.max(Math.abs(a.lo), Math.abs(a.hi));
}

/** Truncated quotient (int_div): never larger in magnitude than the dividend. */
export function rangeDiv(a: IntRange, b: IntRange): IntRange {
  if (a.lo >= 0 && b.lo > 0) return intRange(0, a.hi);
  const m = magnitude(a);
  return intRange(-m, m);
}

/** Floored modulo (int_mod): the sign of the divisor, smaller in magnitude. */
export function rangeMod(_a: IntRange, b: IntRange): IntRange {
  if (b.lo > 0) return intRange(0, b.hi - 1);
  if (b.hi < 0) return intRange(b.lo + 1, 0);
  const m = magnitude(b) - 1;
  return intRange(-m, m);
}

/** Truncated remainder (int_rem): the sign of the dividend, smaller in magnitude than the divisor. */
export function rangeRem(a: IntRange, b: IntRange): IntRange {
  const m = magnitude(b) - 1;
  if (a.lo >= 0) return intRange(0, Math.min(m, a.hi));
  if (a.hi <= 0) return intRange(Math.max(-m, a.lo), 0);
  return intRange(-m, m);
}

function isNonNegativeInt32(a: IntRange): boolean {
  return a.lo >= 0 && a.hi <= INT32_RANGE.hi;
}

/** JS `&`: with a non-negative int32 operand the result's bits are a subset of its bits. */
export function rangeAnd(a: IntRange, b: IntRange): IntRange {
  if (isNonNegativeInt32(a) && isNonNegativeInt32(b)) return intRange(0, Math.min(a.hi, b.hi));
  if (isNonNegativeInt32(a)) return intRange(0, a.hi);
  if (isNonNegativeInt32(b)) return intRange(0, b.hi);
  return INT32_RANGE;
}

/** JS `|` and `^`: an int32. */
export function rangeInt32(): IntRange {
  return INT32_RANGE;
}
