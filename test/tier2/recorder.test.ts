/**
 * The trace recorder on real SOM loops (test/tier2/fixtures/RecorderFixture.som): the generated
 * recorders (generated/tracer.js) run from a loop header through one iteration, driven by
 * runtime/tier2/recorder.ts. Checked: the trace's shape (test_ajit.py style: operation counts,
 * no dispatch or bytecode reads), that recording changes nothing the program does, and that
 * the trace, optimised and compiled with the SOM heap model, entered at the header, gives the
 * interpreter's result, leaving through a guard and resumeAfterExit when the loop ends.
 *
 * The loop header is reached the way the runtime will reach it: the interpreter's back-edge
 * hook (tier-hooks.ts), installed here for the test, takes over at the first back-edge.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { interpret } from '../../interpreter/interpreter.ts';
import { sendMessage } from '../../interpreter/invoke.ts';
import type { SomClass } from '../../interpreter/model/class.ts';
import type { Frame } from '../../interpreter/model/frame.ts';
import type { SomMethod } from '../../interpreter/model/method.ts';
import { SomDouble, SomObject, type SomValue } from '../../interpreter/model/objects.ts';
import { INTERPRETER_ONLY, NO_OSR, installTierHooks, tiers } from '../../interpreter/tier-hooks.ts';
import { Universe } from '../../interpreter/universe.ts';
import type { IrOp } from '../../runtime/ir/ops.ts';
import { printTrace } from '../../runtime/ir/printer.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { optimize } from '../../runtime/opt/pipeline.ts';
import { defaultParams } from '../../runtime/params.ts';
import { configureTiers } from '../../runtime/tier-manager.ts';
import { compileTrace } from '../../runtime/tier2/backend.ts';
import { resumeAfterExit } from '../../runtime/tier2/deopt.ts';
import { type RecordingOutcome, recordLoop, traceInputs } from '../../runtime/tier2/recorder.ts';
import { SomHeap } from '../../runtime/tier2/som-heap.ts';
import { type CompiledTrace, runTrace } from '../../runtime/tier2/trace-code.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

let u: Universe;
let heap: SomHeap;
let fixture: SomClass;

beforeAll(() => {
  configureTiers({ mode: 'interp', params: defaultParams() });
  u = new Universe({
    classpath: [FIXTURES, 'Smalltalk'],
    output: { writeOut: () => undefined, writeErr: () => undefined },
    maxStackDepth: 1000,
  });
  u.bootstrap();
  heap = new SomHeap();
  const cls = u.resolveClass(u.symbol('RecorderFixture'));
  if (cls === null) throw new Error('no RecorderFixture');
  fixture = cls;
});

const hooks = tiers;
afterEach(() => installTierHooks(hooks));

function call(selector: string, args: SomValue[]): SomValue {
  return sendMessage(u.entryFrame(), new SomObject(fixture, fixture.numInstanceFields), u.symbol(selector), args);
}

/**
 * Runs `selector` with a back-edge hook that, at the first back-edge of the fixture's method,
 * calls `atHeader(frame, pc)` and answers what it answers as the activation's result.
 */
function runWithHeaderHook(
  selector: string,
  args: SomValue[],
  atHeader: (frame: Frame, pc: number) => SomValue,
): SomValue {
  let taken = false;
  installTierHooks({
    ...INTERPRETER_ONLY,
    backEdge: (method: SomMethod, pc: number, frame: Frame) => {
      if (taken || method.holder !== fixture) return NO_OSR;
      taken = true;
      return atHeader(frame, pc);
    },
  });
  return call(selector, args);
}

/** Continues `frame` in the interpreter at `pc` and answers the activation's result. */
function interpretFrom(frame: Frame, pc: number): SomValue {
  frame.pc = pc;
  return interpret(frame);
}

/** Records the loop at its first back-edge, then goes on in the interpreter; answers both. */
function recordAndContinue(
  selector: string,
  args: SomValue[],
  maxInlineDepth?: number,
): { outcome: RecordingOutcome; result: SomValue } {
  let outcome: RecordingOutcome | null = null;
  const result = runWithHeaderHook(selector, args, (frame, pc) => {
    outcome = recordLoop(frame, pc, { heap, limit: 1000, maxInlineDepth });
    if (outcome.kind === 'threw') throw outcome.exception;
    if (outcome.kind === 'returned' || outcome.kind === 'finished') return outcome.value as SomValue;
    return interpretFrom(frame, outcome.pc);
  });
  return { outcome: outcome!, result };
}

function closedTrace(outcome: RecordingOutcome): Trace {
  if (outcome.kind !== 'closed') throw new Error(`the recording did not close: ${JSON.stringify(outcome)}`);
  return outcome.trace;
}

/** A result in a comparable form (a Double by its value). */
function show(value: SomValue): unknown {
  return value instanceof SomDouble ? { double: value.value } : value;
}

