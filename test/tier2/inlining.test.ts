/**
 * Tier 2 on real SOM programs, for what inlining and linking traces must get right (issue #10,
 * "Tests"): a guard failing inside an inlined call two levels deep, a bridge attached to a hot
 * exit and used, a non-local return from a block inside a traced loop, deep recursion inside
 * a trace. The interpreter's run of the same program is the oracle (output, error text and
 * backtrace, exit status); the jit log and the statistics show that the traced path was taken.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceStatistics } from '../../runtime/tier2/trace-runtime.ts';
import type { RunResult } from '../../runtime/vm.ts';
import { eventsOf, interpreted, type LoggedEvent, programFiles, runLogged, runProgram } from './program-dir.ts';

/** `Main` with `run` and helper methods, plus `Pair` (two levels of sends to inline). */
function program(run: string, helpers = ''): string {
  return programFiles({
    Main: `Main = (
      run = ( ${run} )
      ${helpers}
    )`,
    Pair: `Pair = (
      | left right |
      left: l right: r = ( left := l. right := r )
      sum = ( ^self left + self right )
      left = ( ^left )
      right = ( ^right )
      weighted: k = ( ^self sum * k + (self check: k) )
      check: k = ( ^k < 700 ifTrue: [ 0 ] ifFalse: [ k foo ] )
    )`,
  });
}

/** The dump of the (first) trace of `Main>>run` in a `--dump-traces` directory. */
function mainRunDump(dir: string): string {
  return readFileSync(
    join(
      dir,
      readdirSync(dir).find((f) => f.includes('Main_run'))!,
    ),
    'utf8',
  );
}

/** `check: i ifOdd: aBlock` evaluates the block argument for odd i (inlined with its block). */
const CHECK_IF_ODD = 'check: i ifOdd: aBlock = ( (i rem: 2) = 1 ifTrue: [ aBlock value ]. ^nil )';

/** The aborts of every recording, traces' and bridges'. */
function aborts(events: readonly LoggedEvent[]): LoggedEvent[] {
  return events.filter((e) => e.event === 'trace-abort' || e.event === 'bridge-abort');
}

/** tier2 and multi, each tracing at once (stress), give the interpreter's run `oracle` of `file`. */
function expectSameUnderStress(file: string, oracle: RunResult): void {
  for (const mode of ['tier2', 'multi'] as const) {
    expect(runProgram(file, mode, { tier2Threshold: 1, bridgeThreshold: 1, tier2EntryThreshold: 1 })).toEqual(oracle);
  }
}

