/**
 * `expectOptimized(pass, before, after)`: the optimiser tests' one assertion, in the style of
 * PyPy's test_optimizeopt.py. Both traces are written in the IR text form (runtime/ir/parser.ts)
 * over the fake heap's labels (test/ir/fake-heap.ts). The pass runs on `before`; its result
 * must be well formed (verify.ts) and must print exactly as `after` does once parsed and
 * printed again, so the expected text may be written with any spacing, but its values must be
 * numbered as the pass numbers them (densely, in definition order: inputs first).
 *
 * With `{ differential: inputs }` the reference evaluator also runs both traces on each input
 * vector and requires the same outcome (result values or exit, with live values), so a test
 * checks the meaning of the rewrite as well as its shape.
 */
import { expect } from 'vitest';
import { evaluate } from '../../runtime/ir/evaluator.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import { printTrace } from '../../runtime/ir/printer.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { verify } from '../../runtime/ir/verify.ts';
import { makeFakeHeap, type FakeHeap } from '../ir/fake-heap.ts';

export type TracePass = (trace: Trace) => Trace;

/** Inputs for one evaluator run, or a function making fresh ones for each run. */
export type InputVector = readonly unknown[] | (() => readonly unknown[]);

export interface ExpectOptions {
  /**
   * Input vectors to run before and after through the reference evaluator; a function makes a
   * fresh vector for each run (for traces that write into their input objects).
   */
  readonly differential?: readonly InputVector[];
  /** Loop iterations the evaluator allows before it stops a run (default 100). */
  readonly maxIterations?: number;
}

/** One fake heap for all optimiser tests: labels resolve to the same objects in every trace. */
export const fake: FakeHeap = makeFakeHeap();

export function parse(text: string): Trace {
  return parseTrace(dedent(text), fake.registry);
}

export function expectOptimized(pass: TracePass, before: string, after: string, options: ExpectOptions = {}): Trace {
  const input = parse(before);
  const output = pass(input);
  expect(verify(output)).toEqual([]);
  expect(printTrace(output)).toBe(printTrace(parse(after)));
  for (const inputs of options.differential ?? []) {
    const expected = outcome(input, inputs, options);
    expect(outcome(output, inputs, options)).toEqual(expected);
  }
  return output;
}

/**
 * What a run of `trace` shows the VM: how it left (kind, values or exit frames) and what its
 * residual calls logged. Not the snapshot id or guard index, which a rewrite renumbers.
 */
function outcome(trace: Trace, inputs: InputVector, options: ExpectOptions): unknown {
  fake.reset();
  const vector = typeof inputs === 'function' ? inputs() : inputs;
  const result = evaluate(trace, vector, fake.heap, { maxIterations: options.maxIterations ?? 100 });
  const shown: Record<string, unknown> = { ...result, log: [...fake.log] };
  delete shown.snapshot;
  delete shown.guard;
  return shown;
}

/** The pass must leave the trace as it is (a case where it must do nothing). */
export function expectUnchanged(pass: TracePass, text: string, options: ExpectOptions = {}): Trace {
  return expectOptimized(pass, text, text, options);
}

/** The text of a bridge trace `Loop>>run` with these inputs (`i0 f1`) and lines, one per argument. */
export function bridge(inputs: string, ...lines: readonly string[]): string {
  return ['trace bridge Loop>>run', `  in  ${inputs}`, ...lines.map((line) => `  ${line}`)].join('\n') + '\n';
}

/** Removes the common leading indentation, so traces can be written indented in tests. */
function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = Math.min(...indents);
  return lines.map((l) => l.slice(cut)).join('\n');
}
