/**
 * verify: accepts well-formed traces and names what is wrong with malformed ones. The builder
 * and the parser refuse to make malformed traces, so these are assembled by editing a parsed
 * trace's parts directly, the way a buggy pass might.
 */
import { describe, expect, it } from 'vitest';
import { VmInternalError } from '../../interpreter/errors.ts';
import { parseTrace } from '../../runtime/ir/parser.ts';
import { FrameState, Snapshot } from '../../runtime/ir/snapshot.ts';
import { Instruction, Trace } from '../../runtime/ir/trace.ts';
import { type IrRef, type Operand, NO_SNAPSHOT, NO_VALUE, irRef, snapshotId } from '../../runtime/ir/types.ts';
import { assertValid, verify } from '../../runtime/ir/verify.ts';
import { makeFakeHeap } from './fake-heap.ts';

const fake = makeFakeHeap();

const good = parseTrace(
  `trace loop Loop>>run
  in  i0 f1
  s0  snap [#Loop>>run @4 | i0 f1]
  b2  int_lt       i0 #10
      guard_true   b2             ->s0
  i3  int_add_ovf  i0 #1          ->s0
  f4  float_add    f1 #0.5
      jump         i3 f4
`,
  fake.registry,
);

/** `good` with its instructions (and optionally snapshots) replaced. */
function edited(ops: Instruction[], snapshots: readonly Snapshot[] = good.snapshots): Trace {
  return new Trace(good.kind, good.name, good.constants, good.inputs, ops, snapshots, good.kinds, good.definedAt);
}

/** The instruction at `index` of `good` with other operands. */
function withArgs(index: number, args: number[]): Instruction {
  const old = good.ops[index] as Instruction;
  return new Instruction(old.op, args as Operand[], old.result, old.kind, old.snapshot, old.params);
}

function replacing(index: number, instruction: Instruction): Instruction[] {
  return good.ops.map((old, i) => (i === index ? instruction : old));
}

describe('verify', () => {
  it('accepts a well-formed trace', () => {
    expect(verify(good)).toEqual([]);
    expect(() => assertValid(good)).not.toThrow();
  });

  it('rejects a use before the definition', () => {
    // int_lt (op 0) reading i3, which int_add_ovf (op 2) defines later.
    const problems = verify(edited(replacing(0, withArgs(0, [3, -1]))));
    expect(problems).toEqual(['op 0 (int_lt): operand 1: value 3 is not defined yet']);
  });

  it('rejects an operand of the wrong kind', () => {
    const problems = verify(edited(replacing(2, withArgs(2, [1, -2]))));
    expect(problems).toEqual(['op 2 (int_add_ovf): operand 1: expected a value of kind int, found f1']);
  });

  it('rejects a jump whose arity does not match the inputs', () => {
    const jump = new Instruction('jump', [3] as Operand[], NO_VALUE, null, NO_SNAPSHOT, []);
    expect(verify(edited(replacing(4, jump)))).toEqual(['op 4 (jump): 1 operands for 2 inputs']);
  });

  it('rejects a jump whose kinds do not match the inputs', () => {
    const jump = new Instruction('jump', [4, 3] as Operand[], NO_VALUE, null, NO_SNAPSHOT, []);
    expect(verify(edited(replacing(4, jump)))).toEqual([
      'op 4 (jump): operand 1 is float, input 1 is int',
      'op 4 (jump): operand 2 is int, input 2 is float',
    ]);
  });

  it('rejects a snapshot naming a value not defined at its position', () => {
    const method = good.snapshot(snapshotId(0)).frames[0]?.method;
    if (method === undefined) throw new Error('the fixture has a frame');
    // Taken at position 0, before b2 (value 2) is defined.
    const early = new Snapshot(snapshotId(0), 0, [new FrameState(method, 4, [2 as IrRef])], []);
    expect(verify(edited([...good.ops], [early]))).toEqual(['s0: operand 2 is not defined']);
  });

  it('rejects a guard without a snapshot and a trace that does not end', () => {
    const guard = good.ops[1] as Instruction;
    const bare = new Instruction(guard.op, guard.args, guard.result, guard.kind, NO_SNAPSHOT, guard.params);
    expect(verify(edited(replacing(1, bare).slice(0, 4)))).toEqual([
      'op 1 (guard_true): a guard needs a snapshot',
      'the trace must end with jump, finish or jump_trace',
    ]);
  });

  it('accepts a snapshot on a residual call, not on an elidable call, nor one taken after the call', () => {
    const text = (call: string) => `trace bridge Loop>>run
  in  i0
  s0  snap [#Loop>>run @4 | i0]
  i1  ${call}
      finish       i1
`;
    const residual = parseTrace(text('call #risky i0 ->s0'), fake.registry);
    expect(verify(residual)).toEqual([]);
    const [call, finish] = residual.ops as [Instruction, Instruction];
    const late = new Snapshot(snapshotId(0), 1, residual.snapshots[0]!.frames, []);
    const withLate = new Trace(
      'bridge',
      'late',
      residual.constants,
      [irRef(0)],
      [call, finish],
      [late],
      residual.kinds,
      residual.definedAt,
    );
    expect(verify(withLate)).toEqual(['op 0 (call): snapshot s0 is taken after the instruction']);
    const pure = parseTrace(text('call_pure #max i0 i0'), fake.registry);
    const [pureCall, pureFinish] = pure.ops as [Instruction, Instruction];
    const withSnapshot = new Instruction('call_pure', pureCall.args, pureCall.result, pureCall.kind, snapshotId(0), []);
    const edited = new Trace(
      'bridge',
      'pure',
      pure.constants,
      [irRef(0)],
      [withSnapshot, pureFinish],
      pure.snapshots,
      pure.kinds,
      pure.definedAt,
    );
    expect(verify(edited)).toEqual([
      'op 0 (call_pure): call_pure carries no snapshot (only guards and operations that may throw do)',
    ]);
  });

  it('throws a VmInternalError listing the problems from assertValid', () => {
    const jump = new Instruction('jump', [] as Operand[], NO_VALUE, null, NO_SNAPSHOT, []);
    expect(() => assertValid(edited(replacing(4, jump)))).toThrow(VmInternalError);
    expect(() => assertValid(edited(replacing(4, jump)))).toThrow(/0 operands for 2 inputs/);
  });
});
