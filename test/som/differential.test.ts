/**
 * Differential property tests (STYLE.md §5): fast-check generates small SOM programs aimed at
 * the places where tiers usually disagree (integers at the small/large boundary, Doubles beside
 * Integers, to:do: with unusual bounds, non-local returns from nested blocks, a send site that
 * sees several receiver classes), and every configuration must print exactly what the
 * interpreter prints. Runs and the seed are fixed, so CI is repeatable.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSom } from '../../runtime/vm.ts';
import { CONFIGURATIONS } from './configurations.ts';

/** Integer literals around the representation boundaries, and some Doubles. */
const BOUNDARY = [
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
  '4611686018427387904',
  '9223372036854775807',
  '-9223372036854775808',
  '18446744073709551616',
];
const DOUBLES = ['0.5', '-2.25', '1.0e0', '3.0', '-0.0', '1.5'];

const literal = fc.oneof(
  fc.constantFrom(...BOUNDARY),
  fc.constantFrom(...DOUBLES.filter((d) => !d.includes('e'))),
  fc.integer({ min: -40, max: 40 }).map(String),
);
const nonZero = fc.constantFrom('3', '-7', '2147483648', '9007199254740993', '-4611686018427387905');

/** An expression over literals and the variables x and i (always Integers or Doubles). */
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    fc.constant('x'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(tie('e'), fc.constantFrom('<', '>', '=', '<=', '>='), tie('e'))
      .map(([a, op, b]) => `((${a} ${op} ${b}) ifTrue: [ 1 ] ifFalse: [ 0 ])`),
    fc.tuple(tie('e'), nonZero).map(([a, d]) => `(${a} asInteger % ${d})`),
    fc.tuple(tie('e'), nonZero).map(([a, d]) => `(${a} asInteger rem: ${d})`),
    fc.tuple(tie('e'), nonZero).map(([a, d]) => `(${a} asInteger / ${d})`),
  ),
})).e;

/** Statements that print; each exercises a control structure the compiler inlines or not. */
const statement = fc.oneof(
  expression.map((e) => `x := ${e}. x println.`),
  fc
    .tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 6 }), expression)
    .map(([from, to, e]) => `sum := 0. ${from} to: ${to} do: [ :i | sum := sum + i. x := ${e} ]. sum println.`),
  fc
    .tuple(fc.constantFrom('1', '2.5', '-1'), expression)
    .map(([to, e]) => `(1 to: ${to} do: [ :i | x := ${e} ]) println.`),
  expression.map((e) => `(self find: ${e} in: #(1 2 3 -1 0)) println.`),
  expression.map((e) => `(self describe: ${e}) println. (self describe: nil) println.`),
  fc.integer({ min: 0, max: 12 }).map((n) => `i := 0. [ i < ${n} ] whileTrue: [ i := i + 1. x := x + i ]. x println.`),
  expression.map(
    (e) =>
      `blocks := (1 to: 3) collect: [ :k | [ k + ${e} ] ]. (blocks inject: 0 into: [ :a :b | a + b value ]) println.`,
  ),
);

function program(statements: readonly string[]): string {
  return `Differential = (
    find: v in: array = ( array do: [ :e | e = v ifTrue: [ ^e * 2 ] ]. ^nil )
    describe: v = ( ^v isNil ifTrue: [ 'nil' ] ifFalse: [ v class name ] )
    run = ( | x sum i blocks |
        x := 0.
        ${statements.join('\n        ')}
    )
)`;
}

describe('every configuration prints what the interpreter prints', () => {
  it('on generated programs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-diff-'));
    const file = join(dir, 'Differential.som');
    const outcomes: number[] = [];
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 6 }), (statements) => {
        writeFileSync(file, program(statements));
        const results = CONFIGURATIONS.map((c) => ({
          name: c.name,
          ...runSom({ classpath: ['Smalltalk'], args: [file], tiers: c.tiers }),
        }));
        const reference = results[0]!;
        outcomes.push(reference.exitCode);
        for (const r of results.slice(1)) {
          expect({ config: r.name, exitCode: r.exitCode, stdout: r.stdout }).toEqual({
            config: r.name,
            exitCode: reference.exitCode,
            stdout: reference.stdout,
          });
        }
      }),
      { numRuns: 40, seed: 20261125 },
    );
    // The comparison means something only if most generated programs run to their end.
    expect(outcomes.filter((code) => code === 0).length).toBeGreaterThan(outcomes.length / 2);
  });
});
