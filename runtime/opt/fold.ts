/**
 * Constant folding and algebraic simplification: LuaJIT's FOLD engine, PyPy's rewrite step.
 *
 * Everything here is one fold hook (`foldHook`), the shape TraceBuilder runs before it appends an
 * instruction, so the recorder can fold while it records; the `fold` pass is a copy of the trace
 * through a TraceRewriter with that hook. The hook answers, for an instruction about to be
 * appended, an operand to use instead, 'drop' for a guard known to hold, or undefined to append it.
 *
 * - Constants: an operation the evaluator can run on operand values alone (every pure operation,
 *   elidable calls, the guards that need no heap) whose operands are all constants is evaluated
 *   now by the evaluator's own semantics (`evaluateOperands`), so the arithmetic exists once. A
 *   value becomes a pool constant; a guard that holds is dropped; a guard that always fails is
 *   kept (the trace always leaves there); an operation outside its contract (a division by zero
 *   behind such a guard) or an elidable function that throws is kept for run time, as is a result
 *   that is an object (a constant needs a label, and the pool has none to give it).
 * - Algebra: per-operation rules in `RULES` (x+0, x*1, x*0, x-x, 0-x, double negation, negated
 *   comparisons, conversion round trips, comparisons of an int with itself, `_ovf` forms that
 *   cannot overflow). Floats follow IEEE exactly: x+0.0 is not x (-0.0+0.0 is 0.0), x*0.0 is not
 *   0.0 and x-x is not 0.0 (NaN, Infinity), but x+(-0.0), x-0.0, x*1.0 and x/1.0 are x.
 * A rule may emit a simpler instruction through the builder (0-x becomes int_neg x), which goes
 * through the hook again. Guards other than those on constants are the guards pass's work.
 */
import { GUARD_FAILED, type OperandOp, evaluateOperands, isOperandOp } from '../ir/evaluator.ts';
import { type IrOp, hasFlag, isGuard } from '../ir/ops.ts';
import { argsProblem, resultKind } from '../ir/signature.ts';
import { type Instruction, type Trace, isLiteralValue } from '../ir/trace.ts';
import { type FoldHook, type FoldResult, type TraceBuilder, TraceRewriter } from '../ir/trace-builder.ts';
import { type Operand, isConstant, isOfKind } from '../ir/types.ts';

type Rule = (b: TraceBuilder, args: readonly Operand[]) => FoldResult;

/** The fold hook: constants first, then the operation's algebraic rule, if it has one. */
export const foldHook: FoldHook = (b, op, args) => {
  const rule = RULES[op];
  const values = isOperandOp(op) ? constantValues(b, args) : null;
  if (values === null && rule === undefined) return undefined;
  // A malformed instruction is left for the builder to report, not folded into something valid.
  if (argsProblem(op, args, b) !== null) return undefined;
  const folded = values !== null && isOperandOp(op) ? foldConstants(b, op, args, values) : undefined;
  return folded ?? rule?.(b, args);
};

/** The fold pass: the trace copied through `foldHook`. */
export function fold(trace: Trace): Trace {
  const rewriter = new TraceRewriter(trace, { fold: foldHook });
  for (const instruction of trace.ops) rewriter.copy(instruction);
  return rewriter.finish();
}

/** The values of `args` if they are all constants, else null. */
function constantValues(b: TraceBuilder, args: readonly Operand[]): unknown[] | null {
  const values = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) {
    const operand = args[i] as Operand;
    if (!isConstant(operand)) return null;
    values[i] = b.constants.value(operand);
  }
  return values;
}

/** `op` evaluated on constant operands: a constant, 'drop' for a guard that holds, or undefined. */
function foldConstants(b: TraceBuilder, op: OperandOp, args: readonly Operand[], values: unknown[]): FoldResult {
  let value: unknown;
  try {
    value = evaluateOperands(op, values);
  } catch {
    return undefined; // outside the operation's contract, or the function threw: left for run time
  }
  if (value === GUARD_FAILED) return undefined;
  if (isGuard(op) && !hasFlag(op, 'pure')) return 'drop';
  const kind = resultKind(op, args, b);
  if (kind === null || kind === 'params' || !isOfKind(value, kind) || !isLiteralValue(value)) return undefined;
  return b.constants.of(kind, value, null);
}

// ---- what rules ask about operands ----

/** Whether `operand` is the constant `value` (Object.is: -0.0 and 0.0 differ). */
function is(b: TraceBuilder, operand: Operand, value: unknown): boolean {
  return isConstant(operand) && Object.is(b.constants.value(operand), value);
}

/** The instruction whose result `operand` is, if it is `op`. */
function made(b: TraceBuilder, operand: Operand, op: IrOp): Instruction | null {
  if (isConstant(operand)) return null;
  const producer = b.producer(operand);
  return producer !== null && producer.op === op ? producer : null;
}

/** The operand of a one-operand instruction. */
function only(instruction: Instruction): Operand {
  return instruction.args[0] as Operand;
}

function unary(rule: (b: TraceBuilder, x: Operand) => FoldResult): Rule {
  return (b, args) => rule(b, args[0] as Operand);
}

