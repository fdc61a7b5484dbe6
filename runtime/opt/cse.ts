/**
 * Common-subexpression elimination: hash consing of pure operations (LuaJIT's CSE in lj_opt_fold,
 * PyPy's pure-operation cache).
 *
 * A pure operation (ops.ts flag `pure`: arithmetic, comparisons, conversions, elidable calls)
 * whose operation and operands equal an earlier one's is replaced by the earlier result. The
 * trace is straight-line code and every instruction runs after all earlier ones (a failing guard
 * leaves the trace), so an earlier value is always available; across a peeled loop's label too,
 * which is how invariant arithmetic of the body folds into the preamble's.
 *
 * The key is the operation and its operands, normalised so that equal values get equal keys:
 * - commutative operations sort their two operands (a + b and b + a; IEEE + and * commute);
 * - mirrored comparisons share one form (a > b is b < a; true for floats too, NaN included);
 * - a pure guard shares the key of its unchecked form (int_add_ovf with int_add, and so on): if
 *   the first passed, or was proved not to overflow, the second computes the same value and
 *   cannot fail, so it is replaced like any pure operation.
 * Guards that define no value (guard_true, guard_class...) are the guards pass's work; loads are
 * not pure (the heap pass forwards them); allocations are never merged.
 *
 * Like fold.ts, the pass is a fold hook (`cseHook`), so the recorder can use it while recording
 * (`recordingFold`: fold first, then CSE what is left); `cse` copies a trace through it.
 */
import { type IrOp, hasFlag } from '../ir/ops.ts';
import { resultKind } from '../ir/signature.ts';
import type { Trace } from '../ir/trace.ts';
import { type FoldHook, type TraceBuilder, TraceRewriter } from '../ir/trace-builder.ts';
import { type Operand, irRef } from '../ir/types.ts';
import { foldHook } from './fold.ts';

/** The operation whose key an operation shares, with its two operands swapped when `swap`. */
interface KeyForm {
  readonly op: IrOp;
  readonly swap: boolean;
}

const AS_IS = (op: IrOp): KeyForm => ({ op, swap: false });
const SWAPPED = (op: IrOp): KeyForm => ({ op, swap: true });

// prettier-ignore
const KEY_FORM: Partial<Record<IrOp, KeyForm>> = {
  int_add_ovf: AS_IS('int_add'),
  int_sub_ovf: AS_IS('int_sub'),
  int_mul_ovf: AS_IS('int_mul'),
  int_gt: SWAPPED('int_lt'),
  int_ge: SWAPPED('int_le'),
  float_gt: SWAPPED('float_lt'),
  float_ge: SWAPPED('float_le'),
};

/** Operations whose two operands may be exchanged (after KEY_FORM). */
const COMMUTATIVE: ReadonlySet<IrOp> = new Set<IrOp>([
  'int_add', 'int_mul', 'int_and', 'int_or', 'int_xor', 'int_eq', 'int_ne',
  'float_add', 'float_mul', 'float_eq', 'float_ne', 'ref_eq', 'ref_ne',
]); // prettier-ignore

/** The hash-consing key of a pure operation on `args` (operands in new-trace terms). */
export function cseKey(op: IrOp, args: readonly Operand[]): string {
  const form = KEY_FORM[op];
  const keyOp = form?.op ?? op;
  if (args.length !== 2) return `${keyOp} ${args.join(' ')}`;
  let [a, b] = args as readonly [Operand, Operand];
  if (form?.swap === true) [a, b] = [b, a];
  if (COMMUTATIVE.has(keyOp) && b < a) [a, b] = [b, a];
  return `${keyOp} ${a} ${b}`;
}

/**
 * A CSE hook with its own table (one per trace being built): answers the earlier result of an
 * equal pure operation, or records this one. The hook runs right before the builder appends the
 * instruction, so the value this one will define is the builder's next value number; chained
 * after other hooks, it must come last (a later hook could answer something else).
 */
export function cseHook(): FoldHook {
  const seen = new Map<string, Operand>();
  return (b, op, args) => {
    if (!hasFlag(op, 'pure')) return undefined;
    const key = cseKey(op, args);
    const earlier = seen.get(key);
    if (earlier !== undefined) return earlier;
    if (definesValue(b, op, args)) seen.set(key, irRef(b.valueCount));
    return undefined;
  };
}

function definesValue(b: TraceBuilder, op: IrOp, args: readonly Operand[]): boolean {
  const kind = resultKind(op, args, b);
  return kind !== null && kind !== 'params';
}

/** Folding then CSE, for building a trace: what the recorder runs each instruction through. */
export function recordingFold(): FoldHook {
  const cseStep = cseHook();
  return (b, op, args, snapshot) => foldHook(b, op, args, snapshot) ?? cseStep(b, op, args, snapshot);
}

/** The CSE pass: the trace copied through a fresh `cseHook`. */
export function cse(trace: Trace): Trace {
  const rewriter = new TraceRewriter(trace, { fold: cseHook() });
  for (const instruction of trace.ops) rewriter.copy(instruction);
  return rewriter.finish();
}
