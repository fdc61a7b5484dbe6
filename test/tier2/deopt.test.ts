/**
 * Side exits on real SOM code: traces written by hand for loops of test/tier2/fixtures (what a
 * recorder would make of them: inlined sends, virtual frames, blocks and objects), compiled with
 * the SOM heap model, entered from the loop's activation, left through a guard inside an inlined
 * send; the rebuilt activations must then do what the interpreter does. The oracle is the
 * interpreter running the same method on the same arguments (and results worked out by hand).
 *
 * Each test starts the activation the way the runtime will: the method's frame, at its loop
 * header with the state the interpreter has there before the first iteration, runs inside its
 * `activate`, and its code (a one-shot `compiled` hook) enters the trace.
 *
 * Exception exits (a residual call made two or three inlined levels deep throws) are built by
 * hand: the exit frames at the call in the first iteration, and the exception that the call,
 * run for real (a primitive, a block's `value`), throws; then `resumeAfterThrow` goes on as the
 * runtime does. The oracle is again the interpreter, backtraces included.
 */
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OPCODES, Op, instructionLength } from '../../interpreter/compiler/opcodes.ts';
import { VmInternalError } from '../../interpreter/errors.ts';
import { activations, formatBacktrace, methodName } from '../../interpreter/backtrace.ts';
import { activate, sendMessage } from '../../interpreter/invoke.ts';
import { blockClassFor } from '../../interpreter/model/core-classes.ts';
import { SomClass } from '../../interpreter/model/class.ts';
import { Frame } from '../../interpreter/model/frame.ts';
import { SomMethod } from '../../interpreter/model/method.ts';
import { SomArray, SomBlock, SomDouble, SomObject, SomString, type SomValue } from '../../interpreter/model/objects.ts';
import { NonLocalReturn, SomRuntimeError, SystemExit } from '../../interpreter/signals.ts';
import { Universe } from '../../interpreter/universe.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import type { ExitFrame } from '../../runtime/ir/snapshot.ts';
import { labelText } from '../../runtime/ir/syntax.ts';
import { defaultParams } from '../../runtime/params.ts';
import { configureTiers } from '../../runtime/tier-manager.ts';
import { compileTier1 } from '../../runtime/tier1/tier1-compiler.ts';
import { compileTrace } from '../../runtime/tier2/backend.ts';
import {
  continueActivation,
  rebuildFrames,
  resumeAfterExit,
  resumeAfterThrow,
  sendContinuation,
} from '../../runtime/tier2/deopt.ts';
import { FRAME_STATE, SomHeap } from '../../runtime/tier2/som-heap.ts';
import { type TraceOutcome, runTrace } from '../../runtime/tier2/trace-code.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

let u: Universe;
let heap: SomHeap;
let output = '';
let fixture: SomClass;

beforeAll(() => {
  // The runtime's tier hooks (interpreter only): activations run a method's `compiled` code if it has some.
  configureTiers({ mode: 'interp', params: defaultParams() });
  u = new Universe({
    classpath: [FIXTURES, 'Smalltalk'],
    output: { writeOut: (text) => (output += text), writeErr: (text) => (output += text) },
    maxStackDepth: 1000,
  });
  u.bootstrap();
  heap = new SomHeap();
  fixture = classNamed('DeoptFixture');
});

afterEach(() => {
  for (const cls of [fixture, classNamed('DeoptPoint')]) for (const m of cls.methods.elements) clearCode(m);
});

function classNamed(name: string): SomClass {
  const cls = u.resolveClass(u.symbol(name));
  if (cls === null) throw new Error(`no class ${name}`);
  return cls;
}

function method(cls: SomClass, selector: string): SomMethod {
  const found = cls.lookup(u.symbol(selector));
  if (!(found instanceof SomMethod)) throw new Error(`${selector} is not a SOM method`);
  return found;
}

function clearCode(m: SomValue): void {
  if (m instanceof SomMethod) m.compiled = null;
}

/** The pc of the first instruction in `m` that satisfies `test`. */
function pcWhere(m: SomMethod, test: (op: Op, pc: number) => boolean): number {
  for (let pc = 0; pc < m.code.length; pc += instructionLength(m.code[pc] as Op)) {
    if (test(m.code[pc] as Op, pc)) return pc;
  }
  throw new Error(`no such instruction in ${methodName(m)}`);
}

/** The pc of the first send of `selector` in `m`. */
function sendPc(m: SomMethod, selector: string): number {
  return pcWhere(m, (op, pc) => OPCODES[op].effect === 'send' && m.sites[m.code[pc + 1]!]!.selector.s === selector);
}

/** The loop header of `m` (the target of its back-edge) and its to:do: increment. */
function loopPcs(m: SomMethod): { header: number; increment: number } {
  const backEdge = pcWhere(m, (op) => op === Op.JUMP_BACKWARD);
  return { header: m.code[backEdge + 1]!, increment: pcWhere(m, (op) => op === Op.TO_DO_INC) };
}

