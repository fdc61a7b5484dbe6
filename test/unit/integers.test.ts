/**
 * Integer arithmetic (interpreter/model/integers.ts) against a BigInt reference, with
 * fast-check generating operands around the small/large boundary, where representations switch.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fromBigInt,
  toBigInt,
  intAdd,
  intSub,
  intMul,
  intDiv,
  intMod,
  intRem,
  intAnd,
  intXor,
  intShiftLeft,
  intShiftRight,
  intLessThan,
  intEquals,
  as32BitSigned,
  as32BitUnsigned,
  compareIntegerWithDouble,
  type IntegerValue,
} from '../../interpreter/model/integers.ts';
import { SomBigInt } from '../../interpreter/model/objects.ts';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Integers concentrated near 0, near 2^31, near 2^53 and beyond 2^64. */
const bigints = fc.oneof(
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.bigInt({ min: -(1n << 32n), max: 1n << 32n }),
  fc.bigInt({ min: -MAX_SAFE - 5n, max: -MAX_SAFE + 5n }),
  fc.bigInt({ min: MAX_SAFE - 5n, max: MAX_SAFE + 5n }),
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
);

/** Canonical: a number iff it fits the safe range. */
function isCanonical(v: IntegerValue): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0);
  return v.value > MAX_SAFE || v.value < -MAX_SAFE;
}

function check(
  op: (a: IntegerValue, b: IntegerValue) => IntegerValue,
  ref: (a: bigint, b: bigint) => bigint,
  nonZero = false,
) {
  fc.assert(
    fc.property(bigints, bigints, (a, b) => {
      if (nonZero && b === 0n) return;
      const r = op(fromBigInt(a), fromBigInt(b));
      expect(isCanonical(r)).toBe(true);
      expect(toBigInt(r)).toBe(ref(a, b));
    }),
    { numRuns: 2000 },
  );
}

const flooredMod = (a: bigint, b: bigint) => {
  const r = a % b;
  return r !== 0n && r < 0n !== b < 0n ? r + b : r;
};

describe('Integer arithmetic', () => {
  it('adds, subtracts and multiplies exactly, staying canonical', () => {
    check(intAdd, (a, b) => a + b);
    check(intSub, (a, b) => a - b);
    check(intMul, (a, b) => a * b);
  });

  it('divides truncating, modulo floored, remainder truncated', () => {
    check(intDiv, (a, b) => a / b, true);
    check(intMod, flooredMod, true);
    check(intRem, (a, b) => a % b, true);
    expect(intDiv(-7, 2)).toBe(-3);
    expect(intMod(-7, 2)).toBe(1);
    expect(intMod(7, -2)).toBe(-1);
    expect(intRem(-7, 2)).toBe(-1);
  });

  it("computes two's-complement & and bitXor: at any width", () => {
    check(intAnd, (a, b) => a & b);
    check(intXor, (a, b) => a ^ b);
  });

  it('shifts left exactly and promotes', () => {
    fc.assert(
      fc.property(bigints, fc.integer({ min: 0, max: 100 }), (a, n) => {
        const r = intShiftLeft(fromBigInt(a), n);
        expect(isCanonical(r)).toBe(true);
        expect(toBigInt(r)).toBe(a << BigInt(n));
      }),
    );
    expect(intShiftLeft(-3, 80)).toBeInstanceOf(SomBigInt);
  });

  it('shifts right logically on 64-bit words (SOM.md §4.4)', () => {
    expect(toBigInt(intShiftRight(-2, 1))).toBe(9223372036854775807n);
    expect(intShiftRight(-8, 0)).toBe(-8);
    expect(intShiftRight(1024, 3)).toBe(128);
    expect(intShiftRight(intShiftLeft(3, 100), 100)).toBe(3);
  });

  it('compares and tests equality across representations', () => {
    fc.assert(
      fc.property(bigints, bigints, (a, b) => {
        expect(intLessThan(fromBigInt(a), fromBigInt(b))).toBe(a < b);
        expect(intEquals(fromBigInt(a), fromBigInt(b))).toBe(a === b);
      }),
    );
  });

  it('reads the low 32 bits signed and unsigned', () => {
    expect(as32BitSigned(2 ** 31)).toBe(-(2 ** 31));
    expect(as32BitUnsigned(-1)).toBe(2 ** 32 - 1);
    expect(as32BitSigned(fromBigInt((1n << 80n) + 5n))).toBe(5);
  });

  it('compares integers with doubles exactly', () => {
    const big = fromBigInt(1n << 80n);
    expect(compareIntegerWithDouble(big, 2 ** 80)).toBe(0);
    expect(compareIntegerWithDouble(fromBigInt((1n << 80n) + 1n), 2 ** 80)).toBe(1);
    expect(compareIntegerWithDouble(2, 2.5)).toBe(-1);
    expect(compareIntegerWithDouble(big, Infinity)).toBe(-1);
    expect(compareIntegerWithDouble(3, NaN)).toBeNaN();
  });
});
