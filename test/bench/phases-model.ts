/**
 * An independent model of the Phases workload (benchmarks/som/Phases): each phase's checksum
 * computed in plain JavaScript from what the phase's class comment says it does, without the
 * SOM classes' structure. Shapes are formulas per kind (and a scaled shape's perimeter is
 * three times its perimeter, as every perimeter is linear in the lengths), the bytecode
 * machine's programs are the sums they compute, the event queue is a linear scan for the
 * earliest event, the search tree's height comes from the ancestor rule of binary search
 * trees (y is an ancestor of x iff y was inserted first among all keys between them), and
 * Fibonacci numbers and binomials are computed directly. experiment-workload.test.ts checks
 * that these figures are the ones Phases.som verifies against.
 */

/** The checksum modulus of every phase (Phase>>fold:with:). */
const PRIME = 1_000_003;

function fold(checksum: number, value: number): number {
  return (checksum * 31 + value) % PRIME;
}

/** AWFY's SomRandom: a 16-bit linear congruential generator seeded with 74755. */
function somRandom(): (bound: number) => number {
  let seed = 74755;
  return (bound) => {
    seed = (seed * 1309 + 13849) & 65535;
    return seed % bound;
  };
}

function sumOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Area and perimeter of a shape of the given kind (ShapesPhase>>newShape) with lengths a, b. */
function shapeFigures(kind: number, a: number, b: number): { area: number; perimeter: number } {
  switch (kind) {
    case 0:
      return { area: 3 * a * a, perimeter: 6 * a }; // circle
    case 1:
      return { area: a * b, perimeter: 2 * (a + b) }; // rectangle
    case 2:
      return { area: a * a, perimeter: 4 * a }; // square
    case 3:
      return { area: Math.trunc((a * b) / 2), perimeter: a + b + Math.max(a, b) }; // triangle
    case 4:
      return { area: 3 * ((a + b) ** 2 - a * a), perimeter: 6 * (2 * a + b) }; // ring
    default: {
      const sides = (b % 5) + 3; // polygon
      return { area: Math.trunc((sides * a * a) / 4), perimeter: sides * a };
    }
  }
}

function shapes(size: number): number {
  const next = somRandom();
  const figures = Array.from({ length: size }, () => {
    const kind = next(6);
    const a = next(50) + 1;
    return shapeFigures(kind, a, next(50) + 1);
  });
  const weights = sumOf(figures.map((f) => 2 * f.area + f.perimeter));
  const scaledPerimeters = sumOf(figures.map((f) => 3 * f.perimeter));
  const areas = figures.map((f) => f.area).sort((x, y) => x - y);
  const ranked = areas.reduce((acc, area, i) => fold(acc, (i + 1) * area), 0);
  return fold(weights + scaledPerimeters, ranked);
}

function ledger(size: number): number {
  const next = somRandom();
  const balance = new Array<number>(41).fill(1000);
  const operations = new Array<number>(41).fill(0);
  let rejected = 0;
  const take = (account: number, amount: number): boolean => {
    if (amount > balance[account]!) return false;
    balance[account]! -= amount;
    operations[account]! += 1;
    return true;
  };
  const give = (account: number, amount: number): void => {
    balance[account]! += amount;
    operations[account]! += 1;
  };
  for (let t = 0; t < size; t++) {
    const kind = next(4);
    const from = next(40) + 1;
    const to = next(40) + 1;
    const amount = next(500) + 1;
    switch (kind) {
      case 0: // deposit
        give(to, amount);
        break;
      case 1: // withdrawal
        if (!take(from, amount)) rejected++;
        break;
      case 2: // transfer
        if (take(from, amount)) give(to, amount);
        else rejected++;
        break;
      default: // fee: a tenth of the amount, truncated; the balance stops at zero
        balance[from] = Math.max(balance[from]! - Math.trunc(amount / 10), 0);
        operations[from]! += 1;
    }
  }
  let sum = rejected * 1000;
  for (let i = 1; i <= 40; i++) sum = (sum + i * balance[i]! + operations[i]!) % PRIME;
  return sum;
}

