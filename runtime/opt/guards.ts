/**
 * Redundant guard removal: drops the guards whose outcome the trace already knows, and uses what
 * each surviving guard proves to simplify what follows (PyPy's optimizeopt/rewrite.py guard
 * rules with intbounds.py; LuaJIT's FOLD on known facts).
 *
 * One forward pass. Facts hold from the guard (or operation) that establishes them to the end of
 * the trace, because the trace is straight-line code: a later position is only reached once the
 * guard has passed in the same iteration. Facts are kept about the new trace's values:
 * - a guard_true/guard_false/guard_value/guard_isnull makes its operand a constant: later uses
 *   read the constant (what `promote` relies on), so a repeated guard becomes a guard on
 *   constants, which holds (dropped) or fails (kept: leaving the trace there is its meaning);
 *   guarding a comparison, a bool_not or a ref_is_null also teaches what the operands satisfy;
 * - the class of a ref (guard_class, new_struct), and which refs are not null (guard_nonnull,
 *   allocations, guard_class of a struct's class); a ref_eq, ref_ne or ref_is_null they decide
 *   (a non-null ref against null, refs of different classes) becomes a constant;
 * - integer ranges (int-bounds.ts) of every int value, from its operation and narrowed by
 *   guarded comparisons, plus the relations `a < b` and `a <= b` between two values learned
 *   from guarded comparisons and guard_in_bounds. An int comparison whose outcome they decide
 *   becomes a constant; `int_*_ovf` whose result range is safe becomes the unchecked operation.
 * A guard known to fail is kept and teaches nothing. Constants are opaque unless the caller
 * passes the HeapModel (GuardOptions.heap): without it a guard_class on a constant stays.
 *
 * Loops: values defined before a peeled loop's `label` are the same in every iteration, so
 * their facts hold in the body; the label's parameters are new values of which nothing is known.
 *
 * Without a HeapModel, the pass assumes that the class of a struct's instances (StructDescr.cls
 * of a descriptor in the trace's constant pool) is never the class of null, so a guard_class on
 * such a class proves the ref non-null (SOM's nil is null, of class Nil, and no struct describes
 * Nil).
 */
import { type HeapModel, StructDescr } from '../ir/descriptors.ts';
import type { IrOp } from '../ir/ops.ts';
import type { Instruction, Trace } from '../ir/trace.ts';
import { TraceRewriter } from '../ir/trace-builder.ts';
import { type ConstRef, type IrRef, type Operand, isConstant } from '../ir/types.ts';
import {
  FULL_RANGE,
  type IntRange,
  LENGTH_RANGE,
  MAX_SAFE,
  clip,
  contains,
  intRange,
  intersect,
  isEmpty,
  isNeverSafe,
  isSafe,
  pointRange,
  rangeAdd,
  rangeAnd,
  rangeDiv,
  rangeInt32,
  rangeMod,
  rangeMul,
  rangeNeg,
  rangeRem,
  rangeSub,
} from './int-bounds.ts';

/** true: holds whenever reached; false: always fails (or is false); null: not known. */
type Outcome = boolean | null;

export interface GuardOptions {
  /**
   * The VM's heap model, when the caller has it: then a guard_class on a constant is decided by
   * the constant's class, and a guard_class on any class but null's proves its ref non-null.
   */
  readonly heap?: HeapModel;
}

export function removeRedundantGuards(trace: Trace, options: GuardOptions = {}): Trace {
  return new GuardPass(trace, options.heap ?? null).run();
}

const not = (outcome: Outcome): Outcome => (outcome === null ? null : !outcome);

class GuardPass {
  readonly w: TraceRewriter;
  /** New-trace value -> the source value renamed to it (to make it a constant for later uses). */
  private readonly sourceOf: IrRef[] = [];
  /** Narrowed ranges of new-trace int values; absent: FULL_RANGE. */
  private readonly ranges: (IntRange | undefined)[] = [];
  /** `${a},${b}`: a < b is known. */
  private readonly less = new Set<string>();
  /** `${a},${b}`: a <= b is known. */
  private readonly lessEq = new Set<string>();
  readonly nonNull = new Set<Operand>();
  /** Pairs `a,b` of refs known not identical (a guarded ref_eq that was false, or ref_ne true). */
  readonly unequal = new Set<string>();
  /** Ref (value or constant) -> its class, once known. */
  private readonly classes = new Map<Operand, unknown>();
  /** The classes of the structs in the constant pool: without a heap model, those null cannot have. */
  private readonly structClasses = new Set<unknown>();