describe('inlined sends', () => {
  it('rebuild two inlined frames when a guard fails two levels deep, with the backtrace the interpreter shows', () => {
    // weighted: and check: are inlined into the loop; at k = 700 the branch in check: goes the
    // other way: the guard fails inside the second level, and `k foo` raises doesNotUnderstand.
    const file = program(`| p total |
      p := Pair new left: 3 right: 4.
      total := 0.
      1 to: 1000 do: [ :k | total := total + (p weighted: k) ].
      total println`);
    const oracle = interpreted(file);
    expect(oracle.stderr).toContain('Pair>>check:');
    expect(oracle.stderr).toContain('Pair>>weighted:');
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-dump-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3 }, { dumpTraces });
    expect(run).toEqual(oracle);
    const [compiled] = eventsOf(events, 'trace-compile', 'Main>>run');
    expect(compiled).toBeDefined();
    // The recorded trace makes no call: both sends were inlined, and its guards inside
    // check: resume three activations (run, weighted:, check:).
    const dump = mainRunDump(dumpTraces);
    const recorded = dump.slice(dump.indexOf('== IR as recorded'), dump.indexOf('== IR after optimisation'));
    expect(recorded).not.toMatch(/ call /);
    expect(recorded).toMatch(/snap \[#Main>>run @\d+ [^\]]*\] \[#Pair>>weighted: @\d+ [^\]]*\] \[#Pair>>check: @\d+/);
    expect(traceStatistics().exits).toBeGreaterThan(0);
  });

  it('run the new method after a guard fails in an inlined call and the loop goes on', () => {
    const file = program(`| a b total |
      a := Pair new left: 1 right: 2.
      b := Pair new left: 10 right: 20.
      total := 0.
      1 to: 600 do: [ :i | total := total + ((i < 400 ifTrue: [ a ] ifFalse: [ b ]) weighted: 2) ].
      total println`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${399 * 6 + 201 * 60}\n`);
    expect(runProgram(file, 'tier2', { tier2Threshold: 3 })).toEqual(oracle);
  });
});

describe('bridges', () => {
  it('attach a bridge to an exit that keeps failing, and use it', () => {
    // Every third iteration takes the other branch: its guard fails often and gets a bridge
    // that jumps back into the loop's trace.
    const file = program(`| odd even |
      odd := 0. even := 0.
      1 to: 3000 do: [ :i | ((i rem: 3) = 0) ifTrue: [ odd := odd + i ] ifFalse: [ even := even + 1 ] ].
      odd println. even println`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('1501500\n2000\n');
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 5 });
    expect(run).toEqual(oracle);
    const bridges = eventsOf(events, 'bridge-compile', 'Main>>run');
    expect(bridges.length).toBeGreaterThan(0);
    // (The start-up code's loops may get bridges of their own.)
    expect(traceStatistics().bridges).toBe(events.filter((e) => e.event === 'bridge-compile').length);
    // After the bridge, the loop stays in compiled code: the interpreter enters the trace a few
    // times (before the bridge), not once per iteration that takes the other branch (1,000).
    expect(traceStatistics().entries).toBeLessThan(20);
  });

  it('link an inner loop and the rest of the outer loop through bridges, with the same result', () => {
    const file = program(`| sum |
      sum := 0.
      1 to: 200 do: [ :i | 1 to: (i rem: 7) + 1 do: [ :j | sum := sum + (i * j) ]. sum := sum - 1 ].
      sum println`);
    const oracle = interpreted(file);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 3 });
    expect(run).toEqual(oracle);
    expect(eventsOf(events, 'bridge-compile', 'Main>>run').length).toBeGreaterThan(0);
  });
});

describe('accessors of class-side fields', () => {
  it('become loads and stores of the class object in the trace, not calls', () => {
    // Counter's class-side fields are read and written through class-side accessors in the loop.
    const file = programFiles({
      Main: `Main = (
        run = ( | total |
          total := 0.
          Counter count: 0.
          Counter step: 2.
          1 to: 3000 do: [ :i |
            Counter count: Counter count + 1.
            total := total + Counter count + Counter step ].
          total println.
          Counter count println )
      )`,
      Counter: `Counter = ( ----
        | count step |
        count = ( ^count ) count: n = ( count := n ) step = ( ^step ) step: n = ( step := n ) )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${(3000 * 3001) / 2 + 2 * 3000}\n3000\n`);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-dump-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3 }, { dumpTraces });
    expect(run).toEqual(oracle);
    expect(eventsOf(events, 'trace-compile', 'Main>>run').length).toBeGreaterThan(0);
    const dump = mainRunDump(dumpTraces);
    const optimised = dump.slice(dump.indexOf('== IR after optimisation'), dump.indexOf('== side exits'));
    expect(optimised).not.toMatch(/call .*Counter class/);
    expect(optimised).toMatch(/setarrayitem/);
    expect(runProgram(file, 'multi', { tier2Threshold: 1, bridgeThreshold: 1 })).toEqual(oracle);
  });
});

describe('bridges from inside inlined activations', () => {
  /** `pick:` is inlined into the loop; the class of what it sends `value` to changes every other iteration. */
  const twoClasses = (last: string) =>
    programFiles({
      Main: `Main = (
        run = ( | objs sum |
          objs := Array with: One new with: Two new.
          sum := 0.
          1 to: 3000 do: [ :i | i = 2999 ifTrue: [ objs at: 2 put: ${last} ].
            sum := sum + (self pick: (objs at: (i rem: 2) + 1)) ].
          sum println )
        pick: o = ( ^o value * 2 )
      )`,
      One: 'One = ( value = ( ^1 ) )',
      Two: 'Two = ( value = ( ^2 ) )',
    });

  it('attach a bridge that starts in the inlined activation, and keep the trace', () => {
    const file = twoClasses('Two new');
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('9000\n');
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 3 });
    expect(run).toEqual(oracle);
    const started = events.filter((e) => e.event === 'bridge-start' && e.method === 'Main>>pick:');
    expect(started.map((e) => e.levels)).toContain(2);
    expect(eventsOf(events, 'bridge-compile', 'Main>>pick:').length).toBeGreaterThan(0);
    expect(eventsOf(events, 'invalidate', 'Main>>run')).toEqual([]);
    // The loop runs in compiled code from the first bridge on: a handful of entries, not 1,500.
    expect(traceStatistics().entries).toBeLessThan(50);
  });

  it('attach a bridge that starts in an inlined block activation named by its closure', () => {
    // apply:to: and the block it evaluates are inlined (two levels); the branch in the block
    // flips every iteration. The block's activation has no frame in the trace: the exit names
    // it by its closure, and the bridge starts inside it with the closure as an input.
    const file = programFiles({
      Main: `Main = (
        run = ( | sum |
          sum := 0.
          1 to: 3000 do: [ :i |
            sum := sum + (self apply: [ :x | (x rem: 2) = 1 ifTrue: [ x * 3 ] ifFalse: [ 0 - x ] ] to: i) ].
          sum println )
        apply: block to: n = ( ^block value: n )
      )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${3 * 1500 * 1500 - 1500 * 1501}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 3 });
    expect(run).toEqual(oracle);
    const started = events.filter((e) => e.event === 'bridge-start' && e.method === '[] in Main>>run');
    expect(started.map((e) => e.levels)).toContain(3);
    expect(eventsOf(events, 'invalidate', 'Main>>run')).toEqual([]);
    expect(traceStatistics().entries).toBeLessThan(50);
  });

  it("fail inside a bridge's inlined activation with the backtrace the interpreter shows", () => {
    // At i = 2999 the second object's `value` is Object>>value (itself), which understands no
    // `*`: the error comes from the bridge's path (or its exit), inside the inlined `pick:`.
    const file = twoClasses('Object new');
    const oracle = interpreted(file);
    expect(oracle.exitCode).not.toBe(0);
    expect(oracle.stdout).toContain('ERROR: Method * not found in class Object');
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 3 });
    expect(run).toEqual(oracle);
    expect(eventsOf(events, 'bridge-compile', 'Main>>pick:').length).toBeGreaterThan(0);
  });
});

