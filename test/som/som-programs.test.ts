/**
 * Runs the SOM test programs under test/som/ and compares each with the oracle in its
 * header (test/som/oracle.ts): exit status, exact stdout, required stderr substrings.
 *
 * - Every .som file under test/som/ is a program and must have a header, except the harness
 *   (harness/), the suite classes (suite/) and helper classes, whose names contain `Fixture`
 *   and which live beside the programs that use them. A program without a header fails, so a
 *   typo cannot turn a test off silently.
 * - Everything runs under every configuration of configurations.ts (each execution mode, and
 *   stress thresholds): all must match the same oracle.
 * - Programs run in-process through `runSom`, with a fresh VM each, for speed. Those marked
 *   `cli: true` (deep recursion needs the CLI's large stack) spawn `node bin/som.mjs`,
 *   which `npm test` builds first.
 * - Each suite class also runs on its own through harness/RunSuite.som, so that one class
 *   that crashes the VM does not hide the results of the others; AllTests.som runs them all
 *   in one VM. The census of the suite's source (test/som/suite-census.ts) gives the counts
 *   both expect, and a check here keeps the AllTests header in step with it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSom } from '../../runtime/vm.ts';
import { checkRun, hasHeader, parseOracle, type Oracle, type RunOutcome } from './oracle.ts';
import { passingSummaryLine, passingTotalLine, takeCensus } from './suite-census.ts';
import { CONFIGURATIONS, type Configuration } from './configurations.ts';
import { isKnownDivergence } from './known-divergences.ts';

/** `it`, or `it.fails` for a pair on the known-divergence list. */
function testFor(test: string, config: Configuration): typeof it {
  return isKnownDivergence(test, config.name) ? (it.fails as typeof it) : it;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOM_TESTS = join(ROOT, 'test/som');
const NOT_PROGRAMS = ['harness', 'suite'].map((dir) => join(SOM_TESTS, dir));
const CORE_LIB = 'Smalltalk';
const HARNESS_CLASSPATH = ['test/som/harness', 'test/som/suite'];
const TIMEOUT_MS = 120_000;

/** Repo-relative path, the form used on command lines and in messages. */
function repoPath(absolute: string): string {
  return relative(ROOT, absolute);
}

function somFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...somFilesUnder(path));
    else if (name.endsWith('.som')) found.push(path);
  }
  return found;
}

function isProgram(file: string): boolean {
  const isHelper = file.slice(file.lastIndexOf('/') + 1).includes('Fixture');
  return !isHelper && !NOT_PROGRAMS.some((dir) => file.startsWith(`${dir}/`));
}

/** Runs `args` (program file first) with the classpath, in-process or through the CLI. */
function run(config: Configuration, classpath: readonly string[], args: readonly string[], cli: boolean): RunOutcome {
  if (!cli) {
    // The VM resolves relative paths against the working directory, as the CLI does.
    if (process.cwd() !== ROOT.replace(/\/$/, '')) process.chdir(ROOT);
    return runSom({ classpath, args, tiers: config.tiers });
  }
  const child = spawnSync('node', ['bin/som.mjs', ...config.cliOptions, '-cp', classpath.join(':'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { exitCode: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}

function runProgram(config: Configuration, file: string, oracle: Oracle): RunOutcome {
  return run(config, [...oracle.classpath, CORE_LIB], [repoPath(file), ...oracle.args], oracle.cli);
}

function excerpt(text: string): string {
  return text.length <= 3000 ? text : `${text.slice(0, 3000)}\n... (${text.length - 3000} more characters)`;
}

/** Fails with the problems and the output, so a failure is readable in the vitest report. */
function expectNoProblems(problems: readonly string[], outcome: RunOutcome): void {
  const report =
    problems.length === 0
      ? ''
      : `${problems.join('\n')}\n--- exit ${outcome.exitCode}\n--- stdout:\n${excerpt(outcome.stdout)}\n--- stderr:\n${excerpt(outcome.stderr)}`;
  expect(report).toBe('');
}

const allFiles = somFilesUnder(SOM_TESTS);
const programs = allFiles.filter(isProgram);
const census = takeCensus(join(SOM_TESTS, 'suite'));

describe.each(CONFIGURATIONS.map((c) => [c.name, c] as const))(
  'SOM programs against their oracles [%s]',
  (_config, config) => {
    for (const file of programs) {
      testFor(repoPath(file), config)(
        repoPath(file),
        () => {
          const source = readFileSync(file, 'utf8');
          expect(hasHeader(source), 'a program must start with its oracle header').toBe(true);
          const oracle = parseOracle(source, repoPath(file));
          const outcome = runProgram(config, file, oracle);
          expectNoProblems(checkRun(oracle, outcome), outcome);
        },
        TIMEOUT_MS,
      );
    }
  },
);

describe.each(CONFIGURATIONS.map((c) => [c.name, c] as const))(
  'SOM suite classes, one VM each [%s]',
  (_config, config) => {
    for (const entry of census) {
      testFor(entry.className, config)(
        entry.className,
        () => {
          const outcome = run(
            config,
            [...HARNESS_CLASSPATH, CORE_LIB],
            ['test/som/harness/RunSuite.som', entry.className],
            false,
          );
          const expected = `${passingSummaryLine(entry)}\n${passingTotalLine([entry])}\n`;
          const problems = [];
          if (outcome.exitCode !== 0) problems.push(`exit status: expected 0, got ${outcome.exitCode}`);
          if (outcome.stdout !== expected) problems.push(`expected stdout:\n${expected}`);
          expectNoProblems(problems, outcome);
        },
        TIMEOUT_MS,
      );
    }
  },
);

describe('test tree consistency', () => {
  it('finds the suite classes and the programs', () => {
    expect(census.length).toBeGreaterThanOrEqual(30);
    expect(programs.length).toBeGreaterThanOrEqual(50);
    expect(census.every((c) => c.tests > 0 && c.assertions >= c.tests)).toBe(true);
  });

  it('keeps headers out of harness, suite and helper classes, which are not programs', () => {
    const withHeader = allFiles.filter((f) => !isProgram(f) && hasHeader(readFileSync(f, 'utf8')));
    expect(withHeader.map(repoPath)).toEqual([]);
  });

  it('gives every class a file of its own name and a name unique in the tree', () => {
    const names = allFiles.map((f) => f.slice(f.lastIndexOf('/') + 1, -'.som'.length));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const misnamed = allFiles.filter((f, i) => {
      const declared = /^\s*(\w+)\s*=/m.exec(readFileSync(f, 'utf8').replace(/"[^"]*"/g, ''));
      return declared?.[1] !== names[i] && !f.includes('ParseFileNameMismatch');
    });
    expect(misnamed.map(repoPath)).toEqual([]);
  });

  it('runs every suite class in AllTests, whose header states the counts the census reads', () => {
    const source = readFileSync(join(SOM_TESTS, 'AllTests.som'), 'utf8');
    const runList = [...source.matchAll(/^\s+#(\w+)\s*$/gm)].map((m) => m[1] ?? '');
    expect([...runList].sort()).toEqual(census.map((c) => c.className).sort());
    const inRunOrder = runList.flatMap((name) => census.filter((c) => c.className === name));
    // On failure, the expected side is the header to paste into AllTests.som.
    const header = [...inRunOrder.map(passingSummaryLine), passingTotalLine(census)].map((l) => `  ${l}`);
    const stated = parseOracle(source, 'AllTests.som').stdout.map((l) => `  ${l}`);
    expect(stated.join('\n')).toBe(header.join('\n'));
  });
});