  constructor(
    readonly source: Trace,
    private readonly heap: HeapModel | null,
  ) {
    this.w = new TraceRewriter(source);
    for (const input of source.inputs) this.sourceOf[this.w.rename(input)] = input;
    for (const entry of source.constants.entries) {
      if (entry.value instanceof StructDescr) this.structClasses.add(entry.value.cls);
    }
  }

  run(): Trace {
    for (const instruction of this.source.ops) {
      // What a rule emits in place of the instruction comes from it (trace dumps show origins).
      this.w.setOrigin(instruction.origin);
      (RULES[instruction.op] ?? copyRule)(this, instruction);
    }
    return this.w.finish();
  }

  value(operand: Operand): unknown {
    return this.source.constants.value(operand as ConstRef);
  }

  /** Copies `instruction` with `args` (default: renamed operands) and records where its values come from. */
  copy(instruction: Instruction, args = this.w.renameAll(instruction.args)): Operand | null {
    const result = this.w.copyWith(instruction, args);
    if (result !== null && !isConstant(result)) this.sourceOf[result] = instruction.result as IrRef;
    for (const param of instruction.params) this.sourceOf[this.w.rename(param)] = param;
    return result;
  }

  /** `instruction`'s result is `value` (a new instruction's), whose range is `range`. */
  replace(instruction: Instruction, value: Operand, range: IntRange): void {
    const source = instruction.result as IrRef;
    this.w.setRename(source, value);
    if (isConstant(value)) return;
    this.sourceOf[value] = source;
    this.refine(value, clip(range));
  }

  // ---- learning ----

  /** From here on, `x` is the constant `c`: later uses of x read c. */
  learnConstant(x: Operand, c: ConstRef): void {
    if (isConstant(x)) return;
    const source = this.sourceOf[x];
    if (source !== undefined) this.w.setRename(source, c);
  }

  /** `b` is `value` from here on; what made b (a comparison, a negation) tells more. */
  learnBool(b: Operand, value: boolean): void {
    if (isConstant(b)) return;
    this.learnConstant(b, this.w.bool(value));
    const producer = this.w.producer(b);
    if (producer !== null) LEARN_FROM[producer.op]?.(this, producer.args, value);
  }

  /** `lt(x, y) === truth`: x < y, or else y <= x. */
  learnLess(x: Operand, y: Operand, truth: boolean): void {
    const [rx, ry] = [this.rangeOf(x), this.rangeOf(y)];
    if (truth) {
      this.less.add(`${x},${y}`);
      this.refine(x, intRange(-MAX_SAFE, ry.hi - 1));
      this.refine(y, intRange(rx.lo + 1, MAX_SAFE));
    } else {
      this.lessEq.add(`${y},${x}`);
      this.refine(x, intRange(ry.lo, MAX_SAFE));
      this.refine(y, intRange(-MAX_SAFE, rx.hi));
    }
  }

  learnEqual(x: Operand, y: Operand): void {
    const both = intersect(this.rangeOf(x), this.rangeOf(y));
    this.refine(x, both);
    this.refine(y, both);
    this.lessEq.add(`${x},${y}`).add(`${y},${x}`);
  }

  learnClass(r: Operand, cls: unknown): void {
    this.classes.set(r, cls);
    const notNull = this.heap === null ? this.structClasses.has(cls) : this.heap.classOf(null) !== cls;
    if (notNull) this.nonNull.add(r);
  }

  /** A fresh struct: its class and non-null; a fresh array: non-null. */
  learnAllocation(ref: Operand | null, descr: StructDescr | null): void {
    if (ref === null) return;
    this.nonNull.add(ref);
    if (descr !== null) this.classes.set(ref, descr.cls);
  }

  // ---- ranges ----