/** `#Label` for a method in IR text (quoted when it needs it). */
function ref(m: SomMethod): string {
  return `#${labelText(methodName(m))}`;
}

function registry(methods: readonly SomMethod[], extra: Record<string, unknown> = {}): Map<string, unknown> {
  const labels = heap.labels();
  for (const m of methods) labels.set(methodName(m), m);
  for (const [label, value] of Object.entries(extra)) labels.set(label, value);
  return labels;
}

function newInstance(cls: SomClass): SomObject {
  return new SomObject(cls, cls.numInstanceFields);
}

/** A frame of `m` called from the VM's entry frame, with these slot values (args, locals). */
function frameAt(m: SomMethod, receiver: SomValue, pc: number, slots: readonly SomValue[]): Frame {
  const frame = new Frame(m, receiver, u.entryFrame(), null, null);
  slots.forEach((value, i) => (frame.slots[i] = value));
  frame.pc = pc;
  return frame;
}

interface TracedRun {
  readonly result: SomValue;
  readonly output: string;
  /** How the trace was left (the exit, with the materialised frames). */
  readonly outcome: TraceOutcome;
}

/**
 * Activates `frame` (at its loop header) as the runtime will once loops are traced: its code
 * enters the compiled trace with `inputs`; the trace leaves through a guard and the side exit
 * resumes. `frame`'s method keeps the code it had for after the exit.
 */
function activateIntoTrace(
  frame: Frame,
  traceText: string,
  labels: Map<string, unknown>,
  inputs: unknown[],
): TracedRun {
  const compiled = compileTrace(parseTrace(traceText, labels), heap, { iterationLimit: 1000 });
  const m = frame.method;
  const code = m.compiled;
  let outcome: TraceOutcome | null = null;
  m.compiled = (entry) => {
    m.compiled = code;
    outcome = runTrace(compiled, inputs);
    if (outcome.kind !== 'exit') throw new Error(`the trace ended with ${outcome.kind}`);
    return resumeAfterExit(heap, entry, outcome.frames);
  };
  output = '';
  try {
    const result = activate(frame);
    return { result, output, outcome: outcome! };
  } finally {
    m.compiled = code;
  }
}

/** What the interpreter answers and prints for `receiver selector args`. */
function interpreted(
  receiver: SomValue,
  selector: string,
  args: readonly SomValue[],
): { result: SomValue; output: string } {
  output = '';
  const result = sendMessage(u.entryFrame(), receiver, u.symbol(selector), args);
  return { result, output };
}

/** Comparable form of a result. */
function show(value: SomValue): unknown {
  return value instanceof SomDouble ? { double: value.value } : value;
}

/** The method and pc of each level of an exit. */
function levels(outcome: TraceOutcome): [string, number][] {
  if (outcome.kind !== 'exit') return [];
  return outcome.frames.map((f) => [methodName(f.method as SomMethod), f.pc]);
}

/**
 * The start of a trace of `1 to: n do: [...]` in `m`, whose slots are an argument, the variable
 * the loop adds to, the loop's counter and limit, and the block's parameter: the inputs are
 * the frame r0, self r1, the argument r2, the variable i3, the counter i4 and the limit i5, and
 * the counter test leaves at the header (the stack holds the receiver of to:do:, 1).
 */
function toDoLoopHead(m: SomMethod, header: number): string {
  return `trace loop ${labelText(`${methodName(m)} @${header}`)}
  in  r0 r1 r2 i3 i4 i5
  s0  snap [${ref(m)} @${header} | r0 r1 r2 i3 i4 i5 _ #1]
  b6  int_le           i4 i5
      guard_true       b6                ->s0`;
}

// ---- DeoptFixture>>run: through step: and square: ----

function runLoopTrace(run: SomMethod, step: SomMethod, square: SomMethod): string {
  const { header, increment } = loopPcs(run);
  // run: slots: values sum <i> <limit> i | stack, whose first entry is the value of to:do: (1).
  // step:, square: slots: x | stack.
  return `${toDoLoopHead(run, header)}
  r7  getfield         r2 #Array.elements
  i8  int_sub          i4 #1
  i9  arraylen         r7
  s1  snap [${ref(run)} @${sendPc(run, 'at:')} | r0 r1 r2 i3 i4 i5 i4 #1 i3 r1 r2 i4]
      guard_in_bounds  i8 i9             ->s1
  r10 getarrayitem     r7 i8
  s2  snap [${ref(run)} @${sendPc(run, 'step:')} | r0 r1 r2 i3 i4 i5 i4 #1 i3 r1 r10] [${ref(step)} @${sendPc(step, 'square:')} | _ r1 r10 r1 r10] [${ref(square)} @${sendPc(square, '*')} | _ r1 r10 r10 r10]
  i11 ref_to_int       r10               ->s2
  i12 int_mul_ovf      i11 i11           ->s2
  s3  snap [${ref(run)} @${sendPc(run, 'step:')} | r0 r1 r2 i3 i4 i5 i4 #1 i3 r1 r10] [${ref(step)} @${sendPc(step, '+')} | _ r1 r10 i12 #1]
  i13 int_add_ovf      i12 #1            ->s3
  s4  snap [${ref(run)} @${sendPc(run, '+')} | r0 r1 r2 i3 i4 i5 i4 #1 i3 i13]
  i14 int_add_ovf      i3 i13            ->s4
  s5  snap [${ref(run)} @${increment} | r0 r1 r2 i14 i4 i5 i4 #1]
  i15 int_add_ovf      i4 #1             ->s5
      jump             r0 r1 r2 i14 i15 i5
`;
}

