/**
 * Double primitives (SOM.md §4.7-§4.9, §9.6): IEEE binary64 arithmetic (JS numbers compute
 * exactly what IEEE prescribes, so no operation is reordered or fused), conversions to
 * Integer, comparisons with Integers (exact, via `compareIntegerWithDouble`), printing in the
 * format of §4.8 and parsing.
 *
 * `Double class>>#fromString:` accepts, after trimming white space, ordinary decimal text:
 * an optional sign, digits with an optional fraction (or a fraction alone), an optional
 * exponent (`2.75`, `-0.125`, `7`, `+1e10`, `.5`), which covers SOM's literal syntax; and the
 * texts `Double>>#asString` prints for non-finite values (`NaN`, `inf`, `-inf`) plus JS's
 * `Infinity`/`-Infinity`. Anything else (hex, empty text, trailing garbage) answers NaN, as the
 * core-lib documents; we do not use `Number()` alone because it reads `''` as 0 and `0x1F` as 31.
 */
import type { Frame } from '../model/frame.ts';
import { SomDouble, SomString, type SomValue } from '../model/objects.ts';
import {
  compareIntegerWithDouble,
  integerFromIntegralDouble,
  isInteger,
  type IntegerValue,
} from '../model/integers.ts';
import { formatDouble } from '../model/double-format.ts';
import { SomRuntimeError } from '../signals.ts';
import { doubleOperand, doubleReceiver, notANumber, stringOperand } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

/** The Integer equal to the integral double `d`; NaN and infinities are fatal. */
export function integerFromDouble(d: number): IntegerValue {
  if (!Number.isFinite(d)) throw new SomRuntimeError(`Can't represent ${formatDouble(d)} as an Integer.`);
  return integerFromIntegralDouble(d);
}

function equals(d: number, arg: SomValue): boolean {
  if (arg instanceof SomDouble) return d === arg.value;
  if (isInteger(arg)) return compareIntegerWithDouble(arg, d) === 0;
  return false;
}

function lessThan(d: number, arg: SomValue): boolean {
  if (arg instanceof SomDouble) return d < arg.value;
  if (isInteger(arg)) return compareIntegerWithDouble(arg, d) > 0; // NaN compares false
  throw notANumber(arg);
}

const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const NON_FINITE = new Map<string, number>([
  ['NaN', NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['Infinity', Infinity],
  ['+Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

/** `Double class>>#fromString:` (see the header for the accepted text). */
function parseDouble(text: string): number {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  return NON_FINITE.get(trimmed) ?? NaN;
}

/** @jit.handler `Double>>#//` (traced: a float division, the operand a Double or an Integer). */
export function doubleDivide(_caller: Frame, rcvr: SomValue, arg: SomValue): SomDouble {
  return new SomDouble(doubleReceiver(rcvr) / doubleOperand(arg));
}

/** @jit.handler `Double>>#sqrt` (traced: a float square root). */
export function doubleSqrt(_caller: Frame, rcvr: SomValue): SomDouble {
  return new SomDouble(Math.sqrt(doubleReceiver(rcvr)));
}

export const DOUBLE_PRIMITIVES: ClassPrimitives = {
  instance: {
    '+': (_caller, rcvr, arg) => new SomDouble(doubleReceiver(rcvr) + doubleOperand(arg)),
    '-': (_caller, rcvr, arg) => new SomDouble(doubleReceiver(rcvr) - doubleOperand(arg)),
    '*': (_caller, rcvr, arg) => new SomDouble(doubleReceiver(rcvr) * doubleOperand(arg)),
    '//': doubleDivide,
    '%': (_caller, rcvr, arg) => new SomDouble(doubleReceiver(rcvr) % doubleOperand(arg)),
    sqrt: doubleSqrt,
    // Math.round rounds halves toward +inf and is exact; doubles >= 2^52 are already integral.
    round: (_caller, rcvr) => integerFromDouble(Math.round(doubleReceiver(rcvr))),
    asInteger: (_caller, rcvr) => integerFromDouble(Math.trunc(doubleReceiver(rcvr))),
    cos: (_caller, rcvr) => new SomDouble(Math.cos(doubleReceiver(rcvr))),
    sin: (_caller, rcvr) => new SomDouble(Math.sin(doubleReceiver(rcvr))),
    '=': (_caller, rcvr, arg) => equals(doubleReceiver(rcvr), arg),
    '<': (_caller, rcvr, arg) => lessThan(doubleReceiver(rcvr), arg),
    asString: (_caller, rcvr) => new SomString(formatDouble(doubleReceiver(rcvr))),
  },
  classSide: {
    PositiveInfinity: () => new SomDouble(Infinity),
    'fromString:': (_caller, _rcvr, arg) => new SomDouble(parseDouble(stringOperand(arg).s)),
  },
};
