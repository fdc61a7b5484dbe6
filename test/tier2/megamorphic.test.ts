/**
 * Megamorphic send sites (interpreter/handlers/sends.ts `send`, `SendSite.megamorphic`): a site
 * whose sends have found more different methods than `--megamorphic-methods` no longer
 * promotes the receiver's class, so a trace makes the send a call that looks its method up when
 * it runs (`lookupMegamorphic`) instead of a class guard, an exit and a bridge per class. The
 * interpreter's run of the same program is the oracle; the trace dumps and the jit log show
 * which way the send was traced.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsOf, interpreted, programFiles, PUT_METHOD, runLogged, runProgram } from './program-dir.ts';

const SHAPES = ['Sq', 'Ci', 'Tr', 'Re', 'Po'];

/**
 * `Main>>run` prints the sum of `weight` over 3000 objects: of the first `count` classes of
 * SHAPES (class i answers i) and an `Odd` object, which does not understand `weight` (its
 * doesNotUnderstand:arguments: answers 100), in turn (`Main>>sumOver:`, the loop). With `swap`,
 * it then stores `Heavy>>weight` (1000) into `Sq` and prints the sum again.
 */
function program(count: number, swap = false): string {
  const classes = SHAPES.slice(0, count);
  const fills = classes.map((c, i) => `objs at: ${i + 1} put: ${c} new.`).join(' ');
  return programFiles({
    Main: `Main = (
      run = ( | objs |
        objs := Array new: ${count + 1}.
        ${fills}
        objs at: ${count + 1} put: Odd new.
        (self sumOver: objs) println.
        ${swap ? 'self put: #weight of: Heavy into: Sq. (self sumOver: objs) println' : ''} )
      sumOver: objs = ( | t |
        t := 0.
        1 to: 3000 do: [ :i | t := t + (objs at: i % objs length + 1) weight ].
        ^t )
      ${swap ? PUT_METHOD : ''}
    )`,
    ...Object.fromEntries(classes.map((c, i) => [c, `${c} = ( weight = ( ^${i + 1} ) )`])),
    Odd: 'Odd = ( doesNotUnderstand: selector arguments: args = ( ^100 ) )',
    Heavy: 'Heavy = ( weight = ( ^1000 ) )',
  });
}

/** The optimised IR of the traces and bridges of `Main>>sumOver:` in a `--dump-traces` directory. */
function optimisedLoop(dir: string): string {
  return readdirSync(dir)
    .filter((f) => f.includes('Main_sumOver'))
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return text.slice(text.indexOf('== IR after optimisation'), text.indexOf('== side exits'));
    })
    .join('\n');
}

/** The expected sum: 3000 iterations over the classes (i answers i, Sq `first`) and Odd (100). */
function expectedSum(count: number, first = 1): number {
  let sum = 0;
  for (let i = 1; i <= 3000; i++) {
    const k = (i % (count + 1)) + 1;
    sum += k === 1 ? first : k <= count ? k : 100;
  }
  return sum;
}

describe('megamorphic send sites', () => {
  it('become calls that look the method up in the trace, with no guard and no bridge per class', () => {
    const file = program(5);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${expectedSum(5)}\n`);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-mega-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 20, bridgeThreshold: 2 }, { dumpTraces });
    expect(run).toEqual(oracle);
    const ir = optimisedLoop(dumpTraces);
    expect(ir).toMatch(/call_pure +#lookupMegamorphic/);
    expect(ir).not.toMatch(/guard_class .*#class\.(Sq|Ci|Tr|Re|Po|Odd)\b/);
    const bridges = eventsOf(events, 'bridge-compile', 'Main>>sumOver:').length;
    // Without the limit, the site guards on each class: a bridge per class the trace did not take.
    const guarded = runLogged(file, 'tier2', { tier2Threshold: 20, bridgeThreshold: 2, megamorphicMethods: 100 });
    expect(guarded.run).toEqual(oracle);
    expect(eventsOf(guarded.events, 'bridge-compile', 'Main>>sumOver:').length).toBeGreaterThanOrEqual(4);
    expect(bridges).toBeLessThan(2);
  });

  it('keep their class guards and inlined methods while they have seen few classes', () => {
    const file = program(2);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${expectedSum(2)}\n`);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-mega-'));
    const { run } = runLogged(file, 'tier2', { tier2Threshold: 20, bridgeThreshold: 2 }, { dumpTraces });
    expect(run).toEqual(oracle);
    const ir = optimisedLoop(dumpTraces);
    expect(ir).not.toMatch(/lookupMegamorphic/);
    expect(ir).toMatch(/guard_class .*#class\.(Sq|Ci|Odd)\b/);
  });

  it('keep their class guards when many classes share one method', () => {
    // Six classes, one `weight` (inherited from Shape): one method, so not megamorphic.
    const subclasses = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
    const file = programFiles({
      Main: `Main = (
        run = ( | objs t |
          objs := Array new: 6.
          ${subclasses.map((c, i) => `objs at: ${i + 1} put: ${c} new.`).join(' ')}
          t := 0.
          1 to: 3000 do: [ :i | t := t + (objs at: i % 6 + 1) weight ].
          t println )
      )`,
      Shape: 'Shape = ( weight = ( ^2 ) )',
      ...Object.fromEntries(subclasses.map((c) => [c, `${c} = Shape ( )`])),
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe('6000\n');
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-mega-'));
    const { run } = runLogged(file, 'tier2', { tier2Threshold: 20, bridgeThreshold: 2 }, { dumpTraces });
    expect(run).toEqual(oracle);
    const ir = readdirSync(dumpTraces)
      .map((f) => readFileSync(join(dumpTraces, f), 'utf8'))
      .join('\n');
    expect(ir).not.toMatch(/lookupMegamorphic/);
    expect(ir).toMatch(/guard_class .*#class\.S\d/);
  });

  it('drop the traces that look methods up when any method changes, and the new method runs', () => {
    const file = program(5, true);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${expectedSum(5)}\n${expectedSum(5, 1000)}\n`);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 20, bridgeThreshold: 2 });
    expect(run).toEqual(oracle);
    const dropped = eventsOf(events, 'invalidate', 'Main>>sumOver:');
    expect(dropped.map((e) => e.reason)).toContain('a method lookup changed');
  });

  it('give the interpreter output in every mode, under stress too', () => {
    const file = program(5);
    const oracle = interpreted(file);
    const stress = { tier2Threshold: 1, bridgeThreshold: 1, tier2EntryThreshold: 1, tier1Threshold: 1 };
    for (const mode of ['tier1', 'tier2', 'multi'] as const) {
      expect(runProgram(file, mode)).toEqual(oracle);
      expect(runProgram(file, mode, stress)).toEqual(oracle);
      expect(runProgram(file, mode, { ...stress, megamorphicMethods: 1 })).toEqual(oracle);
    }
  });
});
