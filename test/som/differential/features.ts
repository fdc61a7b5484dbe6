/**
 * What the differential test's generated programs are supposed to exercise, each recognised
 * independently of the generator's own bookkeeping: in the program's source text, or in what
 * the interpreter printed when it ran it. differential.test.ts requires every feature in a
 * share of a sample of programs, so a generator change that quietly stops producing one (no
 * more super sends, no large integers reaching the output) fails the suite.
 */

export interface Feature {
  readonly name: string;
  /** Whether the program (all its files' source) or its interpreter output shows the feature. */
  readonly shownBy: (source: string, stdout: string) => boolean;
}

const inSource =
  (pattern: RegExp): Feature['shownBy'] =>
  (source) =>
    pattern.test(source);

/** Integer tokens of the output (as in `w2 acc 123`, `Base(7,3.0)`), as exact values. */
function printedIntegers(stdout: string): bigint[] {
  return stdout
    .split(/[\s(),;:=<>]+/)
    .filter((token) => /^-?\d+$/.test(token))
    .map((token) => BigInt(token));
}

const abs = (n: bigint): bigint => (n < 0n ? -n : n);

const integerBetween =
  (low: bigint, high: bigint): Feature['shownBy'] =>
  (_source, stdout) =>
    printedIntegers(stdout).some((n) => abs(n) > low && abs(n) < high);

/** Selectors the root defines that a subclass redefines (root file first in the source). */
function overrides(source: string): boolean {
  const files = source.split(/^(?=\w+ = (?:\w+ )?\(\s*$)/m);
  const root = files.find((f) => f.startsWith('Base = ('));
  const subclasses = files.filter((f) => /^Sub\d = \w+ \(/.test(f));
  const selectors = [
    'op: x =',
    'weight =',
    'describe =',
    'step: i =',
    'eachFrom: start with: aBlock =',
    'makeAdder: k =',
  ];
  return root !== undefined && selectors.some((s) => root.includes(s) && subclasses.some((f) => f.includes(s)));
}

export const FEATURES: readonly Feature[] = [
  { name: 'a subclass overrides a method of its superclass', shownBy: overrides },
  {
    name: 'an instance-side super send',
    shownBy: inSource(/\bsuper (op:|weight|describe|step:|eachFrom:|makeAdder:|fire:)/),
  },
  { name: 'a super send inside a block', shownBy: inSource(/\[ :\w+ \| \(super /) },
  { name: 'a class-side super send', shownBy: inSource(/----\s+new = \([^)]*super new/) },
  { name: 'an object allocated in a hot loop', shownBy: inSource(/\| o pair \|[^\]]*?o := [^.]* new\./) },
  { name: 'perform: at a polymorphic site', shownBy: inSource(/o perform: #op: withArguments:/) },
  { name: 'a global rebound inside a loop', shownBy: inSource(/ifTrue: \[ system global: #DiffShared put: i \]/) },
  { name: 'a field updated in a loop', shownBy: inSource(/\bstep: i\b[\s\S]*\bo step: /) },
  {
    name: 'a non-local return through two or more methods',
    // The block's home is findIn:above:; each: and eachFrom:with: (and more forwarders) are between.
    shownBy: inSource(
      /each: aBlock = \( \^?self e[\s\S]*findIn: o above: limit = \( o each: \[ :v \| v > limit ifTrue: \[ \^v \]/,
    ),
  },
  { name: 'a non-local return from nested blocks', shownBy: inSource(/\[ :q \| q > 3 ifTrue: \[ \^q/) },
  { name: 'a block stored in an Array', shownBy: inSource(/blocks at: k put: \[/) },
  { name: 'a block in a field evaluated', shownBy: inSource(/o fire: i|self keep: \[/) },
  { name: 'a block answered by a method evaluated', shownBy: inSource(/o makeAdder: -?\d|self makeCounter/) },
  { name: 'a block whose home has returned', shownBy: inSource(/escaper: \d+/) },
  {
    name: 'doesNotUnderstand: answers an unknown selector',
    shownBy: inSource(/doesNotUnderstand:[\s\S]*(frobnicate:|o zork)/),
  },
  { name: 'whileTrue: or whileFalse: on a literal block', shownBy: inSource(/\] while(True|False): \[/) },
  { name: 'whileTrue: on a block in a variable', shownBy: inSource(/condition whileTrue: \[/) },
  { name: 'timesRepeat:', shownBy: inSource(/timesRepeat: \[/) },
  { name: 'to:do: with literal bounds', shownBy: inSource(/\d to: \d+ do: \[/) },
  { name: 'a loop over large-integer bounds', shownBy: inSource(/\d{10,} (\+ \d+ )?(to|downTo): |\[ j < \(-?\d{10,}/) },
  { name: 'Array do:', shownBy: inSource(/\) do: \[|objs do: \[|arr do: \[/) },
  { name: 'Array at:put: in a loop', shownBy: inSource(/arr at: k put: /) },
  { name: 'recursion', shownBy: inSource(/fib: i %/) },
  { name: 'an Integer between 2^53 and 2^62 printed', shownBy: integerBetween(2n ** 53n, 2n ** 62n) },
  { name: 'an Integer between 2^62 and 2^64 printed', shownBy: integerBetween(2n ** 62n, 2n ** 64n) },
  { name: 'an Integer beyond 2^64 printed', shownBy: integerBetween(2n ** 64n, 2n ** 4096n) },
  { name: 'a negative Integer printed', shownBy: (_source, stdout) => printedIntegers(stdout).some((n) => n < 0n) },
  { name: 'a Double printed', shownBy: (_source, stdout) => /(^|[\s(,])-?\d+\.\d+(e-?\d+)?($|[\s),])/m.test(stdout) },
  {
    name: 'a string built by concatenation printed',
    shownBy: (_source, stdout) => /^w\d+ head start;(Base|Sub\d)/m.test(stdout),
  },
  { name: 'a Vector printed', shownBy: (_source, stdout) => /^\(\(\d+\)\(x\)/m.test(stdout) },
];
