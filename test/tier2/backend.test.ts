/**
 * The backend on hand-written traces whose results were worked out by hand: loops leaving
 * through a guard (with the exit's live values and the frames the runtime rebuilds), boxing,
 * a temporary object, a peeled loop whose jump permutes its variables (the parallel
 * assignment), finish and jump_trace; then the shape of the code: its name, one local per
 * value, the labelled loop, the exit table, and the dump, which differs from the running code
 * only in comments.
 */
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { VmInternalError } from '../../interpreter/errors.ts';
import { FieldDescr, type HeapModel, StructDescr } from '../../runtime/ir/descriptors.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import { printInstruction } from '../../runtime/ir/printer.ts';
import { FrameState } from '../../runtime/ir/snapshot.ts';
import type { Trace } from '../../runtime/ir/trace.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import { compileTrace, emitTrace, traceFunctionName } from '../../runtime/tier2/backend.ts';
import { TRACE_FINISH, runTrace } from '../../runtime/tier2/trace-code.ts';
import { arbitraryTrace } from '../ir/arbitrary-trace.ts';
import { FakeCell, FakeDouble, FakeError, FakePoint, makeFakeHeap } from '../ir/fake-heap.ts';

const fake = makeFakeHeap();
const parse = (text: string): Trace => parseTrace(text, fake.registry);
const run = (text: string, inputs: unknown[]) => runTrace(compileTrace(parse(text), fake.heap), inputs);

beforeEach(() => fake.reset());

const SUM_LOOP = `trace loop 'Loop>>run @4'
  in  i0 i1
  s0  snap [#Loop>>run @4 | i0 i1]
  b2  int_lt       i0 #10
      guard_true   b2             ->s0
  i3  int_add_ovf  i1 i0          ->s0
  i4  int_add_ovf  i0 #1          ->s0
      jump         i4 i3
`;