interface RunSetup {
  readonly run: SomMethod;
  readonly step: SomMethod;
  readonly square: SomMethod;
  readonly text: string;
  readonly labels: Map<string, unknown>;
}

function runSetup(): RunSetup {
  const [run, step, square] = ['run:', 'step:', 'square:'].map((s) => method(fixture, s)) as [
    SomMethod,
    SomMethod,
    SomMethod,
  ];
  return { run, step, square, text: runLoopTrace(run, step, square), labels: registry([run, step, square]) };
}

/** Runs run: on `values` through the trace: entered at the header before the first iteration. */
function tracedRun(setup: RunSetup, values: SomArray): TracedRun & { frame: Frame } {
  const self = newInstance(fixture);
  const length = values.elements.length;
  const frame = frameAt(setup.run, self, loopPcs(setup.run).header, [values, 0, 1, length, null]);
  return { ...activateIntoTrace(frame, setup.text, setup.labels, [frame, self, values, 0, 1, length]), frame };
}

describe('a guard two inlined sends deep', () => {
  it('resumes square: in the interpreter, then step: and run: after their sends', () => {
    const setup = runSetup();
    const values = () => new SomArray([1, 2, 3, new SomDouble(4.5), 5]);
    const traced = tracedRun(setup, values());
    // The fourth element is not an Integer: the guard in square: fails, three levels deep.
    expect(levels(traced.outcome)).toEqual([
      ['DeoptFixture>>run:', sendPc(setup.run, 'step:')],
      ['DeoptFixture>>step:', sendPc(setup.step, 'square:')],
      ['DeoptFixture>>square:', sendPc(setup.square, '*')],
    ]);
    // 2 + 5 + 10 + (4.5 * 4.5 + 1) + 26
    expect(show(traced.result)).toEqual({ double: 64.25 });
    expect(traced.output).toBe('64.25\n');
    const reference = interpreted(newInstance(fixture), 'run:', [values()]);
    expect(show(traced.result)).toEqual(show(reference.result));
    expect(traced.output).toBe(reference.output);
    expect(traced.frame.onStack).toBe(false);
  });

  it('resumes in tier-1 code when the methods have it', () => {
    const setup = runSetup();
    const entered: [string, number][] = [];
    for (const m of [setup.run, setup.step, setup.square]) {
      const code = compileTier1(m).code;
      m.compiled = (frame, pc) => {
        entered.push([methodName(m), pc]);
        return code(frame, pc);
      };
    }
    const traced = tracedRun(setup, new SomArray([1, 2, 3, new SomDouble(4.5), 5]));
    expect(show(traced.result)).toEqual({ double: 64.25 });
    expect(traced.output).toBe('64.25\n');
    // Each level goes on in tier 1: square: at its guard, the others right after their sends.
    expect(entered).toEqual([
      ['DeoptFixture>>square:', sendPc(setup.square, '*')],
      ['DeoptFixture>>step:', sendPc(setup.step, 'square:') + 2],
      ['DeoptFixture>>run:', sendPc(setup.run, 'step:') + 2],
      // The fifth element, in tier 1 from the start.
      ['DeoptFixture>>step:', 0],
      ['DeoptFixture>>square:', 0],
    ]);
  });

  it('resumes the entry frame alone when the guard is in it', () => {
    const setup = runSetup();
    // 94906265^2 + 1 is an Integer below 2^53, but the sum of two of them is not: the
    // overflow guard of `sum + ...` in run: itself fails at the third element.
    const values = () => new SomArray([1, 94906265, 94906265]);
    const traced = tracedRun(setup, values());
    expect(levels(traced.outcome)).toEqual([['DeoptFixture>>run:', sendPc(setup.run, '+')]]);
    // 2 + 9007199136250226 + 9007199136250226
    expect(traced.output).toBe('18014398272500454\n');
    expect(traced.output).toBe(interpreted(newInstance(fixture), 'run:', [values()]).output);
  });
});

describe('the continuation of a send', () => {
  it('puts the result where the send put it, and goes on after the send', () => {
    const run = method(fixture, 'run:');
    // step: has one argument: the receiver below it at the stack top minus two.
    const pc = sendPc(run, 'step:');
    expect(sendContinuation(run, pc)).toEqual({ resultSlot: run.stackTop[pc]! - 2, resumePc: pc + 2 });
    expect(() => sendContinuation(run, loopPcs(run).header)).toThrow(/not a send/);
  });
});

