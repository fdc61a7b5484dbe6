/**
 * The trace budget (runtime/tier2/trace-budget.ts, `--trace-budget`, `--trace-budget-burst`):
 * the bucket's arithmetic on a clock of the test's own, and on a SOM program in `multi` and
 * `tier2`: recordings put off while the budget has no time, with the interpreter's output.
 */
import { describe, expect, it } from 'vitest';
import { TraceBudget } from '../../runtime/tier2/trace-budget.ts';
import { traceStatistics } from '../../runtime/tier2/trace-runtime.ts';
import { interpreted, programFiles, runLogged } from './program-dir.ts';

/** A clock the test moves by hand (µs). */
function manualClock(): { now: () => number; advance: (micros: number) => void } {
  let time = 1_000;
  return { now: () => time, advance: (micros) => (time += micros) };
}

/**
 * Spends `micros` from `budget` and checks it refuses until `repaidAfter` µs have passed (it
 * still refuses a little before, allows a little after).
 */
function expectRepaidAfter(
  budget: TraceBudget,
  clock: ReturnType<typeof manualClock>,
  micros: number,
  repaidAfter: number,
): void {
  budget.spend(micros);
  clock.advance(repaidAfter * 0.95);
  expect(budget.allows()).toBe(false);
  clock.advance(repaidAfter * 0.1);
  expect(budget.allows()).toBe(true);
}

describe('the trace budget', () => {
  it('never refuses at 100%, however much was spent', () => {
    const clock = manualClock();
    const budget = new TraceBudget(100, 0, clock.now);
    budget.spend(1e9);
    expect(budget.allows()).toBe(true);
  });

  it('starts with its burst, and after spending it waits until its share of the time repays it', () => {
    const clock = manualClock();
    const budget = new TraceBudget(10, 5_000, clock.now);
    expect(budget.allows()).toBe(true);
    // credit -2000 µs: at 10%, 20 ms of running pay it off
    expectRepaidAfter(budget, clock, 7_000, 20_000);
  });

  it('with no burst, lets a recording start whenever its debt is repaid', () => {
    // (Before, no burst meant no credit above 0 ever, and no recording at all.)
    const clock = manualClock();
    const budget = new TraceBudget(50, 0, clock.now);
    expect(budget.allows()).toBe(true);
    expectRepaidAfter(budget, clock, 1_000, 2_000);
  });

  it('holds no more credit than its burst, however long the JIT was idle', () => {
    const clock = manualClock();
    const budget = new TraceBudget(50, 1_000, clock.now);
    clock.advance(1_000_000);
    expect(budget.allows()).toBe(true);
    // 1000 at most accrued: -500, repaid after 1 ms at 50%
    expectRepaidAfter(budget, clock, 1_500, 1_000);
  });
});

/** `loops` methods, each with its own loop run `iterations` times, one after the other. */
function manyLoops(loops: number, iterations: number): string {
  const methods = Array.from(
    { length: loops },
    (_, k) =>
      `loop${k} = ( | sum | sum := 0. 1 to: ${iterations} do: [ :i | sum := sum + (i * ${k + 2}) - (i / 3) ]. ^sum )`,
  );
  const calls = Array.from({ length: loops }, (_, k) => `total := total + self loop${k}.`).join(' ');
  return programFiles({
    Main: `Main = (
      run = ( | total | total := 0. ${calls} total println )
      ${methods.join('\n      ')}
    )`,
  });
}

describe('a run with a trace budget', () => {
  for (const mode of ['multi', 'tier2'] as const) {
    it(`puts recordings off while it has no time (${mode}), with the interpreter's output`, () => {
      const file = manyLoops(12, 400);
      const free = runLogged(file, mode, { tier2Threshold: 10 });
      expect(free.run).toEqual(interpreted(file));
      expect(traceStatistics().deferred).toBe(0);
      const compiledFree = free.events.filter((e) => e.event === 'trace-compile').length;
      expect(compiledFree).toBeGreaterThanOrEqual(12);

      // 1% and no burst: the first trace at once, then each waits 100 times as long as the last took.
      const tight = runLogged(file, mode, { tier2Threshold: 10, traceBudget: 1, traceBudgetBurst: 0 });
      const deferred = traceStatistics().deferred;
      expect(tight.run).toEqual(interpreted(file));
      expect(deferred).toBeGreaterThan(0);
      expect(tight.events.filter((e) => e.event === 'trace-compile').length).toBeLessThan(compiledFree);
      expect(tight.events.filter((e) => e.event === 'trace-budget')).toEqual([
        expect.objectContaining({ event: 'trace-budget', deferred }),
      ]);
    });
  }
});