function opCounts(trace: Trace): Partial<Record<IrOp, number>> {
  const counts: Partial<Record<IrOp, number>> = {};
  for (const instruction of trace.ops) counts[instruction.op] = (counts[instruction.op] ?? 0) + 1;
  return counts;
}

describe('recording a loop', () => {
  it('records a to:do: loop as integer operations on the virtual frame', () => {
    const { outcome, result } = recordAndContinue('sumTo:', [100]);
    expect(result).toBe(5050);
    const trace = closedTrace(outcome);
    expect(verify(trace)).toEqual([]);
    const text = printTrace(trace);
    // The loop test (guarded), sum + i, i + 1 (toDoIncrement's own check that i + 1 stays a
    // small Integer is the second guard_true); no dispatch, no bytecode or frame-slot traffic.
    expect(opCounts(trace)).toMatchObject({ int_le: 1, int_add_ovf: 2, guard_true: 2, jump: 1 });
    expect(text).not.toMatch(/getarrayitem|setarrayitem|code|call/);
  });
});

/** The loop of `selector` recorded on `args`, optimised and compiled. */
function compiledLoop(selector: string, args: SomValue[]): CompiledTrace {
  const trace = closedTrace(recordAndContinue(selector, args).outcome);
  return compileTrace(optimize(trace), heap, { iterationLimit: 100_000 });
}

/** Runs `selector` on `args`, entering `compiled` at the first back-edge; answers the result and the exits taken. */
function runThroughTrace(
  compiled: CompiledTrace,
  selector: string,
  args: SomValue[],
): { result: SomValue; exits: number } {
  let exits = 0;
  const result = runWithHeaderHook(selector, args, (frame) => {
    const outcome = runTrace(compiled, traceInputs(frame));
    if (outcome.kind !== 'exit') throw new Error(`the trace ended with ${outcome.kind}`);
    exits++;
    return resumeAfterExit(heap, frame, outcome.frames);
  });
  return { result, exits };
}

describe('running a recorded trace', () => {
  it('gives the interpreter result for a to:do: loop, leaving when the loop ends', () => {
    const compiled = compiledLoop('sumTo:', [100]);
    for (const n of [1, 2, 10, 1000]) {
      const run = runThroughTrace(compiled, 'sumTo:', [n]);
      expect(run.result).toBe((n * (n + 1)) / 2);
      expect(run.exits).toBe(1);
    }
  });
});

describe('a whileTrue: loop with an ifTrue: inside', () => {
  it('records the branch taken as a guard and leaves the trace when it goes the other way', () => {
    const { outcome, result } = recordAndContinue('count:below:', [20, 10]);
    expect(result).toBe(10);
    const trace = closedTrace(outcome);
    // i < n and i < limit (both taken: guard_true), count + 1 and i + 1.
    expect(opCounts(trace)).toMatchObject({ int_lt: 2, int_add_ovf: 2, jump: 1 });
    // A conditional jump's test of a Boolean is a guard on it, not a comparison of refs.
    expect(printTrace(trace)).not.toMatch(/getarrayitem|setarrayitem|call|ref_eq|bool_to_ref/);
    const compiled = compileTrace(optimize(trace), heap, { iterationLimit: 100_000 });
    for (const [n, limit] of [
      [20, 10],
      [5, 10],
      [100, 0],
      [3, 3],
    ] as const) {
      expect(runThroughTrace(compiled, 'count:below:', [n, limit]).result).toBe(call('count:below:', [n, limit]));
    }
  });
});

describe('a send the interpreter does not inline', () => {
  it('is a residual call of the real invoke path; the trace around it keeps the frame in memory', () => {
    const { outcome, result } = recordAndContinue('digitCount:', [10]);
    expect(result).toBe(call('digitCount:', [10]));
    const trace = closedTrace(outcome);
    expect(opCounts(trace)).toMatchObject({ call: 1 });
    const compiled = compileTrace(optimize(trace), heap, { iterationLimit: 100_000 });
    for (const n of [1, 7, 30])
      expect(runThroughTrace(compiled, 'digitCount:', [n]).result).toBe(call('digitCount:', [n]));
  });
});

describe('a send to an instance of a user class', () => {
  it("records the lookup's read of the receiver's class as a class guard, and the send as a call", () => {
    const { outcome, result } = recordAndContinue('advanceCounter:', [10], 0);
    expect(result).toBe(30);
    const trace = closedTrace(outcome);
    expect(verify(trace)).toEqual([]);
    expect(opCounts(trace)).toMatchObject({ guard_class: 1, call: 1 });
    expect(printTrace(trace)).toMatch(/guard_class[^\n]*RecorderCounter/);
    const compiled = compileTrace(optimize(trace), heap, { iterationLimit: 100_000 });
    for (const n of [1, 7, 30]) {
      const run = runThroughTrace(compiled, 'advanceCounter:', [n]);
      expect(run.result).toBe(3 * n);
      expect(run.exits).toBe(1);
    }
  });
});

