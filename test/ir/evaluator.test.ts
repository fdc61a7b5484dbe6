/**
 * The reference evaluator on hand-written traces whose results were worked out by hand: loops
 * that exit through a guard (exit id and the live values of its snapshot), overflow at 2^53,
 * boxing, class and bounds guards, residual calls (one that throws, with and without an
 * exception exit), the peeled loop shape, and the checks that
 * turn a wrong trace into an error instead of a value.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { VmInternalError } from '../../interpreter/errors.ts';
import { type EvalResult, evaluate } from '../../runtime/ir/evaluator.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import { FakeCell, FakeDouble, FakeError, FakePoint, makeFakeHeap } from './fake-heap.ts';

const fake = makeFakeHeap();
const run = (text: string, inputs: unknown[], maxIterations = 1000): EvalResult =>
  evaluate(parseTrace(text, fake.registry), inputs, fake.heap, { maxIterations });

beforeEach(() => fake.reset());

describe('loops that leave through a guard', () => {
  const sumLoop = `trace loop Loop>>run
  in  i0 i1
  s0  snap [#Loop>>run @4 | i0 i1]
  b2  int_lt       i0 #10
      guard_true   b2             ->s0
  i3  int_add_ovf  i1 i0          ->s0
  i4  int_add_ovf  i0 #1          ->s0
      jump         i4 i3
`;

  it('sums 0..9 and exits when the counter reaches 10, with the snapshot values', () => {
    // 0 + 1 + ... + 9 = 45; the guard at op 1 fails with i0 = 10.
    expect(run(sumLoop, [0, 0])).toEqual({
      kind: 'exit',
      snapshot: 0,
      guard: 1,
      frames: [{ method: fake.methods.run, pc: 4, slots: [10, 45] }],
    });
  });

  it('stops after maxIterations jumps', () => {
    // Three jumps: i0 = 3, sum = 0 + 1 + 2 = 3.
    expect(run(sumLoop, [0, 0], 3)).toEqual({ kind: 'limit', values: [3, 3] });
  });

  it('fails an overflow guard at 2^53', () => {
    const text = `trace loop Loop>>run
  in  i0
  s0  snap [#Loop>>run @2 | i0]
  i1  int_add_ovf  i0 #1          ->s0
      jump         i1
`;
    // 2^53 - 3 -> 2^53 - 2 -> 2^53 - 1; the next add gives 2^53, not safe: exit with 2^53 - 1.
    expect(run(text, [2 ** 53 - 3])).toEqual({
      kind: 'exit',
      snapshot: 0,
      guard: 0,
      frames: [{ method: fake.methods.run, pc: 2, slots: [9007199254740991] }],
    });
  });

  it('runs a peeled loop: preamble once, then the body from the label', () => {
    const text = `trace loop Loop>>run
  in  i0
  i1  int_add      i0 #1
  i2  label        i1
  s0  snap [#Loop>>run @3 | i2]
  b3  int_lt       i2 #5
      guard_true   b3             ->s0
  i4  int_add_ovf  i2 #2          ->s0
      jump         i4
`;
    // 0 -> preamble 1 -> body 1, 3, 5: exit with 5.
    const result = run(text, [0]);
    expect(result).toMatchObject({ kind: 'exit', guard: 3, frames: [{ slots: [5] }] });
  });
});

describe('boxing and virtual objects', () => {
  it('multiplies a boxed Double four times, allocating a new box each time', () => {
    const text = `trace loop Loop>>run
  in  i0 r1
  s0  snap [#Loop>>run @3 | i0 r1]
  b2  int_lt       i0 #4
      guard_true   b2             ->s0
      guard_class  r1 #DoubleClass ->s0
  f3  getfield     r1 #Double.value
  f4  float_mul    f3 #1.5
  r5  new_struct   #Double f4
  i6  int_add_ovf  i0 #1          ->s0
      jump         i6 r5
`;
    // 2 * 1.5^4 = 2 * 5.0625 = 10.125 (exact in binary).
    const result = run(text, [0, new FakeDouble(2)]);
    expect(result).toEqual({
      kind: 'exit',
      snapshot: 0,
      guard: 1,
      frames: [{ method: fake.methods.run, pc: 3, slots: [4, new FakeDouble(10.125)] }],
    });
  });

  it('materialises virtual objects at the exit, each once, dead slots as undefined', () => {
    const text = `trace loop Loop>>run
  in  i0 f1
  s0  snap [#Loop>>run @3 | i0 v0 _] [#Loop>>step @7 | v1 v0] v0=new #Double(f1) v1=new #Point(v0 #null)
  b2  int_lt       i0 #3
      guard_true   b2             ->s0
  f3  float_add    f1 #0.5
  i4  int_add_ovf  i0 #1          ->s0
      jump         i4 f3
`;
    // f: 1 -> 1.5 -> 2 -> 2.5 at i0 = 3.
    const result = run(text, [0, 1]);
    if (result.kind !== 'exit') throw new Error(`expected an exit, got ${result.kind}`);
    const [outer, inner] = result.frames;
    expect(outer).toEqual({ method: fake.methods.run, pc: 3, slots: [3, new FakeDouble(2.5), undefined] });
    expect(inner?.method).toBe(fake.methods.step);
    expect(inner?.slots[0]).toEqual(new FakePoint(new FakeDouble(2.5), null));
    // The Point's x and the inner frame's second slot are the one materialised v0.
    expect((inner?.slots[0] as FakePoint).x).toBe(inner?.slots[1]);
    expect(outer?.slots[1]).toBe(inner?.slots[1]);
  });
});

describe('guards on classes and bounds', () => {
  const classCheck = `trace bridge Loop>>run
  in  r0
  s0  snap [#Loop>>run @1 | r0]
      guard_class  r0 #PointClass ->s0
  r1  getfield     r0 #Point.y
      finish       r1
`;

  it('passes guard_class for an instance of the class', () => {
    expect(run(classCheck, [new FakePoint(1, 'y')])).toEqual({ kind: 'finish', values: ['y'] });
  });

  it('fails guard_class for another class, before the load', () => {
    const double = new FakeDouble(1);
    expect(run(classCheck, [double])).toEqual({
      kind: 'exit',
      snapshot: 0,
      guard: 0,
      frames: [{ method: fake.methods.run, pc: 1, slots: [double] }],
    });
  });

  it('sums an array until the bounds guard fails', () => {
    const text = `trace loop Loop>>run
  in  r0 i1 i2
  s0  snap [#Loop>>run @5 | r0 i1 i2]
  i3  arraylen     r0
      guard_in_bounds i1 i3       ->s0
  r4  getarrayitem r0 i1
  i5  ref_to_int   r4             ->s0
  i6  int_add_ovf  i2 i5          ->s0
  i7  int_add_ovf  i1 #1          ->s0
      jump         r0 i7 i6
`;
    const array = [3, 4, 5];
    // 3 + 4 + 5 = 12; index 3 is out of bounds.
    expect(run(text, [array, 0, 0])).toEqual({
      kind: 'exit',
      snapshot: 0,
      guard: 1,
      frames: [{ method: fake.methods.run, pc: 5, slots: [array, 3, 12] }],
    });
  });

  it('exits through ref_to_int when an element is not an Integer', () => {
    const text = `trace bridge Loop>>run
  in  r0
  s0  snap [#Loop>>run @0 | r0]
  r1  getarrayitem r0 #1
  i2  ref_to_int   r1             ->s0
      finish       i2
`;
    expect(run(text, [[1, 2]])).toEqual({ kind: 'finish', values: [2] });
    expect(run(text, [[1, null]])).toMatchObject({ kind: 'exit', guard: 1 });
  });
});

describe('calls', () => {
  it('performs residual calls in order, and a later call sees their effects', () => {
    const text = `trace bridge Loop>>run
  in  r0
      call         #log r0
      call         #log #7:ref
  i1  call         #tick
  i2  call_pure    #max i1 #1
      finish       i2 r0
`;
    expect(run(text, ['a'])).toEqual({ kind: 'finish', values: [2, 'a'] });
    expect(fake.log).toEqual(['a', 7]);
  });

  it('keeps the effects of calls made before a failing guard', () => {
    const text = `trace bridge Loop>>run
  in  r0
  s0  snap [#Loop>>run @0 | r0]
      call         #log r0
      guard_nonnull r0            ->s0
      call         #log r0
      finish
`;
    expect(run(text, [null])).toMatchObject({ kind: 'exit', guard: 1 });
    expect(fake.log).toEqual([null]);
  });

  describe('a residual call that throws', () => {
    // Counts i0 up from its input and calls risky on it, which throws at 3 (mod 4).
    const riskyLoop = `trace loop Loop>>run
  in  i0 r1
  s0  snap [#Loop>>run @7 | r1 i0] [#Loop>>step @3 | v0 i0] v0=new #Cell(i0)
  i2  call         #risky i0      ->s0
  s1  snap [#Loop>>run @9 | r1 i2]
  i3  int_add_ovf  i0 #1          ->s1
      jump         i3 r1
`;

    it('leaves through its snapshot with the exception, frames as they were before the call', () => {
      const result = run(riskyLoop, [1, 'self']);
      expect(result).toEqual({
        kind: 'throw',
        snapshot: 0,
        guard: 0,
        frames: [
          { method: fake.methods.run, pc: 7, slots: ['self', 3] },
          { method: fake.methods.step, pc: 3, slots: [new FakeCell(3), 3] },
        ],
        exception: new FakeError(3),
      });
      // The calls that returned and the one that threw all ran, once each.
      expect(fake.log).toEqual([1, 2, 3]);
    });

    it('propagates out of the evaluator when the call carries no snapshot', () => {
      const text = `trace bridge Loop>>run
  in  i0
  i1  call         #risky i0
      finish       i1
`;
      expect(run(text, [4])).toEqual({ kind: 'finish', values: [4] });
      expect(() => run(text, [7])).toThrow(FakeError);
    });
  });

  it('continues into another trace with jump_trace', () => {
    const text = `trace bridge Loop>>run
  in  i0
      jump_trace   #trace7 i0 #true
`;
    expect(run(text, [5])).toEqual({ kind: 'jump_trace', target: fake.otherTrace, values: [5, true] });
  });
});

describe('operation semantics', () => {
  // [defined value, operation, operands, result]: each worked out from SOM.md §4 and IEEE 754.
  const cases: [string, string, string, unknown][] = [
    ['i0', 'int_div', '#-7 #2', -3],
    ['i0', 'int_mod', '#-7 #2', 1],
    ['i0', 'int_mod', '#7 #-2', -1],
    ['i0', 'int_rem', '#-7 #2', -1],
    ['i0', 'int_mul', '#-3 #0', 0],
    ['i0', 'int_neg', '#0', 0],
    ['i0', 'int_and', '#4294967301 #3', 1], // 2^32 + 5 as int32 is 5
    ['i0', 'int_xor', '#6 #3', 5],
    ['f0', 'float_div', '#1.0 #-0.0', -Infinity],
    ['b0', 'float_eq', '#NaN #NaN', false],
    ['b0', 'float_eq', '#0.0 #-0.0', true],
    ['b0', 'float_ne', '#NaN #NaN', true],
    ['b0', 'float_lt', '#NaN #1.0', false],
    ['f0', 'float_neg', '#0.0', -0],
    ['f0', 'float_sqrt', '#-0.0', -0],
    ['f0', 'float_sqrt', '#-1.0', NaN],
    ['f0', 'int_to_float', '#3', 3],
    ['b0', 'ref_eq', '#null #null', true],
    ['b0', 'ref_is_null', '#pi', false],
  ];

  it.each(cases)('%s %s %s = %s', (def, op, operands, expected) => {
    const result = run(`trace bridge Loop>>run\n  ${def} ${op} ${operands}\n  finish ${def}\n`, []);
    expect(result.kind).toBe('finish');
    if (result.kind === 'finish') expect(Object.is(result.values[0], expected)).toBe(true);
  });

  it('truncates a float to an int, +0 for -0.5, and fails beyond the safe range', () => {
    const text = `trace bridge Loop>>run
  in  f0
  s0  snap [#Loop>>run @0 | f0]
  i1  float_to_int f0             ->s0
      finish       i1
`;
    expect(run(text, [-0.5])).toEqual({ kind: 'finish', values: [0] });
    expect(Object.is((run(text, [-0.5]) as { values: unknown[] }).values[0], 0)).toBe(true);
    expect(run(text, [-2.9])).toEqual({ kind: 'finish', values: [-2] });
    expect(run(text, [2 ** 60])).toMatchObject({ kind: 'exit' });
    expect(run(text, [NaN])).toMatchObject({ kind: 'exit' });
  });

  it('guard_value compares as Object.is: -0 is not 0', () => {
    const text = `trace bridge Loop>>run
  in  f0
  s0  snap [#Loop>>run @0 | f0]
      guard_value  f0 #0.0        ->s0
      finish
`;
    expect(run(text, [0]).kind).toBe('finish');
    expect(run(text, [-0]).kind).toBe('exit');
  });
});

describe('a wrong trace is an error, not a value', () => {
  const wrong: [string, string, unknown[]][] = [
    ['an unchecked int_add past 2^53', '  in  i0\n  i1 int_add i0 #1\n  finish i1', [2 ** 53 - 1]],
    ['an unguarded division by zero', '  in  i0\n  i1 int_div #1 i0\n  finish i1', [0]],
    ['a store to an immutable field', '  in  r0\n  setfield r0 #Double.value #1.0\n  finish', [new FakeDouble(1)]],
    [
      'a field read from the wrong object',
      '  in  r0\n  f1 getfield r0 #Double.value\n  finish f1',
      [new FakePoint(1, 2)],
    ],
    ['an array index out of bounds', '  in  r0\n  r1 getarrayitem r0 #2\n  finish r1', [[1, 2]]],
  ];

  it.each(wrong)('%s', (_, body, inputs) => {
    expect(() => run(`trace bridge Loop>>run\n${body}\n`, inputs)).toThrow(VmInternalError);
  });
});