  rangeOf(operand: Operand): IntRange {
    if (isConstant(operand)) {
      const value = this.value(operand);
      return typeof value === 'number' && this.source.kindOf(operand) === 'int' ? pointRange(value) : FULL_RANGE;
    }
    return this.ranges[operand] ?? FULL_RANGE;
  }

  /** Narrows what is known of `x` by `range`; a single value makes x that constant. */
  refine(x: Operand, range: IntRange): void {
    if (isConstant(x) || this.w.kindOf(x) !== 'int') return;
    const narrowed = intersect(this.rangeOf(x), range);
    if (isEmpty(narrowed)) return; // contradicts what is known: this point is never reached
    this.ranges[x] = narrowed;
    if (narrowed.lo === narrowed.hi) this.learnConstant(x, this.w.int(narrowed.lo));
  }

  /** The range of an array's length: that of the length it was allocated with, if it is ours. */
  lengthRange(array: Operand): IntRange {
    const producer = isConstant(array) ? null : this.w.producer(array);
    if (producer?.op !== 'new_array') return LENGTH_RANGE;
    return intersect(this.rangeOf(producer.args[0] as Operand), LENGTH_RANGE);
  }

  // ---- what is known ----

  lessThan(x: Operand, y: Operand): Outcome {
    if (x === y) return false;
    const [rx, ry] = [this.rangeOf(x), this.rangeOf(y)];
    if (rx.hi < ry.lo || this.less.has(`${x},${y}`)) return true;
    if (ry.hi <= rx.lo || this.lessEq.has(`${y},${x}`) || this.less.has(`${y},${x}`)) return false;
    return null;
  }

  equal(x: Operand, y: Operand): Outcome {
    if (x === y) return true;
    if (isConstant(x) && isConstant(y)) return Object.is(this.value(x), this.value(y));
    return this.lessThan(x, y) === true || this.lessThan(y, x) === true ? false : null;
  }

  constantGuard(b: Operand, expected: boolean): Outcome {
    return isConstant(b) ? this.value(b) === expected : null;
  }

  valueGuard(x: Operand, c: Operand): Outcome {
    const expected = this.value(c);
    if (isConstant(x)) return Object.is(this.value(x), expected);
    const kind = this.w.kindOf(x);
    if (kind === 'int' && !contains(this.rangeOf(x), expected as number)) return false;
    if (kind === 'ref' && expected === null && this.nonNull.has(x)) return false;
    return null;
  }

  classGuard(r: Operand, cls: Operand): Outcome {
    if (this.classes.has(r)) return this.classes.get(r) === this.value(cls);
    if (isConstant(r) && this.heap !== null) return this.heap.classOf(this.value(r)) === this.value(cls);
    return null;
  }

  nullGuard(r: Operand, wantNull: boolean): Outcome {
    if (isConstant(r)) return (this.value(r) === null) === wantNull;
    return this.nonNull.has(r) ? !wantNull : null;
  }

  /**
   * Whether refs `a` and `b` are identical (`===`): two constants compare; a value known to be
   * non-null is not null; two values of different known classes are different objects.
   */
  refEqual(a: Operand, b: Operand): Outcome {
    if (a === b) return true;
    if (isConstant(a) && isConstant(b)) return this.value(a) === this.value(b);
    if (this.unequal.has(`${a},${b}`)) return false;
    if (isConstant(b) && this.value(b) === null) return this.nullGuard(a, true);
    if (isConstant(a) && this.value(a) === null) return this.nullGuard(b, true);
    const [ca, cb] = [this.knownClass(a), this.knownClass(b)];
    return ca !== undefined && cb !== undefined && ca !== cb ? false : null;
  }

  /** The class of `r` if known (a guard, an allocation, or a constant when the heap is known). */
  private knownClass(r: Operand): unknown {
    if (this.classes.has(r)) return this.classes.get(r);
    if (isConstant(r) && this.heap !== null) return this.heap.classOf(this.value(r));
    return undefined;
  }

  inBounds(index: Operand, length: Operand): Outcome {
    const range = this.rangeOf(index);
    const nonNegative = range.lo >= 0 ? true : range.hi < 0 ? false : null;
    const below = this.lessThan(index, length);
    if (nonNegative === false || below === false) return false;
    return nonNegative === true && below === true ? true : null;
  }
}

