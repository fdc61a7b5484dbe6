/**
 * Bridges inlined into their root trace's function (runtime/tier2/inlined-bridges.ts): a loop
 * whose iterations take both ways of a branch runs in one JS function, the bridge's code in the
 * guard's failure branch and its jump back to the loop a `continue outer`. What can go wrong
 * there must still behave as the interpreter does: a guard inside the inlined bridge (its own
 * exits, and bridges attached to them), an error raised on the inlined path (the backtrace),
 * and an inlined bridge that becomes invalid (a method it inlined is replaced).
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsOf, interpreted, programFiles, runLogged, runProgram } from './program-dir.ts';

function mainProgram(methods: string): string {
  return programFiles({ Main: `Main = ( ${methods} )` });
}

/** A loop whose iterations take both ways of a branch, in turn: 1500 times each. */
function branchyLoop(): string {
  return mainProgram(`
    run = ( | s | s := 0.
      1 to: 3000 do: [ :i | (i bitXor: 1) > i ifTrue: [ s := s + 1 ] ifFalse: [ s := s + 3 ] ].
      s println )`);
}

describe('inlined bridges', () => {
  it('compile a branchy loop again with its bridge inside, and agree with the interpreter', () => {
    const file = branchyLoop();
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${1500 + 4500}\n`);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-inline-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 10, bridgeThreshold: 5 }, { dumpTraces });
    expect(run).toEqual(oracle);
    const inlined = eventsOf(events, 'bridge-inline', 'Main>>run');
    expect(inlined.length).toBeGreaterThan(0);
    const root = inlined[0]!['into'] as number;
    // The root's dump has its function as compiled again, the bridge's jump back inside it.
    const dump = readdirSync(dumpTraces).find((f) => f.startsWith(`trace${root}.`))!;
    const text = readFileSync(join(dumpTraces, dump), 'utf8');
    expect(text).toMatch(/== JavaScript, compiled again with trace \d+ inlined/);
    expect(text).toMatch(/continue outer;/);
  });

  it('inline a bridge only once it has run --bridge-inline-threshold times (0: never)', () => {
    const file = branchyLoop();
    const oracle = interpreted(file);
    for (const [bridgeInlineThreshold, inlines] of [
      [0, false],
      [10_000, false],
      [50, true],
    ] as const) {
      const { run, events } = runLogged(file, 'tier2', {
        tier2Threshold: 10,
        bridgeThreshold: 5,
        bridgeInlineThreshold,
      });
      expect(run).toEqual(oracle);
      expect(eventsOf(events, 'bridge-inline', 'Main>>run').length > 0).toBe(inlines);
    }
  });

  it("inline a bridge that goes on in another loop's trace, and leave to it", () => {
    // The first loop's exit at its end gets a bridge to the second loop's header.
    const file = mainProgram(`
      two: n = ( | s | s := 0.
        1 to: n do: [ :i | s := s + i ].
        1 to: n do: [ :i | s := s + (i bitXor: 3) ].
        ^ s )
      run = ( | t | t := 0. 1 to: 300 do: [ :k | t := t + (self two: 50) ]. t println )`);
    const oracle = interpreted(file);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-inline-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 10, bridgeThreshold: 5 }, { dumpTraces });
    expect(run).toEqual(oracle);
    expect(eventsOf(events, 'bridge-inline', 'Main>>two:').length).toBeGreaterThan(0);
    const texts = readdirSync(dumpTraces).map((f) => readFileSync(join(dumpTraces, f), 'utf8'));
    const recompiled = texts
      .filter((t) => t.includes('compiled again'))
      .map((t) => t.slice(t.indexOf('compiled again')));
    // An inlined bridge hands its values out to the other loop's trace (TRACE_JUMP is -2): the
    // root, a loop, has no jump_trace of its own.
    expect(recompiled.some((t) => /bridge \d+ inlined[\s\S]*return \(-2\);/.test(t))).toBe(true);
    expect(runProgram(file, 'multi', { tier2Threshold: 10, bridgeThreshold: 5 })).toEqual(oracle);
  });

  it('leave through a guard of the inlined bridge, and attach a bridge there', () => {
    // From i = 2000 on, the odd branch meets a Double: a guard inside the inlined bridge fails.
    const file = mainProgram(`
      run = ( | s x | s := 0.
        1 to: 4000 do: [ :i |
          x := i > 2000 ifTrue: [ 0.5 ] ifFalse: [ 1 ].
          (i bitXor: 1) > i ifTrue: [ s := s + 1 ] ifFalse: [ s := s + x ] ].
        s println )`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${2000 + 1000 + 500}.0\n`);
    for (const bridgeThreshold of [1, 5, 50]) {
      const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 10, bridgeThreshold });
      expect(run).toEqual(oracle);
      expect(eventsOf(events, 'bridge-inline', 'Main>>run').length).toBeGreaterThan(0);
    }
    expect(runProgram(file, 'multi', { tier2Threshold: 10, bridgeThreshold: 5 })).toEqual(oracle);
  });

  it('give the interpreter backtrace for an error on the inlined path', () => {
    const file = mainProgram(`
      check: i = ( i = 2501 ifTrue: [ i foo ]. ^ 3 )
      run = ( | s | s := 0.
        1 to: 3000 do: [ :i | (i bitXor: 1) > i ifTrue: [ s := s + 1 ] ifFalse: [ s := s + (self check: i) ] ].
        s println )`);
    const oracle = interpreted(file);
    expect(oracle.stderr).toContain('Main>>check:');
    expect(runProgram(file, 'tier2', { tier2Threshold: 10, bridgeThreshold: 5 })).toEqual(oracle);
    expect(runProgram(file, 'multi', { tier2Threshold: 10, bridgeThreshold: 5 })).toEqual(oracle);
  });

  it('stop running an inlined bridge whose inlined method was replaced', () => {
    // The bridge (odd i) folds the lookup of SwapA>>value; at i = 2000 the method is replaced
    // through SwapA's method array, and the bridge becomes invalid.
    const file = programFiles({
      Main: `Main = (
        run = ( | s a | s := 0. a := SwapA new.
          1 to: 4000 do: [ :i |
            i = 2000 ifTrue: [ SwapA methods at: 1 put: (SwapAlt methods at: 1) ].
            (i bitXor: 1) > i ifTrue: [ s := s + 1 ] ifFalse: [ s := s + a value ] ].
          s println ) )`,
      SwapA: 'SwapA = ( value = ( ^1 ) )',
      SwapAlt: 'SwapAlt = ( value = ( ^100 ) )',
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${2000 + 1000 + 1000 * 100}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 10, bridgeThreshold: 5 });
    expect(run).toEqual(oracle);
    // The invalid bridge is left (its inlined code checks its validity first), and the bridge
    // recorded again at the same exit is inlined in its place.
    expect(eventsOf(events, 'bridge-inline', 'Main>>run').length).toBeGreaterThanOrEqual(2);
    expect(runProgram(file, 'multi', { tier2Threshold: 10, bridgeThreshold: 5 })).toEqual(oracle);
  });
});
