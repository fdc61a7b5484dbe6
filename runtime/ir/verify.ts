/**
 * Well-formedness of a whole trace: what every pass must preserve and the backend may assume.
 *
 * The TraceBuilder already checks each instruction as it is appended; `verify` checks a finished
 * trace as a whole, so tests can run it after every pass and a trace assembled some other way
 * is caught too:
 * - SSA: values are numbered in definition order, each defined once, used only after it;
 * - every instruction's operands fit its entry in ops.ts (signature.ts), its result kind too;
 * - guards carry a snapshot taken at or before them, operations that may throw (residual calls)
 *   may carry one (their exception exit), no other instruction does; a snapshot names only
 *   values defined before its position, and its virtual objects fit their descriptors;
 * - at most one label, whose parameters match its operands; the trace ends with exactly one
 *   jump / finish / jump_trace; a jump's operands match the label's parameters (or, without a
 *   label, the inputs) in number and kind.
 */
import { VmInternalError } from '../../interpreter/errors.ts';
import { OPS, isEnd } from './ops.ts';
import { argsProblem, operandProblem, resultKind, snapshotPresenceProblem } from './signature.ts';
import { snapshotProblem } from './snapshot.ts';
import type { Instruction, OperandContext, Trace } from './trace.ts';
import { type IrRef, type Operand, type ValueKind, NO_SNAPSHOT, NO_VALUE } from './types.ts';

/** The problems of `trace`, one message each; empty when it is well formed. */
export function verify(trace: Trace): string[] {
  const problems: string[] = [];
  if (trace.definedAt.length !== trace.kinds.length) problems.push('kinds and definedAt differ in length');
  trace.inputs.forEach((ref, i) => {
    if (ref !== i || trace.definedAt[ref] !== -1) problems.push(`input ${i} is not value ${i}`);
  });
  const definedBefore = checkInstructions(trace, problems);
  checkSnapshots(trace, definedBefore, problems);
  checkShape(trace, problems);
  return problems;
}

/** Throws VmInternalError listing the problems, if any. */
export function assertValid(trace: Trace): void {
  const problems = verify(trace);
  if (problems.length > 0) throw new VmInternalError(`trace ${trace.name} is malformed:\n  ${problems.join('\n  ')}`);
}

/** A view of the trace in which only the first `count` values are defined. */
function contextAt(trace: Trace, count: number): OperandContext {
  const valueCount = Math.min(count, trace.kinds.length);
  return { constants: trace.constants, valueCount, kindOf: (operand: Operand) => trace.kindOf(operand) };
}

/** Checks each instruction; answers how many values are defined before each position. */
function checkInstructions(trace: Trace, problems: string[]): number[] {
  const definedBefore: number[] = [];
  let defined = trace.inputs.length;
  for (const [index, instruction] of trace.ops.entries()) {
    definedBefore.push(defined);
    const where = `op ${index} (${instruction.op})`;
    const problem = argsProblem(instruction.op, instruction.args, contextAt(trace, defined));
    if (problem !== null) {
      problems.push(`${where}: ${String(problem)}`);
    } else {
      const expected = resultKind(instruction.op, instruction.args, trace);
      const definedHere = expected === 'params' ? instruction.args.map((arg) => trace.kindOf(arg)) : expected;
      problems.push(
        ...definitionProblems(trace, instruction, index, defined, definedHere).map((p) => `${where}: ${p}`),
      );
    }
    defined += instruction.result === NO_VALUE ? instruction.params.length : 1;
    const snapshotIssue = snapshotUseProblem(trace, instruction, index);
    if (snapshotIssue !== null) problems.push(`${where}: ${snapshotIssue}`);
  }
  definedBefore.push(defined);
  if (defined !== trace.valueCount) problems.push(`${trace.valueCount} values have kinds, ${defined} are defined`);
  return definedBefore;
}