type Rule = (p: GuardPass, instruction: Instruction) => void;

/** Anything without a rule: copied; an int result gets the range its operation gives. */
function copyRule(p: GuardPass, instruction: Instruction): void {
  const args = p.w.renameAll(instruction.args);
  const result = p.copy(instruction, args);
  const rangeRule = RESULT_RANGE[instruction.op];
  if (result !== null && rangeRule !== undefined) {
    const range = rangeRule(
      args.map((arg) => p.rangeOf(arg)),
      p,
      args,
    );
    if (!isEmpty(range)) p.refine(result, clip(range));
  }
}

/** The range of an int operation's result from its operands' ranges. */
const RESULT_RANGE: Partial<Record<IrOp, (r: IntRange[], p: GuardPass, args: Operand[]) => IntRange>> = {
  int_add: ([a, b]) => rangeAdd(a!, b!),
  int_sub: ([a, b]) => rangeSub(a!, b!),
  int_mul: ([a, b]) => rangeMul(a!, b!),
  int_neg: ([a]) => rangeNeg(a!),
  int_div: ([a, b]) => rangeDiv(a!, b!),
  int_mod: ([a, b]) => rangeMod(a!, b!),
  int_rem: ([a, b]) => rangeRem(a!, b!),
  int_and: ([a, b]) => rangeAnd(a!, b!),
  int_or: () => rangeInt32(),
  int_xor: () => rangeInt32(),
  arraylen: (_r, p, [array]) => p.lengthRange(array!),
};

interface GuardRule {
  /** Whether the guard, with these (new-trace) operands, passes whenever it is reached. */
  outcome(p: GuardPass, args: readonly Operand[]): Outcome;
  /** What holds once it has passed. */
  learn(p: GuardPass, args: readonly Operand[]): void;
}

function guardRule(rule: GuardRule): Rule {
  return (p, instruction) => {
    const args = p.w.renameAll(instruction.args);
    const outcome = rule.outcome(p, args);
    if (outcome === true) return; // holds: dropped
    p.copy(instruction, args);
    if (outcome === null) rule.learn(p, args);
  };
}

/** `int_*_ovf` becomes the unchecked operation when its operands' ranges prove the result safe. */
function overflowRule(unchecked: IrOp, range: (a: IntRange, b: IntRange) => IntRange): Rule {
  return (p, instruction) => {
    const args = p.w.renameAll(instruction.args);
    const result = range(p.rangeOf(args[0] as Operand), p.rangeOf(args[1] as Operand));
    if (isSafe(result)) {
      p.replace(instruction, p.w.value(unchecked, args), result);
      return;
    }
    const value = p.copy(instruction, args);
    if (value !== null && !isNeverSafe(result)) p.refine(value, clip(result));
  };
}

/** A comparison or identity test (one or two operands) the known facts decide becomes a constant. */
function compareRule(decide: (p: GuardPass, a: Operand, b: Operand) => Outcome): Rule {
  return (p, instruction) => {
    const args = p.w.renameAll(instruction.args);
    // (A one-operand test ignores `b`.)
    const outcome = decide(p, args[0] as Operand, args[1] as Operand);
    if (outcome === null) p.copy(instruction, args);
    else p.w.setRename(instruction.result as IrRef, p.w.bool(outcome));
  };
}