function binary(rule: (b: TraceBuilder, x: Operand, y: Operand) => FoldResult): Rule {
  return (b, args) => rule(b, args[0] as Operand, args[1] as Operand);
}

/** The first rule that answers. */
function first(...rules: readonly Rule[]): Rule {
  return (b, args) => {
    for (const rule of rules) {
      const result = rule(b, args);
      if (result !== undefined) return result;
    }
    return undefined;
  };
}

/** x op c = x, and c op x = x too when `commutes`. */
function identity(c: number, commutes: boolean): Rule {
  return binary((b, x, y) => (is(b, y, c) ? x : commutes && is(b, x, c) ? y : undefined));
}

/** x op c = `negate` x, and c op x too when `commutes`. */
function negation(c: number, negate: IrOp, commutes: boolean): Rule {
  return binary((b, x, y) => {
    if (is(b, y, c)) return b.value(negate, [x]);
    return commutes && is(b, x, c) ? b.value(negate, [y]) : undefined;
  });
}

/** c - x = `negate` x. */
function subtractedFrom(c: number, negate: IrOp): Rule {
  return binary((b, x, y) => (is(b, x, c) ? b.value(negate, [y]) : undefined));
}

/** x op c = `result` (a constant of the operation's kind), either way round. */
function absorbing(c: number, result: (b: TraceBuilder) => Operand): Rule {
  return binary((b, x, y) => (is(b, x, c) || is(b, y, c) ? result(b) : undefined));
}

/** x op x = `result`. */
function self(result: (b: TraceBuilder) => Operand): Rule {
  return binary((b, x, y) => (x === y ? result(b) : undefined));
}

/** f(g(x)) = x when f undoes g (double negation, conversion round trips). */
function undoes(inner: IrOp): Rule {
  return unary((b, x) => {
    const producer = made(b, x, inner);
    return producer === null ? undefined : only(producer);
  });
}

// ---- the rules ----

const zero = (b: TraceBuilder): Operand => b.int(0);
const yes = (b: TraceBuilder): Operand => b.bool(true);
const no = (b: TraceBuilder): Operand => b.bool(false);

/** 0 - x = -x: negating a safe integer never overflows (the safe range is symmetric). */
const INT_SUB = first(identity(0, false), self(zero), subtractedFrom(0, 'int_neg'));
/** x*1 = x, x*0 = 0 (ints have no -0), x*-1 = -x: none of them can overflow. */
const INT_MUL = first(identity(1, true), absorbing(0, zero), negation(-1, 'int_neg', true));

/** A comparison and the one that answers its negation, for every value (not floats' <: NaN). */
const INVERSE: Partial<Record<IrOp, IrOp>> = {
  int_lt: 'int_ge',
  int_le: 'int_gt',
  int_gt: 'int_le',
  int_ge: 'int_lt',
  int_eq: 'int_ne',
  int_ne: 'int_eq',
  float_eq: 'float_ne',
  float_ne: 'float_eq',
  ref_eq: 'ref_ne',
  ref_ne: 'ref_eq',
};

/** !!x = x; !(a < b) = a >= b and the like. */
const BOOL_NOT: Rule = first(
  undoes('bool_not'),
  unary((b, x) => {
    const producer = isConstant(x) ? null : b.producer(x);
    const inverse = producer === null ? undefined : INVERSE[producer.op];
    return inverse === undefined || producer === null ? undefined : b.value(inverse, producer.args);
  }),
);

// prettier-ignore
const RULES: Partial<Record<IrOp, Rule>> = {
  int_add: identity(0, true),
  int_add_ovf: identity(0, true),
  int_sub: INT_SUB,
  int_sub_ovf: INT_SUB,
  int_mul: INT_MUL,
  int_mul_ovf: INT_MUL,
  int_neg: undoes('int_neg'),
  int_div: first(identity(1, false), negation(-1, 'int_neg', false)),
  int_and: absorbing(0, zero),
  int_xor: self(zero),
  int_lt: self(no),
  int_le: self(yes),
  int_gt: self(no),
  int_ge: self(yes),
  int_eq: self(yes),
  int_ne: self(no),
  // x + -0.0 = x for every x (even -0.0); x + 0.0 is not (-0.0 + 0.0 = 0.0).
  float_add: identity(-0, true),
  // x - 0.0 = x for every x; -0.0 - x = -x (0.0 - x is not: 0.0 - 0.0 = 0.0).
  float_sub: first(identity(0, false), subtractedFrom(-0, 'float_neg')),
  float_mul: first(identity(1, true), negation(-1, 'float_neg', true)),
  float_div: first(identity(1, false), negation(-1, 'float_neg', false)),
  float_neg: undoes('float_neg'),
  bool_not: BOOL_NOT,
  // A value that passed ref_to_int is a safe integer: the same JS value as the ref.
  int_to_ref: undoes('ref_to_int'),
  ref_to_int: undoes('int_to_ref'),
  bool_to_ref: undoes('ref_to_bool'),
  ref_to_bool: undoes('bool_to_ref'),
  float_to_int: undoes('int_to_float'),
};