describe('a send inlined', () => {
  it("follows the send into the callee's bytecode: its addition and field read are in the trace, no call", () => {
    const { outcome, result } = recordAndContinue('advanceCounter:', [10]);
    expect(result).toBe(30);
    const trace = closedTrace(outcome);
    expect(verify(trace)).toEqual([]);
    const counts = opCounts(trace);
    expect(counts).toMatchObject({ guard_class: 1 });
    expect(counts.call).toBeUndefined();
    // Two additions per iteration: the loop counter's and `x + step` of the inlined advance:.
    expect(counts.int_add_ovf).toBe(2);
    const compiled = compileTrace(optimize(trace), heap, { iterationLimit: 100_000 });
    for (const n of [1, 7, 30]) {
      const run = runThroughTrace(compiled, 'advanceCounter:', [n]);
      expect(run.result).toBe(3 * n);
      expect(run.exits).toBe(1);
    }
  });
});

describe('a loop on Doubles', () => {
  it('records float arithmetic on the unboxed values and a new box per iteration', () => {
    const { outcome, result } = recordAndContinue('halves:', [10]);
    expect(show(result)).toEqual({ double: 5 });
    const trace = closedTrace(outcome);
    expect(opCounts(trace)).toMatchObject({ float_add: 1, new_struct: 1, guard_class: 1 });
    const compiled = compileTrace(optimize(trace), heap, { iterationLimit: 100_000 });
    for (const n of [1, 3, 40]) {
      expect(show(runThroughTrace(compiled, 'halves:', [n]).result)).toEqual({ double: n / 2 });
    }
  });
});

describe('aborting', () => {
  it('stops a recording longer than the limit, with that reason', () => {
    const result = runWithHeaderHook('sumTo:', [20], (frame, pc) => {
      const outcome = recordLoop(frame, pc, { heap, limit: 4 });
      expect(outcome).toEqual({ kind: 'aborted', reason: 'longer than 4 instructions', pc: expect.any(Number) });
      return interpretFrom(frame, (outcome as { pc: number }).pc);
    });
    expect(result).toBe(210);
  });

  it("records an outer variable of a block as a load and store of its defining frame's slots", () => {
    const { outcome, result } = recordAndContinue('outerSum:', [10]);
    expect(result).toBe(45);
    const trace = closedTrace(outcome);
    expect(verify(trace)).toEqual([]);
    const text = printTrace(trace);
    // `sum` lives in the method's frame, outside the trace's levels: read through Frame.outer.
    expect(text).toMatch(/getfield [^\n]*Frame\.outer/);
    expect(opCounts(trace)).toMatchObject({ setarrayitem: expect.any(Number) as number });
  });
});

describe('recording never changes what the program does', () => {
  const cases: [string, SomValue[]][] = [
    ['sumTo:', [50]],
    ['count:below:', [30, 12]],
    ['digitCount:', [25]],
    ['halves:', [9]],
    ['outerSum:', [7]],
  ];
  it.each(cases)('%s gives the interpreter result whether the recording closes or aborts', (selector, args) => {
    const expected = show(call(selector, args));
    expect(show(recordAndContinue(selector, args).result)).toEqual(expected);
    for (const limit of [1, 3, 5]) {
      let outcome: RecordingOutcome | null = null;
      const result = runWithHeaderHook(selector, args, (frame, pc) => {
        outcome = recordLoop(frame, pc, { heap, limit });
        if (outcome.kind === 'threw') throw outcome.exception;
        if (outcome.kind === 'returned' || outcome.kind === 'finished') return outcome.value as SomValue;
        return interpretFrom(frame, outcome.pc);
      });
      expect(show(result)).toEqual(expected);
      expect(outcome).toMatchObject({ kind: 'aborted' });
    }
  });
});

/** The optimised loop body: the instructions after the label. */
function loopBody(trace: Trace): Trace['ops'] {
  expect(trace.labelIndex).toBeGreaterThanOrEqual(0);
  return trace.ops.slice(trace.labelIndex + 1);
}

describe('the optimised loop body', () => {
  it('carries integer frame slots as ints: no ref_to_int after the label', () => {
    for (const [selector, args] of [
      ['sumTo:', [100]],
      ['count:below:', [20, 10]],
    ] as [string, SomValue[]][]) {
      const optimized = optimize(closedTrace(recordAndContinue(selector, args).outcome));
      const label = optimized.ops[optimized.labelIndex];
      expect(label?.params.map((param) => optimized.kindOf(param))).not.toContain('ref');
      expect(loopBody(optimized).map((instruction) => instruction.op)).not.toContain('ref_to_int');
    }
  });

  it('keeps a Double carried round the loop unboxed: no allocation after the label', () => {
    const optimized = optimize(closedTrace(recordAndContinue('halves:', [10]).outcome));
    const label = optimized.ops[optimized.labelIndex];
    const kinds = label?.params.map((param) => optimized.kindOf(param));
    expect(kinds).toContain('float');
    expect(kinds).not.toContain('ref');
    expect(loopBody(optimized).map((instruction) => instruction.op)).not.toContain('new_struct');
  });
});