describe("a loop recording that ends in another loop's trace", () => {
  // Found by the warm-up experiment (Sieve in multi with --tier2-threshold 1000). A recording of
  // the outer loop reached the inner loop's header, which had a trace, and ended there with
  // jump_trace. The runtime then entered the new outer-loop trace with the frame at the inner
  // header: that iteration ran again from the top, and the first run counted 670 primes, not
  // 669. The frame must go on in the trace of the header it reached.
  it('counts the primes of a sieve whose outer loop is recorded after its inner loop is traced', () => {
    const file = programFiles({
      Main: `Main = (
        run = ( 1 to: 2 do: [ :r | (self sieve: (Array new: 5000 withAll: true) size: 5000) println ] )
        sieve: flags size: size = ( | primeCount |
          primeCount := 0.
          2 to: size do: [ :i |
            (flags at: i - 1) ifTrue: [ | k |
              primeCount := primeCount + 1.
              k := i + i.
              [ k <= size ] whileTrue: [ flags at: k - 1 put: false. k := k + i ] ] ].
          ^primeCount )
      )`,
    });
    expect(interpreted(file).stdout).toBe('669\n669\n');
    expect(runProgram(file, 'tier2', { tier2Threshold: 1000, bridgeThreshold: 20 }).stdout).toBe('669\n669\n');
  });
});

