/**
 * Entry traces (trace-runtime.ts `traceMethodEntry`): in mode tier2 a hot method is traced from
 * its start, to its return or (a method with a loop) into its loop's trace, and later
 * activations run that trace, recursive ones included. The interpreter's run of the same program is the oracle; the jit log shows
 * that the entry was traced (pc 0) and that its bridges end where the method returns.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsOf, interpreted, programFiles, runLogged, runProgram } from './program-dir.ts';

function mainProgram(methods: string): string {
  return programFiles({ Main: `Main = ( | count | ${methods} )` });
}

describe('entry traces', () => {
  it('trace a recursive method from its entry, and run it', () => {
    const file = mainProgram(`
      fib: n = ( n < 2 ifTrue: [ ^ n ]. ^ (self fib: n - 1) + (self fib: n - 2) )
      run = ( (self fib: 22) println )`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('17711\n');
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-entry-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 20 }, { dumpTraces });
    expect(run).toEqual(oracle);
    const compiled = eventsOf(events, 'trace-compile', 'Main>>fib:');
    expect(compiled.map((e) => e['pc'])).toContain(0);
    // `n < 2` goes both ways: the exit the trace does not follow gets a bridge that returns.
    expect(eventsOf(events, 'bridge-compile', 'Main>>fib:').length).toBeGreaterThan(0);
    // Its inputs are the frame, the receiver and n: no locals, no stack slots (nil and empty at pc 0).
    const entry = compiled.find((e) => e['entry'] === true)!;
    const dump = readFileSync(
      join(
        dumpTraces,
        readdirSync(dumpTraces).find((f) => f.startsWith(`trace${entry['trace']}.`))!,
      ),
      'utf8',
    );
    expect(dump.slice(dump.indexOf('== IR after optimisation'))).toMatch(/^trace entry .*\n {2}in {2}r0 r1 r2\n/m);
  });

  it('leave through a side exit mid-method, with the backtrace of the interpreter', () => {
    const file = mainProgram(`
      check: k = ( count := count + 1. ^ k < 500 ifTrue: [ k ] ifFalse: [ k foo ] )
      run = ( | t | count := 0. t := 0. 1 to: 600 do: [ :k | t := t + (self check: k) ]. t println )`);
    const oracle = interpreted(file);
    expect(oracle.stderr).toContain('Main>>check:');
    // The loop's trace inlines check:, so the entry trace runs from a loop the tracer leaves alone.
    expect(runProgram(file, 'tier2', { tier2Threshold: 3, maxTraces: 1000 })).toEqual(oracle);
    expect(runProgram(file, 'tier2', { tier2Threshold: 1, bridgeThreshold: 1 })).toEqual(oracle);
  });

  it('write the frame back at the return, for a closure that outlives the activation', () => {
    // make: is recursive, so its recursive send is not inlined: it enters make:'s entry trace.
    // Each activation's block reads x after the activation changed it and returned.
    const file = mainProgram(`
      make: n = ( | x y | n = 0 ifTrue: [ ^ [ 0 ] ]. x := n * 2. y := [ x + 1 ]. x := x + (self make: n - 1) value. ^ y )
      run = ( | t | t := 0. 1 to: 5 do: [ :k | t := t + (self make: 300) value ]. t println )`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${5 * (300 * 301 + 300)}\n`);
    for (const threshold of [1, 3, 50])
      expect(runProgram(file, 'tier2', { tier2Threshold: threshold })).toEqual(oracle);
  });

  it('trace a method with a loop from its entry into its loop trace, once the loop has one', () => {
    const file = mainProgram(`
      sum: n = ( | s | s := 0. 1 to: n do: [ :i | s := s + i ]. ^ s )
      run = ( | t | t := 0. 1 to: 300 do: [ :i | t := t + (self sum: 5) ]. t println )`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${300 * 15}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3, tier2EntryThreshold: 10 });
    expect(run).toEqual(oracle);
    const compiled = eventsOf(events, 'trace-compile', 'Main>>sum:');
    // The loop is traced first; the entry waits for it, and its trace then runs into the loop's.
    expect(compiled[0]?.['entry']).toBeUndefined();
    const entry = compiled.find((e) => e['entry'] === true);
    expect(entry?.['pc']).toBe(0);
    const counts = eventsOf(events, 'trace-exits', 'Main>>sum:').find((e) => e['trace'] === entry?.['trace']);
    expect(counts?.['entries']).toBeGreaterThan(200);
    expect(eventsOf(events, 'trace-abort', 'Main>>sum:')).toEqual([]);
  });

  it('trace a loop left after one iteration each time as its way out, after two failed recordings', () => {
    // lastOf: walks a list of one or two links: its loop runs at most one iteration, so a
    // recording from the back-edge always sees the method return before the loop closes.
    const file = programFiles({
      Main: `Main = (
        lastOf: head = ( | m l | m := head. [ (l := m next) isNil ] whileFalse: [ m := l ]. ^ m )
        run = ( | one two t |
          one := Link new. two := Link new. two next: one. t := 0.
          1 to: 3000 do: [ :i | (self lastOf: (i % 2 = 1 ifTrue: [ one ] ifFalse: [ two ])) == one ifTrue: [ t := t + i ] ].
          t println ) )`,
      Link: `Link = ( | next | next = ( ^ next ) next: x = ( next := x ) )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${(3000 * 3001) / 2}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 20, tier2EntryThreshold: 10 });
    expect(run).toEqual(oracle);
    const aborts = eventsOf(events, 'trace-abort', 'Main>>lastOf:');
    expect(aborts.map((e) => e['reason'])).toEqual(['the traced method returned', 'the traced method returned']);
    const loop = eventsOf(events, 'trace-compile', 'Main>>lastOf:').find((e) => e['entry'] !== true);
    expect(loop?.['pc']).toBe(aborts[0]?.['pc']);
    // With a trace for its loop, the method is traced from its entry too: no interpreter left.
    expect(eventsOf(events, 'trace-compile', 'Main>>lastOf:').some((e) => e['entry'] === true)).toBe(true);
    expect(eventsOf(events, 'blacklist', 'Main>>lastOf:')).toEqual([]);
    // The iteration is a bridge back to the loop's header, compiled into the loop's trace.
    const inlined = eventsOf(events, 'bridge-inline', 'Main>>lastOf:');
    expect(inlined.map((e) => e['into'])).toContain(loop?.['trace']);
    expect(runProgram(file, 'tier2', { tier2Threshold: 1, bridgeThreshold: 1, bridgeInlineThreshold: 1 })).toEqual(
      oracle,
    );
    expect(runProgram(file, 'multi', { tier2Threshold: 1, bridgeThreshold: 1 })).toEqual(oracle);
  });

  it('leave a method with a loop that has no trace to the interpreter', () => {
    const file = mainProgram(`
      sum: n = ( | s | s := 0. 1 to: n do: [ :i | s := s + i ]. ^ s )
      run = ( | t | t := 0. 1 to: 300 do: [ :i | t := t + (self sum: 5) ]. t println )`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 100_000, tier2EntryThreshold: 10 });
    expect(run).toEqual(interpreted(file));
    expect(eventsOf(events, 'trace-start', 'Main>>sum:')).toEqual([]);
  });
});