// ---- DeoptFixture>>find: : a non-local return from a block to a rebuilt frame ----

function findTrace(find: SomMethod, firstAbove: SomMethod, block: SomMethod, arrayDo: SomMethod): string {
  const { header, increment } = loopPcs(find);
  const at = sendPc(arrayDo, 'at:');
  const value = sendPc(arrayDo, 'value:');
  // find: slots: values found <i> <limit> k | 1 (to:do:) ...; firstAbove:in: slots: limit values
  // | ...; Array>>do: slots: block <i> <limit> i | 1 (to:do:) ...; the block's: each | ....
  // The inlined firstAbove:in: has a virtual frame v0, since its block v1 captures it; the
  // block's activation v2 is virtual too (its outer and block are v0 and v1). As levels, their
  // slots array, pc and onStack are the exit's business (dead here).
  const outer = `[${ref(find)} @${sendPc(find, 'firstAbove:in:')} | r0 r1 r2 i3 i4 i5 i4 #1 i3 r1 i4 r2] [${ref(firstAbove)} @${sendPc(firstAbove, 'do:')} | v0 r1 i4 r2 r2 v1]`;
  const v0 = `v0=new #Frame(${ref(firstAbove)} r1 r0 #null #null _ _ _)`;
  const v1 = `v1=new #Block2(${ref(block)} v0)`;
  const v2 = `v2=new #Frame(${ref(block)} r1 _ v0 v1 _ _ _)`;
  return `${toDoLoopHead(find, header)}
  r7  getfield         r2 #Array.elements
  i8  arraylen         r7
  s1  snap ${outer} [${ref(arrayDo)} @${at} | _ r2 v1 #1 i8 #1 #1 v1 r2 #1] ${v0} ${v1}
      guard_in_bounds  #0 i8             ->s1
  r9  getarrayitem     r7 #0
  s2  snap ${outer} [${ref(arrayDo)} @${value} | _ r2 v1 #1 i8 #1 #1 v1 r9] [${ref(block)} @${sendPc(block, '>')} | v2 r1 r9 r9 i4] ${v0} ${v1} ${v2}
  i10 ref_to_int       r9                ->s2
  b11 int_gt           i10 i4
      guard_true       b11               ->s2
  s3  snap [${ref(find)} @${sendPc(find, '+')} | r0 r1 r2 i3 i4 i5 i4 #1 i3 r9]
  i12 int_add_ovf      i3 i10            ->s3
  s4  snap [${ref(find)} @${increment} | r0 r1 r2 i12 i4 i5 i4 #1]
  i13 int_add_ovf      i4 #1             ->s4
      jump             r0 r1 r2 i12 i13 i5
`;
}

describe('a block inlined in a rebuilt frame', () => {
  it('returns non-locally to the rebuilt frame, through Array>>do:', () => {
    const find = method(fixture, 'find:');
    const firstAbove = method(fixture, 'firstAbove:in:');
    const block = firstAbove.blocks[0]!;
    const arrayDo = method(classNamed('Array'), 'do:');
    const text = findTrace(find, firstAbove, block, arrayDo);
    const values = () => new SomArray([2, 5, 1]);
    const self = newInstance(fixture);
    const frame = frameAt(find, self, loopPcs(find).header, [values(), 0, 1, 3, null]);
    const array = frame.slots[0]!;
    const traced = activateIntoTrace(frame, text, registry([find, firstAbove, block, arrayDo]), [
      frame,
      self,
      array,
      0,
      1,
      3,
    ]);
    // k = 1 runs in the trace (2 > 1); at k = 2 the first element is not above k: the guard in
    // the block fails, four levels deep.
    expect(levels(traced.outcome)).toEqual([
      ['DeoptFixture>>find:', sendPc(find, 'firstAbove:in:')],
      ['DeoptFixture>>firstAbove:in:', sendPc(firstAbove, 'do:')],
      ['Array>>do:', sendPc(arrayDo, 'value:')],
      ['[] in DeoptFixture>>firstAbove:in:', sendPc(block, '>')],
    ]);
    // 2 (k = 1) + 5 (k = 2: the block goes on to 5, whose ^5 returns from firstAbove:in:) + 5
    expect(traced.result).toBe(12);
    expect(traced.result).toBe(interpreted(newInstance(fixture), 'find:', [values()]).result);
    // The materialised frames: the block's home is the rebuilt firstAbove:in:, and both
    // activations ended.
    if (traced.outcome.kind !== 'exit') return;
    const home = traced.outcome.frames[1]!.slots[FRAME_STATE.activation] as Frame;
    const blockFrame = traced.outcome.frames[3]!.slots[FRAME_STATE.activation] as Frame;
    expect(blockFrame.home).toBe(home);
    expect(blockFrame.outer).toBe(home);
    expect(blockFrame.depth).toBe(frame.depth + 3);
    expect(home.caller).toBe(frame);
    expect([frame.onStack, home.onStack, blockFrame.onStack]).toEqual([false, false, false]);
  });
});