describe('non-local returns and recursion in traces', () => {
  it('returns from the home method through a block a traced loop passes to a method with a loop', () => {
    const file = program(
      `| found |
      found := 0.
      1 to: 300 do: [ :i | found := found + (self firstOver: i in: #(5 50 500 5000)) ].
      found println`,
      `firstOver: n in: array = ( array do: [ :x | x > n ifTrue: [ ^x ] ]. ^0 )`,
    );
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${4 * 5 + 45 * 50 + 251 * 500}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 2, bridgeThreshold: 2 });
    expect(run).toEqual(oracle);
    // The `^` leaves every recording of the block's and of firstOver:in:'s entries: each such
    // recording is an abort, logged, and counted towards backing off (not recorded again at
    // every activation).
    const blockAborts = eventsOf(events, 'trace-abort', '[] in Main>>firstOver:in:');
    expect(blockAborts.map((e) => e.reason)).toContain('a non-local return out of the trace');
    for (const kind of ['trace', 'bridge']) {
      const count = (event: string) => events.filter((e) => e.event === `${kind}-${event}`).length;
      expect(count('start')).toBe(count('compile') + count('abort'));
    }
    expect(eventsOf(events, 'trace-start', 'Main>>firstOver:in:').length).toBeLessThan(10);
  });

  it('records a non-local return to an inlined level as the return of that level: no abort, no exit', () => {
    // pick: and check:ifOdd: are inlined, and so is the block check:ifOdd: evaluates; its `^`
    // returns from pick:, two levels out, every other iteration (a bridge takes the other).
    // Last, a block whose home has returned: escapedBlock:, as in the interpreter.
    const file = program(
      `| total |
      total := 0.
      1 to: 3000 do: [ :i | total := total + (self pick: i) ].
      total println.
      (self escaping) value`,
      `pick: i = ( self check: i ifOdd: [ ^i * 3 ]. ^0 - i )
      ${CHECK_IF_ODD}
      escaping = ( ^[ ^1 ] )`,
    );
    const oracle = interpreted(file);
    // The odd i give 3i, the even ones -i.
    expect(oracle.stdout).toMatch(new RegExp(`^${3 * 1500 * 1500 - 1500 * 1501}\n\nERROR: Block has escaped`));
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-dump-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 3 }, { dumpTraces });
    expect(run).toEqual(oracle);
    expect(eventsOf(events, 'trace-abort', 'Main>>run')).toEqual([]);
    expect(eventsOf(events, 'bridge-abort', 'Main>>check:ifOdd:')).toEqual([]);
    expect(eventsOf(events, 'bridge-compile', 'Main>>check:ifOdd:').length).toBeGreaterThan(0);
    // The loop's trace (and its bridge) make no call: pick: returns through the block's `^`.
    const optimised = mainRunDump(dumpTraces);
    expect(optimised.slice(optimised.indexOf('== IR after optimisation'))).not.toMatch(/ call /);
    expectSameUnderStress(file, oracle);
  });

  it("records a non-local return to the entry trace's own activation as its return (finish)", () => {
    // find: is recursive, so its recursive sends are calls into its entry trace; check:ifOdd:
    // and its block are inlined there, and the block's `^` returns from find: itself.
    const file = program(
      `| t |
      t := 0.
      1 to: 20 do: [ :k | t := t + (self find: 200) ].
      t println`,
      `find: n = ( n = 0 ifTrue: [ ^0 ]. self check: n ifOdd: [ ^(self find: n - 1) + n ]. ^self find: n - 1 )
      ${CHECK_IF_ODD}`,
    );
    const oracle = interpreted(file);
    // The odd numbers up to 200, 20 times.
    expect(oracle.stdout).toBe(`${20 * 100 * 100}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 3, tier2EntryThreshold: 3 });
    expect(run).toEqual(oracle);
    expect(aborts(events)).toEqual([]);
    // One recording of find:'s entry, which the `^` of the block it inlined ends in `finish`.
    expect(eventsOf(events, 'trace-start', 'Main>>find:')).toHaveLength(1);
    expect(eventsOf(events, 'trace-compile', 'Main>>find:').filter((e) => e['entry'] === true)).toHaveLength(1);
    expectSameUnderStress(file, oracle);
  });

  it("records a non-local return to a loop's activation in a bridge as the activation's return", () => {
    // The loop's trace inlines check:ifOdd:, whose guard fails at the last element; the bridge
    // from there evaluates the block, whose `^` returns from firstOdd:, the loop's activation.
    // (The block reads a local of firstOdd:, not the loop's `i`, so the loop is inlined there.)
    const file = program(
      `| t a |
      a := Array new: 50 withAll: 2.
      a at: 50 put: 3.
      t := 0.
      1 to: 100 do: [ :k | t := t + (self firstOdd: a) ].
      t println`,
      `firstOdd: arr = ( | at | 1 to: arr length do: [ :i | at := i. self check: (arr at: i) ifOdd: [ ^at ] ]. ^0 )
      ${CHECK_IF_ODD}`,
    );
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('5000\n');
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 3 });
    expect(run).toEqual(oracle);
    expect(aborts(events)).toEqual([]);
    expect(eventsOf(events, 'trace-compile', 'Main>>firstOdd:').length).toBeGreaterThan(0);
    expect(eventsOf(events, 'bridge-compile', 'Main>>check:ifOdd:').length).toBeGreaterThan(0);
    expectSameUnderStress(file, oracle);
  });

  it('runs deep recursion from inside a trace (a recursive send is a call, not inlined)', () => {
    const file = program(
      `| total |
      total := 0.
      1 to: 100 do: [ :i | total := total + (self depth: i * 5) ].
      total println`,
      `depth: n = ( ^n = 0 ifTrue: [ 0 ] ifFalse: [ 1 + (self depth: n - 1) ] )`,
    );
    const oracle = interpreted(file);
    // At most 500 activations deep: the in-process run has the test worker's JS stack, not the
    // CLI's large one (deeper, the interpreter's own run may exhaust it).
    expect(oracle.stdout).toBe(`${(5 * 100 * 101) / 2}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 2 });
    expect(run).toEqual(oracle);
    expect(eventsOf(events, 'trace-compile', 'Main>>run')).toHaveLength(1);
  });
});