describe('loops computed by hand', () => {
  it('sums 0..9 and leaves through the first guard with i = 10, sum = 45', () => {
    const result = run(SUM_LOOP, [0, 0]);
    expect(result.kind).toBe('exit');
    if (result.kind !== 'exit') return;
    expect(result.exit.exitId).toBe(0);
    expect(result.exit.guard).toBe(1);
    expect(result.exit.taken).toBe(1);
    expect(result.frames).toStrictEqual([{ method: fake.methods.run, pc: 4, slots: [10, 45] }]);
  });

  it('leaves through the overflow guard with the values before the add', () => {
    // i1 = 2^53 - 1: the first add i1 + i0 = 2^53 - 1 + 0 is safe, the second (+ 1) is not.
    const result = run(SUM_LOOP, [0, 2 ** 53 - 1]);
    expect(result).toMatchObject({ kind: 'exit', exit: { exitId: 1, guard: 2 } });
    if (result.kind === 'exit') expect(result.frames[0]?.slots).toStrictEqual([1, 2 ** 53 - 1]);
  });

  it('multiplies a boxed Double four times, a new box each time', () => {
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
    // 2 * 1.5^4 = 10.125 (exact in binary).
    const result = run(text, [0, new FakeDouble(2)]);
    expect(result).toMatchObject({ kind: 'exit', exit: { exitId: 0 } });
    if (result.kind === 'exit') expect(result.frames[0]?.slots).toStrictEqual([4, new FakeDouble(10.125)]);
    // A Point is not a Double: the class guard (exit 1) fails at once.
    const point = new FakePoint(1, 2);
    expect(run(text, [0, point])).toMatchObject({ kind: 'exit', exit: { exitId: 1 }, frames: [{ slots: [0, point] }] });
  });

  it('sums squares through a temporary Point, and materialises a virtual Cell at the exit', () => {
    const text = `trace loop Loop>>run
  in  i0 i1
  s0  snap [#Loop>>run @2 | i0 i1 v0] v0=new #Cell(i1)
  b2  int_lt       i0 #5
      guard_true   b2             ->s0
  r3  int_to_ref   i0
  r4  new_struct   #Point r3 #null
  r5  getfield     r4 #Point.x
  i6  ref_to_int   r5             ->s0
  i7  int_mul_ovf  i6 i6          ->s0
  i8  int_add_ovf  i1 i7          ->s0
  i9  int_add_ovf  i0 #1          ->s0
      jump         i9 i8
`;
    // 0 + 1 + 4 + 9 + 16 = 30.
    const result = run(text, [0, 0]);
    expect(result.kind).toBe('exit');
    if (result.kind === 'exit') expect(result.frames[0]?.slots).toStrictEqual([5, 30, new FakeCell(30)]);
  });

  const peeled = (jump: string): string => `trace loop Loop>>run
  in  i0 i1 i2
  i3 i4 i5 label i0 i1 i2
  s0  snap [#Loop>>run @7 | i3 i4 i5]
  b6  int_gt       i3 #0
      guard_true   b6             ->s0
  i7  int_sub      i3 #1
  i8  int_add_ovf  i4 i5          ->s0
      jump         ${jump}
`;

  it('runs a peeled Fibonacci loop: (a, b) := (b, a + b)', () => {
    // Ten steps from (0, 1): (fib 10, fib 11) = (55, 89).
    expect(run(peeled('i7 i5 i8'), [10, 0, 1])).toMatchObject({ kind: 'exit', frames: [{ slots: [0, 55, 89] }] });
  });

  it('swaps loop variables through a temporary: (a, b) := (b, a)', () => {
    // Three swaps of (1, 2): (2, 1).
    const text = peeled('i7 i5 i4');
    expect(run(text, [3, 1, 2])).toMatchObject({ kind: 'exit', frames: [{ slots: [0, 2, 1] }] });
    expect(emitTrace(parse(text)).text).toContain('const t4 = i4;');
  });

  it('rotates the inputs of a loop without a label: (n, x, y, z) := (n - 1, y, z, x)', () => {
    const text = `trace loop Loop>>run
  in  i0 i1 i2 i3
  s0  snap [#Loop>>run @0 | i0 i1 i2 i3]
  b4  int_gt       i0 #0
      guard_true   b4             ->s0
  i5  int_sub      i0 #1
      jump         i5 i2 i3 i1
`;
    // Four rotations of (1, 2, 3): (2, 3, 1), (3, 1, 2), (1, 2, 3), (2, 3, 1).
    expect(run(text, [4, 1, 2, 3])).toMatchObject({ kind: 'exit', frames: [{ slots: [0, 2, 3, 1] }] });
  });
});

describe('leaving without a guard', () => {
  it('finishes with its values, constants included', () => {
    const text = `trace bridge Loop>>run
  in  r0
      call         #log r0
  i1  call         #tick
      finish       i1 r0 #-0.0 #pi
`;
    expect(run(text, ['a'])).toStrictEqual({ kind: 'finish', values: [1, 'a', -0, fake.pi] });
    expect(fake.log).toStrictEqual(['a']);
  });

  it('binds label parameters once when the trace does not loop', () => {
    const text = `trace bridge Loop>>run
  in  i0
  i1  int_add      i0 #1
  i2 i3 label      i1 i0
  i4  int_mul      i2 i3
      finish       i4
`;
    // i2 = 6 + 1, i3 = 6: 42.
    expect(run(text, [6])).toStrictEqual({ kind: 'finish', values: [42] });
    expect(emitTrace(parse(text)).text).not.toContain('for (');
  });

  it('hands the target and its inputs to the runtime on jump_trace', () => {
    const text = `trace bridge Loop>>run
  in  i0
      jump_trace   #trace7 i0 #true
`;
    expect(run(text, [5])).toStrictEqual({ kind: 'jump_trace', target: fake.otherTrace, values: [5, true] });
  });
});