// ---- DeoptFixture>>norms:to: : virtual objects materialised at the exit ----

function normsTrace(norms: SomMethod, length2: SomMethod): string {
  const { header, increment } = loopPcs(norms);
  // norms:to: slots: from to total <i> <limit> i | from (to:do:) ...; length2: | ....
  // The total is carried unboxed (v0 boxes it at exits); the new DeoptPoint is virtual (v1),
  // its fields array too (v2), the class-side x:y: and setX:y: inlined away.
  return `trace loop ${labelText(`${methodName(norms)} @${header}`)}
  in  r0 r1 i2 i3 f4 i5 i6
  s0  snap [${ref(norms)} @${header} | r0 r1 i2 i3 v0 i5 i6 _ i2] v0=new #Double(f4)
  b7  int_le           i5 i6
      guard_true       b7                ->s0
  r8  int_to_ref       i5
  s1  snap [${ref(norms)} @${sendPc(norms, 'length2')} | r0 r1 i2 i3 v0 i5 i6 i5 i2 v0 v1] [${ref(length2)} @${sendPc(length2, '*')} | _ v1 i5 i5] v0=new #Double(f4) v1=new #DeoptPoint(v2) v2=new [r8 #half]
  i9  int_mul_ovf      i5 i5             ->s1
  f10 int_to_float     i9
  f11 float_add        f10 #0.25
  f12 float_add        f4 f11
  s2  snap [${ref(norms)} @${increment} | r0 r1 i2 i3 v0 i5 i6 i5 i2] v0=new #Double(f12)
  i13 int_add_ovf      i5 #1             ->s2
      jump             r0 r1 i2 i3 f12 i13 i6
`;
}

describe('virtual objects at an exit', () => {
  it('materialises a Double box and a new object, shared by two levels', () => {
    const norms = method(fixture, 'norms:to:');
    const point = classNamed('DeoptPoint');
    const length2 = method(point, 'length2');
    heap.objectStruct(point);
    const half = norms.constants.find((c) => c instanceof SomDouble)!;
    const labels = registry([norms, length2], { half });
    // 94906265^2 is an Integer below 2^53, 94906266^2 is not: the second step's guard fails.
    const from = 94906265;
    const self = newInstance(fixture);
    const frame = frameAt(norms, self, loopPcs(norms).header, [from, from + 2, new SomDouble(0), from, from + 2, null]);
    const traced = activateIntoTrace(frame, normsTrace(norms, length2), labels, [
      frame,
      self,
      from,
      from + 2,
      0,
      from,
      from + 2,
    ]);
    expect(levels(traced.outcome)).toEqual([
      ['DeoptFixture>>norms:to:', sendPc(norms, 'length2')],
      ['DeoptPoint>>length2', sendPc(length2, '*')],
    ]);
    if (traced.outcome.kind !== 'exit') return;
    const [outer, inner] = traced.outcome.frames as [ExitFrame, ExitFrame];
    const slot = (state: ExitFrame, i: number) => state.slots[FRAME_STATE.firstSlot + i];
    expect(show(slot(outer, 2) as SomValue)).toEqual({ double: from ** 2 + 0.25 });
    const receiver = inner.slots[FRAME_STATE.receiver];
    expect(receiver).toBeInstanceOf(SomObject);
    expect((receiver as SomObject).clazz).toBe(point);
    expect((receiver as SomObject).fields).toEqual([from + 1, half]);
    // One object, whichever level names it: the stack slot of the send holds the receiver.
    expect(slot(outer, 8)).toBe(receiver);
    expect(show(traced.result)).toEqual(show(interpreted(newInstance(fixture), 'norms:to:', [from, from + 2]).result));
  });
});

// ---- backtraces ----

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('nothing was thrown');
}

describe('an error after an exit', () => {
  for (const tier of ['the interpreter', 'tier 1']) {
    it(`has the interpreter's backtrace, resumed in ${tier}`, () => {
      const setup = runSetup();
      const values = () => new SomArray([1, 2, 3, new SomString('oops'), 5]);
      const reference = thrownBy(() => interpreted(newInstance(fixture), 'run:', [values()]));
      const referenceOutput = output;
      if (tier === 'tier 1') for (const m of [setup.run, setup.step, setup.square]) m.compiled = compileTier1(m).code;
      const e = thrownBy(() => tracedRun(setup, values()));
      // 'oops' * 'oops' in square:, resumed at the exit: not understood, so error: exits.
      expect(e).toBeInstanceOf(SystemExit);
      expect(reference).toBeInstanceOf(SystemExit);
      const backtrace = (x: unknown) => formatBacktrace((x as SystemExit).frame, 'exit');
      expect(backtrace(e)).toContain('in DeoptFixture>>square:');
      expect(backtrace(e)).toBe(backtrace(reference));
      expect(output).toContain('ERROR: Method * not found in class String');
      expect(output).toBe(referenceOutput);
      // Every activation ended with the error (the VM's entry frame stands for the caller).
      expect(activations((e as SystemExit).frame).filter((f) => f.onStack)).toEqual([]);
    });
  }
});

