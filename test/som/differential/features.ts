/**
 * What the differential test's generated programs are supposed to exercise, each recognised
 * independently of the generator's own bookkeeping: in the program's source text, or in what
 * the interpreter printed when it ran it. differential.test.ts requires every feature in a
 * share of a sample of programs (source features in a large sample, which costs only
 * generation; output features in a smaller one that the interpreter runs), so a generator
 * change that quietly stops producing one (no more super sends, no large integers reaching
 * the output) fails the suite.
 */

export interface Feature {
  readonly name: string;
  /** Where the feature shows: in the program's source (all its files) or in the interpreter's stdout. */
  readonly in: 'source' | 'output';
  readonly shownBy: (text: string) => boolean;
}

function inSource(name: string, pattern: RegExp): Feature {
  return { name, in: 'source', shownBy: (source) => pattern.test(source) };
}

function inOutput(name: string, shownBy: (stdout: string) => boolean): Feature {
  return { name, in: 'output', shownBy };
}

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
  (stdout) =>
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
  { name: 'a subclass overrides a method of its superclass', in: 'source', shownBy: overrides },
  inSource('an instance-side super send', /\bsuper (op:|weight|describe|step:|eachFrom:|makeAdder:|fire:)/),
  inSource('a super send inside a block', /\[ :\w+ \| \(super /),
  inSource('a class-side super send', /----\s+new = \([^)]*super new/),
  inSource('an object allocated in a hot loop', /\| o pair \|[^\]]*?o := [^.]* new\./),
  inSource('perform: at a polymorphic site', /o perform: #op: withArguments:/),
  inSource('a method replaced inside a hot loop', /ifTrue: \[ self install: \(self methodOf: #/),
  inSource('a global rebound inside a loop', /ifTrue: \[ system global: #DiffShared put: i \]/),
  inSource('a field updated in a loop', /\bstep: i\b[\s\S]*\bo step: /),
  // The block's home is findIn:above:; each:, eachFrom:with: (and more forwarders) are between.
  inSource(
    'a non-local return through two or more methods',
    /each: aBlock = \( \^?self e[\s\S]*findIn: o above: limit = \( o each: \[ :v \| v > limit ifTrue: \[ \^v \]/,
  ),
  inSource('a non-local return from nested blocks', /\[ :q \| q > 3 ifTrue: \[ \^q/),
  inSource('a block stored in an Array', /blocks at: k put: \[/),
  inSource('a block in a field evaluated', /o fire: i|self keep: \[/),
  inSource('a block answered by a method evaluated', /o makeAdder: -?\d|self makeCounter/),
  inSource('a block whose home has returned', /escaper: \d+/),
  inSource('doesNotUnderstand: answers an unknown selector', /doesNotUnderstand:[\s\S]*(frobnicate:|o zork)/),
  inSource('whileTrue: or whileFalse: on a literal block', /\] while(True|False): \[/),
  inSource('whileTrue: on a block in a variable', /condition whileTrue: \[/),
  inSource('timesRepeat:', /timesRepeat: \[/),
  inSource('to:do: with literal bounds', /\d to: \d+ do: \[/),
  inSource('a loop over large-integer bounds', /\d{10,} (\+ \d+ )?(to|downTo): |\[ j < \(-?\d{10,}/),
  inSource('Array do:', /\) do: \[|objs do: \[|arr do: \[/),
  inSource('Array at:put: in a loop', /arr at: k put: /),
  inSource('recursion', /fib: i %/),
  inOutput('an Integer between 2^53 and 2^62 printed', integerBetween(2n ** 53n, 2n ** 62n)),
  inOutput('an Integer between 2^62 and 2^64 printed', integerBetween(2n ** 62n, 2n ** 64n)),
  inOutput('an Integer beyond 2^64 printed', integerBetween(2n ** 64n, 2n ** 4096n)),
  inOutput('a negative Integer printed', (stdout) => printedIntegers(stdout).some((n) => n < 0n)),
  inOutput('a Double printed', (stdout) => /(^|[\s(,])-?\d+\.\d+(e-?\d+)?($|[\s),])/m.test(stdout)),
  inOutput('a string built by concatenation printed', (stdout) => /^w\d+ head start;(Base|Sub\d)/m.test(stdout)),
  inOutput('a Vector printed', (stdout) => /^\(\(\d+\)\(x\)/m.test(stdout)),
];
