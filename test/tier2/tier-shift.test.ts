/**
 * The tier-shift policy of `multi` (issue #11 item 1, runtime/tier-manager.ts): a method climbs
 * one tier at a time. The interpreter's back-edges move a hot activation into tier 1 (OSR);
 * tier-1 code's back-edges make its loop hot for tier 2; the trace is entered from tier-1 code,
 * and an exit without a bridge goes back into tier-1 code, also once the trace is dropped and
 * its loop blacklisted. In `tier2` (no tier 1) the interpreter enters traces and exits return
 * to it. The interpreter's run is the oracle of every run; the jit log shows the path taken.
 */
import { describe, expect, it } from 'vitest';
import { eventsOf, interpreted, programFiles, runLogged, type LoggedEvent } from './program-dir.ts';

/**
 * `Main>>count: n`, sent `calls` times, sums a loop whose body takes the rare branch every
 * `period`th iteration, in an inlined send, with no bridge (the threshold is out of reach): a
 * slow exit every `period` runs.
 */
function countingProgram(calls: number, n: number, period: number): string {
  return programFiles({
    Main: `Main = (
      run = ( | total |
        total := 0.
        1 to: ${calls} do: [ :i | total := total + (self count: ${n}) ].
        total println )
      count: n = ( | sum |
        sum := 0.
        1 to: n do: [ :i | sum := sum + (self step: i) ].
        ^sum )
      step: i = ( ^(i rem: ${period}) = 0 ifTrue: [ 100 ] ifFalse: [ 1 ] )
    )`,
  });
}

const PROGRAM = countingProgram(40, 300, 7);

/**
 * Methods move into tier 1 only through OSR (the invocation threshold is out of reach), and a
 * loop is hot for tier 2 before it is for tier 1: the order of the tiers comes from the policy,
 * not from the thresholds.
 */
const PARAMS = { tier1Threshold: 1_000_000, tier1BackEdgeThreshold: 30, tier2Threshold: 5, bridgeThreshold: 1_000_000 };

/** Index of the first event of `kind` about `Main>>count:` (-1 if none). */
function firstIndex(events: readonly LoggedEvent[], kind: string): number {
  return events.findIndex((e) => e.event === kind && e.method === 'Main>>count:');
}

function resumedIn(events: readonly LoggedEvent[]): { tier1: number; interpreter: number } {
  const counts = { tier1: 0, interpreter: 0 };
  for (const e of eventsOf(events, 'trace-exits', 'Main>>count:')) {
    const resumed = e['resumedIn'] as { tier1: number; interpreter: number };
    counts.tier1 += resumed.tier1;
    counts.interpreter += resumed.interpreter;
  }
  return counts;
}

describe('multi: interpreter, then tier 1, then tier 2', () => {
  it('moves a method from the interpreter into tier 1, traces its loop from there, and exits back into tier 1', () => {
    const oracle = interpreted(PROGRAM);
    // 40 * (300 - 42 + 42 * 100) = 40 * 4458
    expect(oracle.stdout).toBe(`${40 * 4458}\n`);
    const { run, events } = runLogged(PROGRAM, 'multi', PARAMS);
    expect(run).toEqual(oracle);
    const compiled = firstIndex(events, 'osr');
    const traced = firstIndex(events, 'trace-start');
    expect(compiled).toBeGreaterThanOrEqual(0);
    // Traced only once it runs in tier 1, and compiled as a trace.
    expect(traced).toBeGreaterThan(compiled);
    expect(firstIndex(events, 'trace-compile')).toBeGreaterThan(traced);
    const resumed = resumedIn(events);
    expect(resumed.tier1).toBeGreaterThan(0);
    expect(resumed.interpreter).toBe(0);
  });

  it('leaves a loop whose trace was dropped and blacklisted in tier 1', () => {
    // Every other iteration takes the rare branch: the exit storm drops the trace.
    const file = countingProgram(5, 3000, 2);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${5 * 1500 * 101}\n`);
    const { run, events } = runLogged(file, 'multi', PARAMS);
    expect(run).toEqual(oracle);
    const blacklisted = firstIndex(events, 'blacklist');
    expect(blacklisted).toBeGreaterThan(firstIndex(events, 'trace-compile'));
    const resumed = resumedIn(events);
    expect(resumed.tier1).toBeGreaterThan(0);
    expect(resumed.interpreter).toBe(0);
    // The method was compiled once: it stays in tier 1 after its trace is gone.
    expect(events.filter((e) => e.event === 'tier1-compile' && e.method === 'Main>>count:')).toHaveLength(1);
    expect(firstIndex(events, 'tier1-compile')).toBeLessThan(firstIndex(events, 'trace-start'));
  });
});

describe('tier2: interpreter and traces only', () => {
  it('traces the loop from the interpreter, and exits go back into the interpreter', () => {
    const { run, events } = runLogged(PROGRAM, 'tier2', PARAMS);
    expect(run).toEqual(interpreted(PROGRAM));
    expect(firstIndex(events, 'tier1-compile')).toBe(-1);
    expect(firstIndex(events, 'trace-compile')).toBeGreaterThanOrEqual(0);
    const resumed = resumedIn(events);
    expect(resumed.interpreter).toBeGreaterThan(0);
    expect(resumed.tier1).toBe(0);
  });
});