function machine(size: number): number {
  let squares = 0;
  for (let i = 1; i <= size; i++) squares += (i * i) % 1009;
  let x = 1;
  for (let step = 0; step < 2 * size; step++) x = (75 * x + 74) % 65537;
  return fold(squares, x);
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo'];

function text(size: number): number {
  const next = somRandom();
  const counts = new Map<number, number>(); // insertion order: first occurrence
  let vowels = 0;
  let letters = 0;
  for (let w = 0; w < size; w++) {
    let word = '';
    let code = 0;
    for (let s = next(3) + 1; s > 0; s--) {
      const syllable = next(8) + 1;
      word += SYLLABLES[syllable - 1]!;
      code = code * 9 + syllable;
    }
    vowels += [...word].filter((c) => 'aeiou'.includes(c)).length;
    letters += word.length;
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const frequencies = [...counts].reduce((acc, [code, count]) => fold(acc, code * count), 0);
  return fold(fold(fold(vowels, letters), counts.size), frequencies);
}

interface PendingEvent {
  readonly time: number;
  readonly sequence: number;
  readonly kind: 1 | 2 | 3;
}

function events(size: number): number {
  const next = somRandom();
  const pending: PendingEvent[] = [];
  let clock = 0;
  let scheduled = 0;
  let served = 0;
  let waiting = 0;
  let checksum = 0;
  const schedule = (kind: 1 | 2 | 3, delay: number) =>
    pending.push({ time: clock + delay, sequence: ++scheduled, kind });
  schedule(1, 0);
  while (pending.length > 0) {
    let earliest = 0;
    pending.forEach((e, i) => {
      const best = pending[earliest]!;
      if (e.time < best.time || (e.time === best.time && e.sequence < best.sequence)) earliest = i;
    });
    const [event] = pending.splice(earliest, 1);
    clock = event!.time;
    checksum = fold(checksum, 7 * clock + event!.kind);
    if (event!.kind === 1) {
      waiting++;
      schedule(2, next(7) + 1);
      if (clock < size) schedule(1, next(5) + 1);
    } else if (event!.kind === 2) {
      schedule(3, next(9) + 1);
    } else {
      waiting--;
      served++;
    }
  }
  return fold(checksum, 1000 * served + waiting);
}

function matrix(n: number): number {
  const next = somRandom();
  const random = () => Array.from({ length: n }, () => Array.from({ length: n }, () => next(100)));
  const a = random();
  const b = random();
  const cell = (m: number[][], i: number, j: number) => m[i]![j]!;
  const c = a.map((_, i) => a.map((__, j) => sumOf(a.map((___, k) => cell(a, i, k) * cell(b, k, j))) % 10007));
  // D = transposed(C) A: D[i][j] = sum over k of C[k][i] A[k][j]
  const dTrace = sumOf(a.map((_, i) => sumOf(a.map((__, k) => cell(c, k, i) * cell(a, k, i))) % 10007));
  return fold(dTrace, sumOf(c.flat()));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const digits = (n: number) => String(n).split('').map(Number);

function collatzSteps(n: number): number {
  let steps = 0;
  for (let m = n; m !== 1; steps++) m = m % 2 === 0 ? m / 2 : 3 * m + 1;
  return steps;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

function fibonacci(n: number): bigint {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

function binomial(n: number, k: number): number {
  let row = [1]; // Pascal's triangle, row by row
  for (let r = 1; r <= n; r++) row = [1, ...row.slice(1).map((v, i) => v + row[i]!), 1];
  return row[k]!;
}

function numbers(size: number): number {
  const next = somRandom();
  const range = Array.from({ length: size }, (_, i) => i + 1);
  const functions: ((i: number) => number | null)[] = [
    (i) => gcd(i, next(1000) + 1),
    (i) => sumOf(digits(i * 7919)),
    (i) => collatzSteps(i),
    (i) => (isPrime(i) ? i : null),
    (i) =>
      Number(
        digits(i * 13)
          .reverse()
          .join(''),
      ),
    (i) => (i * 2654435).toString(2).split('1').length - 1,
    (i) => Number(fibonacci(i % 40) % BigInt(PRIME)),
    (i) => sumOf(range.slice(0, i).filter((d) => i % d === 0)),
    (i) => binomial((i % 20) + 5, (i % 5) + 1),
  ];
  let sum = 0;
  for (const f of functions) {
    for (const i of range) {
      const value = f(i);
      if (value !== null) sum = fold(sum, value);
    }
  }
  return sum;
}

/** The depth (root = 1) of every distinct key of a binary search tree built by inserting `order`. */
function depths(order: readonly number[]): Map<number, number> {
  const firstInsert = new Map<number, number>();
  order.forEach((key, i) => firstInsert.has(key) || firstInsert.set(key, i));
  const sorted = [...firstInsert.keys()].sort((x, y) => x - y);
  const time = (index: number) => firstInsert.get(sorted[index]!)!;
  const result = new Map<number, number>();
  sorted.forEach((key, x) => {
    let ancestors = 0;
    for (const step of [-1, 1]) {
      let earliestBetween = Infinity;
      for (let y = x + step; y >= 0 && y < sorted.length; y += step) {
        if (time(y) < Math.min(earliestBetween, time(x))) ancestors++;
        earliestBetween = Math.min(earliestBetween, time(y));
      }
    }
    result.set(key, ancestors + 1);
  });
  return result;
}

function tree(size: number): number {
  const next = somRandom();
  const keys = Array.from({ length: size }, () => next(1000));
  const counts = new Map<number, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  let hits = 0;
  for (let k = 0; k <= 999; k += 7) if (counts.has(k)) hits++;
  const sorted = [...counts.keys()].sort((x, y) => x - y);
  const ordered = sorted.reduce((acc, key, i) => fold(acc, (i + 1) * key + counts.get(key)!), 0);
  const height = Math.max(...depths(keys).values());
  const middle = sorted.filter((k) => k >= 250 && k <= 750).length;
  return fold(fold(ordered, hits), 1000 * height + middle);
}

function pipeline(size: number): number {
  const next = somRandom();
  const values = Array.from({ length: size }, () => next(1000));
  let sum = sumOf(values.filter((n) => n % 2 === 0).map((n) => 3 * n + 1)) % PRIME;
  sum = fold(sum, values.filter((n) => n > 500).length);
  sum = fold(sum, values.includes(999) ? 1 : 2);
  sum = fold(sum, values.find((n) => n > 990) ?? 0);
  return fold(sum, sumOf(values.filter((n) => n % 3 === 0).map((n) => n * n)) % PRIME);
}

/** Each phase class of Phases.som and the checksum its `run` answers at a size. */
export const PHASE_MODELS: Readonly<Record<string, (size: number) => number>> = {
  ShapesPhase: shapes,
  LedgerPhase: ledger,
  MachinePhase: machine,
  TextPhase: text,
  EventsPhase: events,
  MatrixPhase: matrix,
  NumbersPhase: numbers,
  TreePhase: tree,
  PipelinePhase: pipeline,
};