const RULES: Partial<Record<IrOp, Rule>> = {
  guard_true: guardRule({ outcome: (p, [b]) => p.constantGuard(b!, true), learn: (p, [b]) => p.learnBool(b!, true) }),
  guard_false: guardRule({
    outcome: (p, [b]) => p.constantGuard(b!, false),
    learn: (p, [b]) => p.learnBool(b!, false),
  }),
  guard_value: guardRule({
    outcome: (p, [x, c]) => p.valueGuard(x!, c!),
    learn: (p, [x, c]) =>
      p.w.kindOf(x!) === 'bool' ? p.learnBool(x!, p.value(c!) as boolean) : p.learnConstant(x!, c as ConstRef),
  }),
  guard_class: guardRule({
    outcome: (p, [r, cls]) => p.classGuard(r!, cls!),
    learn: (p, [r, cls]) => p.learnClass(r!, p.value(cls!)),
  }),
  guard_nonnull: guardRule({ outcome: (p, [r]) => p.nullGuard(r!, false), learn: (p, [r]) => p.nonNull.add(r!) }),
  guard_isnull: guardRule({
    outcome: (p, [r]) => p.nullGuard(r!, true),
    learn: (p, [r]) => p.learnConstant(r!, p.w.nullRef()),
  }),
  guard_in_bounds: guardRule({
    outcome: (p, [i, n]) => p.inBounds(i!, n!),
    learn: (p, [i, n]) => {
      p.refine(i!, intRange(0, MAX_SAFE));
      p.learnLess(i!, n!, true);
    },
  }),
  int_add_ovf: overflowRule('int_add', rangeAdd),
  int_sub_ovf: overflowRule('int_sub', rangeSub),
  int_mul_ovf: overflowRule('int_mul', rangeMul),
  int_lt: compareRule((p, a, b) => p.lessThan(a, b)),
  int_gt: compareRule((p, a, b) => p.lessThan(b, a)),
  int_le: compareRule((p, a, b) => not(p.lessThan(b, a))),
  int_ge: compareRule((p, a, b) => not(p.lessThan(a, b))),
  int_eq: compareRule((p, a, b) => p.equal(a, b)),
  int_ne: compareRule((p, a, b) => not(p.equal(a, b))),
  // (A guard_class or an allocation proves a ref non-null: `x === null` after it is false.)
  ref_eq: compareRule((p, a, b) => p.refEqual(a, b)),
  ref_ne: compareRule((p, a, b) => not(p.refEqual(a, b))),
  ref_is_null: compareRule((p, r) => p.nullGuard(r, true)),
  new_struct: (p, instruction) =>
    p.learnAllocation(p.copy(instruction), p.source.constants.struct(instruction.args[0] as Operand)),
  new_array: (p, instruction) => {
    const args = p.w.renameAll(instruction.args);
    p.learnAllocation(p.copy(instruction, args), null);
  },
};

/** A ref constant that `===` identifies: not a number (0 === -0, NaN !== NaN). */
function isIdentityConstant(p: GuardPass, operand: Operand): operand is ConstRef {
  return isConstant(operand) && typeof p.value(operand) !== 'number';
}

/** ref_eq/ref_ne known `equal`: equal to a constant makes the other operand that constant. */
function learnRefEquality(p: GuardPass, [a, b]: readonly Operand[], equal: boolean): void {
  if (!equal) p.unequal.add(`${a},${b}`).add(`${b},${a}`);
  for (const [x, c] of [
    [a, b],
    [b, a],
  ] as const) {
    if (!isIdentityConstant(p, c!) || isConstant(x!)) continue;
    if (equal) p.learnConstant(x!, c);
    else if (p.value(c) === null) p.nonNull.add(x!);
  }
}

/** What a bool known to be `value` tells about the operands of the operation that made it. */
const LEARN_FROM: Partial<Record<IrOp, (p: GuardPass, args: readonly Operand[], value: boolean) => void>> = {
  bool_not: (p, [b], value) => p.learnBool(b!, !value),
  int_lt: (p, [a, b], value) => p.learnLess(a!, b!, value),
  int_gt: (p, [a, b], value) => p.learnLess(b!, a!, value),
  int_le: (p, [a, b], value) => p.learnLess(b!, a!, !value),
  int_ge: (p, [a, b], value) => p.learnLess(a!, b!, !value),
  int_eq: (p, [a, b], value) => {
    if (value) p.learnEqual(a!, b!);
  },
  int_ne: (p, [a, b], value) => {
    if (!value) p.learnEqual(a!, b!);
  },
  ref_is_null: (p, [r], value) => (value ? p.learnConstant(r!, p.w.nullRef()) : p.nonNull.add(r!)),
  ref_eq: (p, args, value) => learnRefEquality(p, args, value),
  ref_ne: (p, args, value) => learnRefEquality(p, args, !value),
};
