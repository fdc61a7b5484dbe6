/**
 * Differential tests (STYLE.md §5): generated SOM programs must print, in every configuration
 * of configurations.ts (each available mode, and the stress variants), exactly what the
 * interpreter prints: the same exit status, stdout and stderr. New modes join by being added
 * there.
 *
 * Two generators:
 * - fast-check statements over Integer/Double expressions in one class (integers at the
 *   small/large boundary, to:do: with unusual bounds, a non-local return, a polymorphic
 *   site), shrunk by fast-check on failure;
 * - whole programs from test/som/differential/program-generator.ts: user class hierarchies
 *   with overriding, super sends, fields, escaping blocks, non-local returns through several
 *   methods, large-integer loops, strings, Arrays and Doubles, in loops hot enough for tier 2.
 *   One test per program, by seed. Each program batches 2 or 3 independent workloads, which is
 *   what keeps 200 programs under every configuration affordable; a failing program is shrunk
 *   by dropping workloads before it is reported.
 *
 * Environment (the runs and seeds are fixed by default, so CI is repeatable):
 * - DIFFERENTIAL_RUNS=<n>: generated programs to run (default 200);
 * - DIFFERENTIAL_SEED=<n>: the first program's seed (default 20261125; program k has seed + k),
 *   so DIFFERENTIAL_SEED=<s> DIFFERENTIAL_RUNS=1 reruns the program of one failure;
 * - DIFFERENTIAL_FAILURES_DIR=<dir>: also write each failing (shrunk) program to
 *   <dir>/seed-<seed>/ with a README.txt holding the outputs and the `som` command lines.
 *
 * Programs on which a configuration is known to differ are listed, by seed, in
 * differential/known-divergences.ts: those pairs may differ (and must, until deleted).
 *
 * Two more tests keep the generator honest: a sample of programs must show each feature of
 * differential/features.ts (in its source or in the interpreter's output), and tier 2 must
 * actually enter traces in them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSom } from '../../runtime/vm.ts';
import { traceStatistics } from '../../runtime/tier2/trace-runtime.ts';
import { CONFIGURATIONS, type Configuration } from './configurations.ts';
import { FEATURES, type Feature } from './differential/features.ts';
import { BOUNDARY_INTEGERS } from './differential/numeric-expressions.ts';
import { knownDivergences } from './differential/known-divergences.ts';
import { generateProgram, programFiles, type GeneratedProgram } from './differential/program-generator.ts';
import {
  compareProgram,
  failureReport,
  runConfiguration,
  saveFailure,
  shrinkWorkloads,
  writeProgram,
  type Comparison,
  type Outcome,
} from './differential/differential-run.ts';

/** Integer literals around the representation boundaries (shared with the program generator). */
const BOUNDARY = BOUNDARY_INTEGERS;
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
  it('on generated statements', () => {
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
    rmSync(dir, { recursive: true, force: true });
    // The comparison means something only if most generated programs run to their end.
    expect(outcomes.filter((code) => code === 0).length).toBeGreaterThan(outcomes.length / 2);
  });
});

const DEFAULT_SEED = 20261125;
const RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 200);
const SEED = Number(process.env.DIFFERENTIAL_SEED ?? DEFAULT_SEED);
const FAILURES_DIR = process.env.DIFFERENTIAL_FAILURES_DIR;

/** The interpreter at default thresholds: the oracle every other configuration must match. */
function referenceConfiguration(): Configuration {
  const reference = CONFIGURATIONS.find((c) => c.tiers.mode === 'interp' && c.name === 'interp');
  if (reference === undefined) throw new Error("configurations.ts has no 'interp' configuration to compare with");
  return reference;
}

const REFERENCE = referenceConfiguration();
const OTHERS = CONFIGURATIONS.filter((c) => c !== REFERENCE);

/** A generated program must run cleanly in the interpreter, or the generator is wrong. */
function ranCleanly(outcome: Outcome): boolean {
  return outcome.exitCode === 0 && outcome.stderr === '';
}

/** Whether the comparison fails the test, given the configurations known to differ. */
function failsComparison(comparison: Comparison, known: readonly string[]): boolean {
  const unexpected = comparison.divergences.filter((d) => !known.includes(d.configuration.name));
  return !ranCleanly(comparison.reference) || unexpected.length > 0;
}

