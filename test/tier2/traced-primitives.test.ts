/**
 * Traced primitives (interpreter/primitives/traced.ts) on real SOM programs: a send of
 * `Array>>at:`, `at:put:`, `length`, `Array class>>new:`, `Object>>==`, `String>>=`, `String>>length`,
 * `primSubstringFrom:to:`, `Class>>new`, `Integer>>&`, `bitXor:`, `%`, `/`, `rem:`, `Double>>//` or `sqrt` inside a traced loop
 * becomes the primitive's own operations in the trace (its generated twin ran), not a call; and every way the primitive can
 * go otherwise still behaves as in the interpreter: an index out of range (the error and the
 * backtrace), a receiver that is no Array, and a store into a class's method array, which
 * changes what the class's instances do next.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mode } from '../../runtime/modes.ts';
import type { RunResult } from '../../runtime/vm.ts';
import { eventsOf, interpreted, programFiles, runLogged, runProgram } from './program-dir.ts';

function mainProgram(run: string, helpers = ''): string {
  return programFiles({ Main: `Main = ( run = ( ${run} ) ${helpers} )` });
}

/** The optimised IR of the traces of `Main>>run`'s loops, from a `--dump-traces` directory. */
function optimisedIrOfRun(dir: string): string {
  const dumps = readdirSync(dir)
    .filter((f) => f.includes('Main_run'))
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  return dumps.map((d) => d.slice(d.indexOf('== IR after optimisation'), d.indexOf('== side exits'))).join('\n');
}

/**
 * Runs `file` in tier2 (loops traced after 3 back-edges, traces dumped) and, under stress (a
 * trace and a bridge at once), in each of `stressModes`: each run must give the interpreter's
 * `oracle`. Answers the optimised IR of `Main>>run`'s traces from the first run.
 */
function tracedAsInterpreted(file: string, oracle: RunResult, stressModes: readonly Mode[]): string {
  const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-prim-'));
  const { run } = runLogged(file, 'tier2', { tier2Threshold: 3 }, { dumpTraces });
  expect(run).toEqual(oracle);
  for (const mode of stressModes)
    expect(runProgram(file, mode, { tier2Threshold: 1, bridgeThreshold: 1 })).toEqual(oracle);
  return optimisedIrOfRun(dumpTraces);
}

/**
 * A loop that adds up `sum` for i from 1 to 3000, with x and d in scope: negative operands and
 * divisors (d from -3 to 3, never 0), receivers beyond 2^53 from i = 2000 on (calls), then at
 * i = 2900 `byDouble` (a Double divisor), and at i = 2950 (after printing h) `byZero`, which
 * ends the run with its error.
 */
function divisionLoop(sum: string, byDouble: string, byZero: string): string {
  return mainProgram(`| h big |
      h := 0. big := 1 << 70.
      1 to: 3000 do: [ :i | | d x |
        d := (i rem: 7) - 3.
        d = 0 ifTrue: [ d := 5 ].
        x := i < 2000 ifTrue: [ i * 37 - 40000 ] ifFalse: [ big - i ].
        h := h + ${sum}.
        i = 2900 ifTrue: [ h := h + ${byDouble} ].
        i = 2950 ifTrue: [ h println. h := h + ${byZero} ] ].
      h println`);
}