describe('the exit table', () => {
  it('has one SideExit per guard, in trace order, with its snapshot values in first-mention order', () => {
    const text = `trace loop Loop>>run
  in  i0 f1 r2
  s0  snap [#Loop>>run @1 | r2 i0 _] [#Loop>>step @2 | v0 i0] v0=new #Double(f1)
  b3  int_lt       i0 #3
      guard_true   b3             ->s0
  i4  int_add_ovf  i0 #1          ->s0
  s1  snap [#Loop>>run @9 | i4 #7]
      guard_nonnull r2            ->s1
      jump         i4 f1 r2
`;
    const compiled = compileTrace(parse(text), fake.heap);
    expect(compiled.exits.map((exit) => [exit.exitId, exit.guard, exit.snapshot.id, exit.live])).toStrictEqual([
      [0, 1, 0, [2, 0, 1]],
      [1, 2, 0, [2, 0, 1]],
      [2, 3, 1, [4]],
    ]);
    expect(compiled.outSize).toBe(3);
    expect(compiled.exits.every((exit) => exit.taken === 0 && exit.bridge === null)).toBe(true);
    // r2 = null: the third guard fails with i4 = 1.
    const result = runTrace(compiled, [0, 0.5, null]);
    expect(result).toMatchObject({ kind: 'exit', exit: { exitId: 2 }, frames: [{ pc: 9, slots: [1, 7] }] });
    expect(compiled.exits[2]?.taken).toBe(1);
  });

  it('calls the heap model as an object, so its classOf may use `this`', () => {
    class Heap implements HeapModel {
      readonly pointClass = fake.classes.Point;
      classOf(value: unknown): unknown {
        return value instanceof FakePoint ? this.pointClass : null;
      }
    }
    const text = `trace bridge Loop>>run
  in  r0
  s0  snap [#Loop>>run @0 | r0]
      guard_class  r0 #PointClass ->s0
      finish       #true
`;
    const compiled = compileTrace(parse(text), new Heap());
    expect(runTrace(compiled, [new FakePoint(1, 2)])).toStrictEqual({ kind: 'finish', values: [true] });
    expect(runTrace(compiled, [3]).kind).toBe('exit');
  });
});

