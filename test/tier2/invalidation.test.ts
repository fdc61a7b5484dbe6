/**
 * Invalidation of compiled traces (runtime/tier2/trace-dependencies.ts, trace-validity.ts): a
 * trace folds the methods its sends found and the globals it read; when the program changes
 * one (`aClass methods at: i put: m`, `system global: #G put: v`), the trace must not run
 * again, and the loop gets a new trace. Changing something the trace did not fold (binding
 * another global, loading a class) must leave it alone. The oracle is the interpreter's output;
 * the tracing statistics show that the trace was (or was not) thrown away.
 */
import { describe, expect, it } from 'vitest';
import { traceStatistics } from '../../runtime/tier2/trace-runtime.ts';
import { eventsOf, interpreted, programFiles, PUT_METHOD, runLogged } from './program-dir.ts';

/** The value methods the program swaps: `SwapA>>value` answers 1, `SwapAlt>>value` 100. */
const SWAP_CLASSES = {
  SwapA: 'SwapA = ( value = ( ^1 ) )\n',
  SwapAlt: 'SwapAlt = ( value = ( ^100 ) )\n',
};

describe('trace invalidation', () => {
  it('drops a trace whose send found a method that was then replaced with methods at:put:', () => {
    const file = programFiles({
      SwapMain: `SwapMain = (
        run = ( | a |
          a := SwapA new.
          (self sumOver: a) println.
          self put: #value of: SwapAlt into: SwapA.
          (self sumOver: a) println )
        sumOver: a = ( | sum | sum := 0. 1 to: 300 do: [ :i | sum := sum + a value ]. ^sum )
        ${PUT_METHOD}
      )`,
      ...SWAP_CLASSES,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('300\n30000\n');
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 2 });
    expect(run).toEqual(oracle);
    expect(traceStatistics().invalidations).toBe(1);
    expect(eventsOf(events, 'invalidate', 'SwapMain>>sumOver:').map((e) => e.reason)).toEqual([
      'a method lookup changed',
    ]);
    // The loop was traced again after the change, and that trace ran.
    const compiles = eventsOf(events, 'trace-compile', 'SwapMain>>sumOver:');
    expect(compiles).toHaveLength(2);
    const second = eventsOf(events, 'trace-exits', 'SwapMain>>sumOver:').find((e) => e.trace === compiles[1]?.trace);
    expect(second?.entries).toBeGreaterThan(0);
  });

  it('drops a trace that read a global when the global is bound anew, and only then', () => {
    const program = (between: string): string =>
      programFiles({
        GlobalMain: `GlobalMain = (
          run = (
            system global: #Factor put: 1.
            self sum println.
            ${between}
            self sum println )
          sum = ( | s | s := 0. 1 to: 300 do: [ :i | s := s + Factor ]. ^s )
        )`,
      });
    const rebound = program('system global: #Factor put: 100.');
    const oracle = interpreted(rebound);
    expect(oracle.stdout).toBe('300\n30000\n');
    const { run, events } = runLogged(rebound, 'tier2', { tier2Threshold: 2 });
    expect(run).toEqual(oracle);
    expect(eventsOf(events, 'invalidate', 'GlobalMain>>sum').map((e) => e.reason)).toEqual(['global Factor was bound']);
    expect(eventsOf(events, 'trace-compile', 'GlobalMain>>sum')).toHaveLength(2);

    const other = program('system global: #Unrelated put: 100. system global: #Factor put: 1.');
    const unchanged = runLogged(other, 'tier2', { tier2Threshold: 2 });
    expect(unchanged.run).toEqual(interpreted(other));
    expect(unchanged.events.filter((e) => e.event === 'invalidate')).toEqual([]);
    expect(eventsOf(unchanged.events, 'trace-compile', 'GlobalMain>>sum')).toHaveLength(1);
    expect(eventsOf(unchanged.events, 'trace-exits', 'GlobalMain>>sum')[0]?.entries).toBe(2);
  });

  it('keeps a trace that read a global when a class is loaded lazily (which binds another)', () => {
    const file = programFiles({
      LazyMain: `LazyMain = (
        run = ( system global: #Step put: 1. self sum println. LazyLoaded new value println. self sum println )
        sum = ( | s | s := 0. 1 to: 300 do: [ :i | s := s + i + Step - 1 ]. ^s )
      )`,
      LazyLoaded: 'LazyLoaded = ( value = ( ^42 ) )\n',
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('45150\n42\n45150\n');
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 2 });
    expect(run).toEqual(oracle);
    expect(events.filter((e) => e.event === 'invalidate')).toEqual([]);
    expect(eventsOf(events, 'trace-compile', 'LazyMain>>sum')).toHaveLength(1);
    expect(eventsOf(events, 'trace-exits', 'LazyMain>>sum')[0]?.entries).toBe(2);
  });

  // The swap happens inside a residual call (toggle has a loop, so the recorder does not inline
  // it), once, on the 300th iteration: the trace inlined SwapA>>value, and only its validity
  // check after the call (the recorder's guard on TraceValidity) makes it leave at once.
  it('sees a method its own residual call replaced, right after the call', () => {
    const file = programFiles({
      ToggleMain: `ToggleMain = (
        | count |
        run = ( | a sum |
          a := SwapA new.
          count := 0.
          sum := 0.
          1 to: 400 do: [ :i | self toggle. sum := sum + a value ].
          sum println )
        toggle = (
          count := count + 1.
          count = 300 ifTrue: [ self put: #value of: SwapAlt into: SwapA ].
          1 to: 1 do: [ :k | count := count + 0 ] )
        ${PUT_METHOD}
      )`,
      ...SWAP_CLASSES,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${299 + 101 * 100}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 2 });
    expect(run).toEqual(oracle);
    // The loop ran as a trace (its recording did not abort), and the trace saw every store.
    const loopTraces = eventsOf(events, 'trace-exits', 'ToggleMain>>run');
    expect(loopTraces.reduce((entries, e) => entries + Number(e.entries), 0)).toBeGreaterThan(0);
  });
});