describe('traces that keep exiting', () => {
  it('drop a loop trace that leaves through side exits in most of its runs, and blacklist its loop', () => {
    // `pick:` is inlined; its send of `value` sees two classes in turn, so its class guard fails
    // every other iteration, and with a bridge threshold the run never reaches, no bridge
    // takes the exit over: the trace leaves through a slow exit every other run.
    const file = programFiles({
      Main: `Main = (
        run = ( | objs sum |
          objs := Array with: One new with: Two new.
          sum := 0.
          1 to: 6000 do: [ :i | sum := sum + (self pick: (objs at: (i rem: 2) + 1)) ].
          sum println )
        pick: o = ( ^o value )
      )`,
      One: 'One = ( value = ( ^1 ) )',
      Two: 'Two = ( value = ( ^2 ) )',
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('9000\n');
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, bridgeThreshold: 1_000_000 });
    expect(run).toEqual(oracle);
    const dropped = eventsOf(events, 'invalidate', 'Main>>run');
    expect(dropped.map((e) => e.reason)).toContain('it left through side exits in most of its runs');
    const blacklisted = eventsOf(events, 'blacklist', 'Main>>run');
    expect(blacklisted.length).toBeGreaterThan(0);
    expect(String(blacklisted[0]?.['reason'])).toMatch(/^its trace left through side exits in \d+ of \d+ runs$/);
  });

  it('keep a loop trace whose exits bridges are taking over, though they came late in its first 1000 runs', () => {
    // Queens' `placeQueen:` loop leaves its trace at several exits in turn (a queen placed, the
    // row taken, the board solved), nearly every run. With a bridge threshold of 200 its
    // bridges arrive within its first window of runs: judged on its counts since installation
    // (before the window), the trace was dropped as an exit storm five times in this run.
    const file = programFiles({
      Main: `Main = (
        | freeMaxs freeRows freeMins queenRows |
        run = ( | solved |
          solved := 0.
          1 to: 200 do: [ :i | self queens ifTrue: [ solved := solved + 1 ] ].
          solved println )
        queens = (
          freeRows := Array new: 8 withAll: true.
          freeMaxs := Array new: 16 withAll: true.
          freeMins := Array new: 16 withAll: true.
          queenRows := Array new: 8 withAll: -1.
          ^self placeQueen: 1 )
        placeQueen: c = (
          1 to: 8 do: [ :r |
            (self row: r column: c) ifTrue: [
              queenRows at: r put: c.
              self row: r column: c put: false.
              c = 8 ifTrue: [ ^true ].
              (self placeQueen: c + 1) ifTrue: [ ^true ].
              self row: r column: c put: true ] ].
          ^false )
        row: r column: c = ( ^(freeRows at: r) and: [ (freeMaxs at: c + r) and: [ freeMins at: c - r + 8 ] ] )
        row: r column: c put: v = (
          freeRows at: r put: v.
          freeMaxs at: c + r put: v.
          freeMins at: c - r + 8 put: v )
      )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('200\n');
    for (const mode of ['tier2', 'multi'] as const) {
      const { run, events } = runLogged(file, mode, { bridgeThreshold: 200 });
      expect(run).toEqual(oracle);
      expect(eventsOf(events, 'bridge-compile', 'Main>>placeQueen:').length).toBeGreaterThan(1);
      expect(eventsOf(events, 'invalidate', 'Main>>placeQueen:')).toEqual([]);
      expect(eventsOf(events, 'blacklist', 'Main>>placeQueen:')).toEqual([]);
    }
  });
});