describe('rebuilding frames', () => {
  it('allocates an unnamed method activation, called by the level outside it', () => {
    const { run, step } = runSetup();
    const self = newInstance(fixture);
    const entry = frameAt(run, self, 0, []);
    const at = sendPc(run, 'step:');
    const frames = rebuildFrames(heap, entry, [
      { method: run, pc: at, slots: [entry, self] },
      { method: step, pc: 0, slots: [undefined, self, 7] },
    ]);
    expect(frames[0]).toBe(entry);
    const callee = frames[1]!;
    expect([callee.method, callee.receiver, callee.caller, callee.depth, callee.pc]).toEqual([
      step,
      self,
      entry,
      entry.depth + 1,
      0,
    ]);
    expect([entry.pc, callee.slots[0], callee.onStack]).toEqual([at, 7, true]);
  });

  it('refuses a snapshot that does not start at the entry frame or lacks a block frame', () => {
    const { run } = runSetup();
    const self = newInstance(fixture);
    const entry = frameAt(run, self, 0, []);
    const block = method(fixture, 'firstAbove:in:').blocks[0]!;
    expect(() => rebuildFrames(heap, entry, [])).toThrow(VmInternalError);
    const other = frameAt(run, self, 0, []);
    expect(() => rebuildFrames(heap, entry, [{ method: run, pc: 0, slots: [other, self] }])).toThrow(/entry frame/);
    const blockLevel = { method: block, pc: 0, slots: [undefined, self] };
    expect(() => rebuildFrames(heap, entry, [{ method: run, pc: 0, slots: [entry, self] }, blockLevel])).toThrow(
      /needs its frame/,
    );
  });
});

// ---- exception exits: a residual call two inlined levels deep throws ----

/**
 * One level of an exit at the send of `selector` in `m`: the FRAME_STATE layout with every live
 * slot given (checked against the method's stack depth there, so a wrong layout fails here).
 */
function levelAt(
  m: SomMethod,
  selector: string,
  activation: Frame | undefined,
  receiver: SomValue,
  slots: readonly SomValue[],
): ExitFrame {
  const pc = sendPc(m, selector);
  expect(slots.length).toBe(m.stackTop[pc]);
  return { method: m, pc, slots: [activation, receiver, ...slots] };
}

/** What a residual call made in the trace would throw when it runs `call`. */
function thrownByCall(call: () => unknown): unknown {
  const e = thrownBy(call);
  if (e instanceof Error && !(e instanceof RangeError)) throw e;
  return e;
}

interface ThrowRun {
  readonly result: SomValue;
  readonly output: string;
  /** What resumeAfterThrow threw on to the entry frame, if anything. */
  readonly rethrown: unknown;
  /** The entry frame's pc and slots when resumeAfterThrow returned, if it did. */
  readonly resumed: { pc: number; slots: SomValue[] } | null;
}

/**
 * Sends `selector` with `args` to `receiver` in the interpreter, except that the first
 * activation of `entryMethod` does not run its code: it is the entry frame of a trace whose
 * residual call, in the state `exit(entry)` describes, threw. It resumes as the runtime does:
 * `resumeAfterThrow`, and, when that returns, the entry frame goes on at its pc.
 */
function runWithExceptionExit(
  entryMethod: SomMethod,
  receiver: SomValue,
  selector: string,
  args: readonly SomValue[],
  exit: (entry: Frame) => { frames: ExitFrame[]; exception: unknown },
): ThrowRun {
  const code = entryMethod.compiled;
  let rethrown: unknown = null;
  let resumed: ThrowRun['resumed'] = null;
  entryMethod.compiled = (entry) => {
    entryMethod.compiled = code;
    const { frames, exception } = exit(entry);
    try {
      resumeAfterThrow(heap, entry, frames, exception);
    } catch (e) {
      rethrown = e;
      throw e;
    }
    resumed = { pc: entry.pc, slots: [...entry.slots] };
    return continueActivation(entry);
  };
  output = '';
  try {
    const result = sendMessage(u.entryFrame(), receiver, u.symbol(selector), args);
    return { result, output, rethrown, resumed };
  } finally {
    entryMethod.compiled = code;
  }
}

function methods(...selectors: string[]): SomMethod[] {
  return selectors.map((selector) => method(fixture, selector));
}

/** A closure of `m`'s first (non-inlined) block, made in `context`. */
function blockOf(m: SomMethod, context: Frame): SomBlock {
  const body = m.blocks[0]!;
  return new SomBlock(blockClassFor(body.numArgs), body, context);
}