describe('exception exits', () => {
  // Counts i0 up and calls risky on it, which throws at 3 (mod 4); log's snapshot leaves r1 dead.
  const RISKY_LOOP = `trace loop Loop>>run
  in  i0 r1
  s0  snap [#Loop>>run @7 | r1 i0] [#Loop>>step @3 | v0 i0] v0=new #Cell(i0)
  b2  int_lt       i0 #100
      guard_true   b2             ->s0
  i3  call         #risky i0      ->s0
  s1  snap [#Loop>>run @8 | _ i3]
      call         #log r1        ->s1
  i4  call         #tick
  i5  int_add_ovf  i0 #1          ->s0
      jump         i5 r1
`;

  it('leave through the call’s snapshot with the exception, the values as before the call', () => {
    const compiled = compileTrace(parse(RISKY_LOOP), fake.heap);
    const result = runTrace(compiled, [1, 'self']);
    expect(result).toStrictEqual({
      kind: 'throw',
      exit: compiled.exits[1],
      frames: [
        { method: fake.methods.run, pc: 7, slots: ['self', 3] },
        { method: fake.methods.step, pc: 3, slots: [new FakeCell(3), 3] },
      ],
      exception: new FakeError(3),
    });
    // risky(1), log, tick, risky(2), log, tick, risky(3) threw: log and tick did not run.
    expect(fake.log).toStrictEqual([1, 'self', 2, 'self', 3]);
    expect(compiled.exits[1]?.taken).toBe(1);
  });

  it('have their own exit numbers, marked onThrow, and room for the exception after the live values', () => {
    const compiled = compileTrace(parse(RISKY_LOOP), fake.heap);
    const table = compiled.exits.map((exit) => [exit.exitId, exit.guard, exit.snapshot.id, exit.live, exit.onThrow]);
    expect(table).toStrictEqual([
      [0, 1, 0, [1, 0], false],
      [1, 2, 0, [1, 0], true],
      [2, 3, 1, [3], true],
      [3, 5, 0, [1, 0], false],
    ]);
    expect(compiled.outSize).toBe(3);
    // Calls with a snapshot are wrapped in try/catch; tick, without one, is not.
    expect(compiled.source.match(/try \{/g)).toHaveLength(2);
    expect(compiled.source).toMatch(/const i4 = k[0-9]+\(\);/);
    expect(compiled.source).toMatch(
      /let i3;\s+try \{ i3 = k[0-9]+\(i0\); \} catch \(thrown\) \{ out\[0\] = r1; out\[1\] = i0; out\[2\] = thrown; return 1; \}/,
    );
  });

  it('leave through a shared exit writer when they hand out many values, with the same values in out', () => {
    // Five values and more go out through `writeExit<n>` (exit-writers.ts); fewer as stores.
    const text = `trace loop 'Loop>>run @4'
  in  i0 i1 i2 i3 i4 i5
  s0  snap [#Loop>>run @4 | i0 i1 i2 i3 i4 i5]
  s1  snap [#Loop>>run @4 | i0 i1]
  b6  int_lt       i0 #10
      guard_true   b6             ->s0
  i7  int_add_ovf  i1 i0          ->s1
  i8  int_add_ovf  i0 #1          ->s0
      jump         i8 i7 i5 i4 i3 i2
`;
    const compiled = compileTrace(parse(text), fake.heap);
    expect(compiled.source).toContain('const writeExit6 = X(6);');
    expect(compiled.source).toContain('if (!b6) { return writeExit6(out, 0, i0, i1, i2, i3, i4, i5); }');
    expect(compiled.source).toMatch(/out\[0\] = i0; out\[1\] = i1; return 1;/);
    // The size the limit on inlined bridges reads is the text's with the stores inline: here
    // two exits through s0 (the guard's, and the overflow check's of i8, code 2).
    const inline = 'out[0] = i0; out[1] = i1; out[2] = i2; out[3] = i3; out[4] = i4; out[5] = i5; return 0;';
    const call = 'return writeExit6(out, 0, i0, i1, i2, i3, i4, i5);';
    expect(compiled.sizeWithInlineStores - compiled.source.length).toBe(2 * (inline.length - call.length));
    // Ten iterations swap the last four values five times (back to where they started).
    const result = runTrace(compiled, [0, 0, 'a', 'b', 'c', 'd']);
    expect(result).toMatchObject({ kind: 'exit', exit: { exitId: 0 } });
    if (result.kind === 'exit') expect(result.frames[0]?.slots).toStrictEqual([10, 45, 'a', 'b', 'c', 'd']);
  });

  it('let what a call without a snapshot throws leave the trace function as it is', () => {
    const text = `trace bridge Loop>>run
  in  i0
  i1  call         #risky i0
      finish       i1
`;
    const compiled = compileTrace(parse(text), fake.heap);
    expect(runTrace(compiled, [1005])).toStrictEqual({ kind: 'finish', values: [5] });
    expect(() => runTrace(compiled, [7])).toThrow(FakeError);
  });
});

describe('the code', () => {
  it('is one function named after the trace and its SOM method', () => {
    expect(traceFunctionName(3, 'Loop>>run @4')).toBe('trace3$Loop$run$pc4');
    expect(traceFunctionName(0, 'Array>>at:put:')).toBe('trace0$Array$at_put_');
    expect(traceFunctionName(12, 'Integer>>+ @0')).toBe('trace12$Integer$$2b$pc0');
    const compiled = compileTrace(parse(SUM_LOOP), fake.heap, { id: 3 });
    expect(compiled.functionName).toBe('trace3$Loop$run$pc4');
    expect(compiled.code.name).toBe('trace3$Loop$run$pc4');
  });

  it('declares each IR value once, named as in the text form, and loops in a labelled for (;;)', () => {
    const { text } = emitTrace(parse(SUM_LOOP));
    expect(text.match(/\b(const|let) [ifbr][0-9]+ =/g)).toStrictEqual([
      'let i0 =',
      'let i1 =',
      'const b2 =',
      'const i3 =',
      'const i4 =',
    ]);
    expect(text.match(/loop: for \(;;\) \{/g)).toHaveLength(1);
    const bridge = emitTrace(parse(`trace bridge Loop>>run\n  in  i0\n  finish i0\n`)).text;
    expect(bridge).not.toContain('for (');
    expect(bridge).toContain(`return ${TRACE_FINISH < 0 ? `(${TRACE_FINISH})` : TRACE_FINISH};`);
  });

  it('refuses a field whose property is not an identifier', () => {
    const b = new TraceBuilder('bridge', 'Loop>>run');
    const input = b.input('ref');
    const evil = new FieldDescr('Evil.x', 'x; globalThis.pwned = 1; //', 'ref', false);
    b.emit('getfield', [input, b.constants.descr(evil)]);
    b.emit('finish', []);
    expect(() => compileTrace(b.finish(), fake.heap)).toThrow(VmInternalError);
  });

  it('allocates through the constant table, never by pasting the constructor', () => {
    class Box {
      constructor(readonly value: number) {}
    }
    const value = new FieldDescr('Box.value', 'value', 'float', true);
    const box = new StructDescr('Box', Box, [value], fake.classes.Double);
    const b = new TraceBuilder('bridge', 'Loop>>run');
    const f = b.input('float');
    b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 0, [])]);
    const r = b.value('new_struct', [b.constants.descr(box), f]);
    b.emit('finish', [r]);
    const compiled = compileTrace(b.finish(), fake.heap);
    expect(compiled.source).toMatch(/new k[0-9]+\(f0\)/);
    expect(runTrace(compiled, [2.5])).toStrictEqual({ kind: 'finish', values: [new Box(2.5)] });
  });
});

