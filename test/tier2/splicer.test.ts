/**
 * The backend lets values into the code only through jsLiteral (numbers, strings, booleans,
 * null, bigints) and the constant table (objects). Constants that would break naive splicing
 * (quotes, backticks and `${`, line and paragraph separators, a closing comment, negative
 * numbers, -0, NaN, the infinities, bigints) are put in every position a constant can take: an
 * operation's operand, guard_value's expected value, a snapshot slot, and the values handed out
 * by finish. The function must still parse, with and without comments, hold no raw line
 * terminator, and give back each value exactly (Object.is).
 */
import { describe, expect, it } from 'vitest';
import { FrameState } from '../../runtime/ir/snapshot.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import type { Operand } from '../../runtime/ir/types.ts';
import { compileTrace, emitTrace } from '../../runtime/tier2/backend.ts';
import { runTrace } from '../../runtime/tier2/trace-code.ts';
import { makeFakeHeap } from '../ir/fake-heap.ts';

const fake = makeFakeHeap();

const TRICKY_STRINGS = ['a"b', "it's", 'a\\b\\', '`${x}` ${', 'a\u2028b', 'a\u2029b', '\r\n', '*/ // <!--', ''];
const TRICKY_NUMBERS = [-1, -0, NaN, Infinity, -Infinity, -1.5e-300, -Number.MAX_SAFE_INTEGER];
const TRICKY_BIGINTS = [12345678901234567890n, -5n, -(2n ** 70n)];
const TRICKY_REFS: readonly unknown[] = [...TRICKY_STRINGS, ...TRICKY_NUMBERS, ...TRICKY_BIGINTS];

const LINE_TERMINATORS = /[\u2028\u2029]/;

/**
 * `in r0; s0 [run @1 | c r0]; b1 = ref_eq r0 c; guard_value r0 c ->s0; finish b1 c`:
 * with r0 = c it finishes with [true, c]; with anything else it exits with the slots [c, r0].
 */
function refTrace(value: unknown): Trace {
  const b = new TraceBuilder('bridge', 'Loop>>run');
  const r0 = b.input('ref');
  const c = b.constants.ref(value, typeof value === 'string' || typeof value === 'bigint' ? 'tricky' : null);
  const s0 = b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 1, [c, r0])]);
  const same = b.value('ref_eq', [r0, c]);
  b.emit('guard_value', [r0, c], s0);
  b.emit('finish', [same, c]);
  return b.finish();
}

/**
 * The same with a float constant: `f1 = float_neg c; f2 = float_neg f1` gives c back exactly.
 * `guard_value f0 c` compares as Object.is (so -0 is not 0, and NaN is NaN).
 */
function floatTrace(value: number): Trace {
  const b = new TraceBuilder('bridge', 'Loop>>run');
  const f0 = b.input('float');
  const c = b.float(value);
  const s0 = b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 1, [c, f0])]);
  const twice = b.value('float_neg', [b.value('float_neg', [c])]);
  b.emit('guard_value', [f0, c], s0);
  b.emit('finish', [twice, c]);
  return b.finish();
}

function expectParses(trace: Trace): void {
  for (const withComments of [false, true]) {
    const { text } = emitTrace(trace, { withComments });
    expect(() => new Function('K', 'H', text)).not.toThrow();
    expect(LINE_TERMINATORS.test(text)).toBe(false);
  }
}

function expectSame(actual: unknown, expected: unknown): void {
  expect(Object.is(actual, expected), `${String(actual)} is ${String(expected)}`).toBe(true);
}

describe('tricky constants', () => {
  it.each(TRICKY_REFS.map((value) => [String(value), value]))('ref constant %j', (_, value) => {
    const trace = refTrace(value);
    expectParses(trace);
    const compiled = compileTrace(trace, fake.heap);
    const finished = runTrace(compiled, [value]);
    expect(finished.kind).toBe('finish');
    if (finished.kind === 'finish') {
      // ref_eq is ===: NaN is not === NaN, but guard_value (Object.is) lets it through.
      expectSame(finished.values[0], !Number.isNaN(value));
      expectSame(finished.values[1], value);
    }
    const other = { other: true };
    const exited = runTrace(compiled, [other]);
    expect(exited.kind).toBe('exit');
    if (exited.kind === 'exit') {
      expectSame(exited.frames[0]?.slots[0], value);
      expect(exited.frames[0]?.slots[1]).toBe(other);
    }
  });

  it.each(TRICKY_NUMBERS.map((value) => [String(value), value]))('float constant %d', (_, value) => {
    const trace = floatTrace(value);
    expectParses(trace);
    const compiled = compileTrace(trace, fake.heap);
    const finished = runTrace(compiled, [value]);
    expect(finished.kind).toBe('finish');
    if (finished.kind === 'finish') {
      expectSame(finished.values[0], value);
      expectSame(finished.values[1], value);
    }
    const other = Object.is(value, -0) ? 0 : 0.25;
    const exited = runTrace(compiled, [other]);
    expect(exited.kind).toBe('exit');
    if (exited.kind === 'exit')
      expect(exited.frames[0]?.slots.map((slot) => Object.is(slot, value))).toEqual([true, false]);
  });

  it.each([5, 1.5, 1e300, ...TRICKY_REFS].map((value) => [String(value), value]))(
    'ref constant %j as the object of a field or element access behind a failing guard',
    (_, value) => {
      // The optimiser leaves such code when it folds a receiver to a constant that a guard before it rules out.
      const b = new TraceBuilder('bridge', 'Loop>>run');
      const b0 = b.input('bool');
      const c = b.constants.ref(value, typeof value === 'string' || typeof value === 'bigint' ? 'tricky' : null);
      const s0 = b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 1, [c])]);
      b.emit('guard_true', [b0], s0);
      b.emit('getfield', [c, b.constants.descr(fake.DoubleValue)]);
      b.emit('setfield', [c, b.constants.descr(fake.CellValue), b.int(1)]);
      b.emit('arraylen', [c]);
      b.emit('getarrayitem', [c, b.int(0)]);
      b.emit('setarrayitem', [c, b.int(0), c]);
      b.emit('finish', []);
      const trace = b.finish();
      expectParses(trace);
      const exited = runTrace(compileTrace(trace, fake.heap), [false]);
      expect(exited.kind).toBe('exit');
      if (exited.kind === 'exit') expectSame(exited.frames[0]?.slots[0], value);
    },
  );

  it('negative int constants after every int operator', () => {
    const b = new TraceBuilder('bridge', 'Loop>>run');
    const i0 = b.input('int');
    const minus = b.int(-3);
    const results: Operand[] = (['int_add', 'int_sub', 'int_mul', 'int_div', 'int_mod', 'int_rem'] as const).map((op) =>
      b.value(op, [i0, minus]),
    );
    results.push(b.value('int_neg', [minus]), b.value('int_sub', [minus, i0]));
    b.emit('finish', results);
    const trace = b.finish();
    expectParses(trace);
    // 7 + -3, 7 - -3, 7 * -3, trunc(7 / -3), 7 mod -3 (floored: -2), 7 rem -3 (1), -(-3), -3 - 7.
    expect(runTrace(compileTrace(trace, fake.heap), [7])).toStrictEqual({
      kind: 'finish',
      values: [4, 10, -21, -2, -2, 1, 3, -10],
    });
  });
});