describe('an exception exit', () => {
  /**
   * ratios: at its first iteration, values at: 1 = 0: the exit of the `/` call in divide:by:,
   * through ratioOf:at:, with the error the primitive throws (or `exception`).
   */
  function divisionExit(exception?: unknown): (entry: Frame) => { frames: ExitFrame[]; exception: unknown } {
    const [ratios, ratioOf, divide] = methods('ratios:', 'ratioOf:at:', 'divide:by:') as [
      SomMethod,
      SomMethod,
      SomMethod,
    ];
    return (entry) => {
      const [self, values] = [entry.receiver, entry.slots[0]!];
      const length = (values as SomArray).elements.length;
      return {
        frames: [
          levelAt(ratios, 'ratioOf:at:', entry, self, [values, 0, 1, length, 1, 1, 0, self, values, 1]),
          levelAt(ratioOf, 'divide:by:', undefined, self, [values, 1, self, 100, 0]),
          levelAt(divide, '/', undefined, self, [100, 0, 100, 0]),
        ],
        exception: exception ?? thrownByCall(() => sendMessage(u.entryFrame(), 100, u.symbol('/'), [0])),
      };
    };
  }

  it('gives a SOM error the backtrace the interpreter gives it, every inlined level with its pc', () => {
    const ratios = method(fixture, 'ratios:');
    const values = () => new SomArray([0, 5]);
    const reference = thrownBy(() => interpreted(newInstance(fixture), 'ratios:', [values()]));
    expect(reference).toBeInstanceOf(SomRuntimeError);
    const e = thrownBy(() => runWithExceptionExit(ratios, newInstance(fixture), 'ratios:', [values()], divisionExit()));
    expect(e).toBeInstanceOf(SomRuntimeError);
    const backtrace = (x: unknown) => formatBacktrace((x as SomRuntimeError).frame, (x as SomRuntimeError).message);
    expect(backtrace(e)).toContain('in DeoptFixture>>ratioOf:at:');
    expect(backtrace(e)).toContain('in DeoptFixture>>divide:by:');
    expect(backtrace(e)).toBe(backtrace(reference));
    expect(activations((e as SomRuntimeError).frame).filter((f) => f.onStack)).toEqual([]);
  });

  it('turns a JS stack overflow into a SOM error at the innermost level', () => {
    const [ratios, divide] = methods('ratios:', 'divide:by:') as [SomMethod, SomMethod];
    const overflow = new RangeError('Maximum call stack size exceeded');
    const e = thrownBy(() =>
      runWithExceptionExit(ratios, newInstance(fixture), 'ratios:', [new SomArray([0])], divisionExit(overflow)),
    );
    expect(e).toBeInstanceOf(SomRuntimeError);
    expect((e as SomRuntimeError).message).toBe('Stack overflow: JavaScript stack exhausted');
    const frames = activations((e as SomRuntimeError).frame);
    expect(frames.map((f) => methodName(f.method))).toEqual([
      'DeoptFixture>>ratios:',
      'DeoptFixture>>ratioOf:at:',
      'DeoptFixture>>divide:by:',
    ]);
    expect(frames[2]!.method).toBe(divide);
    expect(frames[2]!.pc).toBe(sendPc(divide, '/'));
  });

  it('gives a non-local return to the middle level to it, and the loop goes on', () => {
    const [picks, pick, atInElse] = methods('picks:', 'pick:at:', 'at:in:else:') as [SomMethod, SomMethod, SomMethod];
    const values = () => new SomArray([null, 5, 7]);
    let middle: Frame | null = null;
    const traced = runWithExceptionExit(picks, newInstance(fixture), 'picks:', [values()], (entry) => {
      const [self, array] = [entry.receiver, entry.slots[0]!];
      // pick:at: is a real frame: the block that returns from it captured it (onStack, as it runs).
      const home = new Frame(pick, self, entry, null, null);
      home.slots[0] = array;
      home.slots[1] = 1;
      middle = home;
      const block = blockOf(pick, home);
      return {
        frames: [
          levelAt(picks, 'pick:at:', entry, self, [array, 0, 1, 3, 1, 1, 0, self, array, 1]),
          levelAt(pick, 'at:in:else:', home, self, [array, 1, self, 1, array, block]),
          levelAt(atInElse, 'value', undefined, self, [1, array, block, null, block]),
        ],
        exception: thrownByCall(() => sendMessage(u.entryFrame(), block, u.symbol('value'), [])),
      };
    });
    // -1 (returned from pick:at:) + 105 + 107
    expect(traced.result).toBe(211);
    expect(traced.result).toBe(interpreted(newInstance(fixture), 'picks:', [values()]).result);
    expect(traced.rethrown).toBeNull();
    expect(middle!.onStack).toBe(false);
    // The entry frame went on after its send of pick:at:, whose result is -1.
    const { resultSlot, resumePc } = sendContinuation(picks, sendPc(picks, 'pick:at:'));
    expect(traced.resumed?.pc).toBe(resumePc);
    expect(traced.resumed?.slots[resultSlot]).toBe(-1);
  });

  it('runs the levels outside the one a non-local return is aimed at to their ends', () => {
    const [twicePicks, twicePick, pick, atInElse] = methods(
      'twicePicks:',
      'twicePick:at:',
      'pick:at:',
      'at:in:else:',
    ) as [SomMethod, SomMethod, SomMethod, SomMethod];
    const values = () => new SomArray([null, 5, 7]);
    const traced = runWithExceptionExit(twicePicks, newInstance(fixture), 'twicePicks:', [values()], (entry) => {
      const [self, array] = [entry.receiver, entry.slots[0]!];
      const outer = new Frame(twicePick, self, entry, null, null);
      const home = new Frame(pick, self, outer, null, null);
      home.slots[0] = array;
      home.slots[1] = 1;
      const block = blockOf(pick, home);
      return {
        frames: [
          levelAt(twicePicks, 'twicePick:at:', entry, self, [array, 0, 1, 3, 1, 1, 0, self, array, 1]),
          levelAt(twicePick, 'pick:at:', outer, self, [array, 1, self, array, 1]),
          levelAt(pick, 'at:in:else:', home, self, [array, 1, self, 1, array, block]),
          levelAt(atInElse, 'value', undefined, self, [1, array, block, null, block]),
        ],
        exception: thrownByCall(() => sendMessage(u.entryFrame(), block, u.symbol('value'), [])),
      };
    });
    // 2 * -1 (pick:at: answered -1, twicePick:at: ran on) + 2 * 105 + 2 * 107
    expect(traced.result).toBe(422);
    expect(traced.result).toBe(interpreted(newInstance(fixture), 'twicePicks:', [values()]).result);
    const { resultSlot, resumePc } = sendContinuation(twicePicks, sendPc(twicePicks, 'twicePick:at:'));
    expect(traced.resumed?.pc).toBe(resumePc);
    expect(traced.resumed?.slots[resultSlot]).toBe(-2);
  });

  /**
   * The exit of `value` in at:in:else:, called by pass:at:else: from `entry` with `block`; the
   * inlined levels are named by the frames in `levels` (materialised, as if they had escaped).
   */
  function passExit(entry: Frame, entrySlots: SomValue[], block: SomBlock, levels: Frame[]): ExitFrame[] {
    const [pass, atInElse] = methods('pass:at:else:', 'at:in:else:') as [SomMethod, SomMethod];
    const [self, array] = [entry.receiver, entry.slots[0]!];
    const passFrame = new Frame(pass, self, entry, null, null);
    const atFrame = new Frame(atInElse, self, passFrame, null, null);
    levels.push(entry, passFrame, atFrame);
    return [
      levelAt(entry.method, 'pass:at:else:', entry, self, [...entrySlots, 1, self, array, 1, block]),
      levelAt(pass, 'at:in:else:', passFrame, self, [array, 1, block, self, 1, array, block]),
      levelAt(atInElse, 'value', atFrame, self, [1, array, block, null, block]),
    ];
  }

  it('rethrows a non-local return to the entry frame, which answers it', () => {
    const firstNil = method(fixture, 'firstNil:');
    const values = () => new SomArray([null, 5]);
    const levels: Frame[] = [];
    const traced = runWithExceptionExit(firstNil, newInstance(fixture), 'firstNil:', [values()], (entry) => {
      const block = blockOf(firstNil, entry);
      // The block reads index from the entry frame: the trace wrote it back before the call.
      entry.slots[1] = 1;
      return {
        frames: passExit(entry, [entry.slots[0]!, 1, block, 1, 2, 1], block, levels),
        exception: thrownByCall(() => sendMessage(u.entryFrame(), block, u.symbol('value'), [])),
      };
    });
    expect(traced.result).toBe(1);
    expect(traced.result).toBe(interpreted(newInstance(fixture), 'firstNil:', [values()]).result);
    expect(traced.rethrown).toBeInstanceOf(NonLocalReturn);
    expect((traced.rethrown as NonLocalReturn).home).toBe(levels[0]);
    expect(levels.map((frame) => frame.onStack)).toEqual([false, false, false]);
  });

  it('lets a non-local return past the entry frame go on outward, every level off the stack', () => {
    const scan = method(fixture, 'scan:with:');
    const values = () => new SomArray([null, 5]);
    const levels: Frame[] = [];
    const traced = runWithExceptionExit(scan, newInstance(fixture), 'search:', [values()], (entry) => {
      const block = blockOf(scan, entry);
      entry.slots[2] = 1; // index, which the block reads: written back before the call
      return {
        frames: passExit(entry, [entry.slots[0]!, entry.slots[1]!, 1, block, 1, 2, 1], block, levels),
        exception: thrownByCall(() => sendMessage(u.entryFrame(), block, u.symbol('value'), [])),
      };
    });
    // The block of search: answers 1 * 10 from search:, past scan:with:.
    expect(traced.result).toBe(10);
    expect(traced.result).toBe(interpreted(newInstance(fixture), 'search:', [values()]).result);
    expect(traced.rethrown).toBeInstanceOf(NonLocalReturn);
    const home = (traced.rethrown as NonLocalReturn).home;
    expect(home.method).toBe(method(fixture, 'search:'));
    expect(levels[0]!.caller).toBe(home);
    expect(levels.map((frame) => frame.onStack)).toEqual([false, false, false]);
  });
});
