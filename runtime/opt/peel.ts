/**
 * Loop peeling (PyPy's unroll, LuaJIT's LOOP): the first pass of the pipeline on a loop trace.
 *
 * A recorded loop is `inputs X; body; jump Y`, where the jump re-enters at the top with Y as the
 * new X. Peeling copies the body twice:
 *
 *   inputs X
 *   preamble         the body on X (the first iteration)
 *   label Y' -> P    Y' = the preamble's jump arguments; P the loop-carried parameters
 *   body             the body again, on P
 *   jump Y''         the second copy's jump arguments, back to the label
 *
 * Everything the later passes prove in the preamble holds in the loop body because both copies
 * are SSA over the same values. Inputs the jump passes round unchanged (Y_k is X_k) are loop
 * invariant: they get no parameter, and the body reads the input itself, so a guard or a load on
 * an invariant in the body is the same instruction on the same value as its preamble copy, and
 * CSE, guard removal and the heap cache drop it (invariant code motion for free). Each copy of a
 * guard carries its own copy of the snapshot, renamed to the values of its iteration.
 *
 * A bridge, a trace that is already peeled (has a label) or does not end in `jump` is returned
 * as it is.
 */
import type { Trace } from '../ir/trace.ts';
import { TraceRewriter } from '../ir/trace-builder.ts';
import type { IrRef, Operand } from '../ir/types.ts';

export function peelLoop(trace: Trace): Trace {
  const jump = trace.ops[trace.ops.length - 1];
  if (trace.kind !== 'loop' || trace.labelIndex >= 0 || jump === undefined || jump.op !== 'jump') return trace;
  const body = trace.ops.slice(0, -1);
  const out = new TraceRewriter(trace);
  for (const instruction of body) out.copy(instruction);

  // The positions of the inputs the loop changes; the preamble's jump arguments enter the label.
  const carried = trace.inputs.flatMap((input, k) => (jump.args[k] === input ? [] : [k]));
  const nextValues = (): Operand[] => carried.map((k) => out.rename(jump.args[k] as Operand));
  const params = out.label(nextValues());
  carried.forEach((k, i) => out.setRename(trace.inputs[k] as IrRef, params[i] as IrRef));

  out.forgetSnapshots();
  for (const instruction of body) out.copy(instruction);
  out.emit('jump', nextValues());
  return out.finish();
}
