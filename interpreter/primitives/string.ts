/**
 * String primitives (SOM.md §5, §9.7). Strings are immutable JS strings; every operation
 * makes a new SomString. Symbols are Strings too and reach these primitives as receivers and
 * arguments alike.
 *
 * Choices where SOM.md leaves room:
 * - `length` and substring indices count UTF-16 code units (as som-java and JsSOM), so an
 *   astral character counts as two.
 * - `isDigits` accepts only ASCII 0-9 (JS `\d`); `isLetters` accepts every Unicode letter
 *   (`\p{L}`); `isWhiteSpace` accepts what JS `\s` matches (Unicode white space and line
 *   terminators).
 * - `hashcode` is Java's `String.hashCode`, so a Symbol hashes like the equal String.
 * - `primSubstringFrom:to:` answers '' whenever `end = start - 1` (the case `split:` needs);
 *   any other range outside 1..length is fatal with the core-lib's wording.
 */
import type { Frame } from '../model/frame.ts';
import { SomString, SomSymbol, type SomValue } from '../model/objects.ts';
import { intAdd, intEquals, intToString, type IntegerValue } from '../model/integers.ts';
import { vm } from '../vm-state.ts';
import { SomRuntimeError } from '../signals.ts';
import { stringHash } from './hashcodes.ts';
import { integerOperand, stringOperand } from './operands.ts';
import type { ClassPrimitives } from './registry.ts';

const WHITE_SPACE = /^\s+$/;
const LETTERS = /^\p{L}+$/u;
const DIGITS = /^[0-9]+$/;

/** `Symbol>>#concatenate:` reaches here through `super`, and a Symbol receiver answers a Symbol. */
function concatenate(rcvr: SomString, arg: SomValue): SomString {
  const text = rcvr.s + stringOperand(arg).s;
  return rcvr instanceof SomSymbol ? vm.services.symbol(text) : new SomString(text);
}

function asSymbol(rcvr: SomString): SomSymbol {
  return rcvr instanceof SomSymbol ? rcvr : vm.services.symbol(rcvr.s);
}

/** @jit.handler `String>>#=` (traced: a class test and a comparison of JS strings in a trace). */
export function stringEquals(_caller: Frame, rcvrArg: SomValue, arg: SomValue): boolean {
  const rcvr = stringOperand(rcvrArg);
  return rcvr === arg || (arg instanceof SomString && rcvr.s === arg.s);
}

/** @jit.handler `String>>#length` in UTF-16 code units (traced: a class test and a length). */
export function stringLength(_caller: Frame, rcvr: SomValue): number {
  return stringOperand(rcvr).s.length;
}

function outOfBounds(start: IntegerValue, end: IntegerValue, length: number): SomRuntimeError {
  return new SomRuntimeError(
    `Attempting to index string out of its bounds (start: ${intToString(start)} end: ${intToString(end)} length: ${length}).`,
  );
}

/**
 * @jit.handler `String>>#primSubstringFrom:to:` (traced: two Integer tests, the bounds tests,
 * a slice and a fresh String the optimiser may keep virtual). `charAt:` is this primitive, so
 * a loop over a String's characters spends its time here.
 */
export function stringSubstring(_caller: Frame, rcvr: SomValue, start: SomValue, end: SomValue): SomString {
  return substring(stringOperand(rcvr), start, end);
}

/** @jit.handler Characters start..end, 1-based and inclusive (see the header for the empty case). */
function substring(rcvr: SomString, startArg: SomValue, endArg: SomValue): SomString {
  const start = integerOperand(startArg);
  const end = integerOperand(endArg);
  const length = rcvr.s.length;
  if (typeof start === 'number' && typeof end === 'number' && start >= 1 && start <= end && end <= length) {
    return new SomString(sliceOf(rcvr.s, start - 1, end));
  }
  return emptyOrOutOfBounds(start, end, length);
}

/** @jit.elidable JS's `slice` of a JS string: the same string for the same arguments. */
function sliceOf(s: string, from: number, to: number): string {
  return s.slice(from, to);
}

/** @jit.residual The empty String for `end = start - 1`; any other range is out of bounds. */
function emptyOrOutOfBounds(start: IntegerValue, end: IntegerValue, length: number): SomString {
  if (intEquals(intAdd(end, 1), start)) return new SomString('');
  throw outOfBounds(start, end, length);
}

export const STRING_PRIMITIVES: ClassPrimitives = {
  instance: {
    'concatenate:': (_caller, rcvr, arg) => concatenate(stringOperand(rcvr), arg),
    asSymbol: (_caller, rcvr) => asSymbol(stringOperand(rcvr)),
    hashcode: (_caller, rcvr) => stringHash(stringOperand(rcvr).s),
    length: stringLength,
    isWhiteSpace: (_caller, rcvr) => WHITE_SPACE.test(stringOperand(rcvr).s),
    isLetters: (_caller, rcvr) => LETTERS.test(stringOperand(rcvr).s),
    isDigits: (_caller, rcvr) => DIGITS.test(stringOperand(rcvr).s),
    '=': stringEquals,
    'primSubstringFrom:to:': stringSubstring,
  },
  classSide: {},
};
