/**
 * Instruction origins (runtime/ir/trace.ts `InstructionOrigin`, TraceBuilder.setOrigin): what
 * the recorder says about where each instruction came from reaches the printed trace as a
 * comment, survives the optimiser, and leaves the text form's round trip alone (the parser
 * skips comments). BytecodeOrigin (runtime/tier2/bytecode-origin.ts) says it in SOM terms.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Universe } from '../../interpreter/universe.ts';
import { SomMethod } from '../../interpreter/model/method.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import { printTrace } from '../../runtime/ir/printer.ts';
import { FrameState } from '../../runtime/ir/snapshot.ts';
import type { InstructionOrigin, Trace } from '../../runtime/ir/trace.ts';
import { TraceBuilder } from '../../runtime/ir/trace-builder.ts';
import { optimize } from '../../runtime/opt/pipeline.ts';
import { BytecodeOrigin } from '../../runtime/tier2/bytecode-origin.ts';
import { makeFakeHeap } from '../ir/fake-heap.ts';

const fake = makeFakeHeap();

function origin(text: string): InstructionOrigin {
  return { describe: () => text };
}

const HEADER = 'Loop>>run @4 (Loop.som:6)';
const INCREMENT = 'Loop>>run @9 (Loop.som:7)';

/** `while (i < 1000) i := i + 1`, the test and the increment recorded from two bytecodes. */
function countingLoop(): Trace {
  const b = new TraceBuilder('loop', 'Loop>>run @4');
  const i0 = b.input('int');
  const s0 = b.snapshot([new FrameState(b.constants.ref(fake.methods.run, 'Loop>>run'), 4, [i0])]);
  b.setOrigin(origin(HEADER));
  b.emit('guard_true', [b.value('int_lt', [i0, b.int(1000)])], s0);
  b.setOrigin(origin(INCREMENT));
  b.emit('jump', [b.value('int_add_ovf', [i0, b.int(1)], s0)]);
  return b.finish();
}

/** The origin comment of each printed instruction line with operation `op`. */
function originsOf(text: string, op: string): string[] {
  return text
    .split('\n')
    .filter((line) => new RegExp(`^\\s+\\S*\\s+${op}\\s`).test(line))
    .map((line) => line.split(';')[1]?.trim() ?? '');
}

describe('instruction origins', () => {
  it('are printed as comments on request, one per instruction', () => {
    const trace = countingLoop();
    const text = printTrace(trace, { origins: true });
    expect(originsOf(text, 'int_lt')).toEqual([HEADER]);
    expect(originsOf(text, 'guard_true')).toEqual([HEADER]);
    expect(originsOf(text, 'int_add_ovf')).toEqual([INCREMENT]);
    expect(originsOf(text, 'jump')).toEqual([INCREMENT]);
    expect(printTrace(trace)).not.toContain(';');
  });

  it('leave the text form as it was: the parser reads the commented text as the same trace', () => {
    const trace = countingLoop();
    const parsed = parseTrace(printTrace(trace, { origins: true }), trace.constants.labels());
    expect(printTrace(parsed)).toBe(printTrace(trace));
  });

  it('are carried through the optimiser to the instructions it copies', () => {
    const optimized = optimize(countingLoop());
    const text = printTrace(optimized, { origins: true });
    // Peeling copies the loop body: the preamble and the loop both keep their origins (the
    // increment may have lost its overflow check on the way).
    expect(originsOf(text, 'int_add(_ovf)?')).toEqual([INCREMENT, INCREMENT]);
    expect(originsOf(text, 'int_lt')).toEqual([HEADER, HEADER]);
    expect(optimized.ops.every((instruction) => instruction.origin !== null)).toBe(true);
  });

  it('name the SOM method, pc and source line of a bytecode', () => {
    const u = new Universe({
      classpath: [join(import.meta.dirname, 'fixtures'), 'Smalltalk'],
      output: { writeOut: () => undefined, writeErr: () => undefined },
      maxStackDepth: 1000,
    });
    u.bootstrap();
    const cls = u.resolveClass(u.symbol('RecorderCounter'))!;
    const advance = cls.lookup(u.symbol('advance:'));
    expect(advance).toBeInstanceOf(SomMethod);
    // `advance: x = ( ^x + step )` is on line 6 of its file.
    expect(new BytecodeOrigin(advance as SomMethod, 0).describe()).toBe(
      'RecorderCounter>>advance: @0 (RecorderCounter.som:6)',
    );
  });
});