describe('traced Array primitives', () => {
  it('become loads, stores and guards in the trace, with the interpreter result', () => {
    const file = mainProgram(`| a sum |
      a := Array new: 100.
      1 to: a length do: [ :i | a at: i put: i * 2 ].
      sum := 0.
      1 to: 2000 do: [ :i | sum := sum + (a at: i % a length + 1) ].
      sum println`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${(20 * 101 * 100) / 1}\n`);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-prim-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3 }, { dumpTraces });
    expect(run).toEqual(oracle);
    expect(eventsOf(events, 'trace-compile', 'Main>>run').length).toBeGreaterThan(0);
    const ir = optimisedIrOfRun(dumpTraces);
    expect(ir).toMatch(/getarrayitem/);
    expect(ir).toMatch(/arraylen/);
    expect(ir).not.toMatch(/Array>>at:|Array>>length/);
  });

  it('make Array class>>new: an allocation the optimiser removes when the array does not escape', () => {
    // Arrays of a length that varies (0 to 6, escaping into the loop's variable) and of a
    // constant length (removed); then the error of a negative length, as in the interpreter.
    const file = mainProgram(`| total a |
      total := 0.
      1 to: 3000 do: [ :i | | b |
        a := Array new: i % 7.
        b := Array new: 3.
        b at: 1 put: a length.
        a length > 0 ifTrue: [ a at: 1 put: i ].
        total := total + (b at: 1) + (a length > 0 ifTrue: [ a at: 1 ] ifFalse: [ 0 ]).
        (b at: 2) isNil ifFalse: [ total := 0 ] ].
      total println.
      (Array new: 0) length println.
      1 to: 3 do: [ :i | (Array new: i - 2) length println ]`);
    // total: the sum over i of i % 7, plus i where i % 7 > 0.
    let total = 0;
    for (let i = 1; i <= 3000; i++) total += (i % 7) + (i % 7 > 0 ? i : 0);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${total}\n0\n`);
    expect(oracle.stderr).toContain('Cannot create an Array of negative length -1.');
    const ir = tracedAsInterpreted(file, oracle, ['tier2', 'multi']);
    expect(ir).not.toMatch(/Array class>>new:/);
    // In the loop's trace, `a` is a new_array (it is live across the back-edge); `b` is gone.
    const loop = ir.split('== IR after optimisation').find((t) => t.includes('trace loop'))!;
    expect(loop).toMatch(/new_array +i\d+/);
    expect(loop).not.toMatch(/new_array +#3/);
  });

  it('make Object>>== a comparison in the trace, by value for numbers', () => {
    const file = mainProgram(`| a hits |
      a := Array new: 10.
      a at: 3 put: 3. a at: 5 put: 'x'. a at: 7 put: 2.5.
      hits := 0.
      1 to: 3000 do: [ :i | | e |
        e := a at: i % 10 + 1.
        (e == nil) ifFalse: [ hits := hits + 1 ].
        (e == 3) ifTrue: [ hits := hits + 100 ].
        (e == 2.5) ifTrue: [ hits := hits + 10000 ] ].
      hits println`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${300 * 3 + 300 * 100 + 300 * 10000}\n`);
    const ir = tracedAsInterpreted(file, oracle, ['tier2']);
    expect(ir).not.toMatch(/Object>>==/);
  });

  it('make String>>= and String>>length class tests, comparisons and lengths in the trace', () => {
    const file = mainProgram(`| words n |
      words := Array new: 4.
      words at: 1 put: 'abc'. words at: 2 put: 'abcd'. words at: 3 put: #abcd. words at: 4 put: ('ab' concatenate: 'c').
      n := 0.
      1 to: 2000 do: [ :i | | w |
        w := words at: i % 4 + 1.
        (w = 'abc') ifTrue: [ n := n + 1 ].
        n := n + w length ].
      n println`);
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${500 * (2 + 3 + 4 + 4 + 3)}\n`);
    const ir = tracedAsInterpreted(file, oracle, ['tier2']);
    expect(ir).not.toMatch(/String>>=|String>>length/);
  });

  it('make Class>>new an allocation the optimiser removes when the instance does not escape', () => {
    const file = programFiles({
      Main: `Main = ( run = ( | sum classes |
        sum := 0.
        1 to: 3000 do: [ :i | | p | p := Pair new. p left: i. p right: 2. sum := sum + p left + p right ].
        classes := Array new: 2. classes at: 1 put: Pair. classes at: 2 put: Other.
        1 to: 3000 do: [ :i | sum := sum + (classes at: i % 2 + 1) new tag ].
        sum println ) )`,
      Pair: `Pair = ( | left right | left = ( ^left ) right = ( ^right ) left: x = ( left := x ) right: x = ( right := x ) tag = ( ^1 ) )`,
      Other: `Other = ( | a b c | tag = ( ^10 ) )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${(3000 * 3001) / 2 + 3000 * 2 + 1500 * 11}\n`);
    const dumpTraces = mkdtempSync(join(tmpdir(), 'som-t2-prim-'));
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 3 }, { dumpTraces });
    expect(run).toEqual(oracle);
    // Both loops are traced: `new` promotes its receiver, so a class read from an array is a
    // constant of the trace (guarded) too.
    expect(eventsOf(events, 'trace-abort', 'Main>>run')).toEqual([]);
    expect(eventsOf(events, 'trace-compile', 'Main>>run').length).toBeGreaterThanOrEqual(2);
    const ir = optimisedIrOfRun(dumpTraces);
    expect(ir).not.toMatch(/Class>>new/);
    // The first loop's Pair lives in IR values: no allocation is left in its trace.
    const firstLoop = ir.split('== IR after optimisation').find((t) => /Pair/.test(t) && !/Other/.test(t));
    expect(firstLoop).toBeDefined();
    expect(firstLoop).not.toMatch(/new_struct|new_array/);
    expect(runProgram(file, 'tier2', { tier2Threshold: 1, bridgeThreshold: 1 })).toEqual(oracle);
  });

  it('make Integer>>& and bitXor: int32 operations in the trace, exact beyond 32 bits', () => {
    const file = mainProgram(`| h big |
      h := 0. big := 1 << 40.
      1 to: 3000 do: [ :i | | x |
        x := i < 2500 ifTrue: [ i * 2654435 ] ifFalse: [ big + i ].
        h := (h bitXor: (x & 16777215)) + (x & -8) % 1000000007 ].
      h println`);
    const oracle = interpreted(file);
    expect(oracle.exitCode).toBe(0);
    const ir = tracedAsInterpreted(file, oracle, ['tier2']);
    expect(ir).toMatch(/int_and/);
    expect(ir).not.toMatch(/Integer>>&|Integer>>bitXor:/);
  });

  it('make Integer>>% a remainder in the trace, floored and exact for every operand', () => {
    const file = divisionLoop('(x % d) + (i % 13)', '(i % 2.5)', '(i % (i - i))');
    const oracle = interpreted(file);
    expect(oracle.stderr).toContain('Division by zero');
    const ir = tracedAsInterpreted(file, oracle, ['tier2', 'multi']);
    expect(ir).toMatch(/int_rem/);
    expect(ir).not.toMatch(/Integer>>%/);
  });

  it('make Integer>>/ and rem: a float division, a checked truncation and a remainder in the trace', () => {
    const file = divisionLoop('(x / d) + (x rem: d) + (i / 13)', '(i / 2.5)', '(i / (i - i))');
    // The same sum in BigInts, whose / and % truncate as SOM's / and rem: do.
    let h = 0n;
    for (let i = 1n; i <= 2950n; i++) {
      const d = i % 7n === 3n ? 5n : (i % 7n) - 3n;
      const x = i < 2000n ? i * 37n - 40000n : (1n << 70n) - i;
      h += x / d + (x % d) + i / 13n + (i === 2900n ? 1160n : 0n);
    }
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${h}\n`);
    expect(oracle.stderr).toContain('Division by zero.');
    const ir = tracedAsInterpreted(file, oracle, ['tier2', 'multi']);
    expect(ir).toMatch(/float_to_int/);
    expect(ir).toMatch(/int_rem/);
    expect(ir).not.toMatch(/Integer>>\/|Integer>>rem:/);
  });

  it('make String>>primSubstringFrom:to: (and so charAt:) a slice and a fresh String in the trace', () => {
    // Characters of a String and a Symbol, the empty range (end = start - 1), a big index's
    // error, and in the end an index out of range: each as in the interpreter.
    const file = mainProgram(`| s sym n out |
      s := 'a,bc,,d"e'. sym := #abcdef. n := 0. out := ''.
      1 to: 3000 do: [ :i | | c |
        c := s charAt: i % s length + 1.
        c = ',' ifTrue: [ n := n + 1 ].
        n := n + (sym charAt: i % 6 + 1) length + (s primSubstringFrom: 3 to: 2) length.
        i > 2990 ifTrue: [ out := out + c + (sym primSubstringFrom: 2 to: i % 4 + 2) ] ].
      n println. out println. (s primSubstringFrom: 1 to: 1 << 70) println`);
    const oracle = interpreted(file);
    // n: a comma at 1000 of the 3000 indices, plus one per character of the Symbol.
    expect(oracle.stdout).toBe('4000\ncbcde,b,bcdbcd"bcdeebabc,bcdbbcdecb\n');
    expect(oracle.stderr).toContain('Attempting to index string out of its bounds');
    const ir = tracedAsInterpreted(file, oracle, ['tier2', 'multi']);
    expect(ir).toMatch(/call_pure +#local\$sliceOf/);
    expect(ir).not.toMatch(/primSubstringFrom:to:/);
  });

  it('make Double>>// and sqrt float operations in the trace, with IEEE results and the same errors', () => {
    // Doubles divided by Doubles and by big Integers (a call), square roots of negatives, a
    // division by zero, and in the end a String divisor's error.
    const file = mainProgram(`| d big |
      d := 0.0. big := 1 << 70.
      1 to: 3000 do: [ :i | | x |
        x := i < 2000 ifTrue: [ i // 7 ] ifFalse: [ (i * 1.5) // (i < 2900 ifTrue: [ 2.5 ] ifFalse: [ big ]) ].
        d := d + x + (i * 1.0) sqrt.
        i = 2950 ifTrue: [ (0.0 - 4.0) sqrt println. (0.0 // 0) println. (1.0 // 0) println ].
        i = 2990 ifTrue: [ d println. d := d // 'abc' ] ].
      d println`);
    const oracle = interpreted(file);
    // d: the sum over i of i / 7 (Integer>>// answers a Double), i * 1.5 / 2.5 or / 2^70, and
    // the square root of i, summed in this order in JS doubles.
    expect(oracle.stdout).toBe('NaN\nNaN\ninf\n1717325.8075263142\n');
    expect(oracle.stderr).toContain("Expected a numeric type but got type 'String'.");
    const ir = tracedAsInterpreted(file, oracle, ['tier2', 'multi']);
    expect(ir).toMatch(/float_sqrt/);
    expect(ir).toMatch(/float_div/);
    expect(ir).not.toMatch(/Double>>sqrt|Double>>\/\//);
  });

  it('leave the trace for an index out of range, with the error and backtrace of the interpreter', () => {
    const file = mainProgram(
      `| a | a := Array new: 50 withAll: 1. ^ self fill: a upTo: 51`,
      `fill: a upTo: n = ( 1 to: n do: [ :i | a at: i put: (a at: i) + 1 ] )`,
    );
    const oracle = interpreted(file);
    expect(oracle.stderr).toContain('Index 51 not valid for array of length 50.');
    expect(runProgram(file, 'tier2', { tier2Threshold: 3 })).toEqual(oracle);
    expect(runProgram(file, 'multi', { tier1Threshold: 0, tier2Threshold: 3 })).toEqual(oracle);
  });

  it('leave the trace when the receiver or the index is of another kind', () => {
    const file = mainProgram(
      `| arrays out |
      arrays := Array new: 300.
      1 to: 300 do: [ :i | arrays at: i put: (i < 250 ifTrue: [ Array new: 3 withAll: i ] ifFalse: [ 'abc' ]) ].
      out := 0.
      1 to: 300 do: [ :i | out := out + ((arrays at: i) at: (i < 280 ifTrue: [ 2 ] ifFalse: [ 2.0 ])) length ].
      out println`,
    );
    const oracle = interpreted(file);
    expect(oracle.exitCode).not.toBe(0);
    expect(runProgram(file, 'tier2', { tier2Threshold: 3 })).toEqual(oracle);
  });

  it('store into a class method array from a traced loop: the class answers the new method', () => {
    // The loop stores a method of Other into Main's method array (the same at:put: site as
    // the stores into an ordinary array); `answer` must change at once, in every mode.
    const file = programFiles({
      Main: `Main = (
        answer = ( ^1 )
        indexOfAnswer = (
          1 to: Main methods length do: [ :k | (Main methods at: k) signature = #answer ifTrue: [ ^k ] ].
          ^0 )
        run = ( | targets arrays plain total |
          plain := Array new: 2.
          total := 0.
          1 to: 200 do: [ :i |
            | target index |
            target := i = 150 ifTrue: [ Main methods ] ifFalse: [ plain ].
            index := i = 150 ifTrue: [ self indexOfAnswer ] ifFalse: [ 1 ].
            target at: index put: (i = 150 ifTrue: [ Other methods at: 1 ] ifFalse: [ i ]).
            total := total + self answer ].
          total println )
      )`,
      Other: `Other = ( answer = ( ^1000 ) )`,
    });
    const oracle = interpreted(file);
    expect(oracle.stdout).toBe(`${149 + 51 * 1000}\n`);
    for (const mode of ['tier2', 'multi'] as const) {
      expect(runProgram(file, mode, { tier1Threshold: 0, tier2Threshold: 3 })).toEqual(oracle);
    }
  });
});
