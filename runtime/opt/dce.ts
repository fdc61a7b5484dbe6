/**
 * Dead-code elimination: removes instructions whose result nothing needs and whose only effect is
 * that result, and loop-carried values that only feed themselves.
 *
 * Removable: pure operations that are not guards (arithmetic, comparisons, conversions, elidable
 * calls), allocations and loads. Never removed: guards (pure ones such as int_add_ovf included:
 * they may still fail), stores, residual calls and control. A value is needed when an instruction
 * that stays reads it, when a snapshot of a guard names it (the exit rebuilds frames from it), or
 * when it ends the trace (finish, jump_trace, or a jump back to the start of an unpeeled loop,
 * whose inputs stay).
 *
 * With a label (a peeled loop), the jump's operand i and the label's operand i are needed only if
 * label parameter i is: a loop-carried value that is only used to compute its own next value (a
 * counter nobody reads) is dropped from the label and the jump together, with what computes it.
 *
 * Marking is a worklist over values from the roots (the instructions that stay whatever happens),
 * so the pass is linear in the trace's size; a second pass copies what was marked.
 */
import { type IrOp, IR_OPS, hasFlag } from '../ir/ops.ts';
import { type SnapValue, virtualValues } from '../ir/snapshot.ts';
import type { Instruction, Trace } from '../ir/trace.ts';
import { TraceRewriter } from '../ir/trace-builder.ts';
import { type IrRef, type Operand, NO_SNAPSHOT, isValueRef } from '../ir/types.ts';

/** Operations whose only effect is their result (a fresh object's allocation counts as none). */
const REMOVABLE = Object.fromEntries(
  IR_OPS.map((op) => [
    op,
    !hasFlag(op, 'guard') &&
      !hasFlag(op, 'store') &&
      !hasFlag(op, 'control') &&
      (hasFlag(op, 'pure') || hasFlag(op, 'alloc') || hasFlag(op, 'load')),
  ]),
) as Record<IrOp, boolean>;

/** Which instructions and label parameters stay. */
class Liveness {
  /** Per instruction index. */
  readonly kept: Uint8Array;
  /** Per value. */
  readonly live: Uint8Array;
  private readonly snapshotMarked: Uint8Array;
  private readonly work: IrRef[] = [];
  /** The jump back to the label, whose operands are needed only with their parameters. */
  readonly loopJump: Instruction | null;

  constructor(readonly trace: Trace) {
    this.kept = new Uint8Array(trace.ops.length);
    this.live = new Uint8Array(trace.valueCount);
    this.snapshotMarked = new Uint8Array(trace.snapshots.length);
    const last = trace.ops[trace.ops.length - 1];
    this.loopJump = trace.label !== null && last?.op === 'jump' ? last : null;
  }

  /** Marks the roots and everything they need. */
  run(): this {
    // Index loops here and below: the pass runs twice per trace, often while V8 has not yet
    // optimised it, where an entries() iterator or a closure per snapshot costs.
    const ops = this.trace.ops;
    for (let index = 0; index < ops.length; index++) {
      const instruction = ops[index] as Instruction;
      if (REMOVABLE[instruction.op] || instruction.op === 'label' || instruction === this.loopJump) continue;
      this.keep(index, instruction);
    }
    for (let ref = this.work.pop(); ref !== undefined; ref = this.work.pop()) this.need(ref);
    return this;
  }

  /** Whether label parameter `i` (and so the label's and the jump's operand `i`) stays. */
  paramLive(label: Instruction, i: number): boolean {
    return this.live[label.params[i] as IrRef] === 1;
  }

  private keep(index: number, instruction: Instruction): void {
    this.kept[index] = 1;
    this.needAll(instruction.args);
    if (instruction.snapshot !== NO_SNAPSHOT && this.snapshotMarked[instruction.snapshot] === 0) {
      this.snapshotMarked[instruction.snapshot] = 1;
      const snapshot = this.trace.snapshot(instruction.snapshot);
      for (const frame of snapshot.frames) this.needAll(frame.slots);
      for (const virtual of snapshot.virtuals) this.needAll(virtualValues(virtual));
    }
  }

  /** Pushes the values among `operands` (snapshot values may also be dead slots or virtuals). */
  private needAll(operands: readonly (SnapValue | Operand)[]): void {
    for (let i = 0; i < operands.length; i++) {
      const operand = operands[i];
      if (typeof operand === 'number') this.push(operand);
    }
  }

  private push(operand: Operand): void {
    if (isValueRef(operand) && this.live[operand] === 0) this.work.push(operand);
  }

  /** `ref` is needed: so is what defines it (for a label parameter, its operands in label and jump). */
  private need(ref: IrRef): void {
    if (this.live[ref] === 1) return;
    this.live[ref] = 1;
    const index = this.trace.definedAt[ref] ?? -1;
    const instruction = this.trace.ops[index];
    if (instruction === undefined) return; // an input
    if (instruction.op !== 'label') {
      if (this.kept[index] === 0) this.keep(index, instruction);
      return;
    }
    const i = ref - (instruction.params[0] as IrRef);
    this.push(instruction.args[i] as Operand);
    if (this.loopJump !== null) this.push(this.loopJump.args[i] as Operand);
  }
}

/**
 * Whether the copy would be `trace` itself: every instruction stays, every label parameter is
 * live, and copying would neither renumber nor move a snapshot (a copy numbers snapshots in
 * order of first use and places each at its first user) nor give the label another origin (a
 * copied label carries the origin of the instruction copied before it). Then the pass answers
 * the trace as it is, as it often can (the last DCE of the pipeline, most of the time).
 */
function removesNothing(trace: Trace, liveness: Liveness): boolean {
  const ops = trace.ops;
  let nextSnapshot = 0;
  for (let index = 0; index < ops.length; index++) {
    const instruction = ops[index] as Instruction;
    if (instruction.op === 'label') {
      if (instruction.origin !== (ops[index - 1]?.origin ?? null)) return false;
      for (let i = 0; i < instruction.params.length; i++) if (!liveness.paramLive(instruction, i)) return false;
    } else if (instruction !== liveness.loopJump && liveness.kept[index] === 0) {
      return false;
    }
    const snapshot = instruction.snapshot;
    if (snapshot === NO_SNAPSHOT || snapshot < nextSnapshot) continue;
    if (snapshot > nextSnapshot || trace.snapshot(snapshot).position !== index) return false;
    nextSnapshot++;
  }
  return nextSnapshot === trace.snapshots.length;
}

/** The DCE pass. */
export function eliminateDeadCode(trace: Trace): Trace {
  const liveness = new Liveness(trace).run();
  if (removesNothing(trace, liveness)) return trace;
  const label = trace.label;
  const rewriter = new TraceRewriter(trace);
  const ops = trace.ops;
  for (let index = 0; index < ops.length; index++) {
    const instruction = ops[index] as Instruction;
    if (instruction === label) {
      const kept = instruction.params.flatMap((_, i) => (liveness.paramLive(instruction, i) ? [i] : []));
      const params = rewriter.label(kept.map((i) => rewriter.rename(instruction.args[i] as Operand)));
      kept.forEach((i, k) => rewriter.setRename(instruction.params[i] as IrRef, params[k] as IrRef));
    } else if (instruction === liveness.loopJump && label !== null) {
      const args = instruction.args.filter((_, i) => liveness.paramLive(label, i));
      rewriter.copyWith(instruction, rewriter.renameAll(args));
    } else if (liveness.kept[index] === 1) {
      rewriter.copy(instruction);
    }
  }
  return rewriter.finish();
}
