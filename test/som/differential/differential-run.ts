/**
 * Running a generated program (program-generator.ts) under every configuration and comparing
 * each with the interpreter: exit status, stdout and stderr must be identical. On a
 * difference, the program is shrunk (workloads dropped one at a time while some configuration
 * still differs), and the report holds what a developer needs to reproduce it with the CLI:
 * the seed, every source file, the interpreter's output and each differing configuration's
 * output with its command line.
 *
 * Programs run in-process through `runSom`, each from a fresh temporary directory (a fresh
 * Universe per run reads the classes from there). The directory of a failing program is kept
 * and named in the report; with DIFFERENTIAL_FAILURES_DIR set, the shrunk program is also
 * written to `<dir>/seed-<seed>/`, with the report beside it as `README.txt`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSom } from '../../../runtime/vm.ts';
import type { Configuration } from '../configurations.ts';
import { MAIN_CLASS, programFiles, type GeneratedProgram, type SomFile } from './program-generator.ts';
import type { Workload } from './workload-method.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CORE_LIB = join(ROOT, 'Smalltalk');

export interface Outcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Divergence {
  readonly configuration: Configuration;
  readonly outcome: Outcome;
}

export interface Comparison {
  readonly reference: Outcome;
  readonly divergences: readonly Divergence[];
}

/** Writes the files into `dir` (created if needed); answers the main class's path. */
export function writeProgram(dir: string, files: readonly SomFile[]): string {
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, `${file.className}.som`), file.source);
  return join(dir, `${MAIN_CLASS}.som`);
}

/** Runs the program at `mainFile`; a JS exception out of the VM is an outcome too (a VM bug). */
export function runConfiguration(configuration: Configuration, mainFile: string): Outcome {
  try {
    return runSom({ classpath: [CORE_LIB], args: [mainFile], tiers: configuration.tiers });
  } catch (error) {
    return { exitCode: -1, stdout: '', stderr: `JS exception out of runSom: ${String(error)}` };
  }
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  return a.exitCode === b.exitCode && a.stdout === b.stdout && a.stderr === b.stderr;
}

/** Runs `reference`, then each of `others`, on the program in `mainFile`. */
export function compareAt(reference: Configuration, others: readonly Configuration[], mainFile: string): Comparison {
  const expected = runConfiguration(reference, mainFile);
  const divergences = others
    .map((configuration) => ({ configuration, outcome: runConfiguration(configuration, mainFile) }))
    .filter((d) => !sameOutcome(d.outcome, expected));
  return { reference: expected, divergences };
}

/** Runs `workloads` of the program in a temporary directory, removed unless `keep` says otherwise. */
export function compareProgram(
  program: GeneratedProgram,
  workloads: readonly Workload[],
  reference: Configuration,
  others: readonly Configuration[],
  keep: (comparison: Comparison) => boolean,
): { comparison: Comparison; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), `som-differential-${program.seed}-`));
  const comparison = compareAt(reference, others, writeProgram(dir, programFiles(program, workloads)));
  if (!keep(comparison)) rmSync(dir, { recursive: true, force: true });
  return { comparison, dir };
}

/**
 * The smallest subset of workloads found by dropping one at a time while one of `suspects`
 * (the configurations that differed) still differs from the reference.
 */
export function shrinkWorkloads(
  program: GeneratedProgram,
  reference: Configuration,
  suspects: readonly Configuration[],
): Workload[] {
  let kept = [...program.workloads];
  for (let index = kept.length - 1; index >= 0 && kept.length > 1; index--) {
    const candidate = kept.filter((_, k) => k !== index);
    const { comparison } = compareProgram(program, candidate, reference, suspects, () => false);
    if (comparison.divergences.length > 0) kept = candidate;
  }
  return kept;
}

function showOutcome(outcome: Outcome): string {
  return `exit ${outcome.exitCode}\n--- stdout:\n${outcome.stdout}--- stderr:\n${outcome.stderr}`;
}

/** The first line where two outputs differ, 1-based, with both versions. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, k) => text !== b[k]);
  const at = line === -1 ? a.length : line;
  return `first difference at stdout line ${at + 1}: interpreter ${JSON.stringify(a[at])}, got ${JSON.stringify(b[at])}`;
}

/** A report from which the difference can be reproduced with the CLI. */
export function failureReport(
  program: GeneratedProgram,
  workloads: readonly Workload[],
  comparison: Comparison,
  dir: string,
): string {
  const mainFile = resolve(dir, `${MAIN_CLASS}.som`);
  const sources = programFiles(program, workloads).map((f) => `=== ${f.className}.som\n${f.source}`);
  const differing = comparison.divergences.map(
    (d) =>
      `=== configuration ${d.configuration.name}: ${firstDifference(comparison.reference.stdout, d.outcome.stdout)}\n` +
      `reproduce: node bin/som.mjs ${d.configuration.cliOptions.join(' ')} -cp Smalltalk ${mainFile}\n${showOutcome(d.outcome)}`,
  );
  return [
    `generated program, seed ${program.seed}, workloads ${workloads.map((w) => `${w.selector} (${w.kind})`).join(', ')}`,
    `files in ${dir}`,
    ...sources,
    `=== interpreter (reference)\n${showOutcome(comparison.reference)}`,
    ...differing,
  ].join('\n');
}

/** Writes the program and its report to `<failuresDir>/seed-<seed>/`; answers that directory. */
export function saveFailure(
  failuresDir: string,
  program: GeneratedProgram,
  workloads: readonly Workload[],
  comparison: Comparison,
): string {
  const dir = resolve(failuresDir, `seed-${program.seed}`);
  writeProgram(dir, programFiles(program, workloads));
  writeFileSync(join(dir, 'README.txt'), `${failureReport(program, workloads, comparison, dir)}\n`);
  return dir;
}
