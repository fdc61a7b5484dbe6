/**
 * Number workloads: loops whose accumulators grow past 2^53, 2^62 and 2^64 (and shrink back),
 * loops whose bounds and index are large integers crossing those boundaries, and Double
 * arithmetic mixed with Integers (recurrences, Double loop bounds, transcendental functions,
 * exact comparisons between large Integers and Doubles).
 *
 * Growth is bounded by construction: an accumulator is multiplied only by a literal, and the
 * iteration count is cut so that it stays under a few hundred bits; a Double recurrence uses
 * only finite factors on finite values, so `round` and `asInteger` never meet NaN or infinity.
 */
import { hotCount } from './loop-forms.ts';
import { numericExpression } from './numeric-expressions.ts';
import type { WorkloadMethod } from './workload-method.ts';

/** Powers of two the small/large integer representations usually switch at. */
const BOUNDARIES = [2n ** 31n, 2n ** 53n, 2n ** 62n, 2n ** 63n, 2n ** 64n] as const;

/** Multipliers with their size in bits, which bounds the iteration count. */
const MULTIPLIERS: readonly (readonly [text: string, bits: number])[] = [
  ['2', 1],
  ['3', 1.6],
  ['-3', 1.6],
  ['7', 2.9],
  ['1000003', 20],
  ['4294967296', 32],
];
const MAX_BITS = 400;

function growingAccumulator(method: WorkloadMethod): void {
  const { rng } = method;
  const [multiplier, bits] = rng.pick(MULTIPLIERS);
  const count = Math.min(hotCount(rng), Math.floor(MAX_BITS / bits));
  const period = Math.max(1, Math.floor(count / rng.int(3, 8)));
  method.local('x').add(`x := ${rng.int(1, 9)}.`);
  method.loop(count, {
    temps: [],
    statements: `x := (x * ${multiplier}) + i. (i % ${period} = 0) ifTrue: [ ('${method.selector} x ' + x) println ]`,
  });
  method.print('x', 'x').print('mod', 'x % 1000000007').print('quot', 'x / 9007199254740993');
  method.print('rem', 'x rem: -4611686018427387905').print('shifted', 'x >>> 40').print('back', '(x - x) + 5');
}

function largeBounds(method: WorkloadMethod): void {
  const { rng } = method;
  const count = hotCount(rng);
  const boundary = rng.pick(BOUNDARIES) * (rng.chance(0.25) ? -1n : 1n);
  const start = String(boundary - BigInt(rng.int(0, count)));
  const use = rng.pick([
    'acc := acc + (j % 1000)',
    'acc := acc + j',
    'acc := acc bitXor: j',
    'acc := (acc + j) % 1000003',
  ]);
  method.local('acc', 'count', 'j').add('acc := 0. count := 0.');
  const body = `${use}. count := count + 1`;
  switch (rng.int(0, 2)) {
    case 0:
      method.add(`${start} to: ${start} + ${count} do: [ :k | j := k. ${body} ].`);
      break;
    case 1:
      method.add(`j := ${start}. [ j < (${start} + ${count}) ] whileTrue: [ ${body}. j := j + 1 ].`);
      break;
    default:
      method.add(`${start} + ${count} downTo: ${start} do: [ :k | j := k. ${body} ].`);
  }
  method.print('acc', 'acc').print('count', 'count').print('last', 'j');
}

function shrinkingValue(method: WorkloadMethod): void {
  const { rng } = method;
  method
    .local('x')
    .add(
      `x := ${rng.pick(['1267650600228229401496703205376', '-98765432109876543210987654321', '36893488147419103232'])}.`,
    );
  method.loop(hotCount(rng), { temps: [], statements: `x := x - (x / ${rng.pick(['7', '5', '-9'])})` });
  method.print('shrunk', 'x').print('class', 'x class');
}

function cubes(method: WorkloadMethod): void {
  const { rng } = method;
  method.local('acc').add('acc := 0.');
  method.loop(hotCount(rng), {
    temps: [],
    statements: `acc := acc + (i * i * i * ${rng.pick(['1000000007', '-4294967311', '65537'])})`,
  });
  method.print('cubes', 'acc');
}

/** Two or three of the big-integer patterns. */
export function bigIntegers(method: WorkloadMethod): void {
  for (const pattern of method.rng.sample(
    [growingAccumulator, largeBounds, shrinkingValue, cubes],
    method.rng.int(2, 3),
  )) {
    pattern(method);
  }
}

function recurrence(method: WorkloadMethod): void {
  const { rng } = method;
  method.local('d').add(`d := ${rng.pick(['0.5', '-2.25', '1000000.125', '3'])}.`);
  const factor = rng.pick(['0.5', '0.99', '1.01', '-0.5', '1.125']);
  method.loop(hotCount(rng), { temps: [], statements: `d := (d * ${factor}) + (i // ${rng.pick(['3', '7', '0.5'])})` });
  method.print('d', 'd').print('round', 'd round').print('int', 'd asInteger').print('small', 'd < 1000');
}

function mixedAccumulator(method: WorkloadMethod): void {
  const { rng } = method;
  const term = numericExpression(rng, [{ name: 'i', kind: 'int' }], 'num', 2);
  method.local('acc').add('acc := 0.');
  method.loop(hotCount(rng), { temps: [], statements: `acc := acc + (i * 0.1) - (i // 3) + ${term}` });
  method.print('mixed', 'acc');
}

function doubleBounds(method: WorkloadMethod): void {
  const { rng } = method;
  const count = hotCount(rng);
  method.local('d').add('d := 0.');
  method.add(
    rng.chance(0.5)
      ? `0.5 to: ${count} + 0.25 do: [ :x | d := d + (x * x) ].`
      : `1 to: ${count} + 0.5 do: [ :x | d := d + (x // 4) ].`,
  );
  method.print('bounds', 'd');
}

function transcendental(method: WorkloadMethod): void {
  method.local('acc').add('acc := 0.0.');
  method.loop(hotCount(method.rng), { temps: [], statements: 'acc := acc + i sqrt + (i * 0.01) sin - (i * 0.02) cos' });
  method.print('trig', 'acc');
}

function comparisons(method: WorkloadMethod): void {
  method.local('count').add('count := 0.');
  method.loop(hotCount(method.rng), {
    temps: [],
    statements:
      '((i * 0.5) < (i // 3)) ifFalse: [ count := count + 1 ]. (i = (i * 1.0)) ifTrue: [ count := count + 2 ]',
  });
  method.print('compared', 'count').print('exact', '9007199254740993 < 9007199254740992.0');
  method.print('exact2', '(9007199254740993 = 9007199254740992.0) not');
}

/** Two or three of the Double patterns. */
export function doubles(method: WorkloadMethod): void {
  const patterns = [recurrence, mixedAccumulator, doubleBounds, transcendental, comparisons];
  for (const pattern of method.rng.sample(patterns, method.rng.int(2, 3))) pattern(method);
}
