/**
 * Typed numeric expressions for the SOM program generator: SOM source text over literals and
 * variables, aimed at the spots where tiers disagree (small/large integer boundaries, Doubles
 * beside Integers, shifts and bit operations, signed division and modulo).
 *
 * Every expression must run without error in every mode, so the generator tracks one fact
 * per value: whether it is certainly an Integer ('int') or may be a Double ('num'). Only an
 * 'int' receives `/`, `rem:`, `max:`, bit operations or shifts (Double has none of them), divisors are
 * non-zero literals, and nothing that may be a Double is converted back to an Integer (a
 * NaN or an infinity would make `round` fatal). Every composite is parenthesised, so
 * precedence never depends on what the generator chose.
 */
import type { Random } from './random.ts';

/** 'int': certainly an Integer. 'num': an Integer or a Double. */
export type NumKind = 'int' | 'num';

export interface NumVar {
  readonly name: string;
  readonly kind: NumKind;
}

/** Integer literals at the representation boundaries (2^31, 2^53, 2^62, 2^63, 2^64). */
export const BOUNDARY_INTEGERS = [
  '0',
  '1',
  '-1',
  '7',
  '-13',
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740991',
  '9007199254740992',
  '-9007199254740993',
  '4611686018427387903',
  '4611686018427387904',
  '9223372036854775807',
  '-9223372036854775808',
  '18446744073709551616',
] as const;

/** Double literals, -0.0 and values that are not exact in binary among them. */
export const DOUBLE_LITERALS = ['0.5', '-2.25', '3.0', '1.5', '0.1', '-0.0', '1000000.125', '123456789.75'] as const;

/** Non-zero Integer divisors, small and large, of both signs. */
export const DIVISORS = ['3', '-7', '10', '1000003', '2147483648', '9007199254740993', '-4611686018427387905'] as const;

/** `kind` is satisfied by a value of kind `have`. */
export function fits(have: NumKind, want: NumKind): boolean {
  return want === 'num' || have === 'int';
}

function integerLiteral(rng: Random): string {
  return rng.chance(0.4) ? rng.pick(BOUNDARY_INTEGERS) : String(rng.int(-40, 40));
}

function leaf(rng: Random, vars: readonly NumVar[], kind: NumKind): string {
  const usable = vars.filter((v) => fits(v.kind, kind));
  if (usable.length > 0 && rng.chance(0.55)) return rng.pick(usable).name;
  if (kind === 'num' && rng.chance(0.4)) return rng.pick(DOUBLE_LITERALS);
  return integerLiteral(rng);
}

/** A composite whose result is certainly an Integer. */
function integerComposite(rng: Random, vars: readonly NumVar[], depth: number): string {
  const sub = (): string => numericExpression(rng, vars, 'int', depth - 1);
  switch (rng.int(0, 11)) {
    case 0:
    case 1:
      return `(${sub()} + ${sub()})`;
    case 2:
      return `(${sub()} - ${sub()})`;
    case 3:
      return `(${sub()} * ${sub()})`;
    case 4:
      return `(${sub()} / ${rng.pick(DIVISORS)})`;
    case 5:
      return `(${sub()} % ${rng.pick(DIVISORS)})`;
    case 6:
      return `(${sub()} rem: ${rng.pick(DIVISORS)})`;
    case 7:
      return `(${sub()} ${rng.pick(['max:', 'min:'])} ${sub()})`;
    case 8:
      return `(${sub()} ${rng.pick(['bitXor:', '&'])} ${sub()})`;
    case 9:
      return `(${sub()} ${rng.pick(['<<', '>>>'])} ${rng.int(0, 70)})`;
    case 10:
      return `${sub()} ${rng.pick(['abs', 'negated', 'as32BitSignedValue', 'as32BitUnsignedValue'])}`;
    default:
      return `((${numericExpression(rng, vars, 'num', depth - 1)} ${comparison(rng)} ${numericExpression(rng, vars, 'num', depth - 1)}) ifTrue: [ ${sub()} ] ifFalse: [ ${sub()} ])`;
  }
}

function comparison(rng: Random): string {
  return rng.pick(['<', '>', '=', '<=', '>=', '<>']);
}

/** A composite that may answer a Double. */
function numberComposite(rng: Random, vars: readonly NumVar[], depth: number): string {
  const sub = (): string => numericExpression(rng, vars, 'num', depth - 1);
  switch (rng.int(0, 7)) {
    case 0:
    case 1:
      return `(${sub()} + ${sub()})`;
    case 2:
      return `(${sub()} - ${sub()})`;
    case 3:
      return `(${sub()} * ${sub()})`;
    case 4:
      return `(${sub()} // ${rng.pick([...DIVISORS, '0.25', '-1.5'])})`;
    case 5:
      return `(${sub()} % ${rng.pick(['3', '-7', '2.5', '-0.75'])})`;
    case 6:
      return `${sub()} ${rng.pick(['abs', 'negated', 'abs sqrt'])}`;
    default:
      return `((${sub()} ${comparison(rng)} ${sub()}) ifTrue: [ ${sub()} ] ifFalse: [ ${sub()} ])`;
  }
}

/**
 * An expression of `kind` over `vars`, nested at most `depth` levels. An 'int' request may
 * still draw on 'num' values inside comparisons, whose Boolean only picks a branch.
 */
export function numericExpression(rng: Random, vars: readonly NumVar[], kind: NumKind, depth: number): string {
  if (depth <= 0 || rng.chance(0.3)) return leaf(rng, vars, kind);
  if (kind === 'int' || rng.chance(0.4)) return integerComposite(rng, vars, depth);
  return numberComposite(rng, vars, depth);
}
