/**
 * The two ways a bridge's inputs are read from a side exit (runtime/tier2/bridge-inputs.ts)
 * must agree: `exitInputs` from the materialised exit frames (the general path) and an
 * `InputPlan` from the exit's live values (the fast path, for snapshots whose virtual objects
 * are value structs: boxed Doubles).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Frame } from '../../interpreter/model/frame.ts';
import { SomDouble } from '../../interpreter/model/objects.ts';
import { coreClasses } from '../../interpreter/model/core-classes.ts';
import { SomMethod } from '../../interpreter/model/method.ts';
import { Universe } from '../../interpreter/universe.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import { compileTrace } from '../../runtime/tier2/backend.ts';
import { exitInputs, inputPlan, levelKinds } from '../../runtime/tier2/bridge-inputs.ts';
import { SomHeap } from '../../runtime/tier2/som-heap.ts';
import { exitFrames } from '../../runtime/tier2/trace-code.ts';

let heap: SomHeap;
let method: SomMethod;

beforeAll(() => {
  const u = new Universe({ classpath: ['Smalltalk'], output: { writeOut() {}, writeErr() {} }, maxStackDepth: 100 });
  u.bootstrap();
  heap = new SomHeap();
  // A method with at least three slots, so the snapshot below can name live, constant and dead ones.
  const found = coreClasses.array.lookup(u.symbol('doIndexes:'));
  if (!(found instanceof SomMethod)) throw new Error('Array>>doIndexes: is not a SOM method');
  method = found;
});

describe('a bridge input plan', () => {
  it('reads the same inputs as the materialised exit: live values, constants, and dead slots from the frame', () => {
    expect(method.frameSize).toBeGreaterThanOrEqual(3);
    const dead = Array.from({ length: method.frameSize - 2 }, () => '_').join(' ');
    const text = `trace bridge check
  in  r0 r1 r2
  s0  snap [#m @3 | r0 r1 r2 #7 ${dead}]
  b3  ref_to_bool r2   ->s0
      finish      r0
`;
    const labels = new Map<string, unknown>([...heap.labels(), ['m', method]]);
    const compiled = compileTrace(parseTrace(text, labels), heap);
    const entry = new Frame(method, 'receiver' as never, null, null, null);
    entry.slots.fill(42 as never);
    const out = new Array<unknown>(compiled.outSize);
    const code = compiled.code([entry, entry.receiver, 5], out);
    expect(code).toBe(0);
    const exit = compiled.exits[0]!;
    const frames = exitFrames(compiled, exit, out);
    const plan = inputPlan(exit, compiled.trace.constants, levelKinds(frames));
    expect(plan).not.toBeNull();
    const expected = exitInputs(heap, entry, frames);
    expect([...plan!.read(entry, out)]).toEqual(expected);
    // The fixed part, by hand: frame, receiver, live r2, constant 7, then what the frame holds.
    expect(expected.slice(0, 4)).toEqual([entry, 'receiver', 5, 7]);
    expect(expected.slice(4)).toEqual(new Array(method.frameSize - 2).fill(42));
  });

  it('compiled into the bridge, reads from the exit values and the entry frame what `read` answers', () => {
    const dead = Array.from({ length: method.frameSize - 2 }, () => '_').join(' ');
    const labels = new Map<string, unknown>([...heap.labels(), ['m', method]]);
    const parent = compileTrace(
      parseTrace(
        `trace bridge parent
  in  r0 r1 r2
  s0  snap [#m @3 | r0 r1 r2 #7 ${dead}]
  b3  ref_to_bool r2   ->s0
      finish      r0
`,
        labels,
      ),
      heap,
    );
    const entry = new Frame(method, 'receiver' as never, null, null, null);
    entry.slots.fill(42 as never);
    const out = new Array<unknown>(64);
    expect(parent.code([entry, entry.receiver, 5], out)).toBe(0);
    const exit = parent.exits[0]!;
    const plan = inputPlan(exit, parent.trace.constants, levelKinds(exitFrames(parent, exit, out)))!;
    const expected = [...plan.read(entry, out)];
    // A bridge that hands its inputs out as they are; its function is given no inputs array.
    const refs = expected.map((_, i) => `r${i}`).join(' ');
    const bridge = compileTrace(parseTrace(`trace bridge b\n  in  ${refs}\n      finish ${refs}\n`, labels), heap, {
      plan,
    });
    expect(bridge.source).toMatch(/const r0 = entry;[^]*const r2 = out\[\d+\];/);
    expect(bridge.source).not.toMatch(/inputs\[/);
    expect(bridge.code([], out, entry)).toBe(-1);
    expect(out.slice(0, expected.length)).toEqual(expected);
    expect(entry.pc).toBe(3);
  });

  it('makes a virtual Double of the exit once, however many slots name it; other virtuals have no plan', () => {
    const dead = Array.from({ length: method.frameSize - 3 }, () => '_').join(' ');
    const text = (virtuals: string) => `trace bridge check
  in  r0 r1 r2
  f3  float_add    #1.5 #1.0
  s0  snap [#m @3 | r0 r1 v0 v0 ${dead}] ${virtuals}
  b4  ref_to_bool r2   ->s0
      finish      r0
`;
    const labels = new Map<string, unknown>([...heap.labels(), ['m', method]]);
    const run = (virtuals: string) => {
      const compiled = compileTrace(parseTrace(text(virtuals), labels), heap);
      const entry = new Frame(method, 'receiver' as never, null, null, null);
      const out = new Array<unknown>(compiled.outSize);
      expect(compiled.code([entry, entry.receiver, 5], out)).toBe(0);
      const exit = compiled.exits[0]!;
      const frames = exitFrames(compiled, exit, out);
      return { entry, out, frames, plan: inputPlan(exit, compiled.trace.constants, levelKinds(frames)) };
    };
    const { entry, out, frames, plan } = run('v0=new #Double(f3)');
    expect(plan).not.toBeNull();
    const read = [...plan!.read(entry, out)];
    expect(read).toEqual(exitInputs(heap, entry, frames));
    expect(read[2]).toBeInstanceOf(SomDouble);
    expect((read[2] as SomDouble).value).toBe(2.5);
    expect(read[3]).toBe(read[2]);
    // Each exit makes its own: a bridge may keep what it was handed.
    expect(plan!.read(entry, out)[2]).not.toBe(read[2]);
    expect(run('v0=new [r1]').plan).toBeNull();
  });
});
