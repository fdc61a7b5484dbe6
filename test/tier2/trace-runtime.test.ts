/**
 * Tier 2 wired into the runtime (runtime/tier2/trace-runtime.ts): real SOM programs run with
 * `tier2Threshold` small and tier 1 off, so hot loops are recorded, compiled and entered at
 * their back-edges and left through side exits. The oracle is the interpreter's output for the
 * same program (tier 2 off); the statistics show that traces were actually compiled and entered.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultParams } from '../../runtime/params.ts';
import { runSom, type RunResult } from '../../runtime/vm.ts';
import { traceStatistics, type TraceStatistics } from '../../runtime/tier2/trace-runtime.ts';
import { parseOracle } from '../som/oracle.ts';

function program(name: string, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'som-t2-'));
  const file = join(dir, `${name}.som`);
  writeFileSync(file, source);
  return file;
}

/** Runs `file` in the interpreter, with tracing after `tier2Threshold` back-edges (or off). */
function run(file: string, classpath: string[], tier2Threshold: number): RunResult {
  return runSom({
    classpath: [...classpath, 'Smalltalk'],
    args: [file],
    tiers: { mode: tier2Threshold === Infinity ? 'interp' : 'tier2', params: { ...defaultParams(), tier2Threshold } },
  });
}

/** The program `source` traced and interpreted: both results and the tracing statistics. */
function compare(name: string, source: string): { traced: RunResult; interpreted: RunResult; stats: TraceStatistics } {
  const file = program(name, source);
  const interpreted = run(file, [], Infinity);
  const traced = run(file, [], 2);
  return { traced, interpreted, stats: { ...traceStatistics() } };
}

function method(body: string, temps = ''): string {
  return `Looper = (\n  run = ( | ${temps} |\n${body}\n  )\n  helper: x = ( ^x * 2 + 1 )\n)\n`;
}

const PROGRAMS: Record<string, string> = {
  'an integer to:do: loop': method('sum := 0. 1 to: 1000 do: [ :i | sum := sum + i ]. sum println', 'sum'),
  'a whileTrue:/ifTrue: loop': method(
    `i := 0. evens := 0.
     [ i < 500 ] whileTrue: [ (i % 2 = 0) ifTrue: [ evens := evens + 1 ]. i := i + 1 ].
     evens println. i println`,
    'i evens',
  ),
  'a Double loop': method('d := 0.0. 1 to: 300 do: [ :i | d := d + 0.5 * 1.0 ]. d println', 'd'),
  'a loop that leaves mid-way and goes on': method(
    `sum := 0.
     1 to: 400 do: [ :i | i < 200 ifTrue: [ sum := sum + 1 ] ifFalse: [ sum := sum + 1000 ] ].
     sum println.
     x := 1. 1 to: 70 do: [ :i | x := x * 2 ]. x println`,
    'sum x',
  ),
  'nested loops': method(
    `sum := 0. 1 to: 30 do: [ :i | 1 to: 40 do: [ :j | sum := sum + (i * j) ] ]. sum println`,
    'sum',
  ),
  'a loop with a send of a SOM method': method(
    'sum := 0. 1 to: 300 do: [ :i | sum := sum + (i max: 150) ]. sum println',
    'sum',
  ),
  'a loop with a send to self': method(
    'sum := 0. 1 to: 300 do: [ :i | sum := sum + (self helper: i) ]. sum println',
    'sum',
  ),
  // Its recordings used to abort at an inline-cache miss (a guard on what the residual lookup
  // answered); the lookup is elidable now, and folds for the promoted class.
  'a loop with a send of between:and:': method(
    'sum := 0. 1 to: 300 do: [ :i | sum := sum + (i between: 3 and: 5) hashcode ]. sum println',
    'sum',
  ),
};

/** Loops whose recording aborts today: the outer loop of a nest (its inner loop is traced on its own). */
const UNTRACED: Record<string, string> = {
  'the outer loop of a nest': method(
    `sum := 0. 1 to: 200 do: [ :i | 1 to: (i rem: 3) + 2 do: [ :j | sum := sum + j ] ]. sum println`,
    'sum',
  ),
};

describe('tier 2 in the runtime (interpreter + traces)', () => {
  for (const [title, source] of Object.entries(PROGRAMS)) {
    it(`gives the interpreter's output for ${title}`, () => {
      const { traced, interpreted, stats } = compare('Looper', source);
      expect(interpreted.exitCode).toBe(0);
      expect(traced).toEqual(interpreted);
      expect(stats.entries).toBeGreaterThan(0);
    });
  }

  for (const [title, source] of Object.entries(UNTRACED)) {
    it(`gives the interpreter's output for ${title}, whose recordings abort and back off`, () => {
      const { traced, interpreted, stats } = compare('Looper', source);
      expect(traced).toEqual(interpreted);
      expect(stats.aborts).toBeGreaterThan(0);
      // The back-off: far fewer recordings than the loop's 300 back-edges.
      expect(stats.recordings).toBeLessThan(20);
    });
  }

  it('compiles and enters a trace for a hot loop', () => {
    const { traced, stats } = compare('Looper', PROGRAMS['an integer to:do: loop']!);
    expect(traced.stdout).toBe('500500\n');
    expect(stats.compiled).toBeGreaterThan(0);
    expect(stats.entries).toBeGreaterThan(0);
    expect(stats.exits).toBe(stats.entries);
  });

  it('stays off by default (no recording without --tier2-threshold)', () => {
    const file = program('Looper', PROGRAMS['an integer to:do: loop']!);
    runSom({ classpath: ['Smalltalk'], args: [file] });
    expect(traceStatistics().recordings).toBe(0);
  });

  it('gives the MethodSwap oracle output (method arrays change in hot loops)', () => {
    const file = 'test/som/programs/MethodSwap.som';
    const oracle = parseOracle(readFileSync(file, 'utf8'), file);
    const traced = run(file, ['test/som/programs'], 2);
    expect(traced.stdout.split('\n')).toEqual([...oracle.stdout, '']);
    expect(traced.exitCode).toBe(oracle.exit);
  });
});
