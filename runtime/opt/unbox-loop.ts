/**
 * Type specialisation of loop-carried values (PyPy's and LuaJIT's unboxing across the label): a
 * ref label parameter that is an int (or a bool) on both edges into the label becomes an int
 * (bool) parameter. Runs after peeling, on `preamble; label P; body; jump`.
 *
 * A ref parameter `p` is carried unboxed when
 *   - its entry value (the label's operand) is `int_to_ref(y)`, or a ref the preamble already
 *     passed through `ref_to_int` (a guard before the label, so it holds at the label), and
 *   - its back-edge value (the jump's operand) is `int_to_ref(x)`, a ref `ref_to_int` already
 *     guarded, or another parameter carried unboxed (found by iterating to a fixed point).
 * Then the label receives y, the jump x, `ref_to_int(p)` in the body is the parameter itself (its
 * guard cannot fail), and every other use of `p` reads `int_to_ref(param)`, emitted after the
 * label and free at run time (DCE drops it when nothing reads it). Snapshots read that boxed
 * value too, so a virtual object's ref field or array item keeps its kind.
 * The same holds for bool_to_ref / ref_to_bool. A parameter that receives any other ref on either
 * edge is left alone.
 */
import type { IrOp } from '../ir/ops.ts';
import type { Instruction, Trace } from '../ir/trace.ts';
import { TraceRewriter } from '../ir/trace-builder.ts';
import { type IrRef, NO_VALUE, type Operand, isConstant } from '../ir/types.ts';

/** A boxing conversion and its inverse guard. */
interface Boxing {
  readonly box: IrOp;
  readonly unbox: IrOp;
}

const BOXINGS: readonly Boxing[] = [
  { box: 'int_to_ref', unbox: 'ref_to_int' },
  { box: 'bool_to_ref', unbox: 'ref_to_bool' },
];

const BOXING_OF_UNBOX: Partial<Record<IrOp, Boxing>> = Object.fromEntries(BOXINGS.map((b) => [b.unbox, b]));

/** A parameter carried unboxed: how, and its unboxed entry and back-edge values (source terms). */
interface Unboxed {
  readonly boxing: Boxing;
  readonly entry: Operand;
  readonly back: Operand;
}

/** Per ref value: its unboxed form under each boxing, from `box(x)` or an earlier `unbox(v)`. */
function unboxedForms(trace: Trace, end: number): Map<Operand, Map<Boxing, Operand>> {
  const forms = new Map<Operand, Map<Boxing, Operand>>();
  const note = (ref: Operand, boxing: Boxing, raw: Operand): void => {
    const known = forms.get(ref) ?? new Map<Boxing, Operand>();
    if (!known.has(boxing)) known.set(boxing, raw);
    forms.set(ref, known);
  };
  for (let i = 0; i < end; i++) {
    const ins = trace.ops[i] as Instruction;
    if (ins.result === NO_VALUE) continue;
    const unboxing = BOXING_OF_UNBOX[ins.op];
    if (unboxing !== undefined) note(ins.args[0] as Operand, unboxing, ins.result);
    for (const boxing of BOXINGS) if (ins.op === boxing.box) note(ins.result, boxing, ins.args[0] as Operand);
  }
  return forms;
}

/** The parameters (by position) that can be carried unboxed. */
function findUnboxed(trace: Trace, label: Instruction, jump: Instruction): Map<number, Unboxed> {
  const entryForms = unboxedForms(trace, trace.labelIndex);
  const backForms = unboxedForms(trace, trace.ops.length - 1);
  const position = new Map<Operand, number>(label.params.map((p, k) => [p, k]));
  const candidates = new Map<number, Unboxed>();
  label.params.forEach((param, k) => {
    if (trace.kindOf(param) !== 'ref') return;
    for (const boxing of BOXINGS) {
      const entry = entryForms.get(label.args[k] as Operand)?.get(boxing);
      const backArg = jump.args[k] as Operand;
      const back = backForms.get(backArg)?.get(boxing) ?? (position.has(backArg) ? backArg : undefined);
      if (entry !== undefined && back !== undefined) candidates.set(k, { boxing, entry, back });
    }
  });
  // A back-edge value that is a parameter needs that parameter unboxed the same way.
  for (let changed = true; changed;) {
    changed = false;
    for (const [k, unboxed] of candidates) {
      const other = position.get(unboxed.back);
      if (other === undefined || isConstant(unboxed.back) || jump.args[k] !== unboxed.back) continue;
      if (candidates.get(other)?.boxing !== unboxed.boxing) {
        candidates.delete(k);
        changed = true;
      }
    }
  }
  return candidates;
}

export function unboxLoopValues(trace: Trace): Trace {
  const label = trace.labelIndex >= 0 ? trace.ops[trace.labelIndex] : undefined;
  const jump = trace.ops[trace.ops.length - 1];
  if (label === undefined || jump === undefined || jump.op !== 'jump') return trace;
  const unboxed = findUnboxed(trace, label, jump);
  if (unboxed.size === 0) return trace;
  return rewrite(trace, label, jump, unboxed);
}

function rewrite(trace: Trace, label: Instruction, jump: Instruction, unboxed: Map<number, Unboxed>): Trace {
  const out = new TraceRewriter(trace);
  for (let i = 0; i < trace.labelIndex; i++) out.copy(trace.ops[i] as Instruction);
  const labelArgs = label.args.map((arg, k) => out.rename(unboxed.get(k)?.entry ?? arg));
  const params = out.label(labelArgs);
  const raw = new Map<IrRef, Operand>();
  const boxings = new Map<IrRef, Boxing>();
  label.params.forEach((param, k) => {
    const how = unboxed.get(k);
    const now = params[k] as IrRef;
    if (how === undefined) return out.setRename(param, now);
    raw.set(param, now);
    boxings.set(param, how.boxing);
    out.setRename(param, out.value(how.boxing.box, [now]));
  });
  for (let i = trace.labelIndex + 1; i < trace.ops.length - 1; i++)
    copyBodyOp(out, trace.ops[i] as Instruction, { raw, boxings });
  out.emit(
    'jump',
    jump.args.map((arg, k) => {
      const how = unboxed.get(k);
      if (how === undefined) return out.rename(arg);
      const param = raw.get(how.back as IrRef);
      return param ?? out.rename(how.back);
    }),
  );
  return out.finish();
}

/** Copies a body instruction; the unboxing of an unboxed parameter is the parameter itself. */
function copyBodyOp(
  out: TraceRewriter,
  ins: Instruction,
  params: { raw: Map<IrRef, Operand>; boxings: Map<IrRef, Boxing> },
): void {
  const { raw, boxings } = params;
  const arg = ins.args[0];
  const unboxing = BOXING_OF_UNBOX[ins.op];
  if (unboxing !== undefined && ins.result !== NO_VALUE && boxings.get(arg as IrRef) === unboxing) {
    out.setRename(ins.result, raw.get(arg as IrRef) as Operand);
    return;
  }
  out.copy(ins);
}
