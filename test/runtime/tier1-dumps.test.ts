/**
 * Tier-1 dumps are valid JavaScript and differ from the running code only in comments, for
 * every method and block of the core library and of every SOM test program (test/som/**),
 * whether or not a run reaches it. The dump's comments show each bytecode's disassembly,
 * literals included, so a symbol or string holding a line terminator (CR, LF, U+2028, U+2029:
 * test/som/programs/LineTerminatorLiterals.som) must not end its comment line. Parsing here
 * is `new Function`, which compiles the text without running it (as `node --check` would).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Universe } from '../../interpreter/universe.ts';
import { SomParseError } from '../../interpreter/errors.ts';
import type { SomClass } from '../../interpreter/model/class.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import { runSom } from '../../runtime/vm.ts';
import { defaultParams } from '../../runtime/params.ts';
import { emitTier1 } from '../../runtime/tier1/tier1-compiler.ts';
import { hasHeader, parseOracle } from '../som/oracle.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORE_LIB = 'Smalltalk';
const SOM_TESTS = 'test/som';
const LINE_TERMINATORS = /[\n\r\u2028\u2029]/;
const SAMPLE = 'test/som/programs/LineTerminatorLiterals.som';

/** Repo-relative paths of the .som files under `dir` (repo-relative), sorted. */
function somFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) return somFiles(path);
      return name.endsWith('.som') ? [path] : [];
    });
}

function className(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1, -'.som'.length);
}

/** Loads the class of `file` (repo-relative) with the classpath a run of it would have. */
function loadClass(file: string): SomClass {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const extra = hasHeader(source) ? parseOracle(source, file).classpath : [];
  const classpath = [dirname(file), `${SOM_TESTS}/harness`, `${SOM_TESTS}/suite`, ...extra, CORE_LIB];
  if (process.cwd() !== ROOT.replace(/\/$/, '')) process.chdir(ROOT);
  const u = new Universe({ classpath, output: { writeOut() {}, writeErr() {} }, maxStackDepth: 100 });
  u.bootstrap();
  const cls = u.resolveClass(u.symbol(className(file)));
  if (cls === null) throw new Error(`${file}: no class ${className(file)}`);
  return cls;
}

/** Every method and block of `cls` and its metaclass, blocks after their method. */
function methodsOf(cls: SomClass): SomMethod[] {
  const withBlocks = (m: SomMethod): SomMethod[] => [m, ...m.blocks.flatMap(withBlocks)];
  return [cls, cls.clazz]
    .flatMap((holder) => holder.localInvokables())
    .flatMap((m) => (m.kind === 'method' ? withBlocks(m) : []));
}

/** What is wrong with the dump of `method` (empty: it parses and differs only in comments). */
function dumpProblems(method: SomMethod): string[] {
  const running = emitTier1(method, false).text;
  const dumped = emitTier1(method, true).text;
  const problems: string[] = [];
  try {
    // Compiles the factory without calling it: a parse of the whole dump.
    new Function('H', 'K', dumped);
  } catch (e) {
    problems.push(`does not parse: ${String(e)}\n${dumped}`);
  }
  const code = dumped.split('\n').filter((l) => !l.trimStart().startsWith('//'));
  if (code.join('\n') !== running) problems.push(`differs from the running code outside comments:\n${dumped}`);
  if (dumped === running) problems.push('has no comments');
  return problems;
}

/** Checks every method of `cls`; answers how many it checked. */
function expectValidDumps(cls: SomClass, where: string): number {
  const methods = methodsOf(cls);
  const problems = methods.flatMap((m) => dumpProblems(m).map((p) => `${where} ${m.signature.s}: ${p}`));
  expect(problems).toEqual([]);
  return methods.length;
}

describe('tier-1 dumps of every method', () => {
  it('are valid JavaScript and differ from the running code only in comments: core library', () => {
    const checked = somFiles(CORE_LIB).reduce((n, file) => n + expectValidDumps(loadClass(file), file), 0);
    expect(checked).toBeGreaterThan(200);
  });

  it('are valid JavaScript and differ from the running code only in comments: SOM test programs', () => {
    const files = somFiles(SOM_TESTS);
    const unloadable: string[] = [];
    let checked = 0;
    for (const file of files) {
      let cls: SomClass;
      try {
        cls = loadClass(file);
      } catch (e) {
        // Programs testing parse errors have no class to dump; their oracle expects the failure.
        if (!(e instanceof SomParseError)) throw e;
        unloadable.push(file);
        continue;
      }
      checked += expectValidDumps(cls, file);
    }
    const source = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
    expect(unloadable.filter((f) => !hasHeader(source(f)) || parseOracle(source(f), f).exit === 0)).toEqual([]);
    expect(files).toContain(SAMPLE);
    expect(unloadable).not.toContain(SAMPLE);
    expect(files.length - unloadable.length).toBeGreaterThan(100);
    expect(checked).toBeGreaterThan(300);
  });

  it('show literals with line terminators escaped, one comment line each', () => {
    const run = methodsOf(loadClass(SAMPLE)).find((m) => m.signature.s === 'run')!;
    const comments = emitTier1(run, true)
      .text.split('\n')
      .filter((l) => l.trimStart().startsWith('//'));
    expect(comments.join('\n')).toContain('#a\\rb\\u2028c\\u2029d');
    expect(comments.join('\n')).toContain('#p\\nq');
    expect(comments.filter((l) => LINE_TERMINATORS.test(l))).toEqual([]);
  });
});

describe('--dump-tier1', () => {
  it('writes only files that parse, for a program with line terminators in its literals', () => {
    const dir = mkdtempSync(join(tmpdir(), 'som-dump-'));
    if (process.cwd() !== ROOT.replace(/\/$/, '')) process.chdir(ROOT);
    const result = runSom({
      classpath: [CORE_LIB],
      args: [SAMPLE],
      tiers: { mode: 'tier1', params: defaultParams(), dumpTier1: dir },
    });
    expect(result.exitCode).toBe(0);
    const dumps = readdirSync(dir).sort();
    expect(dumps.some((f) => f.startsWith('t1$LineTerminatorLiterals$run.'))).toBe(true);
    const broken = dumps.filter((f) => {
      try {
        new Function('H', 'K', readFileSync(join(dir, f), 'utf8'));
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.map((f) => relative(dir, join(dir, f)))).toEqual([]);
  });
});