/** The values an instruction defines must be the next ones, of the kinds its operation gives. */
function definitionProblems(
  trace: Trace,
  instruction: Instruction,
  index: number,
  defined: number,
  expected: ValueKind | ValueKind[] | null,
): string[] {
  const refs: readonly IrRef[] = instruction.result === NO_VALUE ? instruction.params : [instruction.result];
  const kinds = expected === null ? [] : Array.isArray(expected) ? expected : [expected];
  if (refs.length !== kinds.length) return [`defines ${refs.length} values, its operation ${kinds.length}`];
  if (instruction.result !== NO_VALUE && instruction.params.length > 0) return ['has both a result and parameters'];
  if (instruction.kind !== (Array.isArray(expected) ? null : expected)) return [`result kind ${instruction.kind}`];
  const problems: string[] = [];
  refs.forEach((ref, i) => {
    if (ref !== defined + i) problems.push(`defines value ${ref} where value ${defined + i} comes next`);
    else if (trace.definedAt[ref] !== index) problems.push(`value ${ref} is recorded as defined elsewhere`);
    else if (trace.kinds[ref] !== kinds[i]) problems.push(`value ${ref} should be a ${kinds[i]}`);
  });
  return problems;
}

function snapshotUseProblem(trace: Trace, instruction: Instruction, index: number): string | null {
  const presence = snapshotPresenceProblem(instruction.op, instruction.snapshot !== NO_SNAPSHOT);
  if (presence !== null || instruction.snapshot === NO_SNAPSHOT) return presence;
  const snapshot = trace.snapshots[instruction.snapshot];
  if (snapshot === undefined) return `snapshot s${instruction.snapshot} is not defined`;
  return snapshot.position <= index ? null : `snapshot s${snapshot.id} is taken after the instruction`;
}

function checkSnapshots(trace: Trace, definedBefore: readonly number[], problems: string[]): void {
  let position = 0;
  for (const [id, snapshot] of trace.snapshots.entries()) {
    if (snapshot.id !== id) problems.push(`snapshot ${id} has id ${snapshot.id}`);
    if (snapshot.position < position || snapshot.position > trace.ops.length) {
      problems.push(`s${id}: position ${snapshot.position} out of order`);
      continue;
    }
    position = snapshot.position;
    const problem = snapshotProblem(snapshot, contextAt(trace, definedBefore[position] ?? 0));
    if (problem !== null) problems.push(`s${id}: ${problem}`);
  }
}

/** One label at most, one end at the end, jumps matching what they jump to. */
function checkShape(trace: Trace, problems: string[]): void {
  const last = trace.ops[trace.ops.length - 1];
  if (last === undefined || !isEnd(last.op)) problems.push('the trace must end with jump, finish or jump_trace');
  trace.ops.forEach((instruction, index) => {
    if (isEnd(instruction.op) && index !== trace.ops.length - 1)
      problems.push(`op ${index} (${instruction.op}) ends the trace early`);
    if (OPS[instruction.op].result === 'params' && index !== trace.labelIndex)
      problems.push(`op ${index}: a second label`);
    if (instruction.op === 'jump')
      problems.push(...jumpProblems(trace, instruction).map((p) => `op ${index} (jump): ${p}`));
  });
}

function jumpProblems(trace: Trace, jump: Instruction): string[] {
  const label = trace.label;
  const targets = label === null ? trace.inputs : label.params;
  const what = label === null ? 'input' : 'label parameter';
  if (jump.args.some((arg) => operandProblem(arg, trace) !== null)) return []; // reported with the operands
  if (jump.args.length !== targets.length) return [`${jump.args.length} operands for ${targets.length} ${what}s`];
  return targets.flatMap((ref, i) => {
    const kind = trace.kindOf(jump.args[i] as Operand);
    const expected = trace.kindOf(ref);
    return kind === expected ? [] : [`operand ${i + 1} is ${kind}, ${what} ${i + 1} is ${expected}`];
  });
}