describe('the dump', () => {
  /** What is wrong with the dump of `trace` (empty: it parses and differs only in comments). */
  function dumpProblems(trace: Trace): string[] {
    const running = emitTrace(trace).text;
    const dumped = emitTrace(trace, { withComments: true }).text;
    const problems: string[] = [];
    for (const [what, text] of [
      ['running code', running],
      ['dump', dumped],
    ]) {
      try {
        new Function('K', 'H', text as string);
      } catch (e) {
        problems.push(`the ${what} does not parse: ${String(e)}`);
      }
    }
    const code = dumped.split('\n').filter((line) => !line.trimStart().startsWith('//'));
    if (code.join('\n') !== running) problems.push('the dump differs from the running code outside comments');
    for (const instruction of trace.ops) {
      if (!dumped.includes(`// ${printInstruction(trace, instruction).trim()}\n`)) {
        problems.push(`no comment for ${instruction.op}`);
      }
    }
    return problems;
  }

  it('shows each IR line before its code and differs from the running code only in comments', () => {
    expect(dumpProblems(parse(SUM_LOOP))).toStrictEqual([]);
    const dumped = emitTrace(parse(SUM_LOOP), { withComments: true }).text;
    expect(dumped).toContain('// s0  snap [#Loop>>run @4 | i0 i1]\n');
    expect(dumped).toContain('// i3  int_add_ovf  i1 i0          ->s0\n    const i3 = i1 + i0;');
  });

  it('does so for generated traces', () => {
    fc.assert(
      fc.property(arbitraryTrace(fake), (generated) => {
        expect(dumpProblems(generated.trace)).toStrictEqual([]);
      }),
      { seed: 31, numRuns: 200 },
    );
  });
});
