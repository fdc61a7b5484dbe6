/**
 * Which frames a residual call can see (recording-context.ts `residual`, level.ts `captured`).
 * A send the trace does not inline reads only the receiver and arguments from its caller's
 * slots, so an activation no closure has captured keeps its other slots in IR values across the
 * call: no stores before it, no loads and class guards after it. A closure over the frame
 * (made in the trace, or by a fallback the trace called) makes it captured: then its slots go to
 * memory before each call and are read back after, since the closure may have changed them.
 * The interpreter's run of the same program is the oracle.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpreted, programFiles, runLogged, runProgram } from './program-dir.ts';

/** The optimised IR of the traces of `Main>>method` (its loops' and its entry's), from a `--dump-traces` directory. */
function optimisedIr(dir: string, method: string): string {
  const dumps = readdirSync(dir)
    .filter((f) => f.includes(`Main_${method}.`))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  expect(dumps.length).toBeGreaterThan(0);
  return dumps.map((d) => d.slice(d.indexOf('== IR after optimisation'), d.indexOf('== side exits'))).join('\n');
}

describe('frames a residual call can see', () => {
  it('keep the slots of an uncaptured activation in IR values across a send', () => {
    // count: is recursive, so the send of count: stays a call in count:'s entry trace; a, b and
    // c are live across it.
    const file = programFiles({
      Main: `Main = (
        count: n with: a with: b with: c = (
          | r | n = 0 ifTrue: [ ^ a + b + c ].
          r := self count: n - 1 with: b with: c with: a.
          ^ r + a + b + c )
        run = ( | t | t := 0. 1 to: 300 do: [ :i | t := t + (self count: 20 with: 1 with: 2 with: i) ]. t println ) )`,
    });
    const oracle = interpreted(file);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-captured-'));
    const { run } = runLogged(file, 'tier2', { tier2Threshold: 3, tier2EntryThreshold: 10 }, { dumpTraces });
    expect(run).toEqual(oracle);
    const ir = optimisedIr(dumpTraces, 'count_with_with_with_');
    expect(ir).toMatch(/call +#sendFromTrace/);
    // The arguments of the recursive send go to memory; nothing is read back from the frame.
    expect(ir).toMatch(/setarrayitem/);
    expect(ir).not.toMatch(/getarrayitem/);
  });

  it('keep them so in a bridge, from where the parent trace knew the frame uncaptured', () => {
    // The 20th activation, fib: 1, is recorded: the entry trace returns n, and the bridge at its
    // other exit makes both sends.
    const file = programFiles({
      Main: `Main = (
        fib: n = ( n < 2 ifTrue: [ ^ n ]. ^ (self fib: n - 1) + (self fib: n - 2) )
        run = ( (self fib: 20) println ) )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('6765\n');
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-captured-'));
    const { run, events } = runLogged(file, 'tier2', { tier2EntryThreshold: 19, bridgeThreshold: 5 }, { dumpTraces });
    expect(run).toEqual(oracle);
    // Whichever way the entry trace went, one of its bridges makes the sends: no trace of fib:
    // reads a slot back.
    expect(events.some((e) => e['event'] === 'bridge-compile' && e['method'] === 'Main>>fib:')).toBe(true);
    const ir = optimisedIr(dumpTraces, 'fib_');
    expect(ir.match(/call +#sendFromTrace/g)?.length).toBeGreaterThanOrEqual(2);
    expect(ir).not.toMatch(/getarrayitem/);
  });

  it('read back the slots of an activation a closure captured, after each call', () => {
    // The block passed to `apply:` changes x; `apply:` is recursive, so it stays a call.
    const file = programFiles({
      Main: `Main = (
        apply: blk times: k = ( k = 0 ifTrue: [ ^ nil ]. blk value. ^ self apply: blk times: k - 1 )
        bump: n = ( | x | x := n. self apply: [ x := x + 1 ] times: 3. ^ x * 2 )
        run = ( | t | t := 0. 1 to: 300 do: [ :i | t := t + (self bump: i) ]. t println ) )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${2 * ((300 * 301) / 2 + 3 * 300)}\n`);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-captured-'));
    const { run } = runLogged(file, 'tier2', { tier2Threshold: 3, tier2EntryThreshold: 10 }, { dumpTraces });
    expect(run).toEqual(oracle);
    // run's loop inlines bump:, whose frame the block captured: x is read back after apply:times:.
    expect(optimisedIr(dumpTraces, 'run')).toMatch(
      /call +#sendFromTrace #Main>>apply:times:[^\n]*\n(.*\n)*.*getarrayitem/,
    );
    for (const threshold of [1, 2, 5]) {
      expect(
        runProgram(file, 'tier2', { tier2Threshold: threshold, tier2EntryThreshold: threshold, bridgeThreshold: 1 }),
      ).toEqual(oracle);
    }
  });

  it("agree with the interpreter when a fallback's closure over a frame runs while the frame does", () => {
    // `c ifTrue: [...]` is inlined; for a Saver it falls back to a real send of ifTrue:, whose
    // closure over check:'s frame is kept, and evaluated by poke (a call: it has a loop) while
    // check: still runs, so x must be read back after poke. (Today a recording that meets a
    // fallback aborts, as a guard follows its call; `residual` counts any frame handed to a
    // helper as captured all the same.)
    const file = programFiles({
      Main: `Main = (
        | saved |
        saved: b = ( saved := b )
        poke = ( 1 to: 1 do: [ :k | saved isNil ifFalse: [ saved value ] ] )
        check: c = ( | x | x := 1. c ifTrue: [ x := x + 10 ]. self poke. saved := nil. ^ x )
        run = ( | t s | t := 0. s := Saver new. s main: self.
          1 to: 400 do: [ :i | t := t + (self check: (i > 200 ifTrue: [ s ] ifFalse: [ true ])) ].
          t println ) )`,
      Saver: `Saver = ( | main | main: m = ( main := m ) ifTrue: blk = ( main saved: blk ) )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${400 * 11}\n`);
    for (const threshold of [1, 3, 20]) {
      expect(
        runProgram(file, 'tier2', { tier2Threshold: threshold, tier2EntryThreshold: threshold, bridgeThreshold: 1 }),
      ).toEqual(oracle);
      expect(runProgram(file, 'multi', { tier2Threshold: threshold, tier2EntryThreshold: threshold })).toEqual(oracle);
    }
  });
});