/** Runs the program of `seed` everywhere; on a difference, shrinks it and fails with a report. */
function checkProgram(seed: number): void {
  const program = generateProgram(seed);
  const known = knownDivergences(seed);
  const { comparison, dir } = compareProgram(program, program.workloads, REFERENCE, OTHERS, (c) =>
    failsComparison(c, known),
  );
  if (!ranCleanly(comparison.reference)) {
    const report = failureReport(program, program.workloads, comparison, dir);
    expect.unreachable(`the generator wrote a program the interpreter does not run cleanly:\n${report}`);
  }
  const differing = comparison.divergences.map((d) => d.configuration.name);
  const fixed = known.filter((name) => !differing.includes(name));
  expect(fixed, `known divergences that are gone: delete them from KNOWN_TIER2_DIVERGENCES`).toEqual([]);
  const suspects = comparison.divergences.map((d) => d.configuration).filter((c) => !known.includes(c.name));
  if (suspects.length === 0) return;
  const workloads = shrinkWorkloads(program, REFERENCE, suspects);
  const shrunk = compareProgram(program, workloads, REFERENCE, suspects, () => true);
  const report = failureReport(program, workloads, shrunk.comparison, shrunk.dir);
  const saved =
    FAILURES_DIR === undefined
      ? ''
      : `\n(written to ${saveFailure(FAILURES_DIR, program, workloads, shrunk.comparison)})`;
  expect(
    suspects.map((c) => c.name),
    `configurations differ from the interpreter on a generated program, shrunk to:\n${report}${saved}`,
  ).toEqual([]);
}

describe(`every configuration prints what the interpreter prints on ${RUNS} generated programs from seed ${SEED}`, () => {
  for (let k = 0; k < RUNS; k++) {
    const known = knownDivergences(SEED + k);
    const title = known.length === 0 ? '' : ` (known divergence in ${known.join(', ')}: KNOWN_TIER2_DIVERGENCES)`;
    it(`seed ${SEED + k}${title}`, () => checkProgram(SEED + k));
  }
});

/** The first programs of the default run, for the checks on the generator itself. */
const SAMPLE = Array.from({ length: 400 }, (_, k) => generateProgram(DEFAULT_SEED + k));
/** How many of the sample the interpreter runs, for the features shown in its output. */
const RUN_SAMPLE = 60;

/** Runs `configuration` on a sample program in a temporary directory; `observe` reads the VM right after. */
function runSample<T>(sample: GeneratedProgram, configuration: Configuration, observe: (o: Outcome) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'som-differential-sample-'));
  try {
    return observe(runConfiguration(configuration, writeProgram(dir, programFiles(sample))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The features shown by fewer than one program in twenty of `texts` (sources or outputs). */
function rareFeatures(where: Feature['in'], texts: readonly string[]): string[] {
  return FEATURES.filter((f) => f.in === where)
    .map((f) => ({ name: f.name, programs: texts.filter((text) => f.shownBy(text)).length }))
    .filter((f) => f.programs < texts.length / 20)
    .map((f) => `${f.name}: ${f.programs} of ${texts.length}`);
}

describe('the program generator', () => {
  it('writes programs that show every feature the differential test is meant to cover', () => {
    const sources = SAMPLE.map((sample) =>
      programFiles(sample)
        .map((f) => f.source)
        .join('\n'),
    );
    const outputs = SAMPLE.slice(0, RUN_SAMPLE).map((sample) => runSample(sample, REFERENCE, (o) => o.stdout));
    expect([...rareFeatures('source', sources), ...rareFeatures('output', outputs)]).toEqual([]);
  });

  const tracing = CONFIGURATIONS.filter((c) => c.tiers.mode === 'tier2');
  it.skipIf(tracing.length === 0)(
    'writes loops hot enough that tier 2 enters traces in most programs (skipped while no tier2 configuration exists)',
    () => {
      for (const configuration of tracing) {
        const entered = SAMPLE.slice(0, 20).filter((sample) =>
          runSample(sample, configuration, () => traceStatistics().entries > 0),
        );
        expect(entered.length, `programs that entered a trace under ${configuration.name}`).toBeGreaterThanOrEqual(10);
      }
    },
  );
});
